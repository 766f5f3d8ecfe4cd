#!/usr/bin/env bash
# The scale-out shape of deploy/README.md on this machine, on loopback only, for real: PostgreSQL, Redis (AOF on),
# moto's S3 server, `playtest migrate`, N × `playtest serve --workers 0`, M × `playtest worker` and nginx with TLS in
# front of the servers (deploy/nginx-cluster.conf).
#
#   deploy/cluster.sh up                 start whatever is not running, wait until each part is healthy; a part
#                                        that is not healthy in time fails `up` with the tail of its log (what did
#                                        start stays up: `down` stops it)
#   deploy/cluster.sh status             one line per process: name, pid, port, state, health (exit 1 unless all ok)
#   deploy/cluster.sh down [--purge]     stop everything; --purge also deletes the cluster directory (the data)
#   deploy/cluster.sh restart NAME       stop and start one process (names: see `status`)
#   deploy/cluster.sh kill NAME          SIGKILL one process and all it started (its agents, its backends), for chaos
#   deploy/cluster.sh logs [-f] [NAME]   the tail of one log (-f follows it), or of every log
#   deploy/cluster.sh env                the variables a client needs (also in <dir>/cluster.env)
#
# Everything lives under ${PLAYTEST_CLUSTER_DIR:-/tmp/playtest-cluster}: logs/<name>.log, run/<name>.pid, pg/,
# redis/, s3/, data/<name>/ (each playtest process's PLAYTEST_DATA_DIR), tls/, nginx/, secrets.env, cluster.env.
# moto keeps objects in memory; its writes are recorded in s3/recording.jsonl and replayed when it starts, so the
# blobs outlive `down` (and `kill s3`) like the rows in PostgreSQL and the keys in Redis.
#
# Settings (environment; the ports and counts of the last `up` are kept in <dir>/layout.env for later commands):
#   PLAYTEST_BIN                    the binary (default .build/release/playtest of this checkout)
#   PLAYTEST_CLUSTER_BASE_PORT      28000: PostgreSQL +432, Redis +379, S3 +55, servers +81…, workers' metrics
#                                   +101…, nginx http +80 and https +443; each also PLAYTEST_CLUSTER_{PG,REDIS,S3,
#                                   SERVE,WORKER_METRICS,HTTP,HTTPS}_PORT. Keep them below the ephemeral range.
#   PLAYTEST_CLUSTER_SERVERS / _WORKERS   2 and 2
#   PLAYTEST_CLUSTER_TIMEOUT        seconds each process gets to become healthy (60)
#   PLAYTEST_ADMIN_EMAIL / PLAYTEST_ADMIN_PASSWORD / PLAYTEST_JWT_SECRET   generated at the first `up` when unset
#   PLAYTEST_PYTHON                 the agent runtime's interpreter, also runs moto (default .venv/bin/python)
#   PLAYTEST_LOG_FORMAT             the playtest processes' log lines (json unless set)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${PLAYTEST_CLUSTER_DIR:-/tmp/playtest-cluster}
case $dir in /*) ;; *) dir="$PWD/$dir" ;; esac

# A layout saved by an earlier `up` fills in what the environment does not say.
if [ -f "$dir/layout.env" ]; then
  # shellcheck disable=SC1091
  . "$dir/layout.env"
fi
# Below Linux's ephemeral range (ip_local_port_range, 32768-60999 by default): a port inside it can be the local end
# of any outgoing connection (or its TIME-WAIT) at the moment a process wants to listen on it, which then fails with
# "Address already in use". The numbers of the block are those of the 58000 example, with 28 in front.
base=${PLAYTEST_CLUSTER_BASE_PORT:-28000}
pg_port=${PLAYTEST_CLUSTER_PG_PORT:-$((base + 432))}
redis_port=${PLAYTEST_CLUSTER_REDIS_PORT:-$((base + 379))}
s3_port=${PLAYTEST_CLUSTER_S3_PORT:-$((base + 55))}
serve_port=${PLAYTEST_CLUSTER_SERVE_PORT:-$((base + 81))}
metrics_port=${PLAYTEST_CLUSTER_WORKER_METRICS_PORT:-$((base + 101))}
http_port=${PLAYTEST_CLUSTER_HTTP_PORT:-$((base + 80))}
https_port=${PLAYTEST_CLUSTER_HTTPS_PORT:-$((base + 443))}
servers=${PLAYTEST_CLUSTER_SERVERS:-2}
workers=${PLAYTEST_CLUSTER_WORKERS:-2}
timeout=${PLAYTEST_CLUSTER_TIMEOUT:-60}

bin=${PLAYTEST_BIN:-.build/release/playtest}
case $bin in
  /*) ;;
  *) if [ -x "$PWD/$bin" ]; then bin="$PWD/$bin"; else bin="$repo/$bin"; fi ;;
esac
python=${PLAYTEST_PYTHON:-$repo/.venv/bin/python}
case $python in /*) ;; *) python="$repo/$python" ;; esac
agent_dir=${PLAYTEST_AGENT_DIR:-$repo/agent}
public_dir="$repo/Public"
bucket=playtest-cluster
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)

log() { echo "cluster: $*" >&2; }
die() { echo "cluster: error: $*" >&2; exit 1; }

names() {
  local i
  printf '%s\n' postgres redis s3
  for ((i = 1; i <= servers; i++)); do echo "serve-$i"; done
  for ((i = 1; i <= workers; i++)); do echo "worker-$i"; done
  echo nginx
}

# Not `names | grep -q`: under pipefail an early grep exit kills `names` with SIGPIPE and reads as "unknown".
known() { local all; all=$(names); grep -qx -- "$1" <<<"$all"; }
logfile() { echo "$dir/logs/$1.log"; }
pidfile() { echo "$dir/run/$1.pid"; }
index_of() { echo "${1##*-}"; }

port_of() {
  case $1 in
    postgres) echo "$pg_port" ;;
    redis) echo "$redis_port" ;;
    s3) echo "$s3_port" ;;
    serve-*) echo $((serve_port + $(index_of "$1") - 1)) ;;
    worker-*) if worker_has_metrics; then echo $((metrics_port + $(index_of "$1") - 1)); else echo -; fi ;;
    nginx) echo "$http_port,$https_port" ;;
  esac
}

# What the process's command line must contain, so a recycled pid is not taken for ours.
signature() {
  case $1 in
    postgres) echo "postgres" ;;
    redis) echo "redis-server" ;;
    s3) echo "moto.server" ;;
    serve-*) echo "serve --workers 0" ;;
    worker-*) echo "worker --concurrency" ;;
    nginx) echo "nginx" ;;
  esac
}

_worker_metrics=
worker_has_metrics() {
  if [ -z "$_worker_metrics" ]; then
    if [ -x "$bin" ] && "$bin" worker --help 2>&1 | grep -q -- '--metrics-port'; then _worker_metrics=yes; else _worker_metrics=no; fi
  fi
  [ "$_worker_metrics" = yes ]
}

# The pid of NAME when it is running (and is what we started), else nothing and status 1.
pid_of() {
  local name=$1 file pid
  file=$(pidfile "$name")
  [ "$name" = postgres ] && [ -f "$dir/pg/data/postmaster.pid" ] && file="$dir/pg/data/postmaster.pid"
  [ -f "$file" ] || return 1
  pid=$(head -n 1 "$file" 2>/dev/null | tr -dc '0-9')
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$(signature "$name")" || return 1
  echo "$pid"
}

port_busy() {
  if command -v ss >/dev/null; then
    ss -Hltn "( sport = :$1 )" 2>/dev/null | grep -q .
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$@" 2>/dev/null || true; }

# "ok", or what is wrong; status 0 only for ok.
health_of() {
  local name=$1 code pid
  case $name in
    postgres) "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port" -U playtest -d postgres && echo ok && return 0; echo "not ready" ;;
    redis) [ "$(redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null)" = PONG ] && echo ok && return 0; echo "no PONG" ;;
    s3) code=$(http_code "http://127.0.0.1:$s3_port/"); [ "$code" = 200 ] && echo ok && return 0; echo "http $code" ;;
    serve-*)
      code=$(http_code "http://127.0.0.1:$(port_of "$name")/api/v1/health")
      [ "$code" = 200 ] && echo ok && return 0; echo "health $code" ;;
    worker-*)
      pid=$(pid_of "$name") || { echo "not running"; return 1; }
      # Only a worker started with --metrics-port (a binary that has it) answers /health.
      if ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- '--metrics-port'; then
        echo "ok (alive; no metrics port)"
        return 0
      fi
      code=$(http_code "http://127.0.0.1:$(port_of "$name")/health")
      [ "$code" = 200 ] && echo ok && return 0; echo "health $code" ;;
    nginx)
      code=$(http_code -k "https://127.0.0.1:$https_port/api/v1/health")
      [ "$code" = 200 ] && echo ok && return 0; echo "https health $code" ;;
  esac
  return 1
}

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Runs a command in its own session (so that it outlives this script and the terminal),
# in the checkout (Public/, agent/), appending to its log; records its pid.
spawn() {
  local name=$1; shift
  local out
  out=$(logfile "$name")
  echo "=== $(date -u +%FT%TZ) starting: $*" | sed -E 's/(PASSWORD|SECRET|SECRET_KEY)=[^ ]*/\1=***/g' >>"$out"
  (cd "$repo" && exec nohup setsid "$@" >>"$out" 2>&1 </dev/null) &
  echo $! >"$(pidfile "$name")"
}

