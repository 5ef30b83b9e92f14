#!/usr/bin/env bash
# Several nodes (issue 14): SECOP II reset requests per second and p99 latency (wrk) against one
# node directly, one node behind nginx, and three nodes behind nginx, each cluster on a fresh
# PostgreSQL (CLAVE_MULTINODE_DB=sqlite: one shared SQLite file). Tests/browser/multinode_bench.py
# says how the load is made. MULTINODE_BENCH_DURATION (10s), _CONNECTIONS (256), _USERS (40000).
# Usage: bash scripts/bench.d/multinode.sh   (CLAVE_BIN=path to use a given build)
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${CLAVE_BIN:-}" ]; then
  swift build -c release --product clave 2>&1 | grep -E "error|Build" || true
  CLAVE_BIN="$(swift build -c release --product clave --show-bin-path)/clave"
fi
export CLAVE_BIN CLAVE_PAGE_CHECKS=0
cd Tests/browser
exec ../../.venv/bin/python multinode_bench.py
