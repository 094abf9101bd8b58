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
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
