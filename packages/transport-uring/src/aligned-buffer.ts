import { InvalidCommandError } from '@scsikit/transport';
import { loadNative } from './native.js';

const MAX_ALIGNED_BYTES = 64 * 1024 * 1024;

/**
 * Zeroed, page-aligned native memory as a Uint8Array (freed with it). Up to a page, it is one
 * kernel segment wherever it lies: the `allocateBuffer` of both kernel transports.
 */
export function allocateAligned(bytes: number): Uint8Array {
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > MAX_ALIGNED_BYTES) {
    throw new InvalidCommandError(
      'bytes',
      `Expected \`bytes\` to be an integer in [1, ${MAX_ALIGNED_BYTES}], got ${String(bytes)}`,
    );
  }
  return new Uint8Array(loadNative().allocateAligned(bytes));
}
