import {
  aggregate,
  type BenchReport,
  type Measurement,
  type MemoryCheck,
  type Method,
  type Ratio,
  type Row,
  type Side,
  type Target,
  type Workload,
} from './model.js';
import type { BenchConfig } from './options.js';

interface Pick {
  readonly workload: Workload;
  readonly side: Side;
  readonly method: Method;
  readonly qd?: number;
  readonly batch?: number;
}

export function findRow(rows: readonly Row[], p: Pick): Row | undefined {
  return rows.find(
    (r) =>
      r.workload === p.workload &&
      r.side === p.side &&
      r.method === p.method &&
      r.qd === (p.qd ?? 1) &&
      r.batch === (p.batch ?? 1),
  );
}

/** The faster of several rows (by operations per second); undefined when none was measured. */
function best(rows: readonly (Row | undefined)[]): Row | undefined {
  let top: Row | undefined;
  for (const r of rows) if (r !== undefined && (top === undefined || r.opsPerSec > top.opsPerSec)) top = r;
  return top;
}

function ratio(
  group: string,
  name: string,
  metric: Ratio['metric'],
  num: Row | undefined,
  den: Row | undefined,
): Ratio | undefined {
  if (num === undefined || den === undefined) return undefined;
  const pick = (r: Row) => (metric === 'ops' ? r.opsPerSec : metric === 'mb' ? r.mbPerSec : r.meanNs);
  const d = pick(den);
  if (!(d > 0)) return undefined;
  return { group, name, metric, value: pick(num) / d, numerator: num.label, denominator: den.label };
}

/** The depths a workload was run at, ascending. */
export function depthsOf(rows: readonly Row[], workload: Workload): number[] {
  return [...new Set(rows.filter((r) => r.workload === workload).map((r) => r.qd))].sort((a, b) => a - b);
}

/** The batch sizes a workload was run at, ascending. */
function batchesOf(rows: readonly Row[], workload: Workload): number[] {
  return [...new Set(rows.filter((r) => r.workload === workload).map((r) => r.batch))].sort((a, b) => a - b);
}

/**
 * Every ratio the issue asks for, between rows of the same run: scsikit / C ceiling, scsikit / fio,
 * io_uring / SG_IO. `mean` ratios are of time per command (lower is faster); `ops` and `mb` of
 * throughput (higher is faster).
 */
