// A user's project outside this repository: a package.json naming the packed tarballs, installed by
// npm, pnpm or yarn with a PATH that holds node and the package manager only (no compiler, no
// make, no python3), plus the scripts the packaging suites run in it.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { ROOT, type Tarball } from './pack.js';

export type PackageManager = 'npm' | 'pnpm' | 'yarn';

export class ConsumerError extends Error {
  override readonly name = 'ConsumerError';
}

/** Where each package manager's executable is on this machine. */
export interface Tools {
  readonly node: string;
  readonly npm: string;
  readonly pnpm: string;
  readonly yarn: string;
}

function which(cmd: string): string {
  const r = spawnSync('sh', ['-c', 'command -v "$0"', cmd], { encoding: 'utf8' });
  const found = r.stdout.trim();
  if (r.status !== 0 || found === '') throw new ConsumerError(`${cmd} is not on PATH`);
  return found;
}

export function findTools(): Tools {
  return {
    node: process.execPath,
    npm: which('npm'),
    pnpm: which('pnpm'),
    // The workspace's own yarn (a devDependency): classic yarn, as most yarn users still run.
    yarn: realpathSync(join(ROOT, 'node_modules', 'yarn', 'bin', 'yarn.js')),
  };
}

/** A toolchain's programs: what a machine without build tools lacks. */
const TOOLCHAIN =
  /^(cc|c\+\+|[cg]\+\+|gcc|cpp|clang|make|gmake|python|ld|as|node-gyp|x86_64-linux-gnu-|aarch64-linux-gnu-)/u;

/**
 * A bin directory like a user's machine without build tools: the system's programs less any
 * compiler, make or python, plus node and the package managers. The consumer installs and runs
 * with it alone, so a prebuild that needs a compiler, or an install step that reaches for one, shows.
 */
export function bareBin(dir: string, tools: Tools): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, target] of Object.entries(tools)) symlinkSync(target, join(dir, name));
  symlinkSync(join(dirname(tools.npm), 'npx'), join(dir, 'npx'));
  for (const sys of ['/usr/bin', '/bin']) {
    for (const name of readdirSync(sys)) {
      if (TOOLCHAIN.test(name) || existsSync(join(dir, name))) continue;
      symlinkSync(join(sys, name), join(dir, name));
    }
  }
  return dir;
}

/** The environment a consumer installs and runs with: the bare PATH, no workspace hints. */
export function bareEnv(bin: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const keep = ['HOME', 'TMPDIR', 'LANG', 'TERM', 'CI', 'SCSIKIT_LAB_CACHE'];
  const env: NodeJS.ProcessEnv = {};
  for (const k of keep) if (process.env[k] !== undefined) env[k] = process.env[k];
  // Not npm_config_nodedir either: a user's machine has none of the workspace's settings.
  return { ...env, PATH: bin, ...extra };
}

function manifest(pm: PackageManager, tarballs: readonly Tarball[]): object {
  const spec = Object.fromEntries(tarballs.map((t) => [t.name, `file:${t.file}`]));
  const pin =
    pm === 'npm'
      ? // npm: point every nested dependency at the direct one.
        { overrides: Object.fromEntries(tarballs.map((t) => [t.name, `$${t.name}`])) }
      : pm === 'pnpm'
        ? { pnpm: { overrides: spec } }
        : { resolutions: spec };
  return { name: `scsikit-consumer-${pm}`, version: '0.0.0', private: true, dependencies: spec, ...pin };
}

function installArgs(pm: PackageManager): string[] {
  if (pm === 'npm') return ['install', '--no-audit', '--no-fund', '--loglevel=error'];
  if (pm === 'pnpm') return ['install', '--reporter=append-only'];
  return ['install', '--non-interactive', '--no-progress', '--network-timeout', '120000'];
}

/** yarn 1 caches file: tarballs by path: a cache of its own per run, or it installs an old build. */
function installEnv(pm: PackageManager, dir: string): Record<string, string> {
  return pm === 'yarn' ? { YARN_CACHE_FOLDER: join(dir, '..', 'yarn-cache') } : {};
}

