// Where release/prepare.ts leaves the packed and installed copies for the packaging suites.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PackageManager } from './consumer.js';
import type { Tarball } from './pack.js';

export interface PackagingManifest {
  readonly work: string;
  /** The bare bin directory: node and the package managers, nothing else. */
  readonly bin: string;
  readonly tarballs: readonly Tarball[];
  readonly consumers: Readonly<Record<PackageManager, string>>;
  readonly installLogs: Readonly<Record<PackageManager, string>>;
  readonly withoutPrebuild: string;
  /** Another such copy, for the install step's source build (with the toolchain). */
  readonly sourceBuild: string;
  /** Node major → executable, for the versions the packages promise (engines, README). */
  readonly nodes: Readonly<Record<string, string>>;
}

export const MANIFEST = join(
  resolve(import.meta.dirname, '..'),
  'test-results',
  'packaging',
  'manifest.json',
);

export function readPackagingManifest(): PackagingManifest {
  if (!existsSync(MANIFEST)) {
    throw new Error(
      `${MANIFEST} is missing: run \`node --import tsx release/prepare.ts\` first (npm test does)`,
    );
  }
  return JSON.parse(readFileSync(MANIFEST, 'utf8')) as PackagingManifest;
}
