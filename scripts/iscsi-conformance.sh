#!/usr/bin/env bash
# The conformance peer of issue #7: libiscsi's iscsi-test-cu (Debian's libiscsi-bin) against the
# lab's LIO LUN exported over iSCSI on the guest's loopback, in ONE boot of the iscsi profile. It
# checks the lab's target, not scsikit: the figures say what LIO really does when our lab tests
# rely on it. Arguments go to iscsi-test-cu before the URL, e.g. --dataloss (destructive tests:
# the LUN is a scratch file of this boot) or -t SCSI.Read16. Prints CUnit's run summary.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bootstrap.sh
if ! command -v iscsi-test-cu >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "iscsi-conformance: needs libiscsi-bin: sudo apt-get install -y libiscsi-bin" >&2
    exit 1
  fi
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends libiscsi-bin >/dev/null
fi
# The guest runs the host's root file system, so the host's iscsi-test-cu runs in it.
exec node --import tsx lab/src/cli.ts run --profile iscsi --timeout 3000 -- \
  iscsi-test-cu --normal "$@" iscsi://127.0.0.1:3260/iqn.2026-11.org.scsikit:lab-target/0
