import { existsSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { readLabManifest } from '@scsikit/lab';
import { DeviceGoneError, type ScsiCommand, TransportAbortedError } from '@scsikit/transport';
import { describe, expect, it } from 'vitest';
import { UringTransport } from '../src/index.js';

// Failures injected with scsi_debug (LAB.md "scsi_debug fault injection"), seen through io_uring.
const device = readLabManifest().devices[0]!;
const INQUIRY: ScsiCommand = {
  cdb: new Uint8Array([0x12, 0, 0, 0, 36, 0]),
  direction: 'in',
  transferLength: 36,
};
const errorRules = (hctl: string) => `/sys/kernel/debug/scsi_debug/${hctl}/error`;
/** This process's fds open on `path`. */
const fdsOn = (path: string) =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false;
    }
  }).length;
const until = async (what: string, ok: () => boolean, ms: number) => {
  for (const end = Date.now() + ms; !ok(); await new Promise((r) => setTimeout(r, 100)))
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
};

describe('injected failures over io_uring (scsi_debug)', () => {
  it('resubmits a command that comes back with host status DID_BUS_BUSY, and counts the retry', async () => {
    const t = UringTransport.open(device.bsg);
    try {
      // Complete the next INQUIRY once with host byte 0x02 (DID_BUS_BUSY), no sense.
      writeFileSync(errorRules(device.hctl), '2 -1 0x12 0x02 0x00 0x00 0x0 0x0 0x0\n');
      const r = await t.execute(INQUIRY);
      expect(r.status).toBe(0);
      expect(r.hostStatus).toBe(0);
      expect(t.stats().retried.DID_BUS_BUSY).toBe(1);
    } finally {
      await t.close();
    }
  });

  it('returns a device error (MEDIUM ERROR) as a result, not a rejection', async () => {
    const t = UringTransport.open(device.bsg);
    try {
      writeFileSync(errorRules(device.hctl), '2 -1 0x12 0x00 0x00 0x02 0x3 0x11 0x0\n');
      const r = await t.execute(INQUIRY);
      expect(r.status).toBe(0x02);
      expect(r.sense[2]! & 0x0f).toBe(0x03);
      expect(r.sense[12]).toBe(0x11);
      expect(t.stats().retried).toEqual({});
    } finally {
      await t.close();
    }
  });

  it('closing with a command still in the kernel keeps the fd until it completes, or until the ring closes', async () => {
    // scsi_debug drops the INQUIRY: the kernel holds it until its 5 s timeout and error handling.
    const held = (t: UringTransport) => {
      writeFileSync(errorRules(device.hctl), '0 -1 0x12\n');
      const abort = new AbortController();
      const p = t.execute({ ...INQUIRY, timeoutMs: 5000, signal: abort.signal });
      abort.abort();
      return expect(p).rejects.toBeInstanceOf(TransportAbortedError);
    };
    const base = fdsOn(device.bsg);
    // Another user keeps the thread's ring open: the orphan's completion closes the fd.
    const other = UringTransport.open(device.bsg);
    try {
      const t = UringTransport.open(device.bsg);
      expect(fdsOn(device.bsg)).toBe(base + 2);
      await held(t);
      await t.close();
      expect(fdsOn(device.bsg), 'open while the kernel holds the command').toBe(base + 2);
      await until('the fd closed after the command completed', () => fdsOn(device.bsg) === base + 1, 60_000);
      expect((await other.execute(INQUIRY)).status).toBe(0);
    } finally {
      await other.close();
    }
    // The ring's last user: the ring closes, and the fd with it.
    const last = UringTransport.open(device.bsg);
    await held(last);
    await last.close();
    expect(fdsOn(device.bsg)).toBe(base);
    // The dropped command is still in error handling: later suites on this disk must not wait on it.
    const busy = `/sys/class/scsi_device/${device.hctl}/device/device_busy`;
    await until(
      'the dropped INQUIRY left the device',
      () => readFileSync(busy, 'utf8').trim() === '0',
      60_000,
    );
  }, 150_000);

  it('fails fast with DeviceGoneError once the device is removed, and never resubmits', async () => {
    // A fresh scsi_debug host, so the profile's own device stays for later suites.
    const before = new Set(readdirSync('/sys/class/scsi_device'));
    writeFileSync('/sys/bus/pseudo/drivers/scsi_debug/add_host', '1\n');
    let hctl: string | undefined;
    for (let i = 0; i < 100 && hctl === undefined; i++) {
      hctl = readdirSync('/sys/class/scsi_device').find((h) => !before.has(h) && existsSync(`/dev/bsg/${h}`));
      if (hctl === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    expect(hctl).toBeDefined();
    const t = UringTransport.open(`/dev/bsg/${hctl}`);
    try {
      expect((await t.execute(INQUIRY)).status).toBe(0);
      writeFileSync(`/sys/class/scsi_device/${hctl}/device/delete`, '1\n');
      await expect(t.execute(INQUIRY)).rejects.toBeInstanceOf(DeviceGoneError);
      const submitted = t.stats().submitted;
      await expect(t.execute(INQUIRY)).rejects.toBeInstanceOf(DeviceGoneError);
      expect(t.stats().submitted).toBe(submitted);
    } finally {
      await t.close();
    }
  });
});
