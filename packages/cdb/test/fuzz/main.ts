/**
 * The long fuzz run: `pnpm fuzz` (SCSIKIT_FUZZ_RUNS cases in total, default 1,000,000;
 * SCSIKIT_FUZZ_SEED to replay a run; SCSIKIT_FUZZ_ONLY=<regexp> to pick functions). Prints the
 * figures per function and exits 1 when any call threw an untyped error or returned a malformed
 * result.
 */
import {
  builders,
  decoders,
  type FuzzFigures,
  formatFigures,
  fuzzBuilder,
  fuzzDecoder,
  fuzzSettings,
} from './harness.js';

const { total, perFunction, seed } = fuzzSettings(1_000_000);
const only =
  process.env.SCSIKIT_FUZZ_ONLY === undefined ? undefined : new RegExp(process.env.SCSIKIT_FUZZ_ONLY, 'u');
const started = performance.now();
const figures: FuzzFigures[] = [];
process.stdout.write(
  `fuzzing ${builders.length} builders and ${decoders.length} decoders: ${total} cases, seed ${seed}\n`,
);
for (const [name, fn] of builders) {
  if (only === undefined || only.test(name)) figures.push(fuzzBuilder(name, fn, { runs: perFunction, seed }));
}
for (const [name, fn] of decoders) {
  if (only === undefined || only.test(name)) figures.push(fuzzDecoder(name, fn, { runs: perFunction, seed }));
}
process.stdout.write(`${formatFigures(figures, seed, performance.now() - started)}\n`);
process.exitCode = figures.some((f) => f.untyped > 0) ? 1 : 0;
