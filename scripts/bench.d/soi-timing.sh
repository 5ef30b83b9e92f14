#!/usr/bin/env bash
# SOI "¿Olvidó su clave?": response time for known and unknown accounts (DESIGN.md, Rules:
# the same answer in about the same time). Each POST comes from its own loopback source
# address (127.0.0.N) so the per-address limit never answers instead of the flow; each known
# request is for its own user, so the per-identifier limit does not either.
# Prints min / median / max seconds per kind. Usage: bash scripts/bench.d/soi-timing.sh [N]
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-${BENCH_SOI_REQUESTS:-8}}"
CONFIG="${BENCH_CONFIGURATION:-release}"

swift build -c "$CONFIG" --product clave 2>&1 | grep -E "error|Build" || true
BIN="$(swift build -c "$CONFIG" --product clave --show-bin-path)/clave"
WORK="$(mktemp -d /tmp/clave-bench-soi.XXXXXX)"
trap 'kill -TERM "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT

for i in $(seq 1 "$N"); do
  echo "Clave-De-Prueba-$i" | CLAVE_LOG_LEVEL=warning "$BIN" users add --portal soi --db "$WORK/bench.sqlite" \
    --aportante NIT:900123456-8 --aportante-name "Bench S.A.S." --document "CC:7100000$i" \
    --email "bench$i@example.com" --password-stdin >/dev/null
done
CLAVE_LOG_LEVEL=warning "$BIN" serve --host 127.0.0.1 --port 0 --db "$WORK/bench.sqlite" \
  --resources Resources --access-log off >"$WORK/out" 2>"$WORK/err" &
PID=$!
for _ in $(seq 1 200); do grep -q "http://" "$WORK/out" 2>/dev/null && break; sleep 0.05; done
URL="$(grep -o 'http://[^ ]*' "$WORK/out" | head -1)"
URL="${URL%/}"
[ -n "$URL" ] || { echo "server did not start"; cat "$WORK/err"; exit 1; }

request() { # source address, usuario number, correo -> seconds
  local jar="$WORK/jar.$1" csrf
  csrf=$(curl -s --noproxy '*' --interface "$1" -c "$jar" -b "$jar" "$URL/soi/olvido-clave" \
    | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
  curl -s --noproxy '*' --interface "$1" -c "$jar" -b "$jar" -o /dev/null -w '%{time_total}\n' "$URL/soi/olvido-clave" \
    --data-urlencode "csrf=$csrf" -d aportante_tipo=NIT -d aportante_numero=900123456-8 -d usuario_tipo=CC \
    -d "usuario_numero=$2" --data-urlencode "correo=$3"
}

summary() { sort -n | awk '{v[NR]=$1} END {printf "min %.3f  median %.3f  max %.3f  (n=%d)\n", v[1], v[int((NR+1)/2)], v[NR], NR}'; }

for i in $(seq 1 "$N"); do request "127.0.0.$((10 + i))" "7100000$i" "bench$i@example.com"; done > "$WORK/known"
for i in $(seq 1 "$N"); do request "127.0.0.$((60 + i))" "7200000$i" "nadie$i@example.com"; done > "$WORK/unknown"
for i in $(seq 1 "$N"); do request "127.0.0.$((110 + i))" "7100000$i" "otro$i@example.com"; done > "$WORK/wrongmail"
echo "soi olvido-clave, known account:      $(summary < "$WORK/known")"
echo "soi olvido-clave, unknown account:    $(summary < "$WORK/unknown")"
echo "soi olvido-clave, known but wrong correo: $(summary < "$WORK/wrongmail")"
