// sg3_utils vs scsikit on scsi_debug (4k profile): the same comparisons as the default profile, on a
// device whose logical blocks are 4096 bytes.
import { defineSg3LabSuite } from './sg3/lab-suite.js';

defineSg3LabSuite('4k', {
  kind: 'scsi_debug',
  vpdPages: [0x00, 0x80, 0x83, 0x86, 0xb0, 0xb1, 0xb2],
  rsoc: true,
  logPages: [0x00, 0x0d, 0x2f],
  getLbaStatus: true,
  persistentReservations: false,
});
