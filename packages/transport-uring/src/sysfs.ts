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
  /** Largest passthrough transfer: max_hw_sectors_kb, capped by (max_segments − 1) × 4 KiB (LAB.md). */
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
      const segments = readNumber(join(q, 'max_segments'));
      const limits = [
        hwKb === undefined ? undefined : hwKb * 1024,
        // A caller's buffer need not be page-aligned, so it may span one page more than its length;
        // one segment per page, and one past max_segments makes the kernel refuse with -EINVAL.
        segments === undefined ? undefined : Math.max(1, segments - 1) * 4096,
      ];
      const known = limits.filter((x): x is number => x !== undefined);
      if (known.length > 0) maxTransferBytes = Math.min(...known);
    }
  } catch {
    // No block device (e.g. a tape or an enclosure): the caller's default applies.
  }
  return { queueDepth, maxTransferBytes };
}
