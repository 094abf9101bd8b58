import { NopQueue } from '@scsikit/transport-uring';
import { describe, expect, it } from 'vitest';
import { runHost } from '../src/host.js';
import { aggregate } from '../src/model.js';
import { parseOptions } from '../src/options.js';
import { createProgress } from '../src/progress.js';
import { computeRatios } from '../src/report.js';
import { nopRun } from '../src/scsikit.js';

// The host part end to end on a tiny budget: real NOPs through the JS API and the C loop. Only
// shapes are asserted, never speeds.
describe('host NOP part', () => {
  it('runs NopQueue.nop() one at a time and in batches', async () => {
    const q = new NopQueue(64);
    try {
      for (const batch of [1, 16]) {
        const s = await nopRun(q, batch, { seconds: 10, maxCount: 2_000 });
        expect(s.count).toBeGreaterThanOrEqual(2_000);
        expect(s.elapsedNs).toBeGreaterThan(0);
      }
    } finally {
      q.close();
    }
  });

  it('measures both sides at each batch size and checks RSS', async () => {
    const base = parseOptions(['--host-only', '--quick'], '/unused');
    if (base === 'help') throw new Error('unexpected help');
    const cfg = {
      ...base,
      rounds: 1,
      cellSeconds: 0.05,
      warmupSeconds: 0.02,
      nopBatches: [1, 8],
      nopRssCommands: 20_000,
    };
    const out = await runHost(cfg, createProgress('none'));
    expect(out.failures).toEqual([]);
    const rows = aggregate(out.measurements);
    expect(rows.map((r) => `${r.side}/${r.method}/${r.batch}`).sort()).toEqual([
      'c/nop/1',
      'c/nop/8',
      'scsikit/batch-api/8',
      'scsikit/nop/1',
      'scsikit/nop/8',
    ]);
    expect(rows.every((r) => r.opsPerSec > 0)).toBe(true);
    expect(computeRatios(rows).map((r) => r.name)).toEqual([
      'JS API / C loop, batch 1',
      'JS API / C loop, batch 8',
      'JS NopQueue.nops / C loop, batch 8',
    ]);
    expect(out.memory).toHaveLength(1);
    expect(out.memory[0]?.verdict.commands).toBeGreaterThanOrEqual(20_000);
    expect(out.memory[0]?.verdict.samples.length).toBeGreaterThanOrEqual(10);
  }, 20_000);
});
