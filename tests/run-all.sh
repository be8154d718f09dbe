#!/usr/bin/env bash
# Installs, builds and runs every test: unit and golden transcripts (Catch2),
# end-to-end tests with the official SDKs, and the official conformance suite
# through the shim (one and two upstream instances, and a two-shim fleet on
# Redis behind nginx). With --asan, the same
# tests also run against the AddressSanitizer + UBSan build, and every
# libFuzzer target runs for a minute (tests/fuzz/run.sh) and the soak for
# three (tests/soak/run.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tests/setup.sh" default
"$root/tests/conformance/run.sh" --shim "$root/build/default/shim/mcpshim"
if [ "${1:-}" = "--asan" ]; then
    "$root/tests/setup.sh" asan
    "$root/tests/conformance/run.sh" --shim "$root/build/asan/shim/mcpshim"
    "$root/tests/conformance/run.sh" --shim "$root/build/asan/shim/mcpshim" --upstreams 2 --shims 2 --session-store redis
    ctest --test-dir "$root/build/asan" --output-on-failure -E conformance
    "$root/tests/fuzz/run.sh" --seconds 60
    "$root/tests/soak/run.sh" --minutes 3
fi
ctest --test-dir "$root/build/default" --output-on-failure
