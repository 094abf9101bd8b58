// Persistent reservations between two initiators of one LIO logical unit (two tcm_loop ports, or
// two iSCSI sessions): registration, reservation, conflicts as typed errors, preemption, fencing.
// Shared by pr.lio.lab.test.ts and pr.iscsi.lab.test.ts.
import { readLabManifest } from '@scsikit/lab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckConditionError, type Device, Fence, openDevice, ScsiStatusError } from '../src/index.js';

const KEY_A = 0xa11ce0000000000an;
const KEY_B = 0xb0b000000000000bn;
const RESERVATION_CONFLICT = 0x18;

/**
 * `abort`: preempt with PREEMPT AND ABORT (what fence_scsi sends) or plain PREEMPT. Over tcm_loop,
 * LIO never completes a PREEMPT AND ABORT (Linux 7.3.4: the command and the LU hang until reset).
 */
export function describeReservationsBetweenTwoInitiators({ abort }: { readonly abort: boolean }): void {
  const manifest = readLabManifest();
  const lio = manifest.devices.filter((d) => d.kind === 'lio');
  let a: Device;
  let b: Device;
  let blockLength = 512;

  /** Leaves the unit with no registrations, whatever an earlier run left behind. */
  async function clearAll(dev: Device, key: bigint): Promise<void> {
    await dev.pr.register({ newKey: key, ignoreExisting: true });
    await dev.pr.clear({ key });
  }

  async function conflict(p: Promise<unknown>): Promise<ScsiStatusError> {
    const e = await p.then(
      () => expect.fail('the command succeeded despite the reservation'),
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(ScsiStatusError);
    expect((e as ScsiStatusError).status).toBe(RESERVATION_CONFLICT);
    return e as ScsiStatusError;
  }

  beforeAll(async () => {
    expect(lio.length, 'the lio profile has two paths to one LUN').toBe(2);
    a = await openDevice(lio[0]!.bsg, { write: true });
    b = await openDevice(lio[1]!.bsg, { write: true });
    blockLength = (await a.readCapacity()).blockLength;
    await clearAll(a, KEY_A);
  });

  afterAll(async () => {
    await clearAll(b, KEY_B).catch(() => undefined);
    await a?.close();
    await b?.close();
  });

  describe('persistent reservations across two initiators (LIO)', () => {
    it('both register; READ KEYS lists both keys', async () => {
      await a.pr.register({ newKey: KEY_A });
      await b.pr.register({ newKey: KEY_B });
      const keys = await b.pr.readKeys();
      expect([...keys.keys].sort()).toEqual([KEY_A, KEY_B].sort());
      expect((await a.pr.readReservation()).reservation).toBeUndefined();
    });

    it('A reserves Write Exclusive: B reads but its writes are RESERVATION CONFLICT', async () => {
      await a.pr.reserve({ key: KEY_A, type: 'writeExclusive' });
      const r = (await b.pr.readReservation()).reservation;
      expect(r?.reservationKey).toBe(KEY_A);
      expect(r?.type).toBe(1);
      expect((await b.read(0, 1)).length).toBe(blockLength);
      const e = await conflict(b.write(0, 1, new Uint8Array(blockLength)));
      expect(e.code).toBe('ERR_SCSIKIT_SCSI_STATUS');
      expect(e.message).toMatch(/RESERVATION CONFLICT/);
      await a.write(0, 1, new Uint8Array(blockLength).fill(0xa));
    });

    it('Write Exclusive – Registrants Only lets registered B write', async () => {
      await a.pr.release({ key: KEY_A, type: 'writeExclusive' });
      await a.pr.reserve({ key: KEY_A, type: 'writeExclusiveRegistrantsOnly' });
      await b.write(1, 1, new Uint8Array(blockLength).fill(0xb));
      await a.pr.release({ key: KEY_A, type: 'writeExclusiveRegistrantsOnly' });
      // Releasing a registrants-only reservation tells the other registrants (SPC: 2Ah/04h).
      const ua = await b.testUnitReady({ retry: false }).catch((x: unknown) => x);
      expect(ua).toBeInstanceOf(CheckConditionError);
      expect((ua as CheckConditionError).is(6, 0x2a, 0x04)).toBe(true);
      await a.pr.reserve({ key: KEY_A, type: 'writeExclusive' });
    });

    it(`B preempts${abort ? ' and aborts' : ''} A: A is fenced off, B writes`, async () => {
      const preempt = { key: KEY_B, preemptKey: KEY_A, type: 'writeExclusive' } as const;
      await (abort ? b.pr.preemptAndAbort(preempt) : b.pr.preempt(preempt));
      const keys = await a.pr.readKeys();
      expect(keys.keys).toEqual([KEY_B]);
      const r = (await a.pr.readReservation()).reservation;
      expect(r?.reservationKey).toBe(KEY_B);
      await conflict(a.write(0, 1, new Uint8Array(blockLength)));
      // A's registration is gone: even re-registering with the old key is refused.
      await conflict(a.pr.register({ key: KEY_A, newKey: KEY_A }));
      await b.write(0, 1, new Uint8Array(blockLength).fill(0xbb));
      expect((await a.read(0, 1))[0]).toBe(0xbb);
    });

    it('READ FULL STATUS shows who holds what, from either side', async () => {
      for (const dev of [a, b]) {
        const full = await dev.pr.readFullStatus();
        expect(full.descriptors.map((d) => d.reservationKey)).toEqual([KEY_B]);
        expect(full.descriptors[0]?.rHolder).toBe(true);
        expect(full.descriptors[0]?.type).toBe(1);
      }
    });

    it('B releases and unregisters; the unit is free again', async () => {
      await b.pr.release({ key: KEY_B, type: 'writeExclusive' });
      await b.pr.register({ key: KEY_B, newKey: 0n });
      expect((await a.pr.readKeys()).keys).toEqual([]);
      await a.write(0, 1, new Uint8Array(blockLength));
    });
  });

  describe('Fence on LIO: the fence_scsi sequence between two initiators', () => {
    it('join, acquire, fence the failed node, explained conflicts, leave', async () => {
      await clearAll(a, KEY_A);
      const fa = new Fence(a, { key: KEY_A });
      const fb = new Fence(b, { key: KEY_B });
      await fa.join();
      await fb.join();
      expect(await fa.acquire()).toBe(true);
      expect(await fb.acquire()).toBe(false);
      // Registrants only: B, registered, still writes while A holds the reservation.
      await b.write(2, 1, new Uint8Array(blockLength).fill(0x2b));
      await fb.fence(KEY_A, { abort });
      const s = await fb.status();
      expect(s).toMatchObject({ registered: true, holder: true, registeredKeys: [KEY_B] });
      expect(s.reservation?.type).toBe(5);
      await conflict(a.write(2, 1, new Uint8Array(blockLength)));
      const e = await conflict(fa.acquire());
      expect(e.message).toMatch(/is not registered/);
      await fb.leave();
      expect((await fa.status()).registeredKeys).toEqual([]);
    });
  });
}
