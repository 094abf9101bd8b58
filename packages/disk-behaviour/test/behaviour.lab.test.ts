// The device-behaviour suite on the lab's real targets (inside the guest only): every scsi_debug,
// QEMU scsi-hd and LIO device of the profile, opened for write. Each answer must be the standard
// one or the one recorded in src/deviations.ts for that target — the table is verified here.
import { type LabDevice, PROFILES, readLabManifest } from '@scsikit/lab';
import type { Transport } from '@scsikit/transport';
import { SgioTransport, UringTransport } from '@scsikit/transport-uring';
import { describe, it } from 'vitest';
import { type DiskTarget, describeDiskBehaviour, type TargetKind } from '../src/index.js';

const manifest = readLabManifest();
const profile = manifest.profile;
// Bookworm's 6.1 kernel has no io_uring BSG passthrough: the legacy profile goes through SG_IO.
const legacy = PROFILES[profile]?.kernel === 'legacy';

const open = async (device: LabDevice): Promise<Transport> =>
  legacy ? SgioTransport.open(device.bsg, { write: true }) : UringTransport.open(device.bsg, { write: true });

const KINDS: Readonly<Partial<Record<LabDevice['kind'], Exclude<TargetKind, 'emulated'>>>> = {
  scsi_debug: 'scsi_debug',
  'qemu-hd': 'qemu',
  lio: 'lio',
};

/** What the profile configured (lab/src/profiles.ts), so the suite can check the device reports it. */
function targetFor(device: LabDevice, kind: Exclude<TargetKind, 'emulated'>): DiskTarget {
  const common = { kind, timeScale: 10, zoned: device.type === 0x14 } as const;
  switch (kind) {
    case 'scsi_debug': {
      const thin = profile === 'thin';
      return {
        ...common,
        blockLength: profile === '4k' ? 4096 : 512,
        thin,
        vpdPages: thin ? [0x00, 0x80, 0x83, 0xb0, 0xb1, 0xb2] : [0x00, 0x80, 0x83, 0xb0, 0xb1],
      };
    }
    case 'qemu':
      // 64 MiB raw file, serial= and wwn= set; scsi-hd reports LBPME (a discard granularity) by default.
      return {
        ...common,
        blockLength: 512,
        capacityBlocks: 131_072n,
        thin: true,
        vpdPages: [0x00, 0x80, 0x83, 0xb0, 0xb1, 0xb2],
      };
    case 'lio':
      // 64 MiB fileio backstore with emulate_tpu / emulate_tpws.
      return {
        ...common,
        blockLength: 512,
        capacityBlocks: 131_072n,
        thin: true,
        vpdPages: [0x00, 0x80, 0x83, 0xb0, 0xb1, 0xb2],
      };
  }
}

const lio = manifest.devices.filter((d) => d.kind === 'lio');
let ran = 0;
for (const device of manifest.devices) {
  const kind = KINDS[device.kind];
  if (kind === undefined) continue;
  // The lio profile's two devices are two paths to one LU: run once, the second path is initiator 2.
  if (kind === 'lio' && device !== lio[0]) continue;
  const second = kind === 'lio' ? lio[1] : undefined;
  ran++;
  describeDiskBehaviour(
    `${device.hctl} ${device.vendor.trim()} ${device.model.trim()} (${profile} profile)`,
    {
      open: () => open(device),
      ...(second === undefined ? {} : { openSecond: () => open(second) }),
    },
    targetFor(device, kind),
  );
}

if (ran === 0) {
  describe('disk behaviour in the lab', () => {
    it.skip(`skipped: the ${profile} profile has no scsi_debug, QEMU scsi-hd or LIO disk`, () => {});
  });
}
