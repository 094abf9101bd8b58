// The iscsi profile: one LIO LUN reached over two iSCSI sessions (two initiator names) through the
// kernel initiator. Discovery names the transport; both paths are one logical unit; the io_uring
// read/write path works over iSCSI as over any SCSI host.
import { readLabManifest } from '@scsikit/lab';
import { describe, expect, it } from 'vitest';
import { listDevices, openDevice } from '../src/index.js';

const manifest = readLabManifest();
const TARGET = 'iqn.2026-11.org.scsikit:lab-target';

describe('iSCSI LUN through two sessions (LIO target, open-iscsi initiator)', () => {
  it('listDevices reports the iSCSI transport: session, target name and portal', () => {
    const found = listDevices().filter((d) => manifest.devices.some((m) => m.hctl === d.hctl));
    expect(found).toHaveLength(2);
    const sessions = new Set<number>();
    const ports: number[] = [];
    for (const d of found) {
      expect(d.transport.kind).toBe('iscsi');
      if (d.transport.kind !== 'iscsi') continue;
      sessions.add(d.transport.session);
      expect(d.transport.targetName).toBe(TARGET);
      expect(d.transport.portal?.address).toBe('127.0.0.1');
      ports.push(d.transport.portal?.port ?? 0);
    }
    expect(sessions.size).toBe(2);
    // One session per portal of the target portal group.
    expect(ports.sort()).toEqual([3260, 3261]);
    // One logical unit behind both sessions.
    expect(found[0]?.wwn).toBeDefined();
    expect(found[1]?.wwn).toBe(found[0]?.wwn);
  });

  it('what one session writes over io_uring, the other reads', async () => {
    const [pa, pb] = manifest.devices;
    const a = await openDevice(pa!.bsg, { write: true });
    const b = await openDevice(pb!.bsg);
    try {
      expect(a.transport.kind).toBe('uring');
      const { blockLength } = await a.readCapacity();
      const data = new Uint8Array(16 * blockLength).map((_, i) => (i * 13 + 7) & 0xff);
      await a.write(128, 16, data, { fua: true });
      const back = await b.read(128, 16);
      expect(Buffer.compare(back, data)).toBe(0);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
