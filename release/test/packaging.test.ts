// What a user outside this repository gets from `npm install`: the tarballs `release/prepare.ts`
// packed and installed into fresh projects (npm, pnpm, yarn; no compiler on PATH). Host part; the
// lab part (an example over io_uring from the installed copy) is install.default.lab.test.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { describe, expect, it } from 'vitest';
import { readPackagingManifest } from '../manifest.js';

const m = readPackagingManifest();
const node20 = m.nodes['20'] as string;

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `args` in a consumer project with its bare PATH (node and package managers only). */
function inConsumer(dir: string, cmd: string, args: readonly string[]): Run {
  const r = spawnSync(cmd, args, {
    cwd: dir,
    encoding: 'utf8',
    env: { HOME: process.env.HOME ?? '/root', PATH: m.bin },
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json(r: Run): Record<string, unknown> {
  expect(r.stderr, `exit ${r.status}`).not.toMatch(/Error\b/u);
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '') as Record<string, unknown>;
}

/** What a tarball may hold: built JavaScript and types, licence, readme, and per package its extras. */
const ALLOWED: readonly RegExp[] = [
  /^package\.json$/u,
  /^LICENSE$/u,
  /^README\.md$/u,
  /^dist\/[\w.-]+\.(js|cjs|d\.ts|d\.cts)$/u,
];
const EXTRAS: Readonly<Record<string, readonly RegExp[]>> = {
  '@scsikit/cli': [/^schemas\/[\w-]+\.schema\.json$/u],
  '@scsikit/transport-uring': [
    /^native\/[\w]+\.(cc|h)$/u,
    /^native\/binding\.gyp$/u,
    /^native\/prebuilds\/linux-x64\/node\.glibc\.node$/u,
    /^scripts\/[\w-]+\.cjs$/u,
  ],
};

describe('the tarballs', () => {
  it.each(m.tarballs.map((t) => [t.name, t] as const))('%s holds only what users need', (name, t) => {
    const allowed = [...ALLOWED, ...(EXTRAS[name] ?? [])];
    const stray = t.entries.filter((e) => !allowed.some((r) => r.test(e)));
    expect(stray).toEqual([]);
    expect(t.entries).toContain('LICENSE');
    expect(t.entries.some((e) => e.endsWith('.d.ts'))).toBe(true);
    expect(t.bytes).toBeLessThan(1 << 20);
  });

  it.each(m.tarballs.map((t) => [t.name, t] as const))(
    '%s names its licence, repository and engines',
    (_, t) => {
      const pkg = JSON.parse(
        readFileSync(join(m.consumers.npm, 'node_modules', t.name, 'package.json'), 'utf8'),
      );
      expect(pkg.license).toBe('MIT');
      expect(pkg.repository).toMatchObject({ type: 'git', directory: `packages/${t.dir}` });
      expect(pkg.engines).toEqual({ node: '>=20.11' });
      // No workspace ranges and no workspace-only export conditions reach a user.
      const text = JSON.stringify(pkg);
      expect(text).not.toMatch(/workspace:|"source"/u);
    },
  );

  it('ships the prebuild for linux-x64 (glibc) in transport-uring', () => {
    const t = m.tarballs.find((x) => x.name === '@scsikit/transport-uring');
    expect(t?.entries).toContain('native/prebuilds/linux-x64/node.glibc.node');
  });

  it.each(m.tarballs.map((t) => [t.name, t] as const))('%s: publint finds nothing', async (_, t) => {
    const bytes = readFileSync(t.file);
    const tarball = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
    const { messages, pkg } = await publint({ pack: { tarball }, level: 'suggestion', strict: true });
    expect(messages.map((x) => `${x.type}: ${formatMessage(x, pkg)}`)).toEqual([]);
  });

  it.each(m.tarballs.map((t) => [t.name, t] as const))('%s: arethetypeswrong finds nothing', (name, t) => {
    // node16 profile: every modern resolution (node10's lacks subpath exports). The CLI is an
    // ES-module application: its API is for import only.
    const profile = name === '@scsikit/cli' ? 'esm-only' : 'node16';
    const r = spawnSync(
      join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'attw'),
      [t.file, '--profile', profile, '--format', 'ascii'],
      { encoding: 'utf8' },
    );
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });
});

describe('the prebuilt addon', () => {
  const prebuild = join(
    m.consumers.npm,
    'node_modules/@scsikit/transport-uring/native/prebuilds/linux-x64/node.glibc.node',
  );
  const readelf = (args: string[], file: string) =>
    spawnSync('readelf', [...args, '-W', file], { encoding: 'utf8' }).stdout;
  const needed = (file: string) =>
    [...readelf(['-d'], file).matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/gu)].map((x) => x[1]);

  it('links no liburing and nothing node itself does not load', () => {
    const libs = needed(prebuild);
    expect(libs).toContain('libc.so.6');
    expect(libs.filter((l) => /uring/u.test(l ?? ''))).toEqual([]);
    const nodeLibs = new Set(needed(node20));
    expect(libs.filter((l) => l !== 'libc.so.6' && !nodeLibs.has(l))).toEqual([]);
  });

  it('asks for glibc 2.17 at most', () => {
    const versions = [...readelf(['--dyn-syms'], prebuild).matchAll(/@GLIBC_(\d+)\.(\d+)/gu)].map(
      (x) => Number(x[1]) * 1000 + Number(x[2]),
    );
    expect(versions.length).toBeGreaterThan(0);
    expect(Math.max(...versions)).toBeLessThanOrEqual(2017);
  });
});

