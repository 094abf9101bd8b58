import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function readNumber(path: string): number | undefined {
  try {
    const n = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

export interface DeviceLimits {
  /** The device's tag depth: more in flight makes the kernel punt to blocking io-wq workers. */
  readonly queueDepth: number | undefined;
  /**
   * Largest passthrough transfer: the block queue's max_hw_sectors_kb and max_segments, or for a
   * device without one (a tape, an enclosure) its host's max_sectors and sg_tablesize (LAB.md).
   */
  readonly maxTransferBytes: number | undefined;
}

/** Reads a SCSI device's limits from sysfs, given its H:C:T:L. */
export function readDeviceLimits(hctl: string, sysRoot = '/sys'): DeviceLimits {
  const dev = join(sysRoot, 'class', 'scsi_device', hctl, 'device');
  const queueDepth = readNumber(join(dev, 'queue_depth'));
  let maxTransferBytes: number | undefined;
  try {
    const block = readdirSync(join(dev, 'block'))[0];
    if (block !== undefined) {
      const q = join(dev, 'block', block, 'queue');
      const hwKb = readNumber(join(q, 'max_hw_sectors_kb'));
      maxTransferBytes = smallest(
        hwKb === undefined ? undefined : hwKb * 1024,
        segmentBytes(readNumber(join(q, 'max_segments'))),
      );
    }
  } catch {
    // No block device (a tape, an enclosure): the host's limits below.
  }
  if (maxTransferBytes === undefined) {
    const host = join(sysRoot, 'class', 'scsi_host', `host${hctl.split(':')[0]}`);
    const sectors = readNumber(join(host, 'max_sectors'));
    maxTransferBytes = smallest(
      sectors === undefined ? undefined : sectors * 512,
      segmentBytes(readNumber(join(host, 'sg_tablesize'))),
    );
  }
  return { queueDepth, maxTransferBytes };
}

/**
 * Bytes that `segments` scatter-gather entries carry for any caller buffer: one per page, less one
 * because a buffer that is not page-aligned spans one page more than its length, and one past the
 * limit makes the kernel refuse the command with -EINVAL.
 */
function segmentBytes(segments: number | undefined): number | undefined {
  return segments === undefined || segments <= 0 ? undefined : Math.max(1, segments - 1) * 4096;
}

function smallest(...limits: Array<number | undefined>): number | undefined {
  const known = limits.filter((x): x is number => x !== undefined && x > 0);
  return known.length > 0 ? Math.min(...known) : undefined;
}
