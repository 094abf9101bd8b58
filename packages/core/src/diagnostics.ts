/**
 * Observability: `node:diagnostics_channel` channels (nothing is published unless someone
 * subscribes) and `util.debuglog('scsikit')` (NODE_DEBUG=scsikit). Nothing is printed by default.
 * Per-device counters and latency percentiles live in {@link DeviceStatsCollector}.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { debuglog } from 'node:util';
import type { ScsiError } from './errors.js';

export const log = debuglog('scsikit');

/** Channel names, stable. */
export const CHANNELS = {
  commandStart: 'scsikit:command:start',
  commandComplete: 'scsikit:command:complete',
  commandError: 'scsikit:command:error',
  commandRetry: 'scsikit:command:retry',
  transportFallback: 'scsikit:transport:fallback',
} as const;

/** Published on `scsikit:command:start`, once per attempt. */
export interface CommandStartMessage {
  /** The device's path or 'emulated'. */
  readonly device: string;
  /** T10 command name, e.g. 'READ(16)'. */
  readonly command: string;
  readonly cdb: Uint8Array;
  /** 0 for the first attempt, 1 for the first retry… */
  readonly attempt: number;
}

/** Published on `scsikit:command:complete` when the device answered GOOD (or CONDITION MET). */
export interface CommandCompleteMessage extends CommandStartMessage {
  readonly status: number;
  /** Bytes moved. */
  readonly bytes: number;
  /** As the transport measured it. */
  readonly latencyNs: number;
}

/** Published on `scsikit:command:error` when a command finally fails (after any retries). */
export interface CommandErrorMessage extends CommandStartMessage {
  readonly error: ScsiError;
}

/** Published on `scsikit:command:retry` before a retry's delay. */
export interface CommandRetryMessage extends CommandStartMessage {
  readonly error: ScsiError;
  readonly delayMs: number;
  /** The retry condition's reason ('unit attention', 'busy'…). */
  readonly reason: string;
}

/** Published on `scsikit:transport:fallback` when io_uring is not usable and SG_IO is used instead. */
export interface TransportFallbackMessage {
  readonly path: string;
  readonly from: 'uring';
  readonly to: 'sgio';
  readonly reason: string;
  readonly cause: unknown;
}

export const channels = {
  start: diagnosticsChannel.channel(CHANNELS.commandStart),
  complete: diagnosticsChannel.channel(CHANNELS.commandComplete),
  error: diagnosticsChannel.channel(CHANNELS.commandError),
  retry: diagnosticsChannel.channel(CHANNELS.commandRetry),
  fallback: diagnosticsChannel.channel(CHANNELS.transportFallback),
};

/** Latency summary in milliseconds over the most recent samples. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/** `device.stats()`: counters since open, latency percentiles computed on demand. */
export interface DeviceStats {
  /** Commands issued by the Device API (a retry is not a new command). */
  readonly commands: number;
  /** Commands that ended GOOD. */
  readonly succeeded: number;
  /** Commands that ended in an error (after retries), including guard refusals. */
  readonly failed: number;
  /** Retries sent. */
  readonly retries: number;
  /** Failures by error code, e.g. `{ ERR_SCSIKIT_CHECK_CONDITION: 2 }`. */
  readonly errors: Readonly<Record<string, number>>;
  readonly bytesRead: number;
  readonly bytesWritten: number;
  /** Latency of successful attempts, from the most recent 8192 samples. */
  readonly latencyMs: LatencySummary;
}

const SAMPLES = 8192;

/** Counters plus a ring of latency samples; percentiles are computed only when asked. */
export class DeviceStatsCollector {
  commands = 0;
  succeeded = 0;
  failed = 0;
  retries = 0;
  bytesRead = 0;
  bytesWritten = 0;
  readonly #errors: Record<string, number> = {};
  /** Nanoseconds; a ring so a long-running device's memory stays bounded. */
  readonly #latency = new Float64Array(SAMPLES);
  #samples = 0;

  recordLatency(ns: number): void {
    this.#latency[this.#samples % SAMPLES] = ns;
    this.#samples++;
  }

  recordError(code: string): void {
    this.failed++;
    this.#errors[code] = (this.#errors[code] ?? 0) + 1;
  }

  snapshot(): DeviceStats {
    const n = Math.min(this.#samples, SAMPLES);
    const sorted = this.#latency.slice(0, n).sort();
    const at = (q: number) => (n === 0 ? 0 : (sorted[Math.min(n - 1, Math.ceil(q * n) - 1)] ?? 0) / 1e6);
    return {
      commands: this.commands,
      succeeded: this.succeeded,
      failed: this.failed,
      retries: this.retries,
      errors: { ...this.#errors },
      bytesRead: this.bytesRead,
      bytesWritten: this.bytesWritten,
      latencyMs: { count: n, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: n === 0 ? 0 : at(1) },
    };
  }
}
