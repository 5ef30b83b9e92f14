#!/usr/bin/env bash
# Mail figures: messages/s delivered over STARTTLS + AUTH to a local aiosmtpd (Tests/peers/smtp_peer.py),
# through one reused connection and through a new connection per message. Release build.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY="${CLAVE_VENV:-$PWD/.venv}/bin/python"
work="$(mktemp -d)"
peer_pid=""
cleanup() { [ -n "$peer_pid" ] && kill "$peer_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
mkdir -p "$work/spool"
"$PY" Tests/peers/smtp_peer.py --dir "$work/spool" --cert "$work/cert.pem" --key "$work/key.pem" \
  --user bench --password bench >"$work/port" 2>/dev/null &
peer_pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
port="$(head -1 "$work/port")"
swift build -c release --product bench-mail 2>&1 | grep -E "error|warning: unre|Build" || true
CLAVE_LOG_LEVEL=error "$(swift build -c release --show-bin-path)/bench-mail" \
  "smtp://bench:bench@127.0.0.1:$port?ca=$work/cert.pem" "${MAIL_BENCH_MESSAGES:-300}"
