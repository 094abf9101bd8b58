import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/bin.ts', 'src/main.ts'],
  format: ['esm'],
  dts: { entry: 'src/main.ts' },
  clean: true,
  sourcemap: true,
  target: 'node20',
});
