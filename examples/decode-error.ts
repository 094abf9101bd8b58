// Decode a device's error: READ(16) past the last LBA ends in CHECK CONDITION; the sense data says why.
import {
  buildRead16,
  buildReadCapacity16,
  decodeReadCapacity16,
  decodeSense,
  samStatusName,
  senseSummary,
} from '@scsikit/cdb';
import { isMain, openSession, type Session } from './device.js';

export function decodeError(s: Session): void {
  const cap = decodeReadCapacity16(s.send(buildReadCapacity16()).data);
  const lba = cap.lastLba + 1000n;
  const r = s.send(buildRead16({ lba, blocks: 1, blockLength: cap.blockLength }));
  console.log(`  READ(16) at LBA ${lba} (last is ${cap.lastLba})`);
  console.log(
    `  status       0x${r.status.toString(16).padStart(2, '0')} ${samStatusName(r.status)}, host 0x${r.hostStatus.toString(16)}, driver 0x${r.driverStatus.toString(16)}`,
  );
  if (r.sense.length === 0) throw new Error('expected sense data with the CHECK CONDITION');
  const sense = decodeSense(r.sense);
  if (sense.format === 'vendor') throw new Error('the device answered in a vendor-specific sense format');
  console.log(`  sense        ${[...r.sense].map((b) => b.toString(16).padStart(2, '0')).join(' ')}`);
  console.log(
    `  decoded      ${sense.format} format, key ${sense.senseKey} ${sense.senseKeyName}, ASC ${sense.asc.toString(16)}h ASCQ ${sense.ascq.toString(16)}h`,
  );
  console.log(`  meaning      ${senseSummary(sense)}`);
}

if (isMain(import.meta.url)) {
  const s = openSession();
  try {
    decodeError(s);
  } finally {
    s.close();
  }
}
