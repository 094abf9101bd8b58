/**
 * Retry policy as data (undici-style): which answers are worth sending a command again for, how
 * often and how long to wait in between. The Device reads it; nothing here sends commands.
 *
 * Non-idempotent commands (COMPARE AND WRITE, PERSISTENT RESERVE OUT, FORMAT UNIT, SANITIZE,
 * WRITE BUFFER… see `command-class.ts`) are never retried unless the call passes `retry: true`.
 */
import { SAM_STATUS, SENSE_KEY } from '@scsikit/cdb';
import type { CommandClass } from './command-class.js';
import { CheckConditionError, HostError, type ScsiError, ScsiStatusError } from './errors.js';

/** One retryable answer. Sense conditions match key, and ASC/ASCQ when given. */
export type RetryCondition =
  | {
      readonly senseKey: number;
      readonly asc?: number;
      readonly ascq?: number;
      /** Why it is worth retrying, for logs. */
      readonly reason?: string;
    }
  | { readonly status: number; readonly reason?: string }
  | { readonly hostStatus: number; readonly reason?: string };

/** When and how often a Device sends a failed command again. Plain data: log it, merge over it. */
export interface RetryPolicy {
  /** Retries per command after the first attempt; 0 turns retrying off. @default 3 */
  readonly maxRetries: number;
  /** Delay before the first retry. @default 10 */
  readonly minDelayMs: number;
  /** Upper bound of any delay. @default 1000 */
  readonly maxDelayMs: number;
  /** Each further retry waits `factor` times longer. @default 2 */
  readonly factor: number;
  /** The answers worth retrying. @default DEFAULT_RETRY_ON */
  readonly retryOn: readonly RetryCondition[];
}

/**
 * What storage engineers expect a host to retry by itself:
 * - UNIT ATTENTION, any ASC: power on / reset (29h), capacity data changed (2Ah/09h, the Device
 *   re-reads capacity and limits), mode parameters changed (2Ah/01h), reported LUNs changed (3Fh/0Eh)…
 *   The device did not execute the command; it only reports an event once.
 * - NOT READY 04h/01h "becoming ready" (spinning up, failing over).
 * - ABORTED COMMAND (a transport hiccup on the device side).
 * - BUSY, TASK SET FULL (the midlayer already retries these briefly; persistent ones reach us).
 * - DID_BUS_BUSY, DID_SOFT_ERROR, DID_IMM_RETRY, DID_REQUEUE, DID_TRANSPORT_DISRUPTED.
 */
export const DEFAULT_RETRY_ON: readonly RetryCondition[] = Object.freeze([
  { senseKey: SENSE_KEY.UNIT_ATTENTION, reason: 'unit attention' },
  { senseKey: SENSE_KEY.NOT_READY, asc: 0x04, ascq: 0x01, reason: 'becoming ready' },
  { senseKey: SENSE_KEY.ABORTED_COMMAND, reason: 'aborted command' },
  { status: SAM_STATUS.BUSY, reason: 'busy' },
  { status: SAM_STATUS.TASK_SET_FULL, reason: 'task set full' },
  { hostStatus: 0x02, reason: 'DID_BUS_BUSY' },
  { hostStatus: 0x0b, reason: 'DID_SOFT_ERROR' },
  { hostStatus: 0x0c, reason: 'DID_IMM_RETRY' },
  { hostStatus: 0x0d, reason: 'DID_REQUEUE' },
  { hostStatus: 0x0e, reason: 'DID_TRANSPORT_DISRUPTED' },
]);

/** 3 retries, 10 ms doubling up to 1 s, on {@link DEFAULT_RETRY_ON}. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxRetries: 3,
  minDelayMs: 10,
  maxDelayMs: 1000,
  factor: 2,
  retryOn: DEFAULT_RETRY_ON,
});

/** The condition `error` matches, or undefined when it is not retryable under `policy`. */
export function matchRetry(policy: RetryPolicy, error: ScsiError): RetryCondition | undefined {
  for (const c of policy.retryOn) {
    if ('senseKey' in c) {
      if (error instanceof CheckConditionError && error.is(c.senseKey, c.asc, c.ascq)) return c;
    } else if ('status' in c) {
      if (error instanceof ScsiStatusError && error.status === c.status) return c;
    } else if (error instanceof HostError && error.hostStatus === c.hostStatus) {
      return c;
    }
  }
  return undefined;
}

/**
 * Whether to send the command again, and after how long: undefined = give up.
 * `attempt` counts retries already made (0 before the first retry). `force` is the call's
 * `retry: true`, which allows retrying a non-idempotent command.
 */
export function retryDelay(
  policy: RetryPolicy,
  error: ScsiError,
  attempt: number,
  klass: CommandClass,
  force: boolean,
): { readonly delayMs: number; readonly condition: RetryCondition } | undefined {
  if (attempt >= policy.maxRetries) return undefined;
  if (!klass.idempotent && !force) return undefined;
  const condition = matchRetry(policy, error);
  if (condition === undefined) return undefined;
  // A unit attention is reported once and the command was not executed: retry at once.
  const immediate = 'senseKey' in condition && condition.senseKey === SENSE_KEY.UNIT_ATTENTION;
  const delayMs = immediate
    ? 0
    : Math.min(policy.maxDelayMs, policy.minDelayMs * policy.factor ** Math.max(0, attempt));
  return { delayMs, condition };
}

/** Resolves after `ms`, or rejects with the signal's reason. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 && signal === undefined) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
