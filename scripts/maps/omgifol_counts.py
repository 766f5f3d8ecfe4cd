#!/usr/bin/env python3
"""Print per-map element counts of WAD files as read by omgifol, as JSON.

Usage: omgifol_counts.py <wad>... > counts.json

The output is {"tool": "omgifol <version>", "wads": [{"path": <absolute path>, "maps": {map name:
{things, linedefs, sidedefs, vertices, sectors}}}]}. MapCountsCrossCheckTests (Swift) reads this file
from PLAYTEST_MAP_COUNTS_JSON, parses the same files with PlaytestCore and requires equal counts and
the same list of maps.
"""
import json
import os
import sys

import omg
import omg.udmf


def map_counts(wad: omg.WAD) -> dict:
    counts = {}
    for name, group in wad.maps.items():
        editor = omg.MapEditor(group)
        counts[name] = count(editor)
    for name, group in wad.udmfmaps.items():
        editor = omg.udmf.UMapEditor(group)
        counts[name] = count(editor)
    return counts


def count(editor) -> dict:
    return {
        "things": len(editor.things),
        "linedefs": len(editor.linedefs),
        "sidedefs": len(editor.sidedefs),
        "vertices": len(editor.vertexes),
        "sectors": len(editor.sectors),
    }


def main(paths: list[str]) -> int:
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    result = {"tool": "omgifol " + getattr(omg, "__version__", "unknown"), "wads": []}
    for path in paths:
        result["wads"].append({"path": os.path.abspath(path), "maps": map_counts(omg.WAD(path))})
    json.dump(result, sys.stdout, indent=1, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
