#!/usr/bin/env bash
# Map benchmarks, ours and the reference side by side in one run:
#  1. read freedoom2.wad and parse all 32 maps (PlaytestCore also builds each map's geometry) vs omgifol parsing it;
#  2. point-in-sector lookups per second on MAP01 (target ≥ 1M/s).
#
#   bench/maps/run.sh [path/to/freedoom2.wad]
# Env: MAPBENCH (the MapBench binary, built with -c release; default .build/release/MapBench),
#      PYTHON (default .venv/bin/python), REPEATS (default 5), LOOKUPS (default 5000000).
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON="${PYTHON:-.venv/bin/python}"
MAPBENCH="${MAPBENCH:-.build/release/MapBench}"
REPEATS="${REPEATS:-5}"
LOOKUPS="${LOOKUPS:-5000000}"
if [ "$#" -ge 1 ]; then
    wad="$1"
else
    wad="$("$PYTHON" -c 'import os, vizdoom; print(os.path.join(os.path.dirname(vizdoom.__file__), "freedoom2.wad"))')"
fi
[ -x "$MAPBENCH" ] || { echo "MapBench not found at $MAPBENCH: build it with swift build -c release --product MapBench" >&2; exit 2; }
echo "WAD: $wad ($(stat -c %s "$wad") bytes), best of $REPEATS passes"
ours="$("$MAPBENCH" parse "$wad" "$REPEATS")"
reference="$("$PYTHON" bench/maps/omgifol_parse.py "$wad" "$REPEATS")"
locate="$("$MAPBENCH" locate "$wad" MAP01 "$LOOKUPS")"
"$PYTHON" - "$ours" "$reference" "$locate" <<'PY'
import json, sys
ours, ref, locate = (json.loads(arg) for arg in sys.argv[1:4])
print(f"PlaytestCore parse + geometry: {ours['maps']} maps in {ours['best_seconds'] * 1000:.1f} ms")
print(f"omgifol parse only:            {ref['maps']} maps in {ref['best_seconds'] * 1000:.1f} ms")
print(f"ratio omgifol / PlaytestCore:  {ref['best_seconds'] / ours['best_seconds']:.1f}x (above 1 means PlaytestCore is faster)")
print(f"point-in-sector on MAP01:      {locate['lookups_per_second'] / 1e6:.2f} M lookups/s "
      f"({locate['lookups']} random points in the bounds, {locate['inside']} inside a sector; target >= 1 M/s)")
PY
