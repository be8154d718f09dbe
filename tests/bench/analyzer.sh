#!/usr/bin/env bash
# The analyzer against its references on one generated capture: `cat` (the
# I/O limit), `jq -c .` (one full JSON parse per line) and `mcpshim analyze`
# with every rule, alternating runs; MB/s and peak resident memory, then the
# median ratio. Also the analyzer on a HAR capture and on a capture a quarter
# the size (peak memory must not grow with the file).
#   tests/bench/analyzer.sh [--size-mb N] [--runs N]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
size_mb=1024
runs=3
while [ $# -gt 0 ]; do
    case "$1" in
        --size-mb) size_mb=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
shim=${MCPSHIM_BIN:-$root/build/default/shim/mcpshim}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
node "$root/tests/bench/make-capture.mjs" --format recording --size-mb "$size_mb" --out "$work/capture.jsonl" 2>/dev/null
node "$root/tests/bench/make-capture.mjs" --format recording --size-mb $((size_mb / 4)) --out "$work/quarter.jsonl" 2>/dev/null
node "$root/tests/bench/make-capture.mjs" --format har --size-mb "$size_mb" --out "$work/capture.har" 2>/dev/null

# Prints "<seconds> <peak KiB>" for one command.
measure() {
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1 || true
    cat "$work/time"
}
mbps() { awk -v bytes="$1" -v s="$2" 'BEGIN { printf "%.1f", bytes / 1048576 / (s > 0 ? s : 0.001) }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

bytes=$(stat -c %s "$work/capture.jsonl")
declare -A times peaks
for row in cat jq analyzer; do times[$row]=""; peaks[$row]=0; done
ratios_jq=""
for run in $(seq "$runs"); do
    for row in cat jq analyzer; do
        case $row in
            cat) read -r s kb < <(measure cat "$work/capture.jsonl") ;;
            jq) read -r s kb < <(measure jq -c . "$work/capture.jsonl") ;;
            analyzer) read -r s kb < <(measure "$shim" analyze "$work/capture.jsonl" --no-progress --fail-on never) ;;
        esac
        times[$row]+="$s "
        [ "$kb" -gt "${peaks[$row]}" ] && peaks[$row]=$kb
        eval "last_$row=$s"
    done
    ratios_jq+="$(awk -v a="$last_jq" -v b="$last_analyzer" 'BEGIN { printf "%.3f", a / b }') "
done
echo "analyzer capture: $((bytes / 1048576)) MiB recording, $runs alternating runs"
for row in cat jq analyzer; do
    s=$(echo "${times[$row]}" | tr ' ' '\n' | grep . | median)
    echo "analyzer row $row: $(mbps "$bytes" "$s") MB/s, peak $((peaks[$row] / 1024)) MiB"
done
ratios=$(echo "$ratios_jq" | tr ' ' '\n' | grep . | sort -g)
echo "ratio analyzer/jq throughput: $(echo "$ratios" | median) (min $(echo "$ratios" | head -1), max $(echo "$ratios" | tail -1))"

har_bytes=$(stat -c %s "$work/capture.har")
read -r s kb < <(measure "$shim" analyze "$work/capture.har" --no-progress --fail-on never)
echo "analyzer row analyzer-har: $(mbps "$har_bytes" "$s") MB/s, peak $((kb / 1024)) MiB"
quarter_bytes=$(stat -c %s "$work/quarter.jsonl")
read -r s quarter_kb < <(measure "$shim" analyze "$work/quarter.jsonl" --no-progress --fail-on never)
echo "analyzer row analyzer-quarter-size: $(mbps "$quarter_bytes" "$s") MB/s, peak $((quarter_kb / 1024)) MiB"
echo "ratio analyzer peak memory full/quarter size: $(awk -v a="${peaks[analyzer]}" -v b="$quarter_kb" 'BEGIN { printf "%.2f", a / b }')"
