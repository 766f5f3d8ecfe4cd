#!/usr/bin/env bash
# Smoke test of the local scale-out cluster (deploy/cluster.sh), for real and bounded to 3 minutes:
#
#   Tests/cluster/smoke.sh
#
# cluster.sh up; sign in through nginx over https; upload a WAD; a WebSocket through nginx subscribed to every run;
# a one-episode test run, polled until it completes (and seen on the WebSocket); http → https redirect; a static file
# served by nginx itself; a 50 MB upload body let through to the server (not 413) and a 120 MB one refused by nginx;
# kill -9 of one server, then 20 health requests through nginx that must all be 200; restart of that server;
# cluster.sh down --purge.
#
# It runs its own cluster (PLAYTEST_CLUSTER_DIR=/tmp/playtest-cluster-smoke, ports from 29000) so that it neither
# uses nor deletes one started by hand. SMOKE_KEEP=1 leaves the cluster up when a check fails. Needs what
# cluster.sh needs (root or a user that can run PostgreSQL, redis-server, nginx, .venv with moto) and curl, python3.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cluster="$repo/deploy/cluster.sh"
export PLAYTEST_CLUSTER_DIR=${PLAYTEST_CLUSTER_DIR:-/tmp/playtest-cluster-smoke}
export PLAYTEST_CLUSTER_BASE_PORT=${PLAYTEST_CLUSTER_BASE_PORT:-29000}
# The watchdog interrupts the test at this many seconds; the command running then (a cluster.sh wait is at most
# PLAYTEST_CLUSTER_TIMEOUT) finishes first, so the whole test stays within about 3 minutes.
limit=${SMOKE_TIMEOUT:-150}
export PLAYTEST_CLUSTER_TIMEOUT=${PLAYTEST_CLUSTER_TIMEOUT:-30}
py=python3
[ -x "$repo/.venv/bin/python" ] && py="$repo/.venv/bin/python"
work=$(mktemp -d /tmp/playtest-smoke.XXXXXX)
started=$SECONDS
passed=()
ws_pid=

say() { printf '[smoke %3ds] %s\n' $((SECONDS - started)) "$*"; }
pass() { passed+=("$*"); say "PASS $*"; }
fail() {
  say "FAIL $*"
  exit 1
}
# json FILE a.b.c: one value of a JSON file (empty for null).
json() {
  "$py" - "$@" <<'PY'
import json, sys
value = json.load(open(sys.argv[1]))
for key in sys.argv[2].split("."):
    value = value[int(key)] if isinstance(value, list) else value[key]
print("" if value is None else value)
PY
}

# json_line FILE key: the key of the first JSON line of FILE that has it.
json_line() {
  "$py" - "$@" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    value = json.loads(line).get(sys.argv[2])
    if value is not None:
        print(value)
        break
PY
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  [ -n "$ws_pid" ] && kill "$ws_pid" 2>/dev/null || true
  [ -n "${watchdog:-}" ] && kill "$watchdog" 2>/dev/null || true
  if [ $status -ne 0 ]; then
    say "status at the failure:"
    "$cluster" status || true
    LOG_LINES=15 "$cluster" logs 2>/dev/null | sed 's/^/    /' || true
  fi
  if [ $status -ne 0 ] && [ "${SMOKE_KEEP:-0}" = 1 ]; then
    say "SMOKE_KEEP=1: the cluster stays up in $PLAYTEST_CLUSTER_DIR ($cluster down --purge removes it)"
  else
    "$cluster" down --purge >"$work/down.log" 2>&1 || { say "down --purge failed:"; cat "$work/down.log"; }
  fi
  rm -rf "$work"
  if [ $status -eq 0 ]; then
    say "all ${#passed[@]} checks passed in $((SECONDS - started))s:"
    printf '  - %s\n' "${passed[@]}"
  else
    say "FAILED after $((SECONDS - started))s (${#passed[@]} checks had passed)"
  fi
  exit $status
}
trap cleanup EXIT
# shellcheck source=Tests/cluster/bounded.sh
. "$repo/Tests/cluster/bounded.sh"
bound_in_time "$limit"

