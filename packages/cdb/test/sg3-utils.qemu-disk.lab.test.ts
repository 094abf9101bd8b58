// sg3_utils vs scsikit on QEMU's scsi-hd (qemu-disk profile). QEMU rejects REPORT SUPPORTED
// OPERATION CODES and LOG SENSE, so only the CDBs of those tools are compared. Lab guest only.
import { defineSg3LabSuite } from './sg3/lab-suite.js';

defineSg3LabSuite('qemu-disk', {
  kind: 'qemu-hd',
  vpdPages: [0x00, 0x83, 0xb0, 0xb1, 0xb2],
  rsoc: false,
  logPages: [],
  getLbaStatus: false,
  persistentReservations: false,
});
