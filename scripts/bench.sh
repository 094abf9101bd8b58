#!/usr/bin/env bash
# The benchmark (issue #9; bench/README.md): the NOP path on the host first (no SCSI, and no guest
# competing for the two cores), then INQUIRY, 4 KiB random reads, 128 KiB sequential reads and the
# read RSS check in ONE lab boot against its scsi_debug disk, merged into one report.
# Options go to bench/src/cli.ts: --quick, --json, --out DIR, --only LIST, --rounds N, --seconds S.
set -euo pipefail
cd "$(dirname "$0")/.."

only=""
pass=()
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  a=${args[i]}
  case "$a" in
    -h | --help) exec node --import tsx bench/src/cli.ts --help ;;
    --only) only=${args[i + 1]:-}; i=$((i + 1)) ;;
    --only=*) only=${a#--only=} ;;
    --host-only | --save-host* | --with-host* | --build-only)
      echo "bench.sh: $a is this script's own business; run bench/src/cli.ts directly for it" >&2
      exit 2
      ;;
    *) pass+=("$a") ;;
  esac
done
json=0
for a in "${pass[@]+"${pass[@]}"}"; do [ "$a" = --json ] && json=1; done

# The --only words that belong to each part ("memory" is in both: NOP RSS here, read RSS there).
pick() {
  local allowed=$1 w out=()
  if [ -z "$only" ]; then
    echo "${allowed// /,}"
    return
  fi
  IFS=',' read -ra words <<<"$only"
  for w in "${words[@]}"; do
    case " $allowed " in *" $w "*) out+=("$w") ;; esac
  done
  (IFS=','; echo "${out[*]+"${out[*]}"}")
}
if [ -n "$only" ]; then
  IFS=',' read -ra words <<<"$only"
  for w in "${words[@]}"; do
    case " inquiry randread seqread memory nop " in
      *" $w "*) ;;
      *) echo "bench.sh: --only: unknown workload \"$w\" (known: inquiry, randread, seqread, memory, nop)" >&2; exit 2 ;;
    esac
  done
fi
host_only=$(pick "nop memory")
lab_only=$(pick "inquiry randread seqread memory")

. scripts/bootstrap.sh

# fio is the external peer. The guest runs on this machine's root filesystem (9p), so installing it
# here installs it there.
if ! command -v fio >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    log "installing fio with apt-get"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends fio >/dev/null
  else
    log "missing system package: fio"
    log "install it with: sudo apt-get update && sudo apt-get install -y fio"
    exit 1
  fi
fi

# The benchmark measures what users get: the built packages (dist), and the C program built here
# (compiling under TCG takes long; the guest reuses this binary).
pnpm --filter '@scsikit/core...' --filter '@scsikit/transport-uring...' run build >/dev/null
# The root tsconfig maps @scsikit/* to src for development; tsx would follow it. This one does not.
export TSX_TSCONFIG_PATH=bench/tsconfig.json
node --import tsx bench/src/cli.ts --build-only

# scsikit's SG_IO fallback holds one libuv threadpool thread per command: with libuv's default of 4 it
# could never reach the sg driver's 16, and "io_uring vs SG_IO" would compare against a strawman.
export UV_THREADPOOL_SIZE="${UV_THREADPOOL_SIZE:-16}"

rc=0
host_report=bench/build/host-report.json
rm -f "$host_report"
if [ -n "$host_only" ]; then
  log "host part: the NOP path ($host_only)"
  host=(node --import tsx bench/src/cli.ts --host-only --only "$host_only" --save-host "$host_report")
  if [ -z "$lab_only" ]; then
    "${host[@]}" "${pass[@]+"${pass[@]}"}" || rc=$?
  elif [ "$json" = 1 ]; then
    # The merged report printed by the lab part is the output.
    "${host[@]}" "${pass[@]+"${pass[@]}"}" >/dev/null || rc=$?
  else
    "${host[@]}" "${pass[@]+"${pass[@]}"}" >&2 || rc=$?
  fi
fi

if [ -n "$lab_only" ]; then
  log "lab part: $lab_only (one boot of the default profile)"
  with_host=()
  [ -f "$host_report" ] && with_host=(--with-host "$host_report")
  # The guest's stdout and stderr reach our stdout through a pipe and a serial line, never a TTY:
  # when our stdout is a terminal, have it draw the progress bar anyway.
  tty=0 cols=100
  if [ -t 1 ]; then
    tty=1
    cols=$(tput cols 2>/dev/null || echo 100)
  fi
  # --no-expose-wasm in the guest: tsx's WebAssembly lexer crashes node under TCG (scripts/soak.sh).
  # --expose-gc and the pinned young generation: the RSS check reads memory as the soak does (see
  # scripts/soak.sh); left to itself V8 grows its young generation in steps, which reads as growth.
  SCSIKIT_BENCH_TTY=$tty COLUMNS=$cols node --import tsx lab/src/cli.ts run --profile default --timeout 1500 -- \
    node --no-expose-wasm --expose-gc --min-semi-space-size=16 --max-semi-space-size=16 --import tsx bench/src/cli.ts --only "$lab_only" "${with_host[@]+"${with_host[@]}"}" \
    "${pass[@]+"${pass[@]}"}" || rc=$?
fi
exit "$rc"
