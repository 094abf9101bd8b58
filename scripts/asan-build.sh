#!/usr/bin/env bash
# Builds the native addon with AddressSanitizer + UBSan into a scratch directory (the release build
# in packages/transport-uring/native/build stays as it is) and prints the .node path.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-${TMPDIR:-/tmp}/scsikit-asan}"
rm -rf "$out"
mkdir -p "$out/native" "$out/scripts"
cp packages/transport-uring/native/*.cc packages/transport-uring/native/*.h packages/transport-uring/native/binding.gyp "$out/native/"
# binding.gyp asks ../scripts/liburing-link.cjs how to link liburing.
cp packages/transport-uring/scripts/liburing-link.cjs "$out/scripts/"
pnpm --filter @scsikit/transport-uring exec node-gyp rebuild --debug -j 2 --directory "$out/native" -- -Dsanitize=1 >"$out/build.log" 2>&1 \
  || { tail -20 "$out/build.log" >&2; exit 1; }
echo "$out/native/build/Debug/scsikit_uring.node"
