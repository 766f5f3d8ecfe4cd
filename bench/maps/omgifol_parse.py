#!/usr/bin/env python3
"""Time omgifol reading a WAD and parsing every map (the reference side of bench/maps/run.sh).

Usage: omgifol_parse.py <wad> [repeats]   prints {"maps": n, "best_seconds": s, "repeats": r} as JSON.
"""
import json
import sys
import time

import omg
import omg.udmf


def parse_all(path: str) -> int:
    wad = omg.WAD(path)
    count = 0
    for group in wad.maps.values():
        editor = omg.MapEditor(group)
        count += 1 if editor.linedefs else 0
    for group in wad.udmfmaps.values():
        editor = omg.udmf.UMapEditor(group)
        count += 1 if editor.linedefs else 0
    return count


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    path = sys.argv[1]
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    best = float("inf")
    maps = 0
    for _ in range(repeats):
        start = time.perf_counter()
        maps = parse_all(path)
        best = min(best, time.perf_counter() - start)
    print(json.dumps({"maps": maps, "best_seconds": round(best, 6), "repeats": repeats}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