fail_with_log() {
  local name=$1 why=$2
  echo "cluster: error: $name $why" >&2
  echo "---- last lines of $(logfile "$name") ----" >&2
  tail -n 40 "$(logfile "$name")" >&2 2>/dev/null || echo "(no log)" >&2
  echo "----" >&2
  if tail -n 40 "$(logfile "$name")" 2>/dev/null | grep -qi 'address already in use'; then
    echo "cluster: hint: nothing listens there, but a port inside the ephemeral range ($(ephemeral_range)) can be the" \
      "local end of a connection; choose PLAYTEST_CLUSTER_BASE_PORT so the block lies below it (default 28000)" >&2
  fi
  exit 1
}

ephemeral_range() { tr -s '\t ' '-' </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo "32768-60999"; }

# Says once which of the configured ports lie inside the ephemeral range.
warn_ephemeral_ports() {
  local low high port inside=""
  read -r low high </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || return 0
  for port in $pg_port $redis_port $s3_port $http_port $https_port \
    $(seq "$serve_port" $((serve_port + servers - 1))) $(seq "$metrics_port" $((metrics_port + workers - 1))); do
    if [ "$port" -ge "$low" ] && [ "$port" -le "$high" ]; then inside+=" $port"; fi
  done
  [ -z "$inside" ] || log "note: ports$inside lie in the ephemeral range $low-$high; a start can fail with" \
    "'Address already in use' when an outgoing connection holds one (PLAYTEST_CLUSTER_BASE_PORT below $low avoids it)"
}

