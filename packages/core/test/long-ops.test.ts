import { EmulatedDisk } from '@scsikit/emulated-disk';
import { describe, expect, it } from 'vitest';
import { CheckConditionError, openDevice, PermissionError } from '../src/index.js';
import { fixedSense, scripted } from './helpers.js';

const GOOD = { status: 0 };

/** A device that accepts FORMAT UNIT/SANITIZE and reports progress through REQUEST SENSE. */
function progressingDisk(steps: readonly (Uint8Array | undefined)[]) {
  const disk = new EmulatedDisk({ capacity: { blocks: 1024 } });
  let i = 0;
  const t = scripted(disk, {
    4: () => GOOD,
    72: () => GOOD,
    3: () => {
      const s = steps[Math.min(i++, steps.length - 1)];
      return { status: 0, dataIn: s ?? fixedSense(0, 0, 0) };
    },
  });
  return { disk, t };
}

describe('long operations', () => {
  it('formatUnit sends IMMED and yields REQUEST SENSE progress until done', async () => {
    const { t } = progressingDisk([
      fixedSense(2, 0x04, 0x04, { progress: 0x4000 }),
      fixedSense(2, 0x04, 0x04),
      fixedSense(2, 0x04, 0x04, { progress: 0xc000 }),
      undefined,
    ]);
    const dev = await openDevice(t, { write: true });
    const op = await dev.formatUnit({ pollIntervalMs: 0 });
    const seen: number[] = [];
    for await (const pct of op) seen.push(pct);
    expect(seen).toEqual([25, 75, 100]);
    const format = t.sent.find((c) => c[0] === 0x04)!;
    expect((format[1] ?? 0) & 0x10).toBe(0x10); // FMTDATA: the header carries IMMED
  });

  it('sanitize with wait: no IMMED, a long timeout, already complete', async () => {
    const { t } = progressingDisk([undefined]);
    const dev = await openDevice(t, { write: true });
    const op = await dev.sanitize({ serviceAction: 'blockErase', wait: true });
    const sanitize = t.sent.find((c) => c[0] === 0x48)!;
    expect((sanitize[1] ?? 0) & 0x80).toBe(0);
    await op.wait();
    expect(t.sent.filter((c) => c[0] === 0x03)).toHaveLength(0);
  });

  it('a failed format surfaces as CheckConditionError from the progress iterator', async () => {
    const { t } = progressingDisk([fixedSense(3, 0x31, 0x00)]);
    const dev = await openDevice(t, { write: true });
    const op = await dev.formatUnit({ pollIntervalMs: 0 });
    const e = (await op.wait().catch((x: unknown) => x)) as CheckConditionError;
    expect(e).toBeInstanceOf(CheckConditionError);
    expect(e.message).toMatch(/^FORMAT UNIT failed: MEDIUM ERROR, Medium format corrupted/);
  });

  it('sanitize is refused on a read-only device', async () => {
    const { t } = progressingDisk([undefined]);
    const dev = await openDevice(t);
    await expect(dev.sanitize({ serviceAction: 'cryptoErase' })).rejects.toBeInstanceOf(PermissionError);
    expect(t.sent).toHaveLength(0);
  });
});

describe('ATA pass-through helpers', () => {
  it('ataIdentify and ataSmartData are read-class and decode the answer', async () => {
    const disk = new EmulatedDisk({ capacity: { blocks: 1024 } });
    const identify = new Uint8Array(512);
    const model = 'SCSIKIT ATA DISK'.padEnd(40);
    for (let i = 0; i < 40; i += 2) {
      identify[54 + i] = model.charCodeAt(i + 1);
      identify[54 + i + 1] = model.charCodeAt(i);
    }
    const smart = new Uint8Array(512);
    const t = scripted(disk, {
      133: (cmd) => ({ status: 0, dataIn: (cmd.cdb[14] ?? 0) === 0xec ? identify : smart }),
    });
    const dev = await openDevice(t); // read-only: PIO data-in is allowed
    const id = await dev.ataIdentify();
    expect(id.modelNumber).toBe('SCSIKIT ATA DISK');
    const cdb = t.sent.at(-1)!;
    expect(cdb[0]).toBe(0x85);
    expect(await dev.ataSmartData()).toBeDefined();
  });
});
