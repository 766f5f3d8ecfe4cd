#!/usr/bin/env bash
# Issue 15's leaderboard reads: a board of 10,000 records (seeded straight into SQLite after `playtest migrate`),
# served by `playtest serve --workers 0` with REDIS_URL on a private redis-server (the sorted set loaded by
# `playtest live rebuild`) beside the same data on the embedded memory live store (no REDIS_URL: serve's rebuild
# watcher loads it at start). wrk -t2 -c16, alternating rounds, each read on each store in every round:
#   top 10             GET /api/v1/leaderboards/bench.kills?limit=10
#   a page             GET /api/v1/leaderboards/bench.kills?limit=10&offset=5000
#   around an owner    GET /api/v1/leaderboards/bench.kills/around/agent-05000?count=5
#   an owner's standing GET /api/v1/leaderboards/bench.kills/owners/agent-05000
#   floor              GET /api/v1/auth/me (the cheapest authenticated route, same key)
# plus redis-benchmark's ZREVRANGE / ZREVRANK / ZSCORE on the same sorted set (16 clients) as the raw Redis floor.
# Target: p99 < 2 ms for the leaderboard reads. Rate limits stay on (set high enough never to refuse), as deployed;
# a third serve on the same Redis with the rate limits off shows what they cost. Also: the Redis commands each read
# makes (INFO commandstats; an EVAL counts the calls its script makes too), and every read once more one at a time
# (wrk -t1 -c1): its own latency without 15 others queued in front of it.
#
# Usage: bench/live/leaderboards.sh [seconds per wrk run] [rounds]
#   PLAYTEST=path/to/playtest   the binary (default: .build/release/playtest, built here unless SKIP_BUILD=1)
set -euo pipefail
cd "$(dirname "$0")/../.."
unset REDIS_URL  # the memory side runs without it; the Redis side sets its own
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
seconds=${1:-10}
rounds=${2:-3}
records=${RECORDS:-10000}
playtest=${PLAYTEST:-.build/release/playtest}
if [ -z "${SKIP_BUILD:-}" ] && [ -z "${PLAYTEST:-}" ]; then swift build -c release --product playtest >/dev/null; fi
work=$(mktemp -d /tmp/ptb-leaderboards-XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
board=bench.kills
owner=agent-05000

mkdir -p "$work/redis" "$work/data"
redis_port=$(free_port)
redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$work/redis" --save '' --appendonly no --daemonize no >"$work/redis/log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis-cli -p "$redis_port" ping >/dev/null
redis_url=redis://127.0.0.1:$redis_port/0
echo "redis-server $(redis-server --version | grep -o 'v=[0-9.]*' | cut -c3-) on 127.0.0.1:$redis_port"

# The schema, then the board and its records written straight into SQLite (a period-0 board: it never resets).
PLAYTEST_DATA_DIR="$work/data" PLAYTEST_LOG_LEVEL=warning timeout 120 "$playtest" migrate | head -1
python3 - "$work/data/playtest.sqlite" "$board" "$records" <<'PY'
import random, sqlite3, sys, time
path, board, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
db = sqlite3.connect(path)
now = time.time()
db.execute("INSERT INTO leaderboards (id, title, sort_order, operator, reset_schedule, metadata, map_id, created_at) "
           "VALUES (?, 'Bench kills', 'desc', 'best', NULL, '{\"unit\":\"kills\"}', NULL, ?)", (board, now))
rng = random.Random(15)
db.executemany("INSERT INTO leaderboard_records (board_id, period_start, owner, score, writes, metadata, updated_at) "
               "VALUES (?, 0, ?, ?, ?, '{}', ?)",
               [(board, f"agent-{i:05d}", float(rng.randint(0, 5000)), rng.randint(1, 20), now - rng.random() * 86400)
                for i in range(1, n + 1)])
db.commit()
print(f"seeded {db.execute('SELECT COUNT(*) FROM leaderboard_records WHERE board_id = ?', (board,)).fetchone()[0]} records on {board}")
PY
cp -a "$work/data" "$work/data-memory"
cp -a "$work/data" "$work/data-nolimit"
echo "playtest live rebuild: $(REDIS_URL=$redis_url PLAYTEST_DATA_DIR="$work/data" PLAYTEST_LOG_LEVEL=warning timeout 120 "$playtest" live rebuild)"
echo "ZCARD playtest:leaderboard:$board = $(redis-cli -p "$redis_port" ZCARD "playtest:leaderboard:$board")"

start() {  # name data-dir [env assignments…] → sets url_<name>; a serve with no worker, an administrator from the environment
  local name=$1 data=$2 port; shift 2
  port=$(free_port)
  env PLAYTEST_DATA_DIR="$data" PORT=$port PLAYTEST_LOG_LEVEL=warning \
    PLAYTEST_ADMIN_EMAIL=bench@example.com PLAYTEST_ADMIN_PASSWORD=bench-password \
    PLAYTEST_RATE_LIMIT=100000000 PLAYTEST_RATE_LIMIT_IP=100000000 "$@" \
    "$playtest" serve --workers 0 >"$work/serve-$name.log" 2>&1 &
  pids+=($!)
  local pid=$! deadline=$((SECONDS + 120))
  until curl -sf -m 5 "http://127.0.0.1:$port/api/v1/health" >/dev/null; do
    kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ] || { cat "$work/serve-$name.log" >&2; exit 1; }
    sleep 0.2
  done
  printf -v "url_$name" '%s' "http://127.0.0.1:$port"
}
start redis "$work/data" REDIS_URL="$redis_url"
start memory "$work/data-memory"
# What tried when the target missed: the same Redis, the rate limits off (each request's two EVALs gone).
start nolimit "$work/data-nolimit" REDIS_URL="$redis_url" PLAYTEST_RATE_LIMIT=0 PLAYTEST_RATE_LIMIT_IP=0
key_redis=$(.venv/bin/python bench/api_key.py "$url_redis" bench@example.com bench-password)
key_memory=$(.venv/bin/python bench/api_key.py "$url_memory" bench@example.com bench-password)
key_nolimit=$(.venv/bin/python bench/api_key.py "$url_nolimit" bench@example.com bench-password)

