import { join } from 'node:path';
import type { KernelSourceId } from './kernel.js';

/** A module to load in the guest, with its insmod parameters. */
export interface GuestModule {
  readonly name: string;
  readonly params?: readonly string[];
}

export interface Profile {
  readonly name: string;
  readonly description: string;
  readonly kernel: KernelSourceId;
  /** Loaded in this order after the base modules (each one's dependencies are loaded first). */
  readonly modules: readonly GuestModule[];
  /** busybox sh run in the guest after the modules are loaded, before devices are awaited. */
  readonly setup?: string;
  /** How many SCSI devices the guest waits for before it writes the manifest. */
  readonly devices: number;
  /** Extra QEMU arguments; `runDir` is the per-run scratch directory on the host. */
  readonly qemuArgs?: (runDir: string) => string[];
  /** Files to create in the run directory before boot (path relative to runDir → size in bytes). */
  readonly scratchFiles?: Readonly<Record<string, number>>;
  /**
   * 'own': only this profile's `x.<profile>.lab.test.ts` files and DEVICE_AGNOSTIC_SUITES run, not
   * the other `x.lab.test.ts` suites, which exercise a disk (READ CAPACITY, reads by LBA,
   * sg3_utils' disk tools, the transport conformance suite's READs). @default 'all'
   */
  readonly suites?: 'all' | 'own';
}

/** The `x.lab.test.ts` suites that hold for any device type (the manifest, listDevices). */
export const DEVICE_AGNOSTIC_SUITES: readonly string[] = [
  'lab/test/profiles.lab.test.ts',
  'packages/core/test/listdevices.lab.test.ts',
];

/** scsi_debug defaults from LAB.md: delay=0 and two submit queues keep QD 1 fast under TCG. */
const SD_BASE = ['delay=0', 'max_queue=128', 'submit_queues=2'];

const LIO_SETUP = `
mount -t configfs none /sys/kernel/config 2>/dev/null
# PR metadata is written under dbroot, resolved against init's root: it must exist here, or every
# PR OUT answers NOT READY while still applying the change (LAB.md).
mkdir -p /var/target/pr /var/target/alua /lio
mkdir /sys/kernel/config/target
T=/sys/kernel/config/target
truncate -s 64M /lio/disk0.img 2>/dev/null || dd if=/dev/zero of=/lio/disk0.img bs=1M count=0 seek=64 2>/dev/null
mkdir -p $T/core/fileio_0/disk0
echo "fd_dev_name=/lio/disk0.img,fd_dev_size=67108864" > $T/core/fileio_0/disk0/control
echo scsikit-lio-disk0 > $T/core/fileio_0/disk0/wwn/vpd_unit_serial
echo 1 > $T/core/fileio_0/disk0/enable
echo 1 > $T/core/fileio_0/disk0/attrib/emulate_tpu
echo 1 > $T/core/fileio_0/disk0/attrib/emulate_tpws
# Two tcm_loop targets on one backstore: two initiator ports (I_T nexuses) to one logical unit.
for i in 1 2; do
  W=naa.50014050000000a$i
  mkdir -p $T/loopback/$W/tpgt_1/lun/lun_0
  echo naa.50014050000000b$i > $T/loopback/$W/tpgt_1/nexus
  ln -s $T/core/fileio_0/disk0 $T/loopback/$W/tpgt_1/lun/lun_0/disk0
done
`;

