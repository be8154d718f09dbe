#!/usr/bin/env bash
# The soak (tests/soak/soak.mjs) against the AddressSanitizer build.
#   tests/soak/run.sh [--minutes N] [--workers W]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
minutes=3
workers=8
while [ $# -gt 0 ]; do
    case "$1" in
        --minutes) minutes=$2; shift 2 ;;
        --workers) workers=$2; shift 2 ;;
        *) echo "usage: $0 [--minutes N] [--workers W]" >&2; exit 2 ;;
    esac
done
[ -x "$root/build/asan/shim/mcpshim" ] || "$root/tests/setup.sh" asan
node "$root/tests/soak/soak.mjs" --shim "$root/build/asan/shim/mcpshim" --minutes "$minutes" --workers "$workers"
