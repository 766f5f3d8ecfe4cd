#!/usr/bin/env bash
# Load on the local scale-out cluster (deploy/cluster.sh) through nginx, 2 servers against 1 in the same run, and the
# results in bench/results/cluster.md (its "Load" section; the "Faults" section of Tests/chaos/chaos.sh is kept):
#
#   bench/cluster/load.sh
#
# 1. cluster.sh down --purge, then up (its own directory and ports), rate limits off so the servers are measured,
#    not the limiter (PLAYTEST_RATE_LIMIT=0 PLAYTEST_RATE_LIMIT_IP=0 PLAYTEST_LOGIN_LIMIT=10000);
# 2. loadgen.py setup: 8 accounts (role user), the maps and a few finished runs to read;
# 3. for each number of users in LOAD_STEPS: one step with 2 servers, then `PLAYTEST_CLUSTER_SERVERS=1 cluster.sh up`
#    (serve-2 stops, nginx reloads with one upstream) and the same step with 1 server, then back to 2. Pairs side by
#    side, so both topologies see the same box (it is shared with builds; its load moves);
# 4. the fan-out check: one run followed by subscribers on both servers;
# 5. wrk on one endpoint (GET /api/v1/runs) with 2 servers and with 1, as a cross-check without Python;
# 6. bench/cluster/report.py writes the section; cluster.sh down --purge (LOAD_KEEP=1 leaves the cluster up).
#
# Settings: LOAD_STEPS ("8 16 32 64 128"), LOAD_SECONDS (15, measured per step), LOAD_WARMUP (3), LOAD_THINK (0.2 s mean
# think time), LOAD_DRAIN (20 s for a step's runs to end before the rest are stopped), LOAD_TIMEOUT (900 s: the
# watchdog), LOAD_OUT (bench/results/cluster.md; "-" prints the section only), PLAYTEST_CLUSTER_DIR
# (/tmp/playtest-cluster-load), PLAYTEST_CLUSTER_BASE_PORT (28000). 6 to 7 minutes with the defaults.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cluster="$repo/deploy/cluster.sh"
export PLAYTEST_CLUSTER_DIR=${PLAYTEST_CLUSTER_DIR:-/tmp/playtest-cluster-load}
export PLAYTEST_CLUSTER_BASE_PORT=${PLAYTEST_CLUSTER_BASE_PORT:-28000}
export PLAYTEST_CLUSTER_TIMEOUT=${PLAYTEST_CLUSTER_TIMEOUT:-60}
export PLAYTEST_RATE_LIMIT=0 PLAYTEST_RATE_LIMIT_IP=0 PLAYTEST_LOGIN_LIMIT=10000
export PLAYTEST_CLUSTER_WORKERS=2
steps=${LOAD_STEPS:-"8 16 32 64 128"}
seconds=${LOAD_SECONDS:-15}
warmup=${LOAD_WARMUP:-3}
think=${LOAD_THINK:-0.2}
drain=${LOAD_DRAIN:-20}
watchers=${LOAD_WATCHERS:-4}
limit=${LOAD_TIMEOUT:-900}
out=${LOAD_OUT:-$repo/bench/results/cluster.md}
py="$repo/.venv/bin/python"
[ -x "$py" ] || { echo "load: no $py (make venv)" >&2; exit 1; }
work=$(mktemp -d /tmp/playtest-load.XXXXXX)
results="$work/results.jsonl"
started=$SECONDS

