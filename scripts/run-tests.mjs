// Runs every check and prints one summary line "N passed, N failed[, N skipped]".
// Host: lint, typecheck, the vitest host projects. Lab: one guest boot per profile, each running
// the lab suites that apply to it. Exit code 1 on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    'host-only': { type: 'boolean', default: false },
    'lab-only': { type: 'boolean', default: false },
    profile: { type: 'string', multiple: true },
  },
});

const root = new URL('..', import.meta.url).pathname;
const results = join(root, 'test-results');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function step(title) {
  process.stdout.write(`\n━━ ${title}\n`);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  return r.status ?? 1;
}

/** A check that is not a vitest suite (lint, typecheck) counts as one test. */
function check(name, cmd, args) {
  step(name);
  const ok = run(cmd, args) === 0;
  if (ok) totals.passed++;
  else {
    totals.failed++;
    failures.push(name);
  }
}

/** Adds a vitest JSON report to the totals; a missing report (crash, dead guest) is one failure. */
function tally(name, reportPath, exitCode) {
  if (!existsSync(reportPath)) {
    totals.failed++;
    failures.push(`${name} (no report, exit code ${exitCode})`);
    return;
  }
  const r = JSON.parse(readFileSync(reportPath, 'utf8'));
  totals.passed += r.numPassedTests;
  totals.failed += r.numFailedTests;
  totals.skipped += r.numPendingTests + r.numTodoTests;
  if (r.numFailedTests > 0) failures.push(`${name}: ${r.numFailedTests} failed`);
  // CI keeps only the tail of the output: name each failed test and its first message line here.
  for (const file of r.testResults) {
    for (const a of file.assertionResults.filter((x) => x.status === 'failed')) {
      const why = (a.failureMessages?.[0] ?? '').split('\n')[0].slice(0, 300);
      failures.push(`    ${file.name.replace(root, '')} > ${a.fullName}: ${why}`);
    }
  }
  // A suite that fails to load has no failed tests but is not a success.
  const broken = r.testResults.filter((t) => t.status === 'failed' && t.assertionResults.length === 0);
  for (const t of broken) {
    totals.failed++;
    failures.push(`${name}: ${t.name} did not load: ${t.message.split('\n')[0]}`);
  }
  if (exitCode !== 0 && r.numFailedTests === 0 && broken.length === 0) {
    totals.failed++;
    failures.push(`${name} exited with ${exitCode}`);
  }
}

const vitest = ['node_modules/vitest/vitest.mjs', 'run'];

// The packed tarballs installed into projects outside the repository: the host 'release' suite
// and the default profile's install test read what this leaves (test-results/packaging).
check('packaging: pack and install the tarballs (release/prepare.ts)', 'node', [
  '--import',
  'tsx',
  'release/prepare.ts',
]);

if (!values['lab-only']) {
  check('lint (biome)', 'pnpm', ['exec', 'biome', 'check', '.']);
  check('typecheck (tsc)', 'pnpm', ['exec', 'tsc', '-p', 'tsconfig.json']);
  step('host tests (vitest)');
  const report = join(results, 'host.json');
  const code = run('node', [
    ...vitest,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
  ]);
  tally('host tests', report, code);

  // The native addon's host suites again, built with AddressSanitizer + UBSan (Node itself is not
  // instrumented, so the runtime is preloaded; leak checks are off: V8 keeps memory by design).
  step('native addon under AddressSanitizer');
  const asan = spawnSync('bash', ['scripts/asan-build.sh'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const asanReport = join(results, 'host-asan.json');
  let asanCode = asan.status ?? 1;
  if (asanCode === 0) {
    const libasan = spawnSync('gcc', ['-print-file-name=libasan.so'], { encoding: 'utf8' }).stdout.trim();
    const r = spawnSync(
      'node',
      [
        ...vitest,
        '--project',
        'transport-uring',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${asanReport}`,
      ],
      {
        cwd: root,
        stdio: 'inherit',
        env: {
          ...process.env,
          LD_PRELOAD: libasan,
          ASAN_OPTIONS: 'detect_leaks=0:abort_on_error=1',
          UBSAN_OPTIONS: 'halt_on_error=1:print_stacktrace=1',
          SCSIKIT_NATIVE_PATH: asan.stdout.trim(),
        },
      },
    );
    asanCode = r.status ?? 1;
  }
  tally('host tests under AddressSanitizer', asanReport, asanCode);
}

if (!values['host-only']) {
  const { PROFILES } = await import('../lab/src/profiles.ts').catch(() => ({ PROFILES: undefined }));
  const profiles = values.profile ?? (PROFILES === undefined ? ['default'] : Object.keys(PROFILES));
  for (const profile of profiles) {
    step(`lab tests, profile ${profile} (booting the guest)`);
    const report = join(results, `lab-${profile}.json`);
    const labRun = () =>
      run('node', [
        '--import',
        'tsx',
        'lab/src/cli.ts',
        'run',
        '--profile',
        profile,
        '--',
        'node',
        // WebAssembly's tier-up (Liftoff code patched to TurboFan code while it runs) crashes node
        // under QEMU 7.2's TCG: 12 tsx start-ups crashed 5 times as they were, 0 times with
        // --liftoff-only (and 0 with --no-liftoff). vitest's main process runs vite's WebAssembly
        // es-module-lexer; its forks inherit the flag.
        '--liftoff-only',
        ...vitest,
        '--config',
        'vitest.lab.config.ts',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${report}`,
      ]);
    let code = labRun();
    // Should the runner itself still die of SIGSEGV (139) before writing any report (the emulator,
    // as above), one retry: never a test's failure, since each test file runs in a forked child
    // whose crash is reported as that file's failure.
    if (code === 139 && !existsSync(report)) {
      process.stdout.write(
        `\nlab ${profile}: the test runner died with SIGSEGV before its report (TCG); retrying once\n`,
      );
      code = labRun();
    }
    tally(`lab ${profile}`, report, code);
  }
}

process.stdout.write('\n');
if (failures.length > 0) process.stdout.write(`failures:\n${failures.map((f) => `  - ${f}`).join('\n')}\n`);
const skipped = totals.skipped > 0 ? `, ${totals.skipped} skipped` : '';
process.stdout.write(`${totals.passed} passed, ${totals.failed} failed${skipped}\n`);
process.exitCode = totals.failed > 0 ? 1 : 0;
