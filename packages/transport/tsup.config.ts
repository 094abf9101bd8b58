import { packageBuild } from '../../tsup.base.js';

// Two entries: the conformance suite imports vitest, and production code importing the contract
// or the errors must never pull a test runner in.
export default packageBuild({ entry: ['src/index.ts', 'src/conformance.ts'] });
