#!/usr/bin/env bash
# Everything a fresh machine with only Node ≥ 20, npm and apt needs before scsikit builds:
# pnpm, the system packages for the native addon, the workspace's dependencies, the addon itself.
# Idempotent: a second run does almost nothing. Sourced by the scripts that need it (PATH carries over).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf 'bootstrap: %s\n' "$*" >&2; }

node -e 'const [maj, min] = process.versions.node.split(".").map(Number); if (maj < 20 || (maj === 20 && min < 11)) { console.error("scsikit needs Node >= 20.11, found " + process.version); process.exit(1); }'

PNPM_VERSION=10.34.9
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  log "installing pnpm $PNPM_VERSION with npm (corepack is not usable here)"
  if ! npm install -g --silent "pnpm@$PNPM_VERSION" >/dev/null 2>&1; then
    # Not allowed to write the global prefix: use a private one.
    prefix="${XDG_DATA_HOME:-$HOME/.local/share}/scsikit/npm-global"
    npm install -g --silent --prefix "$prefix" "pnpm@$PNPM_VERSION" >/dev/null
    export PATH="$prefix/bin:$PATH"
  fi
fi

# System packages: the addon links Debian's liburing; node-gyp needs make, g++ and python3;
# the cdb differential tests run sg3_utils.
need=()
[ -f /usr/include/liburing.h ] || need+=(liburing-dev)
command -v make >/dev/null 2>&1 || need+=(make)
command -v g++ >/dev/null 2>&1 || need+=(g++)
command -v python3 >/dev/null 2>&1 || need+=(python3)
# sg3_utils: the differential tests of packages/cdb compare our CDBs and decoders with its utilities.
command -v sg_inq >/dev/null 2>&1 || need+=(sg3-utils)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    log "installing ${need[*]} with apt-get"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
  else
    log "missing system packages: ${need[*]}"
    log "install them with: sudo apt-get update && sudo apt-get install -y ${need[*]}"
    exit 1
  fi
fi

# node-gyp builds against the running Node's own headers (no download: only npm and apt are reachable).
if [ -z "${npm_config_nodedir:-}" ]; then
  node_prefix="$(node -p 'require("node:path").resolve(process.execPath, "../..")')"
  [ -f "$node_prefix/include/node/node_api.h" ] && export npm_config_nodedir="$node_prefix"
fi

log "installing workspace dependencies"
pnpm install --frozen-lockfile --reporter=silent

addon=packages/transport-uring/native/build/Release/scsikit_uring.node
if [ ! -f "$addon" ] || [ -n "$(find packages/transport-uring/native -maxdepth 1 -newer "$addon" \( -name '*.cc' -o -name '*.h' -o -name '*.gyp' \))" ]; then
  log "building the native addon"
  pnpm --filter @scsikit/transport-uring run build:native >/dev/null
fi