wait_healthy() {
  local name=$1 deadline=$((SECONDS + timeout)) said
  while :; do
    # The pid file names the subshell that execs the process: until the exec its command line is bash's, so only
    # the pid's being alive is asked here (pid_of also checks the command line, and raced the exec).
    if [ "$name" != postgres ] && ! kill -0 "$(head -n 1 "$(pidfile "$name")" 2>/dev/null | tr -dc '0-9')" 2>/dev/null; then
      fail_with_log "$name" "exited while starting"
    fi
    said=$(health_of "$name") && { log "$name is up (pid $(pid_of "$name"))"; return 0; }
    [ $SECONDS -lt $deadline ] || fail_with_log "$name" "is not healthy after ${timeout}s ($said)"
    sleep 0.2
  done
}

require_port_free() {
  local name=$1 port
  for port in $(port_of "$name" | tr ',' ' '); do
    [ "$port" = - ] && continue
    if port_busy "$port"; then
      die "$name cannot start: port $port is already in use by another process (not this cluster's $name); free it or set PLAYTEST_CLUSTER_BASE_PORT"
    fi
  done
}

# ---- secrets and layout --------------------------------------------------------------------------------------------

load_secrets() {
  local file="$dir/secrets.env" key value
  if [ -f "$file" ]; then
    while IFS='=' read -r key value; do
      case $key in
        PLAYTEST_JWT_SECRET) jwt_secret=${PLAYTEST_JWT_SECRET:-$value} ;;
        PLAYTEST_ADMIN_EMAIL) admin_email=${PLAYTEST_ADMIN_EMAIL:-$value} ;;
        PLAYTEST_ADMIN_PASSWORD) admin_password=${PLAYTEST_ADMIN_PASSWORD:-$value} ;;
      esac
    done <"$file"
  fi
  jwt_secret=${jwt_secret:-${PLAYTEST_JWT_SECRET:-$(openssl rand -hex 32)}}
  admin_email=${admin_email:-${PLAYTEST_ADMIN_EMAIL:-admin@playtest.test}}
  admin_password=${admin_password:-${PLAYTEST_ADMIN_PASSWORD:-$(openssl rand -base64 24 | tr -dc 'A-Za-z0-9' | head -c 24)}}
  [ ${#jwt_secret} -ge 32 ] || die "PLAYTEST_JWT_SECRET must be at least 32 bytes"
  (umask 077 && printf 'PLAYTEST_JWT_SECRET=%s\nPLAYTEST_ADMIN_EMAIL=%s\nPLAYTEST_ADMIN_PASSWORD=%s\n' \
    "$jwt_secret" "$admin_email" "$admin_password" >"$file")
}

save_layout() {
  {
    echo "# deploy/cluster.sh: the layout of this cluster (the environment still wins)"
    for pair in PG_PORT=$pg_port REDIS_PORT=$redis_port S3_PORT=$s3_port SERVE_PORT=$serve_port \
      WORKER_METRICS_PORT=$metrics_port HTTP_PORT=$http_port HTTPS_PORT=$https_port SERVERS=$servers WORKERS=$workers; do
      echo ": \"\${PLAYTEST_CLUSTER_${pair%%=*}:=${pair#*=}}\""
    done
  } >"$dir/layout.env"
}

# The environment of every playtest process.
playtest_env() {
  local name=$1
  echo "DATABASE_URL=postgres://playtest@127.0.0.1:$pg_port/playtest"
  echo "REDIS_URL=redis://127.0.0.1:$redis_port/0"
  echo "S3_ENDPOINT=http://127.0.0.1:$s3_port"
  echo "S3_BUCKET=$bucket"
  echo "S3_REGION=us-east-1"
  echo "S3_ACCESS_KEY=cluster"
  echo "S3_SECRET_KEY=cluster-secret"
  echo "PLAYTEST_DATA_DIR=$dir/data/$name"
  echo "PLAYTEST_PYTHON=$python"
  echo "PLAYTEST_AGENT_DIR=$agent_dir"
  echo "PLAYTEST_JWT_SECRET=$jwt_secret"
  echo "PLAYTEST_ADMIN_EMAIL=$admin_email"
  echo "PLAYTEST_ADMIN_PASSWORD=$admin_password"
  echo "PLAYTEST_SECURE_COOKIES=1"
  echo "PLAYTEST_LOG_FORMAT=${PLAYTEST_LOG_FORMAT:-json}"
}

run_playtest() {
  local name=$1; shift
  local -a vars
  mapfile -t vars < <(playtest_env "$name")
  mkdir -p "$dir/data/$name"
  env -u HOST -u PORT "${vars[@]}" "$bin" "$@"
}

# ---- starting ------------------------------------------------------------------------------------------------------

start_postgres() {
  [ -n "$pg_bin" ] || die "PostgreSQL is not installed (apt-get install postgresql)"
  local data="$dir/pg/data" out
  out=$(logfile postgres)
  mkdir -p "$dir/pg/socket"
  touch "$out"
  if [ "$(id -u)" = 0 ]; then chown -R postgres "$dir/pg" "$out"; fi
  if [ ! -f "$data/PG_VERSION" ]; then
    log "initdb $data"
    as_pg "$pg_bin/initdb" -D "$data" -U playtest --auth=trust -E UTF8 >>"$out" 2>&1 || fail_with_log postgres "initdb failed"
  fi
  as_pg "$pg_bin/pg_ctl" -D "$data" -l "$out" -w -t "$timeout" \
    -o "-p $pg_port -k $dir/pg/socket -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null 2>&1 \
    || fail_with_log postgres "did not start"
  head -n 1 "$data/postmaster.pid" >"$(pidfile postgres)"
}

ensure_database() {
  as_pg "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U playtest -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='playtest'" \
    | grep -q 1 || as_pg "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U playtest playtest \
    || fail_with_log postgres "cannot create the database playtest"
}

start_redis() {
  command -v redis-server >/dev/null || die "redis-server is not installed (apt-get install redis-server)"
  mkdir -p "$dir/redis"
  spawn redis redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$dir/redis" \
    --appendonly yes --appendfsync everysec --daemonize no
}

# moto keeps objects in memory. To keep them across `down`/`up` (and `kill s3`), it runs with its request recorder on,
# limited to the requests that change something, into s3/recording.jsonl. The launcher replays that file into moto's
# backends in-process before the server listens: replayed over HTTP after the start, clients retrying in between met a
# bucket not made yet (NoSuchBucket), which no real S3 answers after an outage. moto serves requests on threads and
# its recorder appends without a lock, so concurrent writes would interleave their lines; the launcher adds the lock.
# It keeps the lines that parse (a SIGKILL can cut the last one short) and says how many it dropped.
moto_launcher='
import base64, json, os, sys, threading, time
from urllib.parse import urlparse
from moto.moto_api import recorder
from moto.moto_api._internal.recorder.models import Recorder
record_all = Recorder._record_request
lock = threading.Lock()
def record_writes(self, request, body=None):
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        with lock:
            record_all(self, request, body)
Recorder._record_request = record_writes
from moto.server import main
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.test import Client
path = os.environ.get("MOTO_RECORDER_FILEPATH", "")
if os.path.exists(path) and os.path.getsize(path) > 0:
    started, kept, dropped = time.monotonic(), [], 0
    with open(path, "rb") as source:
        for line in source:
            try:
                kept.append(json.loads(line))
            except ValueError:
                dropped += 1
    with open(path + ".new", "wb") as target:
        for row in kept:
            target.write(json.dumps(row).encode() + b"\n")
    os.replace(path + ".new", path)
    enabled = recorder._user_enabled
    recorder._user_enabled = False
    client = Client(DomainDispatcherApplication(create_backend_app))
    for row in kept:
        body = row.get("body") or ""
        if row.get("body_encoded"):
            body = base64.b64decode(body)
        headers = {k: v for k, v in (row.get("headers") or {}).items() if k.lower() != "transfer-encoding"}
        url = urlparse(row["url"])
        client.open(url.path, method=row["method"], query_string=url.query, headers=headers, data=body)
    recorder._user_enabled = enabled
    print(f"cluster: s3: replayed {len(kept)} recorded writes in {time.monotonic() - started:.1f}s"
          + (f", dropped {dropped} unreadable line(s)" if dropped else ""), flush=True)
main(sys.argv[1:])
'

start_s3() {
  "$python" -c "import moto.server" 2>/dev/null || die "moto[server] is not installed in $python (make venv)"
  mkdir -p "$dir/s3"
  spawn s3 env MOTO_ENABLE_RECORDING=1 MOTO_RECORDER_FILEPATH="$dir/s3/recording.jsonl" \
    "$python" -c "$moto_launcher" -H 127.0.0.1 -p "$s3_port"
}


start_serve() {
  local name=$1
  local -a vars
  mapfile -t vars < <(playtest_env "$name")
  mkdir -p "$dir/data/$name"
  spawn "$name" env -u HOST -u PORT "${vars[@]}" "$bin" serve --workers 0 --host 127.0.0.1 --port "$(port_of "$name")"
}

start_worker() {
  local name=$1
  local -a vars extra=()
  mapfile -t vars < <(playtest_env "$name")
  mkdir -p "$dir/data/$name"
  if worker_has_metrics; then extra=(--metrics-port "$(port_of "$name")"); fi
  spawn "$name" env -u HOST -u PORT "${vars[@]}" "$bin" worker --concurrency 1 "${extra[@]}"
}

ensure_nginx_installed() {
  command -v nginx >/dev/null && return 0
  [ -x /usr/sbin/nginx ] && return 0
  [ "$(id -u)" = 0 ] || die "nginx is not installed (as root: apt-get update && apt-get install -y nginx)"
  log "installing nginx (apt-get)"
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx; } >>"$(logfile nginx)" 2>&1 \
    || fail_with_log nginx "could not be installed with apt-get"
}

