import { describe, expect, it } from 'vitest';
import { aggregate, type Measurement } from '../src/model.js';
import { fileStamp, iopsSeries } from '../src/output.js';
import { escapeXml, niceCeil, renderLineChart } from '../src/svg.js';

/** Every tag closed in order: enough to know a browser will parse it. */
function wellFormed(svg: string): boolean {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/gu)) {
    const [, close, name, self] = m;
    if (self === '/') continue;
    if (close === '/') {
      if (stack.pop() !== name) return false;
    } else stack.push(name as string);
  }
  return stack.length === 0;
}

describe('renderLineChart', () => {
  const spec = {
    title: 'IOPS <vs> QD & more',
    xLabel: 'queue depth',
    yLabel: 'IOPS',
    series: [
      {
        name: 'scsikit io_uring',
        points: [
          { x: 1, y: 100 },
          { x: 8, y: 400 },
          { x: 128, y: 900 },
        ],
      },
      {
        name: 'fio "sg"',
        points: [
          { x: 1, y: 80 },
          { x: 128, y: 300 },
        ],
      },
      { name: 'C SG_IO v4', points: [{ x: 1, y: 120 }] },
    ],
  };
  const svg = renderLineChart(spec);

  it('is a well-formed SVG with one line per series of two or more points', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(wellFormed(svg)).toBe(true);
    expect(svg.match(/<polyline /gu)).toHaveLength(2);
    expect(svg.match(/<circle /gu)).toHaveLength(6);
  });

  it('writes the footer lines (the targets) under the chart, growing the canvas', () => {
    const withFooter = renderLineChart({ ...spec, footer: ['met: goal A <1.3>', 'MISSED: goal B'] });
    expect(wellFormed(withFooter)).toBe(true);
    expect(withFooter).toContain('met: goal A &lt;1.3&gt;');
    expect(withFooter).toContain('MISSED: goal B');
    expect(withFooter).toContain('height="580"');
    expect(svg).toContain('height="520"');
  });

  it('escapes text', () => {
    expect(svg).toContain('IOPS &lt;vs&gt; QD &amp; more');
    expect(svg).toContain('fio &quot;sg&quot;');
    expect(escapeXml(`<'&">`)).toBe('&lt;&apos;&amp;&quot;&gt;');
  });

  it('labels each queue depth on a log axis, ticks up to a round maximum', () => {
    for (const qd of [1, 8, 128]) expect(svg).toContain(`>${qd}</text>`);
    expect(niceCeil(945)).toBe(1000);
    expect(niceCeil(1800)).toBe(2000);
    expect(niceCeil(0)).toBe(1);
  });

  it('draws no NaN coordinates from an empty chart', () => {
    const empty = renderLineChart({ ...spec, series: [] });
    expect(wellFormed(empty)).toBe(true);
    expect(empty).not.toContain('NaN');
  });
});

describe('the IOPS chart of a report', () => {
  it('has one series per path, scsikit first, points at each depth', () => {
    const m = (
      side: Measurement['side'],
      method: Measurement['method'],
      qd: number,
      ops: number,
    ): Measurement => ({
      workload: 'randread',
      side,
      method,
      qd,
      batch: 1,
      bs: 4096,
      round: 1,
      count: ops,
      elapsedNs: 1e9,
      opsPerSec: ops,
      mbPerSec: 0,
      lat: { samples: 1, mean: 1, p50: 1, p99: 1 },
    });
    const series = iopsSeries(
      aggregate([
        m('c', 'uring', 1, 10),
        m('fio', 'fio-sg', 1, 5),
        m('scsikit', 'uring', 1, 8),
        m('scsikit', 'uring', 32, 20),
      ]),
    );
    expect(series.map((s) => s.name)).toEqual([
      'scsikit io_uring',
      'C bsg io_uring',
      'fio sg (/dev/sg) (≤ 16 in flight)',
    ]);
    expect(series[0]?.points).toEqual([
      { x: 1, y: 8 },
      { x: 32, y: 20 },
    ]);
  });

  it('names files by a sortable timestamp without colons', () => {
    expect(fileStamp(new Date('2026-11-23T23:46:00.123Z'))).toBe('2026-11-23T23-46-00Z');
  });
});