# ---- up ------------------------------------------------------------------------------------------------------------
"$cluster" down --purge >/dev/null 2>&1 || true
t0=$SECONDS
"$cluster" up >"$work/up.log" 2>&1 || { cat "$work/up.log"; fail "cluster.sh up"; }
pass "cluster.sh up ($((SECONDS - t0))s): $(grep -c ' is up ' "$work/up.log") processes healthy"
set -a
# shellcheck disable=SC1091
. "$PLAYTEST_CLUSTER_DIR/cluster.env"
set +a
base=$PLAYTEST_URL
ca=(--cacert "$PLAYTEST_CA_CERT")
"$cluster" status >"$work/status.log" || { cat "$work/status.log"; fail "cluster.sh status after up"; }
pass "cluster.sh status: every process up and healthy"

# ---- sign in -------------------------------------------------------------------------------------------------------
code=$(curl -s "${ca[@]}" --max-time 20 -o "$work/login.json" -w '%{http_code}' -H 'Content-Type: application/json' \
  -d "$("$py" -c 'import json,sys; print(json.dumps({"email": sys.argv[1], "password": sys.argv[2]}))' "$PLAYTEST_ADMIN_EMAIL" "$PLAYTEST_ADMIN_PASSWORD")" \
  "$base/api/v1/auth/login")
[ "$code" = 200 ] || { cat "$work/login.json"; fail "POST /api/v1/auth/login answered $code"; }
token=$(json "$work/login.json" access_token)
auth=(-H "Authorization: Bearer $token")
[ "$(json "$work/login.json" user.role)" = admin ] || fail "signed in, but not as an admin"
pass "signed in over https (certificate verified against $PLAYTEST_CA_CERT) as $PLAYTEST_ADMIN_EMAIL"

# ---- http → https --------------------------------------------------------------------------------------------------
read -r code location < <(curl -s --max-time 5 -o /dev/null -w '%{http_code} %{redirect_url}\n' "$PLAYTEST_HTTP_URL/api/v1/health?probe=1")
[ "$code" = 301 ] && [ "$location" = "$base/api/v1/health?probe=1" ] || fail "http answered $code $location (want 301 to $base/api/v1/health?probe=1)"
pass "http:// redirects to https:// (301, path and query kept)"

# ---- static file ---------------------------------------------------------------------------------------------------
code=$(curl -s "${ca[@]}" --max-time 5 -D "$work/static.head" -o "$work/app.css" -w '%{http_code}' "$base/app.css")
[ "$code" = 200 ] || fail "GET /app.css answered $code"
grep -qi '^server: nginx' "$work/static.head" || fail "GET /app.css has no Server: nginx header"
# Every response of the servers carries X-Request-Id; one nginx answers itself does not.
! grep -qi '^x-request-id:' "$work/static.head" || fail "GET /app.css came from a server, not from nginx's static location"
cmp -s "$work/app.css" "$repo/Public/app.css" || fail "GET /app.css differs from Public/app.css"
pass "static /app.css served by nginx itself (Server: nginx, no X-Request-Id, same bytes as Public/app.css)"

# ---- WebSocket -----------------------------------------------------------------------------------------------------
"$py" "$repo/Tests/cluster/ws_client.py" "wss://127.0.0.1:${base##*:}/ws?run_id=*&access_token=$token" "$PLAYTEST_CA_CERT" \
  "$work/ws.ready" 100 >"$work/ws.out" 2>"$work/ws.err" &
ws_pid=$!
for _ in $(seq 100); do [ -f "$work/ws.ready" ] && break; kill -0 $ws_pid 2>/dev/null || break; sleep 0.1; done
[ -f "$work/ws.ready" ] || { cat "$work/ws.out" "$work/ws.err"; fail "WebSocket /ws through nginx: no 'subscribed' answer"; }
pass "WebSocket wss://127.0.0.1:${base##*:}/ws?run_id=* through nginx: connected, subscribed to every run ($(json_line "$work/ws.out" client) client)"

# ---- upload --------------------------------------------------------------------------------------------------------
wad=/usr/share/games/doom/freedoom1.wad
map=E1M1
if [ ! -f "$wad" ]; then
  wad=$(ls "$repo"/.venv/lib/python3*/site-packages/vizdoom/scenarios/basic.wad 2>/dev/null | head -n 1)
  map=MAP01
