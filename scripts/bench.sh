#!/usr/bin/env bash
# Runs every benchmark in scripts/bench.d/ (one script per area) and prints their figures.
set -euo pipefail
cd "$(dirname "$0")/.."
for bench in scripts/bench.d/*.sh; do
  [ -e "$bench" ] || continue
  echo "== $bench"
  bash "$bench"
done
