import { defineConfig } from 'vitest/config';
import { DEVICE_AGNOSTIC_SUITES, PROFILES } from './lab/src/profiles.js';
import { workspaceAliases } from './vitest.config.js';

/**
 * Lab suites run inside the guest (`lab run --profile P -- vitest run --config vitest.lab.config.ts`),
 * one vitest invocation per boot. `x.lab.test.ts` runs under every profile; `x.<profile>.lab.test.ts`
 * only under that profile. Files run one at a time because they share the profile's devices.
 */
const profile = process.env.SCSIKIT_LAB_PROFILE ?? 'default';
const otherProfiles = Object.keys(PROFILES).filter((p) => p !== profile);
/** A profile of another device type (the tape) runs only its own suites and the type-agnostic ones. */
const ownOnly = PROFILES[profile]?.suites === 'own';

export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    include: ownOnly ? [`**/*.${profile}.lab.test.ts`, ...DEVICE_AGNOSTIC_SUITES] : ['**/*.lab.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', ...otherProfiles.map((p) => `**/*.${p}.lab.test.ts`)],
    fileParallelism: false,
    // Each file in its own process. Sharing one (isolate: false) made a profile 3.6× faster under
    // TCG, but twice in one fresh-clone run the shared process died with SIGSEGV after the
    // transport files: a kernel completion arriving after close() for a command the conformance
    // suite left stuck is the suspect (issue #7). Until that is found, a crash stays in its file.
    isolate: true,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
