// Packs every public package the way `pnpm publish` would (publishConfig applied, workspace:
// ranges rewritten, transport-uring's prepack building its prebuild) and reports what each holds.
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

export const ROOT = resolve(import.meta.dirname, '..');

/** The packages a user installs, in dependency order. */
export const PUBLIC_PACKAGES = [
  'cdb',
  'transport',
  'transport-uring',
  'emulated-disk',
  'core',
  'cli',
] as const;

export interface Tarball {
  readonly name: string;
  readonly version: string;
  /** packages/<dir> in this repository. */
  readonly dir: string;
  /** Absolute path of the .tgz. */
  readonly file: string;
  readonly bytes: number;
  /** Paths inside the package, as `pnpm pack --json` lists them. */
  readonly entries: readonly string[];
}

export class PackError extends Error {
  override readonly name = 'PackError';
}

function packOne(dir: string, outDir: string): Tarball {
  const cwd = join(ROOT, 'packages', dir);
  const r = spawnSync('pnpm', ['pack', '--json', '--pack-destination', outDir], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.status !== 0) throw new PackError(`pnpm pack in packages/${dir} failed (${r.status}): ${r.stderr}`);
  // prepack output may precede the JSON document.
  const json = r.stdout.slice(r.stdout.indexOf('{'));
  const out = JSON.parse(json) as {
    name: string;
    version: string;
    filename: string;
    files: { path: string }[];
  };
  const file = resolve(outDir, out.filename);
  return {
    name: out.name,
    version: out.version,
    dir,
    file,
    bytes: statSync(file).size,
    entries: out.files.map((f) => f.path).sort(),
  };
}

/** Packs all public packages into `outDir`. The packages must be built (`pnpm build`). */
export function packAll(outDir: string): Tarball[] {
  mkdirSync(outDir, { recursive: true });
  return PUBLIC_PACKAGES.map((dir) => packOne(dir, outDir));
}

export function sizeTable(tarballs: readonly Tarball[]): string {
  const rows = tarballs.map(
    (t) =>
      `  ${`${t.name}@${t.version}`.padEnd(34)} ${(t.bytes / 1024).toFixed(1).padStart(7)} KiB  ${String(t.entries.length).padStart(3)} files`,
  );
  const total = tarballs.reduce((n, t) => n + t.bytes, 0);
  return [...rows, `  ${'total'.padEnd(34)} ${(total / 1024).toFixed(1).padStart(7)} KiB`].join('\n');
}

if (import.meta.filename === process.argv[1]) {
  const { values } = parseArgs({
    options: { out: { type: 'string', default: join(ROOT, 'dist-packages') } },
  });
  const tarballs = packAll(resolve(values.out));
  process.stdout.write(`${sizeTable(tarballs)}\n`);
}
