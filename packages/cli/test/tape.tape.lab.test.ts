// The tape profile: `scsikit tape` in process on the scsi_debug tape (core's openDevice, io_uring),
// each document checked against its published schema.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDevice } from '@scsikit/core';
import { readLabManifest } from '@scsikit/lab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/main.js';
import { commandDocumentSchema } from '../src/schemas.js';

const manifest = readLabManifest();
const tape = manifest.devices.find((d) => d.type === 0x01);
const dir = mkdtempSync(join(tmpdir(), 'scsikit-tape-lab-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The CLI never retries (like sg3_utils): a power-on or not-ready-to-ready UNIT ATTENTION still
// pending from boot or from another suite would fail its first command. Core's TEST UNIT READY
// (which retries a unit attention) takes it first.
beforeAll(async () => {
  if (tape === undefined) return;
  const dev = await openDevice(tape.bsg);
  await dev.testUnitReady();
  await dev.close();
});

type Doc = Record<string, unknown>;

async function scsikit(...argv: string[]): Promise<{ code: number; doc: Doc; stderr: string }> {
  let out = '';
  let err = '';
  const code = await run(['tape', tape?.bsg ?? 'missing', ...argv, '--json'], {
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
  const doc = JSON.parse(out) as Doc;
  const parsed = commandDocumentSchema('tape').safeParse(doc);
  expect(parsed.success, `tape ${argv.join(' ')}: ${parsed.error?.message}`).toBe(true);
  return { code, doc, stderr: err };
}

describe(`scsikit tape on the scsi_debug tape (${manifest.profile})`, () => {
  it('write, weof, rewind, read back to the filemark, position, space, status', async () => {
    expect(tape, JSON.stringify(manifest.devices)).toBeDefined();
    const input = join(dir, 'rec.bin');
    const data = Uint8Array.from({ length: 1024 }, (_, i) => (i * 13) & 0xff);
    writeFileSync(input, data);
    expect((await scsikit('rewind')).code).toBe(0);
    expect((await scsikit('write', '-i', input, '--write')).doc).toMatchObject({ bytes: 1024 });
    expect((await scsikit('weof', '1', '--write')).code).toBe(0);
    // Without --write a write-class action never opens the device.
    const refused = await scsikit('weof', '1');
    expect(refused.code).toBe(1);
    expect((await scsikit('rewind')).code).toBe(0);
    const out = join(dir, 'out.bin');
    const read = await scsikit('read', '-l', '4096', '-o', out);
    expect(read.doc).toMatchObject({ bytes: 1024, blocks: 1, result: { ili: true, residue: 3072 } });
    // scsi_debug's tape keeps only the first 4 bytes of a block (docs/target-notes.md).
    const kept = new Uint8Array(1024);
    kept.set(data.subarray(0, 4));
    expect(new Uint8Array(readFileSync(out))).toEqual(kept);
    expect((await scsikit('read', '-l', '512')).doc).toMatchObject({ bytes: 0, result: { filemark: true } });
    expect((await scsikit('position')).doc).toMatchObject({ position: { firstLocation: 2 } });
    expect((await scsikit('space', '-1', '--filemarks')).doc).toMatchObject({ result: { residue: 0 } });
    expect((await scsikit('status')).doc).toMatchObject({
      ready: true,
      position: { firstLocation: 1 },
      mode: { mode: 'variable', blockLength: 0 },
    });
    expect((await scsikit('limits')).doc).toMatchObject({ limits: { minimumBlockLength: 512 } });
    // REPORT DENSITY SUPPORT is not in scsi_debug: INVALID COMMAND OPERATION CODE, exit 9.
    expect((await scsikit('densities')).code).toBe(9);
  });
});
