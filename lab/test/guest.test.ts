import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jobScript, shellQuote } from '../src/guest.js';
import { parseLabManifest } from '../src/manifest.js';

describe('shell quoting of the guest command', () => {
  it('passes any argument through sh unchanged', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\0')),
          { minLength: 1, maxLength: 4 },
        ),
        (args) => {
          const script = `printf '%s\\0' ${args.map(shellQuote).join(' ')}`;
          const r = spawnSync('sh', ['-c', script], { encoding: 'utf8' });
          const out = r.stdout.split('\0').slice(0, -1);
          expect(out).toEqual(args);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('writes the environment, the directory and the command, and records the exit code', () => {
    const s = jobScript({
      cwd: "/work/it's here",
      argv: ['node', 'x.js', '$(rm -rf /)'],
      env: { PATH: '/usr/bin', 'BAD-NAME': 'x', PWD: '/elsewhere', CI: undefined },
    });
    expect(s).toBe(
      `#!/bin/sh\nexport PATH='/usr/bin'\ncd '/work/it'\\''s here' || exit 125\n'node' 'x.js' '$(rm -rf /)'\necho $? > /run/scsikit-rc\n`,
    );
    expect(() => jobScript({ cwd: '/', argv: [], env: {} })).toThrowError(/needs a command/);
  });
});

describe('lab manifest', () => {
  const good = {
    version: 1,
    profile: 'default',
    kernel: '7.3.4+deb13-amd64',
    devices: [
      {
        kind: 'scsi_debug',
        hctl: '0:0:0:0',
        type: 0,
        vendor: 'Linux',
        model: 'scsi_debug',
        revision: '0191',
        block: '/dev/sda',
        sg: '/dev/sg0',
        bsg: '/dev/bsg/0:0:0:0',
        queueDepth: 128,
      },
    ],
  };

  it('parses what the guest writes', () => {
    expect(parseLabManifest(JSON.stringify(good)).devices[0]?.bsg).toBe('/dev/bsg/0:0:0:0');
  });

  it('names the bad field of a malformed manifest', () => {
    const bad = { ...good, devices: [{ ...good.devices[0], bsg: '/dev/sda' }] };
    expect(() => parseLabManifest(JSON.stringify(bad))).toThrowError(/bsg/);
    expect(() => parseLabManifest('{')).toThrowError(/not JSON/);
    expect(() => parseLabManifest(JSON.stringify({ ...good, version: 2 }))).toThrowError(/version/);
  });
});
