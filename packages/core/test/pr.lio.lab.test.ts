// Persistent reservations and fencing between two tcm_loop ports to one LIO logical unit.
import { describeReservationsBetweenTwoInitiators } from './pr-suite.js';

describeReservationsBetweenTwoInitiators({ abort: false });