nginx_bin() { command -v nginx || echo /usr/sbin/nginx; }

make_certificate() {
  [ -s "$dir/tls/cert.pem" ] && [ -s "$dir/tls/key.pem" ] && return 0
  local said
  mkdir -p "$dir/tls"
  said=$(openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$dir/tls/key.pem" -out "$dir/tls/cert.pem" 2>&1) || {
    echo "$said" >>"$(logfile nginx)"
    fail_with_log nginx "openssl could not make the certificate"
  }
  log "made a self-signed certificate for localhost: $dir/tls/cert.pem"
  chmod 600 "$dir/tls/key.pem"
}

render_nginx_conf() {
  local template="$repo/deploy/nginx-cluster.conf" text upstream="" user="" i
  [ -f "$template" ] || die "missing $template"
  for ((i = 1; i <= servers; i++)); do
    upstream+="        server 127.0.0.1:$((serve_port + i - 1)) max_fails=1 fail_timeout=5s;"$'\n'
  done
  if [ "$(id -u)" = 0 ]; then
    # Workers drop root; they read Public/ and write the temporary folders (nginx chowns those to them).
    if id www-data >/dev/null 2>&1 && runuser -u www-data -- test -r "$public_dir/app.css" 2>/dev/null; then
      user="user www-data;"
    elif id nobody >/dev/null 2>&1 && runuser -u nobody -- test -r "$public_dir/app.css" 2>/dev/null; then
      user="user nobody $(id -gn nobody);"
    else
      user="user root;   # no unprivileged user can read $public_dir"
    fi
  fi
  text=$(<"$template")
  text=${text//@USER_DIRECTIVE@/$user}
  text=${text//@CLUSTER_DIR@/$dir}
  text=${text//@HTTP_PORT@/$http_port}
  text=${text//@HTTPS_PORT@/$https_port}
  text=${text//@PUBLIC_DIR@/$public_dir}
  text=${text//@UPSTREAM_SERVERS@/${upstream%$'\n'}}
  mkdir -p "$dir/nginx/tmp"
  printf '# Generated by deploy/cluster.sh from deploy/nginx-cluster.conf; edits are overwritten by `up`.\n%s\n' "$text" \
    >"$dir/nginx/nginx.conf.new"
  "$(nginx_bin)" -t -q -p "$dir/nginx/" -c "$dir/nginx/nginx.conf.new" -e "$(logfile nginx)" >>"$(logfile nginx)" 2>&1 \
    || fail_with_log nginx "configuration $dir/nginx/nginx.conf.new does not pass nginx -t"
  if [ -f "$dir/nginx/nginx.conf" ] && cmp -s "$dir/nginx/nginx.conf" "$dir/nginx/nginx.conf.new"; then
    rm -f "$dir/nginx/nginx.conf.new"
    return 1
  fi
  mv "$dir/nginx/nginx.conf.new" "$dir/nginx/nginx.conf"
  return 0
}

start_nginx() {
  spawn nginx "$(nginx_bin)" -p "$dir/nginx/" -c "$dir/nginx/nginx.conf" -e "$(logfile nginx)"
}

start_one() {
  local name=$1
  case $name in
    postgres) start_postgres ;;
    redis) start_redis ;;
    s3) start_s3 ;;
    serve-*) start_serve "$name" ;;
    worker-*) start_worker "$name" ;;
    nginx) ensure_nginx_installed; make_certificate; render_nginx_conf || true; start_nginx ;;
  esac
}

