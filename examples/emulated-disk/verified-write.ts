/**
 * "User code" for the emulated-disk example: a write-then-verify helper on the Device API. It is
 * what an application would write against a real disk (`openDevice('/dev/sdX', { write: true })`);
 * verified-write.test.ts tests it against `@scsikit/emulated-disk` without root or a VM.
 */
import { CheckConditionError, type Device } from '@scsikit/core';

export interface VerifiedWrite {
  /** Blocks written and read back equal. */
  readonly verified: number;
  /** Blocks whose read-back failed with MEDIUM ERROR (sense key 3), in LBA order. */
  readonly unreadable: bigint[];
}

/** Thrown when a block reads back different from what was written. */
export class VerifyMismatchError extends Error {
  override readonly name = 'VerifyMismatchError';
  constructor(readonly lba: bigint) {
    super(`block ${lba} reads back different from what was written`);
  }
}

const MEDIUM_ERROR = 0x3;

/**
 * Writes `data` at `lba`, then reads it back `chunk` blocks at a time and compares. A chunk that
 * fails with MEDIUM ERROR is re-read block by block so the bad blocks are named exactly.
 */
export async function writeVerified(
  dev: Device,
  lba: bigint,
  data: Uint8Array,
  chunk = 8,
): Promise<VerifiedWrite> {
  const { blockLength } = await dev.readCapacity();
  const blocks = data.length / blockLength;
  if (!Number.isInteger(blocks) || blocks === 0)
    throw new RangeError(`data must be whole blocks of ${blockLength} bytes`);
  await dev.write(lba, blocks, data, { fua: true });
  let verified = 0;
  const unreadable: bigint[] = [];
  const compare = (at: number, back: Uint8Array) => {
    const want = data.subarray(at * blockLength, at * blockLength + back.length);
    for (let b = 0; b < back.length / blockLength; b++) {
      const got = back.subarray(b * blockLength, (b + 1) * blockLength);
      if (!Buffer.from(got).equals(Buffer.from(want.subarray(b * blockLength, (b + 1) * blockLength))))
        throw new VerifyMismatchError(lba + BigInt(at + b));
      verified++;
    }
  };
  for (let at = 0; at < blocks; at += chunk) {
    const n = Math.min(chunk, blocks - at);
    try {
      compare(at, await dev.read(lba + BigInt(at), n));
    } catch (e) {
      if (!(e instanceof CheckConditionError) || e.senseKey !== MEDIUM_ERROR) throw e;
      for (let b = at; b < at + n; b++) {
        try {
          compare(b, await dev.read(lba + BigInt(b), 1));
        } catch (one) {
          if (!(one instanceof CheckConditionError) || one.senseKey !== MEDIUM_ERROR) throw one;
          unreadable.push(lba + BigInt(b));
        }
      }
    }
  }
  return { verified, unreadable };
}
