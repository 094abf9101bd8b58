// Errors you can switch on: a READ past the end is a CheckConditionError with the decoded sense;
// `dev.read` refuses the same range before sending it (the cached capacity says it cannot exist);
// a WRITE on a device opened read-only never reaches the kernel.
import { buildRead16 } from '@scsikit/cdb';
import {
  CheckConditionError,
  type Device,
  InvalidArgumentError,
  openDevice,
  PermissionError,
} from '@scsikit/core';
import { deviceTarget, hex, isMain } from './device.js';

export async function decodeError(dev: Device): Promise<void> {
  const cap = await dev.readCapacity();
  const lba = cap.lastLba + 1000n;
  // A raw CDB is never range-checked, so this one reaches the device and it answers for itself.
  const read = buildRead16({ lba, blocks: 1, blockLength: cap.blockLength });
  try {
    await dev.execute(read);
    throw new Error(`a read at LBA ${lba} past the last LBA ${cap.lastLba} succeeded`);
  } catch (e) {
    if (!(e instanceof CheckConditionError)) throw e;
    console.log(`  ${e.name} (${e.code}): ${e.message}`);
    console.log(`  sense        ${hex(e.sense.raw, 32)}`);
    console.log(
      `  decoded      key ${e.senseKey} ${e.senseKeyName}, ASC ${e.asc.toString(16)}h ASCQ ${e.ascq.toString(16)}h: ${e.description}`,
    );
  }
  try {
    await dev.read(lba, 1);
    throw new Error(`dev.read at LBA ${lba} past the last LBA ${cap.lastLba} succeeded`);
  } catch (e) {
    if (!(e instanceof InvalidArgumentError && e.reason === 'lba-out-of-range')) throw e;
    console.log(`  ${e.name} (${e.code}, ${e.reason}): ${e.message}`);
  }
  try {
    await dev.write(0, 1, new Uint8Array(cap.blockLength));
    throw new Error('a write on a read-only open succeeded');
  } catch (e) {
    if (!(e instanceof PermissionError)) throw e;
    console.log(`  ${e.name} (${e.code}): ${e.message}`);
  }
}

if (isMain(import.meta.url)) {
  await using dev = await openDevice(deviceTarget());
  await decodeError(dev);
}
