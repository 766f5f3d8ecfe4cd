#!/usr/bin/env bash
# RedisClient vs redis-benchmark: pipelined SET/GET ops/s against the same private redis-server in
# the same run. Prints a markdown table with the ratio (target >= 0.5).
#
# Usage: bench/redis/run.sh [requests=1000000] [pipeline=16] [clients=50] [rounds=7]
# REDIS_BENCH_BIN: a prebuilt RedisBench binary; otherwise it is built with `swift build -c release`.
set -euo pipefail

REQUESTS=${1:-1000000}
PIPELINE=${2:-16}
CLIENTS=${3:-50}
ROUNDS=${4:-7}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

for tool in redis-server redis-benchmark redis-cli; do
    command -v "$tool" >/dev/null || { echo "$tool not found: apt-get install redis-server redis-tools" >&2; exit 1; }
done

BIN=${REDIS_BENCH_BIN:-}
if [[ -z "$BIN" ]]; then
    (cd "$ROOT" && swift build -c release --product RedisBench >&2)
    BIN="$ROOT/.build/release/RedisBench"
fi

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
DATA=$(mktemp -d)
redis-server --port "$PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --dir "$DATA" --logfile "$DATA/redis.log" --pidfile "$DATA/redis.pid"
cleanup() {
    redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1 || true
    rm -rf "$DATA"
}
trap cleanup EXIT
for _ in $(seq 1 100); do
    redis-cli -p "$PORT" ping >/dev/null 2>&1 && break
    sleep 0.05
done

median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# Each round measures both sides back to back (alternating who goes first), and the ratio is taken
# per round: on a shared, busy machine, neighbouring measurements see the same load.
# Our side reports SET/GET once through the async API (RedisClient.pipeline) and once with the
# batches chained on the event loops (RedisConnection futures); both are compared with the same
# redis-benchmark figure of that round.
TESTS=(SET-async GET-async SET-eventloop GET-eventloop)
declare -A ours theirs ratios
for test in "${TESTS[@]}"; do ours[$test]=""; theirs[$test]=""; ratios[$test]=""; done
for round in $(seq 1 "$ROUNDS"); do
    order=("ours" "theirs")
    (( round % 2 == 0 )) && order=("theirs" "ours")
    declare -A round_ours=() round_theirs=()
    for side in "${order[@]}"; do
        if [[ $side == ours ]]; then
            while read -r test ops; do
                round_ours[$test]=$ops
            done < <("$BIN" "redis://127.0.0.1:$PORT/0" "$REQUESTS" "$PIPELINE" "$CLIENTS")
        else
            while IFS=, read -r test ops _; do
                test=${test//\"/}; ops=${ops//\"/}
                [[ $test == SET || $test == GET ]] && round_theirs[$test]=${ops%.*}
            done < <(redis-benchmark -p "$PORT" -n "$REQUESTS" -P "$PIPELINE" -c "$CLIENTS" -t set,get --csv)
        fi
    done
    for test in "${TESTS[@]}"; do
        reference=${round_theirs[${test%%-*}]}
        ours[$test]+="${round_ours[$test]} "
        theirs[$test]+="$reference "
        ratios[$test]+="$(awk -v o="${round_ours[$test]}" -v t="$reference" 'BEGIN { printf "%.3f", o / t }') "
        echo "round $round $test: RedisClient ${round_ours[$test]} ops/s, redis-benchmark $reference ops/s" >&2
    done
done

echo "| test (driver) | RedisClient ops/s (median) | redis-benchmark ops/s (median) | ratio (median of per-round ratios) | per-round ratios |"
echo "| --- | ---: | ---: | ---: | --- |"
for test in "${TESTS[@]}"; do
    o=$(tr ' ' '\n' <<<"${ours[$test]}" | grep . | median)
    t=$(tr ' ' '\n' <<<"${theirs[$test]}" | grep . | median)
    r=$(tr ' ' '\n' <<<"${ratios[$test]}" | grep . | median)
    echo "| ${test%%-*} (${test#*-}; -P $PIPELINE, -c $CLIENTS, n=$REQUESTS, $ROUNDS rounds) | $o | $t | $(printf "%.2f" "$r") | ${ratios[$test]% } |"
done
