#!/usr/bin/env bash
# The real-browser journeys (Tests/browser): headless Chromium + chromedriver from Debian,
# selenium from the venv. Screenshots land in .build/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! ls Tests/browser/test_*.py >/dev/null 2>&1; then
  echo "browser: no journeys yet"
  exit 0
fi
export SE_OFFLINE=true
export CLAVE_BIN="${CLAVE_BIN:-$(swift build --show-bin-path)/clave}"
.venv/bin/python -m pytest -q -p no:cacheprovider Tests/browser
