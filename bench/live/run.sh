#!/usr/bin/env bash
# Issue 15's worker figures: what agents' live state costs a test run, and what one agent session holds in Redis.
#  1. Worker overhead, side by side in alternating rounds (as bench/overhead): (a) the agent runtime alone with the
#     run.json the worker writes and its stdout thrown away; (b) `playtest test defend_the_center --agent random` with
#     the embedded (in-process memory) live store; (c) the same with REDIS_URL on a redis-server this script starts.
#     Wall and CPU steps/s, ratios (b)/(a) and (c)/(a) per round and medians (target >= 0.85 both).
#  2. After each Redis round: MEMORY USAGE (SAMPLES 0) and TTL of every playtest:agent:<run id>:* key of that run.
#  3. Expiry: a 2-episode run with PLAYTEST_AGENT_SESSION_TTL=3, then 5 s later no agent key is left.
#  4. The worst case for the budget: the navigator on freedoom2 in god mode (fills :locations most), per key: MAP01
#     (the issue's; the navigator exits in about 20 s of game time) and MAP15 (it times out after 600 s: the longest),
#     then the last one's keys copied with every bounded key padded to its cap (bench/live/session_caps.py).
#  With BEFORE, also (d): the binary from before issue 15, and the ratios (b)/(d), (c)/(d): the live state's own cost.
#
# Usage: bench/live/run.sh [episodes] [rounds]
#   PLAYTEST=path/to/playtest   the binary to measure (default: .build/release/playtest, built here unless SKIP_BUILD=1)
#   BEFORE=path/to/playtest     also (d): a build from before issue 15 (no live state) the same way, for reference
#   WORST_MAPS="MAP01 MAP15"    part 4's freedoom2 maps (MAP15: the navigator wanders 600 s of game time, no exit)
#   SKIP_WORST=1                leave out part 4
set -euo pipefail
cd "$(dirname "$0")/../.."
unset REDIS_URL  # the memory side runs without it; the Redis side sets its own
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
episodes=${1:-400}
rounds=${2:-3}
playtest=${PLAYTEST:-.build/release/playtest}
before=${BEFORE:-}
worst_maps=${WORST_MAPS:-MAP01 MAP15}
if [ -z "${SKIP_BUILD:-}" ] && [ -z "${PLAYTEST:-}" ]; then swift build -c release --product playtest >/dev/null; fi
python=.venv/bin/python
freedoom2=${FREEDOOM2:-/usr/share/games/doom/freedoom2.wad}
vizdoom=$($python -c 'import os, vizdoom; print(os.path.dirname(vizdoom.__file__))')
work=$(mktemp -d /tmp/ptb-live-XXXXXX)
redis_pid=
cleanup() {
  if [ -n "$redis_pid" ]; then kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/shots" "$work/demos" "$work/redis"

# A private redis-server on a free loopback port, nothing persisted, its files in the temp dir.
redis_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$work/redis" --save '' --appendonly no --daemonize no \
  >"$work/redis/log" 2>&1 &
redis_pid=$!
for _ in $(seq 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
rcli() { timeout 30 redis-cli -p "$redis_port" "$@"; }
rcli ping >/dev/null
redis_url=redis://127.0.0.1:$redis_port/0
echo "redis-server $(redis-server --version | grep -o 'v=[0-9.]*' | cut -c3-) on 127.0.0.1:$redis_port"

# Exactly the run.json the worker writes for this run (RunWorkspace / AgentConfig), minus its temp paths.
cat > "$work/ref.json" <<JSON
{"agent":"random","scenario_cfg":"defend_the_center","pwads":["$vizdoom/scenarios/defend_the_center.wad"],"map":"MAP01",
 "episodes":$episodes,"seed":5,"telemetry_every":1,"screenshot_dir":"$work/shots","screenshot_tics":[35],
 "screenshot_on":["death","stuck","milestone"],"record_demos":true,"demo_dir":"$work/demos","env":{"skill":3}}
JSON
# Wall seconds, and CPU seconds of the process and every child it waited for (agent, VizDoom engine).
timed() { timeout 1200 /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" >/dev/null 2>&1; awk '{print $1, $2 + $3}' "$work/time"; }
ref_steps=$(PYTHONPATH=agent timeout 1200 $python -m playtest_agent evaluate --config "$work/ref.json" 2>/dev/null | grep -c '"type":"step"')
echo "defend_the_center, random agent, seed 5, $episodes episodes ($ref_steps steps), $rounds rounds (alternating)"

check_steps() {  # round label data dir
  local stored
  stored=$(sqlite3 "$3/playtest.sqlite" "SELECT COUNT(*) FROM run_steps")
  [ "$stored" = "$ref_steps" ] || { echo "round $1 ($2): stored $stored steps, the agent alone played $ref_steps" >&2; exit 1; }
}
session_keys() {  # run id → a table of its keys: type, elements, MEMORY USAGE bytes, TTL; checks the TTLs
  local id=$1 ttl_max=${2:-86400}
  rcli --scan --pattern "playtest:agent:$id:*" | sort > "$work/keys"
  [ -s "$work/keys" ] || { echo "no playtest:agent:$id:* keys in Redis" >&2; exit 1; }
  local total=0 bad=0 key type n bytes ttl limit
  printf '  %-52s %-6s %8s %8s %7s\n' key type elements bytes TTL
  while read -r key; do
    type=$(rcli TYPE "$key")
    case $type in
      hash) n=$(rcli HLEN "$key") ;; list) n=$(rcli LLEN "$key") ;; zset) n=$(rcli ZCARD "$key") ;;
      string) n="$(rcli STRLEN "$key")B" ;; *) n=? ;;
    esac
    bytes=$(rcli MEMORY USAGE "$key" SAMPLES 0)
    ttl=$(rcli TTL "$key")
    limit=$ttl_max; [ "${key##*:}" = heartbeat ] && limit=$(( ttl_max < 15 ? ttl_max : 15 ))
    if [ "$ttl" -le 0 ] || [ "$ttl" -gt "$limit" ]; then bad=$((bad + 1)); ttl="$ttl(!)"; fi
    printf '  %-52s %-6s %8s %8s %7s\n' "$key" "$type" "$n" "$bytes" "$ttl"
    total=$((total + bytes))
  done < "$work/keys"
  echo "  total per agent session: $total bytes ($(python3 -c "print(f'{$total/1024:.1f}')") KiB; docs/live-state.md budget: 128 KiB) in $(wc -l < "$work/keys") keys"
  if [ "$bad" = 0 ]; then echo "  TTL check: every key 0 < TTL <= $ttl_max s (heartbeat <= 15 s): ok"
  else echo "  TTL check: $bad key(s) out of range (marked (!)): MISSED"; fi
}

