#!/usr/bin/env bash
# Page load times of the web app on the embedded default with 100 maps and 1,000 runs, each page
# side by side with the JSON API call that serves the same data (the reference), in one run.
# Usage: bench/web/run.sh [seconds per URL]   (SKIP_BUILD=1 to reuse .build/release/playtest)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-10}
bin=${PLAYTEST_BIN:-.build/release/playtest}   # PLAYTEST_BIN=.build/debug/playtest checks the script quickly
[ -n "${PLAYTEST_BIN:-}" ] || { [ -x "$bin" ] && [ -n "${SKIP_BUILD:-}" ]; } || swift build -c release --product playtest >/dev/null
data=$(mktemp -d /tmp/playtest-webbench-XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port
PLAYTEST_DATA_DIR=$data PORT=$port PLAYTEST_LOG_LEVEL=warning PLAYTEST_ADMIN_EMAIL=bench@example.com PLAYTEST_ADMIN_PASSWORD=bench-password \
  PLAYTEST_RATE_LIMIT=0 PLAYTEST_RATE_LIMIT_IP=0 "$bin" serve --workers 1 >"$data/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
until curl -sf "$url/api/v1/health" >/dev/null; do
  kill -0 $server 2>/dev/null || { cat "$data/serve.log"; exit 1; }
  sleep 0.2
done
export PLAYTEST_API_KEY; PLAYTEST_API_KEY=$(.venv/bin/python bench/api_key.py "$url" bench@example.com bench-password)
echo "seeding 100 maps, 1 played test run and 1,000 run rows into $data …" >&2
seed=$(.venv/bin/python bench/web/seed.py "$url" "$data")
map_id=$(echo "$seed" | python3 -c 'import json,sys; print(json.load(sys.stdin)["map_id"])')
map_name=$(echo "$seed" | python3 -c 'import json,sys; print(json.load(sys.stdin)["map_name"])')
run_id=$(echo "$seed" | python3 -c 'import json,sys; print(json.load(sys.stdin)["run_id"])')
maps=$(curl -s -H "X-API-Key: $PLAYTEST_API_KEY" "$url/api/v1/maps?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
runs=$(curl -s -H "X-API-Key: $PLAYTEST_API_KEY" "$url/api/v1/runs?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
echo "library: $maps WADs (100 uploaded + built-ins), $runs runs; one user (wrk -t1 -c1), ${seconds} s per URL"

# name | page | reference API call serving the same data
cases=(
  "maps library|/|/api/v1/maps?limit=100"
  "map detail|/maps/$map_id?map=$map_name|/api/v1/maps/$map_id/maps/$map_name"
  "runs list|/runs|/api/v1/runs?limit=100"
  "run page|/runs/$run_id|/api/v1/testing/$run_id/results"
  "workers|/workers|/api/v1/jobs?limit=150"
)
measure() {  # URL → "p50_ms p99_ms requests_per_s bytes"
  curl -sf -H "X-API-Key: $PLAYTEST_API_KEY" -o /dev/null "$url$1" || { echo "GET $1 failed" >&2; exit 1; }
  local bytes; bytes=$(curl -s -H "X-API-Key: $PLAYTEST_API_KEY" "$url$1" | wc -c)
  wrk -t1 -c1 -d"${seconds}s" --latency -H "X-API-Key: $PLAYTEST_API_KEY" "$url$1" | python3 -c '
import re, sys
text = sys.stdin.read()
def ms(label):
    m = re.search(r"^\s*" + label + r"\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
if errors: sys.exit("non-2xx responses: " + errors.group(1))
p50, p99 = ms("50%"), ms("99%")
print(f"{p50:.2f} {p99:.2f} {rps:.0f}", end=" ")' 
  echo "$bytes"
}
printf "%-13s | %9s %9s %8s %9s | %-34s %9s %9s | %8s | %s\n" page "p50 ms" "p99 ms" "req/s" "KB" "reference (JSON API)" "p50 ms" "p99 ms" "p50 ratio" "target p99 < 200 ms"
for entry in "${cases[@]}"; do
  IFS='|' read -r name page reference <<<"$entry"
  read -r p50 p99 rps bytes <<<"$(measure "$page")"
  read -r r50 r99 rrps rbytes <<<"$(measure "$reference")"
  verdict=$(python3 -c "print('ok' if $p99 < 200 else 'MISSED')")
  ratio=$(python3 -c "print(f'{$p50/$r50:.2f}')")
  printf "%-13s | %9s %9s %8s %9s | %-34s %9s %9s | %8s | %s\n" "$name" "$p50" "$p99" "$rps" "$((bytes / 1024))" "$(echo "$reference" | cut -c1-34)" "$r50" "$r99" "$ratio" "$verdict"
done
