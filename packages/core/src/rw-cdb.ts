/**
 * READ/WRITE (10) and (16) CDBs for Device's own I/O path, from values Device has already checked
 * (LBA within capacity, block count within the transfer limit, the size chosen by `#rwSize`). The
 * public builders in @scsikit/cdb validate every field of every call; on the per-command path that
 * validation cost more than the rest of `read` (a test holds these byte-equal to buildRead/buildWrite).
 */
import type { CdbSpec } from '@scsikit/cdb';

const DPO = 0x10;
const FUA = 0x08;
const NAMES = {
  read: { 10: 'READ(10)', 16: 'READ(16)' },
  write: { 10: 'WRITE(10)', 16: 'WRITE(16)' },
} as const;
const OPCODES = { read: { 10: 0x28, 16: 0x88 }, write: { 10: 0x2a, 16: 0x8a } } as const;

/**
 * @param lba below 2^32 − blocks for size 10, below 2^64 for 16; a number must be a safe integer
 * (Device passes numbers below 2^53: no BigInt on the per-command path)
 * @param blocks 1..0xffff for size 10, 1..0xffff_ffff for 16
 */
export function rwSpec(
  kind: 'read' | 'write',
  size: 10 | 16,
  lba: bigint | number,
  blocks: number,
  blockLength: number,
  dpo: boolean,
  fua: boolean,
): CdbSpec {
  const cdb = new Uint8Array(size);
  cdb[0] = OPCODES[kind][size];
  cdb[1] = (dpo ? DPO : 0) | (fua ? FUA : 0);
  if (size === 10) {
    const l = Number(lba);
    cdb[2] = l >>> 24;
    cdb[3] = (l >>> 16) & 0xff;
    cdb[4] = (l >>> 8) & 0xff;
    cdb[5] = l & 0xff;
    cdb[7] = blocks >>> 8;
    cdb[8] = blocks & 0xff;
  } else {
    const hi = typeof lba === 'number' ? Math.floor(lba / 0x1_0000_0000) : Number(lba >> 32n);
    const lo = typeof lba === 'number' ? lba >>> 0 : Number(lba & 0xffff_ffffn);
    cdb[2] = hi >>> 24;
    cdb[3] = (hi >>> 16) & 0xff;
    cdb[4] = (hi >>> 8) & 0xff;
    cdb[5] = hi & 0xff;
    cdb[6] = lo >>> 24;
    cdb[7] = (lo >>> 16) & 0xff;
    cdb[8] = (lo >>> 8) & 0xff;
    cdb[9] = lo & 0xff;
    cdb[10] = blocks >>> 24;
    cdb[11] = (blocks >>> 16) & 0xff;
    cdb[12] = (blocks >>> 8) & 0xff;
    cdb[13] = blocks & 0xff;
  }
  return {
    cdb,
    direction: kind === 'read' ? 'in' : 'out',
    transferLength: blocks * blockLength,
    name: NAMES[kind][size],
  };
}
