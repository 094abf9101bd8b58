import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmulatedDisk } from '@scsikit/emulated-disk';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, cliJson } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'scsikit-cli-fw-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function imageFile(name: string, length: number): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    Uint8Array.from({ length }, (_, i) => (i * 11) & 0xff),
  );
  return path;
}

describe('fw-download', () => {
  it('refuses without --write and opens nothing', async () => {
    const r = await cli(['fw-download', 'x', imageFile('a.bin', 1024)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--write/);
    expect(r.opened).toEqual([]);
  });

  it('mode 7 in chunks: text with the device limits, a progress line per chunk, activation', async () => {
    const disk = new EmulatedDisk({ microcode: { offsetBoundary: 9, bufferCapacity: 65536 } });
    const r = await cli(['fw-download', 'x', imageFile('b.bin', 2500), '--chunk', '1024', '--write'], {
      transport: disk,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.opened).toEqual([{ target: 'x', write: true }]);
    expect(r.stdout).toContain(
      'WRITE BUFFER mode 07h (download microcode with offsets and save), buffer ID 0',
    );
    expect(r.stdout).toContain('sent 2500 bytes in 3 command(s) of up to 1024 bytes');
    expect(r.stdout).toContain('offset boundary 2^9 (512 bytes), buffer capacity 65536 bytes');
    expect(r.stdout).toContain('Microcode activated');
    expect(r.stdout).toMatch(/unit attention consumed: 3fh\/01h Microcode has been changed/i);
    // No terminal in tests: the progress bar prints one line per change on stderr.
    expect(r.stderr).toContain('Download: 40.96%');
    expect(r.stderr).toContain('Download: 100.00%');
    expect(disk.microcode().received).toBe(2500);
  });

  it('--json: mode 0xe deferred, then --activate; the document follows the published schema', async () => {
    const disk = new EmulatedDisk({ microcode: true });
    const file = imageFile('c.bin', 1024);
    const deferred = await cliJson('fw-download', ['x', file, '--mode', '0xe', '--write'], {
      transport: disk,
    });
    expect(deferred).toMatchObject({
      mode: 14,
      activated: false,
      deferred: true,
      bytesSent: 1024,
      unitAttentions: [],
    });
    expect(deferred.limits).toMatchObject({
      offsetBoundary: 9,
      bufferCapacity: 1048576,
      activateMicrocode: 1,
    });
    const now = await cliJson('fw-download', ['x', file, '--mode', '0xe', '--activate', '--write'], {
      transport: disk,
    });
    expect(now).toMatchObject({ activated: true, commands: 2, unitAttentions: [{ asc: 0x3f, ascq: 0x01 }] });
  });

  it('bad input: a misaligned chunk (1), a bad mode (1), a missing file (15), no WRITE BUFFER (9)', async () => {
    const disk = new EmulatedDisk({ microcode: { offsetBoundary: 9 } });
    const file = imageFile('d.bin', 2048);
    const misaligned = await cli(['fw-download', 'x', file, '--chunk', '1000', '--write'], {
      transport: disk,
    });
    expect(misaligned.code).toBe(1);
    expect(misaligned.stderr).toMatch(/not a multiple of the device's offset boundary/);
    expect((await cli(['fw-download', 'x', file, '--mode', '6', '--write'], { transport: disk })).code).toBe(
      1,
    );
    expect(
      (await cli(['fw-download', 'x', join(dir, 'nope.bin'), '--write'], { transport: disk })).code,
    ).toBe(15);
    expect(disk.microcode().received).toBe(0);
    const plain = await cliJson('fw-download', ['x', file, '--write'], {
      transport: new EmulatedDisk(),
      code: 9,
    });
    expect(plain.error).toMatchObject({ name: 'CheckConditionError', asc: 0x20, exitStatus: 9 });
  });
});

describe('security', () => {
  it('lists the protocols with names and the certificate; read-only', async () => {
    const cert = Uint8Array.of(0x30, 0x82, 0x01, 0x0a);
    const disk = new EmulatedDisk({ securityProtocols: { protocols: [0x01, 0xee], certificate: cert } });
    const r = await cli(['security', 'x'], { transport: disk });
    expect(r.code, r.stderr).toBe(0);
    expect(r.opened).toEqual([{ target: 'x', write: false }]);
    expect(r.stdout).toContain('Supported security protocols:');
    expect(r.stdout).toContain('  00h  security protocol information');
    expect(r.stdout).toContain('  01h  Trusted Computing Group (TCG)');
    expect(r.stdout).toContain('  eeh  IEEE 1667');
    expect(r.stdout).toContain('Certificate: 4 bytes');
    const doc = await cliJson('security', ['x'], { transport: disk });
    expect(doc).toMatchObject({
      supportedSecurityProtocolListLength: 3,
      protocols: [
        { securityProtocol: 0 },
        { securityProtocol: 1 },
        { securityProtocol: 0xee, name: 'IEEE 1667' },
      ],
      certificateLength: 4,
      certificate: '3082010a',
    });
    const none = await cliJson('security', ['x'], {
      transport: new EmulatedDisk({ securityProtocols: { protocols: [] } }),
    });
    expect(none).toMatchObject({ certificateLength: 0, certificate: '' });
  });

  it('a device without SECURITY PROTOCOL IN: a clear message and exit 9', async () => {
    const r = await cli(['security', 'x'], { transport: new EmulatedDisk() });
    expect(r.code).toBe(9);
    expect(r.stderr).toContain('the device does not support SECURITY PROTOCOL IN');
    const doc = await cliJson('security', ['x'], { transport: new EmulatedDisk(), code: 9 });
    expect(doc.error).toMatchObject({
      name: 'CheckConditionError',
      senseKey: 5,
      asc: 0x20,
      ascq: 0,
      exitStatus: 9,
    });
  });
});
