// Runs under every lab profile: opens each manifest device every way a user can name it and calls
// the read-only methods against the real kernel stack (scsi_debug, QEMU scsi-hd, LIO…).
import { buildRead16 } from '@scsikit/cdb';
import { type LabDevice, readLabManifest } from '@scsikit/lab';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckConditionError, type Device, listDevices, openDevice, PermissionError } from '../src/index.js';

const manifest = readLabManifest();
/** The legacy profile's kernel has no io_uring BSG passthrough: 'auto' must fall back to SG_IO. */
const expectedKind = manifest.profile === 'legacy' ? 'sgio' : 'uring';

function targets(d: LabDevice): Array<[string, string]> {
  const t: Array<[string, string]> = [];
  if (d.block !== '') t.push(['block node', d.block]);
  t.push(['sg node', d.sg], ['bsg node', d.bsg], ['H:C:T:L', d.hctl]);
  return t;
}

const opened: Device[] = [];
afterAll(async () => {
  for (const d of opened) await d.close();
});

describe.each(manifest.devices.map((d) => [`${d.kind} ${d.hctl}`, d] as const))(
  `core Device on %s (${manifest.profile})`,
  (_label, lab) => {
    it.each(targets(lab))('opens by %s (%s)', async (_how, target) => {
      const dev = await openDevice(target);
      opened.push(dev);
      expect(dev.transport.kind).toBe(expectedKind);
      expect(dev.info?.hctl).toBe(lab.hctl);
      const inq = await dev.inquiry();
      expect(inq.peripheralDeviceType).toBe(lab.type);
      expect(inq.vendor?.trim()).toBe(lab.vendor.trim());
      await dev.close();
    });

    it('read-only methods: inquiry, VPD pages, capacity, read, LUNs, opcodes, caching page, log 00h', async () => {
      const dev = await openDevice(lab.block !== '' ? lab.block : lab.bsg);
      opened.push(dev);
      const inq = await dev.inquiry();
      expect(inq.product?.trim()).toBe(lab.model.trim());
      expect(inq.revision?.trim()).toBe(lab.revision.trim());
      const pages = await dev.supportedVpdPages();
      expect(pages).toContain(0x00);
      for (const page of pages) {
        if (lab.kind === 'libata' && page === 0xb9) {
          // libata lists Concurrent Positioning Ranges but refuses it for a drive without them.
          const e = await dev.vpd(page).catch((x: unknown) => x);
          expect((e as CheckConditionError).is?.(5, 0x24, 0)).toBe(true);
          continue;
        }
        const p = await dev.vpd(page);
        expect(p.pageCode, `VPD ${page.toString(16)}h`).toBe(page);
      }
      if (pages.includes(0x80)) expect((await dev.unitSerialNumber()).kind).toBe('unitSerialNumber');
      if (pages.includes(0x83))
        expect((await dev.deviceIdentification()).designators.length).toBeGreaterThan(0);
      if (pages.includes(0xb0)) expect((await dev.blockLimits()).kind).toBe('blockLimits');
      if (pages.includes(0xb1))
        expect((await dev.blockDeviceCharacteristics()).kind).toBe('blockDeviceCharacteristics');
      if (pages.includes(0xb2))
        expect((await dev.logicalBlockProvisioning()).kind).toBe('logicalBlockProvisioning');

      const cap = await dev.readCapacity();
      expect(cap.blocks).toBeGreaterThan(0n);
      expect([512, 4096]).toContain(cap.blockLength);
      const c16 = await dev.readCapacity({ use16: true });
      expect(c16.lastLba).toBe(cap.lastLba);
      const block0 = await dev.read(0, 1);
      expect(block0.length).toBe(cap.blockLength);
      // A read larger than one command can carry is split transparently.
      let big = Math.min(
        Number(cap.blocks),
        Math.ceil((2 * dev.transport.capabilities.maxTransferBytes) / cap.blockLength) + 3,
      );
      if (lab.type === 0x14) {
        // Host-managed: stay inside the first (conventional) zone; unwritten sequential zones do not read.
        const zone = (await dev.zones.reportZones({ allocationLength: 128 })).zones[0];
        if (zone !== undefined) big = Math.min(big, Number(zone.zoneLength));
      }
      expect((await dev.read(0, big)).length).toBe(big * cap.blockLength);

      expect((await dev.reportLuns()).luns.length).toBeGreaterThan(0);
      try {
        const ops = await dev.supportedOperationCodes();
        expect(ops.commands.some((c) => c.operationCode === 0x12)).toBe(true);
        expect(dev.supportsCommand(0x28)).toBe(true);
      } catch (e) {
        // QEMU's scsi-hd has no REPORT SUPPORTED OPERATION CODES (LAB.md): ILLEGAL REQUEST.
        expect(e).toBeInstanceOf(CheckConditionError);
        expect((e as CheckConditionError).senseKey).toBe(5);
        expect(lab.kind).not.toBe('scsi_debug');
      }
      const caching = await dev.cachingPage();
      expect(typeof caching.current.wce).toBe('boolean');
      if (lab.kind !== 'scsi_debug') {
        // Observed: neither LIO nor QEMU's scsi-hd has LOG SENSE (ILLEGAL REQUEST, invalid opcode).
        const e = await dev.logSense(0x00).then(
          () => expect.fail(`${lab.kind} answered LOG SENSE`),
          (x: unknown) => x,
        );
        expect(e).toBeInstanceOf(CheckConditionError);
        expect([(e as CheckConditionError).senseKey, (e as CheckConditionError).asc]).toEqual([5, 0x20]);
      } else {
        const log = await dev.logSense(0x00);
        expect(log.pageCode).toBe(0);
      }
      await dev.testUnitReady();

      const s = dev.stats();
      expect(s.succeeded).toBeGreaterThan(10);
      expect(s.latencyMs.p50).toBeGreaterThan(0);
      await dev.close();
    });

    it('a real error: reading past the end is ILLEGAL REQUEST, LBA out of range (21h)', async () => {
      const dev = await openDevice(lab.bsg);
      opened.push(dev);
      const cap = await dev.readCapacity();
      // dev.read refuses this range itself now (capacity guard); a raw CDB still reaches the device.
      const guarded = await dev.read(cap.lastLba + 1n, 1).catch((x: unknown) => x);
      expect(guarded).toMatchObject({ name: 'InvalidArgumentError', reason: 'lba-out-of-range' });
      const read = buildRead16({ lba: cap.lastLba + 1n, blocks: 1, blockLength: cap.blockLength });
      const e = (await dev.execute(read).catch((x: unknown) => x)) as CheckConditionError;
      expect(e).toBeInstanceOf(CheckConditionError);
      if (lab.kind === 'libata') {
        // libata passes the LBA to the drive unchecked; the drive's ID-not-found error comes back as
        // ABORTED COMMAND without ASC (after the default retries).
        expect([e.senseKey, e.asc, e.ascq]).toEqual([0x0b, 0, 0]);
        await dev.close();
        return;
      }
      expect(e.senseKey).toBe(5);
      expect(e.asc).toBe(0x21);
      expect(e.message).toMatch(/^READ\(16\) failed: ILLEGAL REQUEST, Logical block address out of range/);
      await dev.close();
    });

    it('the read-only guard: a write on a read-only open is a PermissionError, nothing sent', async () => {
      const dev = await openDevice(lab.hctl);
      opened.push(dev);
      const before = dev.transport.stats?.().submitted;
      const e = await dev.write(0, 1, new Uint8Array(512)).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(PermissionError);
      expect((e as PermissionError).reason).toBe('read-only');
      if (before !== undefined) expect(dev.transport.stats?.().submitted).toBe(before);
      await dev.close();
    });

    it('opens by WWN (any path to the logical unit when several lead to it)', async () => {
      const all = listDevices();
      const info = all.find((d) => d.hctl === lab.hctl);
      expect(info?.wwn, 'every lab target reports a device identification designator').toBeDefined();
      const dev = await openDevice({ wwn: info!.wwn! });
      opened.push(dev);
      const paths = all.filter((d) => d.wwn === info!.wwn).map((d) => d.hctl);
      expect(paths).toContain(dev.info?.hctl);
      await dev.close();
    });
  },
);
