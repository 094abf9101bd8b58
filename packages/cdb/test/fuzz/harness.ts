/**
 * The fuzz harness shared by the quick vitest suites and the long run (`pnpm fuzz`): every `build…`
 * export gets random parameter objects of the right and wrong shapes, every `decode…` export gets
 * random bytes and truncated or corrupted real answers. The only acceptable failure is a typed
 * error (CdbBuildError from builders, DecodeError from decoders); anything else — a TypeError, a
 * RangeError from a DataView, a malformed CdbSpec, NaN in a decoded field (an index past the end
 * reads `undefined`), a decoder writing into its input — is counted as untyped and reported with
 * its input.
 *
 * Builders' parameter names are not listed by hand: a discovery pass calls each builder with
 * recording proxies and keeps the property names it reads, and the "must be one of …" / "in [0, N]"
 * of its CdbBuildErrors give the names and bounds worth trying. Real parameters from the sg3_utils
 * fixtures (fixtures/sg3/cdbs.json) seed the right shapes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import * as cdb from '../../src/index.js';

export type AnyFn = (...args: never[]) => unknown;

/** What one function's run gave. `untyped` must be 0. */
export interface FuzzFigures {
  readonly name: string;
  readonly kind: 'builder' | 'decoder';
  cases: number;
  /** Calls that returned (a valid result). */
  ok: number;
  /** Typed errors by class name. */
  readonly typed: Record<string, number>;
  untyped: number;
  /** The first untyped failure: what was passed and what happened. */
  firstUntyped?: string;
}

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'sg3');

export const builders: ReadonlyArray<readonly [string, AnyFn]> = Object.entries(cdb)
  .filter(([name, value]) => name.startsWith('build') && typeof value === 'function')
  .map(([name, value]) => [name, value as AnyFn] as const)
  .sort(([a], [b]) => a.localeCompare(b));

export const decoders: ReadonlyArray<readonly [string, AnyFn]> = Object.entries(cdb)
  .filter(([name, value]) => name.startsWith('decode') && typeof value === 'function')
  .map(([name, value]) => [name, value as AnyFn] as const)
  .sort(([a], [b]) => a.localeCompare(b));

// ---------------------------------------------------------------------------------------------
// Values

const INT_EDGES = [
  0,
  1,
  2,
  3,
  4,
  6,
  7,
  8,
  10,
  12,
  15,
  16,
  31,
  32,
  63,
  64,
  127,
  128,
  255,
  256,
  511,
  512,
  4095,
  4096,
  65535,
  65536,
  0xffffff,
  0x1000000,
  0x7fffffff,
  0xffffffff,
  2 ** 32,
  2 ** 48,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  -1,
  -0,
  0.5,
  1e300,
  Number.NaN,
  Number.POSITIVE_INFINITY,
];
const BIG_EDGES = [
  0n,
  1n,
  0xffffn,
  0xffffffffn,
  1n << 32n,
  (1n << 63n) - 1n,
  (1n << 64n) - 1n,
  1n << 64n,
  -1n,
];
const ODD = [
  undefined,
  null,
  {},
  [],
  '',
  'x',
  '12',
  Symbol('fuzz'),
  () => 0,
  new Date(0),
  new Uint16Array(4),
];

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(...INT_EDGES), weight: 5 },
  { arbitrary: fc.integer({ min: 0, max: 300 }), weight: 4 },
  { arbitrary: fc.constantFrom(...BIG_EDGES), weight: 2 },
  { arbitrary: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), weight: 1 },
  { arbitrary: fc.boolean(), weight: 3 },
  { arbitrary: fc.uint8Array({ maxLength: 300 }), weight: 2 },
  { arbitrary: fc.string({ maxLength: 24 }), weight: 1 },
  { arbitrary: fc.constantFrom(...ODD), weight: 2 },
);

