#!/usr/bin/env bash
# Every test. Real peers are required here: a test that needs the SMTP server or the browser
# fails (instead of skipping) when CLAVE_REQUIRE_REAL_PEERS=1 and the peer is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export CLAVE_REQUIRE_REAL_PEERS=1
export CLAVE_VENV="$PWD/.venv"
export CLAVE_LOG_LEVEL="${CLAVE_LOG_LEVEL:-warning}"

swift build --build-tests
swift test --skip-build

# One store, two engines: the store's, the mailer's and the flows' suites again, every store a
# fresh database on a real PostgreSQL 15 the run starts (TLS, SCRAM) and stops (TestStore).
CLAVE_TEST_STORE=postgres swift test --skip-build --filter 'UserStoreTests|MailerTests|RecoveryFlowsTests'

# Every fuzz target's corpus (crash inputs included) replayed through its invariants.
bin="$(swift build --show-bin-path)"
for dir in Fuzz/*/; do
  [ -f "$dir/.fuzz-target" ] || continue
  "$bin/$(cat "$dir/.fuzz-target")" "$dir/corpus"
done

# Suites outside Swift (the real-browser journeys) live in scripts/test.d/, one script each.
for suite in scripts/test.d/*.sh; do
  [ -e "$suite" ] || continue
  echo "== $suite"
  bash "$suite"
done
