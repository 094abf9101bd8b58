/** `scsikit health` on the sata profile's disk (libata SAT over QEMU's AHCI ide-hd): PASSED, exit 0. */
import { readLabManifest } from '@scsikit/lab';
import { describe, expect, it } from 'vitest';
import { run } from '../src/main.js';
import { commandDocumentSchema } from '../src/schemas.js';

const disk = readLabManifest().devices[0]!;

async function scsikit(argv: readonly string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await run(argv, {
    io: {
      out: (s) => {
        out += s;
      },
      outBytes: () => {},
      err: () => {},
      confirm: async () => false,
    },
  });
  return { code, out };
}

describe(`scsikit health ${disk.bsg} (SATA behind libata)`, () => {
  it('text: the ATA self-assessment line, exit 0', async () => {
    const r = await scsikit(['health', disk.bsg]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('SMART overall-health self-assessment test result: PASSED\n');
  });

  it('--json: the document validates, protocol ata', async () => {
    const r = await scsikit(['health', disk.bsg, '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as Record<string, unknown>;
    expect(commandDocumentSchema('health').safeParse(doc).success).toBe(true);
    expect(doc).toMatchObject({ command: 'health', verdict: 'PASSED', protocol: 'ata' });
  });
});
