#!/usr/bin/env bash
# Store figures: issue-token-and-enqueue-email transactions/s, token look-ups/s and redemptions/s
# on a SQLite file (as shipped, then syncing every commit), then the same on a PostgreSQL 15
# started for the run (scripts/postgres-server.sh: default durability, loopback TCP without TLS),
# from a release build of the bench-store target.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product bench-store 2>&1 | grep -E "error|warning: unre|Build" || true
BIN="$(swift build -c release --show-bin-path)/bench-store"
CLAVE_LOG_LEVEL=warning "$BIN" "${STORE_BENCH_TRANSACTIONS:-20000}" "${STORE_BENCH_LOOKUPS:-100000}"
# SQLite at PostgreSQL's durability (each commit synced to disk), for an even comparison.
STORE_BENCH_SYNC=full CLAVE_LOG_LEVEL=warning "$BIN" "${STORE_BENCH_TRANSACTIONS:-20000}" 0
if [ -x /usr/lib/postgresql/15/bin/initdb ]; then
  PGDIR="$(mktemp -d /tmp/clave-bench-pg.XXXXXX)"
  trap 'bash scripts/postgres-server.sh stop "$PGDIR"' EXIT
  URL="$(bash scripts/postgres-server.sh start "$PGDIR")"
  STORE_BENCH_DB="$URL" CLAVE_LOG_LEVEL=warning "$BIN" "${STORE_BENCH_TRANSACTIONS:-20000}" "${STORE_BENCH_LOOKUPS:-100000}"
  # The ceiling, from libpq: pgbench runs the same issue transaction as the flows (BEGIN READ
  # COMMITTED, the user's row locked, supersede, token, outbox row, COMMIT) in pipeline mode,
  # one round trip, on the same server and tables, for users the run above made.
  BENCH_URL="$URL" PGBENCH_SECONDS="${STORE_BENCH_PGBENCH_SECONDS:-5}" python3 - "$PGDIR" <<'PY'
import os, re, subprocess, sys, tempfile
url = os.environ["BENCH_URL"]
user, password, port, db = re.match(r"postgres://([^:]+):([^@]+)@127\.0\.0\.1:(\d+)/([^?]+)", url).groups()
env = dict(os.environ, PGPASSWORD=password)
psql = ["psql", "-qtA", "-h", "127.0.0.1", "-p", port, "-U", user, db]
low, high = subprocess.run(psql + ["-c", "SELECT min(id), max(id) FROM users"], env=env, check=True,
                           capture_output=True, text=True).stdout.strip().split("|")
script = f"""\\set u random({low}, {high})
\\startpipeline
BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE;
SELECT 1 FROM users WHERE id = :u FOR NO KEY UPDATE;
UPDATE reset_tokens SET superseded_at = extract(epoch from now()) WHERE user_id = :u AND purpose = 'password_reset' AND used_at IS NULL AND superseded_at IS NULL;
INSERT INTO reset_tokens (user_id, purpose, token_hash, created_at, expires_at) VALUES (:u, 'password_reset', md5(random()::text || clock_timestamp()::text), extract(epoch from now()), extract(epoch from now()) + 1800);
INSERT INTO outbox (portal, sender, recipient, subject, text_body, html_body, state, attempts, next_attempt_at, created_at) VALUES ('secop', 'SECOP II <registro@secop.example>', 'bench@example.com', 'Restablecer contraseña', 'Abra: https://secop.example/secop/cambiar-contrasena?token=' || md5(random()::text), '<p><a href="https://secop.example/">Restablecer</a></p>', 'pending', 0, extract(epoch from now()), extract(epoch from now()));
COMMIT;
\\endpipeline
"""
PGBENCH = "/usr/lib/postgresql/15/bin/pgbench"
if not os.path.exists(PGBENCH):
    print("store (postgres): pgbench not found, no libpq figure")
    sys.exit(0)
with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
    f.write(script)
for clients in (1, 8):
    out = subprocess.run([PGBENCH, "-n", "-M", "prepared", "-h", "127.0.0.1", "-p", port,
                          "-U", user, "-f", f.name, "-c", str(clients), "-j", str(min(clients, 2)),
                          "-T", os.environ["PGBENCH_SECONDS"], db], env=env, capture_output=True, text=True)
    tps = re.search(r"tps = ([\d.]+)", out.stdout)
    failed = re.search(r"number of failed transactions: (\d+)", out.stdout)
    print(f"store (postgres): the same transaction from libpq (pgbench, pipelined), {clients} client{'s' if clients > 1 else ''}: "
          + (f"{float(tps.group(1)):.0f} tx/s, {failed.group(1) if failed else '?'} failed" if tps else "failed: " + out.stderr.strip()[-200:]))
os.unlink(f.name)
PY
else
  echo "store (postgres): skipped, PostgreSQL 15 is not installed (bash scripts/deps.sh)"
fi
