#!/usr/bin/env bash
# Builds the native addon with AddressSanitizer + UBSan into a scratch directory (the release build
# in packages/transport-uring/native/build stays as it is) and prints the .node path.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-${TMPDIR:-/tmp}/scsikit-asan}"
rm -rf "$out"
mkdir -p "$out"
cp packages/transport-uring/native/*.cc packages/transport-uring/native/*.h packages/transport-uring/native/binding.gyp "$out/"
pnpm --filter @scsikit/transport-uring exec node-gyp rebuild --debug -j 2 --directory "$out" -- -Dsanitize=1 >"$out/build.log" 2>&1 \
  || { tail -20 "$out/build.log" >&2; exit 1; }
echo "$out/build/Debug/scsikit_uring.node"
