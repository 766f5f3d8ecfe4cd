#!/usr/bin/env bash
# Issue 16's figures (seed 002's targets as the floor): 100,000 players and 5,000,000 events in PostgreSQL (fsync on,
# as deployed: a durable write is a synced commit), Redis as hot state, one `playtest serve --workers 0` (release
# build), wrk -t2 -c16 with a different active player's API key on every request (1,000 active players):
#   read active session       GET  /api/v1/progress/session                     seed < 10 ms,  goal p99 < 2 ms
#   write event (durable)     POST /api/v1/progress/events (one event)          seed < 50 ms,  goal p99 < 15 ms
#   inventory check           GET  /api/v1/progress/inventory                   seed < 20 ms,  goal p99 < 2 ms
#   visited check             GET  /api/v1/progress/visited?waypoint=w5         seed < 15 ms,  goal p99 < 2 ms
#   analytics query           GET  /api/v1/progress/analytics (100,000 players) and …/analytics/content (w5, 7 days)
#                                                                               seed < 500 ms, goal p99 < 100 ms
#   full history page         GET  /api/v1/progress/events?limit=100            seed < 1 s,    goal p99 < 200 ms
#   floor                     GET  /api/v1/auth/me (the cheapest authenticated route, same keys)
# Also: the cache hit rate of the active players' reads, and bytes per player in PostgreSQL and Redis against the seed's
# capacity table.
#
# Usage: bench/progress/run.sh [seconds per wrk run]
#   PLAYTEST=path/to/playtest (default .build/release/playtest, built unless SKIP_BUILD=1)
#   PLAYERS (100000), EVENTS (50 per player), KEYS (1000 active players)
set -euo pipefail
cd "$(dirname "$0")/../.."
unset REDIS_URL DATABASE_URL
seconds=${1:-10}
players=${PLAYERS:-100000}
events=${EVENTS:-50}
keys=${KEYS:-1000}
playtest=${PLAYTEST:-.build/release/playtest}
if [ -z "${SKIP_BUILD:-}" ] && [ -z "${PLAYTEST:-}" ]; then swift build -c release --product playtest >/dev/null; fi
playtest=$(realpath "$playtest")
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
work=$(mktemp -d /tmp/ptb-progress-XXXXXX)
chmod 755 "$work"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  as_pg "$pg_bin/pg_ctl" -D "$work/pg" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

pg_port=$(free_port)
mkdir -p "$work/pg" && [ "$(id -u)" != 0 ] || chown postgres "$work/pg"
as_pg "$pg_bin/initdb" -D "$work/pg" -U playtest --auth=trust -E UTF8 >/dev/null
as_pg "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg/log" -w -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1 -c shared_buffers=1GB" start >/dev/null
as_pg "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U playtest playtest
database_url=postgres://playtest@127.0.0.1:$pg_port/playtest
echo "PostgreSQL $(as_pg "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U playtest -d playtest -tAc 'SHOW server_version') on 127.0.0.1:$pg_port (fsync on, synchronous_commit on, shared_buffers 1GB)"

redis_port=$(free_port)
mkdir -p "$work/redis"
redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$work/redis" --save '' --appendonly no --daemonize no >"$work/redis/log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis_url=redis://127.0.0.1:$redis_port/0

export DATABASE_URL=$database_url REDIS_URL=$redis_url PLAYTEST_DATA_DIR=$work/data PLAYTEST_LOG_LEVEL=warning
"$playtest" migrate | head -1
started=$SECONDS
as_pg "$pg_bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U playtest -d playtest -v players="$players" -v events="$events" -v keys="$keys" \
  -f bench/progress/seed.sql