redis_ticks() { awk '{print $14 + $15}' "/proc/$redis_pid/stat"; }
clk_tck=$(getconf CLK_TCK)
sides="mem redis"; [ -n "$before" ] && sides="mem redis before"
nsides=$(wc -w <<<"$sides")
: > "$work/rates"
memory_tables=()
for r in $(seq "$rounds"); do
  echo "ref $(PYTHONPATH=agent timed $python -m playtest_agent evaluate --config "$work/ref.json")" >> "$work/rates"
  # The other sides take turns going first right after the reference, so none always follows it.
  order=$(echo "$sides $sides" | cut -d' ' -f$(( (r - 1) % nsides + 1 ))-$(( (r - 1) % nsides + nsides )))
  for side in $order; do
    rm -rf "$work/data"
    case $side in
      mem) echo "mem $(PLAYTEST_DATA_DIR="$work/data" timed "$playtest" test defend_the_center --agent random --episodes "$episodes" --seed 5 --format json)" >> "$work/rates" ;;
      before) echo "before $(PLAYTEST_DATA_DIR="$work/data" timed "$before" test defend_the_center --agent random --episodes "$episodes" --seed 5 --format json)" >> "$work/rates" ;;
      redis)
        rcli FLUSHALL >/dev/null
        t0=$(redis_ticks)
        read -r wall cpu <<<"$(REDIS_URL=$redis_url PLAYTEST_DATA_DIR="$work/data" timed "$playtest" test defend_the_center --agent random --episodes "$episodes" --seed 5 --format json)"
        # redis-server is not a child of the run: its CPU seconds over the run are added to the run's.
        echo "redis $wall $(python3 -c "print($cpu + ($(redis_ticks) - $t0) / $clk_tck)") $(python3 -c "print(($(redis_ticks) - $t0) / $clk_tck)")" >> "$work/rates"
        id=$(rcli --scan --pattern 'playtest:agent:*:state' | head -1 | sed 's/^playtest:agent://; s/:state$//')
        memory_tables+=("round $r, run $id ($episodes episodes):"$'\n'"$(session_keys "$id")")
        ;;
    esac
    check_steps "$r" "$side" "$work/data"
  done
done
echo
python3 - "$ref_steps" "$work/rates" <<'PY'
import statistics, sys
steps = int(sys.argv[1])
names = {"mem": "(b) playtest test, memory live store", "redis": "(c) playtest test, Redis live store ",
         "before": "(d) playtest test before issue 15   ", "ref": "(a) agent alone, stdout to /dev/null"}
runs = {}
redis_cpu = []
for line in open(sys.argv[2]):
    side, *values = line.split()
    runs.setdefault(side, []).append((float(values[0]), float(values[1])))
    if side == "redis":
        redis_cpu.append(float(values[2]))
