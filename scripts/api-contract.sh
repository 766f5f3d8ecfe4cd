#!/usr/bin/env bash
# The API against its own OpenAPI document: starts `playtest serve` (embedded engines in a temporary folder, no
# worker, so started runs only queue) and runs schemathesis over every operation of GET /api/v1/openapi.json twice:
# signed in as an administrator (with an API key; `ignored_auth` also replays each call without it and requires a
# refusal), and again with no credentials at all. Fails on any 5xx, any status the document does not list, any body
# that does not match its schema, and any content type it does not name.
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
# Rate limits off: the fuzzer sends thousands of requests a minute and would otherwise test mostly the 429.
env -u DATABASE_URL -u REDIS_URL -u S3_ENDPOINT -u S3_BUCKET PLAYTEST_DATA_DIR="$work/data" HOST=127.0.0.1 PORT="$port" \
  PLAYTEST_ADMIN_EMAIL=contract@example.com PLAYTEST_ADMIN_PASSWORD=contract-password PLAYTEST_RATE_LIMIT=0 PLAYTEST_RATE_LIMIT_IP=0 \
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

# Real ids, so that the operations on one map or run get past 404 too: serve adds the built-in maps at first start;
# a queued test run and training run (no worker plays them) give run and job ids. Schemathesis uses each id in half
# of its cases for that parameter and generates the other half.
"$venv/bin/python" - "http://127.0.0.1:$port" "$work/schemathesis.toml" "$work/api-key" <<'PY'
import json, sys, time, urllib.request
base, config, key_file = sys.argv[1], sys.argv[2], sys.argv[3]
headers = {"Content-Type": "application/json"}
def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    with urllib.request.urlopen(request) as response:
        return json.load(response)
tokens = call("POST", "/api/v1/auth/login", {"email": "contract@example.com", "password": "contract-password"})
headers["Authorization"] = "Bearer " + tokens["access_token"]
key = call("POST", "/api/v1/api-keys", {"name": "api contract"})["key"]
headers = {"Content-Type": "application/json", "X-API-Key": key}
with open(key_file, "w") as file:
    file.write(key)
deadline = time.monotonic() + 120  # serve adds the built-in maps in the background after it starts
while True:
    maps = call("GET", "/api/v1/maps?limit=100")["maps"]
    scenario = next((m for m in maps if m["name"] == "VizDoom: defend the center"), None)
    if scenario is not None:
        break
    if time.monotonic() > deadline:
        sys.exit("api-contract: serve did not add the built-in maps within 120 s (is vizdoom in the venv?)")
    time.sleep(0.5)
test = call("POST", "/api/v1/testing/start", {"map_id": scenario["id"], "agent": "random", "episodes": 1})
training = call("POST", "/api/v1/training/start", {"map_id": scenario["id"], "max_iterations": 1000})
jobs = [test["task_id"], training["task_id"]]
def values(name, items):
    return f"[dictionaries.{name}]\nvalues = {json.dumps(items)}\n"
def bind(path_regex, **parameters):
    pairs = ", ".join(f'"{key}" = {{ dictionary = "{name}", probability = 0.5 }}' for key, name in parameters.items())
    return f"[[operations]]\ninclude-path-regex = '{path_regex}'\nparameters = {{ {pairs} }}\n"
with open(config, "w") as file:
    file.write("\n".join([
        values("maps", [scenario["id"], maps[0]["id"]]), values("map_names", ["MAP01"]),
        values("tests", [test["test_id"]]), values("trainings", [training["training_id"]]),
        values("runs", [test["test_id"], training["training_id"]]), values("jobs", jobs),
        bind("^/api/v1/maps/\\{id\\}/maps/", **{"path.id": "maps", "path.mapName": "map_names"}),
        bind("^/(api/v1/)?maps/\\{id\\}(/file)?$", **{"path.id": "maps"}),
        bind("^/api/v1/(testing|training)/start$", **{"body.map_id": "maps"}),
        bind("^/api/v1/testing/\\{id\\}", **{"path.id": "tests"}),
        bind("^/api/v1/training/\\{id\\}", **{"path.id": "trainings"}),
        bind("^/(api/v1/)?runs/\\{id\\}", **{"path.id": "runs"}),
        bind("^/api/v1/jobs/\\{id\\}", **{"path.id": "jobs"}),
    ]))
PY

status=0
echo "api-contract: signed in as an administrator (API key)"
"$venv/bin/schemathesis" --config-file "$work/schemathesis.toml" run "http://127.0.0.1:$port/api/v1/openapi.json" \
  -H "X-API-Key: $(cat "$work/api-key")" --checks "$checks,ignored_auth" --max-examples "$examples" --seed "${SCHEMATHESIS_SEED:-1}" \
  --workers 2 --no-color --request-timeout 30 --report junit --report-dir "$work/report" | tee "$work/schemathesis.txt" || status=$?
echo "api-contract: without credentials"
"$venv/bin/schemathesis" --config-file "$work/schemathesis.toml" run "http://127.0.0.1:$port/api/v1/openapi.json" \
  --checks "$checks" --max-examples "$(( (examples + 2) / 3 ))" --seed "${SCHEMATHESIS_SEED:-1}" \
  --workers 2 --no-color --request-timeout 30 | tee "$work/schemathesis-anonymous.txt" || status=$?
# Without credentials nothing but the documented public operations may answer with data: every other answer is a
# 401 (or the sign-in redirect of a page), which `status_code_conformance` holds to the document; count what came back.
grep -E "^(Test cases|API Operations|Summary)" -A3 "$work/schemathesis-anonymous.txt" | head -20 || true
if grep -q " 5[0-9][0-9] " "$work/serve.log" 2>/dev/null; then
  echo "api-contract: the server logged a 5xx:" >&2
  grep " 5[0-9][0-9] " "$work/serve.log" | head -20 >&2
  status=1
fi
exit "$status"
