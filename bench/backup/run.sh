#!/usr/bin/env bash
# Issue figures for `playtest backup`, `playtest restore` and `playtest retention`, on the embedded SQLite and on
# PostgreSQL (BENCH_DATABASE_URL, default: the test-services server's `playtest_test`, in databases of its own) side by
# side in one run. RUNS finished test runs (default 1,000) on one map are seeded straight into SQL after
# `playtest migrate` (bench/backup/seed.py: per run 3 episodes, ~1,000 run_steps, 30 run_events, 2 screenshots of
# ~20 KB and a ~30 KB demo in the folder blob store; half ended 120 days ago, half 5 days ago). Then:
#   backup    `playtest backup` against the reference by hand: pg_dump -Fc (SQLite: the backup API) + cp -a of the
#             blob folder, and the same + an fsync of every copied file and folder (ours fsyncs each blob it writes)
#   restore   `playtest restore` (which also migrates and checks every run, map, artifact and blob) into a new database
#             and data dir, against pg_restore (SQLite: cp of the file) + cp -a of the blobs back (+ fsync)
#   retention `playtest retention` once with the defaults (steps 30 days, screenshots 90 days): SQL and blob disk use
#             before, right after, after a plain VACUUM and after VACUUM FULL (SQLite: an offline VACUUM)
#   per run   bytes per run of SQL rows by table and of blobs
# The summary is printed in markdown and written to bench/results/backup.md (RESULTS_FILE=… to change).
#
# Usage: bench/backup/run.sh [runs] [rounds of backup and restore, alternating which side goes first; default 3]
#   PLAYTEST=path/to/playtest   the binary (default: .build/release/playtest, built here unless SKIP_BUILD=1)
set -euo pipefail
cd "$(dirname "$0")/../.."
unset REDIS_URL DATABASE_URL S3_BUCKET S3_ENDPOINT PLAYTEST_RETENTION_STEPS_DAYS PLAYTEST_RETENTION_SCREENSHOTS_DAYS \
  PLAYTEST_RETENTION_ORPHAN_GRACE_HOURS PLAYTEST_PG_TOOLS
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load average at the start: $load_start ($(nproc) cores)"
runs=${1:-1000}
rounds=${2:-3}
playtest=${PLAYTEST:-.build/release/playtest}
if [ -z "${SKIP_BUILD:-}" ] && [ -z "${PLAYTEST:-}" ]; then swift build -c release --product playtest >/dev/null; fi
results=${RESULTS_FILE:-bench/results/backup.md}
base_url=${BENCH_DATABASE_URL:-${PLAYTEST_TEST_DATABASE_URL:-postgres://playtest@127.0.0.1:55432/playtest_test}}
server_url=${base_url%/*}
src_url=$server_url/bench_backup_src   # seeded, backed up, then retention
dst_url=$server_url/bench_backup_dst   # `playtest restore`
ref_url=$server_url/bench_backup_ref   # pg_restore
databases=(bench_backup_src bench_backup_dst bench_backup_ref)
work=$(mktemp -d /tmp/ptb-backup-XXXXXX)
cleanup() {
  for db in "${databases[@]}"; do psql "$base_url" -qc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
for db in "${databases[@]}"; do psql "$base_url" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null; done

figures=$work/figures
: > "$figures"
fig() { printf '%s\t%s\n' "$1" "$2" >> "$figures"; }   # name value (a value may hold spaces)
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'; }
bytes() { du -sb "$1" | cut -f1; }   # apparent size, folders included
filebytes() { find "$1" -type f -printf '%s\n' | awk '{ n += $1 } END { print n + 0 }'; }   # the files' bytes alone
fsync_tree() { find "$1" -print0 | xargs -0 sync --; }   # every file and folder under $1, one fsync each
pt() {  # data-dir [env…] -- playtest arguments…
  local data=$1; shift
  local vars=()
  while [ "$1" != "--" ]; do vars+=("$1"); shift; done
  shift
  env PLAYTEST_DATA_DIR="$data" PLAYTEST_LOG_LEVEL=warning "${vars[@]}" timeout 600 "$playtest" "$@"
}
pgq() { psql "$1" -tAqc "$2"; }

# ---- seed ----------------------------------------------------------------------------------------------------------
mkdir -p "$work/sqlite" "$work/postgres" "$work/csv"
pt "$work/sqlite" -- migrate | head -1
pt "$work/postgres" DATABASE_URL="$src_url" -- migrate | head -1
echo "seeding $runs runs …"
started=$EPOCHREALTIME
seeded=$(python3 bench/backup/seed.py "$runs" "$work/sqlite/playtest.sqlite" "$work/csv" "$work/sqlite/blobs" "$work/postgres/blobs")
psql "$src_url" -q -v ON_ERROR_STOP=1 <<SQL
\copy maps (id, name, filename, blob_key, size_bytes, sha256, wad_kind, formats, summaries, builtin, scenario, uploaded_at) FROM '$work/csv/maps.csv' WITH (FORMAT csv)
\copy runs (id, kind, status, map_id, map_name, agent, params, plan, target, progress, summary, created_at, started_at, completed_at, updated_at) FROM '$work/csv/runs.csv' WITH (FORMAT csv)
\copy run_episodes (run_id, episode_num, metrics, log, created_at, exit_reached, duration_seconds, kills, deaths, health_lost, coverage) FROM '$work/csv/run_episodes.csv' WITH (FORMAT csv)
\copy run_events FROM '$work/csv/run_events.csv' WITH (FORMAT csv)
\copy run_steps FROM '$work/csv/run_steps.csv' WITH (FORMAT csv)
\copy artifacts (id, run_id, kind, episode, tic, reason, blob_key, bytes, content_type, created_at) FROM '$work/csv/artifacts.csv' WITH (FORMAT csv)
VACUUM ANALYZE;
CHECKPOINT;
SQL
rm -rf "$work/csv"
echo "seeded in $(since "$started") s: $seeded"
for engine in sqlite postgres; do
  if [ $engine = sqlite ]; then count() { sqlite3 "$work/sqlite/playtest.sqlite" "SELECT COUNT(*) FROM $1"; }
  else count() { pgq "$src_url" "SELECT COUNT(*) FROM $1"; }; fi
  echo "$engine: $(count runs) runs, $(count run_episodes) episodes, $(count run_steps) steps, $(count run_events) events, $(count artifacts) artifacts; blobs $(bytes "$work/$engine/blobs") bytes in $(find "$work/$engine/blobs" -type f | wc -l) files"
done
fig runs "$runs"

# ---- disk use per run (everything kept) ----------------------------------------------------------------------------
tables="run_steps run_events run_episodes artifacts runs"
for t in $tables; do
  fig "perrun.postgres.$t" "$(pgq "$src_url" "SELECT pg_total_relation_size('$t')")"
done
sqlite3 "$work/sqlite/playtest.sqlite" "SELECT m.tbl_name, SUM(d.pgsize) FROM dbstat d JOIN sqlite_master m ON m.name = d.name
  WHERE m.tbl_name IN ('run_steps','run_events','run_episodes','artifacts','runs') GROUP BY 1" |
  while IFS='|' read -r t b; do fig "perrun.sqlite.$t" "$b"; done
fig perrun.blobs "$(bytes "$work/sqlite/blobs/runs")"
fig perrun.blobs.screenshot "$(sqlite3 "$work/sqlite/playtest.sqlite" "SELECT SUM(bytes) FROM artifacts WHERE kind = 'screenshot'")"
fig perrun.blobs.demo "$(sqlite3 "$work/sqlite/playtest.sqlite" "SELECT SUM(bytes) FROM artifacts WHERE kind = 'demo'")"
fig perrun.blobs.allocated "$(du -s --block-size=1 "$work/sqlite/blobs/runs" | cut -f1)"
fig perrun.map "$(bytes "$work/sqlite/blobs/maps")"

# ---- backup and restore, ROUNDS rounds, alternating which side goes first --------------------------------------------
backup_ours() {  # engine round
  local env_=(); [ "$1" = postgres ] && env_=(DATABASE_URL="$src_url")
  local folder=$work/backup/$2/ours-$1 started=$EPOCHREALTIME
  pt "$work/$1" "${env_[@]}" -- backup "$folder" > "$work/out" 2>&1 || { cat "$work/out"; exit 1; }
  fig "backup.$1.ours.s" "$(since "$started")"
  echo "  round $2, ours: $(cat "$work/out")"
  fig "backup.$1.ours.line" "$(grep -m1 '^Backed up' "$work/out")"
  fig "backup.$1.ours.bytes" "$(filebytes "$folder")"
  fig "backup.$1.ours.du" "$(bytes "$folder")"
  fig "backup.$1.ours.sqlbytes" "$(stat -c %s "$folder"/playtest.*)"
}
backup_ref() {  # engine round
  local ref=$work/backup/$2/ref-$1 started=$EPOCHREALTIME
  mkdir -p "$ref"
  if [ "$1" = sqlite ]; then
    python3 - "$work/sqlite/playtest.sqlite" "$ref/playtest.sqlite" <<'PY'
import sqlite3, sys
source, target = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
source.backup(target)
target.close()
PY
  else
    pg_dump -Fc --no-owner --no-privileges -f "$ref/playtest.pgdump" "$src_url"
  fi
  fig "backup.$1.ref.sql.s" "$(since "$started")"
  started=$EPOCHREALTIME
  cp -a "$work/$1/blobs" "$ref/blobs"
  fig "backup.$1.ref.copy.s" "$(since "$started")"
  started=$EPOCHREALTIME
  fsync_tree "$ref"
  fig "backup.$1.ref.fsync.s" "$(since "$started")"
  echo "  round $2, reference: $(tail -3 "$figures" | cut -f2 | paste -sd+) s (SQL + cp -a + fsync)"
  fig "backup.$1.ref.bytes" "$(filebytes "$ref")"
  fig "backup.$1.ref.du" "$(bytes "$ref")"
  fig "backup.$1.ref.sqlbytes" "$(stat -c %s "$ref"/playtest.*)"
}
restore_ours() {  # engine round
  local env_=(); [ "$1" = postgres ] && env_=(DATABASE_URL="$dst_url")
  local target=$work/restore/$2/ours-$1 started=$EPOCHREALTIME status=0
  pt "$target" "${env_[@]}" -- restore "$work/backup/$2/ours-$1" > "$work/out" 2>&1 || status=$?
  fig "restore.$1.ours.s" "$(since "$started")"
  sed "s/^/  round $2, ours: /" "$work/out"
  [ $status = 0 ] || { echo "playtest restore exited $status" >&2; exit 1; }
  fig "restore.$1.ours.line" "$(grep -m1 '^Checked' "$work/out")"
}
restore_ref() {  # engine round
  local ref=$work/backup/$2/ref-$1 target=$work/restore/$2/ref-$1 started=$EPOCHREALTIME
  mkdir -p "$target"
  if [ "$1" = sqlite ]; then
    cp "$ref/playtest.sqlite" "$target/playtest.sqlite"
  else
    pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$ref_url" "$ref/playtest.pgdump"
  fi
  fig "restore.$1.ref.sql.s" "$(since "$started")"
  started=$EPOCHREALTIME
  cp -a "$ref/blobs" "$target/blobs"
  fig "restore.$1.ref.copy.s" "$(since "$started")"
  started=$EPOCHREALTIME
  fsync_tree "$target"
  fig "restore.$1.ref.fsync.s" "$(since "$started")"
  echo "  round $2, reference: $(tail -3 "$figures" | cut -f2 | paste -sd+) s (SQL + cp -a + fsync)"
}
for round in $(seq "$rounds"); do
  order="ours ref"; [ $((round % 2)) = 0 ] && order="ref ours"
  for engine in sqlite postgres; do
    echo "backup, $engine, round $round ($order)"
    for side in $order; do "backup_$side" $engine "$round"; done
  done
  for db in bench_backup_dst bench_backup_ref; do psql "$base_url" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null; done
  for engine in sqlite postgres; do
    echo "restore, $engine, round $round ($order)"
    for side in $order; do "restore_$side" $engine "$round"; done
    # The reference restored the same rows and files.
    if [ $engine = sqlite ]; then
      steps_ours=$(sqlite3 "$work/restore/$round/ours-sqlite/playtest.sqlite" "SELECT COUNT(*) FROM run_steps")
      steps_ref=$(sqlite3 "$work/restore/$round/ref-sqlite/playtest.sqlite" "SELECT COUNT(*) FROM run_steps")
    else
      steps_ours=$(pgq "$dst_url" "SELECT COUNT(*) FROM run_steps")
      steps_ref=$(pgq "$ref_url" "SELECT COUNT(*) FROM run_steps")
    fi
    files_ours=$(find "$work/restore/$round/ours-$engine/blobs" -type f | wc -l)
    files_ref=$(find "$work/restore/$round/ref-$engine/blobs" -type f | wc -l)
    echo "  restored run_steps: ours $steps_ours, reference $steps_ref; blob files: ours $files_ours, reference $files_ref"
    [ "$steps_ours" = "$steps_ref" ] && [ "$files_ours" = "$files_ref" ] || { echo "the restores differ" >&2; exit 1; }
  done
  rm -rf "$work/backup/$round" "$work/restore/$round"
done

# ---- retention -----------------------------------------------------------------------------------------------------
sqlite_sizes() {  # → "file-bytes wal-bytes freelist-bytes"
  local db=$work/sqlite/playtest.sqlite wal=0
  [ -f "$db-wal" ] && wal=$(stat -c %s "$db-wal")
  echo "$(stat -c %s "$db") $wal $(sqlite3 "$db" "SELECT (SELECT freelist_count FROM pragma_freelist_count) * (SELECT page_size FROM pragma_page_size)")"
}
pg_sizes() {  # → "database-bytes run_steps-bytes artifacts-bytes"
  pgq "$src_url" "SELECT pg_database_size(current_database()) || ' ' || pg_total_relation_size('run_steps') || ' ' || pg_total_relation_size('artifacts')"
}
for engine in sqlite postgres; do
  if [ $engine = sqlite ]; then env_=(); sizes=sqlite_sizes; else env_=(DATABASE_URL="$src_url"); sizes=pg_sizes; fi
  fig "retention.$engine.before" "$($sizes)"
  fig "retention.$engine.blobs.before" "$(bytes "$work/$engine/blobs")"
  echo "retention, $engine: playtest retention …"
  started=$EPOCHREALTIME
  pt "$work/$engine" "${env_[@]}" -- retention > "$work/out" 2>&1 || { cat "$work/out"; exit 1; }
  fig "retention.$engine.s" "$(since "$started")"
  cat "$work/out"
  fig "retention.$engine.line" "$(grep -m1 'freed' "$work/out")"
  fig "retention.$engine.after" "$($sizes)"
  fig "retention.$engine.blobs.after" "$(bytes "$work/$engine/blobs")"
  fig "retention.$engine.blobfiles.after" "$(find "$work/$engine/blobs" -type f | wc -l)"
  if [ $engine = sqlite ]; then
    fig "retention.$engine.steps.after" "$(sqlite3 "$work/sqlite/playtest.sqlite" "SELECT COUNT(*) FROM run_steps")"
    sqlite3 "$work/sqlite/playtest.sqlite" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
    fig "retention.$engine.checkpointed" "$($sizes)"
    sqlite3 "$work/sqlite/playtest.sqlite" "VACUUM"
    fig "retention.$engine.vacuumfull" "$($sizes)"
  else
    fig "retention.$engine.steps.after" "$(pgq "$src_url" "SELECT COUNT(*) FROM run_steps")"
    fig "retention.$engine.autovacuumed" "$(pgq "$src_url" "SELECT string_agg(relname, ', ') FROM pg_stat_user_tables WHERE relname IN ('run_steps', 'artifacts') AND last_autovacuum IS NOT NULL")"
    psql "$src_url" -qc "VACUUM (ANALYZE) run_steps, artifacts"
    fig "retention.$engine.vacuum" "$($sizes)"
    psql "$src_url" -qc "VACUUM FULL run_steps, artifacts"
    fig "retention.$engine.vacuumfull" "$($sizes)"
  fi
done

# ---- summary -------------------------------------------------------------------------------------------------------
fig nproc "$(nproc)"
fig load.start "$load_start"
fig load.end "$(cut -d' ' -f1-3 /proc/loadavg)"
fig date "$(date +%F)"
fig commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- Sources 2>/dev/null || echo ' (Sources changed)')"
fig postgres "$(pgq "$base_url" "SHOW server_version") (fsync $(pgq "$base_url" "SHOW fsync"), autovacuum $(pgq "$base_url" "SHOW autovacuum"))"
fig sqlite "$(sqlite3 --version | cut -d' ' -f1)"
fig memory "$(free -g | awk '/^Mem:/ { print $2 }') GiB"
python3 - "$figures" "$runs" "$rounds" > "$work/summary.md" <<'PY'
import statistics, sys
f = {}
for line in open(sys.argv[1]):
    key, _, value = line.rstrip("\n").partition("\t")
    f.setdefault(key, []).append(value)
runs, rounds = int(sys.argv[2]), int(sys.argv[3])
one = lambda k: f[k][-1]
num = lambda k: float(one(k))
each = lambda k: [float(v) for v in f[k]]
mb = lambda b: f"{int(b) / 1048576:.1f}"
engines = ("sqlite", "postgres")
name = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
print(f"# Backup, restore and retention ({runs:,} finished test runs)")
print()
print(f"{one('date')}, commit {one('commit')}, release `playtest`, `bench/backup/run.sh {runs} {rounds}`. Machine: {one('nproc')} cores, "
      f"{one('memory')}, load average {one('load.start')} at the start and {one('load.end')} at the end. PostgreSQL {one('postgres')}, "
      f"SQLite {one('sqlite')}; the folder blob store on the same disk; everything in the page cache (nothing dropped between steps).")
print()
print(f"Seeded straight into SQL: {runs:,} completed test runs on one map, per run 3 `run_episodes`, ~1,000 `run_steps`, "
      "30 `run_events`, 2 screenshots (~20 KB) and 1 demo (~30 KB) as blobs; the map's 256 KiB WAD. Half of the runs ended "
      "120 days ago, half 5 days ago.")
print()
print("## Backup and restore")
print()
print("Reference, by hand: PostgreSQL `pg_dump -Fc` / `pg_restore --single-transaction`, SQLite the backup API / `cp` of the "
      "file, and `cp -a` of the blob folder; \"+ fsync\" adds one `sync` per copied file and folder (ours fsyncs each blob it "
      "writes). Ours also hashes every blob (backup: into the manifest; restore: the folder's copy, then each blob read back) "
      f"and, on restore, migrates and checks every run, map and artifact. Seconds: the median of {rounds} rounds (each round "
      "a new folder, database and data dir; the side that goes first alternates), the rounds in brackets. Bytes: the backup "
      "folder's files (what `playtest backup` prints; `du -sb` adds the folders' own 4 KiB each).")
print()
print("| engine | step | ours s | reference s (SQL + cp -a) | reference + fsync s | ours / ref | ours / ref + fsync | ours bytes | reference bytes | bytes ours / ref |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for e in engines:
    for step in ("backup", "restore"):
        ours = each(f"{step}.{e}.ours.s")
        sql, copy, sync = each(f"{step}.{e}.ref.sql.s"), each(f"{step}.{e}.ref.copy.s"), each(f"{step}.{e}.ref.fsync.s")
        ref = [a + b for a, b in zip(sql, copy)]
        durable = [a + b for a, b in zip(ref, sync)]
        o, r, d = statistics.median(ours), statistics.median(ref), statistics.median(durable)
        rounds_of = lambda v: ", ".join(f"{x:.2f}" for x in v)
        if step == "backup":
            ob, rb = int(one(f"backup.{e}.ours.bytes")), int(one(f"backup.{e}.ref.bytes"))
            sizes = f"{ob:,} | {rb:,} | {ob / rb:.3f}"
        else:
            sizes = "| |"
        print(f"| {name[e]} | {step} | **{o:.2f}** ({rounds_of(ours)}) | {r:.2f} ({statistics.median(sql):.2f} + {statistics.median(copy):.2f}; "
              f"{rounds_of(ref)}) | {d:.2f} ({rounds_of(durable)}) | **{o / r:.2f}** | **{o / d:.2f}** | {sizes} |")
print()
for e in engines:
    print(f"- {name[e]}: SQL file ours {int(one(f'backup.{e}.ours.sqlbytes')):,} bytes, reference {int(one(f'backup.{e}.ref.sqlbytes')):,} bytes; "
          f"`du -sb` of the folders ours {int(one(f'backup.{e}.ours.du')):,}, reference {int(one(f'backup.{e}.ref.du')):,}.")
    print(f"  - `playtest backup`: {one(f'backup.{e}.ours.line')}")
    print(f"  - `playtest restore`: {one(f'restore.{e}.ours.line')}")
print()
print("## Retention")
print()
print("`playtest retention` once, defaults (step telemetry of runs ended over 30 days ago, screenshots over 90 days ago):")
print()
for e in engines:
    print(f"- {name[e]} ({num(f'retention.{e}.s'):.2f} s with the process' start): `{one(f'retention.{e}.line')}`")
print()
print("| engine | what | before | after retention | after VACUUM | after VACUUM FULL / offline VACUUM |")
print("| --- | --- | ---: | ---: | ---: | ---: |")
b, a = one("retention.postgres.before").split(), one("retention.postgres.after").split()
v, vf = one("retention.postgres.vacuum").split(), one("retention.postgres.vacuumfull").split()
for i, label in enumerate(("`pg_database_size` MB", "`run_steps` (table + indexes) MB", "`artifacts` (table + indexes) MB")):
    print(f"| PostgreSQL | {label} | {mb(b[i])} | {mb(a[i])} | {mb(v[i])} | {mb(vf[i])} |")
b, a = one("retention.sqlite.before").split(), one("retention.sqlite.after").split()
c, vf = one("retention.sqlite.checkpointed").split(), one("retention.sqlite.vacuumfull").split()
print(f"| SQLite | file MB (+ WAL MB) | {mb(b[0])} (+ {mb(b[1])}) | {mb(a[0])} (+ {mb(a[1])}) | {mb(c[0])} (+ {mb(c[1])}) (a WAL checkpoint, no VACUUM) | {mb(vf[0])} |")
print(f"| SQLite | free pages (`freelist_count × page_size`) MB | {mb(b[2])} | {mb(a[2])} | {mb(c[2])} | {mb(vf[2])} |")
for e in engines:
    before, after = int(one(f"retention.{e}.blobs.before")), int(one(f"retention.{e}.blobs.after"))
    print(f"| {name[e]} | blob folder (`du -sb`) MB | {mb(before)} | {mb(after)} ({one(f'retention.{e}.blobfiles.after')} files) | | |")
print()
auto = one("retention.postgres.autovacuumed")
print(f"PostgreSQL: \"after VACUUM\" is `VACUUM (ANALYZE) run_steps, artifacts`, then `VACUUM FULL run_steps, artifacts`; autovacuum "
      f"had {'run on ' + auto if auto else 'not run on run_steps or artifacts'} by the figure right after retention. SQLite: the file "
      "as the command left it, after `PRAGMA wal_checkpoint(TRUNCATE)`, and after an offline `VACUUM`. "
      f"`run_steps` rows left: SQLite {int(one('retention.sqlite.steps.after')):,}, PostgreSQL {int(one('retention.postgres.steps.after')):,}.")
print()
print("## Disk use per run")
print()
print(f"Bytes per run before retention (everything kept), each table with its indexes (PostgreSQL `pg_total_relation_size`, "
      f"TOAST included; SQLite `dbstat` pages), divided by {runs:,} runs.")
print()
print("| what | PostgreSQL bytes/run | SQLite bytes/run | kept |")
print("| --- | ---: | ---: | --- |")
kept = {"run_steps": "30 days after the run ended", "run_events": "always", "run_episodes": "always",
        "artifacts": "screenshots' rows 90 days, demos' always", "runs": "always"}
tp = ts = 0
for t in ("run_steps", "run_events", "run_episodes", "artifacts", "runs"):
    p, q = int(one(f"perrun.postgres.{t}")) / runs, int(one(f"perrun.sqlite.{t}")) / runs
    tp += p
    ts += q
    print(f"| `{t}` | {p:,.0f} | {q:,.0f} | {kept[t]} |")
print(f"| **SQL rows** | **{tp:,.0f}** | **{ts:,.0f}** | |")
shots, demo = int(one("perrun.blobs.screenshot")) / runs, int(one("perrun.blobs.demo")) / runs
print(f"| blobs: 2 screenshots | {shots:,.0f} | {shots:,.0f} | 90 days |")
print(f"| blobs: 1 demo | {demo:,.0f} | {demo:,.0f} | always |")
blobs = shots + demo
allocated, apparent = int(one("perrun.blobs.allocated")) / runs, int(one("perrun.blobs")) / runs
print(f"| **blobs** (files' bytes; on disk, with the 3 folders per run and block rounding: {allocated:,.0f}; `du -sb`: {apparent:,.0f}) | **{blobs:,.0f}** | **{blobs:,.0f}** | |")
print(f"| **a run, all kept** | **{tp + blobs:,.0f}** | **{ts + blobs:,.0f}** | |")
step_p, step_s = int(one("perrun.postgres.run_steps")) / runs, int(one("perrun.sqlite.run_steps")) / runs
art_p, art_s = int(one("perrun.postgres.artifacts")) / runs, int(one("perrun.sqlite.artifacts")) / runs
print(f"| a run past 90 days: no steps, no screenshots (estimate from the rows above, its artifact rows counted as 1/3) | "
      f"{tp - step_p - art_p * 2 / 3 + demo:,.0f} | {ts - step_s - art_s * 2 / 3 + demo:,.0f} | |")
print()
print(f"The map's WAD, once per map: {int(one('perrun.map')):,} bytes (`du -sb` of blobs/maps).")
PY
mkdir -p "$(dirname "$results")"
cp "$work/summary.md" "$results"
echo
cat "$work/summary.md"
echo
echo "wrote $results"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