ref = runs["ref"]
for label, index in (("wall", 0), ("CPU", 1)):
    unit = "steps/s" if index == 0 else "steps/CPU-s"
    med = {}
    for side in ("mem", "redis", "before", "ref"):
        if side not in runs:
            continue
        rates = [steps / r[index] for r in runs[side]]
        med[side] = statistics.median(rates)
        print(f"{label:4} {names[side]}: {med[side]:7.0f} {unit}  (rounds: {', '.join(f'{x:.0f}' for x in rates)})")
    for side in ("mem", "redis", "before"):
        if side not in runs:
            continue
        pairs = [r[index] / o[index] for o, r in zip(runs[side], ref)]
        target = "  (target >= 0.85)" if side != "before" else "  (reference: no live state)"
        print(f"{label:4} ratio {names[side][:3]}/(a): of the medians {med[side] / med['ref']:.2f}, "
              f"median per round {statistics.median(pairs):.2f} (rounds: {', '.join(f'{x:.2f}' for x in pairs)}){target}")
    if "before" in runs:  # the live state's own cost: this build against the one before it, same round
        for side in ("mem", "redis"):
            pairs = [r[index] / o[index] for o, r in zip(runs[side], runs["before"])]
            print(f"{label:4} ratio {names[side][:3]}/(d): of the medians {med[side] / med['before']:.2f}, "
                  f"median per round {statistics.median(pairs):.2f} (rounds: {', '.join(f'{x:.2f}' for x in pairs)})")
print(f"(c)'s CPU includes redis-server's: {statistics.median(redis_cpu):.2f} s per run (median; rounds: "
      f"{', '.join(f'{x:.2f}' for x in redis_cpu)})")
PY
echo
echo "Redis keys of one agent session (random agent, defend_the_center), MEMORY USAGE SAMPLES 0, after each Redis round:"
printf '%s\n' "${memory_tables[@]}"

echo
echo "Expiry: 2 episodes with PLAYTEST_AGENT_SESSION_TTL=3 on Redis"
rcli FLUSHALL >/dev/null
rm -rf "$work/data"
REDIS_URL=$redis_url PLAYTEST_AGENT_SESSION_TTL=3 PLAYTEST_DATA_DIR="$work/data" \
  timeout 300 "$playtest" test defend_the_center --agent random --episodes 2 --seed 5 --format json >"$work/expiry.json" 2>/dev/null
id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["test_id"])' "$work/expiry.json")
echo "  right after the run: $(rcli --scan --pattern "playtest:agent:$id:*" | wc -l) keys, TTLs: $(for k in $(rcli --scan --pattern "playtest:agent:$id:*" | sort); do printf '%s=%s ' "${k##*:}" "$(rcli TTL "$k")"; done)"
sleep 5
left=$(rcli --scan --pattern "playtest:agent:$id:*" | wc -l)
echo "  5 s later: $left keys left ($( [ "$left" = 0 ] && echo 'all expired: ok' || echo 'MISSED'))"

if [ -z "${SKIP_WORST:-}" ]; then
  for map in $worst_maps; do
    echo
    echo "Worst case: navigator (default agent), $(basename "$freedoom2") $map, 1 episode, god mode, on Redis"
    rcli FLUSHALL >/dev/null
    rm -rf "$work/data"
    start=$(date +%s)
    status=0
    REDIS_URL=$redis_url PLAYTEST_DATA_DIR="$work/data" timeout 1200 "$playtest" test "$freedoom2" --map "$map" --episodes 1 --god-mode \
      --format json >"$work/worst.json" 2>"$work/worst.err" || status=$?
    id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["test_id"])' "$work/worst.json")
    python3 - "$work/worst.json" "$status" "$(( $(date +%s) - start ))" <<'PY'
import json, sys
path, status, seconds = sys.argv[1], sys.argv[2], sys.argv[3]
r = json.load(open(path))
a = r.get("aggregate_metrics") or {}
print(f"  exit status {status}, {seconds} s wall, run {r['test_id']} {r['status']}: exit rate {a.get('exit_rate')}, "
      f"{a.get('mean_duration_seconds', 0):.0f} s of game time, coverage {a.get('coverage', 0):.2f}, kills {a.get('total_kills')}")
PY
    echo "  steps stored: $(sqlite3 "$work/data/playtest.sqlite" "SELECT COUNT(*) FROM run_steps"), cells in run_locations: $(sqlite3 "$work/data/playtest.sqlite" "SELECT COUNT(*) FROM run_locations")"
    session_keys "$id"
  done
  echo
  echo "The same session ($map) with every bounded key filled to its cap (bench/live/session_caps.py):"
  python3 bench/live/session_caps.py "$redis_port" "$id"
fi
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
