#!/usr/bin/env bash
# Starts throwaway PostgreSQL, Redis and an S3-compatible server (moto) on loopback for the
# integration tests, and prints the variables that point the tests at them.
#
#   eval "$(scripts/test-services.sh start)"   # start and export PLAYTEST_TEST_*
#   scripts/test-services.sh stop
#
# Data lives under ${PLAYTEST_SERVICES_DIR:-/tmp/playtest-services} and is deleted on stop.
set -euo pipefail

dir=${PLAYTEST_SERVICES_DIR:-/tmp/playtest-services}
pg_port=${PLAYTEST_PG_PORT:-55432}
redis_port=${PLAYTEST_REDIS_PORT:-56379}
s3_port=${PLAYTEST_S3_PORT:-55055}
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

log() { echo "test-services: $*" >&2; }

start_postgres() {
  [ -n "$pg_bin" ] || { log "postgresql is not installed (apt-get install postgresql)"; return 1; }
  mkdir -p "$dir"
  local data="$dir/pg"
  if [ ! -f "$data/PG_VERSION" ]; then
    rm -rf "$data"; mkdir -p "$data"
    # initdb refuses to run as root; run the server as the postgres system user when we are root.
    if [ "$(id -u)" = 0 ]; then chown -R postgres "$dir"; fi
    as_pg "$pg_bin/initdb" -D "$data" -U playtest --auth=trust -E UTF8 >/dev/null
  fi
  if ! as_pg "$pg_bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    as_pg "$pg_bin/pg_ctl" -D "$data" -l "$dir/pg.log" -w -o "-p $pg_port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
  fi
  as_pg "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U playtest -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='playtest_test'" | grep -q 1 \
    || as_pg "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U playtest playtest_test
}

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_redis() {
  command -v redis-server >/dev/null || { log "redis-server is not installed (apt-get install redis-server)"; return 1; }
  mkdir -p "$dir/redis"
  if ! redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
    redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir/redis" --daemonize yes \
      --logfile "$dir/redis.log" --pidfile "$dir/redis.pid" >/dev/null
    for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
}

start_s3() {
  local python=${PLAYTEST_SERVICES_PYTHON:-.venv/bin/python}
  [ -x "$python" ] || python=python3
  "$python" -c "import moto.server" 2>/dev/null || { log "moto[server] is not installed in $python"; return 1; }
  if ! curl -s "http://127.0.0.1:$s3_port/" >/dev/null 2>&1; then
    nohup "$python" -m moto.server -H 127.0.0.1 -p "$s3_port" >"$dir/moto.log" 2>&1 &
    echo $! >"$dir/moto.pid"
    for _ in $(seq 100); do curl -s "http://127.0.0.1:$s3_port/" >/dev/null 2>&1 && break; sleep 0.1; done
  fi
}

case "${1:-}" in
  start)
    mkdir -p "$dir"
    start_postgres && echo "export PLAYTEST_TEST_DATABASE_URL=postgres://playtest@127.0.0.1:$pg_port/playtest_test"
    start_redis && echo "export PLAYTEST_TEST_REDIS_URL=redis://127.0.0.1:$redis_port/0"
    start_s3 && echo "export PLAYTEST_TEST_S3_ENDPOINT=http://127.0.0.1:$s3_port"
    ;;
  stop)
    [ -n "$pg_bin" ] && [ -f "$dir/pg/PG_VERSION" ] && as_pg "$pg_bin/pg_ctl" -D "$dir/pg" -m fast stop >/dev/null 2>&1 || true
    redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
    [ -f "$dir/moto.pid" ] && kill "$(cat "$dir/moto.pid")" 2>/dev/null || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
