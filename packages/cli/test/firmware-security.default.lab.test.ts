// Default profile (scsi_debug): `fw-download` and `security` on the real kernel target, in process.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLabManifest } from '@scsikit/lab';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../src/main.js';
import { commandDocumentSchema } from '../src/schemas.js';

const lab = readLabManifest().devices[0]!;
const dir = mkdtempSync(join(tmpdir(), 'scsikit-fw-lab-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function scsikit(argv: readonly string[]) {
  let out = '';
  let err = '';
  const code = await run(argv, {
    io: {
      out: (s) => {
        out += s;
      },
      outBytes: () => {},
      err: (s) => {
        err += s;
      },
      confirm: async () => false,
    },
  });
  return { code, out, err };
}

describe(`CLI on ${lab.kind} ${lab.hctl}`, () => {
  it('fw-download --json: mode 7 in chunks over io_uring, activation and the unit attentions consumed', async () => {
    const file = join(dir, 'fw.bin');
    writeFileSync(
      file,
      Uint8Array.from({ length: 10_000 }, (_, i) => i & 0xff),
    );
    const r = await scsikit([
      'fw-download',
      lab.bsg,
      file,
      '--chunk',
      '4096',
      '--transport',
      'uring',
      '--write',
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(r.out) as Record<string, unknown>;
    expect(commandDocumentSchema('fw-download').safeParse(doc).success).toBe(true);
    expect(doc).toMatchObject({ mode: 7, bytesSent: 10_000, commands: 3, activated: true });
    const uas = doc.unitAttentions as Array<{ asc: number; ascq: number }>;
    expect(uas.map((u) => [u.asc, u.ascq])).toEqual([
      [0x3f, 0x16],
      [0x3f, 0x16],
      [0x3f, 0x16],
    ]);
    expect(r.err).toContain('Download: 100.00%');
  });

  it('security: scsi_debug has no SECURITY PROTOCOL IN — a clear message and exit 9', async () => {
    const r = await scsikit(['security', lab.bsg]);
    expect(r.code).toBe(9);
    expect(r.err).toContain('the device does not support SECURITY PROTOCOL IN');
    expect(r.err).toMatch(/Invalid command operation code/i);
  });
});
