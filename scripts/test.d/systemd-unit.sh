#!/usr/bin/env bash
# deploy/clave.service must load without a warning: `systemd-analyze verify` on a copy whose binary, environment
# file and credential point at things that exist here (the real ones exist only once installed).
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v systemd-analyze >/dev/null; then
  echo "systemd-analyze not installed: the unit is not verified here"
  exit 0
fi
work="$(mktemp -d /tmp/clave-unit.XXXXXX)"
trap 'rm -rf "$work"' EXIT
touch "$work/clave.env" "$work/dkim.pem"
sed -e "s#/usr/local/bin/clave#/bin/true#" \
    -e "s#^EnvironmentFile=.*#EnvironmentFile=$work/clave.env#" \
    -e "s#^LoadCredential=dkim.pem:.*#LoadCredential=dkim.pem:$work/dkim.pem#" \
    deploy/clave.service > "$work/clave.service"
# verify exits 0 on an unknown key or a bad value, printing a warning: any output is a failure.
if ! systemd-analyze verify "$work/clave.service" >"$work/out" 2>&1 || [ -s "$work/out" ]; then
  echo "deploy/clave.service does not verify:"
  cat "$work/out"
  exit 1
fi
echo "deploy/clave.service verified"