# Both stores answer the same ranks as SQL (ties ordered by owner, as Redis orders a descending set).
python3 - "$work/data/playtest.sqlite" "$board" "$owner" "$url_redis" "$key_redis" "$url_memory" "$key_memory" \
  "$url_nolimit" "$key_nolimit" <<'PY'
import json, sqlite3, sys, time, urllib.request
path, board, owner, *servers = sys.argv[1:]
db = sqlite3.connect(path)
top = [r[0] for r in db.execute("SELECT owner FROM leaderboard_records WHERE board_id = ? ORDER BY score DESC, owner DESC LIMIT 10", (board,))]
score = db.execute("SELECT score FROM leaderboard_records WHERE board_id = ? AND owner = ?", (board, owner)).fetchone()[0]
rank = 1 + db.execute("SELECT COUNT(*) FROM leaderboard_records WHERE board_id = ? AND (score > ? OR (score = ? AND owner > ?))",
                      (board, score, score, owner)).fetchone()[0]
def get(url, key, path):
    with urllib.request.urlopen(urllib.request.Request(url + path, headers={"x-api-key": key}), timeout=30) as r:
        return json.load(r)
for name, url, key in zip(("redis", "memory", "nolimit"), servers[0::2], servers[1::2]):
    deadline = time.time() + 30
    while True:  # the memory store's watcher loads the set within 5 s of start (a read finding it empty loads it too)
        page = get(url, key, f"/api/v1/leaderboards/{board}?limit=10")
        if page["total"] == len(list(db.execute("SELECT 1 FROM leaderboard_records WHERE board_id = ?", (board,)))) or time.time() > deadline:
            break
        time.sleep(0.5)
    standing = get(url, key, f"/api/v1/leaderboards/{board}/owners/{owner}")
    around = get(url, key, f"/api/v1/leaderboards/{board}/around/{owner}?count=5")
    ok = ([r["owner"] for r in page["records"]] == top and standing["rank"] == rank and len(around["records"]) == 11
          and around["records"][5]["owner"] == owner and around["records"][5]["rank"] == rank)
    print(f"{name}: total {page['total']}, top owner {page['records'][0]['owner']} ({page['records'][0]['score']:.0f}), "
          f"{owner} rank {standing['rank']} (SQL: {rank}), around: ranks {around['records'][0]['rank']}-{around['records'][-1]['rank']}: "
          + ("same as SQL" if ok else "DIFFERS from SQL"))
    if not ok:
        sys.exit(f"{name} answers differ from SQL")
PY

reads=("top10|/api/v1/leaderboards/$board?limit=10" "page@5000|/api/v1/leaderboards/$board?limit=10&offset=5000"
       "around|/api/v1/leaderboards/$board/around/$owner?count=5" "owner|/api/v1/leaderboards/$board/owners/$owner"
       "floor:auth/me|/api/v1/auth/me")
