import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { LabError, run } from './exec.js';
import { ARCHIVE_KEYRING } from './system.js';

/** Where a kernel comes from: a Debian suite and the image package names that qualify. */
export interface KernelSource {
  readonly id: string;
  readonly suite: string;
  readonly description: string;
  /** Matches `linux-image-<version>-amd64` names; group 1 is the upstream version. */
  readonly imagePattern: RegExp;
}

export const KERNEL_SOURCES = {
  /** The stock Debian 7.x kernel users run: io_uring BSG passthrough needs ≥ 7.1. */
  current: {
    id: 'current',
    suite: 'trixie-backports',
    description: 'newest Linux 7.x from Debian trixie-backports',
    imagePattern: /^linux-image-(7\.\d+\.\d+)\+deb\d+-amd64$/u,
  },
  /** An old stock kernel without the passthrough, for the SG_IO fallback. */
  legacy: {
    id: 'legacy',
    suite: 'bookworm',
    description: 'Debian bookworm Linux 6.1',
    imagePattern: /^linux-image-(6\.1\.0-\d+)-amd64$/u,
  },
} as const satisfies Record<string, KernelSource>;

export type KernelSourceId = keyof typeof KERNEL_SOURCES;

/** Orders dotted/dashed numeric versions ("7.3.4" > "7.2.12" > "7.2.9"). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/u).map(Number);
  const pb = b.split(/[.-]/u).map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Picks the newest image package among apt's package names, or undefined if none match. */
export function pickNewestKernel(
  packageNames: readonly string[],
  pattern: RegExp,
): { readonly pkg: string; readonly version: string } | undefined {
  let best: { pkg: string; version: string } | undefined;
  for (const name of packageNames) {
    const m = pattern.exec(name.trim());
    const version = m?.[1];
    if (version === undefined) continue;
    if (best === undefined || compareVersions(version, best.version) > 0)
      best = { pkg: name.trim(), version };
  }
  return best;
}

