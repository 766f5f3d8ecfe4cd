#!/usr/bin/env bash
# Step-row ingest: rows/s through TestTelemetryStore.insertSteps (batches of `batch`, the worker's path),
# side by side with the engines' own bulk loaders on the same rows into a same-shaped table:
#   PostgreSQL: psql `\copy … FROM file (FORMAT csv)` (timed by psql's \timing), for both of our methods
#               (unnest arrays, multi-row VALUES);
#   SQLite:     python's sqlite3 executemany in one transaction (rows parsed before the clock starts).
# Usage: bench/ingest/run.sh [rows] [batch] [rounds]
#   INGEST_BENCH=path uses a prebuilt release IngestBench; otherwise it is built here.
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-200000}
batch=${2:-1000}
rounds=${3:-3}
if [ -z "${PLAYTEST_TEST_DATABASE_URL:-}" ]; then eval "$(scripts/test-services.sh start)"; fi
if [ -n "${INGEST_BENCH:-}" ]; then
  bench=$INGEST_BENCH
else
  swift build -c release --product IngestBench >/dev/null
  bench=.build/release/IngestBench
fi
url=$PLAYTEST_TEST_DATABASE_URL
schema=bench_ingest
work=$(mktemp -d)
trap 'rm -rf "$work"; psql "$url" -qc "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true' EXIT
"$bench" csv "$rows" > "$work/steps.csv"

fresh_schema() { psql "$url" -qc "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema" >/dev/null 2>&1; }
rate() { awk '{print $(NF-1)}'; }

echo "$rows step rows, batches of $batch, $rounds rounds (alternating)"
pg_unnest=(); pg_values=(); pg_copy=(); lite_ours=(); lite_ref=()
for r in $(seq "$rounds"); do
  fresh_schema
  pg_unnest+=("$("$bench" steps "$url" "$schema" "$rows" "$batch" unnest | rate)")
  fresh_schema
  pg_values+=("$("$bench" steps "$url" "$schema" "$rows" "$batch" multiRowValues | rate)")
  # The reference table: run_steps' columns and primary key (run_steps has no foreign key), in the same schema.
  ms=$(psql "$url" -q \
    -c "CREATE TABLE $schema.ref_steps (LIKE $schema.run_steps INCLUDING ALL)" \
    -c '\timing on' -c "\\copy $schema.ref_steps FROM '$work/steps.csv' WITH (FORMAT csv)" | awk '/^Time:/ {t=$2} END {print t}')
  pg_copy+=("$(python3 -c "print(round($rows / ($ms / 1000)))")")

  lite_ours+=("$("$bench" steps "$work/ours.sqlite" - "$rows" "$batch" multiRowValues | rate)")
  lite_ref+=("$(python3 - "$work/ours.sqlite" "$work/steps.csv" <<'PY'
import csv, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA foreign_keys = ON")
ddl = db.execute("SELECT sql FROM sqlite_master WHERE name = 'run_steps'").fetchone()[0]
db.execute(ddl.replace("run_steps", "ref_steps", 1))
def cell(i, v):
    if i == 0: return v
    if v == "": return None
    return float(v) if i in (4, 5, 6, 13) else int(v)
with open(sys.argv[2]) as f:
    rows = [tuple(cell(i, v) for i, v in enumerate(line)) for line in csv.reader(f)]
start = time.perf_counter()
db.execute("BEGIN")
db.executemany("INSERT INTO ref_steps VALUES (" + ",".join("?" * 14) + ") ON CONFLICT DO NOTHING", rows)
db.execute("COMMIT")
elapsed = time.perf_counter() - start
assert db.execute("SELECT COUNT(*) FROM ref_steps").fetchone()[0] == len(rows)
print(round(len(rows) / elapsed))
PY
)")
done

python3 - "${pg_unnest[*]}" "${pg_values[*]}" "${pg_copy[*]}" "${lite_ours[*]}" "${lite_ref[*]}" <<'PY'
import statistics, sys
sides = [[float(x) for x in arg.split()] for arg in sys.argv[1:6]]
unnest, values, copy, lite, lite_ref = sides
m = [statistics.median(s) for s in sides]
def line(name, s):
    print(f"{name:44s}: {statistics.median(s):9.0f} rows/s  (rounds: {', '.join(f'{x:.0f}' for x in s)})")
print("PostgreSQL")
line("  TestTelemetryStore, unnest arrays", unnest)
line("  TestTelemetryStore, multi-row VALUES", values)
line("  reference: psql \\copy (FORMAT csv)", copy)
print(f"  ratio unnest / COPY              : {m[0] / m[2]:6.2f}")
print(f"  ratio multi-row VALUES / COPY    : {m[1] / m[2]:6.2f}")
print(f"  target: >= 50000 rows/s into PostgreSQL -> {'met' if max(m[0], m[1]) >= 50000 else 'NOT met'}")
print("SQLite")
line("  TestTelemetryStore, multi-row VALUES", lite)
line("  reference: python sqlite3 executemany, 1 txn", lite_ref)
print(f"  ratio ours / executemany         : {m[3] / m[4]:6.2f}")
PY
