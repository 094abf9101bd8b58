import { defineConfig } from 'tsup';

export default defineConfig({
  // Two entries: the conformance suite imports vitest, and production code importing the
  // contract or the errors must never pull a test runner in.
  entry: ['src/index.ts', 'src/conformance.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
});