echo "seeded $players players and $((players * events)) events in $((SECONDS - started)) s"
started=$SECONDS
"$playtest" progress rollups
echo "(roll-ups over $((players * events)) events in $((SECONDS - started)) s)"
psql_q() { as_pg "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U playtest -d playtest -tAc "$1"; }

port=$(free_port)
PORT=$port PLAYTEST_ADMIN_EMAIL=bench@example.com PLAYTEST_ADMIN_PASSWORD=bench-password \
  PLAYTEST_RATE_LIMIT=100000000 PLAYTEST_RATE_LIMIT_IP=100000000 "$playtest" serve --workers 0 >"$work/serve.log" 2>&1 &
pids+=($!)
url=http://127.0.0.1:$port
deadline=$((SECONDS + 120))
until curl -sf -m 5 "$url/api/v1/health" >/dev/null; do
  [ $SECONDS -lt $deadline ] || { cat "$work/serve.log" >&2; exit 1; }
  sleep 0.2
done
admin=$(.venv/bin/python bench/api_key.py "$url" bench@example.com bench-password)
experience=bench/MAP01

# The active players: each writes once (a session starts, their hot sets are warmed), as a client that resumes does.
.venv/bin/python - "$url" "$keys" "$experience" <<'PY'
import json, sys, urllib.request
url, keys, experience = sys.argv[1], int(sys.argv[2]), sys.argv[3]
for i in range(1, keys + 1):
    body = json.dumps({"event_type": "session_started", "content_id": "start"}).encode()
    request = urllib.request.Request(f"{url}/api/v1/progress/events?experience={experience}", data=body, method="POST",
                                     headers={"x-api-key": f"pt_bench_{i}", "content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status in (200, 201), response.status
print(f"{keys} active players started a session")
PY

cat > "$work/keys.lua" <<LUA
local keys = $keys
local path = os.getenv("BENCH_PATH")
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local n = 0
request = function()
  n = n + 1
  local headers = {["X-API-Key"] = "pt_bench_" .. math.random(1, keys), ["Content-Type"] = "application/json"}
  if body then
    return wrk.format(method, path, headers, (string.gsub(body, "ID", tostring(n) .. "-" .. math.random(1, 1e9))))
  end
  return wrk.format(method, path, headers, nil)
end
LUA
row() {  # name goal-ms wrk-arguments… → a table row: p50, p99, requests/s against the goal (goal - : none), or FAILED
  local name=$1 goal=$2 summary verdict=""
  shift 2
  if ! summary=$(timeout $((seconds + 60)) wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "$@" \
    | python3 bench/wrk_summary.py 2>"$work/last-error"); then
    echo "| $name | | | | ${goal/-/} | FAILED: $(cat "$work/last-error") |"
    return
  fi
  read -r p50 p99 rps <<<"$summary"
  [ "$goal" = - ] || verdict=$(python3 -c "print('met' if $p99 < $goal else 'MISSED')")
  echo "| $name | $p50 | $p99 | $rps | ${goal/-/} | $verdict |"
}
measure() {  # name goal-ms method path [body]: the active players' keys, one per request at random
  BENCH_PATH="$4" BENCH_METHOD="$3" BENCH_BODY="${5:-}" row "$1" "$2" -s "$work/keys.lua" "$url"
}
measure_admin() {  # name goal-ms path: the designer's reads, with the administrator's key
  row "$1" "$2" -H "X-API-Key: $admin" "$url$3"
}

curl -s -H "X-API-Key: $admin" "$url/api/v1/progress/analytics?experience=$experience" | python3 -c '
import json, sys
a = json.load(sys.stdin)
top = a["top_waypoints"][0]
funnel = [s["players"] for s in a["funnel"]]
print(f"analytics answer: {a['"'"'players'"'"']} players, {a['"'"'completed'"'"']} completed, funnel {funnel}, "
      f"median playtime {a['"'"'playtime'"'"']['"'"'median_seconds'"'"']} s, top waypoint {top['"'"'content_id'"'"']} ({top['"'"'players'"'"']} players)")'
curl -s -H "X-API-Key: $admin" "$url/api/v1/progress/analytics/content?experience=$experience&content=w5&days=7"; echo

backlog() {  # the events the analytics have yet to fold (serve folds every second), on stderr beside the table
  local n
  n=$(curl -s -H "X-API-Key: $admin" "$url/api/v1/health/player-progress" | python3 -c 'import json, sys; print(json.load(sys.stdin)["rollup_backlog"])')
  echo "  roll-up backlog $1: $n events" >&2
}
all_operations() {
  echo "| operation | p50 ms | p99 ms | requests/s | goal p99 ms | |"
  echo "| --- | ---: | ---: | ---: | ---: | --- |"
  measure "read active session" 2 GET "/api/v1/progress/session"
  measure "write event (durable)" 15 POST "/api/v1/progress/events?experience=$experience" \
    '{"event_type": "waypoint_visited", "content_id": "w7", "client_event_id": "bench-ID", "data": {"distance_traveled": 0.5, "time_spent": 12}}'
  backlog "just after the write run"
  sleep 2
  backlog "2 s later"
  measure "inventory check" 2 GET "/api/v1/progress/inventory?experience=$experience"
  measure "visited check" 2 GET "/api/v1/progress/visited?experience=$experience&waypoint=w5"
  measure "full history page (100)" 200 GET "/api/v1/progress/events?experience=$experience&limit=100"
  measure_admin "analytics: experience (100k players)" 100 "/api/v1/progress/analytics?experience=$experience"
  measure_admin "analytics: a waypoint over 7 days" 100 "/api/v1/progress/analytics/content?experience=$experience&content=w5&days=7"
  measure "floor: GET /auth/me" - GET "/api/v1/auth/me"
}
echo
echo "16 concurrent clients: wrk -t2 -c16 -d${seconds}s --latency; load average now $(cut -d' ' -f1-3 /proc/loadavg)"
threads=2 connections=16 all_operations
echo
echo "One client at a time (wrk -t1 -c1): each request's own latency, without 15 others queued in front of it"
threads=1 connections=1 all_operations
echo
curl -s -H "X-API-Key: $admin" "$url/api/v1/health/player-progress" | python3 -c '
import json, sys
h = json.load(sys.stdin)
ratio, active = h["cache_hit_ratio"], h["active_players"]
print(f"cache hit ratio of the reads (session, inventory, visited; the active players, warm-up included): {ratio:.4f}; active players: {active}")'
echo
echo "Bytes per player against seed 002's capacity table"
events_total=$(psql_q "SELECT COUNT(*) FROM player_progress_events")
pg_sizes=$(psql_q "SELECT pg_total_relation_size('player_profiles'), pg_total_relation_size('experience_progress'),
  pg_total_relation_size('player_progress_events'), pg_total_relation_size('progress_content_hourly') + pg_total_relation_size('progress_content_players')
  + pg_total_relation_size('progress_content_totals')" | tr '|' ' ')
redis_sizes=$(.venv/bin/python - "$redis_port" "$keys" "$experience" <<'PY'
import subprocess, sys
port, keys, experience = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def usage(key):
    out = subprocess.run(["redis-cli", "-p", port, "MEMORY", "USAGE", key, "SAMPLES", "0"], capture_output=True, text=True).stdout.strip()
    return int(out) if out.isdigit() else 0
ids = subprocess.run(["redis-cli", "-p", port, "--scan", "--pattern", "playtest:player:*:session"], capture_output=True, text=True).stdout.split()
ids = [k.split(":")[2] for k in ids][:200]
totals = [0, 0, 0]
for user in ids:
    for n, key in enumerate((f"playtest:player:{user}:session", f"playtest:player:{user}:inventory:{experience}",
                             f"playtest:player:{user}:visited:{experience}")):
        totals[n] += usage(key)
print(" ".join(str(t // max(1, len(ids))) for t in totals))
PY
)
python3 - "$players" "$events_total" $pg_sizes $redis_sizes <<'PY'
import sys
players, events, profiles, progress, log, rollups, session, inventory, visited = map(int, sys.argv[1:])
print("| data | where | seed: bytes per player | measured: bytes per player |")
print("| --- | --- | ---: | ---: |")
print(f"| profile | PostgreSQL | 1,024 | {profiles // players:,} |")
print(f"| experience progress (1 experience) | PostgreSQL | 5,120 | {progress // players:,} |")
print(f"| events ({events // players} per player) | PostgreSQL | {100 * (events // players):,} (100 per event) | {log // players:,} ({log // events} per event) |")
print(f"| analytics roll-ups (not in the seed) | PostgreSQL | | {rollups // players:,} |")
print(f"| active session | Redis | 2,048 | {session:,} |")
print(f"| hot inventory | Redis | 500 | {inventory:,} |")
print(f"| visited cache | Redis | 1,024 | {visited:,} |")
PY
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
