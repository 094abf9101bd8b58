import { execFile } from 'node:child_process';
import { chmodSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readLabManifest } from '@scsikit/lab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Root bypasses both the node's mode and the kernel's command filter (LAB.md): these steps run in a
// child process as nobody (65534), against the lab's first disk, with the node's mode set per step.
const disk = readLabManifest().devices[0]!;
const child = fileURLToPath(new URL('./fixtures/permissions-child.ts', import.meta.url));
const mode = statSync(disk.bsg).mode & 0o777;
const checkout = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * nobody must reach the checkout (its tsx and packages): a clone under a 0700 directory, such as
 * mktemp's, shuts it out. Directories on the way that others may not search get o+x for the run.
 */
const widened: Array<[string, number]> = [];
function letNobodyReachCheckout(): void {
  for (let d = checkout; ; d = dirname(d)) {
    const m = statSync(d).mode & 0o7777;
    if ((m & 0o001) === 0) {
      chmodSync(d, m | 0o001);
      widened.push([d, m]);
    }
    if (dirname(d) === d) return;
  }
}

/**
 * Runs one step as nobody. Asynchronously: the child takes 20-30 s under TCG, and a worker blocked
 * in spawnSync past 60 s lets vitest's RPC time out ("Timeout calling onTaskUpdate") although every
 * test passed.
 */
function asNobody(step: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    // --no-expose-wasm: tsx's WebAssembly lexer crashes node under the lab's TCG (scripts/soak.sh).
    execFile(
      process.execPath,
      ['--no-expose-wasm', '--import', 'tsx', child, disk.bsg, step],
      {
        uid: 65534,
        gid: 65534,
        encoding: 'utf8',
        env: { ...process.env, HOME: '/tmp', TSX_DISABLE_CACHE: '1' },
        timeout: 120_000,
      },
      (error, stdout, stderr) => {
        const line = stdout.trim().split('\n').pop() ?? '';
        try {
          resolve(JSON.parse(line) as Record<string, unknown>);
        } catch {
          const how = error === null ? 'exit 0' : `${error.code ?? ''} ${error.signal ?? ''}`;
          reject(new Error(`the child printed no result (${how}): ${stderr}`));
        }
      },
    );
  });
}

describe(`an unprivileged user on ${disk.bsg}`, () => {
  beforeAll(letNobodyReachCheckout);
  afterAll(() => {
    chmodSync(disk.bsg, mode);
    for (const [d, m] of widened.reverse()) chmodSync(d, m);
  });

  it('a node it may not open: PermissionError (EACCES from open(2), reason "kernel")', async () => {
    chmodSync(disk.bsg, 0o600);
    expect(await asNobody('open')).toMatchObject({ error: 'PermissionError', reason: 'kernel' });
  });

  it('a write on a read-only open: PermissionError from the client guard, nothing sent', async () => {
    chmodSync(disk.bsg, 0o644);
    expect(await asNobody('write-on-read-only')).toMatchObject({
      error: 'PermissionError',
      reason: 'read-only',
    });
  });

  it('a vendor opcode on a writable open: the kernel filter says EPERM, mapped to PermissionError', async () => {
    chmodSync(disk.bsg, 0o666);
    expect(await asNobody('vendor-opcode')).toMatchObject({ error: 'PermissionError', reason: 'kernel' });
  });
});
