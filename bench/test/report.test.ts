import { describe, expect, it } from 'vitest';
import {
  aggregate,
  type BenchReport,
  type Measurement,
  type Method,
  type Side,
  type Workload,
} from '../src/model.js';
import { parseOptions } from '../src/options.js';
import {
  buildReport,
  computeRatios,
  computeTargets,
  findRow,
  formatReport,
  formatTable,
  formatTargets,
} from '../src/report.js';
import type { RssVerdict } from '../src/stats.js';

function m(
  workload: Workload,
  side: Side,
  method: Method,
  o: { qd?: number; batch?: number; ops?: number; mean?: number | undefined; round?: number; mb?: number },
): Measurement {
  const ops = o.ops ?? 1000;
  return {
    workload,
    side,
    method,
    qd: o.qd ?? 1,
    batch: o.batch ?? 1,
    bs: workload === 'inquiry' ? 96 : 4096,
    round: o.round ?? 1,
    count: ops,
    elapsedNs: 1e9,
    opsPerSec: ops,
    mbPerSec: o.mb ?? (ops * 4096) / 1e6,
    lat: { samples: 10, mean: o.mean ?? 1e9 / ops, p50: o.mean ?? 1e9 / ops, p99: 2 * (o.mean ?? 1e9 / ops) },
  };
}

describe('aggregate', () => {
  it('takes the median of each statistic over the rounds of one path', () => {
    const rows = aggregate([
      m('randread', 'c', 'uring', { qd: 32, ops: 100, round: 1 }),
      m('randread', 'c', 'uring', { qd: 32, ops: 300, round: 2 }),
      m('randread', 'c', 'uring', { qd: 32, ops: 200, round: 3 }),
      m('randread', 'c', 'uring', { qd: 8, ops: 50 }),
    ]);
    expect(rows).toHaveLength(2);
    const r = findRow(rows, { workload: 'randread', side: 'c', method: 'uring', qd: 32 });
    expect(r?.opsPerSec).toBe(200);
    expect(r?.rounds).toBe(3);
    expect(r?.label).toBe('C bsg io_uring');
  });
});

const sample = [
  m('inquiry', 'c', 'sgv4', { mean: 100_000 }),
  m('inquiry', 'c', 'uring', { batch: 64, mean: 40_000 }),
  m('inquiry', 'scsikit', 'uring', { batch: 64, mean: 60_000 }),
  m('inquiry', 'scsikit', 'sgv4', { mean: 150_000 }),
  ...[1, 32].flatMap((qd) => [
    m('randread', 'c', 'uring', { qd, ops: qd === 1 ? 40_000 : 60_000, mean: qd === 1 ? 25_000 : undefined }),
    m('randread', 'c', 'uring-fixed', { qd, ops: 64_000 }),
    m('randread', 'fio', 'fio-io_uring', { qd, ops: 36_000 }),
    m('randread', 'fio', 'fio-sg', { qd, ops: 20_000 }),
    m('randread', 'scsikit', 'uring', {
      qd,
      ops: qd === 1 ? 30_000 : 45_000,
      mean: qd === 1 ? 33_000 : undefined,
    }),
    m('randread', 'scsikit', 'uring-fixed', { qd, ops: 54_000 }),
    m('randread', 'scsikit', 'sgv3', { qd, ops: 12_000 }),
  ]),
  m('inquiry', 'scsikit', 'batch-api', { batch: 64, mean: 50_000 }),
  m('randread', 'scsikit', 'floor', { qd: 1, ops: 45_000, mean: 22_000 }),
  m('nop', 'c', 'nop', { batch: 64, ops: 12_000_000 }),
  m('nop', 'scsikit', 'nop', { batch: 64, ops: 3_000_000 }),
  m('nop', 'scsikit', 'batch-api', { batch: 64, ops: 6_000_000 }),
];

