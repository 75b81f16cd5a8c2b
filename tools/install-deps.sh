#!/usr/bin/env bash
# Installs what `make test` and `make serve` need when it is missing, on Debian 12: a C
# compiler, make, Node.js (>= 18) and npm, Debian's Emscripten (the wasm engine) and
# Debian's Chromium (the browser tests). Does nothing when everything is present. Runs apt-get
# only as root and non-interactively. Used by `make test` and by .ci/run.
#   tools/install-deps.sh [test|build]   build: without Chromium (make site/serve, Pages)
set -euo pipefail
mode="${1:-test}"

need=()
command -v gcc  >/dev/null 2>&1 || need+=(gcc libc6-dev)
command -v make >/dev/null 2>&1 || need+=(make)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm  >/dev/null 2>&1 || need+=(npm)

command -v emcc >/dev/null 2>&1 || need+=(emscripten)
if [[ "$mode" != build ]]; then
  [[ -x /usr/bin/chromium ]] || need+=(chromium)
fi

if ((${#need[@]} == 0)); then
  exit 0
fi
if [[ "$(id -u)" != 0 ]]; then
  echo "install-deps: missing ${need[*]}; as root run: apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "install-deps: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${need[@]}"
