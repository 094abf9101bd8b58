import { defineConfig } from 'vitest/config';
import { workspaceAliases } from './vitest.config.js';

/**
 * Lab suites: run inside the guest (`lab run -- vitest run --config vitest.lab.config.ts`), one
 * vitest invocation per boot. Files run one at a time because they share the profile's devices.
 */
export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    include: ['**/*.lab.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