# What each read asks of Redis: INFO commandstats over 200 requests of it (the rate limits' calls included).
echo "Redis commands per request (INFO commandstats over 200 requests each):"
for entry in "${reads[@]}"; do
  IFS='|' read -r name path <<<"$entry"
  redis-cli -p "$redis_port" CONFIG RESETSTAT >/dev/null
  for _ in $(seq 200); do curl -sf -m 10 -o /dev/null -H "X-API-Key: $key_redis" "$url_redis$path"; done
  redis-cli -p "$redis_port" INFO commandstats | python3 -c '
import re, sys
calls = {m[0]: int(m[1]) for m in re.findall(r"^cmdstat_(\w+):calls=(\d+)", sys.stdin.read(), re.M) if m[0] not in ("config", "info")}
print(f"  {sys.argv[1]:14} {sum(calls.values()) / 200:5.1f}: " + ", ".join(f"{k} {v / 200:g}" for k, v in sorted(calls.items())))' "$name"
done

measure() {  # connections store read path → "store read p50 p99 rps"
  local url key
  url=url_$2; key=key_$2
  echo "$2 $3 $(timeout $((seconds + 30)) wrk -t"$(( $1 < 2 ? 1 : 2 ))" -c"$1" -d"${seconds}s" --latency -H "X-API-Key: ${!key}" "${!url}$4" \
    | python3 bench/wrk_summary.py)"
}
summary() {  # file of "store read p50 p99 rps" lines → a markdown table of medians
  python3 - "$1" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    store, read, p50, p99, rps = line.split()
    rows.setdefault((read, store), []).append((float(p50), float(p99), float(rps)))
print("| read | live store | p50 ms | p99 ms (median) | p99 ms (rounds) | requests/s | target p99 < 2 ms |")
print("| --- | --- | ---: | ---: | --- | ---: | --- |")
stores = {"redis": "Redis", "memory": "memory", "nolimit": "Redis, rate limits off"}
for (read, store), v in sorted(rows.items(), key=lambda kv: (list(stores).index(kv[0][1]), kv[0][0].startswith("floor"))):
    p50, p99, rps = (statistics.median(x[i] for x in v) for i in range(3))
    verdict = "" if read.startswith("floor") else ("met" if p99 < 2 else "MISSED")
    rounds = ", ".join(f"{x[1]:.2f}" for x in v)
    print(f"| {read} | {stores[store]} | {p50:.2f} | {p99:.2f} | {rounds} | {rps:.0f} | {verdict} |")
PY
}
echo "wrk -t2 -c16 -d${seconds}s --latency, $rounds rounds, each read on each store per round (stores alternate first)"
: > "$work/c16"
for r in $(seq "$rounds"); do
  for store in $(echo "redis memory nolimit redis memory" | cut -d' ' -f$(( (r - 1) % 3 + 1 ))-$(( (r - 1) % 3 + 3 ))); do
    for entry in "${reads[@]}"; do
      IFS='|' read -r name path <<<"$entry"
      line=$(measure 16 "$store" "$name" "$path")
      echo "$line" >> "$work/c16"
      echo "  round $r: $line" >&2
    done
  done
done
summary "$work/c16"
echo
echo "The same reads one at a time (wrk -t1 -c1 -d${seconds}s): each request's own latency, without queueing behind 15 others"
: > "$work/c1"
for store in redis memory nolimit; do
  for entry in "${reads[@]}"; do
    IFS='|' read -r name path <<<"$entry"
    measure 1 "$store" "$name" "$path" >> "$work/c1"
  done
done
summary "$work/c1"
echo
echo "raw Redis floor: redis-benchmark -c 16 -n 100000 on playtest:leaderboard:$board ($records members)"
echo "command,requests/s,p50 ms,p99 ms"
for cmd in "ZREVRANGE playtest:leaderboard:$board 0 9 WITHSCORES" "ZREVRANK playtest:leaderboard:$board $owner" \
           "ZSCORE playtest:leaderboard:$board $owner"; do
  # shellcheck disable=SC2086
  timeout 120 redis-benchmark -h 127.0.0.1 -p "$redis_port" -c 16 -n 100000 --csv $cmd > "$work/rb.csv"
  python3 - "$work/rb.csv" <<'PY'
import csv, sys
r = list(csv.DictReader(open(sys.argv[1])))[-1]
print(f"{r['test']},{float(r['rps']):.0f},{float(r['p50_latency_ms']):.3f},{float(r['p99_latency_ms']):.3f}")
PY
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
