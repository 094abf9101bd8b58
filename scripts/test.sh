#!/usr/bin/env bash
# The test command: host suites, then every lab profile's suites in the guest, then one summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bootstrap.sh
# Host tests load the built packages (worker threads, child processes) as users would.
pnpm -r --filter "./packages/**" run build >/dev/null
exec node --import tsx scripts/run-tests.mjs "$@"
