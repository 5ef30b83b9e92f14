#!/usr/bin/env bash
# Builds each libFuzzer target in Fuzz/ with the fuzzer and address sanitizers and runs it for
# FUZZ_SECONDS seconds on a work copy of its seed corpus (Fuzz/NAME/corpus, kept in git).
# A crash leaves crash-* files in .build-fuzz/artifacts and fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_SECONDS="${FUZZ_SECONDS:-60}"
export SWIFT_BACKTRACE=enable=no
status=0
for dir in Fuzz/*/; do
  name="fuzz-$(basename "$dir" | sed -E 's/([a-z])([A-Z])/\1-\2/g' | tr 'A-Z' 'a-z')"
  [ -f "$dir/.fuzz-target" ] && name="$(cat "$dir/.fuzz-target")"
  echo "== $name"
  swift build -c release --scratch-path .build-fuzz --sanitize fuzzer \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -use-ld=lld --product "$name"
  work=".build-fuzz/corpus/$name"
  mkdir -p "$work" .build-fuzz/artifacts
  [ -d "$dir/corpus" ] && cp -n "$dir"/corpus/* "$work"/ 2>/dev/null || true
  if ! ".build-fuzz/release/$name" "$work" -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 \
      -artifact_prefix=.build-fuzz/artifacts/ 2>&1 | grep -E '^(stat::number_of_executed_units|stat::peak_rss|==[0-9]+==ERROR|SUMMARY|Done)'; then
    status=1
  fi
  if ls .build-fuzz/artifacts/crash-* >/dev/null 2>&1; then status=1; fi
done
exit $status
