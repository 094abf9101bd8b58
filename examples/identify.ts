// Identify a device: standard INQUIRY, the unit serial number and the device identification VPD page.
import {
  buildInquiry,
  decodeDeviceIdentification,
  decodeStandardInquiry,
  decodeSupportedVpdPages,
  decodeUnitSerialNumber,
} from '@scsikit/cdb';
import { expectGood, isMain, openSession, type Session } from './device.js';

export function identify(s: Session): void {
  const std = s.send(buildInquiry());
  expectGood('INQUIRY', std);
  const inq = decodeStandardInquiry(std.data);
  console.log(`  vendor       ${inq.vendor ?? '?'}`);
  console.log(`  product      ${inq.product ?? '?'}`);
  console.log(`  revision     ${inq.revision ?? '?'}`);
  console.log(
    `  device type  ${inq.peripheralDeviceTypeName} (0x${inq.peripheralDeviceType.toString(16).padStart(2, '0')})`,
  );
  console.log(
    `  SPC version  0x${inq.version.toString(16)}, cmdque=${inq.cmdque}, tpgs=${inq.tpgs}, protect=${inq.protect}`,
  );

  const pages = s.send(buildInquiry({ evpd: true, pageCode: 0x00 }));
  expectGood('INQUIRY VPD 00h', pages);
  const supported = decodeSupportedVpdPages(pages.data).supportedPages;
  console.log(`  VPD pages    ${supported.map((p) => p.toString(16).padStart(2, '0')).join(' ')}`);
  if (supported.includes(0x80)) {
    const sn = s.send(buildInquiry({ evpd: true, pageCode: 0x80 }));
    expectGood('INQUIRY VPD 80h', sn);
    console.log(`  serial       ${decodeUnitSerialNumber(sn.data).productSerialNumber}`);
  }
  if (supported.includes(0x83)) {
    const id = s.send(buildInquiry({ evpd: true, pageCode: 0x83 }));
    expectGood('INQUIRY VPD 83h', id);
    for (const d of decodeDeviceIdentification(id.data).designators) {
      console.log(`  designator   ${d.associationName}: ${d.designatorTypeName} ${d.canonical}`);
    }
  }
}

if (isMain(import.meta.url)) {
  const s = openSession();
  try {
    identify(s);
  } finally {
    s.close();
  }
}