fi
[ -f "$wad" ] || fail "no WAD to upload (freedoom1.wad or VizDoom's basic.wad)"
t0=$SECONDS
code=$(curl -s "${ca[@]}" --max-time 60 "${auth[@]}" -o "$work/map.json" -w '%{http_code}' \
  -F "file=@$wad" -F "name=cluster smoke" "$base/api/v1/maps/upload")
case $code in 200|201) ;; *) cat "$work/map.json"; fail "POST /api/v1/maps/upload answered $code" ;; esac
map_id=$(json "$work/map.json" id)
pass "uploaded $(basename "$wad") ($(($(stat -c %s "$wad") / 1024 / 1024)) MB) through nginx: $code, map $map_id ($((SECONDS - t0))s)"

# ---- a test run ----------------------------------------------------------------------------------------------------
code=$(curl -s "${ca[@]}" --max-time 20 "${auth[@]}" -o "$work/start.json" -w '%{http_code}' -H 'Content-Type: application/json' \
  -d "{\"map_id\":\"$map_id\",\"map\":\"$map\",\"agent\":\"random\",\"episodes\":1,\"params\":{\"episode_time\":5,\"seed\":1}}" \
  "$base/api/v1/testing/start")
[ "$code" = 202 ] || { cat "$work/start.json"; fail "POST /api/v1/testing/start answered $code"; }
run_id=$(json "$work/start.json" test_id)
t0=$SECONDS
status=
while [ $((SECONDS - t0)) -lt 90 ]; do
  curl -s "${ca[@]}" --max-time 10 "${auth[@]}" -o "$work/run.json" "$base/api/v1/testing/$run_id/status" || true
  status=$(json "$work/run.json" status 2>/dev/null || true)
  case $status in completed|failed|stopped) break ;; esac
  sleep 0.5
done
[ "$status" = completed ] || { cat "$work/run.json"; fail "test run $run_id ended $status (want completed)"; }
curl -s "${ca[@]}" --max-time 10 "${auth[@]}" -o "$work/results.json" "$base/api/v1/testing/$run_id/results"
episodes=$("$py" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["episodes"]))' "$work/results.json")
[ "$episodes" = 1 ] || fail "results of $run_id list $episodes episodes (want 1)"
curl -s "${ca[@]}" --max-time 10 "${auth[@]}" -o "$work/artifacts.json" "$base/api/v1/runs/$run_id/artifacts"
artifacts=$("$py" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["artifacts"]))' "$work/artifacts.json")
pass "test run $run_id ($map, 1 episode, random agent) completed in $((SECONDS - t0))s on a worker; results have 1 episode, $artifacts artifacts in S3"

wait $ws_pid && ws_status=0 || ws_status=$?
ws_pid=
grep -q "\"run_id\": \"$run_id\"" "$work/ws.out" && [ $ws_status = 0 ] \
  || { cat "$work/ws.out" "$work/ws.err"; fail "the WebSocket saw no final status of $run_id"; }
pass "WebSocket got $run_id's status changes live (worker → Redis → server → nginx): $(grep -c "\"run_id\": \"$run_id\"" "$work/ws.out") messages"

# ---- evidence: the run's video, made by a worker after it, seekable through nginx and S3 -------------------------
t0=$SECONDS
state=pending
while [ $((SECONDS - t0)) -lt 120 ] && [ "$state" = pending ]; do
  sleep 1
  curl -s "${ca[@]}" --max-time 10 "${auth[@]}" -o "$work/evidence.json" "$base/api/v1/runs/$run_id/evidence" || true
  state=$("$py" -c 'import json,sys; e=json.load(open(sys.argv[1]))["episodes"]; print(e[0]["state"] if e else "pending")' "$work/evidence.json" 2>/dev/null || echo pending)
done
[ "$state" = made ] || { cat "$work/evidence.json"; fail "the evidence of $run_id is $state after $((SECONDS - t0))s (want made)"; }
video=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["episodes"][0]["video"]["url"])' "$work/evidence.json")
# The server redirects to a presigned S3 link; S3 answers the byte range a seeking browser asks for.
code=$(curl -s "${ca[@]}" --max-time 20 "${auth[@]}" -L -H 'Range: bytes=100-199' -o "$work/range.bin" -w '%{http_code}' "$base$video")
[ "$code" = 206 ] && [ "$(stat -c %s "$work/range.bin")" = 100 ] || fail "a Range request for the video answered $code with $(stat -c %s "$work/range.bin" 2>/dev/null) bytes (want 206, 100)"
pass "evidence of $run_id made by a worker $((SECONDS - t0))s after the run: a WebM video in S3, a byte range of it through nginx → presigned S3 link answered 206"

