#!/usr/bin/env bash
# Failed-login timing for each account state (SECOP II `POST /secop/ingreso`), the figures the
# issue "Accounts a stranger can neither take nor block" asks for: a state that answers faster
# or slower than the others is an oracle. States: unknown user name; known user, wrong password;
# locked user (`clave users lock`), wrong password; locked user, right password; throttled user
# (six wrong guesses first: the login throttle's wait runs), wrong and right password. Each
# attempt is for its own user from its own loopback source address (127.0.N.M), so no rate
# limit answers instead of the login. Prints min / median / max seconds per state.
# Usage: bash scripts/bench.d/login-timing.sh [N]
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-${BENCH_LOGIN_ATTEMPTS:-8}}"
CONFIG="${BENCH_CONFIGURATION:-release}"

swift build -c "$CONFIG" --product clave 2>&1 | grep -E "error|Build" || true
BIN="$(swift build -c "$CONFIG" --product clave --show-bin-path)/clave"
WORK="$(mktemp -d /tmp/clave-bench-login.XXXXXX)"
trap 'kill -TERM "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
export CLAVE_LOG_LEVEL=warning
PASSWORD="Clave-Bench-2026"

add() { # user name -> user id
  echo "$PASSWORD" | "$BIN" users add --portal secop --username "$1" --email "$1@example.com" --password-stdin \
    --db "$WORK/bench.sqlite" | sed -n 's/^Created user \([0-9]*\).*/\1/p'
}
for i in $(seq 1 "$N"); do
  add "bench.wrong$i" >/dev/null
  "$BIN" users lock "$(add "bench.lockedwrong$i")" --minutes 600 --db "$WORK/bench.sqlite" >/dev/null
  "$BIN" users lock "$(add "bench.lockedright$i")" --minutes 600 --db "$WORK/bench.sqlite" >/dev/null
  add "bench.throttledwrong$i" >/dev/null
  add "bench.throttledright$i" >/dev/null
done
"$BIN" serve --host 127.0.0.1 --port 0 --db "$WORK/bench.sqlite" --resources Resources --access-log off \
  >"$WORK/out" 2>"$WORK/err" &
PID=$!
for _ in $(seq 1 200); do grep -q "http://" "$WORK/out" 2>/dev/null && break; sleep 0.05; done
URL="$(grep -o 'http://[^ ]*' "$WORK/out" | head -1)"
URL="${URL%/}"
[ -n "$URL" ] || { echo "server did not start"; cat "$WORK/err"; exit 1; }

attempt() { # source address, user name, password -> "seconds status"
  local jar="$WORK/jar.$1" csrf
  csrf=$(curl -s --noproxy '*' --interface "$1" -c "$jar" -b "$jar" "$URL/secop/ingreso" \
    | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
  curl -s --noproxy '*' --interface "$1" -c "$jar" -b "$jar" -o /dev/null -w '%{time_total} %{http_code}\n' \
    "$URL/secop/ingreso" --data-urlencode "csrf=$csrf" --data-urlencode "usuario=$2" --data-urlencode "contrasena=$3"
}

summary() {
  sort -n | awk '{v[NR]=$1; s[$2]++} END {codes=""; for (c in s) codes=codes c "x" s[c] " ";
    printf "min %.3f  median %.3f  max %.3f  (n=%d; statuses %s)\n", v[1], v[int((NR+1)/2)], v[NR], NR, codes}'
}

# Six wrong guesses from a stranger's address put a user under the throttle's first wait (one
# minute), and the measured attempt follows at once, from another address.
prime() { for g in 1 2 3 4 5 6; do attempt "$1" "$2" "guess-$g" >/dev/null; done; }
# The states take turns, so a machine that slows down or speeds up mid-run shifts them all alike.
for i in $(seq 1 "$N"); do
  attempt "127.0.0.$((10 + i))" "bench.unknown$i" "$PASSWORD-x" >> "$WORK/unknown"
  attempt "127.0.0.$((60 + i))" "bench.wrong$i" "$PASSWORD-x" >> "$WORK/wrong"
  attempt "127.0.0.$((110 + i))" "bench.lockedwrong$i" "$PASSWORD-x" >> "$WORK/lockedwrong"
  attempt "127.0.0.$((160 + i))" "bench.lockedright$i" "$PASSWORD" >> "$WORK/lockedright"
  prime "127.0.2.$i" "bench.throttledwrong$i"
  attempt "127.0.4.$i" "bench.throttledwrong$i" "$PASSWORD-x" >> "$WORK/throttledwrong"
  prime "127.0.3.$i" "bench.throttledright$i"
  attempt "127.0.5.$i" "bench.throttledright$i" "$PASSWORD" >> "$WORK/throttledright"
done
echo "secop login, unknown user:               $(summary < "$WORK/unknown")"
echo "secop login, known user, wrong password: $(summary < "$WORK/wrong")"
echo "secop login, locked user, wrong password: $(summary < "$WORK/lockedwrong")"
echo "secop login, locked user, right password: $(summary < "$WORK/lockedright")"
echo "secop login, throttled user, wrong password: $(summary < "$WORK/throttledwrong")"
echo "secop login, throttled user, right password: $(summary < "$WORK/throttledright")"
