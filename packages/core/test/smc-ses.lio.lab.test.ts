// LIO's fileio backstore answers no media changer or enclosure command (see smc-ses-suite.ts).
import { describeNoChangerNoEnclosure } from './smc-ses-suite.js';

describeNoChangerNoEnclosure('LIO fileio', [0x05, 0x20, 0x00]);