/** What discovery learned about one builder. */
interface Shape {
  /** Property names read from each positional argument. */
  readonly args: Set<string>[];
  /** Property names read from objects inside arrays (descriptors, ranges…). */
  readonly nested: Set<string>;
  /** Per property: names and numbers its errors asked for, and the edges of its range. */
  readonly hints: Map<string, Set<unknown>>;
  /** Real parameters (first argument, then the second) from the sg3_utils fixtures. */
  readonly seeds: unknown[][];
}

function hint(shape: Shape, key: string, value: unknown): void {
  let s = shape.hints.get(key);
  if (s === undefined) {
    s = new Set();
    shape.hints.set(key, s);
  }
  s.add(value);
}

/** Reads the names and bounds a CdbBuildError message asks for into `shape.hints`. */
function learn(shape: Shape, e: unknown): void {
  if (!(e instanceof cdb.CdbBuildError)) return;
  const m = /^(\w+): .*?(?:must be (?:one of )?|use one of )(.*)$/u.exec(e.message);
  if (m?.[1] === undefined || m[2] === undefined) return;
  const key = m[1];
  const text = m[2].replace(/, got .*$|\s\(limit: .*$/u, '');
  const range = /in \[(-?\d+), (\d+)\]/u.exec(text);
  if (range?.[1] !== undefined && range[2] !== undefined) {
    const max = Number(range[2]);
    for (const v of [Number(range[1]), max, max + 1, Math.floor(max / 2)]) {
      hint(shape, key, v);
      if (max > Number.MAX_SAFE_INTEGER) hint(shape, key, BigInt(range[2]));
    }
    return;
  }
  for (const token of text.split(/,\s*|\s+or\s+/u)) {
    const t = token.trim().replace(/^'|'$/gu, '');
    if (/^-?\d+$/u.test(t)) hint(shape, key, Number(t));
    else if (/^[A-Za-z][\w-]*$/u.test(t) && !/^(a|an|the|integer|boolean|string)$/u.test(t))
      hint(shape, key, t);
  }
}

const ROTATION: readonly unknown[] = [0, 1, true, 16, 0n, 512, 10, 'x', 6, 255, 32];

/**
 * Calls `fn` `rounds` times with recording proxies and learns which properties it reads, and
 * from its errors which values they take.
 */
function discover(fn: AnyFn, rounds: number): Shape {
  const arity = Math.max(fn.length, 1);
  const shape: Shape = {
    args: Array.from({ length: arity }, () => new Set<string>()),
    nested: new Set(),
    hints: new Map(),
    seeds: [],
  };
  for (let round = 0; round < rounds; round++) {
    const valueFor = (key: string, depth: number): unknown => {
      const known = shape.hints.get(key);
      if (known !== undefined && known.size > 0 && round % 3 !== 2) {
        const list = [...known];
        return list[(round + key.length) % list.length];
      }
      if (depth === 0 && round % 4 === 3) return [recorder(shape.nested, 1), recorder(shape.nested, 1)];
      if (round % 5 === 4) return new Uint8Array(8 + (round % 3) * 8);
      return ROTATION[(round + key.length * 7) % ROTATION.length];
    };
    const recorder = (into: Set<string>, depth: number): object =>
      new Proxy(
        {},
        {
          get(_t, key) {
            if (typeof key !== 'string' || key === 'then' || key === 'toJSON') return undefined;
            into.add(key);
            return valueFor(key, depth);
          },
          has(_t, key) {
            if (typeof key === 'string') into.add(key);
            return false;
          },
        },
      );
    const args = shape.args.map((keys) => recorder(keys, 0));
    try {
      (fn as (...a: unknown[]) => unknown)(...args);
    } catch (e) {
      learn(shape, e);
    }
  }
  return shape;
}

/** The sg3_utils fixtures' builder parameters, by builder name. */
function fixtureParams(): Map<string, unknown[][]> {
  const out = new Map<string, unknown[][]>();
  const doc = JSON.parse(readFileSync(join(FIXTURES, 'cdbs.json'), 'utf8')) as {
    entries: Array<{ builder?: string; params?: unknown; options?: unknown }>;
  };
  const revive = (v: unknown): unknown => {
    if (typeof v === 'string' && /^\d+n$/u.test(v)) return BigInt(v.slice(0, -1));
    if (Array.isArray(v)) return v.map(revive);
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revive(x)]));
    return v;
  };
  for (const e of doc.entries) {
    if (e.builder === undefined || e.params === undefined) continue;
    const list = out.get(e.builder) ?? [];
    list.push(e.options === undefined ? [revive(e.params)] : [revive(e.params), revive(e.options)]);
    out.set(e.builder, list);
  }
  return out;
}

