/**
 * The progress bar (cli-progress) on stderr. In the lab the guest's output reaches the terminal
 * through a pipe and a serial line, so stderr is never a TTY there: `SCSIKIT_BENCH_TTY=1` (set by
 * scripts/bench.sh when its own stderr is a terminal) draws the bar anyway; otherwise a plain line
 * every few seconds.
 */
import { SingleBar } from 'cli-progress';

export type ProgressMode = 'bar' | 'lines' | 'none';

export interface Progress {
  /** Sets the total units (cells) and starts. */
  start(total: number): void;
  /** One unit done; `what` names the next one. */
  tick(what: string): void;
  /** Shows `what` without advancing. */
  note(what: string): void;
  stop(): void;
}

export function progressMode(requested: string | undefined, json: boolean): ProgressMode {
  if (requested === 'bar' || requested === 'lines' || requested === 'none') return requested;
  if (process.stderr.isTTY === true) return 'bar';
  // With --json on a pipe, stdout must stay clean: in the lab stderr joins stdout.
  if (json) return 'none';
  return process.env.SCSIKIT_BENCH_TTY === '1' ? 'bar' : 'lines';
}

/**
 * A stderr stand-in that says it is a terminal (the lab's serial line renders the escapes).
 * cli-progress and readline only call `write` on it and read `isTTY` and `columns`.
 */
function ttyStderr(): NodeJS.WritableStream {
  const columns = Number(process.env.COLUMNS) || 100;
  const write = (chunk: string | Uint8Array, cb?: () => void) => process.stderr.write(chunk, cb);
  return { isTTY: true, columns, write } as unknown as NodeJS.WritableStream;
}

export function createProgress(mode: ProgressMode): Progress {
  if (mode === 'none') return { start() {}, tick() {}, note() {}, stop() {} };
  const stream = mode === 'lines' || process.stderr.isTTY === true ? process.stderr : ttyStderr();
  const bar = new SingleBar({
    format: 'bench [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted} | {what}',
    barCompleteChar: '█',
    barIncompleteChar: '░',
    hideCursor: mode === 'bar',
    stream,
    etaBuffer: 30,
    // Not a terminal: one plain line every 10 s instead of redraws.
    noTTYOutput: mode === 'lines',
    notTTYSchedule: 10_000,
  });
  let value = 0;
  return {
    start(total) {
      value = 0;
      bar.start(total, 0, { what: 'starting' });
    },
    tick(what) {
      bar.update(++value, { what });
    },
    note(what) {
      bar.update(value, { what });
    },
    stop() {
      bar.stop();
    },
  };
}
