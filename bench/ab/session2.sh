#!/bin/sh
# The second boot of issue #20 (pnpm lab run --profile default -- sh bench/ab/session2.sh): #19's
# before/after and the floor again, every cell pinned to CPU 0 with a 2 s warm-up, 4 rounds (the
# first boot's QD 1 cells, unpinned with 0.5 s warm-up, were bimodal from process to process).
cd "$(dirname "$0")/../.."
out=${SESSION_OUT:-/tmp/perf-session2}
mkdir -p "$out"
command -v taskset >/dev/null || { echo "no taskset in the guest"; exit 1; }
node bench/ab/ab.mjs --rounds 4 --seconds 2 --warmup 2 --pin 0 --only ab19,floor,c --prof "$out"
# The fio peer was missing from the first boot (fio was not installed on the host then): the
# random-read and INQUIRY workloads once more with it, merged with the saved host part.
TSX_TSCONFIG_PATH=bench/tsconfig.json UV_THREADPOOL_SIZE=16 node --no-expose-wasm --expose-gc \
  --min-semi-space-size=16 --max-semi-space-size=16 --import tsx bench/src/cli.ts \
  --only inquiry,randread --with-host bench/build/host-report.json --quick --progress none