function valueArb(shape: Shape, key: string): fc.Arbitrary<unknown> {
  const known = shape.hints.get(key);
  const nested =
    shape.nested.size > 0
      ? fc.array(
          fc.record(
            Object.fromEntries(
              [...shape.nested].map((k) => [k, valueArb({ ...shape, nested: new Set() }, k)]),
            ),
          ),
          { maxLength: 4 },
        )
      : undefined;
  // undefined often: most parameters are optional, and one set where it must not be is a refusal.
  const options: Array<fc.WeightedArbitrary<unknown>> = [
    { arbitrary: anyValue, weight: 3 },
    { arbitrary: fc.constant(undefined), weight: 3 },
  ];
  if (known !== undefined && known.size > 0)
    options.push({ arbitrary: fc.constantFrom(...known), weight: 6 });
  if (nested !== undefined) options.push({ arbitrary: nested, weight: 1 });
  return fc.oneof(...options);
}

/** Arguments for one builder: learned keys with learned or random values, real params mutated, junk. */
function builderArgs(shape: Shape): fc.Arbitrary<unknown[]> {
  const objectArb = (keys: Set<string>) =>
    fc.oneof(
      {
        arbitrary: fc.record(Object.fromEntries([...keys].map((k) => [k, valueArb(shape, k)])), {
          requiredKeys: [],
        }),
        weight: 3,
      },
      {
        // Every key present: gets past "missing field" checks more often.
        arbitrary: fc.record(Object.fromEntries([...keys].map((k) => [k, valueArb(shape, k)]))),
        weight: 6,
      },
      { arbitrary: fc.anything(), weight: 1 },
      { arbitrary: fc.constantFrom(...ODD), weight: 1 },
    );
  const fresh = fc.tuple(...shape.args.map((keys) => objectArb(keys)));
  if (shape.seeds.length === 0) return fresh;
  // A real parameter set with one key replaced by a random value (or left exact).
  const mutated = fc
    .tuple(fc.constantFrom(...shape.seeds), fc.nat(), anyValue, fc.boolean())
    .map(([seed, pick, value, exact]) => {
      if (exact) return seed;
      return seed.map((arg, i) => {
        if (i !== pick % seed.length || arg === null || typeof arg !== 'object') return arg;
        const keys = Object.keys(arg);
        if (keys.length === 0) return arg;
        return { ...arg, [keys[pick % keys.length] as string]: value };
      });
    });
  return fc.oneof({ arbitrary: fresh, weight: 3 }, { arbitrary: mutated, weight: 2 });
}

// ---------------------------------------------------------------------------------------------
// Decoder inputs

type Caller = (fn: AnyFn, bytes: Uint8Array, n: number) => unknown;

const MODE_LAYOUTS = Object.entries(cdb)
  .filter(([name]) => name.endsWith('_LAYOUT'))
  .map(([, layout]) => layout as cdb.ModePageLayout);

const sesTypes = (n: number): cdb.SesTypeList =>
  Array.from({ length: 1 + (n & 3) }, (_, i) => ({
    elementType: (n + i) & 0x1f,
    numberOfPossibleElements: (n >> (2 + i)) & 7,
  }));

