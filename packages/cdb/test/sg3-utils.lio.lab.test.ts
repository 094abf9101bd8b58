// sg3_utils vs scsikit on a LIO fileio LUN (lio profile), including PERSISTENT RESERVE IN answers
// decoded by sg_persist. Lab guest only.
import { defineSg3LabSuite } from './sg3/lab-suite.js';

defineSg3LabSuite('lio', {
  kind: 'lio',
  vpdPages: [0x00, 0x80, 0x83, 0x86, 0xb0, 0xb1, 0xb2],
  rsoc: true,
  logPages: [],
  // Observed in the lab: LIO fileio answers GET LBA STATUS with ILLEGAL REQUEST, INVALID FIELD IN CDB.
  getLbaStatus: false,
  persistentReservations: true,
});
