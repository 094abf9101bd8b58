import { packageBuild } from '../../tsup.base.js';

// An ES-module application: bin.ts awaits at top level; main.ts is its importable API.
export default packageBuild({
  entry: ['src/bin.ts', 'src/main.ts'],
  format: ['esm'],
  dts: { entry: 'src/main.ts' },
});
