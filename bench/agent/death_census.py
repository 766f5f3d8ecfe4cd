"""What the navigator was doing when it died, over many maps: runs diagnose_deaths.py --census on each map (one
episode, in parallel) and tallies the CENSUS lines: health lost in the last ten seconds by activity (fighting a
monster on screen, one off screen, walking, acting, waiting, ...), the weapons and ammunition at death, how far along
the route, and the kinds in straight sight at the end.

    .venv/bin/python bench/agent/death_census.py [--maps E1M1,MAP07] [--skill 2] [--seed 1] [--jobs 2]
        [--planner .build/release/playtest] [--cache /tmp/navbench] [--json rows.jsonl]

The default maps are all 68 of Freedoom Phase 1 and 2. One row per map is printed as it ends, the tally at the end.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_completion import PHASE1, PHASE2  # noqa: E402


def census(map_name: str, args: argparse.Namespace) -> dict:
    command = [sys.executable, str(HERE / "diagnose_deaths.py"), "--map", map_name, "--skill", str(args.skill),
               "--seed", str(args.seed), "--minutes", str(args.minutes), "--planner", args.planner, "--cache", args.cache,
               "--quiet", "--census"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    for line in done.stdout.splitlines():
        if line.startswith("CENSUS "):
            return json.loads(line[len("CENSUS "):])
    return {"map": map_name, "end": "error", "error": (done.stderr or done.stdout)[-400:]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--maps", default=",".join(PHASE1 + PHASE2))
    parser.add_argument("--skill", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--planner", default=str(HERE.parents[1] / ".build/release/playtest"))
    parser.add_argument("--cache", default="/tmp/navbench")
    parser.add_argument("--json", help="write every row to this file (JSON lines)")
    args = parser.parse_args()
    maps = args.maps.split(",")
    rows = []
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for row in pool.map(lambda m: census(m, args), maps):
            rows.append(row)
            print(json.dumps(row), flush=True)
    if args.json:
        Path(args.json).write_text("".join(json.dumps(row) + "\n" for row in rows))
    deaths = [r for r in rows if r["end"] == "death"]
    print(f"\n{len(rows)} maps: " + ", ".join(f"{n} {end}" for end, n in Counter(r["end"] for r in rows).most_common()))
    if not deaths:
        return
    lost: Counter[str] = Counter()
    for r in deaths:
        lost.update(r["lost"])
    total = sum(lost.values()) or 1
    print("health lost in the last 10 s before each death, by what the navigator was doing:")
    for doing, amount in lost.most_common():
        print(f"  {doing:22s} {amount:6.0f}  {100 * amount / total:5.1f} %")
    fought: Counter[str] = Counter()
    for r in deaths:
        fought.update(r["fought"].keys())
    print("deaths with this kind fought in their last 10 s:", ", ".join(f"{k} {n}" for k, n in fought.most_common(10)))
    nearest: Counter[str] = Counter(r["sighted"][0][1] for r in deaths if r["sighted"])
    print("nearest monster in straight sight at the last second:", ", ".join(f"{k} {n}" for k, n in nearest.most_common(10)),
          f"(none: {sum(1 for r in deaths if not r['sighted'])})")
    unseen = sum(1 for r in deaths if r["sighted"] and not any(on for _, _, on in r["sighted"]))
    print(f"deaths with monsters in sight but none on screen: {unseen} of {len(deaths)}")
    print("weapon slot at death:", dict(Counter(r["weapon"] for r in deaths).most_common()),
          f"out of ammunition: {sum(1 for r in deaths if r['ammo'] == 0)}")
    along = sorted(round(r["step"] / max(r["steps"], 1), 2) for r in deaths)
    print(f"share of the route's steps begun at death: median {along[len(along) // 2]}, "
          f"before a quarter {sum(1 for a in along if a < 0.25)} of {len(along)}")
    times = sorted(r["t"] for r in deaths)
    print(f"game seconds at death: median {times[len(times) // 2]}, under 60 s {sum(1 for t in times if t < 60)}")


if __name__ == "__main__":
    main()
