/**
 * The benchmark (issue #9). `pnpm bench` runs the host NOP part here, then everything else inside
 * one lab boot; see bench/README.md. Exit code 1 when any cell failed (the report is written anyway),
 * 2 on a usage error.
 */
import { release } from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR, ensureBuilt } from './cbench.js';
import { hostUnits, runHost } from './host.js';
import { labUnits, runLab, setupLab } from './lab.js';
import type { BenchReport } from './model.js';
import { type BenchConfig, parseOptions, USAGE, UsageError } from './options.js';
import { loadReport, saveJson, writeReport } from './output.js';
import { createProgress, progressMode } from './progress.js';
import { buildReport, formatReport } from './report.js';
import type { PartOutcome } from './runner.js';

async function main(argv: string[]): Promise<number> {
  let cfg: BenchConfig | 'help';
  try {
    cfg = parseOptions(argv, join(BENCH_DIR, 'results'));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`bench: ${e.message}\n${USAGE}`);
    return 2;
  }
  if (cfg === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (cfg.buildOnly) {
    const { binary, built } = ensureBuilt();
    console.error(`bench: ${binary} ${built ? 'built' : 'is up to date'}`);
    return 0;
  }
  const startedAt = new Date();
  const progress = createProgress(progressMode(cfg.progress, cfg.json));
  const notes: string[] = [sdkNote()];
  let report: BenchReport;
  let suffix = '';
  if (cfg.hostOnly) {
    progress.start(hostUnits(cfg));
    let outcome: PartOutcome;
    try {
      outcome = await runHost(cfg, progress);
    } finally {
      progress.stop();
    }
    notes.push(
      'the NOP path runs on the host: no SCSI, no TCG; JS API = NopQueue.nop() from @scsikit/transport-uring',
    );
    report = buildReport(
      cfg,
      startedAt,
      outcome,
      { where: 'host', kernel: release(), node: process.version, notes },
      undefined,
    );
    suffix = '-host';
    if (cfg.saveHost !== undefined) saveJson(cfg.saveHost, report);
  } else {
    const host = cfg.withHost === undefined ? undefined : loadReport(cfg.withHost);
    const setup = await setupLab(cfg);
    const { nodes } = setup.ctx;
    if (setup.fioVersion === undefined)
      notes.push('fio is not installed: the fio rows are missing (scripts/bench.sh installs it)');
    notes.push(
      'fio sg runs at most 16 commands per fd (the sg driver refuses a 17th); scsikit SG_IO at most min(16, UV_THREADPOOL_SIZE): see the QD column',
      'fixed-buffer reads go through Device.read with { fixedBuffer } leases from device.transport.pool',
    );
    progress.start(labUnits(setup.plans, cfg));
    let outcome: PartOutcome;
    try {
      outcome = await runLab(setup, progress);
    } finally {
      progress.stop();
    }
    report = buildReport(
      cfg,
      startedAt,
      outcome,
      {
        where: process.env.SCSIKIT_LAB === '1' ? 'lab' : 'host',
        ...(process.env.SCSIKIT_LAB === '1'
          ? { accel: process.env.SCSIKIT_LAB_ACCEL === 'kvm' ? 'kvm' : 'tcg' }
          : {}),
        kernel: release(),
        node: process.version,
        device: { bsg: nodes.bsg, sg: nodes.sg, block: nodes.block, queueDepth: nodes.queueDepth },
        ...(setup.fioVersion === undefined ? {} : { fio: setup.fioVersion }),
        ...(process.env.UV_THREADPOOL_SIZE === undefined
          ? {}
          : { uvThreadpoolSize: process.env.UV_THREADPOOL_SIZE }),
        notes,
      },
      host,
    );
  }
  const written = writeReport(report, cfg.outDir, suffix);
  if (cfg.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else {
    process.stdout.write(formatReport(report));
    console.log(`\nwritten: ${written.json}${written.svg === undefined ? '' : `, ${written.svg}`}`);
  }
  const failed = report.environment.notes.filter((n) => n.startsWith('FAILED')).length;
  if (failed > 0) console.error(`bench: ${failed} cell(s) failed; see the notes in the report`);
  return failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = 1;
  },
);

/** Which build of the SDK this run measures: users import dist; src under tsx adds its own cost. */
function sdkNote(): string {
  const core = import.meta.resolve('@scsikit/core');
  return core.includes('/src/')
    ? `WARNING: @scsikit/core resolves to its source (${core}), not the built dist users import; run through scripts/bench.sh`
    : 'the SDK measured is the built dist (@scsikit/core resolves to ' +
        core.replace(/^.*\/packages\//u, 'packages/') +
        ')';
}
