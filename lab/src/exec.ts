import { spawn, spawnSync } from 'node:child_process';

export class LabError extends Error {
  override readonly name = 'LabError';
}

/** Runs a program with an argument vector (never a shell string) and returns its stdout. */
export function run(cmd: string, args: readonly string[], opts?: { cwd?: string; input?: string }): string;
export function run(
  cmd: string,
  args: readonly string[],
  opts: { cwd?: string; input?: string; binary: true },
): Buffer;
export function run(
  cmd: string,
  args: readonly string[],
  opts: { cwd?: string; input?: string; binary?: boolean } = {},
): string | Buffer {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd,
    input: opts.input,
    ...(opts.binary === true ? {} : { encoding: 'utf8' as const }),
    maxBuffer: 1024 * 1024 * 1024,
  });
  if (r.error) throw new LabError(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) {
    const tail = `${String(r.stderr ?? '')}${opts.binary === true ? '' : String(r.stdout ?? '')}`
      .trim()
      .split('\n')
      .slice(-15)
      .join('\n');
    throw new LabError(`${cmd} ${args.join(' ')} exited with ${String(r.status ?? r.signal)}\n${tail}`);
  }
  return r.stdout;
}

export function which(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd], { encoding: 'utf8' });
  const out = r.stdout.trim();
  return r.status === 0 && out !== '' ? out : undefined;
}

/** Like run() but streams output through (used for apt-get so the user sees progress). */
export function runInherit(cmd: string, args: readonly string[]): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (e) => reject(new LabError(`${cmd}: ${e.message}`)));
    child.on('exit', (code, signal) =>
      code === 0
        ? resolvePromise()
        : reject(new LabError(`${cmd} ${args.join(' ')} exited with ${String(code ?? signal)}`)),
    );
  });
}