/** Decoders whose second argument matters, or whose first is not bytes. `n` is a random 0..255. */
export const CALLERS: Readonly<Record<string, Caller>> = {
  decodeCdb: (fn, b, n) => (fn as typeof cdb.decodeCdb)(b, n % 3 === 0 ? undefined : n & 0x1f),
  // A type list from n: 1-4 types of 0-7 elements each.
  decodeSesEnclosureStatus: (fn, b, n) => (fn as typeof cdb.decodeSesEnclosureStatus)(b, sesTypes(n)),
  decodeSesElementDescriptors: (fn, b, n) => (fn as typeof cdb.decodeSesElementDescriptors)(b, sesTypes(n)),
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

/** Page/opcode-like values that steer random bytes into the decoders' interesting branches. */
const INTERESTING = [0, 1, 2, 3, 4, 5, 6, 7, 8, 0x0d, 0x10, 0x18, 0x19, 0x1a, 0x2f, 0x3f, 0x40, 0x7f, 0x80];
const INTERESTING_HI = [0x83, 0x86, 0x89, 0x8f, 0xb0, 0xb1, 0xb2, 0xb6, 0xc0, 0xfe, 0xff];

/**
 * Plain random bytes; bytes biased to small/edge values; and bytes whose length field at 2-3 (VPD,
 * log page) or 0-3 (REPORT LUNS, REPORT ZONES, RTPG …) matches the buffer, so the body decoders
 * run instead of failing on the header.
 */
export const randomBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
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

function parseHex(text: string): Uint8Array {
  const digits = text
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'))
    .join(' ')
    .replace(/[^0-9a-f]/giu, '');
  return Uint8Array.from(digits.match(/../gu) ?? [], (x) => Number.parseInt(x, 16));
}

/** Real answers (lab captures) and real CDBs, whole. */
export function realAnswers(): Uint8Array[] {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.hex'));
  const answers = files.map((f) => parseHex(readFileSync(join(FIXTURES, f), 'utf8')));
  const doc = JSON.parse(readFileSync(join(FIXTURES, 'cdbs.json'), 'utf8')) as {
    entries: Array<{ cdb?: string }>;
  };
  for (const e of doc.entries) if (typeof e.cdb === 'string') answers.push(parseHex(e.cdb));
  return answers.filter((a) => a.length > 0);
}

/** A real answer cut short, and/or with a few bytes changed (lengths that lie, flipped flags). */
function corruptedAnswers(real: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(
      fc.constantFrom(...real),
      fc.nat(),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
    )
    .map(([answer, cut, edits]) => {
      const out = answer.slice(0, cut % (answer.length + 1));
      for (const [at, value] of edits) if (out.length > 0) out[at % out.length] = value;
      return out;
    });
}

/** The same bytes as a view at a non-zero offset of a larger buffer, or as a bare ArrayBuffer. */
function variants(bytes: Uint8Array): cdb.ByteSource[] {
  const big = new Uint8Array(bytes.length + 7);
  big.set(bytes, 3);
  return [bytes, big.subarray(3, 3 + bytes.length), bytes.slice().buffer];
}

// ---------------------------------------------------------------------------------------------
// Checking outcomes

function describeValue(v: unknown): string {
  try {
    return fc.stringify(v).slice(0, 600);
  } catch {
    return String(v);
  }
}

/** Why a builder's result is malformed, or undefined when it is fine. */
function badResult(v: unknown): string | undefined {
  if (v instanceof Uint8Array) return undefined;
  if (v === null || typeof v !== 'object') return `returned ${typeof v}`;
  const specs =
    'cdb' in v ? [v] : Object.values(v).filter((x) => x !== null && typeof x === 'object' && 'cdb' in x);
  if (specs.length === 0 && !Object.values(v).some((x) => x instanceof Uint8Array))
    return 'returned no CDB and no bytes';
  for (const s of specs as cdb.CdbSpec[]) {
    if (!(s.cdb instanceof Uint8Array) || s.cdb.length < 6 || s.cdb.length > 32)
      return `CDB of ${String(s.cdb?.length)} bytes`;
    if (!['none', 'in', 'out'].includes(s.direction)) return `direction ${String(s.direction)}`;
    if (!Number.isSafeInteger(s.transferLength) || s.transferLength < 0)
      return `transferLength ${String(s.transferLength)}`;
    if ((s.direction === 'none') !== (s.transferLength === 0))
      return `direction ${s.direction} with transferLength ${s.transferLength}`;
    if (typeof s.name !== 'string' || s.name.length === 0) return 'no name';
  }
  return undefined;
}

/** A NaN anywhere in a decoded answer: an index past the end read `undefined`. */
function findNaN(v: unknown, path: string, seen: Set<object>): string | undefined {
  if (typeof v === 'number') return Number.isNaN(v) ? path : undefined;
  if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v) || seen.has(v)) return undefined;
  seen.add(v);
  for (const [k, x] of Object.entries(v)) {
    const found = findNaN(x, `${path}.${k}`, seen);
    if (found !== undefined) return found;
  }
  return undefined;
}

