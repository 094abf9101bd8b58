/**
 * @scsikit/transport-uring: the native addon and the two kernel transports, `UringTransport`
 * (io_uring BSG passthrough, Linux ≥ 7.1) and `SgioTransport` (SG_IO on the libuv threadpool).
 *
 * @module @scsikit/transport-uring
 */
export { allocateAligned } from './aligned-buffer.js';
export { type BsgCompletion, decodeBsgCompletion, encodeBsgCompletion } from './completion.js';
export { RegisteredBufferPool } from './fixed-buffer-pool.js';
export { NopQueue } from './nop.js';
export {
  DEFAULT_SENSE_BYTES,
  type Direction,
  openBsg,
  type SyncCommand,
  type SyncResult,
  UringRing,
} from './ring.js';
export { type SgioOpenOptions, SgioTransport } from './sgio-transport.js';
export { type DeviceLimits, readDeviceLimits } from './sysfs.js';
export {
  DEFAULT_RETRY_POLICY,
  type RetryPolicy,
  UringTransport,
  type UringTransportOptions,
} from './uring-transport.js';
