/**
 * `openDevice` options: the public type (readonly, with @default), the zod schema, and the single
 * validation step that runs once at open. Per-command calls do no schema work.
 */
import { MAX_TIMEOUT_MS } from '@scsikit/transport';
import { z } from 'zod';
import { InvalidArgumentError } from './errors.js';
import { DEFAULT_RETRY_POLICY, type RetryCondition, type RetryPolicy } from './retry.js';

/** How `openDevice` reaches the device; see {@link OpenOptions.transport}. */
export type TransportChoice = 'auto' | 'uring' | 'sgio';

/** The second argument of `openDevice`. Validated once, at open; unknown keys are rejected. */
export interface OpenOptions {
  /**
   * Allow write-class commands (WRITE, UNMAP, FORMAT UNIT, MODE SELECT, PR OUT…). Without it they
   * are refused with a PermissionError before reaching the kernel, and the node is opened O_RDONLY.
   * @default false
   */
  readonly write?: boolean;
  /**
   * 'uring' (io_uring BSG passthrough), 'sgio' (SG_IO on /dev/sgN), or 'auto': open io_uring and probe
   * with TEST UNIT READY; if the kernel answers -EOPNOTSUPP, fall back to SG_IO.
   * @default 'auto'
   */
  readonly transport?: TransportChoice;
  /** Commands in the kernel at once. @default the device's sysfs queue_depth */
  readonly queueDepth?: number;
  /** Default per-command timeout. @default 30000 */
  readonly timeoutMs?: number;
  /**
   * The retry policy (merged over the defaults), or `false` for none.
   * @default DEFAULT_RETRY_POLICY
   */
  readonly retry?: Partial<RetryPolicy> | false;
  /**
   * Register io_uring fixed buffers (`true`: 8 × 1 MiB). Ignored by SG_IO.
   * @default false
   */
  readonly fixedBuffers?: boolean | { readonly count: number; readonly size: number };
  /** Where sysfs is mounted (tests and containers point it at a copy). @default '/sys' */
  readonly sysRoot?: string;
  /** Where device nodes live. @default '/dev' */
  readonly devRoot?: string;
}

/** Every option with its default applied. */
export interface ResolvedOpenOptions {
  readonly write: boolean;
  readonly transport: TransportChoice;
  readonly queueDepth: number | undefined;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly fixedBuffers: { readonly count: number; readonly size: number } | undefined;
  readonly sysRoot: string;
  readonly devRoot: string;
}

const intIn = (min: number, max: number) => {
  const m = `an integer in [${min}, ${max}]`;
  return z.number({ error: m }).int({ error: m }).min(min, { error: m }).max(max, { error: m });
};
const nonNegative = z
  .number({ error: 'a finite number ≥ 0' })
  .min(0, { error: 'a finite number ≥ 0' })
  .max(MAX_TIMEOUT_MS, { error: `at most ${MAX_TIMEOUT_MS}` });
const byte = intIn(0, 255);

const RetryConditionSchema = z.union(
  [
    z.strictObject({
      senseKey: intIn(0, 15),
      asc: byte.optional(),
      ascq: byte.optional(),
      reason: z.string().optional(),
    }),
    z.strictObject({ status: byte, reason: z.string().optional() }),
    z.strictObject({ hostStatus: byte, reason: z.string().optional() }),
  ],
  { error: '{ senseKey, asc?, ascq? }, { status } or { hostStatus }' },
);

/** The zod schema behind `resolveOpenOptions` (for tools that validate options themselves, e.g. a CLI). */
export const OpenOptionsSchema = z.strictObject({
  write: z.boolean({ error: 'a boolean' }).optional(),
  transport: z.enum(['auto', 'uring', 'sgio'], { error: "'auto', 'uring' or 'sgio'" }).optional(),
  queueDepth: intIn(1, 4096).optional(),
  timeoutMs: intIn(1, MAX_TIMEOUT_MS).optional(),
  retry: z
    .union(
      [
        z.literal(false),
        z.strictObject({
          maxRetries: intIn(0, 100).optional(),
          minDelayMs: nonNegative.optional(),
          maxDelayMs: nonNegative.optional(),
          factor: z.number({ error: 'a number ≥ 1' }).min(1, { error: 'a number ≥ 1' }).optional(),
          retryOn: z.array(RetryConditionSchema, { error: 'an array of retry conditions' }).optional(),
        }),
      ],
      { error: 'false or { maxRetries?, minDelayMs?, maxDelayMs?, factor?, retryOn? }' },
    )
    .optional(),
  fixedBuffers: z
    .union([z.boolean(), z.strictObject({ count: intIn(1, 1024), size: intIn(4096, 1 << 30) })], {
      error: 'a boolean or { count, size }',
    })
    .optional(),
  sysRoot: z.string({ error: 'an absolute path' }).startsWith('/', { error: 'an absolute path' }).optional(),
  devRoot: z.string({ error: 'an absolute path' }).startsWith('/', { error: 'an absolute path' }).optional(),
});

