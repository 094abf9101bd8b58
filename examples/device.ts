// Shared by the examples: which device to use (the command line, or the lab's first disk).
import { inLab, readLabManifest } from '@scsikit/lab';

/** The device named on the command line (any form `openDevice` accepts), else the lab's first disk. */
export function deviceTarget(argv = process.argv.slice(2)): string {
  const given = argv.find((a) => !a.startsWith('-'));
  if (given !== undefined) return given;
  if (inLab()) {
    const disk = readLabManifest().devices[0];
    if (disk !== undefined) return disk.block !== '' ? disk.block : disk.sg;
  }
  throw new Error(
    'usage: node --import tsx examples/<file>.ts DEVICE   (/dev/sdX, /dev/sgN, /dev/bsg/H:C:T:L or H:C:T:L)',
  );
}

export function isMain(url: string): boolean {
  return process.argv[1] !== undefined && url === new URL(`file://${process.argv[1]}`).href;
}

export const hex = (b: Uint8Array, n = 16) =>
  [...b.subarray(0, n)].map((x) => x.toString(16).padStart(2, '0')).join(' ');

/** One output line, label and value in aligned columns. */
export function show(label: string, value: string | number | bigint, width = 16): void {
  console.log(`  ${label.padEnd(width)} ${value}`);
}

/** A duration for people: µs below a millisecond, ms below a second, else s. */
export function duration(ms: number): string {
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}
