#!/usr/bin/env bash
# `swift test`, then every test and suite it skipped, counted and named with the reason it gave, so a machine
# without an engine (PostgreSQL, Redis, S3, the agent's venv) shows exactly what did not run.
#
#   scripts/swift-test.sh [swift test options]
set -uo pipefail
log=$(mktemp /tmp/playtest-swift-test.XXXXXX)
trap 'rm -f "$log"' EXIT
swift test "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# Swift Testing reports a skip as: ➜ Test "name" skipped: "reason"  (or Suite, for a disabled suite).
skipped=$(grep -a -E '^➜ (Test|Suite) .* skipped' "$log" | sed -E 's/^➜ //' | sort -u)
count=$(printf '%s' "$skipped" | grep -c . || true)
echo
if [ "$count" -eq 0 ]; then
  echo "swift test: nothing skipped"
else
  echo "swift test: $count skipped:"
  printf '%s\n' "$skipped" | sed 's/^/  - /'
fi
exit "$status"