describe.each(Object.entries(m.consumers))('installed with %s', (pm, dir) => {
  it('installed without building anything', () => {
    expect(m.installLogs[pm as keyof typeof m.installLogs]).not.toMatch(/gyp|building it from source/u);
    expect(existsSync(join(dir, 'node_modules/@scsikit/transport-uring/native/build'))).toBe(false);
  });

  it.each(Object.entries(m.nodes))(
    'Node %s: ESM import, NOPs through the ring, an emulated read/write',
    (major, node) => {
      const r = json(inConsumer(dir, node, ['esm.mjs']));
      expect(r).toMatchObject({ format: 'esm', nops: 2000, readBack: true, kind: 'emulated' });
      expect(String(r.node)).toMatch(new RegExp(`^v${major}\\.`, 'u'));
      expect(r.addons).toEqual([expect.stringMatching(/prebuilds\/linux-x64\/node\.glibc\.node$/u)]);
    },
  );

  it.each(Object.entries(m.nodes))('Node %s: CommonJS require, the same', (major, node) => {
    const r = json(inConsumer(dir, node, ['cjs.cjs']));
    expect(r).toMatchObject({ format: 'cjs', nops: 2000, readBack: true, kind: 'emulated' });
    expect(String(r.node)).toMatch(new RegExp(`^v${major}\\.`, 'u'));
    expect(r.addons).toEqual([expect.stringMatching(/prebuilds\/linux-x64\/node\.glibc\.node$/u)]);
  });

  it('pure-TypeScript packages and core over an emulated disk load no addon', () => {
    const r = json(inConsumer(dir, node20, ['pure.mjs']));
    expect(r).toMatchObject({ senseKey: 5, asc: 0x24, lastLba: '63', addons: [] });
  });

  it('npx scsikit --version and scsikit list work', () => {
    const pkg = JSON.parse(readFileSync(join(dir, 'node_modules/@scsikit/cli/package.json'), 'utf8'));
    const v = inConsumer(dir, join(m.bin, 'npx'), ['--no-install', 'scsikit', '--version']);
    expect(v.stderr).toBe('');
    expect(v.stdout.trim()).toBe(pkg.version);
    // This host has no SCSI: an empty list, exit 0 (the lab suite lists a real disk).
    const list = inConsumer(dir, join(m.bin, 'npx'), ['--no-install', 'scsikit', 'list', '--json']);
    expect(list.status).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject({ command: 'list' });
  });
});

describe('where no prebuild fits and no toolchain exists', () => {
  const dir = m.withoutPrebuild;

  it('a kernel transport throws one NativeUnavailableError naming the missing packages', () => {
    const r = json(inConsumer(dir, node20, ['no-addon.mjs']));
    expect(r).toMatchObject({
      threw: true,
      name: 'NativeUnavailableError',
      code: 'ERR_SCSIKIT_NATIVE_UNAVAILABLE',
      typed: true,
      platform: 'linux-x64-glibc',
    });
    // The bare PATH has no compiler, make or python3 (liburing.h may exist on this host).
    expect(r.missing).toEqual(expect.arrayContaining(['g++', 'make', 'python3']));
    expect(String(r.message)).toMatch(/apt-get install g\+\+ make python3/u);
  });

  it('the pure-TypeScript packages still work, and importing core does not crash', () => {
    const r = json(inConsumer(dir, node20, ['pure.mjs']));
    expect(r).toMatchObject({ senseKey: 5, lastLba: '63', addons: [] });
  });
});

describe('where no prebuild fits but the toolchain exists', () => {
  const dir = m.sourceBuild;
  const pkg = join(dir, 'node_modules/@scsikit/transport-uring');

  it("the package's install step builds the addon from source, and it loads", () => {
    // npm hands install scripts its bundled node-gyp as npm_config_node_gyp; so does this test.
    const npm = realpathSync(spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim());
    const gyp = join(dirname(npm), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    expect(existsSync(gyp)).toBe(true);
    const r = spawnSync(node20, [join(pkg, 'scripts', 'install.cjs')], {
      cwd: pkg,
      encoding: 'utf8',
      // Node's own headers: node-gyp would download them, and this machine reaches no such host.
      env: { ...process.env, npm_config_node_gyp: gyp, npm_config_nodedir: resolve(node20, '..', '..') },
      timeout: 300_000,
    });
    expect(r.stderr).toMatch(/building it from source/u);
    expect(r.stderr).not.toMatch(/failed/u);
    expect(r.status).toBe(0);
    const out = json(inConsumer(dir, node20, ['esm.mjs']));
    expect(out).toMatchObject({ nops: 2000, readBack: true });
    expect(out.addons).toEqual([expect.stringMatching(/native\/build\/Release\/scsikit_uring\.node$/u)]);
  }, 300_000);
});
