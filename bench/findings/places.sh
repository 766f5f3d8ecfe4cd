#!/usr/bin/env bash
# The findings that judge places (softlock, sequence_break, item_missed, unvisited_area) on real maps nobody wrote
# for the tests: the navigator plays each map (2 episodes of 300 s, skill 2, seed 5) through `playtest test`, then
# the play findings are counted per kind from the local data folder, and the softlocks and sequence breaks listed
# for a person to check against the map. Usage: bench/findings/places.sh [playtest binary]
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
echo "== play findings by kind (findings, maps)"
sqlite3 "$db" "SELECT kind, COUNT(*), COUNT(DISTINCT level) FROM findings WHERE source = 'play' GROUP BY kind ORDER BY kind"
echo "== softlocks and sequence breaks"
sqlite3 "$db" "SELECT level, kind, ROUND(x), ROUND(y), sector, message FROM findings WHERE kind IN ('softlock', 'sequence_break')"
echo "== steps that carry the keys held"
sqlite3 "$db" "SELECT COUNT(*), SUM(keys IS NOT NULL), SUM(keys > 0) FROM run_steps"
