#!/usr/bin/env bash
# HTTP server benchmark: wrk against a release `clave serve` on loopback.
# Prints requests/s, p50/p99 latency, server CPU per request (utime+stime from /proc/PID/stat)
# and the server's peak RSS (VmHWM). Usage: bash scripts/bench.d/http.sh [DURATION]
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION="${1:-${BENCH_DURATION:-10s}}"
ACCESS_LOG="${BENCH_ACCESS_LOG:-off}"
# With the access log on, log at info so its lines are really formatted and written (to a file).
LOG_LEVEL=warning; [ "$ACCESS_LOG" = on ] && LOG_LEVEL=info
command -v wrk >/dev/null || { echo "wrk is not installed"; exit 1; }

swift build -c release --product clave 2>&1 | grep -E "error|Compiling|Build" || true
BIN="$(swift build -c release --product clave --show-bin-path)/clave"
WORK="$(mktemp -d /tmp/clave-bench.XXXXXX)"
trap 'kill -TERM "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT

CLAVE_LOG_LEVEL=$LOG_LEVEL "$BIN" serve --host 127.0.0.1 --port 0 --db "$WORK/bench.sqlite" \
  --resources Resources --access-log "$ACCESS_LOG" >"$WORK/out" 2>"$WORK/err" &
PID=$!
for _ in $(seq 1 100); do grep -q "http://" "$WORK/out" 2>/dev/null && break; sleep 0.05; done
URL="$(grep -o 'http://[^ ]*' "$WORK/out" | head -1)"
URL="${URL%/}"
[ -n "$URL" ] || { echo "server did not start"; cat "$WORK/err"; exit 1; }
TICKS=$(getconf CLK_TCK)
rss() { awk -v f="$1" '$1 == f":" {print $2, $3}' "/proc/$PID/status"; }
STARTED_RSS="$(rss VmRSS)"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
served() { curl -s --noproxy '*' "$URL/metrics" | awk '/^clave_http_request_duration_seconds_count/ {print $2}'; }

run() { # name, path, wrk options
  local name="$1" path="$2"; shift 2
  wrk -t1 -c8 -d2s "$URL$path" >/dev/null   # warm-up
  local before_cpu before_n after_cpu after_n
  before_cpu=$(cpu_ticks); before_n=$(served)
  wrk "$@" -d"$DURATION" --latency "$URL$path" >"$WORK/wrk"
  after_cpu=$(cpu_ticks); after_n=$(served)
  local rps p50 p99 requests cpu_us
  rps=$(awk '/^Requests\/sec/ {print $2}' "$WORK/wrk")
  p50=$(awk '$1 == "50%" {print $2}' "$WORK/wrk")
  p99=$(awk '$1 == "99%" {print $2}' "$WORK/wrk")
  requests=$(( after_n - before_n - 1 ))
  cpu_us=$(awk -v t=$(( after_cpu - before_cpu )) -v hz="$TICKS" -v n="$requests" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')
  printf '%-26s %10s req/s   p50 %-9s p99 %-9s CPU/request %6s µs   (%s requests, %s)\n' \
    "$name" "$rps" "$p50" "$p99" "$cpu_us" "$requests" "$*"
  grep -E "Socket errors|Non-2xx" "$WORK/wrk" || true
}

echo "clave serve at $URL (access log $ACCESS_LOG), wrk for $DURATION each"
run "plain text /healthz c64" /healthz -t2 -c64
run "4 KB HTML c64" /static/bench-4k.html -t2 -c64
run "plain text /healthz c1" /healthz -t1 -c1
# The peak includes start-up: in development mode the demo users are seeded, one scrypt hash
# (16 MiB work area, unmapped when freed) each.
echo "RSS after start-up $STARTED_RSS, after the runs $(rss VmRSS), peak $(rss VmHWM) (start-up included)"
