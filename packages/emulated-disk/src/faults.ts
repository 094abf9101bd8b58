/**
 * Fault injection modelled on scsi_debug's (module `every_nth`/`opts`, medium_error_start/count and
 * the per-device debugfs `error` rules): a rule matches commands by opcode, LBA range and
 * connection, fires on every Nth match, a number of times or forever, and replaces the command's
 * answer with the effect — the command itself does not run (except 'delay', which runs it late).
 */
import type { SenseSpec } from './sense.js';

/** Custom answer: any status, host status and sense (raw bytes, or key/ASC/ASCQ built in the disk's format). */
export interface CustomFaultEffect {
  readonly status: number;
  /** DID_* host byte. @default 0 */
  readonly hostStatus?: number;
  readonly sense?: Uint8Array | { readonly key: number; readonly asc: number; readonly ascq: number };
}

/**
 * - 'medium-error': CHECK CONDITION, MEDIUM ERROR 11h/00h (reads, verifies) or 0Ch/00h (writes),
 *   INFORMATION = the first failing LBA, residual = the full transfer.
 * - 'busy' (status 08h), 'task-set-full' (28h): the status alone, no sense.
 * - 'timeout': never completes; only the watchdog, an abort or close() settles it.
 * - 'unit-attention': CHECK CONDITION, UNIT ATTENTION with `asc`/`ascq` (default 29h/00h).
 * - 'removed': the disk is removed (`disk.remove()`); this and every later command rejects with DeviceGoneError.
 * - 'delay': the command runs normally, `delayMs` later.
 */
export type FaultEffect =
  | 'medium-error'
  | 'busy'
  | 'task-set-full'
  | 'timeout'
  | 'unit-attention'
  | 'removed'
  | 'delay'
  | CustomFaultEffect;

export interface FaultRuleInput {
  readonly effect: FaultEffect;
  /** Opcode(s) matched; absent = any. */
  readonly opcode?: number | readonly number[];
  /** Matches commands whose LBA extent overlaps [start, start + count); absent = any command, with or without LBA. */
  readonly lbaRange?: { readonly start: number | bigint; readonly count: number | bigint };
  /** Matches only commands from this connection (0 = the EmulatedDisk itself). */
  readonly connection?: number;
  /** Fires on every Nth matching command (scsi_debug's every_nth). @default 1 */
  readonly every?: number;
  /** Times it fires; −1 = forever (scsi_debug's negative count is "this many times"; here −1 is the only forever). @default −1 */
  readonly count?: number;
  /** 'unit-attention': additional sense code. @default 0x29 */
  readonly asc?: number;
  /** 'unit-attention': additional sense code qualifier. @default 0x00 */
  readonly ascq?: number;
  /** 'delay': milliseconds added before the command runs. */
  readonly delayMs?: number;
}

/** A live rule: how often it matched and fired; `remove()` takes it out. */
export interface FaultRule extends FaultRuleInput {
  readonly id: number;
  /** Commands that matched (fired or not). */
  readonly matched: number;
  /** Times the effect was applied. */
  readonly fired: number;
  /** Fires left; −1 forever, 0 spent. */
  readonly remaining: number;
  remove(): void;
}

/** What the transport glue applies to a command a rule fired on. */
export interface FiredFault {
  readonly rule: FaultRule;
  readonly effect: FaultEffect;
  readonly sense?: SenseSpec;
  readonly delayMs?: number;
}

interface MutableRule extends FaultRule {
  matched: number;
  fired: number;
  remaining: number;
}

const EFFECTS = new Set([
  'medium-error',
  'busy',
  'task-set-full',
  'timeout',
  'unit-attention',
  'removed',
  'delay',
]);

function isByte(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xff;
}

function invalid(field: string, expected: string, got: unknown): never {
  throw new TypeError(
    `Expected fault \`${field}\` to be ${expected}, got \`${String(got)}\` (${typeof got})`,
  );
}

