// Identify a device: standard INQUIRY, the VPD pages it lists, its serial number and designators.
import { type Device, openDevice } from '@scsikit/core';
import { deviceTarget, isMain } from './device.js';

export async function identify(dev: Device): Promise<void> {
  const inq = await dev.inquiry();
  console.log(`  vendor       ${inq.vendor ?? '?'}`);
  console.log(`  product      ${inq.product ?? '?'}`);
  console.log(`  revision     ${inq.revision ?? '?'}`);
  console.log(
    `  device type  ${inq.peripheralDeviceTypeName} (0x${inq.peripheralDeviceType.toString(16).padStart(2, '0')})`,
  );
  console.log(
    `  SPC version  0x${inq.version.toString(16)}, cmdque=${inq.cmdque}, tpgs=${inq.tpgs}, protect=${inq.protect}`,
  );
  const pages = await dev.supportedVpdPages();
  console.log(`  VPD pages    ${pages.map((p) => p.toString(16).padStart(2, '0')).join(' ')}`);
  if (pages.includes(0x80))
    console.log(`  serial       ${(await dev.unitSerialNumber()).productSerialNumber}`);
  if (pages.includes(0x83)) {
    for (const d of (await dev.deviceIdentification()).designators) {
      console.log(`  designator   ${d.associationName}: ${d.designatorTypeName} ${d.canonical}`);
    }
  }
}

if (isMain(import.meta.url)) {
  await using dev = await openDevice(deviceTarget());
  await identify(dev);
}