/** Two initiator identities log in to one LIO iSCSI target over loopback: two "hosts", one LUN. */
const ISCSI_TARGET = 'iqn.2026-11.org.scsikit:lab-target';
const ISCSI_SETUP = `
mount -t configfs none /sys/kernel/config 2>/dev/null
mkdir -p /var/target/pr /var/target/alua /lio
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up
T=/sys/kernel/config/target
truncate -s 64M /lio/disk0.img 2>/dev/null || dd if=/dev/zero of=/lio/disk0.img bs=1M count=0 seek=64 2>/dev/null
mkdir -p $T/core/fileio_0/disk0
echo "fd_dev_name=/lio/disk0.img,fd_dev_size=67108864" > $T/core/fileio_0/disk0/control
echo scsikit-iscsi-disk0 > $T/core/fileio_0/disk0/wwn/vpd_unit_serial
echo 1 > $T/core/fileio_0/disk0/enable
echo 1 > $T/core/fileio_0/disk0/attrib/emulate_tpu
echo 1 > $T/core/fileio_0/disk0/attrib/emulate_tpws
G=$T/iscsi/${ISCSI_TARGET}/tpgt_1
mkdir -p $G/lun/lun_0 || fail "no LIO iSCSI target (iscsi_target_mod)"
ln -s $T/core/fileio_0/disk0 $G/lun/lun_0/disk0
# Two portals: open-iscsi keys a session by target, portal and iface, so the second identity logs
# in through the second portal (one session per portal, both to the same TPG and LUN).
mkdir $G/np/127.0.0.1:3260 || fail "iSCSI portal 127.0.0.1:3260"
mkdir $G/np/127.0.0.1:3261 || fail "iSCSI portal 127.0.0.1:3261"
# Any initiator may log in (demo mode), without CHAP, and may write.
echo 1 > $G/attrib/generate_node_acls
echo 1 > $G/attrib/cache_dynamic_acls
echo 0 > $G/attrib/demo_mode_write_protect
echo 0 > $G/attrib/authentication
echo 1 > $G/enable
# Debian's open-iscsi (iscsistart: login without a running iscsid), once per initiator identity.
for n in a:3260 b:3261; do
  chroot /mnt /sbin/iscsistart -i iqn.2026-11.org.scsikit:node-\${n%%:*} -t ${ISCSI_TARGET} -g 1 -a 127.0.0.1 -p \${n##*:} >/dev/ttyS0 2>&1 || fail "iscsistart $n"
done
`;