export function computeRatios(rows: readonly Row[]): Ratio[] {
  const out: (Ratio | undefined)[] = [];
  const inq = (side: Side, method: Method, batch = 1) =>
    findRow(rows, { workload: 'inquiry', side, method, batch });
  const g1 = 'INQUIRY (mean time per command; < 1 is faster)';
  for (const [m, b] of [
    ['sgv3', 1],
    ['sgv4', 1],
    ['uring', 1],
    ['uring', 64],
  ] as const) {
    out.push(
      ratio(
        g1,
        `scsikit / C, ${m}${b > 1 ? ` batch ${b}` : ''}`,
        'mean',
        inq('scsikit', m, b),
        inq('c', m, b),
      ),
    );
  }
  out.push(ratio(g1, 'C io_uring / C SG_IO v4', 'mean', inq('c', 'uring'), inq('c', 'sgv4')));
  out.push(ratio(g1, 'C io_uring batch 64 / C SG_IO v4', 'mean', inq('c', 'uring', 64), inq('c', 'sgv4')));
  out.push(
    ratio(g1, 'scsikit io_uring / scsikit SG_IO v4', 'mean', inq('scsikit', 'uring'), inq('scsikit', 'sgv4')),
  );
  out.push(
    ratio(
      g1,
      'scsikit io_uring batch 64 / C SG_IO v4',
      'mean',
      inq('scsikit', 'uring', 64),
      inq('c', 'sgv4'),
    ),
  );

  const api = inq('scsikit', 'batch-api', 64);
  out.push(ratio(g1, 'scsikit executeBatch 64 / C io_uring batch 64', 'mean', api, inq('c', 'uring', 64)));
  out.push(ratio(g1, 'scsikit executeBatch 64 / C SG_IO v4', 'mean', api, inq('c', 'sgv4')));
  out.push(
    ratio(
      g1,
      'scsikit executeBatch 64 / scsikit io_uring batch 64',
      'mean',
      api,
      inq('scsikit', 'uring', 64),
    ),
  );

  for (const workload of ['randread', 'seqread'] as const) {
    const metric = workload === 'seqread' ? 'mb' : 'ops';
    for (const qd of depthsOf(rows, workload)) {
      const r = (side: Side, method: Method) => findRow(rows, { workload, side, method, qd });
      const group = `${workload === 'randread' ? '4 KiB random read' : '128 KiB sequential read'}, QD ${qd} (${
        metric === 'mb' ? 'MB/s' : 'IOPS'
      }; > 1 is faster)`;
      const fio = best([r('fio', 'fio-io_uring'), r('fio', 'fio-sg')]);
      const sk = best([r('scsikit', 'uring'), r('scsikit', 'uring-fixed')]);
      out.push(ratio(group, 'scsikit / C, io_uring', metric, r('scsikit', 'uring'), r('c', 'uring')));
      out.push(
        ratio(
          group,
          'scsikit / C, io_uring fixed buffers',
          metric,
          r('scsikit', 'uring-fixed'),
          r('c', 'uring-fixed'),
        ),
      );
      out.push(ratio(group, 'scsikit best io_uring / best fio', metric, sk, fio));
      out.push(
        ratio(group, 'C io_uring / best fio', metric, best([r('c', 'uring'), r('c', 'uring-fixed')]), fio),
      );
      out.push(
        ratio(group, 'scsikit io_uring / scsikit SG_IO', metric, r('scsikit', 'uring'), r('scsikit', 'sgv3')),
      );
      out.push(ratio(group, 'C io_uring / C SG_IO v4', metric, r('c', 'uring'), r('c', 'sgv4')));
      if (workload === 'randread' && qd === 1) {
        out.push(
          ratio(
            '4 KiB random read, QD 1 (mean latency; < 1 is faster)',
            'scsikit / C, io_uring',
            'mean',
            r('scsikit', 'uring'),
            r('c', 'uring'),
          ),
        );
        const floor = r('scsikit', 'floor');
        const g = '4 KiB random read, QD 1 (mean latency; < 1 is faster)';
        out.push(ratio(g, 'scsikit / native floor', 'mean', r('scsikit', 'uring'), floor));
        out.push(ratio(g, 'C io_uring / native floor', 'mean', r('c', 'uring'), floor));
        out.push(ratio(g, 'native floor / C io_uring', 'mean', floor, r('c', 'uring')));
      }
    }
  }
  for (const batch of batchesOf(rows, 'nop')) {
    const r = (side: Side, method: Method = 'nop') => findRow(rows, { workload: 'nop', side, method, batch });
    out.push(
      ratio(
        'Host NOP (commands/s; > 1 is faster)',
        `JS API / C loop, batch ${batch}`,
        'ops',
        r('scsikit'),
        r('c'),
      ),
    );
    out.push(
      ratio(
        'Host NOP (commands/s; > 1 is faster)',
        `JS NopQueue.nops / C loop, batch ${batch}`,
        'ops',
        r('scsikit', 'batch-api'),
        r('c'),
      ),
    );
  }
  return out.filter((x): x is Ratio => x !== undefined);
}

const fmtRatio = (v: number) => `${v.toFixed(2)}×`;

function target(
  name: string,
  goal: string,
  value: number | undefined,
  ok: (v: number) => boolean,
  display?: string,
  ceiling?: number,
): Target {
  return {
    name,
    goal,
    value: value ?? null,
    display: value === undefined ? 'not measured' : (display ?? fmtRatio(value)),
    met: value === undefined ? null : ok(value),
    ceiling: ceiling ?? null,
  };
}

/**
 * The goals of issue #20 (restated from #9 for a TCG lab), each with the figure it is judged on
 * and, beside it, the C reference on the same ratio (goals, not tests: nothing fails on them).
 */
