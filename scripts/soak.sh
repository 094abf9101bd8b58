#!/usr/bin/env bash
# The reliability soak (issue #7; soak/src/soak.ts): in ONE boot of the default lab profile, a chaos
# run of mixed commands with a scsi_debug fault injected every 100 ms, a clean run for RSS, device
# removal mid-run, kill -9 at QD 64, and the leak checks. Prints its figures as JSON and
# "soak: PASSED" or "soak: FAILED" with the reasons. Options go to soak/src/soak.ts:
# --commands N (100000), --qd N (32), --fault-every-ms N (100), --timeout-ms N (4000),
# --clean-commands N (100000), --load-seconds N (10), --phases LIST (chaos,memory,removal,load,kill).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bootstrap.sh
# The soak runs the packages from src through tsx (the root tsconfig's path map). With the built
# dist (TSX_TSCONFIG_PATH=soak/tsconfig.json) the guest's node died of SIGSEGV before running any
# code of ours, every time since 04:22 on 2026-11-24 (closing note of that stop; the bench, on
# dist, is not affected): not understood yet.
exec node --import tsx lab/src/cli.ts run --profile default --timeout 3000 -- \
  node --import tsx soak/src/soak.ts "$@"
