// Which kernel target answers media changer (SMC-3) and enclosure (SES-4) commands: none. scsi_debug's
// opcode table scopes commands by device type only for tapes, so what its disk answers here is what
// it answers with ptype=8 or 0Dh too (checked by hand with sg_raw on both types, 2026-12-08); LIO's
// fileio backstore emulates neither command set. READ ELEMENT STATUS and RECEIVE DIAGNOSTIC RESULTS
// are INVALID COMMAND OPERATION CODE on both; SEND DIAGNOSTIC with an Enclosure Control page is GOOD
// on scsi_debug (taken and ignored) and INVALID COMMAND OPERATION CODE on LIO. EmulatedChanger and
// EmulatedEnclosure stand in for the real thing.
import { buildReadElementStatus, buildReceiveDiagnosticResults, buildSendDiagnostic } from '@scsikit/cdb';
import { readLabManifest } from '@scsikit/lab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckConditionError, type Device, openDevice } from '../src/index.js';

async function refused(p: Promise<unknown>): Promise<[number, number, number]> {
  const e = await p.then(
    () => expect.fail('the command succeeded'),
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(CheckConditionError);
  const c = e as CheckConditionError;
  return [c.senseKey, c.asc, c.ascq];
}

/** What the target says to SEND DIAGNOSTIC with an Enclosure Control page: GOOD, or this sense. */
export type SendDiagnosticAnswer = 'good' | readonly [number, number, number];

export function describeNoChangerNoEnclosure(target: string, sendDiagnostic: SendDiagnosticAnswer): void {
  const manifest = readLabManifest();
  const disk = manifest.devices.find((d) => d.type === 0);
  let dev: Device;
  beforeAll(async () => {
    expect(disk, `the ${manifest.profile} profile has a disk`).toBeDefined();
    // READ ELEMENT STATUS is no command of a disk's: the guard counts it as a write, hence write: true.
    dev = await openDevice(disk!.bsg, { write: true });
  });
  afterAll(() => dev?.close());

  describe(`${target} (${manifest.profile}) emulates no changer and no enclosure`, () => {
    it('READ ELEMENT STATUS: INVALID COMMAND OPERATION CODE', async () => {
      expect(
        await refused(dev.execute(buildReadElementStatus({ volTag: true, allocationLength: 1024 }))),
      ).toEqual([0x05, 0x20, 0x00]);
    });

    it('RECEIVE DIAGNOSTIC RESULTS (pages 00h, 01h, 02h): INVALID COMMAND OPERATION CODE', async () => {
      for (const pageCode of [0x00, 0x01, 0x02]) {
        expect(await refused(dev.execute(buildReceiveDiagnosticResults({ pcv: true, pageCode })))).toEqual([
          0x05, 0x20, 0x00,
        ]);
      }
    });

    it(`SEND DIAGNOSTIC with an Enclosure Control page: ${sendDiagnostic === 'good' ? 'GOOD, and nothing to read it back with' : 'refused'}`, async () => {
      const page = Uint8Array.of(0x02, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00);
      const sent = dev.execute(buildSendDiagnostic({ pf: true, parameterListLength: page.length }), {
        data: page,
      });
      if (sendDiagnostic === 'good') expect((await sent).status).toBe(0);
      else expect(await refused(sent)).toEqual(sendDiagnostic);
    });
  });
}
