#!/bin/sh
# One lab boot for issue #20's figures (run by the lab: pnpm lab run --profile default -- sh bench/ab/session.sh):
# the executeBatch lab test, the interleaved A/B driver (with cpu profiles), then the bench's lab
# part (--quick), merged with the host part saved beforehand in bench/build/host-report.json.
cd "$(dirname "$0")/../.."
out=${SESSION_OUT:-/tmp/perf-session}
mkdir -p "$out"
echo "== lab test: executeBatch"
node --liftoff-only node_modules/vitest/vitest.mjs run --config vitest.lab.config.ts packages/core/test/batch.default.lab.test.ts
echo "== A/B driver"
node bench/ab/ab.mjs --rounds "${AB_ROUNDS:-3}" --seconds "${AB_SECONDS:-2}" --prof "$out"
echo "== bench --quick (lab part)"
TSX_TSCONFIG_PATH=bench/tsconfig.json UV_THREADPOOL_SIZE=16 node --no-expose-wasm --expose-gc \
  --min-semi-space-size=16 --max-semi-space-size=16 --import tsx bench/src/cli.ts \
  --only inquiry,randread,seqread,memory --with-host bench/build/host-report.json --quick --progress lines
echo "== done"
