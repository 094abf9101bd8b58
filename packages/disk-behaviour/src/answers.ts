/**
 * A device's answer reduced to what the behaviour suite compares: status, host status, sense key /
 * ASC / ASCQ, whether a sense-key specific field pointer and an INFORMATION field came with it, and
 * case-specific facts about the data. Deviation table entries are written in this shape, so the
 * suite can assert an observed deviation exactly (never a silent skip).
 */
import { decodeSense } from '@scsikit/cdb';
import type { ScsiResult } from '@scsikit/transport';

/** Where a field pointer points: the CDB (or the parameter list when `cdb` is false), byte, bit. */
export interface FieldPointerAnswer {
  readonly cdb: boolean;
  readonly byte: number;
  readonly bit?: number;
}

/** What a target answered (or is recorded to answer) to one probe. */
export interface Answer {
  /** SAM status: 0x00 GOOD, 0x02 CHECK CONDITION, 0x18 RESERVATION CONFLICT… */
  readonly status: number;
  /** Linux host byte (DID_*) when the answer came from the path, not the device. @default 0 */
  readonly hostStatus?: number;
  /** Sense key, ASC, ASCQ (CHECK CONDITION only). */
  readonly sense?: readonly [number, number, number];
  /** The sense-key specific field pointer: `'absent'` when SKSV is 0. Unchecked when omitted. */
  readonly fieldPointer?: 'absent' | FieldPointerAnswer;
  /** INFORMATION: `'absent'` when not VALID. Unchecked when omitted. */
  readonly information?: 'absent' | number;
  /** Case-specific facts about a GOOD answer's data (e.g. `{ prefixOfFullAnswer: false }`). */
  readonly facts?: Readonly<Record<string, string | number | boolean>>;
}

export const GOOD = 0x00;
export const CHECK_CONDITION = 0x02;
export const RESERVATION_CONFLICT = 0x18;

function safeDecode(bytes: Uint8Array): ReturnType<typeof decodeSense> | undefined {
  try {
    return decodeSense(bytes);
  } catch {
    return undefined;
  }
}

/** The answer as the suite sees it, with every optional part filled in from the result. */
export function observe(r: ScsiResult, facts?: Answer['facts']): Answer {
  const base: { -readonly [K in keyof Answer]: Answer[K] } = { status: r.status };
  if (r.hostStatus !== 0) base.hostStatus = r.hostStatus;
  if (r.sense.length > 0) {
    const s = safeDecode(r.sense);
    if (s !== undefined && s.format !== 'vendor') {
      base.sense = [s.senseKey, s.asc, s.ascq];
      const p = s.senseKeySpecific;
      base.fieldPointer =
        p?.kind === 'fieldPointer'
          ? {
              cdb: p.commandData,
              byte: p.fieldPointer,
              ...(p.bitPointerValid ? { bit: p.bitPointer } : {}),
            }
          : 'absent';
      base.information =
        s.valid && s.information !== undefined && s.information <= BigInt(Number.MAX_SAFE_INTEGER)
          ? Number(s.information)
          : 'absent';
    }
  }
  if (facts !== undefined) base.facts = facts;
  return base;
}

/**
 * How `observed` differs from `expected`, one line per difference (empty = it matches). Only what
 * `expected` states is compared: no `fieldPointer` accepts any pointer, `'absent'` requires none, a
 * pointer without `bit` accepts any bit. An expected host error compares the host byte alone.
 */
export function mismatches(observed: Answer, expected: Answer): string[] {
  const out: string[] = [];
  const host = observed.hostStatus ?? 0;
  if (host !== (expected.hostStatus ?? 0))
    out.push(`host status ${host}, expected ${expected.hostStatus ?? 0}`);
  if ((expected.hostStatus ?? 0) !== 0) return out;
  if (observed.status !== expected.status)
    out.push(`status ${hexByte(observed.status)}, expected ${hexByte(expected.status)}`);
  if (expected.sense !== undefined) {
    const got = observed.sense?.map(hexByte).join('/') ?? 'no sense';
    const want = expected.sense.map(hexByte).join('/');
    if (got !== want) out.push(`sense ${got}, expected ${want}`);
  }
  const fp = expected.fieldPointer;
  const seen = observed.fieldPointer ?? 'absent';
  if (fp === 'absent' && seen !== 'absent') out.push(`a field pointer (byte ${seen.byte}), expected none`);
  if (fp !== undefined && fp !== 'absent') {
    if (seen === 'absent')
      out.push(`no field pointer, expected ${fp.cdb ? 'CDB' : 'parameter'} byte ${fp.byte}`);
    else if (seen.cdb !== fp.cdb || seen.byte !== fp.byte || (fp.bit !== undefined && seen.bit !== fp.bit))
      out.push(
        `field pointer ${seen.cdb ? 'CDB' : 'parameter'} byte ${seen.byte} bit ${seen.bit ?? '-'}, expected ${fp.cdb ? 'CDB' : 'parameter'} byte ${fp.byte} bit ${fp.bit ?? 'any'}`,
      );
  }
  if (expected.information !== undefined) {
    const info = observed.information ?? 'absent';
    if (info !== expected.information) out.push(`INFORMATION ${info}, expected ${expected.information}`);
  }
  for (const [k, v] of Object.entries(expected.facts ?? {})) {
    const got = observed.facts?.[k];
    if (got !== v) out.push(`${k} = ${String(got)}, expected ${String(v)}`);
  }
  return out;
}

const hexByte = (n: number) => n.toString(16).padStart(2, '0');

const hex = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');

/** `05/24/00`, `GOOD`, `RESERVATION CONFLICT`, `host DID_ERROR (07h)` … for the docs table. */
export function formatAnswer(a: Answer): string {
  const parts: string[] = [];
  if ((a.hostStatus ?? 0) !== 0) {
    const names: Record<number, string> = { 1: 'DID_NO_CONNECT', 3: 'DID_TIME_OUT', 7: 'DID_ERROR' };
    parts.push(`host ${names[a.hostStatus ?? 0] ?? 'error'} (${hex(a.hostStatus ?? 0)}h)`);
  } else if (a.status === GOOD) {
    parts.push('GOOD');
  } else if (a.status === RESERVATION_CONFLICT) {
    parts.push('RESERVATION CONFLICT');
  } else if (a.sense !== undefined) {
    parts.push(a.sense.map(hex).join('/'));
  } else {
    parts.push(`status ${hex(a.status)}h`);
  }
  if (a.fieldPointer === 'absent') parts.push('no field pointer');
  else if (a.fieldPointer !== undefined)
    parts.push(
      `field pointer ${a.fieldPointer.cdb ? 'CDB' : 'parameter'} byte ${a.fieldPointer.byte}${a.fieldPointer.bit === undefined ? '' : ` bit ${a.fieldPointer.bit}`}`,
    );
  if (a.information === 'absent') parts.push('no INFORMATION');
  else if (a.information !== undefined) parts.push(`INFORMATION ${a.information}`);
  for (const [k, v] of Object.entries(a.facts ?? {})) parts.push(`${k}: ${String(v)}`);
  return parts.join(', ');
}
