// Persistent reservations between two opens, each its own initiator (I_T nexus): both register, A
// reserves Write Exclusive, B may read but its write is a RESERVATION CONFLICT (a ScsiStatusError),
// B preempts A, then everything is cleared. Two opens through one host port are one initiator, so on
// a real device this needs two paths to the logical unit (same WWN, two H:C:T:L, as the lab's lio
// profile has). A device without PR (the default scsi_debug disk answers ILLEGAL REQUEST), or with
// one path, gets the demonstration on an EmulatedDisk and a second connection to it.
import { PR_TYPE_NAMES } from '@scsikit/cdb';
import { CheckConditionError, type Device, listDevices, openDevice, ScsiStatusError } from '@scsikit/core';
import { EmulatedDisk } from '@scsikit/emulated-disk';
import { deviceTarget, isMain, show } from './device.js';

const KEY_A = 0xa11ce0000000000an;
const KEY_B = 0xb0b000000000000bn;
const ILLEGAL_REQUEST = 0x05;
const RESERVATION_CONFLICT = 0x18;

/** Two writable Devices on one logical unit through different initiators, and what they are. */
export interface InitiatorPair {
  readonly a: Device;
  readonly b: Device;
  readonly where: string;
}

/** Opens two initiators' Devices; tests pass one over an EmulatedDisk. */
export type OpenPair = () => Promise<InitiatorPair | undefined>;

/** The device's other path (same WWN, another H:C:T:L), opened writable along with this one. */
export function otherPath(dev: Device): OpenPair {
  return async () => {
    const wwn = dev.info?.wwn;
    if (dev.path === undefined || wwn === undefined) return undefined;
    const other = listDevices().find((d) => d.wwn === wwn && d.hctl !== dev.info?.hctl);
    if (other === undefined) return undefined;
    const a = await openDevice(dev.path, { write: true });
    try {
      const b = await openDevice(other.bsg ?? other.sg ?? other.hctl, { write: true });
      return { a, b, where: `${dev.info?.hctl} and ${other.hctl} (wwn ${wwn})` };
    } catch (e) {
      await a.close();
      throw e;
    }
  };
}

export async function persistentReservations(dev: Device, openPair = otherPath(dev)): Promise<void> {
  let pair: InitiatorPair | undefined;
  try {
    const caps = await dev.pr.reportCapabilities();
    show(
      'PR on device',
      `supported; types ${caps.typeMask.map((t) => PR_TYPE_NAMES[t] ?? t).join(', ') || 'not listed'}`,
    );
    pair = await openPair();
    if (pair === undefined)
      show('second path', 'none from this host (two opens of one path are one initiator)');
  } catch (e) {
    if (!(e instanceof CheckConditionError) || e.senseKey !== ILLEGAL_REQUEST) throw e;
    show('PR on device', `not supported: ${e.senseKeyName}, ${e.description}`);
  }
  if (pair !== undefined) {
    try {
      await demonstrate(pair);
    } finally {
      await pair.a.close();
      await pair.b.close();
    }
    return;
  }
  const disk = new EmulatedDisk({ capacity: { bytes: 16 * 1024 * 1024 } });
  try {
    await demonstrate({
      a: await openDevice(disk, { write: true }),
      b: await openDevice(disk.connect(), { write: true }),
      where: 'an EmulatedDisk: connection 0 and disk.connect()',
    });
  } finally {
    await disk.close();
  }
}

async function demonstrate({ a, b, where }: InitiatorPair): Promise<void> {
  show('initiators', where);
  // Start clean whatever an earlier run left: register with any key, then CLEAR.
  await a.pr.register({ newKey: KEY_A, ignoreExisting: true });
  await a.pr.clear({ key: KEY_A });

  await a.pr.register({ newKey: KEY_A });
  await b.pr.register({ newKey: KEY_B });
  const keys = await b.pr.readKeys();
  show('registered', `${keys.keys.map(hex).join(', ')} (generation ${keys.prGeneration})`);

  await a.pr.reserve({ key: KEY_A, type: 'writeExclusive' });
  const held = (await b.pr.readReservation()).reservation;
  show(
    'reservation',
    `${held === undefined ? 'none' : `${hex(held.reservationKey)} holds ${held.typeName}`}`,
  );

  // B's write rewrites what is there, so nothing changes should it ever get through.
  const lastLba = (await b.readCapacity()).lastLba;
  const block = await b.read(lastLba, 1);
  show('B reads', `LBA ${lastLba}: ${block.length} bytes, allowed`);
  show('B writes', await conflictOf(b.write(lastLba, 1, block)));

  await b.pr.preempt({ key: KEY_B, preemptKey: KEY_A, type: 'writeExclusive' });
  const now = await a.pr.readReservation();
  show(
    'B preempts A',
    `holder ${hex(now.reservation?.reservationKey ?? 0n)}, keys ${(await a.pr.readKeys()).keys.map(hex).join(', ')}`,
  );
  show('A writes', await conflictOf(a.write(lastLba, 1, block)));

  await b.pr.clear({ key: KEY_B });
  show('cleared', `${(await a.pr.readKeys()).keys.length} registrations, no reservation`);
}

/** What a write answered: a conflict is expected, as a ScsiStatusError. */
async function conflictOf(write: Promise<void>): Promise<string> {
  try {
    await write;
  } catch (e) {
    if (!(e instanceof ScsiStatusError) || e.status !== RESERVATION_CONFLICT) throw e;
    return `${e.name} (${e.code}): ${e.statusName}`;
  }
  throw new Error('the write went through despite the reservation');
}

const hex = (k: bigint) => `0x${k.toString(16)}`;

if (isMain(import.meta.url)) {
  await using dev = await openDevice(deviceTarget());
  await persistentReservations(dev);
}