describe('computeRatios', () => {
  const rows = aggregate(sample);
  const ratios = computeRatios(rows);
  const get = (group: RegExp, name: string) =>
    ratios.find((r) => group.test(r.group) && r.name === name)?.value;

  it('pairs scsikit with the C ceiling on the same interface', () => {
    expect(get(/^INQUIRY/u, 'scsikit / C, uring batch 64')).toBeCloseTo(1.5);
    expect(get(/^INQUIRY/u, 'scsikit / C, sgv4')).toBeCloseTo(1.5);
    expect(get(/QD 32 \(IOPS/u, 'scsikit / C, io_uring')).toBeCloseTo(0.75);
    expect(get(/QD 32 \(IOPS/u, 'scsikit / C, io_uring fixed buffers')).toBeCloseTo(54 / 64);
  });

  it('compares with the best fio engine and with SG_IO', () => {
    expect(get(/QD 32 \(IOPS/u, 'scsikit best io_uring / best fio')).toBeCloseTo(54 / 36);
    expect(get(/QD 32 \(IOPS/u, 'scsikit io_uring / scsikit SG_IO')).toBeCloseTo(45 / 12);
    expect(get(/QD 1 \(mean latency/u, 'scsikit / C, io_uring')).toBeCloseTo(33 / 25);
    expect(get(/QD 1 \(mean latency/u, 'scsikit / native floor')).toBeCloseTo(33 / 22);
    expect(get(/QD 1 \(mean latency/u, 'C io_uring / native floor')).toBeCloseTo(25 / 22);
    expect(get(/^INQUIRY/u, 'scsikit executeBatch 64 / C io_uring batch 64')).toBeCloseTo(50 / 40);
    expect(get(/^INQUIRY/u, 'scsikit executeBatch 64 / C SG_IO v4')).toBeCloseTo(0.5);
    expect(get(/^INQUIRY/u, 'scsikit io_uring batch 64 / C SG_IO v4')).toBeCloseTo(0.6);
    expect(get(/^Host NOP/u, 'JS API / C loop, batch 64')).toBeCloseTo(0.25);
  });

  it('leaves out ratios whose rows were not measured', () => {
    expect(ratios.some((r) => r.group.includes('sequential'))).toBe(false);
    expect(get(/QD 1 \(IOPS/u, 'C io_uring / C SG_IO v4')).toBeUndefined();
  });
});

describe('computeTargets', () => {
  const flat: RssVerdict = {
    commands: 1e6,
    warmRssBytes: 1e8,
    endRssBytes: 1.01e8,
    drift: 0.01,
    maxDeviation: 0.02,
    flat: true,
    samples: [],
  };
  const targets = computeTargets(aggregate(sample), [{ name: '1M reads', verdict: flat }]);
  const t = (re: RegExp) => targets.find((x) => re.test(x.name));

  it('judges each goal of issue #20 on the figures of the same run', () => {
    // QD 1: scsikit 33 µs over a 25 µs floor; C 25 µs on the same ratio.
    expect(t(/^QD 1, Device.read mean latency \/ native floor/u)).toMatchObject({ met: false });
    expect(t(/^QD 1, Device.read/u)?.value).toBeCloseTo(33 / 22);
    expect(t(/^QD 1, Device.read/u)?.ceiling).toBeCloseTo(25 / 22);
    expect(t(/^QD 1, scsikit io_uring \/ best fio/u)).toMatchObject({ met: true });
    expect(t(/^QD 1, scsikit io_uring \/ best fio/u)?.value).toBeCloseTo(54 / 36);
    expect(t(/QD ≥ 8, scsikit io_uring \/ best fio/u)?.display).toBe('QD32 1.25×');
    expect(t(/QD ≥ 8, scsikit io_uring \/ best fio/u)?.met).toBe(true);
    expect(t(/QD ≥ 8, scsikit io_uring fixed buffers/u)?.value).toBeCloseTo(54 / 36);
    expect(t(/executeBatch \/ C io_uring batch 64/u)).toMatchObject({ met: true, ceiling: 1 });
    expect(t(/executeBatch \/ C io_uring batch 64/u)?.value).toBeCloseTo(50 / 40);
    expect(t(/executeBatch \/ C bsg v4 SG_IO/u)?.value).toBeCloseTo(0.5);
    expect(t(/scsikit io_uring \/ scsikit SG_IO/u)).toMatchObject({ met: true });
    expect(t(/commands\/s/u)).toMatchObject({ value: 6_000_000, met: true });
    expect(t(/Host NOP batch 64, time per command JS \(NopQueue.nop\(\)/u)).toMatchObject({
      value: 4,
      met: false,
    });
    expect(t(/Host NOP batch 64, time per command JS \(NopQueue.nops/u)).toMatchObject({
      value: 2,
      met: true,
    });
    expect(t(/RSS flat across 1M reads/u)).toMatchObject({ met: true });
  });

  it('puts the C reference on the same ratio beside each goal', () => {
    // C io_uring batch 64 / C SG_IO v4 and the worst deep QD of C / best fio.
    expect(t(/executeBatch \/ C bsg v4 SG_IO/u)?.ceiling).toBeCloseTo(0.4);
    expect(t(/QD ≥ 8, scsikit io_uring \/ best fio/u)?.ceiling).toBeCloseTo(60_000 / 36_000);
    expect(t(/QD ≥ 8, scsikit io_uring fixed buffers/u)?.ceiling).toBeCloseTo(64_000 / 36_000);
    expect(formatTargets(targets)).toContain('0.40×');
  });

  it('says "not measured" rather than failing a goal without data', () => {
    const none = computeTargets([], []);
    expect(
      none.every(
        (x) => x.met === null && x.value === null && x.ceiling === null && x.display === 'not measured',
      ),
    ).toBe(true);
  });
});

describe('the table', () => {
  it('aligns columns', () => {
    const t = formatTable(
      ['a', 'b'],
      [
        ['long name', '1'],
        ['x', '100'],
      ],
    ).split('\n');
    expect(t[0]).toBe('a            b');
    expect(t[2]).toBe('long name    1');
    expect(t[3]).toBe('x          100');
  });

  it('renders every section of a report, the host part included', () => {
    const rows = aggregate(sample);
    const lab = rows.filter((r) => r.workload !== 'nop');
    const hostRows = rows.filter((r) => r.workload === 'nop');
    const base = {
      version: 1 as const,
      startedAt: '2026-11-23T00:00:00.000Z',
      finishedAt: '2026-11-23T00:10:00.000Z',
      mode: 'quick' as const,
      config: {},
      measurements: [],
      memory: [],
    };
    const report: BenchReport = {
      ...base,
      environment: { where: 'lab', kernel: '7.3.4', node: 'v20', notes: ['a note'] },
      rows: lab,
      ratios: computeRatios(lab),
      targets: computeTargets(rows, []),
      host: {
        ...base,
        environment: { where: 'host', kernel: '6.18', node: 'v20', notes: [] },
        rows: hostRows,
        ratios: computeRatios(hostRows),
        targets: [],
      },
    };
    const text = formatReport(report);
    for (const s of [
      'INQUIRY (96 bytes)',
      '4 KiB random reads',
      'Host NOP path',
      'Ratios (same run)',
      'Targets',
      'note: a note',
    ]) {
      expect(text).toContain(s);
    }
    expect(text).toContain('JS API / C loop, batch 64');
  });
});

describe('buildReport', () => {
  const cfg = parseOptions(['--quick'], '/r');
  if (cfg === 'help') throw new Error('unexpected help');
  const env = { where: 'lab' as const, kernel: '7.3.4', node: 'v20', notes: [] };

  it('merges the host part: its rows count towards the targets, failures become notes', () => {
    const host = buildReport(
      { ...cfg, hostOnly: true },
      new Date('2026-11-23T00:00:00Z'),
      { measurements: sample.filter((x) => x.workload === 'nop'), failures: [], memory: [] },
      { ...env, where: 'host' },
      undefined,
    );
    const lab = buildReport(
      cfg,
      new Date('2026-11-23T00:01:00Z'),
      {
        measurements: sample.filter((x) => x.workload !== 'nop'),
        failures: ['randread round 1: x: boom'],
        memory: [],
      },
      env,
      host,
    );
    expect(lab.rows.some((r) => r.workload === 'nop')).toBe(false);
    expect(lab.host?.rows.some((r) => r.workload === 'nop')).toBe(true);
    expect(lab.targets.find((t) => t.name.startsWith('Host NOP batch 64'))?.value).toBeCloseTo(4);
    expect(lab.environment.notes).toContain('FAILED randread round 1: x: boom');
    expect(lab.config.only).toEqual(['inquiry', 'randread', 'seqread', 'memory']);
    // What --json prints and the results file holds must survive a round trip.
    expect(JSON.parse(JSON.stringify(lab))).toEqual(lab);
  });
});