say() { printf '[load %4ds] %s\n' $((SECONDS - started)) "$*" >&2; }

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  [ -n "${watchdog:-}" ] && kill "$watchdog" 2>/dev/null || true
  # The cluster's logs of the last run stay in /tmp/playtest-load-last (for a report of what went wrong).
  rm -rf /tmp/playtest-load-last && mkdir -p /tmp/playtest-load-last \
    && cp -r "$PLAYTEST_CLUSTER_DIR/logs" "$work"/*.jsonl /tmp/playtest-load-last/ 2>/dev/null || true
  if [ "${LOAD_KEEP:-0}" = 1 ]; then
    say "LOAD_KEEP=1: the cluster stays up in $PLAYTEST_CLUSTER_DIR; figures in $work"
  else
    "$cluster" down --purge >"$work/down.log" 2>&1 || { say "down --purge failed:"; cat "$work/down.log" >&2; }
    [ $status -eq 0 ] && rm -rf "$work" || say "figures and logs kept in $work"
  fi
  say "done (status $status) in $((SECONDS - started))s"
  exit $status
}
trap cleanup EXIT
# shellcheck source=Tests/cluster/bounded.sh
. "$repo/Tests/cluster/bounded.sh"
bound_in_time "$limit"

# `up` with PLAYTEST_CLUSTER_SERVERS=N (2 starts or keeps serve-2, 1 stops it and reloads nginx with one upstream);
# then `status` must say every process of that layout is healthy.
scale() {
  PLAYTEST_CLUSTER_SERVERS=$1 "$cluster" up >"$work/up.log" 2>&1 || { tail -n 30 "$work/up.log" >&2; exit 1; }
  cat "$work/up.log" >>"$work/cluster.log"
  PLAYTEST_CLUSTER_SERVERS=$1 "$cluster" status >"$work/status.log" 2>&1 \
    || { say "FAIL: not every process is healthy after up: $(grep -v ' ok' "$work/status.log" | tr -s ' ' | tr '\n' ';')"; exit 1; }
  # nginx reloaded: its new workers take the new upstream list; give the old ones a moment to finish.
  sleep 1
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
say "cluster.sh up in $PLAYTEST_CLUSTER_DIR (ports from $PLAYTEST_CLUSTER_BASE_PORT); load average $load_before"
"$cluster" down --purge >/dev/null 2>&1 || true
scale 2
set -a
# shellcheck disable=SC1091
. "$PLAYTEST_CLUSTER_DIR/cluster.env"
set +a
common=(--url "$PLAYTEST_URL" --ca "$PLAYTEST_CA_CERT" --state "$work/state.json")
"$py" "$repo/bench/cluster/loadgen.py" setup "${common[@]}" >&2

for users in $steps; do
  for servers in 2 1; do
    scale "$servers"
    say "step: $users users, $servers server(s)"
    "$py" "$repo/bench/cluster/loadgen.py" step "${common[@]}" --users "$users" --seconds "$seconds" \
      --warmup "$warmup" --think "$think" --drain "$drain" --watchers "$watchers" --servers "$servers" \
      --label "$servers servers" --tag "u${users}s${servers}" --cluster-dir "$PLAYTEST_CLUSTER_DIR" \
      --out "$results" --raw "$work/requests.jsonl" >&2
  done
done

scale 2
say "fan-out: one run's progress to subscribers on both servers"
fanout_status=0
"$py" "$repo/bench/cluster/loadgen.py" fanout "${common[@]}" --cluster-dir "$PLAYTEST_CLUSTER_DIR" --subscribers 6 \
  --episodes 60 --tag fanout --out "$results" >&2 || fanout_status=$?

wrk_rows="[]"
if command -v wrk >/dev/null; then
  token=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["admin_token"])' "$work/state.json")
  for servers in 2 1; do
    scale "$servers"
    line=$(wrk -t2 -c32 -d10s --latency -H "Authorization: Bearer $token" "$PLAYTEST_URL/api/v1/runs?limit=20" \
      | "$py" "$repo/bench/wrk_summary.py" 2>&1) || line="error: $line"
    say "wrk GET /api/v1/runs, $servers server(s): p50 p99 req/s = $line"
    wrk_rows=$("$py" -c 'import json,sys; rows=json.loads(sys.argv[1]); p=sys.argv[3].split()
rows.append({"servers": int(sys.argv[2]), "p50": p[0] if len(p)==3 else sys.argv[3], "p99": p[1] if len(p)==3 else "", "rps": p[2] if len(p)==3 else ""})
print(json.dumps(rows))' "$wrk_rows" "$servers" "$line")
  done
  scale 2
fi

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
binary=${PLAYTEST_BIN:-$repo/.build/release/playtest}
"$py" - "$work/meta.json" <<PY
import json, os, subprocess, sys, time
def sh(command):
    try:
        return subprocess.run(command, shell=True, capture_output=True, text=True, cwd="$repo").stdout.strip()
    except Exception:
        return "?"
model = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
memory = sh("free -g | awk '/Mem:/ {print \$2}'")
dirty = " (uncommitted changes in the tree)" if sh("git status --porcelain --untracked-files=no") else ""
meta = {
    "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    "machine": f"{os.cpu_count()} cores ({model}), {memory} GiB memory, shared with other engineers' builds",
    "commit": sh("git rev-parse --short HEAD") + dirty,
    "binary": "$binary",
    "binary_time": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(os.path.getmtime("$binary"))),
    "load_before": "$load_before", "load_after": "$load_after",
    "command": "bench/cluster/load.sh   # LOAD_STEPS=\"$steps\" LOAD_SECONDS=$seconds LOAD_WARMUP=$warmup LOAD_THINK=$think",
    "url": "$PLAYTEST_URL", "users_steps": "$steps".replace(" ", ", "), "seconds": $seconds, "warmup": $warmup,
    "think": $think, "watchers": $watchers, "wrk": json.loads('$wrk_rows'),
    "notes": os.environ.get("LOAD_NOTES", ""),
}
json.dump(meta, open(sys.argv[1], "w"))
PY
section=$("$py" "$repo/bench/cluster/report.py" load "$results" "$work/meta.json")
if [ "$out" = - ]; then
  echo "$section"
else
  echo "$section" | "$py" "$repo/bench/cluster/report.py" splice "$out" load
  say "wrote the Load section of $out"
fi
[ $fanout_status = 0 ] || { say "FAIL: a run's progress did not reach every subscriber on both servers"; exit 1; }
