#!/usr/bin/env bash
# Issue 13's figures in one run:
#  1. GET /api/v1/testing/{id}/status under wrk -t2 -c16: this binary with an API key, and with a bearer token, beside
#     the binary from before accounts (no credentials at all), alternating, ROUNDS times; p50 and p99 of each and the
#     overhead of authentication (target: p99 + 1 ms at most). The rate limits stay on, set high enough not to refuse.
#  2. AuthBench on one core: API-key lookups and access-token checks per second, rate-limit takes, and sign-ins per
#     second at bcrypt cost 12 beside cost 10.
# Usage: REFERENCE_BIN=/path/to/playtest-before-accounts bench/accounts/run.sh [seconds per measurement]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-10}
rounds=${ROUNDS:-3}
ours=${PLAYTEST_BIN:-.build/release/playtest}
reference=${REFERENCE_BIN:?set REFERENCE_BIN to a playtest built before accounts (a release build of 70bb873)}
authbench=${AUTHBENCH_BIN:-.build/release/AuthBench}
if [ -z "${SKIP_BUILD:-}" ]; then
  swift build -c release --product playtest >/dev/null
  swift build -c release --product AuthBench >/dev/null
fi
wad=$(.venv/bin/python -c 'import os, vizdoom; print(os.path.join(os.path.dirname(vizdoom.__file__), "scenarios", "basic.wad"))')
work=$(mktemp -d /tmp/playtest-authbench-XXXXXX)
pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null; wait $p 2>/dev/null; done; rm -rf "$work"' EXIT

start() {  # name binary → sets url_<name>; a serve with no worker, high rate limits, an admin from the environment
  local name=$1 binary=$2 port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mkdir -p "$work/$name"
  PLAYTEST_DATA_DIR="$work/$name" PORT=$port PLAYTEST_LOG_LEVEL=warning PLAYTEST_ADMIN_EMAIL=bench@example.com \
    PLAYTEST_ADMIN_PASSWORD=bench-password PLAYTEST_RATE_LIMIT=100000000 PLAYTEST_RATE_LIMIT_IP=100000000 \
    "$binary" serve --workers 0 >"$work/$name/serve.log" 2>&1 &
  pids+=($!)
  until curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null; do sleep 0.2; done
  printf -v "url_$name" '%s' "http://127.0.0.1:$port"
}
queued_run() {  # url [curl auth args…] → the id of a queued test run on basic.wad
  local url=$1; shift
  local map; map=$(curl -sf "$@" -F "file=@$wad" "$url/api/v1/maps/upload" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  curl -sf "$@" -H 'content-type: application/json' -d "{\"map_id\":\"$map\",\"agent\":\"random\",\"episodes\":1}" "$url/api/v1/testing/start" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["test_id"])'
}
start reference "$reference"
start ours "$ours"
key=$(.venv/bin/python bench/api_key.py "$url_ours" bench@example.com bench-password)
token=$(curl -sf -H 'content-type: application/json' -d '{"email":"bench@example.com","password":"bench-password"}' "$url_ours/api/v1/auth/login" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
run_reference=$(queued_run "$url_reference")
run_ours=$(queued_run "$url_ours" -H "X-API-Key: $key")

measure() {  # label url [wrk header args…] → "label p50 p99 rps"
  local label=$1 url=$2; shift 2
  echo "$label $(wrk -t2 -c16 -d"${seconds}s" --latency "$@" "$url" | python3 bench/wrk_summary.py)"
}
echo "GET /api/v1/testing/{id}/status, wrk -t2 -c16, ${seconds} s each, $rounds rounds (ms)"
results=()
for round in $(seq 1 "$rounds"); do
  results+=("$(measure reference "$url_reference/api/v1/testing/$run_reference/status")")
  results+=("$(measure api_key "$url_ours/api/v1/testing/$run_ours/status" -H "X-API-Key: $key")")
  results+=("$(measure bearer "$url_ours/api/v1/testing/$run_ours/status" -H "Authorization: Bearer $token")")
done
printf '%s\n' "${results[@]}" | python3 -c '
import statistics, sys, json
rows = {}
for line in sys.stdin:
    label, p50, p99, rps = line.split()
    rows.setdefault(label, []).append((float(p50), float(p99), float(rps)))
med = {k: [statistics.median(x[i] for x in v) for i in range(3)] for k, v in rows.items()}
print("| client | p50 ms | p99 ms | requests/s | p99 overhead ms |")
print("| --- | --- | --- | --- | --- |")
for label in ("reference", "api_key", "bearer"):
    p50, p99, rps = med[label]
    ref = med["reference"][1]
    over = "" if label == "reference" else f"{p99 - ref:+.2f}"
    print(f"| {label} | {p50:.2f} | {p99:.2f} | {rps:.0f} | {over} |")
print(json.dumps({"status_endpoint": {k: {"p50_ms": v[0], "p99_ms": v[1], "rps": v[2]} for k, v in med.items()}}))'
echo "AuthBench, one core:"
taskset -c 0 "$authbench" "${AUTH_SECONDS:-3}"
