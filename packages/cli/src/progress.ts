/**
 * Progress display: a cli-progress bar when stderr is a terminal, plain `label: NN.NN%` lines
 * otherwise (logs and tests), never on stdout (which carries the result or the JSON document).
 */
import cliProgress from 'cli-progress';
import type { CliIo } from './context.js';

export interface Progress {
  /** 0–100, plus optional `{ key: value }` shown after the bar. */
  update(percent: number, extra?: Readonly<Record<string, string>>): void;
  stop(): void;
}

export function startProgress(io: CliIo, label: string, detail = ''): Progress {
  const stream = io.progressStream;
  if (stream !== undefined) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: `${label} |{bar}| {percentage}% ${detail ? '{detail}' : ''}`.trimEnd(),
        hideCursor: true,
        clearOnComplete: false,
        barsize: 30,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(100, 0, { detail: '' });
    return {
      update: (p, extra) =>
        bar.update(Math.min(100, Math.round(p * 100) / 100), {
          detail: extra === undefined ? '' : Object.values(extra).join('  '),
        }),
      stop: () => bar.stop(),
    };
  }
  let last = -1;
  return {
    update: (p, extra) => {
      // One line per change is enough for a log.
      if (p === last && extra === undefined) return;
      last = p;
      const tail = extra === undefined ? '' : `  ${Object.values(extra).join('  ')}`;
      io.err(`${label}: ${p.toFixed(2)}%${tail}\n`);
    },
    stop: () => {},
  };
}