function typedName(e: unknown, kind: 'builder' | 'decoder'): string | undefined {
  if (kind === 'builder' && e instanceof cdb.CdbBuildError) return 'CdbBuildError';
  if (e instanceof cdb.DecodeError) return 'DecodeError';
  return undefined;
}

function fail(f: FuzzFigures, input: string, what: string): void {
  f.untyped++;
  f.firstUntyped ??= `${what}\n    input: ${input}`;
}

// ---------------------------------------------------------------------------------------------
// Running

export interface FuzzOptions {
  /** Cases per function. */
  readonly runs: number;
  readonly seed: number;
  /** Discovery calls per builder. @default 400 */
  readonly discoveryRounds?: number;
}

let seedsByBuilder: Map<string, unknown[][]> | undefined;

/** Discovers `fn`'s parameters, then runs `runs` cases. */
export function fuzzBuilder(name: string, fn: AnyFn, o: FuzzOptions): FuzzFigures {
  const shape = discover(fn, o.discoveryRounds ?? 400);
  seedsByBuilder ??= fixtureParams();
  shape.seeds.push(...(seedsByBuilder.get(name) ?? []));
  const f: FuzzFigures = { name, kind: 'builder', cases: 0, ok: 0, typed: {}, untyped: 0 };
  fc.check(
    fc.property(builderArgs(shape), (args) => {
      f.cases++;
      let result: unknown;
      try {
        result = (fn as (...a: unknown[]) => unknown)(...args);
      } catch (e) {
        const typed = typedName(e, 'builder');
        if (typed !== undefined) f.typed[typed] = (f.typed[typed] ?? 0) + 1;
        else fail(f, describeValue(args), `threw ${describeValue(e)}`);
        return true;
      }
      const bad = badResult(result);
      if (bad === undefined) f.ok++;
      else fail(f, describeValue(args), `malformed result: ${bad}`);
      return true;
    }),
    { numRuns: o.runs, seed: o.seed },
  );
  return f;
}

let real: Uint8Array[] | undefined;

