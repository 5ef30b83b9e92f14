#!/usr/bin/env bash
# HTTPS benchmark, one run, side by side on this machine:
#   clave plain HTTP  vs  clave HTTPS (--tls-cert, TLS on its own event loops)  vs  nginx
#   terminating TLS and serving the same file itself (the strict comparison: nginx does no
#   proxying work) with the same certificate (P-256), 2 workers for 2 loops.
# Figures: keep-alive requests/s at c64 (wrk), new full handshakes/s (wrk with
# 'Connection: close': every request a new TCP connection and a full TLS handshake, wrk keeps
# no session), and server CPU per request (utime+stime from /proc/PID/stat, all workers for
# nginx). The issue's aims: keep-alive >= 0.8x nginx, handshakes >= 0.7x nginx.
# Usage: bash scripts/bench.d/https.sh [DURATION]
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION="${1:-${BENCH_DURATION:-10s}}"
command -v wrk >/dev/null || { echo "wrk is not installed"; exit 1; }
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
[ -x "$NGINX" ] || { echo "nginx is not installed (scripts/deps.sh installs nginx-light)"; exit 1; }

swift build -c release --product clave 2>&1 | grep -E "error|Build" || true
BIN="$(swift build -c release --product clave --show-bin-path)/clave"
WORK="$(mktemp -d /tmp/clave-bench-https.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# A test CA and a P-256 leaf for 127.0.0.1, made for this run.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=Bench CA" \
  -keyout "$WORK/ca-key.pem" -out "$WORK/ca.pem" 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=127.0.0.1 \
  -keyout "$WORK/key.pem" -out "$WORK/leaf.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' > "$WORK/ext"
openssl x509 -req -in "$WORK/leaf.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca-key.pem" -CAcreateserial \
  -days 2 -extfile "$WORK/ext" -out "$WORK/leaf.pem" 2>/dev/null
cat "$WORK/leaf.pem" "$WORK/ca.pem" > "$WORK/chain.pem"

start_clave() { # name, extra flags...; sets URL and PID
  local name="$1"; shift
  CLAVE_LOG_LEVEL=warning "$BIN" serve --host 127.0.0.1 --port 0 --db "$WORK/$name.sqlite" \
    --resources Resources --access-log off "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  PID=$!
  PIDS+=("$PID")
  for _ in $(seq 1 200); do grep -q "://" "$WORK/$name.out" 2>/dev/null && break; sleep 0.05; done
  URL="$(grep -o 'https\?://[^ ]*' "$WORK/$name.out" | head -1)"
  URL="${URL%/}"
  [ -n "$URL" ] || { echo "clave ($name) did not start"; cat "$WORK/$name.err"; exit 1; }
}

start_nginx() { # sets URL and PID (the master; its workers are its children)
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mkdir -p "$WORK/nginx/static"
  cp Resources/static/bench-4k.html "$WORK/nginx/static/"
  # nginx's workers run as an unprivileged user: they must reach the file (mktemp made 0700).
  chmod 0711 "$WORK"
  chmod -R a+rX "$WORK/nginx"
  cat > "$WORK/nginx/nginx.conf" <<CONF
worker_processes 2;
error_log $WORK/nginx/error.log warn;
pid $WORK/nginx/nginx.pid;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$port ssl;
        ssl_certificate $WORK/chain.pem;
        ssl_certificate_key $WORK/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_session_cache shared:SSL:10m;
        location = /healthz { default_type text/plain; return 200 "ok"; }
        location /static/ { root $WORK/nginx; }
    }
}
CONF
  "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g "daemon off;" 2>"$WORK/nginx/stderr" &
  PID=$!
  PIDS+=("$PID")
  URL="https://127.0.0.1:$port"
  for _ in $(seq 1 100); do curl -sk -o /dev/null "$URL/healthz" && break; sleep 0.05; done
}

TICKS=$(getconf CLK_TCK)
cpu_ticks() { # PID and its children (nginx's workers)
  local total=0 pid
  for pid in "$1" $(pgrep -P "$1" || true); do
    total=$(( total + $(awk '{print $14 + $15}' "/proc/$pid/stat") ))
  done
  echo "$total"
}

declare -A RPS
run() { # key, label, path, wrk options...
  local key="$1" label="$2" path="$3"; shift 3
  wrk -t1 -c8 -d1s "$URL$path" >/dev/null   # warm-up
  local before after
  before=$(cpu_ticks "$PID")
  wrk "$@" -d"$DURATION" "$URL$path" >"$WORK/wrk"
  after=$(cpu_ticks "$PID")
  local rps requests cpu_us
  rps=$(awk '/^Requests\/sec/ {print $2}' "$WORK/wrk")
  requests=$(awk '/requests in/ {print $1}' "$WORK/wrk")
  cpu_us=$(awk -v t=$(( after - before )) -v hz="$TICKS" -v n="$requests" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')
  RPS[$key]="$rps"
  printf '%-44s %10s req/s   CPU/request %6s µs   (%s requests)\n' "$label" "$rps" "$cpu_us" "$requests"
  grep -E "Socket errors|Non-2xx" "$WORK/wrk" || true
}

ratio() { awk -v a="${RPS[$1]}" -v b="${RPS[$2]}" 'BEGIN { printf "%.2f", a / b }'; }

echo "wrk for $DURATION each on $(nproc) cores; $(openssl version); $("$NGINX" -v 2>&1)"
start_clave plain
run plain-ka "clave http  /healthz keep-alive c64" /healthz -t2 -c64
run plain-4k "clave http  4 KB file keep-alive c64" /static/bench-4k.html -t2 -c64
start_clave tls --tls-cert "$WORK/chain.pem" --tls-key "$WORK/key.pem"
run tls-ka "clave https /healthz keep-alive c64" /healthz -t2 -c64
run tls-4k "clave https 4 KB file keep-alive c64" /static/bench-4k.html -t2 -c64
run tls-new "clave https new handshakes c64" /healthz -t2 -c64 -H "Connection: close"
start_nginx
run nginx-ka "nginx https /healthz keep-alive c64" /healthz -t2 -c64
run nginx-4k "nginx https 4 KB file keep-alive c64" /static/bench-4k.html -t2 -c64
run nginx-new "nginx https new handshakes c64" /healthz -t2 -c64 -H "Connection: close"
echo "clave https / nginx https: keep-alive /healthz $(ratio tls-ka nginx-ka)x, 4 KB $(ratio tls-4k nginx-4k)x (aim 0.8x);" \
  "new handshakes $(ratio tls-new nginx-new)x (aim 0.7x); clave https / clave http keep-alive $(ratio tls-ka plain-ka)x"
