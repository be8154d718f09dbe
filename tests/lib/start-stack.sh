# Sourced by test scripts: starts modern fixture upstreams and an mcpshim in
# front of them on free loopback ports, and stops them on exit.
#   start_stack <shim-binary> <upstream-count> [extra mcpshim serve args...]
# Sets SHIM_URL, UPSTREAM_URLS (array) and STACK_DIR (logs).

STACK_PIDS=()
stop_stack() {
    for pid in "${STACK_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}

# wait_for_listening <file> : prints the URL from the {"listening": ...} line.
wait_for_listening() {
    local file=$1
    for _ in $(seq 1 200); do
        if [ -s "$file" ] && grep -q '"listening"' "$file"; then
            sed -n 's/.*"listening":"\([^"]*\)".*/\1/p' "$file" | head -n 1
            return 0
        fi
        sleep 0.05
    done
    echo "no listening line in $file after 10 s" >&2
    return 1
}

start_stack() {
    local shim=$1 count=$2
    shift 2
    local root
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    STACK_DIR=${STACK_DIR:-$(mktemp -d)}
    UPSTREAM_URLS=()
    local upstream_args=()
    for i in $(seq 1 "$count"); do
        node "$root/fixtures/servers/modern-everything/server.mjs" --port 0 --name "modern-everything-$i" \
            >"$STACK_DIR/upstream-$i.out" 2>"$STACK_DIR/upstream-$i.log" &
        STACK_PIDS+=($!)
        local url
        url=$(wait_for_listening "$STACK_DIR/upstream-$i.out")
        UPSTREAM_URLS+=("$url")
        upstream_args+=(--upstream "$url")
    done
    "$shim" serve --listen 127.0.0.1:0 "${upstream_args[@]}" "$@" >"$STACK_DIR/shim.out" 2>"$STACK_DIR/shim.log" &
    STACK_PIDS+=($!)
    SHIM_URL=$(wait_for_listening "$STACK_DIR/shim.out")
}
