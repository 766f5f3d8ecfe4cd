#!/usr/bin/env bash
# Issue 18's figures: the statistics and a map profile with 1,000 maps and 100,000 episodes, each read cold (the
# analysis cache's generation moved on before every request, so it is computed from SQL) beside warm (cached), and the
# same server's JSON 404 as the floor. The live store is a throwaway redis-server, as in scale-out.
# Targets: p99 cold < 200 ms, p99 warm < 5 ms (wrk -t2 -c16).
# Usage: bench/analysis/run.sh [seconds per wrk run]   (PLAYTEST_BIN=… to use a binary already built)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-10}
bin=${PLAYTEST_BIN:-.build/release/playtest}
[ -n "${PLAYTEST_BIN:-}" ] || swift build -c release --product playtest >/dev/null
work=$(mktemp -d /tmp/playtest-analysis-XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
redis_port=$(free_port); port=$(free_port)
redis-server --port "$redis_port" --save '' --appendonly no --daemonize no >"$work/redis.log" 2>&1 &
redis=$!
until redis-cli -p "$redis_port" ping >/dev/null 2>&1; do sleep 0.1; done
PLAYTEST_DATA_DIR=$work PORT=$port REDIS_URL=redis://127.0.0.1:$redis_port/0 PLAYTEST_LOG_LEVEL=warning \
  PLAYTEST_ADMIN_EMAIL=bench@example.com PLAYTEST_ADMIN_PASSWORD=bench-password PLAYTEST_RATE_LIMIT=0 PLAYTEST_RATE_LIMIT_IP=0 \
  "$bin" serve --workers 0 >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server $redis 2>/dev/null; wait $server $redis 2>/dev/null; rm -rf "$work"' EXIT
url=http://127.0.0.1:$port
until curl -sf "$url/api/v1/health" >/dev/null; do kill -0 $server 2>/dev/null || { cat "$work/serve.log"; exit 1; }; sleep 0.2; done
key=$(.venv/bin/python bench/api_key.py "$url" bench@example.com bench-password)
echo "seeding 1,000 maps and 100,000 episodes …" >&2
seed=$(.venv/bin/python bench/analysis/seed.py "$url" "$work" "$key")
busiest=$(echo "$seed" | python3 -c 'import json,sys; print(json.load(sys.stdin)["map_id"])')
median=$(sqlite3 "$work/playtest.sqlite" "SELECT lower(map_id) FROM runs GROUP BY map_id ORDER BY COUNT(*) DESC LIMIT 1 OFFSET 250")
echo "$seed" >&2

cold() {  # path [map id] → "p50 p99" over 40 reads, each after the generations (the platform's, the map's) moved on
  .venv/bin/python - "$url$1" "$key" "$redis_port" "${2:-}" <<'PY'
import subprocess, sys, time, urllib.request
url, key, port, map_id = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
times = []
for _ in range(40):
    subprocess.run(["redis-cli", "-p", port, "INCR", "playtest:analysis:generation"], check=True, capture_output=True)
    if map_id:
        subprocess.run(["redis-cli", "-p", port, "INCR", f"playtest:analysis:generation:{map_id.lower()}"], check=True, capture_output=True)
    start = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request(url, headers={"x-api-key": key}), timeout=60) as response:
        response.read()
    times.append((time.perf_counter() - start) * 1000)
times.sort()
print(f"{times[len(times) // 2]:.1f} {times[int(len(times) * 0.99)]:.1f}")
PY
}
warm() {  # path → "p50 p99 rps"
  curl -sf -H "X-API-Key: $key" -o /dev/null "$url$1"
  wrk -t2 -c16 -d"${seconds}s" --latency -H "X-API-Key: $key" "$url$1" | python3 bench/wrk_summary.py
}
echo "| read | cold p50 ms | cold p99 ms | warm p50 ms | warm p99 ms | warm req/s | targets (p99 cold < 200, warm < 5) |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for entry in "statistics|/api/v1/analysis/statistics|" "busiest map's profile|/api/v1/analysis/maps/$busiest|$busiest" "a median map's profile|/api/v1/analysis/maps/$median|$median"; do
  IFS='|' read -r name path map <<<"$entry"
  read -r c50 c99 <<<"$(cold "$path" "$map")"
  read -r w50 w99 rps <<<"$(warm "$path")"
  verdict=$(python3 -c "print(('ok' if $c99 < 200 else 'cold MISSED') + ', ' + ('ok' if $w99 < 5 else 'warm MISSED'))")
  echo "| $name | $c50 | $c99 | $w50 | $w99 | $rps | $verdict |"
done
read -r f50 f99 frps <<<"$(wrk -t2 -c16 -d"${seconds}s" --latency -H "X-API-Key: $key" "$url/api/v1/nothing-here" | python3 bench/wrk_summary.py --floor)"
echo "| floor: JSON 404 | | | $f50 | $f99 | $frps | |"
curl -s -H "X-API-Key: $key" "$url/metrics" | grep analysis_cache_reads || true
