import { describe, expect, it } from 'vitest';
import { median, percentile, type RssSample, rssVerdict, SampleRecorder } from '../src/stats.js';

describe('percentile (nearest rank, as in scsibench.c)', () => {
  it('picks the ceil(p·n)-th smallest value', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile(xs, 100)).toBe(100);
    expect(percentile(xs, 0)).toBe(1);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBe(0);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
  });
});

describe('median', () => {
  it('takes the middle, or the mean of the middle two, ignoring non-finite values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([Number.NaN, 5])).toBe(5);
    expect(median([])).toBeNaN();
  });
});

describe('SampleRecorder', () => {
  it('keeps an exact mean and count while decimating to its capacity', () => {
    const r = new SampleRecorder(16);
    for (let i = 1; i <= 1000; i++) r.add(i);
    const s = r.summary();
    expect(r.count).toBe(1000);
    expect(s.mean).toBeCloseTo(500.5, 9);
    expect(s.samples).toBeLessThanOrEqual(16);
    expect(s.samples).toBeGreaterThanOrEqual(8);
    // The kept samples still span the run, so the percentiles are of the whole run.
    expect(s.p50).toBeGreaterThan(300);
    expect(s.p50).toBeLessThan(700);
    expect(s.p99).toBeGreaterThan(800);
  });

  it('keeps every sample below capacity', () => {
    const r = new SampleRecorder(64);
    for (const v of [5, 1, 4, 2, 3]) r.add(v);
    expect(r.summary()).toEqual({ samples: 5, mean: 3, p50: 3, p99: 5 });
  });

  it('summarises an empty run as zeros', () => {
    expect(new SampleRecorder().summary()).toEqual({ samples: 0, mean: 0, p50: 0, p99: 0 });
  });
});

describe('rssVerdict', () => {
  const run = (f: (at: number) => number): RssSample[] =>
    Array.from({ length: 100 }, (_, i) => ({ at: (i + 1) * 1000, rssBytes: f((i + 1) * 1000) }));

  it('calls a run flat when RSS settles after the warm-up', () => {
    const v = rssVerdict(run((at) => (at < 8000 ? 50e6 + at * 1000 : 60e6 + (at % 3000))));
    expect(v.flat).toBe(true);
    expect(Math.abs(v.drift)).toBeLessThan(0.01);
  });

  it('flags growth with the number of commands', () => {
    const v = rssVerdict(run((at) => 60e6 + at * 200));
    expect(v.flat).toBe(false);
    expect(v.drift).toBeGreaterThan(0.05);
    expect(v.maxDeviation).toBeGreaterThanOrEqual(v.drift);
  });

  it('needs enough samples to judge', () => {
    expect(() => rssVerdict([{ at: 1, rssBytes: 1 }])).toThrow(RangeError);
  });
});
