import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './exec.js';
import { initScript, modulesFor } from './guest.js';
import type { KernelInfo } from './kernel.js';
import { parseModulesDep } from './modules.js';
import type { Profile } from './profiles.js';
import { STATIC_BUSYBOX } from './system.js';

/**
 * Builds (or reuses) the initramfs for a kernel: busybox, the decompressed modules every given
 * profile needs, and /init. Cached by a hash of everything that goes in.
 */
export function ensureInitramfs(cacheDir: string, kernel: KernelInfo, profiles: readonly Profile[]): string {
  const graph = parseModulesDep(readFileSync(join(kernel.modulesDir, 'modules.dep'), 'utf8'));
  const modules = modulesFor(graph, profiles);
  const init = initScript(graph, profiles);
  const bb = statSync(STATIC_BUSYBOX);
  const key = createHash('sha256')
    .update(JSON.stringify({ release: kernel.release, modules, init, bb: [bb.size, bb.mtimeMs] }))
    .digest('hex')
    .slice(0, 16);
  const out = join(cacheDir, 'initramfs', `${kernel.release}-${key}.cpio`);
  if (existsSync(out)) return out;

  const stage = join(cacheDir, 'initramfs', `stage-${process.pid}`);
  rmSync(stage, { recursive: true, force: true });
  for (const d of [
    'bin',
    'sbin',
    'lib/modules',
    'proc',
    'sys',
    'dev',
    'mnt',
    'labrun',
    'run',
    'tmp',
    'var/target/pr',
  ]) {
    mkdirSync(join(stage, d), { recursive: true });
  }
  writeFileSync(join(stage, 'bin', 'busybox'), readFileSync(STATIC_BUSYBOX), { mode: 0o755 });
  writeFileSync(join(stage, 'init'), init, { mode: 0o755 });
  for (const m of modules) {
    const node = graph.get(m);
    if (node === undefined) continue;
    const src = join(kernel.modulesDir, node.path);
    const ko = src.endsWith('.xz')
      ? run('xz', ['-dc', src], { binary: true })
      : src.endsWith('.zst')
        ? run('zstd', ['-dc', src], { binary: true })
        : readFileSync(src);
    writeFileSync(join(stage, 'lib', 'modules', `${m}.ko`), ko);
  }
  const list = run('find', ['.', '-mindepth', '1'], { cwd: stage });
  const archive = run('cpio', ['--quiet', '-o', '-H', 'newc', '-R', '0:0'], {
    cwd: stage,
    input: list,
    binary: true,
  });
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, archive);
  renameSync(tmp, out);
  rmSync(stage, { recursive: true, force: true });
  return out;
}
