import { EmulatedDisk } from '@scsikit/emulated-disk';
import { describe, expect, it } from 'vitest';
import { Fence, InvalidArgumentError, openDevice, ScsiStatusError } from '../src/index.js';

const KEY_A = 0xaaaa0001n;
const KEY_B = 0xbbbb0002n;

/** Two nodes: two connections (I_T nexuses) to one emulated logical unit. */
async function cluster() {
  const disk = new EmulatedDisk({ capacity: { blocks: 2048 } });
  const a = await openDevice(disk, { write: true });
  const b = await openDevice(disk.connect(), { write: true });
  return { disk, a, b, fa: new Fence(a, { key: KEY_A }), fb: new Fence(b, { key: KEY_B }) };
}

describe('Fence: persistent-reservation fencing between two nodes', () => {
  it('join is idempotent; acquire reserves for one node, the other sees the holder', async () => {
    const { fa, fb } = await cluster();
    await fa.join();
    await fa.join();
    await fb.join();
    expect(await fa.acquire()).toBe(true);
    expect(await fa.acquire()).toBe(true);
    const s = await fb.status();
    expect(s.registeredKeys).toEqual([KEY_A, KEY_B]);
    expect(s.reservation).toMatchObject({ key: KEY_A, type: 5 });
    expect(s).toMatchObject({ registered: true, holder: false });
    // Registrants-only: the other registrant is not the holder but may write.
    expect(await fb.acquire()).toBe(false);
    await fb.device.write(0, 1, new Uint8Array(512).fill(2));
  });

  it('fence(peer) removes the failed node: its writes fail with an explained RESERVATION CONFLICT', async () => {
    const { fa, fb } = await cluster();
    await fa.join();
    await fb.join();
    await fa.acquire();
    await fb.fence(KEY_A);
    const s = await fb.status();
    expect(s.registeredKeys).toEqual([KEY_B]);
    expect(s).toMatchObject({ holder: true, reservation: { key: KEY_B, type: 5 } });
    const w = await fa.device.write(0, 1, new Uint8Array(512)).catch((x: unknown) => x);
    expect(w).toBeInstanceOf(ScsiStatusError);
    expect((w as ScsiStatusError).status).toBe(0x18);
    // A fenced node trying to take the reservation back is told why it cannot.
    const e = (await fa.acquire().catch((x: unknown) => x)) as ScsiStatusError;
    expect(e).toBeInstanceOf(ScsiStatusError);
    expect(e.message).toMatch(/RESERVATION CONFLICT .*this node's key 0x00000000aaaa0001 is not registered/);
    expect(e.cause).toBeInstanceOf(ScsiStatusError);
    await fb.device.write(0, 1, new Uint8Array(512).fill(0xb));
  });

  it('leave releases and unregisters; the unit ends free', async () => {
    const { fa, fb } = await cluster();
    await fa.join();
    await fb.join();
    await fa.acquire();
    await fa.leave();
    await fa.leave();
    const s = await fb.status();
    expect(s.registeredKeys).toEqual([KEY_B]);
    expect(s.reservation).toBeUndefined();
    await fb.leave();
    expect((await fa.status()).registeredKeys).toEqual([]);
  });

  it('rejects bad keys and types with InvalidArgumentError, before any command', async () => {
    const { a, disk } = await cluster();
    disk.recorder.clear();
    expect(() => new Fence(a, { key: 0n })).toThrow(InvalidArgumentError);
    expect(() => new Fence(a, { key: 1n << 64n })).toThrow(InvalidArgumentError);
    expect(() => new Fence(a, { key: 5 as unknown as bigint })).toThrow(InvalidArgumentError);
    expect(() => new Fence(a, { key: 1n, type: 'bogus' as never })).toThrow(InvalidArgumentError);
    const f = new Fence(a, { key: KEY_A });
    await expect(f.fence(KEY_A)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(f.fence(0n)).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(disk.recorder.size).toBe(0);
  });
});

describe('Fence: preempt without abort', () => {
  it('fence(peer, { abort: false }) sends PREEMPT, not PREEMPT AND ABORT', async () => {
    const { disk, fa, fb } = await cluster();
    await fa.join();
    await fb.join();
    await fa.acquire();
    disk.recorder.clear();
    await fb.fence(KEY_A, { abort: false });
    const sent = disk.recorder.entries.filter((e) => e.cdb[0] === 0x5f).map((e) => (e.cdb[1] ?? 0) & 0x1f);
    expect(sent).toEqual([0x04]);
    expect((await fb.status()).registeredKeys).toEqual([KEY_B]);
  });
});
