// sg3_utils vs scsikit on scsi_debug (default profile): live -vv CDBs vs our builders, and the
// utilities' decoding of the device's answers vs our decoders. Runs inside the lab guest only.
import { defineSg3LabSuite } from './sg3/lab-suite.js';

defineSg3LabSuite('default', {
  kind: 'scsi_debug',
  vpdPages: [0x00, 0x80, 0x83, 0x86, 0xb0, 0xb1],
  rsoc: true,
  logPages: [0x00, 0x0d, 0x2f],
  getLbaStatus: true,
  persistentReservations: false,
});