const KNOWN = Object.keys(OpenOptionsSchema.shape);

function describeValue(v: unknown): string {
  if (typeof v === 'bigint') return `\`${v}n\` (bigint)`;
  if (typeof v === 'string') return `\`'${v}'\` (string)`;
  if (Array.isArray(v)) return `\`${JSON.stringify(v)}\` (array)`;
  if (v !== null && typeof v === 'object') return `\`${JSON.stringify(v)}\` (object)`;
  return `\`${String(v)}\` (${v === null ? 'null' : typeof v})`;
}

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      const cost = a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + cost);
      diag = up;
    }
  }
  return prev[b.length]!;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const k of path) v = (v as Record<PropertyKey, unknown> | undefined)?.[k];
  return v;
}

function pathName(path: readonly PropertyKey[]): string {
  return path
    .map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`))
    .join('');
}

/**
 * Validates and resolves `openDevice` options, once. Throws InvalidArgumentError naming the option
 * and the bad value: ``Expected `queueDepth` to be an integer in [1, 4096], got `0` (number)``,
 * or ``Unknown option `writ` (did you mean `write`?)``.
 */
export function resolveOpenOptions(options: unknown): ResolvedOpenOptions {
  if (options === undefined) options = {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidArgumentError(
      'options',
      `Expected options to be an object, got ${describeValue(options)}`,
    );
  }
  const r = OpenOptionsSchema.safeParse(options);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0] ?? '';
      const near = KNOWN.filter((k) => distance(k, key) <= 2).sort(
        (a, b) => distance(a, key) - distance(b, key),
      )[0];
      const prefix = issue.path.length > 0 ? `${pathName(issue.path)}.` : '';
      throw new InvalidArgumentError(
        `${prefix}${key}`,
        `Unknown option \`${prefix}${key}\`${near !== undefined && prefix === '' ? ` (did you mean \`${near}\`?)` : ''}`,
      );
    }
    const name = pathName(issue.path);
    throw new InvalidArgumentError(
      name,
      `Expected \`${name}\` to be ${issue.message}, got ${describeValue(valueAt(options, issue.path))}`,
    );
  }
  const o = r.data;
  const retry: RetryPolicy =
    o.retry === false
      ? { ...DEFAULT_RETRY_POLICY, maxRetries: 0 }
      : {
          ...DEFAULT_RETRY_POLICY,
          ...(stripUndefined(o.retry ?? {}) as Partial<RetryPolicy>),
          retryOn:
            (o.retry?.retryOn as readonly RetryCondition[] | undefined) ?? DEFAULT_RETRY_POLICY.retryOn,
        };
  if (retry.minDelayMs > retry.maxDelayMs) {
    throw new InvalidArgumentError(
      'retry.minDelayMs',
      `Expected \`retry.minDelayMs\` (${retry.minDelayMs}) to be at most \`retry.maxDelayMs\` (${retry.maxDelayMs})`,
    );
  }
  return {
    write: o.write ?? false,
    transport: o.transport ?? 'auto',
    queueDepth: o.queueDepth,
    timeoutMs: o.timeoutMs ?? 30_000,
    retry,
    fixedBuffers:
      o.fixedBuffers === true
        ? { count: 8, size: 1 << 20 }
        : o.fixedBuffers === false || o.fixedBuffers === undefined
          ? undefined
          : o.fixedBuffers,
    sysRoot: o.sysRoot ?? '/sys',
    devRoot: o.devRoot ?? '/dev',
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
