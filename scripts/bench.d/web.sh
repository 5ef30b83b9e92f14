#!/usr/bin/env bash
# Web shell benchmark: wrk against the portals' pages of a release `clave serve` on loopback,
# plus the latency of failed logins (one scrypt verification pair at the default cost, behind
# the hashing pool). Usage: bash scripts/bench.d/web.sh [DURATION]
# BENCH_WEB_MODE=production serves with production settings (templates not re-checked per
# render; a placeholder SMTP URL that is never contacted) for comparison with development.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION="${1:-${BENCH_DURATION:-10s}}"
command -v wrk >/dev/null || { echo "wrk is not installed"; exit 1; }

swift build -c release --product clave 2>&1 | grep -E "error|Build" || true
BIN="$(swift build -c release --product clave --show-bin-path)/clave"
WORK="$(mktemp -d /tmp/clave-web-bench.XXXXXX)"
trap 'kill -TERM "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT

MODE="${BENCH_WEB_MODE:-development}"
EXTRA=()
if [ "$MODE" = production ]; then
  EXTRA=(--mode production --public-url https://clave.example --smtp-url smtp://127.0.0.1:9 \
         --mail-domain clave.example --ehlo-name clave.example --no-dkim)
fi
CLAVE_LOG_LEVEL=warning "$BIN" serve --host 127.0.0.1 --port 0 --db "$WORK/bench.sqlite" \
  --resources Resources --access-log off "${EXTRA[@]}" >"$WORK/out" 2>"$WORK/err" &
PID=$!
for _ in $(seq 1 200); do grep -q "http://" "$WORK/out" 2>/dev/null && break; sleep 0.05; done
URL="$(grep -o 'http://[^ ]*' "$WORK/out" | head -1)"
URL="${URL%/}"
[ -n "$URL" ] || { echo "server did not start"; cat "$WORK/err"; exit 1; }

run() { # name, path, extra wrk options
  local name="$1" path="$2"; shift 2
  wrk -t1 -c4 -d2s "$@" "$URL$path" >/dev/null   # warm-up
  wrk -t2 -c16 -d"$DURATION" --latency "$@" "$URL$path" >"$WORK/wrk"
  printf '%-44s %10s req/s   p50 %-9s p99 %s\n' "$name" \
    "$(awk '/^Requests\/sec/ {print $2}' "$WORK/wrk")" "$(awk '$1 == "50%" {print $2}' "$WORK/wrk")" \
    "$(awk '$1 == "99%" {print $2}' "$WORK/wrk")"
  grep -E "Socket errors|Non-2xx" "$WORK/wrk" || true
}

echo "clave serve ($MODE mode) at $URL, wrk -t2 -c16 for $DURATION each"
run "GET /secop/ingreso, no cookie (new session)" /secop/ingreso
COOKIE="$(curl -s -D - -o /dev/null "$URL/secop/ingreso" | awk -F'[ ;]' 'tolower($1) == "set-cookie:" {print $2}')"
run "GET /secop/ingreso, with session cookie" /secop/ingreso -H "Cookie: $COOKIE"
run "GET / (chooser), with session cookie" / -H "Cookie: $COOKIE"

# Failed logins, sequential, each a distinct unknown user (same cost as a known one).
CSRF="$(curl -s -H "Cookie: $COOKIE" "$URL/secop/ingreso" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')"
TOTAL=0
for i in $(seq 1 10); do
  T=$(curl -s -o /dev/null -w '%{time_total}' -H "Cookie: $COOKIE" \
    --data "csrf=$CSRF&usuario=bench.$i&contrasena=Nope-1234" "$URL/secop/ingreso")
  TOTAL=$(awk -v a="$TOTAL" -v b="$T" 'BEGIN { print a + b }')
done
awk -v t="$TOTAL" 'BEGIN { printf "failed login (unknown user), sequential      mean %.1f ms over 10\n", t / 10 * 1000 }'
echo "peak RSS $(awk '/VmHWM/ {print $2, $3}' "/proc/$PID/status")"
