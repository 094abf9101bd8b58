import { defineConfig } from 'vitest/config';
import { PROFILES } from './lab/src/profiles.js';
import { workspaceAliases } from './vitest.config.js';

/**
 * Lab suites run inside the guest (`lab run --profile P -- vitest run --config vitest.lab.config.ts`),
 * one vitest invocation per boot. `x.lab.test.ts` runs under every profile; `x.<profile>.lab.test.ts`
 * only under that profile. Files run one at a time because they share the profile's devices.
 */
const profile = process.env.SCSIKIT_LAB_PROFILE ?? 'default';
const otherProfiles = Object.keys(PROFILES).filter((p) => p !== profile);

export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    include: ['**/*.lab.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', ...otherProfiles.map((p) => `**/*.${p}.lab.test.ts`)],
    fileParallelism: false,
    // One worker for every file, modules loaded once: under TCG, per-file transform and import cost
    // more than the tests themselves. Files share the profile's devices anyway (and run in turn).
    isolate: false,
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
