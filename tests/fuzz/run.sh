#!/usr/bin/env bash
# Builds the libFuzzer targets (the "fuzz" preset: clang-14, ASan + UBSan)
# and runs each for a while, seeded from the fixtures and tests/fuzz/seeds,
# with every earlier finding (tests/fuzz/corpus/<target>/) read again first.
#   tests/fuzz/run.sh [--seconds N] [--only TARGET]
# A crash, leak or timeout is copied into tests/fuzz/corpus/<target>/ (commit
# it with the fix: it becomes a regression input) and the script exits 1.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=60
only=""
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds=$2; shift 2 ;;
        --only) only=$2; shift 2 ;;
        *) echo "usage: $0 [--seconds N] [--only TARGET]" >&2; exit 2 ;;
    esac
done

need=()
command -v clang++-14 >/dev/null || need+=(clang-14)
dpkg-query -W -f='${Status}' libfuzzer-14-dev 2>/dev/null | grep -q "install ok installed" || need+=(libfuzzer-14-dev)
if [ ${#need[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
cd "$root"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz >/dev/null

seeds_of() {
    case "$1" in
        json|jsonrpc) echo "$root/fixtures/golden" ;;
        har) echo "$root/tests/fuzz/work/seeds-har" ;;
        recording) echo "$root/tests/fuzz/work/seeds-recording" ;;
        stdio_log) echo "$root/tests/fuzz/work/seeds-stdio_log" ;;
        *) echo "$root/tests/fuzz/seeds/$1" ;;
    esac
}
# The captures as seeds, one folder per reader.
mkdir -p "$root/tests/fuzz/work"/seeds-{har,recording,stdio_log}
cp "$root"/fixtures/captures/*.har "$root/tests/fuzz/work/seeds-har/"
cp "$root"/fixtures/captures/*.jsonl "$root/tests/fuzz/work/seeds-recording/"
cp "$root"/fixtures/captures/*.log "$root/tests/fuzz/work/seeds-stdio_log/"

# CI gates on a fixed seed, so a red run can be replayed; elsewhere each run
# explores anew (libFuzzer's seed 0 is a random one). FUZZ_SEED overrides.
seed=${FUZZ_SEED:-0}
[ -n "${CI:-}" ] && [ -z "${FUZZ_SEED:-}" ] && seed=1

failed=0
for binary in "$root"/build/fuzz/tests/fuzz/fuzz_*; do
    target=${binary##*/fuzz_}
    [ -n "$only" ] && [ "$only" != "$target" ] && continue
    work="$root/tests/fuzz/work/$target"
    regressions="$root/tests/fuzz/corpus/$target"
    mkdir -p "$work" "$regressions" "$work/artifacts"
    seeds=$(seeds_of "$target")
    log="$work/last-run.log"
    set +e
    "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -seed="$seed" \
        -artifact_prefix="$work/artifacts/" "$work" "$regressions" "$seeds" >"$log" 2>&1
    status=$?
    set -e
    runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo 0)
    coverage=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
    if [ "$status" -ne 0 ]; then
        failed=1
        for artifact in "$work"/artifacts/*; do
            [ -e "$artifact" ] && cp "$artifact" "$regressions/"
        done
        echo "fuzz $target: FAILED after $runs runs (exit $status); the input is in tests/fuzz/corpus/$target/"
        grep -E "ERROR|SUMMARY|runtime error|==[0-9]+==" "$log" | head -5
    else
        echo "fuzz $target: ${seconds}s, $runs runs, coverage $coverage, no crash"
    fi
done
exit $failed
