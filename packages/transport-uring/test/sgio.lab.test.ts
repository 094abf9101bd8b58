import { existsSync, writeFileSync } from 'node:fs';
import { type LabDevice, readLabManifest } from '@scsikit/lab';
import type { ScsiCommand } from '@scsikit/transport';
import { describeTransportConformance } from '@scsikit/transport/conformance';
import { describe } from 'vitest';
import { SgioTransport } from '../src/sgio-transport.js';

// The SG_IO fallback against every device of every profile (the legacy 6.1 kernel included): v3 on
// each device's /dev/sgN, v4 on the first device's /dev/bsg node.
const manifest = readLabManifest();

/** The QEMU TCG guest runs JavaScript 10–16× slower than the host. */
const TIME_SCALE = 10;

/** SYNCHRONIZE CACHE(10): no data, harmless, and nothing else in the suite sends it. */
const SYNC_CACHE_10 = new Uint8Array([0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

/** scsi_debug's per-device error injection (debugfs; absent on the legacy 6.1 kernel). */
const errorRules = (d: LabDevice) => `/sys/kernel/debug/scsi_debug/${d.hctl}/error`;

/** Drops (never completes) the next SYNCHRONIZE CACHE(10) on `device`: it ends in the kernel's timeout. */
function dropNextSyncCache(device: LabDevice): ScsiCommand {
  writeFileSync(errorRules(device), '0 -1 0x35\n');
  return { cdb: SYNC_CACHE_10, direction: 'none' };
}

/**
 * A stuck command holds a libuv threadpool thread (4 by default) until the kernel times it out, and
 * that timeout sends the whole SCSI host into error handling: only the first scsi_debug device gets
 * the stuck-command hook, so the other suites keep their threads and their host. Theirs skip visibly.
 */
const stuckDevice = manifest.devices.find((d) => d.kind === 'scsi_debug' && existsSync(errorRules(d)));

function suite(path: string, device: LabDevice, stuck: boolean): void {
  const version = path.startsWith('/dev/sg') ? 3 : 4;
  describeTransportConformance(`sgio v${version} on ${device.kind} ${device.hctl} (${path})`, {
    open: () => SgioTransport.open(path),
    timeScale: TIME_SCALE,
    ...(stuck ? { stuckCommand: () => dropNextSyncCache(device) } : {}),
  });
}

describe(`SG_IO fallback, lab profile "${manifest.profile}" (${manifest.kernel})`, () => {
  for (const device of manifest.devices) suite(device.sg, device, device === stuckDevice);
  const first = manifest.devices[0];
  // v4 clamps timeouts to ≥ 7 s and may wait up to 6× that: no stuck commands on this one.
  if (first !== undefined) suite(first.bsg, first, false);
});
