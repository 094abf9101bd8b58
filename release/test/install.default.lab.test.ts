// The installed copy against a real kernel: the npm consumer that release/prepare.ts installed on
// the host (outside the repository, from the packed tarballs) runs one example and a read over
// io_uring against the profile's scsi_debug disk, and its `scsikit list` names the disk.
import { spawnSync } from 'node:child_process';
import { readLabManifest } from '@scsikit/lab';
import { describe, expect, it } from 'vitest';
import { readPackagingManifest } from '../manifest.js';

const m = readPackagingManifest();
const lab = readLabManifest();
const disk = lab.devices[0];
const dir = m.consumers.npm;

function run(args: readonly string[]) {
  // The guest's node is the host's, through the 9p share; the bare PATH keeps the workspace away.
  return spawnSync(process.execPath, args, {
    cwd: dir,
    encoding: 'utf8',
    env: { HOME: process.env.HOME ?? '/root', PATH: m.bin },
    timeout: 120_000,
  });
}

describe('the npm-installed packages on scsi_debug', () => {
  it('has a disk to use', () => {
    expect(disk?.bsg).toMatch(/^\/dev\/bsg\//u);
  });

  it('runs examples/identify.ts, compiled, from the installed copy', () => {
    const r = run(['identify.mjs', disk?.bsg ?? '']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/vendor\s+Linux/u);
    expect(r.stdout).toMatch(/product\s+scsi_debug/u);
    expect(r.stdout).toMatch(/VPD pages\s+00 /u);
  });

  it('reads over io_uring with the prebuilt addon', () => {
    const r = run(['uring.cjs', disk?.bsg ?? '']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ kind: 'uring', product: 'scsi_debug' });
    expect(out.bytes).toBe(out.blockLength);
    expect(out.addons).toEqual([expect.stringMatching(/prebuilds\/linux-x64\/node\.glibc\.node$/u)]);
  });

  it('scsikit list names the disk', () => {
    const r = run(['node_modules/@scsikit/cli/dist/bin.js', 'list', '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { devices: { hctl: string }[] };
    const listed = out.devices.find((d) => d.hctl === disk?.hctl);
    expect(JSON.stringify(listed)).toContain('scsi_debug');
  });
});
