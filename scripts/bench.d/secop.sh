#!/usr/bin/env bash
# SECOP II "Olvidé la contraseña": response times for a known and an unknown user name,
# interleaved, against `clave serve` in development mode (demo users seeded). They should be
# close: both are padded to the shell's timing floor (250 ms + up to 50 ms jitter). The
# per-address limit (10 per 15 minutes) allows 5 of each per run.
# Usage: bash scripts/bench.d/secop.sh   (CLAVE_BIN=path to use a given build)
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${CLAVE_BIN:-}" ]; then
  swift build -c release --product clave 2>&1 | grep -E "error|Build" || true
  CLAVE_BIN="$(swift build -c release --product clave --show-bin-path)/clave"
fi
WORK="$(mktemp -d /tmp/clave-secop-bench.XXXXXX)"
trap 'kill -TERM "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT

CLAVE_LOG_LEVEL=warning "$CLAVE_BIN" serve --host 127.0.0.1 --port 0 --db "$WORK/bench.sqlite" \
  --resources Resources --access-log off >"$WORK/out" 2>"$WORK/err" &
PID=$!
for _ in $(seq 1 400); do grep -q "http://" "$WORK/out" 2>/dev/null && break; sleep 0.05; done
URL="$(grep -o 'http://[^ ]*' "$WORK/out" | head -1)"
URL="${URL%/}"
[ -n "$URL" ] || { echo "server did not start"; cat "$WORK/err"; exit 1; }

JAR="$WORK/cookies"
CSRF="$(curl -s -c "$JAR" "$URL/secop/olvide-contrasena" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')"
post() { # user name -> "status seconds"
  curl -s -o /dev/null -b "$JAR" -w '%{http_code} %{time_total}' --data "csrf=$CSRF&usuario=$1" "$URL/secop/olvide-contrasena"
}
: >"$WORK/known"; : >"$WORK/unknown"
for i in 1 2 3 4 5; do
  post demo.secop >>"$WORK/known"; echo >>"$WORK/known"
  post "nadie.$i.$RANDOM" >>"$WORK/unknown"; echo >>"$WORK/unknown"
done
summary() {
  awk -v name="$1" '{ n++; s += $2; if (min == "" || $2 < min) min = $2; if ($2 > max) max = $2; codes = codes $1 " " }
    END { printf "%-28s n=%d  mean %.1f ms  min %.1f ms  max %.1f ms  statuses %s\n", name, n, s / n * 1000, min * 1000, max * 1000, codes }' "$2"
}
echo "POST /secop/olvide-contrasena against $URL"
summary "known user (demo.secop)" "$WORK/known"
summary "unknown user names" "$WORK/unknown"