export function computeTargets(rows: readonly Row[], memory: readonly MemoryCheck[]): Target[] {
  const out: Target[] = [];
  const rr = (side: Side, method: Method, qd: number) =>
    findRow(rows, { workload: 'randread', side, method, qd });
  const fioAt = (qd: number) => best([rr('fio', 'fio-io_uring', qd), rr('fio', 'fio-sg', qd)]);
  const per = (a: Row | undefined, b: Row | undefined, metric: 'ops' | 'mean') =>
    a && b ? (metric === 'ops' ? a.opsPerSec / b.opsPerSec : a.meanNs / b.meanNs) : undefined;

  const sk1 = rr('scsikit', 'uring', 1);
  const floor = rr('scsikit', 'floor', 1);
  const c1 = rr('c', 'uring', 1);
  out.push(
    target(
      'QD 1, Device.read mean latency / native floor',
      '≤ 1.3',
      per(sk1, floor, 'mean'),
      (v) => v <= 1.3,
      undefined,
      per(c1, floor, 'mean'),
    ),
  );
  out.push(
    target(
      'QD 1, scsikit io_uring / best fio engine (IOPS)',
      '≥ 0.8',
      per(best([sk1, rr('scsikit', 'uring-fixed', 1)]), fioAt(1), 'ops'),
      (v) => v >= 0.8,
      undefined,
      per(best([c1, rr('c', 'uring-fixed', 1)]), fioAt(1), 'ops'),
    ),
  );
  const deep = depthsOf(rows, 'randread').filter((qd) => qd >= 8);
  for (const [method, what] of [
    ['uring', 'io_uring'],
    ['uring-fixed', 'io_uring fixed buffers'],
  ] as const) {
    const perQd = deep.map((qd) => ({
      qd,
      v: per(rr('scsikit', method, qd), fioAt(qd), 'ops'),
      c: per(rr('c', method, qd), fioAt(qd), 'ops'),
    }));
    const measured = perQd.filter(
      (x): x is { qd: number; v: number; c: number | undefined } => x.v !== undefined,
    );
    const cs = measured.map((x) => x.c).filter((c): c is number => c !== undefined);
    out.push(
      target(
        `QD ≥ 8, scsikit ${what} / best fio engine, every QD`,
        '≥ 1.1 at every QD',
        measured.length === 0 ? undefined : Math.min(...measured.map((x) => x.v)),
        (v) => v >= 1.1,
        measured.length === 0 ? undefined : measured.map((x) => `QD${x.qd} ${fmtRatio(x.v)}`).join(', '),
        cs.length === measured.length && cs.length > 0 ? Math.min(...cs) : undefined,
      ),
    );
  }
  const inq = (side: Side, method: Method, batch = 1) =>
    findRow(rows, { workload: 'inquiry', side, method, batch });
  const api = inq('scsikit', 'batch-api', 64);
  const c64 = inq('c', 'uring', 64);
  const v4 = inq('c', 'sgv4');
  out.push(
    target(
      'INQUIRY batch 64 via executeBatch / C io_uring batch 64 (mean)',
      '≤ 2.0',
      per(api, c64, 'mean'),
      (v) => v <= 2,
      undefined,
      c64 ? 1 : undefined,
    ),
  );
  out.push(
    target(
      'INQUIRY batch 64 via executeBatch / C bsg v4 SG_IO (mean)',
      '≤ 1.0',
      per(api, v4, 'mean'),
      (v) => v <= 1,
      undefined,
      per(c64, v4, 'mean'),
    ),
  );
  const u32 = rr('scsikit', 'uring', 32);
  const s32 = rr('scsikit', 'sgv3', 32);
  out.push(
    target(
      '4K random read QD 32, scsikit io_uring / scsikit SG_IO',
      '≥ 3.0',
      u32 && s32 ? u32.opsPerSec / s32.opsPerSec : undefined,
      (v) => v >= 3,
    ),
  );
  const nops = rows.filter((r) => r.workload === 'nop');
  const js = best(nops.filter((r) => r.side === 'scsikit'));
  out.push(
    target(
      'Host NOP through the JS API, commands/s (best batch)',
      '≥ 1,000,000',
      js?.opsPerSec,
      (v) => v >= 1_000_000,
      js === undefined
        ? undefined
        : `${Math.round(js.opsPerSec).toLocaleString('en-US')}/s (batch ${js.batch})`,
    ),
  );
  const nop64 = (side: Side, method: Method = 'nop') =>
    findRow(rows, { workload: 'nop', side, method, batch: 64 });
  const c64nop = nop64('c');
  for (const [method, how] of [
    ['nop', 'NopQueue.nop() × 64'],
    ['batch-api', 'NopQueue.nops(64)'],
  ] as const) {
    const js64 = nop64('scsikit', method);
    out.push(
      target(
        `Host NOP batch 64, time per command JS (${how}) / C loop`,
        '≤ 2.0',
        js64 && c64nop ? c64nop.opsPerSec / js64.opsPerSec : undefined,
        (v) => v <= 2,
        undefined,
        c64nop ? 1 : undefined,
      ),
    );
  }
  for (const m of memory) {
    out.push(
      target(
        `RSS flat across ${m.name}`,
        '±5 %',
        m.verdict.drift,
        (v) => Math.abs(v) <= 0.05,
        `${(m.verdict.drift * 100).toFixed(1)} % (max deviation ${(m.verdict.maxDeviation * 100).toFixed(1)} %)`,
      ),
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The table for people.

const WORKLOAD_TITLE: Record<Workload, string> = {
  inquiry: 'INQUIRY (96 bytes)',
  randread: '4 KiB random reads',
  seqread: '128 KiB sequential reads',
  nop: 'Host NOP path (no SCSI)',
};

function us(ns: number): string {
  return Number.isFinite(ns) ? (ns / 1000).toFixed(ns < 10_000 ? 2 : 1) : '–';
}

function num(v: number): string {
  return Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–';
}

/** Left-aligned first column, right-aligned others. */
export function formatTable(header: readonly string[], body: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function rowsTable(rows: readonly Row[], workload: Workload): string {
  const mine = rows.filter((r) => r.workload === workload);
  const depth = workload === 'inquiry' || workload === 'nop' ? 'batch' : 'QD';
  const header = [
    'path',
    depth,
    workload === 'seqread' ? 'MB/s' : 'cmds/s',
    'mean µs',
    'p50 µs',
    'p99 µs',
    'rounds',
  ];
  const sorted = [...mine].sort((a, b) => a.qd - b.qd || a.batch - b.batch || a.side.localeCompare(b.side));
  const body = sorted.map((r) => [
    r.label,
    depth === 'batch'
      ? String(r.batch)
      : r.effectiveQd !== undefined && r.effectiveQd !== r.qd
        ? `${r.qd} (${r.effectiveQd})`
        : String(r.qd),
    workload === 'seqread' ? r.mbPerSec.toFixed(1) : num(r.opsPerSec),
    us(r.meanNs),
    us(r.p50Ns),
    us(r.p99Ns),
    String(r.rounds),
  ]);
  return `${WORKLOAD_TITLE[workload]}\n${formatTable(header, body)}`;
}

export function formatRatios(ratios: readonly Ratio[]): string {
  const parts: string[] = [];
  const groups = [...new Set(ratios.map((r) => r.group))];
  for (const g of groups) {
    const body = ratios.filter((r) => r.group === g).map((r) => [r.name, fmtRatio(r.value)]);
    parts.push(`${g}\n${formatTable(['ratio', 'value'], body)}`);
  }
  return parts.join('\n\n');
}

export function formatTargets(targets: readonly Target[]): string {
  const mark = (t: Target) => (t.met === null ? '·' : t.met ? 'met' : 'MISSED');
  return formatTable(
    ['target', 'goal', 'measured', '', 'C, same ratio'],
    targets.map((t) => [t.name, t.goal, t.display, mark(t), t.ceiling === null ? '' : fmtRatio(t.ceiling)]),
  );
}

/** The whole human-readable report. */
export function formatReport(report: BenchReport): string {
  const rows = [...report.rows, ...(report.host?.rows ?? [])];
  const ratios = [...report.ratios, ...(report.host?.ratios ?? [])];
  const sections: string[] = [];
  const env = report.environment;
  sections.push(
    [
      `scsikit benchmark (${report.mode}), ${report.startedAt}`,
      `  ${env.where === 'lab' ? `lab guest (${env.accel === 'kvm' ? 'KVM' : 'TCG'})` : 'host'}: kernel ${env.kernel}, node ${env.node}` +
        (env.device
          ? `, ${env.device.bsg} ${env.device.sg} ${env.device.block} (queue depth ${env.device.queueDepth})`
          : '') +
        (env.fio ? `, ${env.fio}` : ''),
      env.where === 'lab' && env.accel !== 'kvm'
        ? '  Absolute figures under TCG are not meaningful: read the ratios, measured in the same run.'
        : "  Host figures move with the machine's load: read the ratios, measured in the same run.",
      ...env.notes.map((n) => `  note: ${n}`),
    ].join('\n'),
  );
  for (const w of ['inquiry', 'randread', 'seqread', 'nop'] as const) {
    if (rows.some((r) => r.workload === w)) sections.push(rowsTable(rows, w));
  }
  if (ratios.length > 0) sections.push(`Ratios (same run)\n\n${formatRatios(ratios)}`);
  // A host-only report measures the NOP goals only: the SCSI ones would all read "not measured".
  const scsi = rows.some((r) => r.workload !== 'nop');
  const targets = scsi ? report.targets : report.targets.filter((t) => t.met !== null);
  sections.push(`Targets (goals, not tests)\n${formatTargets(targets)}`);
  return `${sections.join('\n\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// The report.

function configRecord(cfg: BenchConfig): Record<string, unknown> {
  return { ...cfg, only: [...cfg.only] };
}

/** A run's report: rows (medians), ratios, and targets judged over this run and a merged host part. */
export function buildReport(
  cfg: BenchConfig,
  startedAt: Date,
  outcome: {
    readonly measurements: readonly Measurement[];
    readonly failures: readonly string[];
    readonly memory: readonly MemoryCheck[];
  },
  environment: BenchReport['environment'],
  host: BenchReport | undefined,
): BenchReport {
  const rows = aggregate(outcome.measurements);
  const allRows = [...rows, ...(host?.rows ?? [])];
  const memory = [...outcome.memory, ...(host?.memory ?? [])];
  const { host: _nested, ...hostFlat } = host ?? {};
  return {
    version: 1,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    mode: cfg.quick ? 'quick' : 'full',
    environment: {
      ...environment,
      notes: [...environment.notes, ...outcome.failures.map((f) => `FAILED ${f}`)],
    },
    config: configRecord(cfg),
    rows,
    measurements: [...outcome.measurements],
    ratios: computeRatios(rows),
    targets: computeTargets(allRows, memory),
    memory: [...outcome.memory],
    ...(host === undefined ? {} : { host: hostFlat as Omit<BenchReport, 'host'> }),
  };
}