# ---- upload limits -------------------------------------------------------------------------------------------------
truncate -s 50M "$work/big.wad"
code=$(curl -s "${ca[@]}" --max-time 60 "${auth[@]}" -D "$work/big.head" -o "$work/big.json" -w '%{http_code}' \
  -F "file=@$work/big.wad" "$base/api/v1/maps/upload")
case $code in 000|502|504) cat "$work/big.head" "$work/big.json"; fail "a 50 MB upload got $code through nginx" ;; esac
# The server's answer, whatever it is (a server's 413 would be PLAYTEST_MAX_UPLOAD_MB), carries X-Request-Id; nginx's
# own 413 does not.
grep -qi '^x-request-id:' "$work/big.head" || { cat "$work/big.head"; fail "the 50 MB upload got $code from nginx, not from a server"; }
pass "50 MB upload body let through nginx to the server, which answered $code $(json "$work/big.json" error.code 2>/dev/null || true)"

truncate -s 120M "$work/huge.wad"
code=$(curl -s "${ca[@]}" --max-time 60 "${auth[@]}" -o /dev/null -w '%{http_code}' -H 'Content-Type: application/octet-stream' \
  --data-binary "@$work/huge.wad" "$base/api/v1/maps/upload" || true)
[ "$code" = 413 ] || fail "a 120 MB body got $code (want nginx's 413, client_max_body_size 110m)"
pass "120 MB body refused by nginx with 413"

# ---- fail-over -----------------------------------------------------------------------------------------------------
"$cluster" kill serve-1 >"$work/kill.log" 2>&1 || { cat "$work/kill.log"; fail "cluster.sh kill serve-1"; }
access_lines=$(wc -l <"$PLAYTEST_CLUSTER_DIR/logs/nginx-access.log")
codes=()
for _ in $(seq 20); do
  codes+=("$(curl -s "${ca[@]}" --max-time 10 -o /dev/null -w '%{http_code}' "$base/api/v1/health")")
done
bad=$(printf '%s\n' "${codes[@]}" | grep -vc '^200$' || true)
[ "$bad" = 0 ] || fail "after kill -9 of serve-1, health through nginx answered: ${codes[*]}"
"$cluster" status >"$work/status.log" 2>&1 || true
grep -q '^serve-1 .* down ' "$work/status.log" || { cat "$work/status.log"; fail "status does not show serve-1 down"; }
# nginx writes "upstream=A, B" for a request it had to pass on to a second server.
retried=$(tail -n +$((access_lines + 1)) "$PLAYTEST_CLUSTER_DIR/logs/nginx-access.log" | grep -c 'upstream=[^ ]*, ' || true)
pass "kill -9 serve-1: 20/20 health requests through nginx answered 200 ($retried retried on serve-2 after a refused connection); status shows serve-1 down"

t0=$SECONDS
"$cluster" restart serve-1 >"$work/restart.log" 2>&1 || { cat "$work/restart.log"; fail "cluster.sh restart serve-1"; }
"$cluster" status >"$work/status.log" 2>&1 || { cat "$work/status.log"; fail "status after restarting serve-1"; }
pass "cluster.sh restart serve-1 ($((SECONDS - t0))s): every process healthy again"

# ---- down ----------------------------------------------------------------------------------------------------------
pids=$(awk 'NR > 1 && $2 != "-" { print $2 }' "$work/status.log")
t0=$SECONDS
"$cluster" down --purge >"$work/down.log" 2>&1 || { cat "$work/down.log"; fail "cluster.sh down --purge"; }
for pid in $pids; do kill -0 "$pid" 2>/dev/null && fail "pid $pid still runs after down"; done
[ ! -e "$PLAYTEST_CLUSTER_DIR" ] || fail "$PLAYTEST_CLUSTER_DIR still exists after down --purge"
pass "cluster.sh down --purge ($((SECONDS - t0))s): $(echo "$pids" | wc -w) processes gone, $PLAYTEST_CLUSTER_DIR deleted"
