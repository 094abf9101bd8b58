/**
 * Every `decode…` export of the package index, fed random bytes: each call returns or throws
 * DecodeError, never another exception (a RangeError from a DataView, a TypeError from an
 * undefined index …). New decoders are picked up automatically; one that needs a required extra
 * argument must be given a caller in CALLERS below, or the coverage test fails.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as cdb from '../src/index.js';

type Decoder = (bytes: cdb.ByteSource) => unknown;
type Caller = (fn: (...args: never[]) => unknown, bytes: Uint8Array, n: number) => unknown;

const MODE_LAYOUTS = Object.entries(cdb)
  .filter(([name]) => name.endsWith('_LAYOUT'))
  .map(([, layout]) => layout as cdb.ModePageLayout);

/** Decoders whose second argument matters, or whose first is not bytes. `n` is a random 0..255. */
const CALLERS: Readonly<Record<string, Caller>> = {
  decodeCdb: (fn, b, n) => (fn as typeof cdb.decodeCdb)(b, n % 3 === 0 ? undefined : n & 0x1f),
  decodeModeParameters: (fn, b, n) =>
    (fn as typeof cdb.decodeModeParameters)(b, { headerSize: n & 1 ? 10 : 6 }),
  decodeModePageFields: (fn, b, n) => {
    const layout = MODE_LAYOUTS[n % MODE_LAYOUTS.length] as cdb.ModePageLayout;
    // Make the header match the layout half the time so the field readers run.
    const page = b.slice();
    if (n & 1 && page.length >= 2) {
      page[0] = (layout.spf ? 0x40 : 0) | layout.pageCode;
      if (layout.spf && page.length >= 4) {
        page[1] = layout.subpageCode;
        page[2] = (page.length - 4) >> 8;
        page[3] = (page.length - 4) & 0xff;
      } else if (!layout.spf) page[1] = Math.min(page.length - 2, 255);
    }
    return (fn as typeof cdb.decodeModePageFields)(layout, page);
  },
  decodeAtaSmartData: (fn, b, n) => {
    const decode = fn as typeof cdb.decodeAtaSmartData;
    if (n & 1) return decode(b);
    let thresholds: cdb.AtaSmartThresholds | undefined;
    try {
      thresholds = cdb.decodeAtaSmartThresholds(b);
    } catch {
      thresholds = undefined;
    }
    return decode(b, thresholds);
  },
  decodeGenericVpdPage: (fn, b, n) =>
    (fn as typeof cdb.decodeGenericVpdPage)(b, n & 1 ? (b[1] ?? n) : undefined),
  decodeVpdPage: (fn, b, n) => (fn as typeof cdb.decodeVpdPage)(b, n & 1 ? (b[1] ?? n) : undefined),
  /** Takes the control byte, not bytes. */
  decodeLogParameterControl: (fn, b, n) => (fn as typeof cdb.decodeLogParameterControl)(b[0] ?? n),
  /** Takes a framed page: frame random bytes first (a DecodeError there is fine too). */
  decodeLogPageFields: (fn, b) => {
    const frame = cdb.decodeLogPageFrame(b);
    return (fn as typeof cdb.decodeLogPageFields)(frame);
  },
};

const decoders = Object.entries(cdb)
  .filter(([name, value]) => name.startsWith('decode') && typeof value === 'function')
  .map(([name, value]) => [name, value as (...args: never[]) => unknown] as const)
  .sort(([a], [b]) => a.localeCompare(b));

/** Page/opcode-like values that steer random bytes into the decoders' interesting branches. */
const INTERESTING = [0, 1, 2, 3, 4, 5, 6, 7, 8, 0x0d, 0x10, 0x18, 0x19, 0x1a, 0x2f, 0x3f, 0x40, 0x7f, 0x80];
const INTERESTING_HI = [0x83, 0x86, 0x89, 0x8f, 0xb0, 0xb1, 0xb2, 0xb6, 0xc0, 0xfe, 0xff];

/**
 * Inputs: plain random bytes; bytes biased to small/edge values; and bytes whose length field at
 * 2-3 (VPD, log page) or 0-3 (REPORT LUNS, REPORT ZONES, RTPG …) matches the buffer, so the body
 * decoders run instead of failing on the header.
 */
const byteArb = fc.oneof(
  fc.uint8Array({ minLength: 0, maxLength: 600 }),
  fc
    .array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(...INTERESTING, ...INTERESTING_HI)), {
      maxLength: 600,
    })
    .map((a) => Uint8Array.from(a)),
  fc
    .tuple(
      fc.constantFrom(...INTERESTING, ...INTERESTING_HI),
      fc.constantFrom(...INTERESTING, ...INTERESTING_HI),
      fc.uint8Array({ maxLength: 596 }),
      fc.boolean(),
    )
    .map(([b0, b1, body, u32]) => {
      const out = new Uint8Array(4 + body.length);
      out.set(body, 4);
      if (u32) {
        new DataView(out.buffer).setUint32(0, body.length);
      } else {
        out[0] = b0;
        out[1] = b1;
        new DataView(out.buffer).setUint16(2, body.length);
      }
      return out;
    }),
);

/** The same bytes as a view at a non-zero offset of a larger buffer, or as a bare ArrayBuffer. */
function variants(bytes: Uint8Array): cdb.ByteSource[] {
  const big = new Uint8Array(bytes.length + 7);
  big.set(bytes, 3);
  return [bytes, big.subarray(3, 3 + bytes.length), bytes.slice().buffer];
}

describe('decoders fuzz: random bytes → result or DecodeError', () => {
  it('finds the decoders and has a caller for each that needs more than bytes', () => {
    expect(decoders.length).toBeGreaterThan(80);
    const needsCaller = decoders.filter(([name, fn]) => fn.length > 1 && !(name in CALLERS)).map(([n]) => n);
    expect(needsCaller).toEqual([]);
    for (const name of Object.keys(CALLERS)) expect(name in cdb, name).toBe(true);
  });

  it.each(decoders)('%s', (name, fn) => {
    const caller = CALLERS[name];
    fc.assert(
      fc.property(byteArb, fc.integer({ min: 0, max: 255 }), (bytes, n) => {
        for (const source of variants(bytes)) {
          try {
            if (caller === undefined) (fn as unknown as Decoder)(source);
            else caller(fn, cdb.toBytes(source), n);
          } catch (e) {
            if (!(e instanceof cdb.DecodeError)) {
              throw new Error(`${name} threw ${String(e)} on ${cdb.hex(bytes)}`, { cause: e });
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