# Starts NAMEs that are not running (together), then waits until each is healthy.
start_group() {
  local name started=" "
  for name in "$@"; do
    if pid_of "$name" >/dev/null; then
      log "$name already running (pid $(pid_of "$name"))"
    else
      require_port_free "$name"
      log "starting $name"
      start_one "$name"
      started+="$name "
    fi
  done
  for name in "$@"; do wait_healthy "$name"; done
}

migrate() {
  log "playtest migrate"
  run_playtest migrate migrate >>"$(logfile migrate)" 2>&1 || fail_with_log migrate "failed"
}

write_client_env() {
  (umask 077 && cat >"$dir/cluster.env" <<EOF
# Written by deploy/cluster.sh up: what a client of this cluster needs (\`set -a; . $dir/cluster.env; set +a\`).
PLAYTEST_URL=https://127.0.0.1:$https_port
PLAYTEST_HTTP_URL=http://127.0.0.1:$http_port
PLAYTEST_CA_CERT=$dir/tls/cert.pem
PLAYTEST_ADMIN_EMAIL=$admin_email
PLAYTEST_ADMIN_PASSWORD=$admin_password
# The engines, for the command line against this cluster (playtest user list, playtest queue ...):
DATABASE_URL=postgres://playtest@127.0.0.1:$pg_port/playtest
REDIS_URL=redis://127.0.0.1:$redis_port/0
S3_ENDPOINT=http://127.0.0.1:$s3_port
S3_BUCKET=$bucket
S3_REGION=us-east-1
S3_ACCESS_KEY=cluster
S3_SECRET_KEY=cluster-secret
EOF
  )
}

