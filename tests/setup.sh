#!/usr/bin/env bash
# Installs what mcpshim needs to build and test (Debian packages, the pinned
# Node packages in fixtures/), then builds a preset (default: "default").
#   tests/setup.sh [preset]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
preset=${1:-default}

packages=(build-essential cmake ninja-build pkg-config libboost1.81-dev nlohmann-json3-dev libspdlog-dev
          catch2 libssl-dev libcli11-dev libjemalloc-dev libhiredis-dev redis-server nginx openssl jq curl)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node may come from elsewhere than Debian (its npm then conflicts with Debian's): ask for commands.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -d "$root/fixtures/node_modules/@modelcontextprotocol/conformance" ] ||
   [ "$root/fixtures/package-lock.json" -nt "$root/fixtures/node_modules/.package-lock.json" ]; then
    (cd "$root/fixtures" && npm ci --no-audit --no-fund --loglevel=error)
fi

cd "$root"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
