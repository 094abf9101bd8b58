/** Shared test helpers: send a cdb builder's CdbSpec, decode sense. */
import { type CdbSpec, decodeSense, type StandardSense } from '@scsikit/cdb';
import type { ScsiResult, Transport } from '@scsikit/transport';
import { expect } from 'vitest';

/** Sends `spec` (data-in room from the spec, or `data` for data-out). */
export function send(t: Transport, spec: CdbSpec, data?: Uint8Array): Promise<ScsiResult> {
  if (spec.direction === 'out')
    return t.execute({ cdb: spec.cdb, direction: 'out', data: data ?? new Uint8Array(spec.transferLength) });
  if (spec.direction === 'in')
    return t.execute({ cdb: spec.cdb, direction: 'in', transferLength: spec.transferLength });
  return t.execute({ cdb: spec.cdb, direction: 'none' });
}

/** Sends `spec` and expects GOOD. */
export async function good(t: Transport, spec: CdbSpec, data?: Uint8Array): Promise<ScsiResult> {
  const r = await send(t, spec, data);
  if (r.status !== 0) {
    const s = r.sense.length > 0 ? decodeSense(r.sense) : undefined;
    throw new Error(
      `${spec.name}: status 0x${r.status.toString(16)}${s !== undefined && s.format !== 'vendor' ? ` ${s.senseKeyName} ${s.description}` : ''}`,
    );
  }
  expect(r.hostStatus).toBe(0);
  return r;
}

/** The standard sense of a CHECK CONDITION result. */
export function senseOf(r: ScsiResult): StandardSense {
  expect(r.status, 'CHECK CONDITION').toBe(0x02);
  expect(r.driverStatus, 'DRIVER_SENSE').toBe(0x08);
  const s = decodeSense(r.sense);
  if (s.format === 'vendor') throw new Error('vendor sense');
  return s;
}

/** Expects CHECK CONDITION with this key/ASC/ASCQ; returns the decoded sense. */
export function expectSense(r: ScsiResult, key: number, asc: number, ascq: number): StandardSense {
  const s = senseOf(r);
  expect([s.senseKey, s.asc, s.ascq]).toEqual([key, asc, ascq]);
  return s;
}

/** A block of `length` bytes filled with a pattern derived from `seed`. */
export function pattern(length: number, seed: number): Uint8Array {
  const b = new Uint8Array(length);
  for (let i = 0; i < length; i++) b[i] = (seed * 31 + i * 7 + 1) & 0xff;
  return b;
}