cmd_up() {
  [ -x "$bin" ] || die "no playtest binary at $bin (swift build -c release, or set PLAYTEST_BIN)"
  [ -x "$python" ] || die "no Python at $python (make venv, or set PLAYTEST_PYTHON)"
  command -v curl >/dev/null || die "curl is needed"
  command -v openssl >/dev/null || die "openssl is needed"
  local started=$SECONDS i name serve_names=() worker_names=()
  mkdir -p "$dir/logs" "$dir/run" "$dir/data"
  chmod 755 "$dir"
  touch "$dir/.playtest-cluster"
  save_layout
  load_secrets
  warn_ephemeral_ports

  start_group postgres redis s3
  ensure_database
  migrate
  for ((i = 1; i <= servers; i++)); do serve_names+=("serve-$i"); done
  for ((i = 1; i <= workers; i++)); do worker_names+=("worker-$i"); done
  start_group "${serve_names[@]}" "${worker_names[@]}"

  ensure_nginx_installed
  make_certificate
  if render_nginx_conf && pid_of nginx >/dev/null; then
    log "nginx configuration changed: reloading"
    kill -HUP "$(pid_of nginx)"
  fi
  start_group nginx
  # Scaled down (fewer PLAYTEST_CLUSTER_SERVERS or _WORKERS than last time): the extra ones stop, once nginx no
  # longer sends them anything.
  for name in $(all_names); do
    if ! known "$name" && pid_of "$name" >/dev/null; then
      log "stopping $name (beyond PLAYTEST_CLUSTER_SERVERS=$servers / PLAYTEST_CLUSTER_WORKERS=$workers)"
      stop_signal "$name"
      stop_wait "$name"
    fi
  done

  write_client_env
  log "cluster up in $((SECONDS - started))s; $dir/cluster.env:"
  grep -E '^PLAYTEST_(URL|HTTP_URL|CA_CERT|ADMIN_EMAIL|ADMIN_PASSWORD)=' "$dir/cluster.env"
}

