// scsi_debug answers no media changer or enclosure command (see smc-ses-suite.ts).
import { describeNoChangerNoEnclosure } from './smc-ses-suite.js';

describeNoChangerNoEnclosure('scsi_debug', 'good');
