export { type BsgCompletion, decodeBsgCompletion, encodeBsgCompletion } from './completion.js';
export { loadNative, type NativeAddon, type NativeRing } from './native.js';
export {
  DEFAULT_SENSE_BYTES,
  type Direction,
  openBsg,
  type SyncCommand,
  type SyncResult,
  UringRing,
} from './ring.js';
