#!/usr/bin/env bash
# Installs what the build and the tests need, only what is missing, so a second run is quick.
# apt: retried, because a cleanup hook on some machines can delete downloaded .deb files mid-install.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(libsqlite3-dev libssl-dev openssl pkg-config wrk chromium chromium-driver)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
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