# ---- stopping ------------------------------------------------------------------------------------------------------

wait_gone() {
  local pid=$1 seconds=$2 deadline
  deadline=$((SECONDS + seconds))
  while kill -0 "$pid" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}

# Sends the polite signal; returns at once (stop_wait finishes the job).
stop_signal() {
  local name=$1 pid
  pid=$(pid_of "$name") || return 0
  case $name in
    postgres) as_pg "$pg_bin/pg_ctl" -D "$dir/pg/data" -m fast stop -W >/dev/null 2>&1 || true ;;
    redis) redis-cli -h 127.0.0.1 -p "$redis_port" shutdown >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true ;;
    nginx) kill -QUIT "$pid" 2>/dev/null || true ;;
    *) kill -TERM "$pid" 2>/dev/null || true ;;
  esac
}

stop_wait() {
  local name=$1 pid grace=30
  if ! pid=$(pid_of "$name"); then
    [ -f "$(pidfile "$name")" ] && log "$name stopped"
    rm -f "$(pidfile "$name")"
    return 0
  fi
  # Workers give running jobs --grace (10 s) before releasing them; the rest should be quick.
  case $name in worker-*) grace=30 ;; nginx|s3|redis) grace=10 ;; esac
  if ! wait_gone "$pid" "$grace"; then
    log "$name (pid $pid) did not stop within ${grace}s: SIGKILL"
    kill_tree "$pid"
    wait_gone "$pid" 5 || true
  fi
  rm -f "$(pidfile "$name")"
  log "$name stopped"
}

