// Default profile (one scsi_debug disk): microcode download and security protocols on the real
// kernel target over io_uring. What scsi_debug does (drivers/scsi/scsi_debug.c, resp_write_buffer):
// WRITE BUFFER is accepted in every mode and its data discarded; modes 04h-07h raise unit
// attentions (05h: 3Fh/16h MICROCODE HAS BEEN CHANGED WITHOUT RESET on this LU; 07h: the same on
// every LU of the target, on each command), every other mode (0Dh, 0Eh, 0Fh…) completes GOOD and
// raises nothing. It has no READ BUFFER (3Ch) and no SECURITY PROTOCOL IN/OUT (A2h/B5h): both are
// ILLEGAL REQUEST, INVALID COMMAND OPERATION CODE.
import { readLabManifest } from '@scsikit/lab';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckConditionError, type Device, openDevice, PermissionError } from '../src/index.js';

const lab = readLabManifest().devices[0]!;
const opened: Device[] = [];
afterAll(async () => {
  for (const d of opened) await d.close();
});

async function open(write = true): Promise<Device> {
  const dev = await openDevice(lab.bsg, { write, transport: 'uring' });
  opened.push(dev);
  return dev;
}

const image = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 29 + 1) & 0xff);
const pair = (u: { asc: number; ascq: number }) => [u.asc, u.ascq];

async function senseOf(p: Promise<unknown>): Promise<[number, number, number]> {
  const e = await p.then(
    () => expect.fail('the command succeeded'),
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(CheckConditionError);
  const c = e as CheckConditionError;
  return [c.senseKey, c.asc, c.ascq];
}

describe(`microcode download on ${lab.kind} ${lab.hctl} over io_uring`, () => {
  it('the limits: no READ BUFFER (05h/20h/00h), so no offset boundary or capacity; the transfer bound', async () => {
    const dev = await open();
    expect(dev.kind).toBe('uring');
    await dev.testUnitReady(); // consumes a power-on unit attention left by the boot, if any
    expect(
      await senseOf(dev.execute(Uint8Array.of(0x3c, 0x03, 0, 0, 0, 0, 0, 0, 4, 0), { transferLength: 4 })),
    ).toEqual([5, 0x20, 0]);
    const limits = await dev.microcodeLimits();
    expect(limits.offsetBoundary).toBeUndefined();
    expect(limits.bufferCapacity).toBeUndefined();
    expect(limits.maxTransferBytes).toBeGreaterThanOrEqual(65536);
  });

  it('mode 07h in 4 KiB chunks: each chunk after the first meets 3Fh/16h and is sent again; TUR consumes the last', async () => {
    const dev = await open();
    const progress: number[] = [];
    const r = await dev.downloadMicrocode(image(16_384), {
      mode: 0x07,
      chunkSize: 4096,
      onProgress: (sent) => progress.push(sent),
    });
    expect(progress).toEqual([4096, 8192, 12_288, 16_384]);
    expect(r).toMatchObject({ mode: 7, bytesSent: 16_384, commands: 4, activated: true, deferred: false });
    // Three resends (chunks 2-4) and the TEST UNIT READY after the last chunk.
    expect(r.unitAttentions.map(pair)).toEqual([
      [0x3f, 0x16],
      [0x3f, 0x16],
      [0x3f, 0x16],
      [0x3f, 0x16],
    ]);
    expect(r.unitAttentions[0]?.description).toMatch(/microcode has been changed without reset/i);
    await dev.testUnitReady({ retry: false }); // nothing left pending
  });

  it('mode 05h: one command, 3Fh/16h consumed', async () => {
    const dev = await open();
    const r = await dev.downloadMicrocode(image(6000), { mode: 0x05 });
    expect(r).toMatchObject({ commands: 1, chunkSize: 6000, activated: true });
    expect(r.unitAttentions.map(pair)).toEqual([[0x3f, 0x16]]);
    await dev.testUnitReady({ retry: false });
  });

  it('mode 0Eh defers (no unit attention); 0Fh completes GOOD and scsi_debug raises none', async () => {
    const dev = await open();
    const deferred = await dev.downloadMicrocode(image(8192), { mode: 0x0e, chunkSize: 4096 });
    expect(deferred).toMatchObject({ activated: false, deferred: true, commands: 2, unitAttentions: [] });
    const a = await dev.activateMicrocode();
    expect(a).toEqual({ activated: true, unitAttentions: [] });
    await dev.testUnitReady({ retry: false });
  });

  it('a read-only device refuses WRITE BUFFER and SECURITY PROTOCOL OUT before sending', async () => {
    const dev = await open(false);
    const before = dev.stats().succeeded;
    expect(await dev.downloadMicrocode(image(512)).catch((x: unknown) => x)).toBeInstanceOf(PermissionError);
    expect(await dev.securityProtocolOut(1, 1, new Uint8Array(512)).catch((x: unknown) => x)).toBeInstanceOf(
      PermissionError,
    );
    expect(dev.stats().succeeded).toBe(before);
  });
});

describe(`security protocols on ${lab.kind} ${lab.hctl}`, () => {
  it('SECURITY PROTOCOL IN and OUT: ILLEGAL REQUEST, INVALID COMMAND OPERATION CODE', async () => {
    const dev = await open();
    expect(await senseOf(dev.supportedSecurityProtocols())).toEqual([5, 0x20, 0]);
    expect(await senseOf(dev.securityCertificates())).toEqual([5, 0x20, 0]);
    expect(await senseOf(dev.securityProtocolOut(1, 1, new Uint8Array(512)))).toEqual([5, 0x20, 0]);
  });
});
