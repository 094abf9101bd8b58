import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** Tests read sibling packages' TypeScript sources directly, so no build is needed to test. */
export const workspaceAliases = {
  '@scsikit/cdb': here('./packages/cdb/src/index.ts'),
  '@scsikit/emulated-disk': here('./packages/emulated-disk/src/index.ts'),
  '@scsikit/transport/conformance': here('./packages/transport/src/conformance.ts'),
  '@scsikit/transport': here('./packages/transport/src/index.ts'),
  '@scsikit/transport-uring': here('./packages/transport-uring/src/index.ts'),
  '@scsikit/core': here('./packages/core/src/index.ts'),
  '@scsikit/disk-behaviour': here('./packages/disk-behaviour/src/index.ts'),
  '@scsikit/lab': here('./lab/src/index.ts'),
  '@scsikit/cli': here('./packages/cli/src/main.ts'),
};

/** Host suites: everything that needs no SCSI device. `*.lab.test.ts` files run only in the lab. */
export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    exclude: ['**/node_modules/**', '**/dist/**', '**/*.lab.test.ts'],
    onConsoleLog: () => false,
    // Property and fuzz tests do seconds of CPU work: on a loaded 2-core CI machine the 5 s default
    // failed one of them (2.2 s unloaded, 5.0 s with three busy loops beside it). Still a hang guard.
    testTimeout: 30_000,
    projects: [
      { extends: true, test: { name: 'cdb', include: ['packages/cdb/test/**/*.test.ts'] } },
      { extends: true, test: { name: 'transport', include: ['packages/transport/test/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'transport-uring', include: ['packages/transport-uring/test/**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'emulated-disk', include: ['packages/emulated-disk/test/**/*.test.ts'] },
      },
      { extends: true, test: { name: 'core', include: ['packages/core/test/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'disk-behaviour', include: ['packages/disk-behaviour/test/**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'examples-emulated-disk', include: ['examples/emulated-disk/**/*.test.ts'] },
      },
      { extends: true, test: { name: 'examples', include: ['examples/test/**/*.test.ts'] } },
      { extends: true, test: { name: 'lab', include: ['lab/test/**/*.test.ts'] } },
      { extends: true, test: { name: 'bench', include: ['bench/test/**/*.test.ts'] } },
      { extends: true, test: { name: 'cli', include: ['packages/cli/test/**/*.test.ts'] } },
      // The packed tarballs as users install them (release/prepare.ts sets them up first).
      { extends: true, test: { name: 'release', include: ['release/test/**/*.test.ts'] } },
    ],
  },
});
