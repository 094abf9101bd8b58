/** `scsikit health` on scsi_debug (default profile): "SMART Health Status: OK", exit 0, 38 °C. */
import { readLabManifest } from '@scsikit/lab';
import { describe, expect, it } from 'vitest';
import { run } from '../src/main.js';

const disk = readLabManifest().devices[0]!;

describe(`scsikit health ${disk.bsg} (scsi_debug)`, () => {
  it('text: SMART Health Status OK and the IE log temperature, exit 0', async () => {
    let out = '';
    const code = await run(['health', disk.bsg], {
      io: {
        out: (s) => {
          out += s;
        },
        outBytes: () => {},
        err: () => {},
        confirm: async () => false,
      },
    });
    expect(code).toBe(0);
    expect(out).toContain('SMART Health Status: OK\n');
    expect(out).toContain('Current Drive Temperature:     38 C\n');
  });
});
