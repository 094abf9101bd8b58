import { packageBuild } from '../../tsup.base.js';

// import.meta.url in the CJS build: the addon is located relative to the package, not bundled.
export default packageBuild({ shims: true });
