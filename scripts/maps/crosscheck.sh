#!/usr/bin/env bash
# Cross-checks PlaytestCore's map counts against omgifol on every map of the given WADs.
#
#   scripts/maps/crosscheck.sh [wad...]
#
# Without arguments it uses freedoom1/freedoom2/freedm from /usr/share/games/doom and VizDoom's
# freedoom2.wad and scenarios from the venv. Env: PYTHON (default .venv/bin/python), SWIFT_TEST_ARGS.
# Step 1: omgifol writes the counts JSON. Step 2: the Swift test MapCountsCrossCheckTests compares.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON="${PYTHON:-.venv/bin/python}"
if [ "$#" -eq 0 ]; then
    vizdoom_dir="$("$PYTHON" -c 'import os, vizdoom; print(os.path.dirname(vizdoom.__file__))')"
    set -- /usr/share/games/doom/freedoom1.wad /usr/share/games/doom/freedoom2.wad /usr/share/games/doom/freedm.wad \
        "$vizdoom_dir/freedoom2.wad" "$vizdoom_dir"/scenarios/*.wad
fi
counts="$(mktemp -t omgifol-counts.XXXXXX.json)"
trap 'rm -f "$counts"' EXIT
"$PYTHON" scripts/maps/omgifol_counts.py "$@" > "$counts"
echo "omgifol counted $("$PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(len(w["maps"]) for w in d["wads"]))' "$counts") maps in $# WADs"
PLAYTEST_MAP_COUNTS_JSON="$counts" swift test ${SWIFT_TEST_ARGS:-} --filter MapCountsCrossCheckTests
