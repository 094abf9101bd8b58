import { EmulatedDisk } from '@scsikit/emulated-disk';
import { describe, expect, it } from 'vitest';
import { CheckConditionError, InvalidArgumentError, openDevice, PermissionError } from '../src/index.js';

async function open(options: ConstructorParameters<typeof EmulatedDisk>[0] = {}, write = false) {
  const disk = new EmulatedDisk({ capacity: { blocks: 8192 }, ...options });
  const dev = await openDevice(disk, { write, retry: false });
  return { disk, dev };
}

const CERT = Uint8Array.from({ length: 700 }, (_, i) => (i * 3) & 0xff);

describe('security protocols over the emulated disk', () => {
  it('supportedSecurityProtocols: 00h first, names, read-class (a read-only device sends it)', async () => {
    const { dev } = await open({ securityProtocols: { protocols: [0xee, 0x01] } });
    const s = await dev.supportedSecurityProtocols();
    expect(s.protocols.map((p) => p.securityProtocol)).toEqual([0x00, 0x01, 0xee]);
    expect(s.protocols.map((p) => p.name)).toEqual([
      'security protocol information',
      'Trusted Computing Group (TCG)',
      'IEEE 1667',
    ]);
    expect(s.truncated).toBe(false);
  });

  it('securityCertificates: a certificate longer than the first allocation is read again whole', async () => {
    const { disk, dev } = await open({ securityProtocols: { protocols: [], certificate: CERT } });
    const c = await dev.securityCertificates();
    expect(c.certificateLength).toBe(700);
    expect(c.certificate).toEqual(CERT);
    expect(c.truncated).toBe(false);
    expect(disk.recorder.commands().filter((n) => n === 'SECURITY PROTOCOL IN')).toHaveLength(2);
    const { dev: none } = await open({ securityProtocols: { protocols: [] } });
    expect(await none.securityCertificates()).toMatchObject({ certificateLength: 0, truncated: false });
  });

  it('securityProtocolIn: raw bytes, the allocation length in the CDB; bad arguments refused', async () => {
    const { disk, dev } = await open({ securityProtocols: { protocols: [0x20] } });
    const raw = await dev.securityProtocolIn(0, 0, { allocationLength: 64 });
    expect([...raw]).toEqual([0, 0, 0, 0, 0, 0, 0, 2, 0x00, 0x20]);
    expect([...(disk.recorder.last()?.cdb ?? [])]).toEqual([0xa2, 0, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0]);
    // A protocol whose payload the emulation does not carry: INVALID FIELD IN CDB.
    expect(await dev.securityProtocolIn(0x20, 0).catch((x: unknown) => x)).toMatchObject({ asc: 0x24 });
    expect(await dev.securityProtocolIn(256, 0).catch((x: unknown) => x)).toBeInstanceOf(
      InvalidArgumentError,
    );
    expect(await dev.securityProtocolIn(0, 0x1_0000).catch((x: unknown) => x)).toBeInstanceOf(
      InvalidArgumentError,
    );
  });

  it('securityProtocolOut is write-class: a read-only device refuses before sending', async () => {
    const { disk, dev } = await open({ securityProtocols: { protocols: [1] } });
    const e = await dev.securityProtocolOut(1, 1, new Uint8Array(512)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PermissionError);
    expect(disk.recorder.size).toBe(0);
    // Writable: sent, and this disk does not implement it (INVALID COMMAND OPERATION CODE).
    const { disk: w, dev: wdev } = await open({}, true);
    const e2 = await wdev.securityProtocolOut(1, 1, new Uint8Array(512)).catch((x: unknown) => x);
    expect(e2).toMatchObject({ senseKey: 5, asc: 0x20 });
    expect([...(w.recorder.last()?.cdb ?? [])]).toEqual([0xb5, 1, 0, 1, 0, 0, 0, 0, 2, 0, 0, 0]);
  });

  it('a disk without the option: ILLEGAL REQUEST, INVALID COMMAND OPERATION CODE', async () => {
    const { dev } = await open();
    const e = await dev.supportedSecurityProtocols().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CheckConditionError);
    expect(e).toMatchObject({ senseKey: 5, asc: 0x20, ascq: 0 });
  });
});
