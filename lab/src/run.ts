import { spawn } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { labAccel } from './accel.js';
import { LabError } from './exec.js';
import { jobScript } from './guest.js';
import { ensureInitramfs } from './initramfs.js';
import { ensureKernel } from './kernel.js';
import { labCacheDir } from './paths.js';
import { getProfile, PROFILES } from './profiles.js';
import { ensureHostPackages } from './system.js';

export interface LabRunOptions {
  readonly profile: string;
  readonly argv: readonly string[];
  readonly cwd: string;
  /** Seconds before a hung guest is killed. */
  readonly timeoutSec: number;
  readonly memoryMiB?: number;
  readonly cpus?: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly log?: (msg: string) => void;
  /** Where the command's output goes (default: this process's stdout). */
  readonly output?: NodeJS.WritableStream;
}

/** Exit codes of our own, apart from the command's: */
export const EXIT_TIMEOUT = 124;
export const EXIT_GUEST_FAILED = 125;

/** A healthy boot reaches the `started` mark in ≈ 4 s under TCG; allow for a loaded host. */
const BOOT_DEADLINE_MS = 90_000;

const defaultLog = (msg: string): void => {
  process.stderr.write(`lab: ${msg}\n`);
};

/** Downloads, builds and caches everything a profile needs; returns what boot() needs. */
export async function provision(
  profileName: string,
  log: (msg: string) => void = defaultLog,
  refresh = false,
) {
  const profile = getProfile(profileName);
  await ensureHostPackages(log);
  const cacheDir = labCacheDir();
  mkdirSync(cacheDir, { recursive: true });
  const kernel = ensureKernel(cacheDir, profile.kernel, log, refresh);
  const sameKernel = Object.values(PROFILES).filter((p) => p.kernel === profile.kernel);
  const initramfs = ensureInitramfs(cacheDir, kernel, sameKernel);
  return { profile, kernel, initramfs, cacheDir };
}

type BootOutcome =
  | { kind: 'exited'; rc: number }
  | { kind: 'boot-failed' }
  | { kind: 'died' }
  | { kind: 'timeout' };

/**
 * Boots the guest for one profile, runs `argv` in `cwd` inside it and resolves to the command's
 * exit code. A boot that never reaches the command (TCG occasionally panics early) is retried once.
 */
export async function labRun(opts: LabRunOptions): Promise<number> {
  const log = opts.log ?? defaultLog;
  const accel = labAccel();
  const { profile, kernel, initramfs, cacheDir } = await provision(opts.profile, log);
  const env = {
    ...(opts.env ?? process.env),
    SCSIKIT_LAB: '1',
    SCSIKIT_LAB_PROFILE: profile.name,
    SCSIKIT_LAB_ACCEL: accel.name,
  };
  const runDir = join(cacheDir, 'runs', `${Date.now()}-${process.pid}`);
  for (let attempt = 1; attempt <= 2; attempt++) {
    rmSync(runDir, { recursive: true, force: true });
    mkdirSync(runDir, { recursive: true });
    writeFileSync(join(runDir, 'profile'), profile.name);
    writeFileSync(join(runDir, 'job.sh'), jobScript({ cwd: opts.cwd, argv: opts.argv, env }), {
      mode: 0o755,
    });
    for (const [file, size] of Object.entries(profile.scratchFiles ?? {})) {
      const fd = openSync(join(runDir, file), 'w');
      ftruncateSync(fd, size);
      closeSync(fd);
    }
    const args = [
      ...accel.args,
      '-smp',
      String(opts.cpus ?? 2),
      '-m',
      String(opts.memoryMiB ?? 4096),
      '-nodefaults',
      '-no-reboot',
      '-display',
      'none',
      '-monitor',
      'none',
      '-kernel',
      kernel.vmlinuz,
      '-initrd',
      initramfs,
      '-append',
      'console=ttyS0 panic=-1 oops=panic loglevel=6 scsi_mod.scan=sync 8250.nr_uarts=4',
      '-serial',
      `file:${join(runDir, 'console.log')}`,
      '-serial',
      'stdio',
      '-virtfs',
      'local,path=/,mount_tag=host,security_model=none,multidevs=remap',
      '-virtfs',
      `local,path=${runDir},mount_tag=labrun,security_model=none`,
      ...(profile.qemuArgs?.(runDir) ?? []),
    ];
    const outcome = await boot(args, runDir, opts);
    const consoleLog = join(runDir, 'console.log');
    if (existsSync(consoleLog)) copyFileSync(consoleLog, join(cacheDir, 'last-console.log'));
    if (existsSync(join(runDir, 'manifest.json')))
      copyFileSync(join(runDir, 'manifest.json'), join(cacheDir, 'last-manifest.json'));
    if (outcome.kind === 'boot-failed' && attempt === 1) {
      log(`the guest failed to boot (console: ${join(cacheDir, 'last-console.log')}); retrying once`);
      continue;
    }
    rmSync(runDir, { recursive: true, force: true });
    switch (outcome.kind) {
      case 'exited':
        return outcome.rc;
      case 'timeout':
        log(
          `the guest did not finish within ${opts.timeoutSec} s and was killed (console: ${join(cacheDir, 'last-console.log')})`,
        );
        return EXIT_TIMEOUT;
      default:
        log(`the guest stopped without an exit code (console: ${join(cacheDir, 'last-console.log')})`);
        log(tail(join(cacheDir, 'last-console.log')));
        return EXIT_GUEST_FAILED;
    }
  }
  throw new LabError('unreachable');
}

function tail(file: string, lines = 25): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no console output)';
  }
}

function boot(args: string[], runDir: string, opts: LabRunOptions): Promise<BootOutcome> {
  return new Promise((resolvePromise, reject) => {
    // stdin must be /dev/null, not closed: QEMU's stdio chardev fails on a closed stdin (CI).
    const child = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = opts.output ?? process.stdout;
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => out.write(chunk));
    child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutSec * 1000);
    // TCG occasionally hangs early in boot: no `started` mark within the boot deadline → kill and retry.
    const bootStart = Date.now();
    let bootHung = false;
    const bootWatch = setInterval(() => {
      if (existsSync(join(runDir, 'started'))) clearInterval(bootWatch);
      else if (Date.now() - bootStart > BOOT_DEADLINE_MS) {
        bootHung = true;
        clearInterval(bootWatch);
        child.kill('SIGKILL');
      }
    }, 500);
    const forward = () => child.kill('SIGKILL');
    process.once('SIGINT', forward);
    process.once('SIGTERM', forward);
    child.on('error', (e) => {
      clearTimeout(timer);
      clearInterval(bootWatch);
      reject(new LabError(`cannot start qemu-system-x86_64: ${e.message}`));
    });
    child.on('close', () => {
      clearTimeout(timer);
      clearInterval(bootWatch);
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      if (bootHung) return resolvePromise({ kind: 'boot-failed' });
      if (timedOut) return resolvePromise({ kind: 'timeout' });
      const rcFile = join(runDir, 'rc');
      if (existsSync(rcFile)) {
        const rc = Number.parseInt(readFileSync(rcFile, 'utf8').trim(), 10);
        return resolvePromise({ kind: 'exited', rc: Number.isNaN(rc) ? EXIT_GUEST_FAILED : rc });
      }
      resolvePromise(existsSync(join(runDir, 'started')) ? { kind: 'died' } : { kind: 'boot-failed' });
    });
  });
}
