#!/usr/bin/env bash
# Builds and runs the Dockerfile with podman on a machine that cannot pull images from a registry:
#
#   1. a Debian bookworm base image made with debootstrap from the apt mirror and `podman import`ed, standing in for
#      debian:bookworm-slim;
#   2. the Dockerfile's own `agent-venv` stage on that base (pip from PyPI; torch's CPU wheel from
#      PIP_EXTRA_INDEX_URL, or from /opt/wheels served as a local index when that folder exists);
#   3. the Dockerfile's own `runtime` stage, taken from the file, with one change: the `builder` stage's output
#      (a --static-swift-stdlib build on the swift image) is replaced by an already-built host binary and the Swift
#      runtime libraries it links;
#   4. checks: `playtest --help`, the image's default command (`serve`, embedded SQLite, one embedded worker and the
#      agent runtime) answering GET /api/v1/health 200, /app.css from Public/, /metrics, the image's HEALTHCHECK,
#      `playtest migrate` against the data volume, SIGTERM, one short `playtest test` (VizDoom in the image), and the
#      split roles: `serve --workers 0` and `worker --metrics-port 9101` in two containers on one volume, the
#      worker's /health and /metrics, and a test run started through the API and played by the worker container.
#
#   deploy/podman-smoke.sh                 # uses .build/release/playtest
#   PLAYTEST_BIN=/path/to/playtest deploy/podman-smoke.sh
#   deploy/podman-smoke.sh --clean         # also removes the images and the work folder afterwards
#
# Needs root, podman, debootstrap, curl and python3 (apt-get install -y podman debootstrap runc curl); the builds
# reach the Debian mirror and PyPI over the host network.
#
# Knobs (environment):
#   PLAYTEST_BIN            the binary to package (default .build/release/playtest)
#   PLAYTEST_DEBIAN_MIRROR  debootstrap's mirror (default: the first .../debian URI apt uses)
#   PIP_EXTRA_INDEX_URL     where torch's +cpu wheel comes from (default: /opt/wheels as a local index if present,
#                           else the Dockerfile's default, the PyTorch CPU index)
#   PODMAN_RUNTIME          OCI runtime (default runc when installed: crun refuses hosts with hybrid cgroup v1/v2)
#   PODMAN_ULIMITS          --ulimit flags (default nofile/nproc 4096: podman's defaults are above what a sandboxed
#                           host lets a process raise its limits to, and the runtime then fails with EPERM)
#   SMOKE_WORK              work folder (default /tmp/playtest-podman)
#   SMOKE_PORT              host port for serve (default 18080; the worker's metrics port is the next one)
set -euo pipefail

cd "$(dirname "$0")/.." || exit 2
repo=$(pwd)
clean=0
[ "${1:-}" = "--clean" ] && clean=1

work=${SMOKE_WORK:-/tmp/playtest-podman}
port=${SMOKE_PORT:-18080}
bin=${PLAYTEST_BIN:-$repo/.build/release/playtest}
base_image=localhost/playtest-base:bookworm
venv_image=localhost/playtest-agent-venv:smoke
image=localhost/playtest:smoke
container=playtest-smoke-$$
index_pid=

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

for tool in podman debootstrap curl tar python3; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (apt-get install -y podman debootstrap runc curl)"
done
[ "$(id -u)" = 0 ] || fail "run as root (debootstrap and rootful podman)"
[ -x "$bin" ] || fail "no playtest binary at $bin (swift build -c release --product playtest, or set PLAYTEST_BIN)"

runtime=${PODMAN_RUNTIME:-}
if [ -z "$runtime" ] && command -v runc >/dev/null; then runtime=runc; fi
podman_cmd=(podman)
[ -n "$runtime" ] && podman_cmd+=(--runtime "$runtime")
read -r -a ulimits <<<"${PODMAN_ULIMITS:---ulimit nofile=4096:4096 --ulimit nproc=4096:4096}"
# Without systemd, podman logs on every run and stop that it cannot set up the HEALTHCHECK timer; those lines go.
p() { "${podman_cmd[@]}" "$@" 2> >(grep -v 'systemd connection' >&2); }

# RUN steps see the host's pip configuration and CA bundle when there are any (a proxy with its own CA, a mirror).
build_mounts=()
[ -f /etc/pip.conf ] && build_mounts+=(-v /etc/pip.conf:/etc/pip.conf:ro)
[ -f /etc/ssl/certs/ca-certificates.crt ] && build_mounts+=(-v /etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:ro)

