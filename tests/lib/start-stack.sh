# Sourced by test scripts: starts modern fixture upstreams and an mcpshim in
# front of them on free loopback ports, and stops them on exit.
#   start_stack <shim-binary> <upstream-count> [extra mcpshim serve args...]
# Sets SHIM_URL, UPSTREAM_URLS (array) and STACK_DIR (logs).
#   start_fleet_stack <shim-binary> <upstream-count> <shim-count> [extra args...]
# The same with a fleet: redis-server, that many shims sharing it (one session
# key, --session-store redis://...) and nginx round-robin in front (no
# stickiness, no retry elsewhere); SHIM_URL is nginx's.

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

free_port() {
    node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# Modern upstream instances of one deployment (one requestState key);
# fills UPSTREAM_URLS and UPSTREAM_ARGS.
start_upstreams() {
    local count=$1 root
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    STACK_DIR=${STACK_DIR:-$(mktemp -d)}
    UPSTREAM_URLS=()
    UPSTREAM_ARGS=()
    local state_key
    state_key=$(openssl rand -hex 32)
    for i in $(seq 1 "$count"); do
        node "$root/fixtures/servers/modern-everything/server.mjs" --port 0 --name "modern-everything-$i" \
            --state-key "$state_key" --peers-file "$STACK_DIR/upstream-peers" \
            >"$STACK_DIR/upstream-$i.out" 2>"$STACK_DIR/upstream-$i.log" &
        STACK_PIDS+=($!)
        local url
        url=$(wait_for_listening "$STACK_DIR/upstream-$i.out")
        UPSTREAM_URLS+=("$url")
        UPSTREAM_ARGS+=(--upstream "$url")
    done
    # One deployment: a change made through any instance reaches every instance's listen streams.
    printf '%s\n' "${UPSTREAM_URLS[@]}" >"$STACK_DIR/upstream-peers"
}

start_stack() {
    local shim=$1 count=$2
    shift 2
    start_upstreams "$count"
    "$shim" serve --listen 127.0.0.1:0 "${UPSTREAM_ARGS[@]}" "$@" >"$STACK_DIR/shim.out" 2>"$STACK_DIR/shim.log" &
    STACK_PIDS+=($!)
    SHIM_URL=$(wait_for_listening "$STACK_DIR/shim.out")
}

start_fleet_stack() {
    local shim=$1 count=$2 shims=$3
    shift 3
    start_upstreams "$count"
    local redis_port nginx_port
    redis_port=$(free_port)
    redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --loglevel warning \
        >"$STACK_DIR/redis.log" 2>&1 &
    STACK_PIDS+=($!)
    for _ in $(seq 1 200); do
        (exec 3<>"/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null && break
        sleep 0.05
    done
    local key servers=""
    key=$(openssl rand -hex 32)
    for i in $(seq 1 "$shims"); do
        MCPSHIM_SESSION_KEY=$key "$shim" serve --listen 127.0.0.1:0 "${UPSTREAM_ARGS[@]}" \
            --session-store "redis://127.0.0.1:$redis_port/0" "$@" \
            >"$STACK_DIR/shim-$i.out" 2>"$STACK_DIR/shim-$i.log" &
        STACK_PIDS+=($!)
        local url
        url=$(wait_for_listening "$STACK_DIR/shim-$i.out")
        local hostport=${url#http://}
        servers+="        server ${hostport%%/*};"$'\n'
    done
    # The one log tests tail on failure.
    ln -sf "$STACK_DIR/shim-1.log" "$STACK_DIR/shim.log"
    nginx_port=$(free_port)
    mkdir -p "$STACK_DIR/nginx"
    cat >"$STACK_DIR/nginx/nginx.conf" <<CONF
worker_processes 1;
error_log $STACK_DIR/nginx/error.log warn;
pid $STACK_DIR/nginx/nginx.pid;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $STACK_DIR/nginx/body;
    proxy_temp_path $STACK_DIR/nginx/proxy;
    fastcgi_temp_path $STACK_DIR/nginx/fastcgi;
    uwsgi_temp_path $STACK_DIR/nginx/uwsgi;
    scgi_temp_path $STACK_DIR/nginx/scgi;
    upstream shims {
$servers        keepalive 32;
    }
    server {
        listen 127.0.0.1:$nginx_port;
        location / {
            proxy_pass http://shims;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$http_host;
            proxy_buffering off;
            proxy_request_buffering off;
            proxy_read_timeout 300s;
            proxy_next_upstream off;
        }
    }
}
CONF
    nginx -p "$STACK_DIR/nginx" -c "$STACK_DIR/nginx/nginx.conf" -g 'daemon off;' 2>>"$STACK_DIR/nginx/error.log" &
    STACK_PIDS+=($!)
    for _ in $(seq 1 200); do
        (exec 3<>"/dev/tcp/127.0.0.1/$nginx_port") 2>/dev/null && break
        sleep 0.05
    done
    SHIM_URL="http://127.0.0.1:$nginx_port/mcp"
}
