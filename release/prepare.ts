// Sets up what the packaging suites check, on the host: packs every public package, installs the
// tarballs into fresh projects outside the repository with npm, pnpm and yarn (no compiler on
// PATH), makes a copy without the prebuild, compiles one example into the npm project, and fetches
// Node 22 and 24 from the registry (cached). Writes test-results/packaging/manifest.json.
//   node --import tsx release/prepare.ts
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bareBin,
  bundleExample,
  findTools,
  install,
  type PackageManager,
  withoutPrebuild,
} from './consumer.js';
import { MANIFEST, type PackagingManifest } from './manifest.js';
import { packAll, ROOT, sizeTable } from './pack.js';

export const PACKAGE_MANAGERS: readonly PackageManager[] = ['npm', 'pnpm', 'yarn'];
/** The Node majors tested besides the running one. */
const OTHER_NODES = ['22', '24'];

/** A Node binary of `major` from the npm registry (the `node` package), cached across runs. */
function nodeBinary(major: string): string {
  const base = process.env.SCSIKIT_LAB_CACHE ?? join(homedir(), '.cache', 'scsikit');
  const prefix = join(base, 'node', major);
  const bin = join(prefix, 'node_modules', 'node', 'bin', 'node');
  if (existsSync(bin)) return bin;
  mkdirSync(prefix, { recursive: true });
  const r = spawnSync(
    'npm',
    ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `node@${major}`],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  if (r.status !== 0 || !existsSync(bin)) throw new Error(`npm install node@${major} failed: ${r.stderr}`);
  return bin;
}

export async function prepare(): Promise<PackagingManifest> {
  const work = join(tmpdir(), 'scsikit-packaging');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const tarballs = packAll(join(work, 'tarballs'));
  process.stdout.write(`packed:\n${sizeTable(tarballs)}\n`);
  const bin = bareBin(join(work, 'bin'), findTools());
  const consumers = {} as Record<PackageManager, string>;
  const installLogs = {} as Record<PackageManager, string>;
  for (const pm of PACKAGE_MANAGERS) {
    const dir = join(work, pm);
    const t0 = performance.now();
    installLogs[pm] = install(pm, dir, tarballs, bin);
    consumers[pm] = dir;
    process.stdout.write(
      `installed with ${pm} in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${dir}\n`,
    );
  }
  const bare = join(work, 'npm-without-prebuild');
  withoutPrebuild(consumers.npm, bare);
  const sourceBuild = join(work, 'npm-source-build');
  withoutPrebuild(consumers.npm, sourceBuild);
  await bundleExample(consumers.npm);
  const nodes: Record<string, string> = { [process.versions.node.split('.')[0] as string]: process.execPath };
  for (const major of OTHER_NODES) nodes[major] = nodeBinary(major);
  const manifest: PackagingManifest = {
    work,
    bin,
    tarballs,
    consumers,
    installLogs,
    withoutPrebuild: bare,
    sourceBuild,
    nodes,
  };
  mkdirSync(join(ROOT, 'test-results', 'packaging'), { recursive: true });
  writeFileSync(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

if (import.meta.filename === process.argv[1]) await prepare();
