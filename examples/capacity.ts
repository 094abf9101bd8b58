// Read the capacity (READ CAPACITY(16)) and the block limits the device reports (VPD B0h).
import { type Device, openDevice } from '@scsikit/core';
import { deviceTarget, isMain } from './device.js';

export async function capacity(dev: Device): Promise<void> {
  const cap = await dev.readCapacity({ use16: true });
  console.log(`  last LBA         ${cap.lastLba}`);
  console.log(
    `  block length     ${cap.blockLength} bytes (physical ${cap.physicalBlockLength ?? cap.blockLength})`,
  );
  console.log(`  capacity         ${cap.capacityBytes} bytes (${cap.capacityBytes / 1048576n} MiB)`);
  console.log(`  thin (LBPME)     ${cap.lbpme ?? false}`);
  if ((await dev.supportedVpdPages()).includes(0xb0)) {
    const limits = await dev.blockLimits();
    console.log(`  max transfer     ${limits.maximumTransferLength ?? 'not reported'} blocks (device)`);
  }
  console.log(
    `  max transfer     ${dev.transport.capabilities.maxTransferBytes} bytes (this path, from sysfs)`,
  );
  console.log(`  queue depth      ${dev.transport.capabilities.queueDepth}`);
}

if (isMain(import.meta.url)) {
  await using dev = await openDevice(deviceTarget());
  await capacity(dev);
}