/** Installs the tarballs into `dir` with `pm`; returns the install log. */
export function install(pm: PackageManager, dir: string, tarballs: readonly Tarball[], bin: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest(pm, tarballs), null, 2)}\n`);
  const r = spawnSync(join(bin, pm), installArgs(pm), {
    cwd: dir,
    encoding: 'utf8',
    env: bareEnv(bin, { npm_config_update_notifier: 'false', ...installEnv(pm, dir) }),
    timeout: 600_000,
  });
  const log = `${r.stdout}\n${r.stderr}`;
  if (r.status !== 0)
    throw new ConsumerError(`${pm} install in ${dir} failed (${r.status ?? r.signal}):\n${log}`);
  writeScripts(dir);
  return log;
}

/** A copy of an npm consumer whose transport-uring has no prebuild: "a platform without one". */
export function withoutPrebuild(from: string, dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  cpSync(from, dir, { recursive: true, verbatimSymlinks: true });
  const prebuilds = join(dir, 'node_modules', '@scsikit', 'transport-uring', 'native', 'prebuilds');
  if (!existsSync(prebuilds)) throw new ConsumerError(`no prebuilds in ${prebuilds}`);
  rmSync(prebuilds, { recursive: true });
}

/**
 * The one real example run from the installed copy in the lab: examples/identify.ts compiled to
 * JavaScript with the published packages left as imports, so they resolve in `dir`'s node_modules.
 */
export async function bundleExample(dir: string): Promise<void> {
  await build({
    entryPoints: [join(ROOT, 'examples', 'identify.ts')],
    outfile: join(dir, 'identify.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Only the example's local helpers are bundled: the published packages come from node_modules.
    external: ['@scsikit/cdb', '@scsikit/transport', '@scsikit/transport-uring', '@scsikit/core'],
    logLevel: 'error',
  });
}

/** The `.node` files this process has mapped: which addon binary actually loaded. */
const MAPPED = `
function mappedAddons() {
  return [...new Set(require('node:fs').readFileSync('/proc/self/maps', 'utf8').split('\\n')
    .map((l) => l.slice(l.indexOf('/'))).filter((p) => p.endsWith('.node')))];
}`;

const SMOKE = `
async function smoke(api) {
  const { cdb, uring, core, emulated } = api;
  const tur = cdb.buildTestUnitReady().cdb;
  if (tur.length !== 6 || tur.some((b) => b !== 0)) throw new Error('TEST UNIT READY CDB is wrong');
  const q = new uring.NopQueue(128);
  let nops = 0;
  for (let round = 0; round < 20; round++) {
    nops += (await Promise.all(Array.from({ length: 100 }, () => q.nop()))).length;
  }
  q.close();
  const disk = new emulated.EmulatedDisk({ capacity: { bytes: 1 << 20 } });
  const dev = await core.openDevice(disk, { write: true });
  const data = new Uint8Array(2 * 512).map((_, i) => (i * 7) & 0xff);
  await dev.write(5n, 2, data);
  const back = await dev.read(5n, 2);
  const kind = dev.kind;
  await dev.close();
  return {
    node: process.version,
    nops,
    readBack: Buffer.from(back).equals(Buffer.from(data)),
    kind,
    addons: mappedAddons(),
  };
}`;

function writeScripts(dir: string): void {
  writeFileSync(
    join(dir, 'esm.mjs'),
    `import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
${MAPPED}
${SMOKE}
const api = {
  cdb: await import('@scsikit/cdb'),
  uring: await import('@scsikit/transport-uring'),
  core: await import('@scsikit/core'),
  emulated: await import('@scsikit/emulated-disk'),
};
console.log(JSON.stringify({ format: 'esm', ...(await smoke(api)) }));
`,
  );
  writeFileSync(
    join(dir, 'cjs.cjs'),
    `'use strict';
${MAPPED}
${SMOKE}
const api = {
  cdb: require('@scsikit/cdb'),
  uring: require('@scsikit/transport-uring'),
  core: require('@scsikit/core'),
  emulated: require('@scsikit/emulated-disk'),
};
smoke(api).then((r) => console.log(JSON.stringify({ format: 'cjs', ...r })), (e) => { console.error(e); process.exit(1); });
`,
  );
  // Pure TypeScript packages, and core over an emulated disk: no addon may load for these.
  writeFileSync(
    join(dir, 'pure.mjs'),
    `import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
${MAPPED}
const cdb = await import('@scsikit/cdb');
const { EmulatedDisk } = await import('@scsikit/emulated-disk');
const { openDevice } = await import('@scsikit/core');
const sense = cdb.decodeSense(new Uint8Array([0x72, 5, 0x24, 0, 0, 0, 0, 0]));
const dev = await openDevice(new EmulatedDisk({ capacity: { blocks: 64 } }));
const cap = await dev.readCapacity();
await dev.close();
console.log(JSON.stringify({ senseKey: sense.senseKey, asc: sense.asc, lastLba: String(cap.lastLba), addons: mappedAddons() }));
`,
  );
  // A kernel transport where no addon loads: one typed error, nothing else.
  writeFileSync(
    join(dir, 'no-addon.mjs'),
    `const { NopQueue } = await import('@scsikit/transport-uring');
const { NativeUnavailableError, TransportError } = await import('@scsikit/transport');
try {
  new NopQueue(8);
  console.log(JSON.stringify({ threw: false }));
} catch (e) {
  console.log(JSON.stringify({
    threw: true,
    name: e.name,
    code: e.code,
    typed: e instanceof NativeUnavailableError && e instanceof TransportError,
    platform: e.platform,
    missing: e.missing,
    message: e.message,
  }));
}
`,
  );
  // Over io_uring on a real device (lab): the device path comes from argv.
  writeFileSync(
    join(dir, 'uring.cjs'),
    `'use strict';
${MAPPED}
const { openDevice } = require('@scsikit/core');
(async () => {
  const dev = await openDevice(process.argv[2], { transport: 'uring' });
  const inq = await dev.inquiry();
  const { blockLength } = await dev.readCapacity();
  const block = await dev.read(0n, 1);
  const out = { kind: dev.kind, product: inq.product, bytes: block.length, blockLength, addons: mappedAddons() };
  await dev.close();
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
`,
  );
}
