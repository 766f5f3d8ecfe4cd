#!/usr/bin/env bash
# The findings that judge places (softlock, sequence_break, item_missed, unvisited_area) on real maps nobody wrote
# for the tests: the navigator plays each map (2 episodes of 300 s, skill 2, seed 5) through `playtest test`, then
# the play findings are counted per kind from the local data folder, and the softlocks and sequence breaks listed
# for a person to check against the map. With EVIDENCE=1 a `playtest worker` then makes every run's evidence (the scan
# that finds monsters that never stirred) before the count. Usage: bench/findings/places.sh [playtest binary]
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-.build/debug/playtest}
export PLAYTEST_DATA_DIR=$(mktemp -d /tmp/playtest-places.XXXXXX)
trap 'rm -rf "$PLAYTEST_DATA_DIR"' EXIT
for spec in "freedoom1 E1M1" "freedoom1 E1M3" "freedoom1 E1M4" "freedoom1 E1M5" "freedoom1 E1M7" "freedoom1 E2M1" \
            "freedoom1 E2M4" "freedoom2 MAP01" "freedoom2 MAP02" "freedoom2 MAP04" "freedoom2 MAP07" "freedoom2 MAP11"; do
  set -- $spec
  echo "== $1 $2: $("$BIN" test "/usr/share/games/doom/$1.wad" --map "$2" --episodes 2 --episode-time 300 --seed 5 2>/dev/null | grep '^verdict' | cut -c1-90)"
done
db="$PLAYTEST_DATA_DIR/playtest.sqlite"
if [ -n "${EVIDENCE:-}" ]; then
  started=$(date +%s)
  "$BIN" worker >"$PLAYTEST_DATA_DIR/worker.log" 2>&1 &
  worker=$!
  while [ "$(sqlite3 "$db" "SELECT COUNT(*) FROM jobs WHERE queue = 'evidence' AND state NOT IN ('completed', 'cancelled', 'discarded')")" != 0 ]; do sleep 5; done
  kill "$worker"; wait "$worker" || true
  echo "== evidence made in $(( $(date +%s) - started )) s: $(sqlite3 "$db" "SELECT COUNT(*), SUM(missing IS NULL) FROM episode_evidence") episodes (rows, made)"
fi
echo "== play findings by kind (findings, maps)"
sqlite3 "$db" "SELECT kind, COUNT(*), COUNT(DISTINCT level) FROM findings WHERE source = 'play' GROUP BY kind ORDER BY kind"
echo "== softlocks, sequence breaks, lines that did nothing, monsters that never stirred"
sqlite3 "$db" "SELECT level, kind, ROUND(x), ROUND(y), sector, line, message FROM findings
               WHERE kind IN ('softlock', 'sequence_break', 'unopened_line', 'idle_monster') ORDER BY level, kind"
echo "== steps that carry the keys held"
sqlite3 "$db" "SELECT COUNT(*), SUM(keys IS NOT NULL), SUM(keys > 0) FROM run_steps"
