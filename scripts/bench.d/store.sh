#!/usr/bin/env bash
# Store figures: issue-token-and-enqueue-email transactions/s, token look-ups/s and redemptions/s
# on a SQLite file, then the same on a PostgreSQL 15 started for the run (scripts/postgres-server.sh:
# default durability, loopback TCP without TLS), from a release build of the bench-store target.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product bench-store 2>&1 | grep -E "error|warning: unre|Build" || true
BIN="$(swift build -c release --show-bin-path)/bench-store"
CLAVE_LOG_LEVEL=warning "$BIN" "${STORE_BENCH_TRANSACTIONS:-20000}" "${STORE_BENCH_LOOKUPS:-100000}"
if [ -x /usr/lib/postgresql/15/bin/initdb ]; then
  PGDIR="$(mktemp -d /tmp/clave-bench-pg.XXXXXX)"
  trap 'bash scripts/postgres-server.sh stop "$PGDIR"' EXIT
  URL="$(bash scripts/postgres-server.sh start "$PGDIR")"
  STORE_BENCH_DB="$URL" CLAVE_LOG_LEVEL=warning "$BIN" "${STORE_BENCH_TRANSACTIONS:-20000}" "${STORE_BENCH_LOOKUPS:-100000}"
else
  echo "store (postgres): skipped, PostgreSQL 15 is not installed (bash scripts/deps.sh)"
fi
