/** Writes a report: `<timestamp>.json` for machines and `<timestamp>.svg` (IOPS vs queue depth). */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchReport, labelOf, type Row } from './model.js';
import { renderLineChart, type Series } from './svg.js';

/** 2026-11-23T23-46-00Z: sortable, and no colon (fio and some shells treat it specially). */
export function fileStamp(d: Date): string {
  return d
    .toISOString()
    .replace(/\.\d{3}Z$/u, 'Z')
    .replace(/:/gu, '-');
}

/** One line per path of the 4 KiB random reads: IOPS at each queue depth. */
export function iopsSeries(rows: readonly Row[]): Series[] {
  const byPath = new Map<string, { name: string; points: { x: number; y: number }[] }>();
  for (const r of rows.filter((x) => x.workload === 'randread')) {
    const key = `${r.side}/${r.method}`;
    let s = byPath.get(key);
    if (s === undefined) {
      const cap =
        r.method === 'fio-sg'
          ? ' (≤ 16 in flight)'
          : r.side === 'scsikit' && r.method === 'sgv3'
            ? ' (≤ threadpool)'
            : '';
      s = { name: `${labelOf(r.side, r.method)}${cap}`, points: [] };
      byPath.set(key, s);
    }
    s.points.push({ x: r.qd, y: r.opsPerSec });
  }
  // scsikit first: solid lines, top of the legend.
  return [...byPath.entries()]
    .sort(
      ([a], [b]) => Number(!a.startsWith('scsikit')) - Number(!b.startsWith('scsikit')) || a.localeCompare(b),
    )
    .map(([, s]) => s);
}

export function renderIopsChart(report: BenchReport): string | undefined {
  const series = iopsSeries(report.rows);
  if (series.length === 0) return undefined;
  return renderLineChart({
    title: '4 KiB random reads: IOPS vs queue depth',
    subtitle: `${report.environment.where !== 'lab' ? 'host' : report.environment.accel === 'kvm' ? 'lab guest (KVM)' : 'lab guest (TCG: compare lines, not absolute values)'}, kernel ${report.environment.kernel}, ${report.startedAt}`,
    xLabel: 'queue depth (commands in flight)',
    yLabel: 'IOPS (median of rounds)',
    series,
    // The report's targets are judged over its rows and the merged host part's.
    footer: report.targets
      .filter((t) => t.met !== null)
      .map(
        (t) =>
          `${t.met ? 'met' : 'MISSED'}: ${t.name}: ${t.display} (goal ${t.goal})` +
          (t.ceiling === null ? '' : `; C, same ratio: ${t.ceiling.toFixed(2)}×`),
      ),
  });
}

/** Written to a temporary name first, so a reader never sees half a file. */
function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export function writeReport(
  report: BenchReport,
  outDir: string,
  suffix = '',
): { json: string; svg?: string } {
  mkdirSync(outDir, { recursive: true });
  const stamp = fileStamp(new Date(report.startedAt));
  const json = join(outDir, `${stamp}${suffix}.json`);
  writeAtomic(json, `${JSON.stringify(report, null, 2)}\n`);
  const chart = renderIopsChart(report);
  if (chart === undefined) return { json };
  const svg = join(outDir, `${stamp}${suffix}.svg`);
  writeAtomic(svg, chart);
  return { json, svg };
}

export function saveJson(path: string, value: unknown): void {
  writeAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

export function loadReport(path: string): BenchReport {
  const v = JSON.parse(readFileSync(path, 'utf8')) as BenchReport;
  if (v?.version !== 1 || !Array.isArray(v.rows)) throw new Error(`${path} is not a bench report`);
  return v;
}
