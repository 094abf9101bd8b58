// The in-guest A/B driver of issue #20 (and #19's before/after): every cell in its own process,
// all cells once per round, the order rotated each round, so drift in the TCG guest hits all alike.
// Run inside the lab:  pnpm lab run --profile default -- node bench/ab/ab.mjs [--rounds 3] [--seconds 3]
//   [--trees before=/work/wt-before,base=/work/wt-perf-base,perf=/work/wt-perf] [--only ab19,floor,batch,c]
//   [--prof DIR]  (adds cpu-profiled QD 1 and QD 32 read runs of the last tree, outside the rounds)
// Prints one JSON line per measurement, then the medians per cell.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? dflt : args[i + 1];
};
const rounds = Number(opt('rounds', '3'));
const seconds = Number(opt('seconds', '3'));
const only = new Set(opt('only', 'ab19,floor,batch,c').split(','));
const trees = Object.fromEntries(
  opt('trees', 'before=/work/wt-before,base=/work/wt-perf-base,perf=/work/wt-perf')
    .split(',')
    .map((kv) => kv.split('=')),
);
const perf = trees.perf ?? Object.values(trees).at(-1);
const prof = opt('prof', '');
// Pin every cell to one CPU (taskset): where the process runs against where the device completes
// decides whether a QD 1 command completes during io_uring_enter.
const pin = opt('pin', '');
const warmup = opt('warmup', '0.5');
const wrap = (argv) => (pin === '' ? argv : ['taskset', '-c', pin, ...argv]);
const manifest = JSON.parse(
  readFileSync(process.env.SCSIKIT_LAB_MANIFEST ?? '/run/scsikit-lab.json', 'utf8'),
);
const disk = manifest.devices.find((d) => d.kind === 'scsi_debug');
const blockName = disk.block.replace('/dev/', '');
const blockLength = Number(readFileSync(`/sys/block/${blockName}/queue/logical_block_size`, 'utf8'));
const lbaCount = (Number(readFileSync(`/sys/block/${blockName}/size`, 'utf8')) * 512) / blockLength;
const scsibench = join(here, '..', 'build', 'scsibench-ab');

const cells = [];
const js = (name, tree, mode, arg, extra = []) =>
  cells.push({
    name,
    argv: wrap([
      process.execPath,
      ...extra,
      join(here, 'worker.mjs'),
      tree,
      mode,
      String(arg),
      String(seconds),
      warmup,
    ]),
  });
const c = (name, cargs) => cells.push({ name, argv: wrap([scsibench, ...cargs]), c: true });
if (only.has('ab19')) {
  for (const [label, tree] of Object.entries(trees)) {
    js(`read QD1 ${label}`, tree, 'read', 1);
    js(`read QD32 ${label}`, tree, 'read', 32);
  }
}
if (only.has('floor')) js('floor (Ring.cmdWait loop) perf', perf, 'floor', 1);
if (only.has('batch')) {
  js('INQUIRY batch64 Promise.all perf', perf, 'inqbatch', 64);
  js('INQUIRY batch64 executeBatch perf', perf, 'inqapi', 64);
}
if (only.has('c')) {
  const geo = [
    '--lba-count',
    String(lbaCount),
    '--block-size',
    String(blockLength),
    '--seconds',
    String(seconds),
  ];
  c('C read QD1 uring', ['randread', '--path', disk.bsg, '--mode', 'uring', '--qd', '1', ...geo]);
  c('C read QD32 uring', ['randread', '--path', disk.bsg, '--mode', 'uring', '--qd', '32', ...geo]);
  c('C INQUIRY batch64 uring', [
    'inquiry',
    '--path',
    disk.bsg,
    '--mode',
    'uring',
    '--batch',
    '64',
    '--count',
    '0',
    '--seconds',
    String(seconds),
  ]);
  c('C INQUIRY sgv4', [
    'inquiry',
    '--path',
    disk.bsg,
    '--mode',
    'sgv4',
    '--count',
    '0',
    '--seconds',
    String(seconds),
  ]);
}

const results = new Map();
function runCell(cell, round) {
  const r = spawnSync(cell.argv[0], cell.argv.slice(1), { encoding: 'utf8', timeout: (seconds + 60) * 1000 });
  if (r.status !== 0) {
    console.log(
      JSON.stringify({
        round,
        cell: cell.name,
        error: (r.stderr || r.stdout || String(r.error)).slice(-400),
      }),
    );
    return;
  }
  const line = r.stdout.trim().split('\n').at(-1);
  const j = JSON.parse(line);
  const m = cell.c ? { opsPerSec: j.ops_per_sec, meanNs: j.lat_ns.mean } : j;
  console.log(JSON.stringify({ round, cell: cell.name, ...m }));
  if (!results.has(cell.name)) results.set(cell.name, []);
  results.get(cell.name).push(m);
}

for (let round = 0; round < rounds; round++) {
  const k = round % cells.length;
  for (const cell of [...cells.slice(k), ...cells.slice(0, k)]) runCell(cell, round);
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
console.log('\nmedians over rounds:');
const med = {};
for (const [name, ms] of results) {
  med[name] = {
    ops: median(ms.map((m) => m.opsPerSec)),
    meanNs: median(ms.map((m) => m.meanNs)),
    n: ms.length,
  };
  console.log(
    `${name.padEnd(40)} ${med[name].ops.toFixed(0).padStart(8)} ops/s  mean ${(med[name].meanNs / 1000).toFixed(1).padStart(7)} µs  (${ms.length} rounds)`,
  );
}
console.log(`MEDIANS ${JSON.stringify(med)}`);
if (prof !== '') {
  for (const qd of [1, 32]) {
    runCell(
      {
        name: `profiled read QD${qd} perf`,
        argv: [
          process.execPath,
          '--cpu-prof',
          `--cpu-prof-dir=${prof}`,
          `--cpu-prof-name=qd${qd}.cpuprofile`,
          join(here, 'worker.mjs'),
          perf,
          'read',
          String(qd),
          String(seconds * 2),
        ],
      },
      'prof',
    );
  }
}
