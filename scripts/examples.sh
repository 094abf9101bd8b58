#!/usr/bin/env bash
# The main job: build scsikit, boot the lab's default device and run the examples against it.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bootstrap.sh
pnpm -r --filter './packages/**' run build >/dev/null
# --no-expose-wasm in the guest: tsx's WebAssembly lexer crashes node under TCG (scripts/soak.sh).
exec node --import tsx lab/src/cli.ts run --profile default -- node --no-expose-wasm --import tsx examples/run-all.ts
