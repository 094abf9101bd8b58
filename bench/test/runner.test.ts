import { describe, expect, it } from 'vitest';
import { parseOptions, UsageError } from '../src/options.js';
import { createProgress } from '../src/progress.js';
import { type Cell, jsCell, planUnits, rotate, runRounds } from '../src/runner.js';
import { driveBatches, driveQueue, lbaSource } from '../src/scsikit.js';

describe('rounds', () => {
  it('rotates the order so every path takes every position', () => {
    expect(rotate([1, 2, 3], 0)).toEqual([1, 2, 3]);
    expect(rotate([1, 2, 3], 1)).toEqual([2, 3, 1]);
    expect(rotate([1, 2, 3], 5)).toEqual([3, 1, 2]);
    expect(rotate([], 3)).toEqual([]);
  });

  it('interleaves paths, drops the warm-up round, and isolates a failing cell', async () => {
    const order: string[] = [];
    const cell = (name: string, fail = false): Cell =>
      jsCell(
        { workload: 'randread', side: 'scsikit', method: 'uring', qd: 1, batch: 1, bs: 4096, label: name },
        async (p) => {
          order.push(`${name}:${p.seconds}`);
          if (fail) throw new Error('boom');
          return { count: 10, elapsedNs: 1e9, lat: { samples: 1, mean: 1, p50: 1, p99: 1 } };
        },
      );
    const plan = {
      cells: [cell('a'), cell('b', true), cell('c')],
      rounds: 2,
      warmup: { seconds: 0.1, count: 0 },
      measure: { seconds: 1, count: 0 },
    };
    expect(planUnits(plan)).toBe(9);
    let ticks = 0;
    const progress = { ...createProgress('none'), tick: () => void ticks++ };
    const r = await runRounds(plan, progress);
    expect(order).toEqual(['a:0.1', 'b:0.1', 'c:0.1', 'c:1', 'a:1', 'c:1', 'a:1']);
    expect(r.measurements.map((m) => m.round)).toEqual([1, 1, 2, 2]);
    expect(r.measurements[0]?.opsPerSec).toBe(10);
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]).toMatch(/warm-up: b QD 1: boom/u);
    expect(ticks).toBe(9);
  });
});

describe('drivers', () => {
  it('keeps qd commands in flight and counts each once', async () => {
    let inflight = 0;
    let peak = 0;
    const s = await driveQueue(4, { seconds: 10, maxCount: 40 }, async () => {
      peak = Math.max(peak, ++inflight);
      await new Promise((r) => setImmediate(r));
      inflight--;
    });
    expect(s.count).toBe(40);
    expect(peak).toBe(4);
    expect(s.lat.samples).toBe(40);
  });

  it('issues batches in one turn and samples RSS on schedule', async () => {
    const rss: number[] = [];
    const s = await driveBatches(
      8,
      { seconds: 10, maxCount: 64, rssEvery: 16, onRss: (x) => rss.push(x.at) },
      () => Promise.resolve(),
    );
    expect(s.count).toBe(64);
    expect(s.lat.samples).toBe(8);
    expect(rss).toEqual([16, 32, 48, 64]);
  });

  it('generates aligned random and wrapping sequential LBAs', () => {
    const rand = lbaSource({ bs: 4096, blockLength: 512, lbaCount: 80, sequential: false });
    for (let i = 0; i < 100; i++) {
      const lba = rand();
      expect(lba % 8).toBe(0);
      expect(lba + 8).toBeLessThanOrEqual(80);
    }
    const seq = lbaSource({ bs: 4096, blockLength: 512, lbaCount: 20, sequential: true });
    expect([seq(), seq(), seq()]).toEqual([0, 8, 0]);
    expect(() => lbaSource({ bs: 4096, blockLength: 512, lbaCount: 4, sequential: true })).toThrow(
      RangeError,
    );
  });
});

describe('options', () => {
  it('has full and quick presets', () => {
    const full = parseOptions([], '/r');
    const quick = parseOptions(['--quick', '--json'], '/r');
    if (full === 'help' || quick === 'help') throw new Error('unexpected help');
    expect([...full.only]).toEqual(['inquiry', 'randread', 'seqread', 'memory']);
    expect(full.rounds).toBe(5);
    expect(full.memoryReads).toBe(1_000_000);
    expect(full.nopRssCommands).toBe(10_000_000);
    expect(quick.rounds).toBe(2);
    expect(quick.json).toBe(true);
    expect(quick.cellSeconds).toBeLessThan(full.cellSeconds);
  });

  it('keeps the NOP path on the host and SCSI workloads in the lab', () => {
    const host = parseOptions(['--host-only'], '/r');
    if (host === 'help') throw new Error('unexpected help');
    expect([...host.only]).toEqual(['nop', 'memory']);
    expect(() => parseOptions(['--host-only', '--only', 'randread'], '/r')).toThrow(UsageError);
    expect(() => parseOptions(['--only', 'nop'], '/r')).toThrow(UsageError);
    expect(() => parseOptions(['--only', 'bogus'], '/r')).toThrow(/unknown workload/u);
    expect(() => parseOptions(['--rounds', '0'], '/r')).toThrow(/positive integer/u);
    expect(() => parseOptions(['--frobnicate'], '/r')).toThrow(UsageError);
    expect(parseOptions(['-h'], '/r')).toBe('help');
  });
});