export const PROFILES: Readonly<Record<string, Profile>> = {
  default: {
    name: 'default',
    description: 'one scsi_debug disk, 256 MiB, delay 0',
    kernel: 'current',
    modules: [{ name: 'scsi_debug', params: ['dev_size_mb=256', ...SD_BASE] }],
    devices: 1,
  },
  shallow: {
    name: 'shallow',
    description:
      'one scsi_debug disk with only 16 tags (max_queue=16): the per-device depth cap against the io-wq punt',
    kernel: 'current',
    modules: [
      { name: 'scsi_debug', params: ['dev_size_mb=256', 'delay=0', 'max_queue=16', 'submit_queues=2'] },
    ],
    devices: 1,
  },
  multi: {
    name: 'multi',
    description: 'four scsi_debug LUNs: 2 targets × 2 LUNs, 64 MiB each',
    kernel: 'current',
    modules: [{ name: 'scsi_debug', params: ['dev_size_mb=64', 'num_tgts=2', 'max_luns=2', ...SD_BASE] }],
    devices: 4,
  },
  zoned: {
    name: 'zoned',
    description: 'a host-managed ZBC scsi_debug disk: 4 MiB zones, one conventional',
    kernel: 'current',
    modules: [
      {
        name: 'scsi_debug',
        params: ['dev_size_mb=128', 'zbc=host-managed', 'zone_size_mb=4', 'zone_nr_conv=1', ...SD_BASE],
      },
    ],
    devices: 1,
  },
  thin: {
    name: 'thin',
    description: 'a thin-provisioned scsi_debug disk (UNMAP, WRITE SAME with UNMAP, LBPRZ)',
    kernel: 'current',
    modules: [
      { name: 'scsi_debug', params: ['dev_size_mb=256', 'lbpu=1', 'lbpws=1', 'lbprz=1', ...SD_BASE] },
    ],
    devices: 1,
  },
  '4k': {
    name: '4k',
    description: 'a scsi_debug disk with 4096-byte logical blocks',
    kernel: 'current',
    modules: [{ name: 'scsi_debug', params: ['dev_size_mb=256', 'sector_size=4096', ...SD_BASE] }],
    devices: 1,
  },
  'qemu-disk': {
    name: 'qemu-disk',
    description: "QEMU's own scsi-hd over virtio-scsi on a 64 MiB raw file",
    kernel: 'current',
    modules: [{ name: 'virtio_scsi' }],
    devices: 1,
    scratchFiles: { 'qemu-disk.img': 64 * 1024 * 1024 },
    qemuArgs: (runDir) => [
      '-device',
      'virtio-scsi-pci,id=vs0',
      '-drive',
      `file=${join(runDir, 'qemu-disk.img')},if=none,id=d0,format=raw,cache=unsafe`,
      '-device',
      'scsi-hd,drive=d0,bus=vs0.0,serial=scsikit-qemu0,wwn=0x5000c50015ea71ac',
    ],
  },
  sata: {
    name: 'sata',
    description:
      "a SATA disk on QEMU's AHCI controller behind libata's SCSI-ATA translation (SAT: ATA PASS-THROUGH, IDENTIFY, SMART)",
    kernel: 'current',
    modules: [{ name: 'ahci' }],
    devices: 1,
    scratchFiles: { 'sata-disk.img': 64 * 1024 * 1024 },
    qemuArgs: (runDir) => [
      '-device',
      'ahci,id=ahci0',
      '-drive',
      `file=${join(runDir, 'sata-disk.img')},if=none,id=s0,format=raw,cache=unsafe`,
      '-device',
      'ide-hd,drive=s0,bus=ahci0.0,serial=scsikit-sata0,model=SCSIKIT SATA DISK,wwn=0x5000c500a1b2c3d4',
    ],
  },
  lio: {
    name: 'lio',
    description: 'a LIO fileio LUN (64 MiB, persistent reservations) seen through two tcm_loop ports',
    kernel: 'current',
    modules: [
      { name: 'configfs' },
      { name: 'target_core_mod' },
      { name: 'target_core_file' },
      { name: 'tcm_loop' },
    ],
    setup: LIO_SETUP,
    devices: 2,
  },
  iscsi: {
    name: 'iscsi',
    description:
      "one LIO fileio LUN exported over iSCSI on loopback and logged into by two initiator names (Debian's open-iscsi): two sessions to one LUN",
    kernel: 'current',
    modules: [
      { name: 'configfs' },
      { name: 'target_core_mod' },
      { name: 'target_core_file' },
      { name: 'iscsi_target_mod' },
      { name: 'iscsi_tcp' },
    ],
    setup: ISCSI_SETUP,
    devices: 2,
  },
  tape: {
    name: 'tape',
    description:
      'a scsi_debug tape drive (ptype=1, SSC: READ/WRITE(6), filemarks, SPACE, LOCATE, READ POSITION), through sg/bsg only (st is not loaded)',
    kernel: 'current',
    // st.ko is left out on purpose: the SDK drives the tape through bsg, and st would send its own
    // commands (TEST UNIT READY, MODE SENSE, READ BLOCK LIMITS) at probe time and own the position.
    modules: [{ name: 'scsi_debug', params: ['ptype=1', 'dev_size_mb=16', ...SD_BASE] }],
    devices: 1,
    suites: 'own',
  },
  legacy: {
    name: 'legacy',
    description:
      "one scsi_debug disk on Debian bookworm's stock 6.1 kernel (no io_uring BSG passthrough: the SG_IO fallback)",
    kernel: 'legacy',
    modules: [{ name: 'scsi_debug', params: ['dev_size_mb=256', ...SD_BASE] }],
    devices: 1,
  },
};

export function getProfile(name: string): Profile {
  const p = PROFILES[name];
  if (p === undefined) {
    throw new Error(`unknown lab profile "${name}"; known: ${Object.keys(PROFILES).join(', ')}`);
  }
  return p;
}

/** Modules every guest needs: the 9p host share and the SCSI upper-level drivers. */
export const BASE_MODULES: readonly string[] = ['9pnet_virtio', '9p', 'sd_mod', 'sg'];

/**
 * Loaded first when the kernel has them as modules, skipped when built in (absent from modules.dep):
 * bookworm's 6.1 builds the virtio PCI transport as a module, without which no virtio device — the
 * 9p shares included — appears; trixie's 7.x builds it in.
 */
export const BASE_MODULES_IF_MODULAR: readonly string[] = ['virtio_pci'];
