// Persistent reservations and fencing between two iSCSI sessions with different initiator names to one LIO logical unit.
import { describeReservationsBetweenTwoInitiators } from './pr-suite.js';

describeReservationsBetweenTwoInitiators({ abort: true });