/** Runs `runs` inputs (each in three buffer variants) through one decoder. */
export function fuzzDecoder(name: string, fn: AnyFn, o: FuzzOptions): FuzzFigures {
  real ??= realAnswers();
  const caller = CALLERS[name];
  const input = fc.tuple(
    fc.oneof({ arbitrary: randomBytes, weight: 3 }, { arbitrary: corruptedAnswers(real), weight: 2 }),
    fc.integer({ min: 0, max: 255 }),
  );
  const f: FuzzFigures = { name, kind: 'decoder', cases: 0, ok: 0, typed: {}, untyped: 0 };
  fc.check(
    fc.property(input, ([bytes, n]) => {
      for (const source of variants(bytes)) {
        f.cases++;
        const before = cdb.toBytes(source).slice();
        let result: unknown;
        try {
          result =
            caller === undefined
              ? (fn as (b: cdb.ByteSource) => unknown)(source)
              : caller(fn, cdb.toBytes(source), n);
        } catch (e) {
          const typed = typedName(e, 'decoder');
          if (typed !== undefined) f.typed[typed] = (f.typed[typed] ?? 0) + 1;
          else fail(f, `${cdb.hex(bytes)} (n=${n})`, `threw ${describeValue(e)}`);
          continue;
        }
        const nan = findNaN(result, 'result', new Set());
        if (nan !== undefined) fail(f, `${cdb.hex(bytes)} (n=${n})`, `NaN at ${nan}`);
        else if (cdb.hex(cdb.toBytes(source)) !== cdb.hex(before))
          fail(f, cdb.hex(bytes), 'changed its input');
        else f.ok++;
      }
      return true;
    }),
    { numRuns: o.runs, seed: o.seed },
  );
  return f;
}

/** `SCSIKIT_FUZZ_RUNS` (total cases over every function) and `SCSIKIT_FUZZ_SEED`. */
export function fuzzSettings(defaultTotal: number): { total: number; perFunction: number; seed: number } {
  const total = Number(process.env.SCSIKIT_FUZZ_RUNS ?? defaultTotal);
  if (!Number.isSafeInteger(total) || total < 1)
    throw new Error(`SCSIKIT_FUZZ_RUNS must be a positive integer`);
  const seedText = process.env.SCSIKIT_FUZZ_SEED;
  const seed = seedText === undefined || seedText === '' ? Date.now() ^ (process.pid << 8) : Number(seedText);
  // A decoder case is three calls (three buffer variants): count calls, not generated inputs.
  const functions = builders.length + decoders.length * 3;
  return { total, perFunction: Math.max(1, Math.ceil(total / functions)), seed };
}

/** The figures as a table, one line per function, then the totals. */
export function formatFigures(all: readonly FuzzFigures[], seed: number, ms: number): string {
  const lines: string[] = [];
  const typedClasses = [...new Set(all.flatMap((f) => Object.keys(f.typed)))].sort();
  const header = ['function', 'cases', 'ok', ...typedClasses, 'untyped'];
  const rows = all.map((f) => [
    f.name,
    String(f.cases),
    String(f.ok),
    ...typedClasses.map((c) => String(f.typed[c] ?? 0)),
    String(f.untyped),
  ]);
  const width = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: readonly string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(width[i] ?? 0) : c.padStart(width[i] ?? 0))).join('  ');
  lines.push(fmt(header));
  for (const r of rows) lines.push(fmt(r));
  const sum = (pick: (f: FuzzFigures) => number) => all.reduce((n, f) => n + pick(f), 0);
  const byKind = (kind: 'builder' | 'decoder') => all.filter((f) => f.kind === kind);
  lines.push('');
  for (const kind of ['builder', 'decoder'] as const) {
    const fs = byKind(kind);
    lines.push(
      `${kind}s: ${fs.length} functions, ${sum((f) => (f.kind === kind ? f.cases : 0))} cases, ` +
        `${sum((f) => (f.kind === kind ? f.ok : 0))} returned, ` +
        typedClasses.map((c) => `${sum((f) => (f.kind === kind ? (f.typed[c] ?? 0) : 0))} ${c}`).join(', ') +
        `, ${sum((f) => (f.kind === kind ? f.untyped : 0))} untyped`,
    );
  }
  lines.push(
    `total: ${sum((f) => f.cases)} cases, ${sum((f) => f.untyped)} untyped throws or malformed results ` +
      `(seed ${seed}, ${(ms / 1000).toFixed(1)} s)`,
  );
  for (const f of all.filter((x) => x.firstUntyped !== undefined))
    lines.push(`\n${f.name}: ${f.firstUntyped}`);
  return lines.join('\n');
}