/** Package names from a `Depends:` line, alternatives and version constraints dropped. */
export function parseDepends(control: string): string[] {
  const line = control.split('\n').find((l) => l.startsWith('Depends:'));
  if (line === undefined) return [];
  return line
    .slice('Depends:'.length)
    .split(',')
    .flatMap((alt) => alt.split('|'))
    .map((d) => d.trim().split(/[\s(]/u)[0] ?? '')
    .filter((d) => d !== '');
}

export interface KernelInfo {
  readonly source: KernelSourceId;
  /** Kernel release as `uname -r` reports it, e.g. "7.3.4+deb13-amd64". */
  readonly release: string;
  readonly imagePackage: string;
  readonly vmlinuz: string;
  /** The `lib/modules/<release>` tree, with a modules.dep from depmod. */
  readonly modulesDir: string;
}

/** A private apt configuration so the system's apt state and sources are never touched. */
class PrivateApt {
  readonly #dir: string;
  readonly #opts: string[];

  constructor(dir: string, suite: string) {
    this.#dir = dir;
    mkdirSync(join(dir, 'lists', 'partial'), { recursive: true });
    mkdirSync(join(dir, 'cache', 'archives', 'partial'), { recursive: true });
    const sources = join(dir, 'sources.list');
    writeFileSync(sources, `deb [signed-by=${ARCHIVE_KEYRING}] http://deb.debian.org/debian ${suite} main\n`);
    this.#opts = [
      '-o',
      `Dir::Etc::sourcelist=${sources}`,
      '-o',
      'Dir::Etc::sourceparts=/dev/null',
      '-o',
      `Dir::State::Lists=${join(dir, 'lists')}`,
      '-o',
      `Dir::Cache=${join(dir, 'cache')}`,
      '-o',
      'Dir::State::status=/dev/null',
      '-o',
      'APT::Architecture=amd64',
      '-o',
      'Debug::NoLocking=1',
      '-o',
      'APT::Sandbox::User=root',
    ];
  }

  update(): void {
    run('apt-get', [...this.#opts, '-q', 'update']);
  }

  packageNames(prefix: string): string[] {
    return run('apt-cache', [...this.#opts, 'pkgnames', prefix])
      .split('\n')
      .filter(Boolean);
  }

  show(pkg: string): string {
    return run('apt-cache', [...this.#opts, 'show', '--no-all-versions', pkg]);
  }

  download(pkgs: readonly string[], into: string): void {
    mkdirSync(into, { recursive: true });
    run('apt-get', [...this.#opts, '-q', 'download', ...pkgs], { cwd: into });
  }

  get dir(): string {
    return this.#dir;
  }
}

function findRelease(root: string): { release: string; modulesDir: string; vmlinuz: string } {
  for (const base of ['usr/lib/modules', 'lib/modules']) {
    const dir = join(root, base);
    if (!existsSync(dir)) continue;
    for (const release of readdirSync(dir)) {
      const modulesDir = join(dir, release);
      const candidates = [join(modulesDir, 'vmlinuz'), join(root, 'boot', `vmlinuz-${release}`)];
      const vmlinuz = candidates.find((c) => existsSync(c));
      if (vmlinuz !== undefined) return { release, modulesDir, vmlinuz };
    }
  }
  throw new LabError(`no vmlinuz found in the extracted kernel packages under ${root}`);
}

/**
 * Resolves (at set-up time), downloads and extracts the kernel. The resolution is cached in
 * `kernel-<source>.json` so later runs start without asking apt; `refresh` re-resolves.
 */
export function ensureKernel(
  cacheDir: string,
  sourceId: KernelSourceId,
  log: (msg: string) => void,
  refresh = false,
): KernelInfo {
  const source: KernelSource = KERNEL_SOURCES[sourceId];
  const stamp = join(cacheDir, `kernel-${source.id}.json`);
  if (!refresh && existsSync(stamp)) {
    const info = JSON.parse(readFileSync(stamp, 'utf8')) as KernelInfo;
    if (existsSync(info.vmlinuz) && existsSync(join(info.modulesDir, 'modules.dep'))) return info;
  }
  const apt = new PrivateApt(join(cacheDir, 'apt', source.suite), source.suite);
  log(`resolving the ${source.description}`);
  apt.update();
  const newest = pickNewestKernel(apt.packageNames('linux-image-'), source.imagePattern);
  if (newest === undefined)
    throw new LabError(`no package matching ${source.imagePattern} in Debian ${source.suite}`);
  const deps = parseDepends(apt.show(newest.pkg)).filter((d) => /^linux-(binary|modules)-/u.test(d));
  const pkgs = [newest.pkg, ...deps];
  const kernelDir = join(cacheDir, 'kernels', newest.pkg);
  const root = join(kernelDir, 'root');
  if (!existsSync(join(kernelDir, 'extracted'))) {
    log(`downloading ${pkgs.join(', ')}`);
    const debs = join(kernelDir, 'debs');
    rmSync(kernelDir, { recursive: true, force: true });
    apt.download(pkgs, debs);
    const tmpRoot = `${root}.tmp`;
    mkdirSync(tmpRoot, { recursive: true });
    for (const deb of readdirSync(debs).filter((f) => f.endsWith('.deb'))) {
      run('dpkg-deb', ['-x', join(debs, deb), tmpRoot]);
    }
    rmSync(debs, { recursive: true, force: true });
    renameSync(tmpRoot, root);
    writeFileSync(join(kernelDir, 'extracted'), `${pkgs.join('\n')}\n`);
  }
  const found = findRelease(root);
  // depmod -b wants <base>/lib/modules; Debian ≥ trixie ships them under usr/lib.
  if (!existsSync(join(root, 'lib'))) symlinkSync('usr/lib', join(root, 'lib'));
  if (!existsSync(join(found.modulesDir, 'modules.dep'))) run('depmod', ['-b', root, found.release]);
  const info: KernelInfo = {
    source: sourceId,
    release: found.release,
    imagePackage: newest.pkg,
    vmlinuz: found.vmlinuz,
    modulesDir: found.modulesDir,
  };
  writeFileSync(stamp, `${JSON.stringify(info, null, 2)}\n`);
  log(`kernel ${info.release} ready`);
  return info;
}
