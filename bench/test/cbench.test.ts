import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cArgs, ensureBuilt, parseCResult, runC } from '../src/cbench.js';

const execFileAsync = promisify(execFile);

// The C reference program builds here with the same flags the harness uses, and its NOP mode runs
// on any host. Timings are never asserted: only that the figures are there and consistent.
describe('scsibench (C)', () => {
  let dir: string;
  let binary: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'scsibench-'));
    const b = ensureBuilt({ buildDir: dir });
    expect(b.built).toBe(true);
    binary = b.binary;
  }, 60_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('does not rebuild an up-to-date binary', () => {
    expect(ensureBuilt({ buildDir: dir }).built).toBe(false);
  });

  it.each([1, 64])('runs NOPs in batches of %i and prints one JSON result line', async (batch) => {
    const r = await runC(binary, { op: 'nop', batch, count: 20_000 });
    expect(r.op).toBe('nop');
    expect(r.batch).toBe(batch);
    expect(r.count).toBeGreaterThanOrEqual(20_000);
    expect(r.count % batch).toBe(0);
    expect(r.elapsedNs).toBeGreaterThan(0);
    expect(r.opsPerSec).toBeGreaterThan(0);
    expect(r.lat.samples).toBeGreaterThan(0);
    expect(r.lat.p99).toBeGreaterThanOrEqual(r.lat.p50);
  });

  it('prints exactly one line of valid JSON on stdout', async () => {
    const { stdout } = await execFileAsync(binary, ['nop', '--batch', '8', '--count', '800']);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const doc = JSON.parse(lines[0] as string);
    expect(doc).toMatchObject({ tool: 'scsibench', op: 'nop', count: 800 });
    expect(Object.keys(doc.lat_ns)).toEqual(['samples', 'mean', 'min', 'p50', 'p90', 'p99', 'p999', 'max']);
  });

  it('stops on a time limit too', async () => {
    const r = await runC(binary, { op: 'nop', batch: 32, seconds: 0.05 });
    expect(r.count).toBeGreaterThan(0);
  });

  it('refuses bad arguments and a missing device with a message and a non-zero exit', async () => {
    await expect(
      runC(binary, { op: 'randread', mode: 'uring', path: '/dev/null', qd: 4, count: 1 }),
    ).rejects.toThrow(/needs --lba-count/u);
    await expect(
      runC(binary, { op: 'randread', mode: 'sgv4', path: '/dev/null', qd: 4, count: 1, lbaCount: 1024 }),
    ).rejects.toThrow(/one command at a time/u);
    await expect(
      runC(binary, { op: 'inquiry', mode: 'sgv4', path: join(dir, 'no-such-device'), count: 1 }),
    ).rejects.toThrow(/open .*no-such-device failed/u);
    await expect(runC(binary, { op: 'nop', batch: 1 })).rejects.toThrow(/--count or --seconds/u);
  });

  it('fails loudly when SG_IO is not supported by the node (no silent zero result)', async () => {
    await expect(runC(binary, { op: 'inquiry', mode: 'sgv3', path: '/dev/null', count: 1 })).rejects.toThrow(
      /ioctl\(SG_IO v3\) failed/u,
    );
  });
});

describe('cArgs / parseCResult', () => {
  it('passes every option as its own argument', () => {
    expect(
      cArgs({
        op: 'randread',
        mode: 'uring-fixed',
        path: '/dev/bsg/0:0:0:0',
        qd: 32,
        seconds: 2,
        lbaCount: 524288,
        blockSize: 512,
      }),
    ).toEqual([
      'randread',
      '--path',
      '/dev/bsg/0:0:0:0',
      '--mode',
      'uring-fixed',
      '--qd',
      '32',
      '--seconds',
      '2',
      '--lba-count',
      '524288',
      '--block-size',
      '512',
    ]);
  });

  it('rejects output that is not the program’s result', () => {
    expect(() => parseCResult('hello\n')).toThrow(/no JSON line/u);
    expect(() => parseCResult('{"tool":"other"}')).toThrow(/not ours/u);
  });
});
