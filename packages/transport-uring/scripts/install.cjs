// The package's install step (npm and yarn run it; pnpm 10 skips it unless allowed, which is fine):
// nothing to do when a prebuilt addon loads here, else one attempt at a source build. It never
// fails the install: without a toolchain, using a kernel transport later throws
// NativeUnavailableError, naming the missing packages, and the pure-TypeScript parts still work.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');
const { missingBuildTools, onPath } = require('./build-tools.cjs');

const root = join(__dirname, '..');
const native = join(root, 'native');
const say = (s) => process.stderr.write(`@scsikit/transport-uring: ${s}\n`);

// In the source checkout (src/ is not published) the workspace's bootstrap builds the addon.
if (existsSync(join(root, 'src'))) process.exit(0);
if (process.env.SCSIKIT_SKIP_NATIVE_BUILD === '1') process.exit(0);

function loads() {
  try {
    require(require('node-gyp-build').path(native));
    return true;
  } catch {
    return false;
  }
}
if (loads()) process.exit(0);

const missing = missingBuildTools();
const platform = `${process.platform}-${process.arch}`;
if (missing.length > 0) {
  say(`no prebuilt addon loads on ${platform}, and a source build needs ${missing.join(', ')}.`);
  say(
    `install them (Debian/Ubuntu: apt-get install ${missing.join(' ')}), then run \`npm rebuild @scsikit/transport-uring\`.`,
  );
  process.exit(0);
}

// npm and yarn name their bundled node-gyp; else one on PATH.
const gyp = process.env.npm_config_node_gyp;
const [cmd, args] =
  gyp && existsSync(gyp)
    ? [process.execPath, [gyp]]
    : onPath('node-gyp')
      ? ['node-gyp', []]
      : [undefined, []];
if (cmd === undefined) {
  say(
    `no prebuilt addon loads on ${platform} and no node-gyp was found; install node-gyp, then run \`npm rebuild @scsikit/transport-uring\`.`,
  );
  process.exit(0);
}
say(`no prebuilt addon loads on ${platform}: building it from source`);
const r = spawnSync(cmd, [...args, 'rebuild', '--release', '--directory', native], { stdio: 'inherit' });
if (r.status !== 0 || !loads())
  say('the source build failed (see above); kernel transports will throw NativeUnavailableError.');
process.exit(0);
