#!/usr/bin/env bash
# Builds each libFuzzer target in Fuzz/ with the fuzzer and address sanitizers and runs it for
# FUZZ_SECONDS seconds on a work copy of its seed corpus (Fuzz/NAME/corpus, kept in git).
# A crash leaves crash-* files in .build-fuzz/artifacts and fails the run.
# FUZZ_TARGETS="fuzz-form fuzz-cookie" runs only those targets.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_SECONDS="${FUZZ_SECONDS:-60}"
export SWIFT_BACKTRACE=enable=no
# Refused cookies are logged; fuzzing should spend its time fuzzing, not writing log lines.
export CLAVE_LOG_LEVEL=off
status=0
for dir in Fuzz/*/; do
  # Only folders naming a product in .fuzz-target are targets (Fuzz/Support is a library).
  [ -f "$dir/.fuzz-target" ] || continue
  name="$(cat "$dir/.fuzz-target")"
  if [ -n "${FUZZ_TARGETS:-}" ] && [[ " $FUZZ_TARGETS " != *" $name "* ]]; then continue; fi
  echo "== $name"
  swift build -c release --scratch-path .build-fuzz --sanitize fuzzer \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -use-ld=lld --product "$name"
  work=".build-fuzz/corpus/$name"
  # A fresh artifacts folder per run, so a crash kept from an earlier run does not fail this one.
  artifacts=".build-fuzz/artifacts/$name-$(date -u +%Y%m%dT%H%M%S)"
  mkdir -p "$work" "$artifacts"
  [ -d "$dir/corpus" ] && cp -n "$dir"/corpus/* "$work"/ 2>/dev/null || true
  if ! ".build-fuzz/release/$name" "$work" -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 \
      -artifact_prefix="$artifacts/" 2>&1 | grep -E '^(stat::number_of_executed_units|stat::peak_rss|==[0-9]+== ?ERROR|SUMMARY|Done|artifact_prefix|Test unit written)'; then
    status=1
  fi
  if ls "$artifacts"/crash-* >/dev/null 2>&1; then
    echo "crash inputs kept in $artifacts"
    status=1
  fi
done
exit $status
