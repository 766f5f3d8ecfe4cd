#!/usr/bin/env bash
# Chaos test of the local scale-out cluster (deploy/cluster.sh) under light load, for real, bounded in time:
#
#   Tests/chaos/chaos.sh
#
# Brings up its own cluster (PLAYTEST_CLUSTER_DIR=/tmp/playtest-cluster-chaos, ports from 27000, so it neither uses nor
# deletes one started by hand, by smoke.sh (29000) or by bench/cluster/load.sh (28000)), runs Tests/chaos/chaos.py
# (background users and a prober through nginx; then, one after the other: kill -9 of serve-1 with uploads in flight
# and WebSocket subscribers, kill -9 of the worker playing a run, Redis killed and back, PostgreSQL killed and back,
# the S3 server down for 30 s), prints a table, and tears the cluster down (cluster.sh down --purge) even when a check
# fails or the watchdog fires.
#
# Exit status: 0 when every hard expectation holds (no run lost, no episode duplicated, no half-stored upload, no 5xx
# or connection error outside the failover window, the killed server's WebSocket subscribers reconnect, every process
# up after each scenario, no scenario skipped), 1 when one fails, 124 when the watchdog (CHAOS_TIMEOUT, 420 s for
# everything: up, scenarios, down) cut it short. About 4 minutes on the 2-core box. CI=true or no TTY changes
# nothing: it never asks anything and writes plain lines. What the table says is in Tests/chaos/chaos.py.
#
# Settings: CHAOS_TIMEOUT (420), CHAOS_FAILOVER_S (10), CHAOS_USERS (3), CHAOS_STRICT=1 (the soft checks fail too),
# CHAOS_ONLY=serve-kill,worker-kill,redis,postgres,s3 (a subset), CHAOS_KEEP=1 (leave the cluster up),
# CHAOS_DEADLINE (seconds for the scenarios; default: what the watchdog leaves after up, less a minute),
# CHAOS_ARTIFACTS (/tmp/playtest-chaos-last: the report JSON, the table, the cluster's logs), CHAOS_RESULTS (a
# markdown file whose "Faults" section gets the table, e.g. bench/results/cluster.md; unset: none).
# Needs what cluster.sh needs (PostgreSQL, redis-server, nginx, .venv with moto and websockets), curl, openssl.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cluster="$repo/deploy/cluster.sh"
export PLAYTEST_CLUSTER_DIR=${PLAYTEST_CLUSTER_DIR:-/tmp/playtest-cluster-chaos}
export PLAYTEST_CLUSTER_BASE_PORT=${PLAYTEST_CLUSTER_BASE_PORT:-27000}
export PLAYTEST_CLUSTER_SERVERS=2 PLAYTEST_CLUSTER_WORKERS=2
export PLAYTEST_CLUSTER_TIMEOUT=${PLAYTEST_CLUSTER_TIMEOUT:-40}
# Every request comes from 127.0.0.1: the per-address limit would throttle the test's own users, which is not what
# it tests.
export PLAYTEST_RATE_LIMIT=0 PLAYTEST_RATE_LIMIT_IP=0 PLAYTEST_LOGIN_LIMIT=1000
limit=${CHAOS_TIMEOUT:-420}
artifacts=${CHAOS_ARTIFACTS:-/tmp/playtest-chaos-last}
py="$repo/.venv/bin/python"
[ -x "$py" ] || py=python3
started=$SECONDS
driver_pid=

say() { printf '[chaos %3ds] %s\n' $((SECONDS - started)) "$*"; }

teardown() {
  # Bounded: `down` waits for each process (workers give a job 10 s); whatever is left then gets SIGKILL.
  if [ "${CHAOS_KEEP:-0}" = 1 ]; then
    say "CHAOS_KEEP=1: the cluster stays up in $PLAYTEST_CLUSTER_DIR ($cluster down --purge removes it)"
    return
  fi
  if ! timeout 60 "$cluster" down --purge >"$artifacts/down.log" 2>&1; then
    say "down --purge did not finish in 60 s: SIGKILL to what is left"
    for file in "$PLAYTEST_CLUSTER_DIR"/run/*.pid; do
      [ -f "$file" ] || continue
      name=$(basename "$file" .pid)
      timeout 10 "$cluster" kill "$name" >/dev/null 2>&1 || true
    done
    timeout 30 "$cluster" down --purge >>"$artifacts/down.log" 2>&1 || say "down --purge failed again: see $artifacts/down.log"
  fi
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  [ -n "$driver_pid" ] && kill "$driver_pid" 2>/dev/null || true
  [ -n "${watchdog:-}" ] && kill "$watchdog" 2>/dev/null || true
  mkdir -p "$artifacts"
  cp -r "$PLAYTEST_CLUSTER_DIR/logs" "$artifacts/" 2>/dev/null || true
  teardown
  say "finished with status $status in $((SECONDS - started))s (report, table and logs in $artifacts)"
  exit $status
}
trap cleanup EXIT
# shellcheck source=Tests/cluster/bounded.sh
. "$repo/Tests/cluster/bounded.sh"
bound_in_time "$limit"

rm -rf "$artifacts"
mkdir -p "$artifacts"
say "cluster.sh up in $PLAYTEST_CLUSTER_DIR (ports from $PLAYTEST_CLUSTER_BASE_PORT); load average $(cut -d' ' -f1-3 /proc/loadavg)"
timeout 30 "$cluster" down --purge >/dev/null 2>&1 || true
# `up`, then `status` must say every process is healthy.
if ! "$cluster" up >>"$artifacts/up.log" 2>&1 || ! "$cluster" status >"$artifacts/status.log" 2>&1; then
  cat "$artifacts/up.log" "$artifacts/status.log" 2>/dev/null
  say "FAIL: cluster.sh up did not give a healthy cluster"
  exit 1
fi
set -a
# shellcheck disable=SC1091
. "$PLAYTEST_CLUSTER_DIR/cluster.env"
set +a
export CHAOS_SERVE1=$((PLAYTEST_CLUSTER_BASE_PORT + 81))
# What is left for the scenarios: the limit, less what up took, less a minute for the final checks and teardown.
deadline=${CHAOS_DEADLINE:-$((limit - (SECONDS - started) - 60))}
say "cluster up; scenarios get ${deadline}s"
"$py" "$repo/Tests/chaos/chaos.py" --url "$PLAYTEST_URL" --ca "$PLAYTEST_CA_CERT" --cluster "$cluster" \
  --cluster-dir "$PLAYTEST_CLUSTER_DIR" --deadline "$deadline" --report "$artifacts/report.json" \
  --artifacts "$artifacts" &
driver_pid=$!
driver_status=0
wait "$driver_pid" || driver_status=$?
driver_pid=
if [ -f "$artifacts/report.json" ]; then
  "$py" "$repo/Tests/chaos/chaos.py" --table --report "$artifacts/report.json" --url - --ca - --cluster - \
    --cluster-dir - >"$artifacts/table.md"
  if [ -n "${CHAOS_RESULTS:-}" ]; then
    "$py" "$repo/Tests/chaos/faults_report.py" "$artifacts/report.json" "$CHAOS_RESULTS" \
      && say "wrote the Faults section of $CHAOS_RESULTS"
  fi
else
  say "FAIL: the driver wrote no report (status $driver_status)"
  [ $driver_status != 0 ] || driver_status=1
fi
exit $driver_status
