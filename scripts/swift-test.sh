#!/usr/bin/env bash
# `swift test`, then every test and suite it skipped, counted and named with the reason it gave, so a machine
# without an engine (PostgreSQL, Redis, S3, the agent's venv) shows exactly what did not run. When it fails, the
# issues it recorded, the crash lines and the tests still running when it stopped are repeated at the end: CI shows
# only the tail of the log, and a crash's backtrace pushes the test that crashed out of it.
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
if [ "$status" -ne 0 ]; then
  echo
  echo "swift test failed (exit $status). Issues recorded and crash lines:"
  grep -a -E '^✘ Test .* recorded an issue|Fatal error|[Cc]rashed|Assertion failed|Precondition failed|double free|corrupted|Aborted|Illegal instruction|Segmentation fault' "$log" \
    | cut -c1-400 | head -40 | sed 's/^/  /'
  # A test started and never reported passed or failed was running when the process died.
  echo "Tests started and not finished:"
  awk '/^◇ Test [^c].* started\.$|^◇ Test c[^a].* started\.$/ { name = $0; sub(/^◇ Test /, "", name); sub(/ started\.$/, "", name); open[name] = 1 }
       /^(✔|✘) Test .* (passed|failed) after/ { name = $0; sub(/^(✔|✘) Test /, "", name); sub(/( with [0-9]+ test cases?)? (passed|failed) after.*$/, "", name); delete open[name] }
       END { for (name in open) print "  " name }' "$log" | grep -v '^  run$' | head -20
fi
exit "$status"
