import { defineConfig, type Options } from 'tsup';

/**
 * What every published package builds: ES modules and CommonJS for Node 20 with types, the addon
 * (where there is one) located at run time, never bundled. Packages pass only what differs.
 */
export function packageBuild(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    ...overrides,
  });
}