descendants() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    echo "$child"
    descendants "$child"
  done
}

# SIGKILL to a process and everything it started, as if its machine had died. A process group is not enough: the
# worker starts each agent in a session of its own, and so does PostgreSQL each backend.
kill_tree() {
  local pid=$1 victims
  victims=$(descendants "$pid")
  kill -KILL "$pid" 2>/dev/null || true
  for pid in $victims; do kill -KILL "$pid" 2>/dev/null || true; done
}

all_names() {
  { names; ls "$dir/run" 2>/dev/null | sed -n 's/\.pid$//p'; } | awk '!seen[$0]++'
}

cmd_down() {
  local purge=no name group
  [ "${1:-}" = --purge ] && purge=yes
  if [ -d "$dir" ]; then
    # Front to back: nginx, then the servers and workers together, then the engines.
    for group in "nginx" "serve- worker-" "s3" "redis" "postgres"; do
      local members=()
      while read -r name; do
        for prefix in $group; do
          case $name in "$prefix"*) members+=("$name") ;; esac
        done
      done < <(all_names)
      for name in "${members[@]}"; do stop_signal "$name"; done
      for name in "${members[@]}"; do stop_wait "$name"; done
    done
  fi
  if [ $purge = yes ] && [ -d "$dir" ]; then
    case $dir in /|/tmp|/root|/home|"$repo") die "refusing to delete $dir" ;; esac
    [ -f "$dir/.playtest-cluster" ] || die "refusing to delete $dir: not a cluster directory (no .playtest-cluster)"
    rm -rf "$dir"
    log "deleted $dir"
  fi
}

# ---- one process ---------------------------------------------------------------------------------------------------

cmd_restart() {
  local name=${1:-}
  known "$name" || die "restart what? one of: $(names | tr '\n' ' ')"
  load_secrets
  stop_signal "$name"
  stop_wait "$name"
  start_group "$name"
}

cmd_kill() {
  local name=${1:-} pid
  known "$name" || die "kill what? one of: $(names | tr '\n' ' ')"
  pid=$(pid_of "$name") || die "$name is not running"
  kill_tree "$pid"
  wait_gone "$pid" 5 || die "$name (pid $pid) survived SIGKILL"
  log "killed $name (pid $pid and what it started: SIGKILL)"
}

cmd_status() {
  local name pid state health all_ok=0
  printf '%-10s %-8s %-12s %-6s %s\n' NAME PID PORT STATE HEALTH
  while read -r name; do
    if pid=$(pid_of "$name"); then
      state=up
      health=$(health_of "$name") || all_ok=1
      # The binary was rebuilt since this process started: `restart` it to run the new one.
      case $(readlink "/proc/$pid/exe" 2>/dev/null) in *" (deleted)") health+=" [runs a replaced binary]" ;; esac
    else
      pid=-; state=down; health=-; all_ok=1
    fi
    printf '%-10s %-8s %-12s %-6s %s\n' "$name" "$pid" "$(port_of "$name")" "$state" "$health"
  done < <(names)
  return $all_ok
}

cmd_logs() {
  local follow=no name file
  if [ "${1:-}" = -f ]; then follow=yes; shift; fi
  name=${1:-}
  if [ -n "$name" ]; then
    file=$(logfile "$name")
    [ -f "$file" ] || die "no log $file (logs: $(ls "$dir/logs" 2>/dev/null | sed 's/\.log$//' | tr '\n' ' '))"
    if [ $follow = yes ]; then exec tail -n 50 -F "$file"; else tail -n "${LOG_LINES:-100}" "$file"; fi
  else
    [ $follow = no ] || die "logs -f needs a name"
    for file in "$dir"/logs/*.log; do
      [ -f "$file" ] || continue
      echo "==> $file <=="
      tail -n "${LOG_LINES:-10}" "$file"
    done
  fi
}

case "${1:-}" in
  up) cmd_up ;;
  down) shift; cmd_down "$@" ;;
  status) cmd_status ;;
  restart) shift; cmd_restart "$@" ;;
  kill) shift; cmd_kill "$@" ;;
  logs) shift; cmd_logs "$@" ;;
  env) [ -f "$dir/cluster.env" ] || die "no $dir/cluster.env: run up first"; cat "$dir/cluster.env" ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
