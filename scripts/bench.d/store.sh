#!/usr/bin/env bash
# Store figures: issue-token-and-enqueue-email transactions/s and token look-ups/s on a file
# database, from a release build of the bench-store target.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product bench-store 2>&1 | grep -E "error|warning: unre|Build" || true
CLAVE_LOG_LEVEL=warning "$(swift build -c release --show-bin-path)/bench-store" "${STORE_BENCH_TRANSACTIONS:-20000}" "${STORE_BENCH_LOOKUPS:-100000}"
