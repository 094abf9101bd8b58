// Read, write and verify a range with fixed buffers. The main job's Device is read-only, so this opens
// the same device a second time with { write: true, fixedBuffers }, saves a scratch range near the end
// of the disk, writes a pattern there with FUA, reads it back into a caller-owned buffer, lets the
// device compare it (VERIFY with BYTCHK=1, then once more with one byte changed: MISCOMPARE), reads
// it once through a registered buffer index, and puts the original contents back.
// Destructive if interrupted: run it on a scratch disk (the lab's scsi_debug disk is one).
import diagnosticsChannel from 'node:diagnostics_channel';
import {
  CHANNELS,
  CheckConditionError,
  type CommandStartMessage,
  type Device,
  type OpenOptions,
  openDevice,
} from '@scsikit/core';
import type { FixedBufferLease } from '@scsikit/transport';
import { deviceTarget, duration, isMain, show } from './device.js';

/** Opens the device once more with these options; tests pass one that opens an EmulatedDisk. */
export type Reopen = (options: OpenOptions) => Promise<Device>;

/** At most this much per run: one VERIFY carries it all, so it must fit one command. */
const SCRATCH_BYTES = 256 * 1024;
/** Leave the last MiB alone (a backup GPT lives in the last blocks). */
const TAIL_GAP_BYTES = 1024 * 1024;
const MISCOMPARE = 0x0e;

/** Reopens by path: any Device opened by name has one. */
export function reopenByPath(dev: Device): Reopen {
  return (options) => {
    if (dev.path === undefined) {
      throw new Error('this Device was opened on a Transport: pass a Reopen that opens it writable');
    }
    return openDevice(dev.path, options);
  };
}

export async function readWriteVerify(dev: Device, reopen: Reopen = reopenByPath(dev)): Promise<void> {
  await using rw = await reopen({ write: true, fixedBuffers: { count: 2, size: SCRATCH_BYTES } });
  const cap = await rw.readCapacity();
  const limits = (await rw.supportedVpdPages()).includes(0xb0) ? await rw.blockLimits() : undefined;
  const deviceMax = limits?.maximumTransferLength ? limits.maximumTransferLength * cap.blockLength : Infinity;
  const bytes =
    Math.floor(
      Math.min(SCRATCH_BYTES, rw.transport.capabilities.maxTransferBytes, deviceMax) / cap.blockLength,
    ) * cap.blockLength;
  const blocks = bytes / cap.blockLength;
  const lba = cap.blocks - BigInt(blocks + Math.ceil(TAIL_GAP_BYTES / cap.blockLength));
  if (blocks === 0 || lba < 0n) throw new Error(`the device is too small for a ${bytes}-byte scratch range`);
  show('second open', `${rw.path ?? 'the same disk'}, writable, ${rw.kind} transport`);
  show('scratch range', `LBA ${lba}…${lba + BigInt(blocks) - 1n} (${blocks} × ${cap.blockLength} bytes)`);

  // Registered memory when the transport has a pool (io_uring, or an EmulatedDisk with fixedBuffers).
  const pool = rw.transport.pool;
  const leases: FixedBufferLease[] = [];
  const buffer = async (): Promise<Uint8Array> => {
    if (pool === undefined || pool.bufferBytes < bytes) return new Uint8Array(bytes);
    const lease = await pool.acquire(bytes);
    leases.push(lease);
    return lease.buffer;
  };
  try {
    const out = await buffer();
    const back = await buffer();
    show(
      'buffers',
      leases.length === 0
        ? 'plain Uint8Arrays (no fixed-buffer pool)'
        : `${leases.length} fixed buffers leased`,
    );
    const original = await rw.read(lba, blocks);

    fillPattern(out, lba, cap.blockLength);
    const sent = await commandsDuring(() => rw.write(lba, blocks, out, { fua: true }));
    show(
      'write + FUA',
      `${duration(sent.ms).padStart(9)} ${mbps(bytes, sent.ms)}  as ${sent.names.join(', ')}`,
    );

    const t0 = performance.now();
    const view = await rw.read(lba, blocks, { into: back });
    const readMs = performance.now() - t0;
    if (view.buffer !== back.buffer) throw new Error('read did not land in the caller buffer');
    if (!Buffer.from(view).equals(Buffer.from(out))) throw new Error('the range reads back different');
    show('read into', `${duration(readMs).padStart(9)} ${mbps(bytes, readMs)}  equal to what was written`);

    const t1 = performance.now();
    await rw.verify(lba, blocks, { data: out });
    show(
      'VERIFY BYTCHK=1',
      `${duration(performance.now() - t1).padStart(9)}  the device compared ${bytes} bytes: equal`,
    );

    const wrong = Uint8Array.from(out);
    wrong[bytes - 1] = (wrong[bytes - 1] ?? 0) ^ 0xff;
    try {
      await rw.verify(lba, blocks, { data: wrong });
      throw new Error('VERIFY accepted data that differs');
    } catch (e) {
      if (!(e instanceof CheckConditionError) || e.senseKey !== MISCOMPARE) throw e;
      show('one byte off', `${e.senseKeyName}: ${e.description}`);
    }

    const lease = leases[1];
    if (lease !== undefined) {
      // The registered buffer's index goes in the SQE: the kernel skips pinning the pages.
      lease.buffer.fill(0);
      const t2 = performance.now();
      const got = await rw.read(lba, blocks, { fixedBuffer: lease });
      const fixedMs = performance.now() - t2;
      if (!Buffer.from(got).equals(Buffer.from(out))) throw new Error('the fixed-buffer read differs');
      show(
        'fixed read',
        `${duration(fixedMs).padStart(9)} ${mbps(bytes, fixedMs)}  through registered buffer ${lease.index}`,
      );
    }

    await rw.write(lba, blocks, original);
    show('restored', `the range's original ${bytes} bytes`);
  } finally {
    for (const l of leases) l.release();
  }
}

/** Each block starts with its LBA (so misplaced blocks show), the rest a byte ramp. */
function fillPattern(buf: Uint8Array, lba: bigint, blockLength: number): void {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let b = 0; b * blockLength < buf.length; b++) {
    const at = b * blockLength;
    view.setBigUint64(at, lba + BigInt(b));
    for (let i = 8; i < blockLength; i++) buf[at + i] = (i + b) & 0xff;
  }
}

const mbps = (bytes: number, ms: number) => `${(bytes / 1048.576 / ms).toFixed(1).padStart(7)} MiB/s`;

/** Runs `fn` and names the commands it sent (diagnostics_channel): how FUA was honoured. */
async function commandsDuring(fn: () => Promise<void>): Promise<{ names: string[]; ms: number }> {
  const names: string[] = [];
  const onStart = (m: unknown) => {
    const { command, cdb } = m as CommandStartMessage;
    const fua = /^WRITE\(/.test(command) && ((cdb[1] ?? 0) & 0x08) !== 0;
    names.push(fua ? `${command} FUA` : command);
  };
  diagnosticsChannel.subscribe(CHANNELS.commandStart, onStart);
  const t0 = performance.now();
  try {
    await fn();
  } finally {
    diagnosticsChannel.unsubscribe(CHANNELS.commandStart, onStart);
  }
  return { names: [...new Set(names)], ms: performance.now() - t0 };
}

if (isMain(import.meta.url)) {
  await using dev = await openDevice(deviceTarget());
  await readWriteVerify(dev);
}
