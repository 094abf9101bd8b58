// Cluster fencing with SCSI-3 persistent reservations, the way fence_scsi does it, with `Fence` from
// @scsikit/core: two nodes register their keys, node A takes a Write Exclusive – Registrants Only
// reservation, A "fails", B fences it off with PREEMPT AND ABORT, A's writes are then refused with
// an explained RESERVATION CONFLICT while B writes, and B leaves cleanly.
//
// Each node must be its own initiator: two paths to one logical unit (the lab's iscsi profile has
// two iSCSI sessions, the lio profile two tcm_loop ports). Without two paths, or on a device without
// persistent reservations, it runs on an EmulatedDisk with two connections.
//
//   pnpm lab run --profile iscsi -- node --import tsx examples/cluster-fencing.ts
import { CheckConditionError, type Device, Fence, openDevice, ScsiStatusError } from '@scsikit/core';
import { EmulatedDisk } from '@scsikit/emulated-disk';
import { deviceTarget, isMain, show } from './device.js';
import { type OpenPair, otherPath } from './persistent-reservations.js';

const NODE_A = 0x0a0a0a0a00000001n;
const NODE_B = 0x0b0b0b0b00000002n;
const ILLEGAL_REQUEST = 0x05;
const RESERVATION_CONFLICT = 0x18;

const hex = (k: bigint) => `0x${k.toString(16).padStart(16, '0')}`;

/**
 * The fencing walk-through on `dev`'s logical unit through two initiators (`openPair`), or on an
 * emulated disk. `abort: false` preempts without abort (LIO over tcm_loop hangs on PREEMPT AND ABORT).
 */
export async function clusterFencing(
  dev: Device,
  openPair: OpenPair = otherPath(dev),
  options: { readonly abort?: boolean } = {},
): Promise<void> {
  let pair: Awaited<ReturnType<OpenPair>>;
  try {
    await dev.pr.reportCapabilities();
    pair = await openPair();
  } catch (e) {
    if (!(e instanceof CheckConditionError) || e.senseKey !== ILLEGAL_REQUEST) throw e;
    show('PR on device', `not supported (${e.senseKeyName}): on an EmulatedDisk instead`);
  }
  if (pair !== undefined) {
    try {
      await walkThrough(pair.a, pair.b, pair.where, options.abort ?? true);
    } finally {
      await pair.a.close();
      await pair.b.close();
    }
    return;
  }
  const disk = new EmulatedDisk({ capacity: { bytes: 16 * 1024 * 1024 } });
  try {
    const a = await openDevice(disk, { write: true });
    const b = await openDevice(disk.connect(), { write: true });
    await walkThrough(a, b, 'an EmulatedDisk: connection 0 and disk.connect()', options.abort ?? true);
  } finally {
    await disk.close();
  }
}

async function walkThrough(a: Device, b: Device, where: string, abort: boolean): Promise<void> {
  show('nodes', where);
  const fa = new Fence(a, { key: NODE_A });
  const fb = new Fence(b, { key: NODE_B });
  // Start clean whatever an earlier run left: join, then leave from a holder's view if needed.
  await fa.join();
  await a.pr.clear({ key: NODE_A });

  await fa.join();
  await fb.join();
  const joined = await fb.status();
  show('joined', `${joined.registeredKeys.map(hex).join(', ')} (generation ${joined.generation})`);

  show('A acquires', (await fa.acquire()) ? 'A holds the reservation' : 'someone else holds it');
  show(
    'B acquires',
    (await fb.acquire()) ? 'B holds the reservation' : `no: held by ${holder(await fb.status())}`,
  );

  const { lastLba, blockLength } = await b.readCapacity();
  const scratch = lastLba - 7n;
  await b.write(scratch, 1, new Uint8Array(blockLength).fill(0xb1));
  show('B writes', `LBA ${scratch}: allowed (registrants only)`);

  show('A fails', `B fences A off with ${abort ? 'PREEMPT AND ABORT' : 'PREEMPT'}`);
  await fb.fence(NODE_A, { abort });
  const after = await fb.status();
  show('after fencing', `keys ${after.registeredKeys.map(hex).join(', ')}; holder ${holder(after)}`);

  show('A writes', await refused(a.write(scratch, 1, new Uint8Array(blockLength))));
  show('A re-acquires', await refused(fa.acquire()));
  await b.write(scratch, 1, new Uint8Array(blockLength).fill(0xb2));
  show('B writes', `LBA ${scratch}: done`);

  await fb.leave();
  const end = await fa.status();
  show(
    'B leaves',
    `${end.registeredKeys.length} registrations, ${end.reservation === undefined ? 'no reservation' : 'reserved'}`,
  );
}

function holder(s: Awaited<ReturnType<Fence['status']>>): string {
  return s.reservation === undefined ? 'none' : `${hex(s.reservation.key)} (${s.reservation.typeName})`;
}

/** What a refused command said: a RESERVATION CONFLICT is expected, explained where Fence sent it. */
async function refused(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof ScsiStatusError) || e.status !== RESERVATION_CONFLICT) throw e;
    return e.message;
  }
  throw new Error('the fenced node got through');
}

if (isMain(import.meta.url)) {
  await using dev = await openDevice(deviceTarget());
  await clusterFencing(dev);
}
