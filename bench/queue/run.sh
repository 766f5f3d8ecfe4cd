#!/usr/bin/env bash
# Job queue throughput on PostgreSQL: jobs claimed and completed per second by 4 workers through
# JobQueue, side by side with a bare `SELECT … FOR UPDATE SKIP LOCKED` loop on the same driver.
# Usage: bench/queue/run.sh [jobs] [rounds]   (needs PLAYTEST_TEST_DATABASE_URL or starts test services)
set -euo pipefail
cd "$(dirname "$0")/../.."
jobs=${1:-5000}
rounds=${2:-3}
if [ -z "${PLAYTEST_TEST_DATABASE_URL:-}" ]; then eval "$(scripts/test-services.sh start)"; fi
[ -x .build/release/QueueProbe ] && [ -n "${SKIP_BUILD:-}" ] || swift build -c release --product QueueProbe >/dev/null
probe=.build/release/QueueProbe
url=$PLAYTEST_TEST_DATABASE_URL
schema=bench_queue
psql "$url" -qc "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema" >/dev/null 2>&1
echo "PostgreSQL, 4 workers, $jobs jobs per round, $rounds rounds (alternating)"
q=(); b=()
for r in $(seq "$rounds"); do
  b+=("$($probe bench "$url" "$schema" 4 "$jobs" bare | awk '{print $(NF-1)}')")
  q+=("$($probe bench "$url" "$schema" 4 "$jobs" queue | awk '{print $(NF-1)}')")
done
python3 - "${q[*]}" "${b[*]}" <<'PY'
import statistics, sys
q = [float(x) for x in sys.argv[1].split()]; b = [float(x) for x in sys.argv[2].split()]
mq, mb = statistics.median(q), statistics.median(b)
print(f"JobQueue claim+complete : {mq:8.0f} jobs/s  (rounds: {', '.join(f'{x:.0f}' for x in q)})")
print(f"bare SKIP LOCKED loop   : {mb:8.0f} jobs/s  (rounds: {', '.join(f'{x:.0f}' for x in b)})")
print(f"ratio                   : {mq/mb:8.2f}   (target >= 0.70)")
PY
psql "$url" -qc "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1
