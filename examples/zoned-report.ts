// Zoned devices: whether the device is zoned (peripheral type 14h = host-managed, or the ZONED field
// of VPD B1h = host-aware / device-managed) and, if it reports zones, a summary of its zone table
// (REPORT ZONES). A disk that is not zoned gets the same report on an emulated host-managed disk,
// where a write then moves the first sequential zone's write pointer.
import { type Device, openDevice } from '@scsikit/core';
import { EmulatedDisk } from '@scsikit/emulated-disk';
import { deviceTarget, isMain, show } from './device.js';

const HOST_MANAGED = 0x14;
const ZONED_MODELS: Readonly<Record<number, string>> = { 1: 'host-aware', 2: 'device-managed' };

/** The zoned model, or undefined for a conventional disk. */
export async function zonedModel(dev: Device): Promise<string | undefined> {
  if ((await dev.inquiry()).peripheralDeviceType === HOST_MANAGED) return 'host-managed';
  const pages = await dev.supportedVpdPages().catch(() => [] as readonly number[]);
  if (!pages.includes(0xb1)) return undefined;
  return ZONED_MODELS[(await dev.blockDeviceCharacteristics()).zoned ?? 0];
}

/** A small host-managed disk: 16 zones of 4 MiB, the first conventional. */
export function emulatedZonedDisk(): EmulatedDisk {
  return new EmulatedDisk({
    capacity: { bytes: 64 * 1024 * 1024 },
    zoned: { zoneSize: 8192, conventionalZones: 1 },
  });
}

export async function zonedReport(dev: Device, makeDisk = emulatedZonedDisk): Promise<void> {
  const model = await zonedModel(dev);
  // A device-managed disk hides its zones: it answers like a conventional one.
  if (model !== undefined && model !== 'device-managed') {
    show('zoned', `${model} (${dev.path ?? dev.kind})`);
    await summary(dev);
    return;
  }
  show('zoned', `no (${model ?? 'conventional'}); the same report on an emulated host-managed disk:`);
  const disk = makeDisk();
  try {
    await using emu = await openDevice(disk, { write: true });
    await summary(emu);
    const seq = (await emu.zones.reportZones()).zones.find((z) => z.zoneType !== 1);
    if (seq === undefined) return;
    const { blockLength } = await emu.readCapacity();
    await emu.write(seq.zoneStartLba, 16, new Uint8Array(16 * blockLength));
    const after = (await emu.zones.reportZones({ startLba: seq.zoneStartLba })).zones[0];
    show(
      'after a write',
      `16 blocks at LBA ${seq.zoneStartLba}: ${after?.zoneConditionName}, write pointer ${after?.writePointerLba}`,
    );
  } finally {
    await disk.close();
  }
}

/** One REPORT ZONES from LBA 0: the count comes from ZONE LIST LENGTH, the rest from what fit. */
async function summary(dev: Device): Promise<void> {
  const r = await dev.zones.reportZones();
  const total = r.zoneListLength / 64;
  const zones = r.zones;
  const count = (key: (z: (typeof zones)[number]) => string) => {
    const m = new Map<string, number>();
    for (const z of zones) m.set(key(z), (m.get(key(z)) ?? 0) + 1);
    return [...m].map(([k, n]) => `${n} ${k}`).join(', ');
  };
  const sizes = new Set(zones.map((z) => z.zoneLength));
  show(
    'zones',
    `${total}${zones.length < total ? ` (${zones.length} in this answer)` : ''} (SAME: ${r.sameName})`,
  );
  show('zone size', [...sizes].map((s) => `${s} blocks`).join(', '));
  show(
    'by type',
    count((z) => z.zoneTypeName),
  );
  show(
    'by condition',
    count((z) => z.zoneConditionName),
  );
  show('maximum LBA', r.maximumLba);
  console.log(
    `  ${'start LBA'.padStart(12)} ${'length'.padStart(8)}  ${'type'.padEnd(27)} ${'condition'.padEnd(17)} write pointer`,
  );
  const shown = zones.length <= 5 ? zones : [...zones.slice(0, 4), ...zones.slice(-1)];
  for (const z of shown) {
    const wp = z.zoneType === 1 ? '-' : String(z.writePointerLba);
    console.log(
      `  ${String(z.zoneStartLba).padStart(12)} ${String(z.zoneLength).padStart(8)}  ${z.zoneTypeName.padEnd(27)} ${z.zoneConditionName.padEnd(17)} ${wp}`,
    );
    if (z === zones[3] && zones.length > 5) console.log(`  ${'…'.padStart(12)}`);
  }
}

if (isMain(import.meta.url)) {
  await using dev = await openDevice(deviceTarget());
  await zonedReport(dev);
}
