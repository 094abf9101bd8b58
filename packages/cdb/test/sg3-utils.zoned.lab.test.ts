// sg3_utils vs scsikit on scsi_debug (zoned profile): a host-managed ZBC disk (peripheral type 14h).
import { defineSg3LabSuite } from './sg3/lab-suite.js';

defineSg3LabSuite('zoned', {
  kind: 'scsi_debug',
  vpdPages: [0x00, 0x80, 0x83, 0x86, 0xb0, 0xb1],
  rsoc: true,
  logPages: [0x00, 0x0d, 0x2f],
  getLbaStatus: false,
  persistentReservations: false,
});
