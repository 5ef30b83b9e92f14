#!/usr/bin/env bash
# HTTPCore's pure layer: request parser and form decoder throughput on one thread, from a
# release build of the fuzz-http-request replayer (`--bench`). Prints figures only.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product fuzz-http-request 2>&1 | grep -E "error|Compiling|Build" || true
CLAVE_LOG_LEVEL=off .build/release/fuzz-http-request --bench
