/** Shared test helpers: a scripted transport over an EmulatedDisk, and a fake sysfs tree. */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { EmulatedDisk } from '@scsikit/emulated-disk';
import type { ScsiCommand, ScsiResult, Transport } from '@scsikit/transport';

/** An answer a scripted handler gives instead of the disk. */
export type ScriptedAnswer = Partial<ScsiResult> & { readonly dataIn?: Uint8Array };

/**
 * A Transport that forwards to `disk` except for the opcodes in `handlers`, which answer as
 * scripted (the emulated disk has no FORMAT UNIT, SANITIZE or ATA PASS-THROUGH). `sent` records
 * every CDB that reached this transport.
 */
export function scripted(
  disk: EmulatedDisk,
  handlers: Record<number, (cmd: ScsiCommand) => ScriptedAnswer | undefined>,
): Transport & { readonly sent: Uint8Array[] } {
  const sent: Uint8Array[] = [];
  return {
    kind: disk.kind,
    capabilities: disk.capabilities,
    get closed() {
      return disk.closed;
    },
    sent,
    async execute(cmd: ScsiCommand): Promise<ScsiResult> {
      sent.push(cmd.cdb.slice());
      const h = handlers[cmd.cdb[0] ?? -1];
      const a = h?.(cmd);
      if (a === undefined) return disk.execute(cmd);
      const data = a.dataIn ?? new Uint8Array(0);
      if (cmd.data !== undefined && cmd.direction === 'in') cmd.data.set(data.subarray(0, cmd.data.length));
      return {
        status: a.status ?? 0,
        hostStatus: a.hostStatus ?? 0,
        driverStatus: a.driverStatus ?? (a.sense !== undefined && a.sense.length > 0 ? 0x08 : 0),
        sense: a.sense ?? new Uint8Array(0),
        residual: a.residual ?? 0,
        data: cmd.direction === 'in' ? (cmd.data?.subarray(0, data.length) ?? data) : new Uint8Array(0),
        latencyNs: a.latencyNs ?? 1000,
      };
    },
    close: () => disk.close(),
  };
}

/** Fixed-format sense bytes. */
export function fixedSense(
  key: number,
  asc: number,
  ascq: number,
  extra: { readonly information?: number; readonly progress?: number } = {},
): Uint8Array {
  const s = new Uint8Array(18);
  s[0] = extra.information === undefined ? 0x70 : 0xf0;
  s[2] = key;
  if (extra.information !== undefined) new DataView(s.buffer).setUint32(3, extra.information);
  s[7] = 10;
  s[12] = asc;
  s[13] = ascq;
  if (extra.progress !== undefined) {
    s[15] = 0x80;
    s[16] = (extra.progress >> 8) & 0xff;
    s[17] = extra.progress & 0xff;
  }
  return s;
}

export interface FakeDevice {
  readonly hctl: string;
  readonly type?: number;
  readonly vendor?: string;
  readonly model?: string;
  readonly rev?: string;
  readonly block?: string;
  readonly sg?: string;
  readonly sectors?: number;
  readonly queueDepth?: number;
  readonly wwid?: string;
  readonly vpd83?: Uint8Array;
  readonly vpd80?: Uint8Array;
  /** Path of the host under /sys/devices, e.g. 'platform/host2/session1' or 'pseudo_0/adapter0/host0'. */
  readonly hostPath: string;
  readonly procName?: string;
}

function write(path: string, text: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

function link(target: string, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(relative(dirname(path), target), path);
}

/** Builds a sysfs + dev tree shaped like the kernel's in a temporary directory. */
export function fakeSysfs(devices: readonly FakeDevice[], extra?: (sys: string) => void) {
  const root = mkdtempSync(join(tmpdir(), 'scsikit-sysfs-'));
  const sys = join(root, 'sys');
  const dev = join(root, 'dev');
  mkdirSync(join(sys, 'class', 'scsi_device'), { recursive: true });
  mkdirSync(join(dev, 'bsg'), { recursive: true });
  for (const d of devices) {
    const [h, c, t] = d.hctl.split(':');
    const devDir = join(sys, 'devices', d.hostPath, `target${h}:${c}:${t}`, d.hctl);
    write(join(devDir, 'type'), `${d.type ?? 0}\n`);
    write(join(devDir, 'vendor'), `${(d.vendor ?? 'Linux').padEnd(8)}\n`);
    write(join(devDir, 'model'), `${(d.model ?? 'scsi_debug').padEnd(16)}\n`);
    write(join(devDir, 'rev'), `${d.rev ?? '0191'}\n`);
    write(join(devDir, 'state'), 'running\n');
    write(join(devDir, 'queue_depth'), `${d.queueDepth ?? 64}\n`);
    if (d.wwid !== undefined) write(join(devDir, 'wwid'), `${d.wwid}\n`);
    if (d.vpd83 !== undefined) write(join(devDir, 'vpd_pg83'), d.vpd83);
    if (d.vpd80 !== undefined) write(join(devDir, 'vpd_pg80'), d.vpd80);
    if (d.block !== undefined) {
      write(join(devDir, 'block', d.block, 'size'), `${d.sectors ?? 524288}\n`);
      write(join(devDir, 'block', d.block, 'queue', 'logical_block_size'), '512\n');
      write(join(dev, d.block), '');
    }
    if (d.sg !== undefined) {
      mkdirSync(join(devDir, 'scsi_generic', d.sg), { recursive: true });
      write(join(dev, d.sg), '');
    }
    mkdirSync(join(devDir, 'bsg', d.hctl), { recursive: true });
    write(join(dev, 'bsg', d.hctl), '');
    const classDir = join(devDir, 'scsi_device', d.hctl);
    mkdirSync(classDir, { recursive: true });
    link(devDir, join(classDir, 'device'));
    link(classDir, join(sys, 'class', 'scsi_device', d.hctl));
    if (d.procName !== undefined)
      write(join(sys, 'class', 'scsi_host', `host${h}`, 'proc_name'), `${d.procName}\n`);
  }
  extra?.(sys);
  return { root, sys, dev };
}
