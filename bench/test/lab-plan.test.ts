import { describe, expect, it } from 'vitest';
import { labPlans, labUnits } from '../src/lab.js';
import { parseOptions } from '../src/options.js';
import { ScsikitSides } from '../src/scsikit.js';

// The lab part's cells, built without a device (devices are opened on first use only).
describe('lab plans', () => {
  const cfg = parseOptions([], '/r');
  if (cfg === 'help') throw new Error('unexpected help');
  const ctx = (fio: boolean, block = '/dev/sda') => ({
    cfg,
    nodes: { hctl: '0:0:0:0', bsg: '/dev/bsg/0:0:0:0', sg: '/dev/sg0', block, queueDepth: 128 },
    binary: '/nonexistent/scsibench',
    sides: new ScsikitSides({ bsg: '/dev/bsg/0:0:0:0', sg: '/dev/sg0' }, { count: 128, size: 131072 }),
    fio,
    blockLength: 512,
    lbaCount: 524288,
  });

  it('puts C and scsikit side by side for each INQUIRY row', () => {
    const p = labPlans(ctx(true)).inquiry;
    expect(p?.cells.map((c) => `${c.side}:${c.method}:${c.batch}`)).toEqual([
      'c:sgv3:1',
      'scsikit:sgv3:1',
      'c:sgv4:1',
      'scsikit:sgv4:1',
      'c:uring:1',
      'scsikit:uring:1',
      'c:uring:64',
      'scsikit:uring:64',
      'scsikit:batch-api:64',
    ]);
    expect(p?.measure.count).toBe(cfg.inquiryCount);
  });

  it('runs every read path at every depth, SG_IO v4 in C and the native floor at QD 1 only', () => {
    const p = labPlans(ctx(true)).randread;
    const at = (qd: number) => p?.cells.filter((c) => c.qd === qd).map((c) => `${c.side}:${c.method}`);
    expect(at(1)).toEqual([
      'c:uring',
      'c:uring-fixed',
      'c:sgv4',
      'fio:fio-io_uring',
      'fio:fio-sg',
      'scsikit:floor',
      'scsikit:uring',
      'scsikit:uring-fixed',
      'scsikit:sgv3',
    ]);
    expect(at(128)).toHaveLength(7);
    expect(p?.cells.every((c) => c.bs === 4096)).toBe(true);
    const seq = labPlans(ctx(true)).seqread;
    expect(seq?.cells.every((c) => c.bs === 131072 && c.qd === cfg.seqDepth)).toBe(true);
  });

  it('drops the fio rows without fio, and the block-layer row without a block node', () => {
    expect(labPlans(ctx(false)).randread?.cells.some((c) => c.side === 'fio')).toBe(false);
    const noBlock = labPlans(ctx(true, '')).randread?.cells.filter((c) => c.side === 'fio');
    expect(noBlock?.every((c) => c.method === 'fio-sg')).toBe(true);
  });

  it('counts progress units for every cell of every round plus the warm-up', () => {
    const plans = labPlans(ctx(true));
    const cells =
      (plans.inquiry?.cells.length ?? 0) +
      (plans.randread?.cells.length ?? 0) +
      (plans.seqread?.cells.length ?? 0);
    expect(labUnits(plans, cfg)).toBe(cells * (cfg.rounds + 1) + 20);
  });
});
