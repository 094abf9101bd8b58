#!/bin/sh
# The second boot of issue #20 (pnpm lab run --profile default -- sh bench/ab/session2.sh): #19's
# before/after and the floor again, every cell pinned to CPU 0 with a 2 s warm-up, 5 rounds (the
# first boot's QD 1 cells, unpinned with 0.5 s warm-up, were bimodal from process to process).
cd "$(dirname "$0")/../.."
out=${SESSION_OUT:-/tmp/perf-session2}
mkdir -p "$out"
command -v taskset >/dev/null || { echo "no taskset in the guest"; exit 1; }
node bench/ab/ab.mjs --rounds 5 --seconds 2 --warmup 2 --pin 0 --only ab19,floor,c --prof "$out"
