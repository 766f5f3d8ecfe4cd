#!/usr/bin/env bash
# The API against its own OpenAPI document: starts `playtest serve` (embedded engines in a temporary folder, no
# worker, so started runs only queue) and runs schemathesis over every operation of GET /api/v1/openapi.json.
# Fails on any 5xx, any status the document does not list, any body that does not match its schema, and any
# content type it does not name.
#
#   scripts/api-contract.sh                      # after `swift build --product playtest`
#   SCHEMATHESIS_MAX_EXAMPLES=100 scripts/api-contract.sh
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${PLAYTEST_BIN:-.build/debug/playtest}
venv=${VENV:-.venv}
examples=${SCHEMATHESIS_MAX_EXAMPLES:-30}
checks=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance
[ -x "$binary" ] || { echo "api-contract: $binary is not built (swift build --product playtest)" >&2; exit 1; }
[ -x "$venv/bin/schemathesis" ] || { echo "api-contract: schemathesis is not installed in $venv (make venv)" >&2; exit 1; }

work=$(mktemp -d /tmp/playtest-api.XXXXXX)
port=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
env -u DATABASE_URL -u REDIS_URL -u S3_ENDPOINT -u S3_BUCKET PLAYTEST_DATA_DIR="$work/data" HOST=127.0.0.1 PORT="$port" \
  PLAYTEST_LOG_FORMAT=text PLAYTEST_LOG_LEVEL=warning "$binary" serve --workers 0 >"$work/serve.log" 2>&1 &
server=$!
stop() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap stop EXIT
for _ in $(seq 1 300); do
  curl -sf -o /dev/null "http://127.0.0.1:$port/api/v1/openapi.json" && break
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; echo "api-contract: playtest serve exited" >&2; exit 1; }
  sleep 0.2
done

status=0
"$venv/bin/schemathesis" run "http://127.0.0.1:$port/api/v1/openapi.json" \
  --checks "$checks" --max-examples "$examples" --seed "${SCHEMATHESIS_SEED:-1}" --workers 2 --no-color \
  --request-timeout 30 --report junit --report-dir "$work/report" | tee "$work/schemathesis.txt" || status=$?
if grep -q " 5[0-9][0-9] " "$work/serve.log" 2>/dev/null; then
  echo "api-contract: the server logged a 5xx:" >&2
  grep " 5[0-9][0-9] " "$work/serve.log" | head -20 >&2
  status=1
fi
exit "$status"
