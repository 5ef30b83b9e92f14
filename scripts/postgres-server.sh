#!/usr/bin/env bash
# A throwaway PostgreSQL 15 for benchmarks and trying several nodes by hand (the tests start
# their own: Tests/TestSupport/PostgresPeer.swift). Debian's binaries, run as the unprivileged
# `postgres` user when this script runs as root (initdb and postgres refuse root), SCRAM
# authentication on loopback TCP, default durability (fsync and synchronous_commit on).
#
#   bash scripts/postgres-server.sh start DIR [PORT]   # prints the postgres:// URL for --db
#   bash scripts/postgres-server.sh stop DIR
set -euo pipefail
BIN=/usr/lib/postgresql/15/bin
action="${1:-}"; dir="${2:-}"
[ -n "$action" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR [PORT]" >&2; exit 2; }
[ -x "$BIN/initdb" ] || { echo "PostgreSQL 15 is not installed (bash scripts/deps.sh installs it)" >&2; exit 1; }
as_service() { if [ "$(id -u)" = 0 ]; then setpriv --reuid=postgres --regid=postgres --init-groups "$@"; else "$@"; fi; }

case "$action" in
start)
  port="${3:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}"
  mkdir -p "$dir"
  password="bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  printf '%s' "$password" > "$dir/pwfile"
  [ "$(id -u)" = 0 ] && chown -R postgres: "$dir"
  chmod 0700 "$dir"
  as_service "$BIN/initdb" -D "$dir/data" -U clave --auth=scram-sha-256 --pwfile="$dir/pwfile" -E UTF8 --no-locale >/dev/null
  cat >> "$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 100
log_min_messages = warning
CONF
  as_service "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null
  PGPASSWORD="$password" as_service "$BIN/createdb" -h "$dir" -p "$port" -U clave clave </dev/null
  echo "postgres://clave:$password@127.0.0.1:$port/clave?sslmode=disable"
  ;;
stop)
  as_service "$BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
*) echo "usage: $0 start|stop DIR [PORT]" >&2; exit 2 ;;
esac
