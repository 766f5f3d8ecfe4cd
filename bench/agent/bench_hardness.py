"""Hardness calibration: does the hardness score rise with skill on the same map, and with the map order across
Freedoom Phase 2? The navigator and the explorer side by side, through the platform itself.

    .venv/bin/python bench/agent/bench_hardness.py [--maps MAP01,MAP02] [--skills 1,2,3,4,5] [--episodes 1]
        [--seconds 120] [--agents navigator,explorer] [--playtest .build/release/playtest] [--jobs 1] [--json out.json]

Each (map, skill, agent) is one `playtest test --format json` run on VizDoom's freedoom2.wad, so the score is the
results' own `hardness` (episodes that engaged the map only, docs/telemetry.md §6); the runs share one data folder,
so each map is planned once per skill. Reported per agent: the scores per skill, whether they rise monotonically
(non-decreasing) from skill 1 to 5, the share of maps where they do, and Spearman's ρ between the map order and the
score at each skill (and at the mean over skills).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "agent"))
from playtest_agent.config import VIZDOOM_DIR  # noqa: E402

PHASE2 = [f"MAP{n:02d}" for n in range(1, 33)]


def play(args: argparse.Namespace, data: Path, map_name: str, skill: int, agent: str) -> dict[str, Any]:
    command = [args.playtest, "test", os.path.join(VIZDOOM_DIR, "freedoom2.wad"), "--map", map_name, "--skill", str(skill),
               "--agent", agent, "--episodes", str(args.episodes), "--episode-time", str(args.seconds), "--seed", "1",
               "--format", "json"]
    started = time.monotonic()
    result = subprocess.run(command, cwd=REPO, env={**os.environ, "PLAYTEST_DATA_DIR": str(data)}, capture_output=True, text=True)
    row: dict[str, Any] = {"map": map_name, "skill": skill, "agent": agent, "wall_s": round(time.monotonic() - started, 1)}
    try:
        results = json.loads(result.stdout)
    except json.JSONDecodeError:
        row["error"] = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return row
    hardness = results.get("hardness") or {}
    row.update(score=hardness.get("score"), engaged=hardness.get("episodes"), left_out=hardness.get("episodes_left_out"),
               exits=sum(e["exit_reached"] for e in results["episodes"]), deaths=sum(e["deaths"] for e in results["episodes"]),
               verdict=(results.get("completion") or {}).get("verdict"))
    return row


def ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            result[order[k]] = (i + j) / 2 + 1  # ties share their mean rank
        i = j + 1
    return result


def spearman(xs: list[float], ys: list[float]) -> float | None:
    if len(xs) < 3:
        return None
    rx, ry = ranks(xs), ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    sx = sum((a - mx) ** 2 for a in rx) ** 0.5
    sy = sum((b - my) ** 2 for b in ry) ** 0.5
    return None if sx == 0 or sy == 0 else cov / (sx * sy)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--maps", default=",".join(PHASE2))
    parser.add_argument("--skills", default="1,2,3,4,5")
    parser.add_argument("--episodes", type=int, default=1)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--agents", default="navigator,explorer")
    parser.add_argument("--playtest", default=str(REPO / ".build/release/playtest"))
    parser.add_argument("--data-dir", help="the platform's data folder (default: a temporary one)")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--json", help="write every row to this file")
    args = parser.parse_args()
    maps, skills, agents = args.maps.split(","), [int(s) for s in args.skills.split(",")], args.agents.split(",")
    data = Path(args.data_dir or tempfile.mkdtemp(prefix="pt-hardness-"))
    # One run first, so the jobs that follow find the WAD imported and the schema made.
    first = play(args, data, maps[0], skills[0], agents[0])
    jobs = [(m, s, a) for m in maps for s in skills for a in agents][1:]
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        rows = [first] + list(pool.map(lambda job: play(args, data, *job), jobs))
    for row in rows:
        print(json.dumps(row), file=sys.stderr)
    score = {(r["map"], r["skill"], r["agent"]): r.get("score") for r in rows}
    print(f"{args.episodes} episode(s) of {args.seconds} s per map, skill and agent; seed 1; freedoom2.wad (VizDoom's copy)")
    print()
    print("| map | " + " | ".join(f"{a} skill {s}" for a in agents for s in skills) + " | " + " | ".join(f"{a} rises" for a in agents) + " |")
    print("|---|" + "---:|" * (len(agents) * len(skills)) + "---|" * len(agents))
    rises: dict[str, list[bool]] = {a: [] for a in agents}
    for m in maps:
        cells = [("–" if score[(m, s, a)] is None else f"{score[(m, s, a)]:.1f}") for a in agents for s in skills]
        flags = []
        for a in agents:
            values = [score[(m, s, a)] for s in skills]
            if None in values:
                flags.append("–")
                continue
            ok = all(x <= y for x, y in zip(values, values[1:]))
            rises[a].append(ok)
            flags.append("yes" if ok else "no")
        print(f"| {m} | " + " | ".join(cells) + " | " + " | ".join(flags) + " |")
    print()
    for a in agents:
        share = f"{sum(rises[a])}/{len(rises[a])}" if rises[a] else "–"
        line = [f"{a}: hardness rises monotonically with skill on {share} maps"]
        order = {m: i + 1 for i, m in enumerate(maps)}
        for s in skills:
            pairs = [(order[m], score[(m, s, a)]) for m in maps if score[(m, s, a)] is not None]
            rho = spearman([p[0] for p in pairs], [p[1] for p in pairs])
            line.append(f"ρ(map order, skill {s}) = {'–' if rho is None else f'{rho:.2f}'} over {len(pairs)} maps")
        means = [(order[m], sum(score[(m, s, a)] for s in skills) / len(skills)) for m in maps
                 if all(score[(m, s, a)] is not None for s in skills)]
        rho = spearman([p[0] for p in means], [p[1] for p in means])
        line.append(f"ρ(map order, mean over skills) = {'–' if rho is None else f'{rho:.2f}'} over {len(means)} maps")
        print("; ".join(line))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