cleanup() {
  p rm -f -v "$container" >/dev/null 2>&1 || true
  if [ -n "$index_pid" ]; then kill "$index_pid" 2>/dev/null || true; fi
  if [ "$clean" = 1 ]; then
    p rmi -f "$image" "$venv_image" "$base_image" >/dev/null 2>&1 || true
    rm -rf "$work"
  fi
}
trap cleanup EXIT
mkdir -p "$work"

step "1. base image $base_image (debootstrap bookworm minbase, podman import)"
if p image exists "$base_image"; then
  echo "present already"
else
  mirror=${PLAYTEST_DEBIAN_MIRROR:-}
  if [ -z "$mirror" ]; then
    mirror=$(grep -hoE '(URIs:|deb) +https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null \
      | awk '{print $2}' | head -n 1 || true)
    mirror=${mirror:-http://deb.debian.org/debian}
  fi
  echo "mirror: $mirror"
  rm -rf "$work/rootfs"
  debootstrap --variant=minbase --include=ca-certificates bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -n 20 "$work/debootstrap.log" >&2; fail "debootstrap failed (log: $work/debootstrap.log)"; }
  tar -C "$work/rootfs" -c . | p import - "$base_image" >/dev/null
  rm -rf "$work/rootfs"
  echo "imported"
fi

step "2. the Dockerfile's agent-venv stage -> $venv_image"
index=${PIP_EXTRA_INDEX_URL:-}
if [ -z "$index" ] && ls /opt/wheels/*.whl >/dev/null 2>&1; then
  # A PEP 503-style index from the local wheel folder: /<project>/<wheel> links, served on loopback.
  rm -rf "$work/index"
  for wheel in /opt/wheels/*.whl; do
    project=$(basename "$wheel" | cut -d- -f1 | tr '_.' '--' | tr '[:upper:]' '[:lower:]')
    mkdir -p "$work/index/$project"
    ln -sf "$wheel" "$work/index/$project/"
  done
  (cd "$work/index" && exec python3 -m http.server 18999 --bind 127.0.0.1 >"$work/index.log" 2>&1) &
  index_pid=$!
  for _ in $(seq 50); do curl -s -o /dev/null http://127.0.0.1:18999/ && break; sleep 0.1; done
  index=http://127.0.0.1:18999/
  echo "torch from /opt/wheels, served at $index"
fi
venv_args=()
[ -n "$index" ] && venv_args+=(--build-arg "PIP_EXTRA_INDEX_URL=$index")
p build --format docker --network host "${ulimits[@]}" "${build_mounts[@]}" --target agent-venv \
  --build-arg "DEBIAN_IMAGE=$base_image" "${venv_args[@]}" -t "$venv_image" -f "$repo/Dockerfile" "$repo" \
  >"$work/venv-build.log" 2>&1 || { tail -n 30 "$work/venv-build.log" >&2; fail "the agent-venv stage did not build (log: $work/venv-build.log)"; }
p run --rm "${ulimits[@]}" "$venv_image" /opt/playtest/venv/bin/python -c \
  "import cv2, numpy, torch, vizdoom; print('venv: torch', torch.__version__, '| vizdoom', vizdoom.__version__, '| numpy', numpy.__version__, '| opencv', cv2.__version__)" \
  || fail "the agent venv cannot import its packages"

step "3. the Dockerfile's runtime stage around $bin -> $image"
ctx="$work/context"
rm -rf "$ctx"
mkdir -p "$ctx/swiftlib"
cp "$bin" "$ctx/playtest"
"$ctx/playtest" --help >/dev/null || fail "$bin does not run on this machine"
# A host build links libswiftCore, Foundation and friends from the toolchain (the Dockerfile's --static-swift-stdlib
# build needs none): copy whatever ldd resolves outside the system library folders.
ldd "$ctx/playtest" | awk '$3 ~ /^\// {print $3}' | while read -r lib; do
  case "$lib" in
    /lib/*|/usr/lib/*|/lib64/*) ;;
    *) cp -L "$lib" "$ctx/swiftlib/" ;;
  esac
done
echo "swift runtime libraries copied: $(find "$ctx/swiftlib" -type f | wc -l)"
cp -R "$repo/Public" "$ctx/Public"
mkdir -p "$ctx/agent"
(cd "$repo/agent" && tar --exclude=__pycache__ -c .) | tar -C "$ctx/agent" -x

# The runtime stage as written in the Dockerfile, from its FROM line to the end, with the builder's COPY replaced.
awk '/^FROM .* AS runtime$/ {on=1} on' "$repo/Dockerfile" >"$work/runtime.stage"
grep -q '^COPY --from=builder /out/ /usr/local/bin/$' "$work/runtime.stage" || fail "Dockerfile: runtime stage's COPY --from=builder line not found"
grep -q '^COPY --from=agent-venv ' "$work/runtime.stage" || fail "Dockerfile: runtime stage's COPY --from=agent-venv line not found"
{
  echo "ARG DEBIAN_IMAGE=$base_image"
  sed -e "s#^COPY --from=builder /out/ /usr/local/bin/\$#COPY playtest /usr/local/bin/playtest\nCOPY swiftlib/ /usr/lib/swift/linux/\nRUN echo /usr/lib/swift/linux > /etc/ld.so.conf.d/swift.conf \&\& ldconfig#" \
      -e "s#^COPY --from=agent-venv #COPY --from=$venv_image #" "$work/runtime.stage"
} >"$ctx/Containerfile"
p build --format docker --network host "${ulimits[@]}" "${build_mounts[@]}" -t "$image" -f "$ctx/Containerfile" "$ctx" \
  >"$work/runtime-build.log" 2>&1 || { tail -n 30 "$work/runtime-build.log" >&2; fail "the runtime stage did not build (log: $work/runtime-build.log)"; }
p image inspect -f 'entrypoint {{.Config.Entrypoint}} cmd {{.Config.Cmd}} user {{.Config.User}} workdir {{.Config.WorkingDir}}' "$image"
echo "size: $(p image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}')"

step "4a. playtest --help"
help=$(p run --rm "${ulimits[@]}" "$image" --help 2>&1) || { echo "$help" >&2; fail "playtest --help exited non-zero"; }
echo "$help" | grep -q "SUBCOMMANDS" || { echo "$help" >&2; fail "--help did not list the subcommands"; }
echo "$help" | grep -E '^  (serve|worker|migrate) ' || true
p run --rm "${ulimits[@]}" --entrypoint id "$image"

step "4b. the default command (serve --host 0.0.0.0: embedded SQLite, one embedded worker) on 127.0.0.1:$port"
p run -d --name "$container" "${ulimits[@]}" -p "127.0.0.1:$port:8080" "$image" >/dev/null
status=000
for _ in $(seq 90); do
  status=$(curl -s -o "$work/health.json" -w '%{http_code}' "http://127.0.0.1:$port/api/v1/health" || true)
  [ "$status" = 200 ] && break
  if [ "$(p inspect -f '{{.State.Running}}' "$container" 2>/dev/null)" != true ]; then break; fi
  sleep 1
done
if [ "$status" != 200 ]; then
  p logs "$container" 2>&1 | tail -n 30 >&2
  fail "GET /api/v1/health answered $status: $(cat "$work/health.json" 2>/dev/null)"
fi
echo "GET /api/v1/health -> $status $(cat "$work/health.json")"
css=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/app.css")
[ "$css" = 200 ] || fail "GET /app.css (Public/ in the working directory) answered $css"
echo "GET /app.css -> $css"
metrics=$(curl -s "http://127.0.0.1:$port/metrics" | grep -c '^playtest_' || true)
[ "$metrics" -gt 0 ] || fail "GET /metrics had no playtest_ series"
echo "GET /metrics -> $metrics playtest_ sample lines"
p healthcheck run "$container" >/dev/null || fail "the image's HEALTHCHECK (curl /api/v1/health/ready) failed in the container"
echo "podman healthcheck run (the image's HEALTHCHECK) -> healthy"
p logs "$container" 2>&1 | grep -m 1 'playtest serving' || true
p logs "$container" 2>&1 | grep -m 1 'built-in maps' || true

step "4c. SIGTERM"
p stop -t 30 "$container" >/dev/null
echo "exit code $(p inspect -f '{{.State.ExitCode}}' "$container")"

step "4d. playtest migrate on the same data volume"
p run --rm "${ulimits[@]}" --volumes-from "$container" "$image" migrate

step "4e. one short play test in the image (VizDoom and the agent runtime as the playtest user)"
played=$(p run --rm "${ulimits[@]}" "$image" test defend_the_center --episodes 1 --episode-time 10 --agent random --seed 1 2>&1) \
  || { echo "$played" >&2; fail "playtest test exited non-zero"; }
echo "$played" | grep -E '^(test |episodes )' || { echo "$played" >&2; fail "playtest test printed no results"; }

step "4f. the split roles: serve --workers 0 and worker --metrics-port 9101 in two containers, one test run through the API"
# Both on the embedded SQLite in one shared volume (a stand-in for PostgreSQL; compose and Kubernetes use the real one).
volume=playtest-smoke-data-$$
p volume create "$volume" >/dev/null
wport=$((port + 1))
admin=(-e PLAYTEST_ADMIN_EMAIL=admin@example.com -e PLAYTEST_ADMIN_PASSWORD=smoke-password -e PLAYTEST_BCRYPT_COST=4)
p run -d --name "$container-serve" "${ulimits[@]}" "${admin[@]}" -v "$volume:/var/lib/playtest" -p "127.0.0.1:$port:8080" \
  "$image" serve --workers 0 --host 0.0.0.0 >/dev/null
split_cleanup() { p rm -f -v "$container-serve" "$container-worker" >/dev/null 2>&1 || true; p volume rm -f "$volume" >/dev/null 2>&1 || true; }
trap 'split_cleanup; cleanup' EXIT
for _ in $(seq 60); do curl -sf -o /dev/null "http://127.0.0.1:$port/api/v1/health" && break; sleep 1; done
p run -d --name "$container-worker" "${ulimits[@]}" -v "$volume:/var/lib/playtest" -p "127.0.0.1:$wport:9101" \
  "$image" worker --concurrency 1 --grace 20 --metrics-port 9101 --metrics-host 0.0.0.0 >/dev/null
wstatus=000
for _ in $(seq 60); do
  wstatus=$(curl -s -o "$work/worker-health.txt" -w '%{http_code}' "http://127.0.0.1:$wport/health" || true)
  [ "$wstatus" = 200 ] && break
  sleep 1
done
[ "$wstatus" = 200 ] || { p logs "$container-worker" 2>&1 | tail -n 20 >&2; fail "worker GET :9101/health answered $wstatus"; }
echo "worker GET /health -> $wstatus $(head -c 200 "$work/worker-health.txt")"
curl -s "http://127.0.0.1:$wport/metrics" | grep -q '^playtest_' || fail "worker /metrics had no playtest_ series"
echo "worker GET /metrics -> $(curl -s "http://127.0.0.1:$wport/metrics" | grep -c '^playtest_') playtest_ sample lines"
token=$(curl -s -H 'Content-Type: application/json' -d '{"email":"admin@example.com","password":"smoke-password"}' \
  "http://127.0.0.1:$port/api/v1/auth/login" | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])') \
  || fail "signing in as the configured administrator failed"
auth=(-H "Authorization: Bearer $token")
map_id=
for _ in $(seq 30); do
  map_id=$(curl -s "${auth[@]}" "http://127.0.0.1:$port/api/v1/maps?limit=100" | python3 -c '
import json, sys
d = json.load(sys.stdin)
items = d.get("maps") or d.get("items") or d.get("data") or []
print(next((m["id"] for m in items if "defend the center" in m.get("name", "")), ""))' 2>/dev/null || true)
  [ -n "$map_id" ] && break
  sleep 1
done
[ -n "$map_id" ] || fail "the built-in map 'VizDoom: defend the center' did not appear in GET /api/v1/maps"
started=$(curl -s "${auth[@]}" -H 'Content-Type: application/json' \
  -d "{\"map_id\": \"$map_id\", \"agent\": \"random\", \"episodes\": 1, \"params\": {\"episode_time\": 10, \"seed\": 1}}" \
  "http://127.0.0.1:$port/api/v1/testing/start")
run_id=$(echo "$started" | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d.get("id") or d.get("run_id") or d.get("test_id") or "")' 2>/dev/null || true)
[ -n "$run_id" ] || fail "POST /api/v1/testing/start: $started"
echo "POST /api/v1/testing/start -> $run_id"
run_status=
for _ in $(seq 120); do
  run_status=$(curl -s "${auth[@]}" "http://127.0.0.1:$port/api/v1/testing/$run_id/status" | python3 -c 'import json, sys; print(json.load(sys.stdin).get("status", ""))' 2>/dev/null || true)
  case "$run_status" in completed|failed|stopped) break ;; esac
  sleep 1
done
[ "$run_status" = completed ] || { p logs "$container-worker" 2>&1 | tail -n 20 >&2; fail "the run ended as '$run_status'"; }
echo "run $run_id -> $run_status (played by the worker container)"
curl -s "http://127.0.0.1:$wport/metrics" | grep -E '^playtest_(runs_finished_total|agent_steps_total)' | head -n 3
p stop -t 30 "$container-worker" >/dev/null
echo "worker SIGTERM -> exit code $(p inspect -f '{{.State.ExitCode}}' "$container-worker")"

printf '\nOK: the Dockerfile'"'"'s agent-venv and runtime stages build with podman, and the image serves.\n'
