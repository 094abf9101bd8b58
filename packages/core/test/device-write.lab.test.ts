// Runs under every lab profile: the write-class and maintenance methods of Device against the real
// kernel targets, each ending in either the right data or the exact typed error the target gives.
// Where targets differ, the expectation names the target (docs/targets.md has the whole table).
import { type LabDevice, readLabManifest } from '@scsikit/lab';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CheckConditionError,
  type Device,
  HostError,
  InvalidArgumentError,
  openDevice,
  PermissionError,
} from '../src/index.js';

const manifest = readLabManifest();
const disks = manifest.devices.filter((d) => d.type === 0x00 || d.type === 0x14);

/** Scratch blocks: inside the first (conventional) zone on the zoned profile. */
const LBA = 64;

function pattern(length: number, seed: number): Uint8Array {
  const b = new Uint8Array(length);
  for (let i = 0; i < length; i++) b[i] = (seed * 131 + i * 7 + (i >> 9)) & 0xff;
  return b;
}

/** Index of the first differing byte, -1 when equal (vitest's diff of large buffers exhausts the heap). */
function firstDiff(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** The CheckConditionError `p` rejects with, as [sense key, ASC, ASCQ]. */
async function senseOf(p: Promise<unknown>): Promise<[number, number, number]> {
  const e = await p.then(
    () => expect.fail('the command succeeded'),
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(CheckConditionError);
  const c = e as CheckConditionError;
  return [c.senseKey, c.asc, c.ascq];
}

const ILLEGAL_FIELD: [number, number, number] = [5, 0x24, 0];
const INVALID_OPCODE: [number, number, number] = [5, 0x20, 0];
const MISCOMPARE: [number, number, number] = [0x0e, 0x1d, 0];

const opened: Device[] = [];
afterAll(async () => {
  for (const d of opened) await d.close();
});

async function open(lab: LabDevice, write = true): Promise<Device> {
  const dev = await openDevice(lab.bsg, { write });
  opened.push(dev);
  return dev;
}

describe.each(disks.map((d) => [`${d.kind} ${d.hctl}`, d] as const))(
  `core Device write-class methods on %s (${manifest.profile})`,
  (_label, lab) => {
    it('write (with FUA) then read back, into a caller buffer, split past the maximum transfer', async () => {
      const dev = await open(lab);
      const { blockLength } = await dev.readCapacity();
      const data = pattern(4 * blockLength, 1);
      // LIO clears DPOFUA and refuses FUA (05/24/00): the Device turns it into a range flush.
      await dev.write(LBA, 4, data, { fua: true });
      expect(firstDiff(await dev.read(LBA, 4), data)).toBe(-1);
      const into = new Uint8Array(4 * blockLength + 7);
      const view = await dev.read(LBA, 4, { into, dpo: true });
      expect(view.buffer).toBe(into.buffer);
      expect(firstDiff(view, data)).toBe(-1);

      const maxBlocks = Math.floor(dev.transport.capabilities.maxTransferBytes / blockLength);
      let big = maxBlocks + 5;
      if (lab.type === 0x14) {
        // Host-managed: stay inside the conventional first zone (smaller than one transfer here).
        const zone = (await dev.zones.reportZones({ allocationLength: 128 })).zones[0];
        big = Math.min(big, Number(zone?.zoneLength ?? 0n) - (LBA + 8));
      }
      const bigData = pattern(big * blockLength, 2);
      await dev.write(LBA + 8, big, bigData);
      expect(dev.stats().commands).toBeGreaterThan(0);
      expect(firstDiff(await dev.read(LBA + 8, big), bigData)).toBe(-1);
    });

    it('verify: BYTCHK 0, BYTCHK 1 match and mismatch', async () => {
      const dev = await open(lab);
      const { blockLength } = await dev.readCapacity();
      const data = pattern(2 * blockLength, 3);
      await dev.write(LBA, 2, data);
      await dev.verify(LBA, 2);
      const other = pattern(2 * blockLength, 4);
      if (lab.kind === 'qemu-hd') {
        // QEMU's scsi-hd implements VERIFY without byte comparison only.
        expect(await senseOf(dev.verify(LBA, 2, { data }))).toEqual(ILLEGAL_FIELD);
      } else if (lab.kind === 'lio' || lab.kind === 'libata') {
        // LIO and libata (READ VERIFY SECTORS) accept BYTCHK=1 but do not compare: a mismatch passes.
        await dev.verify(LBA, 2, { data });
        await dev.verify(LBA, 2, { data: other });
      } else {
        await dev.verify(LBA, 2, { data });
        const e = await dev.verify(LBA, 2, { data: other }).catch((x: unknown) => x);
        expect(e).toBeInstanceOf(CheckConditionError);
        expect([(e as CheckConditionError).senseKey, (e as CheckConditionError).asc]).toEqual([0x0e, 0x1d]);
        expect((e as CheckConditionError).senseKeyName).toBe('MISCOMPARE');
      }
    });

    it('write same (one block replicated), then with UNMAP where the device provisions thinly', async () => {
      const dev = await open(lab);
      const { blockLength } = await dev.readCapacity();
      const block = pattern(blockLength, 5);
      if (lab.kind === 'libata') {
        // libata translates only WRITE SAME(16) with UNMAP (to TRIM), and only for a TRIM-capable drive.
        expect(await senseOf(dev.writeSame(LBA, 6, { data: block }))).toEqual(INVALID_OPCODE);
        expect(await senseOf(dev.writeSame(LBA, 6, { unmap: true }))).toEqual(INVALID_OPCODE);
        return;
      }
      await dev.writeSame(LBA, 6, { data: block });
      const back = await dev.read(LBA, 6);
      for (let i = 0; i < 6; i++)
        expect(firstDiff(back.subarray(i * blockLength, (i + 1) * blockLength), block)).toBe(-1);

      const pages = await dev.supportedVpdPages();
      const lbp = pages.includes(0xb2) ? await dev.logicalBlockProvisioning() : undefined;
      if (lab.kind === 'scsi_debug' && lbp?.lbpws !== true) {
        // scsi_debug without lbpws=1 refuses the UNMAP bit.
        expect(await senseOf(dev.writeSame(LBA, 6, { unmap: true }))).toEqual(ILLEGAL_FIELD);
      } else {
        await dev.writeSame(LBA, 6, { unmap: true });
        if (lbp?.lbprz !== undefined && lbp.lbprz > 0) {
          expect((await dev.read(LBA, 6)).every((b) => b === 0)).toBe(true);
        }
      }
    });

    it('unmap, then GET LBA STATUS reports the range (or the target has no GET LBA STATUS)', async () => {
      const dev = await open(lab);
      const { blockLength } = await dev.readCapacity();
      await dev.write(LBA, 8, pattern(8 * blockLength, 6));
      if (lab.kind === 'libata') {
        // No UNMAP in libata; the Device falls back to WRITE SAME(16) UNMAP, which QEMU's drive lacks.
        expect(await senseOf(dev.unmap({ lba: LBA, blocks: 4 }))).toEqual(INVALID_OPCODE);
        expect(await senseOf(dev.getLbaStatus(LBA))).toEqual(ILLEGAL_FIELD);
        return;
      }
      await dev.unmap([
        { lba: LBA, blocks: 4 },
        { lba: LBA + 6, blocks: 2 },
      ]);
      if (lab.kind === 'lio' || lab.kind === 'qemu-hd') {
        // Neither LIO fileio nor QEMU's scsi-hd implements GET LBA STATUS.
        expect(await senseOf(dev.getLbaStatus(LBA))).toEqual(ILLEGAL_FIELD);
        return;
      }
      const status = await dev.getLbaStatus(LBA);
      const first = status.descriptors[0];
      expect(first?.lbaStatusLogicalBlockAddress).toBe(BigInt(LBA));
      const thin = (await dev.readCapacity({ use16: true })).lbpme === true;
      // On a thin disk the unmapped blocks read back as deallocated (1); on a thick one, mapped (0).
      expect(first?.provisioningStatus).toBe(thin ? 1 : 0);
      if (thin) expect(first?.numberOfLogicalBlocks).toBe(4);
    });

    it('synchronize cache: whole device and a range with IMMED; refused on a read-only open', async () => {
      const dev = await open(lab);
      await dev.synchronizeCache();
      await dev.synchronizeCache({ lba: LBA, blocks: 8, immed: true });
      // Write-class since the registry (SBC-5 and the kernel's filter agree): the guard refuses it.
      const ro = await open(lab, false);
      const e = await ro.synchronizeCache().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(PermissionError);
      expect(e).toMatchObject({ reason: 'read-only' });
    });

    it('compare and write: match writes, mismatch is MISCOMPARE with the offset', async () => {
      const dev = await open(lab);
      const { blockLength } = await dev.readCapacity();
      const before = pattern(blockLength, 7);
      const after = pattern(blockLength, 8);
      await dev.write(LBA, 1, before);
      if (lab.kind === 'libata') {
        expect(await senseOf(dev.compareAndWrite(LBA, 1, before, after))).toEqual(INVALID_OPCODE);
        return;
      }
      if (lab.kind === 'qemu-hd') {
        // QEMU's scsi-hd has no COMPARE AND WRITE; virtio-scsi fails it as a host error.
        const e = await dev.compareAndWrite(LBA, 1, before, after).catch((x: unknown) => x);
        expect(e).toBeInstanceOf(HostError);
        return;
      }
      await dev.compareAndWrite(LBA, 1, before, after);
      expect(firstDiff(await dev.read(LBA, 1), after)).toBe(-1);
      const wrong = pattern(blockLength, 9);
      const e = (await dev
        .compareAndWrite(LBA, 1, wrong, before)
        .catch((x: unknown) => x)) as CheckConditionError;
      expect(e).toBeInstanceOf(CheckConditionError);
      expect([e.senseKey, e.asc, e.ascq]).toEqual(MISCOMPARE);
      // SBC: INFORMATION is the offset of the first miscompare; scsi_debug leaves it out.
      if (lab.kind === 'scsi_debug') expect(e.information).toBeUndefined();
      else expect(e.information).toBe(BigInt(firstDiff(wrong, after)));
      expect(firstDiff(await dev.read(LBA, 1), after)).toBe(-1);
    });

    it('mode pages: caching (WCE toggled and restored where changeable), control, all pages', async () => {
      const dev = await open(lab);
      const state = await dev.cachingPage();
      if (state.changeable.wce) {
        await dev.setWriteCache(!state.current.wce);
        expect((await dev.cachingPage()).current.wce).toBe(!state.current.wce);
        await dev.setWriteCache(state.current.wce);
        expect((await dev.cachingPage()).current.wce).toBe(state.current.wce);
      } else {
        // LIO: WCE is not changeable; the Device refuses before sending a MODE SELECT.
        const e = await dev.setWriteCache(!state.current.wce).catch((x: unknown) => x);
        expect(e).toBeInstanceOf(InvalidArgumentError);
      }
      const all = await dev.modeSense(0x3f);
      expect(all.pages.map((p) => p.pageCode)).toContain(0x08);
      if (lab.kind === 'qemu-hd') {
        // QEMU's scsi-hd has no control mode page.
        expect(await senseOf(dev.modeSense(0x0a))).toEqual(ILLEGAL_FIELD);
      } else {
        expect((await dev.modeSense(0x0a)).pages[0]?.pageCode).toBe(0x0a);
      }
    });

    it('start stop unit: a stopped scsi_debug unit is NOT READY until started', async () => {
      const dev = await open(lab);
      if (lab.kind === 'lio') {
        // LIO's fileio answers START STOP UNIT with INVALID FIELD IN CDB.
        expect(await senseOf(dev.startStopUnit({ start: true }))).toEqual(ILLEGAL_FIELD);
        return;
      }
      await dev.startStopUnit({ start: false });
      if (lab.kind === 'scsi_debug') {
        expect(await senseOf(dev.testUnitReady({ retry: false }))).toEqual([2, 0x04, 0x02]);
        expect(await senseOf(dev.read(0, 1, { retry: false }))).toEqual([2, 0x04, 0x02]);
      }
      await dev.startStopUnit({ start: true });
      await dev.testUnitReady();
      expect((await dev.read(0, 1)).length).toBeGreaterThan(0);
    });

    it('format unit and sanitize: what each target supports', async () => {
      const dev = await open(lab);
      // scsi_debug in Linux 7.3 oopses on FORMAT UNIT to a disk (partition_tape NULL dereference):
      // it is never sent to scsi_debug here.
      if (lab.kind === 'qemu-hd') {
        const op = await dev.formatUnit();
        const seen: number[] = [];
        for await (const p of op) seen.push(p);
        expect(seen.at(-1)).toBe(100);
        await dev.testUnitReady();
      } else if (lab.kind === 'lio') {
        expect(await senseOf(dev.formatUnit())).toEqual(INVALID_OPCODE);
      }
      expect(await senseOf(dev.sanitize({ serviceAction: 'blockErase' }))).toEqual(INVALID_OPCODE);
    });

    it('persistent reservations and ATA pass-through: ILLEGAL REQUEST where the target lacks them', async () => {
      const dev = await open(lab);
      if (lab.kind === 'lio') {
        const caps = await dev.pr.reportCapabilities();
        expect(caps.typeMask).toContain(5);
        expect(Array.isArray((await dev.pr.readKeys()).keys)).toBe(true);
      } else {
        expect(await senseOf(dev.pr.readKeys())).toEqual(INVALID_OPCODE);
      }
      if (lab.kind === 'libata') {
        // A real SAT layer: IDENTIFY DEVICE and SMART READ DATA reach QEMU's emulated drive.
        const id = await dev.ataIdentify();
        expect(id.serialNumber).toBe('scsikit-sata0');
        expect(id.modelNumber).toBe('SCSIKIT SATA DISK');
        expect(id.userAddressableSectors).toBe((await dev.readCapacity()).blocks);
        const smart = await dev.ataSmartData();
        expect(smart.attributes.length).toBeGreaterThan(0);
      } else {
        expect(await senseOf(dev.ataIdentify())).toEqual(INVALID_OPCODE);
      }
    });

    it('write-class methods on a read-only open are PermissionErrors and send nothing', async () => {
      const dev = await open(lab, false);
      const { blockLength } = await dev.readCapacity();
      const before = dev.transport.stats?.().submitted;
      const block = new Uint8Array(blockLength);
      const attempts: Array<() => Promise<unknown>> = [
        () => dev.write(LBA, 1, block),
        () => dev.writeSame(LBA, 1, { data: block }),
        () => dev.unmap({ lba: LBA, blocks: 1 }),
        () => dev.compareAndWrite(LBA, 1, block, block),
        () => dev.startStopUnit({ start: true }),
        () => dev.setWriteCache(true),
        () => dev.formatUnit(),
        () => dev.sanitize({ serviceAction: 'blockErase' }),
        () => dev.pr.register({ newKey: 1n }),
      ];
      for (const attempt of attempts) {
        const e = await attempt().catch((x: unknown) => x);
        expect(e).toBeInstanceOf(PermissionError);
      }
      if (before !== undefined) expect(dev.transport.stats?.().submitted).toBe(before);
    });
  },
);
