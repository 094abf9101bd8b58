import {
  buildPersistentReserveIn,
  buildPrClear,
  buildPrPreempt,
  buildPrRegister,
  buildPrRelease,
  buildPrReserve,
  buildRead10,
  buildTestUnitReady,
  buildWrite10,
  decodePrReadFullStatus,
  decodePrReadKeys,
  decodePrReadReservation,
  decodePrReportCapabilities,
  type PrOutCommand,
} from '@scsikit/cdb';
import type { Transport } from '@scsikit/transport';
import { describe, expect, it } from 'vitest';
import { EmulatedDisk, initiatorSasAddress } from '../src/index.js';
import { expectSense, good, send } from './helpers.js';

const out = (t: Transport, c: PrOutCommand) => t.execute({ cdb: c.spec.cdb, direction: 'out', data: c.data });
const ok = async (t: Transport, c: PrOutCommand) => expect((await out(t, c)).status).toBe(0);
const CONFLICT = 0x18;
const block = new Uint8Array(512);

function twoInitiators() {
  const disk = new EmulatedDisk();
  const a = disk;
  const b = disk.connect();
  return { disk, a, b };
}

describe('persistent reservations between two connections', () => {
  it('REGISTER from both, READ KEYS shows both keys and the generation', async () => {
    const { a, b } = twoInitiators();
    await ok(a, buildPrRegister({ newKey: 0xaan }));
    await ok(b, buildPrRegister({ newKey: 0xbbn }));
    const keys = decodePrReadKeys(
      (await good(a, buildPersistentReserveIn({ serviceAction: 'readKeys' }))).data,
    );
    expect(keys.keys).toEqual([0xaan, 0xbbn]);
    expect(keys.prGeneration).toBe(2);
    // Registering again with the wrong current key is a conflict.
    expect((await out(b, buildPrRegister({ key: 0x1n, newKey: 0xccn }))).status).toBe(CONFLICT);
    await ok(b, buildPrRegister({ key: 0x5n, newKey: 0xccn, ignoreExisting: true }));
    await ok(b, buildPrRegister({ key: 0xccn, newKey: 0n }));
    expect(
      decodePrReadKeys((await good(b, buildPersistentReserveIn({ serviceAction: 'readKeys' }))).data).keys,
    ).toEqual([0xaan]);
  });

  it('Write Exclusive: the other initiator may read but not write', async () => {
    const { a, b } = twoInitiators();
    await ok(a, buildPrRegister({ newKey: 1n }));
    await ok(b, buildPrRegister({ newKey: 2n }));
    await ok(a, buildPrReserve({ key: 1n, type: 'writeExclusive' }));
    const rr = decodePrReadReservation(
      (await good(b, buildPersistentReserveIn({ serviceAction: 'readReservation' }))).data,
    );
    expect(rr.reservation).toMatchObject({ reservationKey: 1n, type: 1 });
    await good(b, buildRead10({ lba: 0, blocks: 1 }));
    expect((await send(b, buildWrite10({ lba: 0, blocks: 1 }), block)).status).toBe(CONFLICT);
    await good(a, buildWrite10({ lba: 0, blocks: 1 }), block);
    await good(b, buildTestUnitReady());
    // A second RESERVE by the other is a conflict; RELEASE with the wrong type is 26h/04h.
    expect((await out(b, buildPrReserve({ key: 2n, type: 'writeExclusive' }))).status).toBe(CONFLICT);
    expectSense(await out(a, buildPrRelease({ key: 1n, type: 'exclusiveAccess' })), 5, 0x26, 0x04);
    await ok(a, buildPrRelease({ key: 1n, type: 'writeExclusive' }));
    await good(b, buildWrite10({ lba: 0, blocks: 1 }), block);
  });

  it('Exclusive Access blocks reads too; registrants-only types let registrants through', async () => {
    const { disk, a, b } = twoInitiators();
    const c = disk.connect();
    await ok(a, buildPrRegister({ newKey: 1n }));
    await ok(b, buildPrRegister({ newKey: 2n }));
    await ok(a, buildPrReserve({ key: 1n, type: 'exclusiveAccess' }));
    expect((await send(b, buildRead10({ lba: 0, blocks: 1 }))).status).toBe(CONFLICT);
    await ok(a, buildPrRelease({ key: 1n, type: 'exclusiveAccess' }));
    await ok(a, buildPrReserve({ key: 1n, type: 'exclusiveAccessRegistrantsOnly' }));
    await good(b, buildRead10({ lba: 0, blocks: 1 }));
    await good(b, buildWrite10({ lba: 0, blocks: 1 }), block);
    expect((await send(c, buildRead10({ lba: 0, blocks: 1 }))).status).toBe(CONFLICT);
    // Releasing a registrants-only reservation tells the other registrants: RESERVATIONS RELEASED.
    await ok(a, buildPrRelease({ key: 1n, type: 'exclusiveAccessRegistrantsOnly' }));
    expectSense(await send(b, buildTestUnitReady()), 6, 0x2a, 0x04);
  });

  it('PREEMPT takes the reservation and gives the preempted initiator a unit attention', async () => {
    const { a, b } = twoInitiators();
    await ok(a, buildPrRegister({ newKey: 1n }));
    await ok(b, buildPrRegister({ newKey: 2n }));
    await ok(a, buildPrReserve({ key: 1n, type: 'writeExclusive' }));
    await ok(b, buildPrPreempt({ key: 2n, preemptKey: 1n, type: 'exclusiveAccess' }));
    const rr = decodePrReadReservation(
      (await good(b, buildPersistentReserveIn({ serviceAction: 'readReservation' }))).data,
    );
    expect(rr.reservation).toMatchObject({ reservationKey: 2n, type: 3 });
    // SPC: the initiator that lost its registration gets REGISTRATIONS PREEMPTED (2Ah/05h).
    expectSense(await send(a, buildRead10({ lba: 0, blocks: 1 })), 6, 0x2a, 0x05);
    expect((await send(a, buildRead10({ lba: 0, blocks: 1 }))).status).toBe(CONFLICT);
    expect(
      decodePrReadKeys((await good(a, buildPersistentReserveIn({ serviceAction: 'readKeys' }))).data).keys,
    ).toEqual([2n]);
    // A PR OUT from an initiator that is no longer registered is a conflict.
    expect((await out(a, buildPrReserve({ key: 1n, type: 'writeExclusive' }))).status).toBe(CONFLICT);
  });

  it('PREEMPT AND ABORT ends the preempted initiator’s commands in the device with TASK ABORTED', async () => {
    const { disk, a, b } = twoInitiators();
    await ok(a, buildPrRegister({ newKey: 1n }));
    await ok(b, buildPrRegister({ newKey: 2n }));
    disk.faults.add({ opcode: 0x28, connection: 0, count: 1, effect: 'delay', delayMs: 5_000 });
    const slow = send(a, buildRead10({ lba: 0, blocks: 1 }));
    await new Promise((r) => setTimeout(r, 10));
    await ok(b, buildPrPreempt({ key: 2n, preemptKey: 1n, type: 'writeExclusive', abort: true }));
    expect((await slow).status).toBe(0x40);
  });

  it('CLEAR drops everything and tells the others RESERVATIONS PREEMPTED', async () => {
    const { a, b } = twoInitiators();
    await ok(a, buildPrRegister({ newKey: 1n }));
    await ok(b, buildPrRegister({ newKey: 2n }));
    await ok(a, buildPrReserve({ key: 1n, type: 'writeExclusiveAllRegistrants' }));
    await ok(a, buildPrClear({ key: 1n }));
    expectSense(await send(b, buildTestUnitReady()), 6, 0x2a, 0x03);
    const keys = decodePrReadKeys(
      (await good(b, buildPersistentReserveIn({ serviceAction: 'readKeys' }))).data,
    );
    expect(keys.keys).toEqual([]);
    expect(
      decodePrReadReservation(
        (await good(b, buildPersistentReserveIn({ serviceAction: 'readReservation' }))).data,
      ).reservation,
    ).toBeUndefined();
  });

  it('REPORT CAPABILITIES and READ FULL STATUS', async () => {
    const { a, b } = twoInitiators();
    const caps = decodePrReportCapabilities(
      (await good(a, buildPersistentReserveIn({ serviceAction: 'reportCapabilities' }))).data,
    );
    expect(caps).toMatchObject({
      tmv: true,
      ptplC: false,
      sipC: false,
      atpC: false,
      typeMask: [1, 3, 5, 6, 7, 8],
    });
    await ok(a, buildPrRegister({ newKey: 1n }));
    await ok(b, buildPrRegister({ newKey: 2n }));
    await ok(b, buildPrReserve({ key: 2n, type: 'writeExclusiveRegistrantsOnly' }));
    const full = decodePrReadFullStatus(
      (await good(a, buildPersistentReserveIn({ serviceAction: 'readFullStatus' }))).data,
    );
    expect(full.descriptors.map((d) => [d.reservationKey, d.rHolder, d.type])).toEqual([
      [1n, false, 0],
      [2n, true, 5],
    ]);
    expect(full.descriptors[1]?.transportId).toMatchObject({
      sasAddress: initiatorSasAddress(1).toString(16),
    });
  });

  it('bad PR OUT parameters: type, list length, APTPL', async () => {
    const { a } = twoInitiators();
    await ok(a, buildPrRegister({ newKey: 1n }));
    expectSense(await out(a, buildPrReserve({ key: 1n, type: 0x4 })), 5, 0x24, 0);
    const short = buildPrRegister({ newKey: 1n });
    const cdb = short.spec.cdb.slice();
    cdb[8] = 20; // PARAMETER LIST LENGTH 20 instead of 24
    expectSense(await a.execute({ cdb, direction: 'out', data: short.data.subarray(0, 20) }), 5, 0x1a, 0);
    expectSense(await out(a, buildPrRegister({ key: 1n, newKey: 2n, aptpl: true })), 5, 0x26, 0);
  });
});
