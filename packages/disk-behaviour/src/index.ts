/**
 * @scsikit/disk-behaviour: what an SBC disk must answer (SPC-5 / SBC-4), as a vitest suite any
 * Transport can run, and the verified table of where real targets answer otherwise.
 */
export { type Answer, type FieldPointerAnswer, formatAnswer, mismatches, observe } from './answers.js';
export { CASE_IDS, CASES, type CaseId, type CaseInfo } from './catalog.js';
export {
  DEVIATIONS,
  type DeviationsTable,
  deviationFor,
  REAL_TARGETS,
  type RealTargetKind,
  type RecordedAnswer,
  type TargetKind,
} from './deviations.js';
export {
  type CaseContext,
  CHECKS,
  type DiskBehaviourOptions,
  type DiskBehaviourSetup,
  type DiskTarget,
  describeDiskBehaviour,
  notApplicable,
  runCase,
} from './suite.js';
export { renderTargetsTable } from './table.js';