/** Checks a rule once, when added (matching then runs on every command without checks). */
function validate(rule: FaultRuleInput): void {
  if (rule === null || typeof rule !== 'object') invalid('rule', 'an object', rule);
  const e = rule.effect;
  if (typeof e === 'string') {
    if (!EFFECTS.has(e))
      invalid(
        'effect',
        `one of ${[...EFFECTS].map((x) => `'${x}'`).join(', ')} or { status, hostStatus?, sense? }`,
        e,
      );
  } else if (e === null || typeof e !== 'object' || !isByte(e.status)) {
    invalid('effect', 'a string effect or { status (a byte), hostStatus?, sense? }', e);
  } else if (e.hostStatus !== undefined && !isByte(e.hostStatus)) {
    invalid('effect.hostStatus', 'a byte', e.hostStatus);
  }
  const ops = rule.opcode === undefined ? [] : typeof rule.opcode === 'number' ? [rule.opcode] : rule.opcode;
  for (const op of ops) if (!isByte(op)) invalid('opcode', 'a byte or an array of bytes', op);
  if (rule.every !== undefined && !(Number.isInteger(rule.every) && rule.every >= 1)) {
    invalid('every', 'an integer ≥ 1', rule.every);
  }
  if (rule.count !== undefined && !(Number.isInteger(rule.count) && (rule.count >= 1 || rule.count === -1))) {
    invalid('count', 'an integer ≥ 1, or −1 (forever)', rule.count);
  }
  if (rule.asc !== undefined && !isByte(rule.asc)) invalid('asc', 'a byte', rule.asc);
  if (rule.ascq !== undefined && !isByte(rule.ascq)) invalid('ascq', 'a byte', rule.ascq);
  if (
    e === 'delay' &&
    !(typeof rule.delayMs === 'number' && rule.delayMs >= 0 && Number.isFinite(rule.delayMs))
  ) {
    invalid('delayMs', "a number of milliseconds ≥ 0 with effect 'delay'", rule.delayMs);
  }
  if (rule.lbaRange !== undefined) {
    const { start, count } = rule.lbaRange;
    if (!(typeof start === 'bigint' || (Number.isSafeInteger(start) && start >= 0)) || BigInt(start) < 0n) {
      invalid('lbaRange.start', 'an integer ≥ 0', start);
    }
    if (!(typeof count === 'bigint' || Number.isSafeInteger(count)) || BigInt(count) < 1n) {
      invalid('lbaRange.count', 'an integer ≥ 1', count);
    }
  }
}

/** The facts of a command a rule matches on. */
export interface FaultProbe {
  readonly opcode: number;
  readonly connection: number;
  /** The command's LBA extent, when it has one. */
  readonly extent?: { readonly lba: bigint; readonly blocks: number };
}

export class FaultInjector {
  readonly #rules: MutableRule[] = [];
  #nextId = 1;

  /** Adds a rule; throws TypeError naming the field when it is malformed. Returns the live rule. */
  add(input: FaultRuleInput): FaultRule {
    validate(input);
    const self = this;
    const rule: MutableRule = {
      ...input,
      id: this.#nextId++,
      matched: 0,
      fired: 0,
      remaining: input.count ?? -1,
      remove() {
        self.remove(rule.id);
      },
    };
    this.#rules.push(rule);
    return rule;
  }

  /** Removes a rule by id (or the rule itself); false when it was not there. */
  remove(rule: number | FaultRule): boolean {
    const id = typeof rule === 'number' ? rule : rule.id;
    const i = this.#rules.findIndex((r) => r.id === id);
    if (i < 0) return false;
    this.#rules.splice(i, 1);
    return true;
  }

  clear(): void {
    this.#rules.length = 0;
  }

  /** Rules in the order they are tried (first match that fires wins). */
  list(): readonly FaultRule[] {
    return [...this.#rules];
  }

  get size(): number {
    return this.#rules.length;
  }

  /** Finds the first rule that fires for this command, updating counters; spent rules stay listed. */
  match(probe: FaultProbe): FiredFault | undefined {
    for (const r of this.#rules) {
      if (r.remaining === 0) continue;
      if (r.connection !== undefined && r.connection !== probe.connection) continue;
      if (r.opcode !== undefined) {
        const ok = typeof r.opcode === 'number' ? r.opcode === probe.opcode : r.opcode.includes(probe.opcode);
        if (!ok) continue;
      }
      let failing: bigint | undefined;
      if (r.lbaRange !== undefined) {
        const x = probe.extent;
        if (x === undefined) continue;
        const start = BigInt(r.lbaRange.start);
        const end = start + BigInt(r.lbaRange.count);
        const xEnd = x.lba + BigInt(Math.max(1, x.blocks));
        if (x.lba >= end || xEnd <= start) continue;
        failing = x.lba > start ? x.lba : start;
      }
      r.matched++;
      if (r.matched % (r.every ?? 1) !== 0) continue;
      r.fired++;
      if (r.remaining > 0) r.remaining--;
      return fired(r, failing ?? probe.extent?.lba);
    }
    return undefined;
  }
}

function fired(rule: MutableRule, lba: bigint | undefined): FiredFault {
  const e = rule.effect;
  switch (e) {
    case 'unit-attention':
      return { rule, effect: e, sense: { key: 0x6, asc: rule.asc ?? 0x29, ascq: rule.ascq ?? 0x00 } };
    case 'medium-error':
      return {
        rule,
        effect: e,
        sense: { key: 0x3, asc: 0x11, ascq: 0x00, ...(lba === undefined ? {} : { information: lba }) },
      };
    case 'delay':
      return { rule, effect: e, delayMs: rule.delayMs ?? 0 };
    default:
      return { rule, effect: e };
  }
}
