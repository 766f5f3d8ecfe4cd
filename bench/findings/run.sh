#!/usr/bin/env bash
# Issue 14's bugs API figure: p99 < 20 ms under wrk -c16 with 100,000 findings. The findings (100 maps × 10 levels,
# 6 kinds, 3 severities, 5 statuses, one sighting each) are seeded straight into SQL after `playtest migrate`, on
# the embedded SQLite and on PostgreSQL (BENCH_DATABASE_URL, default: the test-services server's `playtest_test`
# database, in a database of its own), each served by `playtest serve --workers 0`. wrk -t2 -c16, each read on
# each engine, alternating, with GET /api/v1/auth/me (the cheapest authenticated route) as the floor:
#   first page       GET /api/v1/bugs                          (worst first over all 100k, with the counts)
#   one kind         GET /api/v1/bugs?kind=stuck
#   errors, open     GET /api/v1/bugs?severity=error&status=open
#   a search         GET /api/v1/bugs?q=hall                   (a sixth of the findings hold it)
#   a search for a number  GET /api/v1/bugs?q=4242              (a handful of findings hold it)
#   a map's level    GET /api/v1/bugs?level=MAP07&kind=death_hotspot
#   one finding      GET /api/v1/bugs/{id}                      (its sightings and comments)
#
# Usage: bench/findings/run.sh [seconds per wrk run] [rounds]
#   PLAYTEST=path/to/playtest   the binary (default: .build/release/playtest, built here unless SKIP_BUILD=1)
set -euo pipefail
cd "$(dirname "$0")/../.."
unset REDIS_URL DATABASE_URL
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
seconds=${1:-10}
rounds=${2:-2}
findings=${FINDINGS:-100000}
playtest=${PLAYTEST:-.build/release/playtest}
if [ -z "${SKIP_BUILD:-}" ] && [ -z "${PLAYTEST:-}" ]; then swift build -c release --product playtest >/dev/null; fi
base_url=${BENCH_DATABASE_URL:-${PLAYTEST_TEST_DATABASE_URL:-postgres://playtest@127.0.0.1:55432/playtest_test}}
pg_url="${base_url%/*}/bench_findings"
work=$(mktemp -d /tmp/ptb-findings-XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  psql "$base_url" -qc "DROP DATABASE IF EXISTS bench_findings" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

psql "$base_url" -qc "DROP DATABASE IF EXISTS bench_findings" -c "CREATE DATABASE bench_findings" >/dev/null
mkdir -p "$work/sqlite" "$work/postgres"
PLAYTEST_DATA_DIR="$work/sqlite" PLAYTEST_LOG_LEVEL=warning timeout 120 "$playtest" migrate | head -1
PLAYTEST_DATA_DIR="$work/postgres" DATABASE_URL="$pg_url" PLAYTEST_LOG_LEVEL=warning timeout 120 "$playtest" migrate | head -1

# The same rows on both engines: a CSV, loaded by sqlite3's executemany and by COPY.
python3 - "$work" "$findings" <<'PY'
import csv, random, sys, time
work, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(14)
kinds = [("missing_texture", "error", "map", "Linedef {i}: the front side's middle texture is missing, so players see a hall-of-mirrors smear there."),
         ("unknown_flat", "error", "map", "Sector {i} uses a flat no WAD defines."),
         ("overlapping_lines", "warning", "map", "Linedefs {i} and {j} overlap."),
         ("stuck", "warning", "play", "The player stayed within 48 units of this spot for 10.0 s."),
         ("out_of_bounds", "error", "play", "The player was outside every sector of the map here."),
         ("death_hotspot", "info", "play", "A player died here.")]
statuses = ["open"] * 6 + ["confirmed", "fixed", "wont_fix", "false_positive"]
now = time.time()
with open(f"{work}/findings.csv", "w", newline="") as f, open(f"{work}/sightings.csv", "w", newline="") as s:
    out, seen = csv.writer(f), csv.writer(s)
    for i in range(n):
        kind, severity, source, message = kinds[rng.randrange(len(kinds))]
        map_no, level = i % 100, f"MAP{(i // 100) % 10 + 1:02d}"
        at = now - rng.random() * 30 * 86400
        run = f"run_{rng.randrange(5000):05d}" if source == "play" else ""
        out.writerow([f"fnd_{i:020d}", f"map-{map_no:03d}", level, kind, severity, source, message.format(i=i, j=i + 1),
                      rng.uniform(-4000, 4000), rng.uniform(-4000, 4000), "", "", rng.choice(statuses), "", "", at, at,
                      rng.randint(1, 40), f"00000000-0000-0000-0000-{map_no:012d}", run, 0 if run else "", rng.randrange(20000) if run else ""])
        seen.writerow([f"fnd_{i:020d}", f"run:{run}:0:{i}" if run else f"map:{map_no}", f"00000000-0000-0000-0000-{map_no:012d}",
                       run, 0 if run else "", i if run else "", 0.0, 0.0, at])
PY
python3 - "$work/sqlite/playtest.sqlite" "$work" <<'PY'
import csv, sys
db = __import__("sqlite3").connect(sys.argv[1])
null = lambda row: [None if v == "" else v for v in row]
rank = {"error": 0, "warning": 1, "info": 2}
db.executemany("INSERT INTO findings (id, map_name, level, kind, severity, source, message, x, y, sector, line, status, status_by, status_at, "
               "first_seen, last_seen, occurrences, last_map_id, last_run_id, last_episode, last_tic, severity_rank) VALUES (" + ",".join("?" * 22) + ")",
               (null(r) + [rank[r[4]]] for r in csv.reader(open(sys.argv[2] + "/findings.csv"))))
db.execute("INSERT INTO finding_counts SELECT map_name, level, kind, severity, status, COUNT(*) FROM findings GROUP BY 1, 2, 3, 4, 5")
db.execute("INSERT INTO finding_counts SELECT '', '', kind, severity, status, COUNT(*) FROM findings GROUP BY 3, 4, 5")  # over every map
db.executemany("INSERT INTO finding_sightings VALUES (" + ",".join("?" * 9) + ")", (null(r) for r in csv.reader(open(sys.argv[2] + "/sightings.csv"))))
db.commit()
print(f"sqlite: {db.execute('SELECT COUNT(*) FROM findings').fetchone()[0]} findings")
PY
psql "$pg_url" -q <<SQL
CREATE TEMP TABLE f (id text, map_name text, level text, kind text, severity text, source text, message text, x float8, y float8,
  sector bigint, line bigint, status text, status_by text, status_at float8, first_seen float8, last_seen float8, occurrences bigint,
  last_map_id text, last_run_id text, last_episode bigint, last_tic bigint);
\copy f FROM '$work/findings.csv' WITH (FORMAT csv)
INSERT INTO findings (id, map_name, level, kind, severity, source, message, x, y, sector, line, status, status_by, status_at, first_seen,
  last_seen, occurrences, last_map_id, last_run_id, last_episode, last_tic, severity_rank)
SELECT id, map_name, level, kind, severity, source, message, x, y, sector, line, status, status_by, NULL,
  to_timestamp(first_seen), to_timestamp(last_seen), occurrences, last_map_id, NULLIF(last_run_id, ''), last_episode, last_tic,
  CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END FROM f;
INSERT INTO finding_counts SELECT map_name, level, kind, severity, status, COUNT(*) FROM findings GROUP BY 1, 2, 3, 4, 5;
INSERT INTO finding_counts SELECT '', '', kind, severity, status, COUNT(*) FROM findings GROUP BY 3, 4, 5;
CREATE TEMP TABLE s (finding_id text, sighting text, map_id text, run_id text, episode bigint, tic bigint, x float8, y float8, seen_at float8);
\copy s FROM '$work/sightings.csv' WITH (FORMAT csv)
INSERT INTO finding_sightings SELECT finding_id, sighting, map_id, NULLIF(run_id, ''), episode, tic, x, y, to_timestamp(seen_at) FROM s;
ANALYZE findings; ANALYZE finding_sightings;
SQL
echo "postgres: $(psql "$pg_url" -tAc 'SELECT COUNT(*) FROM findings') findings"

start() {  # name data-dir [env…] → url_<name>
  local name=$1 data=$2 port; shift 2
  port=$(free_port)
  env PLAYTEST_DATA_DIR="$data" PORT=$port PLAYTEST_LOG_LEVEL=warning PLAYTEST_ADMIN_EMAIL=bench@example.com \
    PLAYTEST_ADMIN_PASSWORD=bench-password PLAYTEST_RATE_LIMIT=100000000 PLAYTEST_RATE_LIMIT_IP=100000000 "$@" \
    "$playtest" serve --workers 0 >"$work/serve-$name.log" 2>&1 &
  pids+=($!)
  local pid=$! deadline=$((SECONDS + 120))
  until curl -sf -m 5 "http://127.0.0.1:$port/api/v1/health" >/dev/null; do
    kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ] || { cat "$work/serve-$name.log" >&2; exit 1; }
    sleep 0.2
  done
  printf -v "url_$name" '%s' "http://127.0.0.1:$port"
}
start sqlite "$work/sqlite"
start postgres "$work/postgres" DATABASE_URL="$pg_url"
key_sqlite=$(.venv/bin/python bench/api_key.py "$url_sqlite" bench@example.com bench-password)
key_postgres=$(.venv/bin/python bench/api_key.py "$url_postgres" bench@example.com bench-password)
for engine in sqlite postgres; do
  url=url_$engine; key=key_$engine
  echo "$engine: $(curl -sf -H "X-API-Key: ${!key}" "${!url}/api/v1/bugs?limit=1" | python3 -c 'import json,sys; b=json.load(sys.stdin); print(b["total"], "findings,", b["by_severity"])')"
done

reads=("first page|/api/v1/bugs" "one kind|/api/v1/bugs?kind=stuck" "errors, open|/api/v1/bugs?severity=error&status=open"
       "a search|/api/v1/bugs?q=hall" "a search for a number|/api/v1/bugs?q=4242"
       "a map's level|/api/v1/bugs?level=MAP07&kind=death_hotspot"
       "one finding|/api/v1/bugs/fnd_00000000000000004242" "floor: auth/me|/api/v1/auth/me")
: > "$work/rows"
echo "wrk -t2 -c16 -d${seconds}s --latency, $rounds rounds"
for r in $(seq "$rounds"); do
  for engine in $( [ $((r % 2)) = 1 ] && echo "sqlite postgres" || echo "postgres sqlite"); do
    url=url_$engine; key=key_$engine
    for entry in "${reads[@]}"; do
      IFS='|' read -r name path <<<"$entry"
      line=$(timeout $((seconds + 30)) wrk -t2 -c16 -d"${seconds}s" --latency -H "X-API-Key: ${!key}" "${!url}$path" | python3 bench/wrk_summary.py)
      echo "$engine|$name|$line" >> "$work/rows"
      echo "  round $r: $engine $name $line" >&2
    done
  done
done
python3 - "$work/rows" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    engine, read, figures = line.rstrip("\n").split("|")
    rows.setdefault((engine, read), []).append(tuple(map(float, figures.split())))
print("| engine | read | p50 ms | p99 ms (median) | p99 ms (rounds) | requests/s | target p99 < 20 ms |")
print("| --- | --- | ---: | ---: | --- | ---: | --- |")
for (engine, read), v in rows.items():
    p50, p99, rps = (statistics.median(x[i] for x in v) for i in range(3))
    verdict = "" if read.startswith("floor") else ("met" if p99 < 20 else "MISSED")
    print(f"| {engine} | {read} | {p50:.2f} | {p99:.2f} | {', '.join(f'{x[1]:.2f}' for x in v)} | {rps:.0f} | {verdict} |")
PY
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
