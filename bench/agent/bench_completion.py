"""Completion: does the navigator reach the exit of real maps? Navigator (with and without god mode)
against the explorer, side by side in one run.

    .venv/bin/python bench/agent/bench_completion.py [--maps E1M1,MAP01] [--episodes 3] [--minutes 10]
        [--planner /work/main/.build/debug/playtest] [--skill 2] [--seed 1] [--agents nav-god,nav,explorer] [--jobs 1]

For each map of Freedoom Phase 1 (E1M1-E4M9) and Phase 2 (MAP01-MAP32), VizDoom's copies: the Swift
planner's `plan <wad> --map M --skill S --format navigation` gives the navigation object (and the
verdict); then `python -m playtest_agent evaluate` plays `--episodes` episodes of `--minutes` of game
time per agent, recording demos, so every exit is replay-checked. Per map and agent: exits, the
mean time to exit (game seconds), the replay check, and for failures how the last episode ended (its
`goal`: step, state, waypoint). Results go to stdout (a Markdown table) and, with --json, to a file.
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

PHASE1 = [f"E{e}M{m}" for e in range(1, 5) for m in range(1, 10)]
PHASE2 = [f"MAP{n:02d}" for n in range(1, 33)]
AGENTS = {"nav-god": ("navigator", True), "nav": ("navigator", False), "explorer": ("explorer", False)}


def iwad_of(map_name: str) -> str:
    return os.path.join(VIZDOOM_DIR, "freedoom1.wad" if map_name.startswith("E") else "freedoom2.wad")


def plan(planner: str, map_name: str, skill: int, cache: Path) -> tuple[dict[str, Any], float]:
    path = cache / f"{map_name}-skill{skill}.json"
    started = time.monotonic()
    if not path.exists():
        out = subprocess.run([planner, "plan", iwad_of(map_name), "--map", map_name, "--skill", str(skill),
                              "--format", "navigation"], capture_output=True, text=True, check=True).stdout
        path.write_text(out)
    return json.loads(path.read_text()), time.monotonic() - started


def play(agent: str, god: bool, map_name: str, navigation: dict[str, Any], episodes: int, minutes: float, skill: int,
         work: Path, seed: int = 1) -> dict[str, Any]:
    config: dict[str, Any] = {
        "agent": agent, "wad": iwad_of(map_name), "map": map_name, "episodes": episodes, "seed": seed, "telemetry_every": 0,
        "record_demos": True, "demo_dir": str(work / "demos"),
        "env": {"episode_timeout": int(minutes * 60 * 35), "skill": skill, "god_mode": god},
    }
    if agent == "navigator":
        config["navigation"] = navigation
    config_path = work / "run.json"
    config_path.write_text(json.dumps(config))
    started = time.monotonic()
    # In a folder of its own: VizDoom writes its _vizdoom.ini into the working folder (two games started at once in a
    # fresh folder are the likely cause of a run that lost E1M1 at its start: no episode, no error line; not reproduced).
    result = subprocess.run([sys.executable, "-m", "playtest_agent", "evaluate", "--config", str(config_path)], cwd=work,
                            env={**os.environ, "PYTHONPATH": str(REPO / "agent")}, capture_output=True, text=True)
    messages = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    ends = [m for m in messages if m["type"] == "episode_end"]
    replays = [m["replay"] for m in messages if m["type"] == "artifact" and "replay" in m]
    errors = [m["message"] for m in messages if m["type"] == "error"]
    if result.returncode != 0 and not errors:  # a process that died says so in the row, not as 0 episodes
        errors.append(f"the agent exited with status {result.returncode}: {result.stderr.strip()[-400:]}")
    return {
        "exits": sum(e["reason"] == "exit" for e in ends), "episodes": len(ends),
        "exit_seconds": [round(e["tics"] / 35, 1) for e in ends if e["reason"] == "exit"],
        "reasons": [e["reason"] for e in ends], "last_goal": ends[-1].get("goal") if ends else None,
        "last_place": (ends[-1]["x"], ends[-1]["y"]) if ends else None,
        "replays_same_tic": sum(bool(r["same_tic"]) for r in replays), "replays": len(replays),
        "drift": [r["drift"] for r in replays if r["drift"]], "errors": errors,
        "wall_s": round(time.monotonic() - started, 1),
    }


def run_map(map_name: str, args: argparse.Namespace, cache: Path) -> dict[str, Any]:
    navigation, plan_s = plan(args.planner, map_name, args.skill, cache)
    row: dict[str, Any] = {"map": map_name, "verdict": navigation["verdict"], "steps": len(navigation["steps"]),
                           "nodes": len(navigation["nodes"]), "edges": len(navigation["edges"]), "reason": navigation["reason"]}
    with tempfile.TemporaryDirectory() as directory:
        for name in args.agents.split(","):
            agent, god = AGENTS[name]
            work = Path(directory) / name
            work.mkdir()
            row[name] = play(agent, god, map_name, navigation, args.episodes, args.minutes, args.skill, work, args.seed)
    print(json.dumps(row), file=sys.stderr, flush=True)
    return row


def cell(result: dict[str, Any]) -> str:
    if result["errors"]:
        return "error"
    text = f"{result['exits']}/{result['episodes']}"
    if result["exit_seconds"]:
        text += f" ({min(result['exit_seconds']):.0f} s)"
    if result["replays"] and result["replays_same_tic"] != result["replays"]:
        text += " replay drift"
    return text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--maps", default=",".join(PHASE1 + PHASE2))
    parser.add_argument("--episodes", type=int, default=3)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--skill", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1, help="the run's seed (other games for another A/B sample)")
    parser.add_argument("--agents", default="nav-god,nav,explorer")
    parser.add_argument("--planner", default="/work/main/.build/debug/playtest")
    parser.add_argument("--cache", help="where navigation objects are kept (default: a temporary folder)")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--json", help="write every row to this file")
    args = parser.parse_args()
    cache = Path(args.cache or tempfile.mkdtemp())
    cache.mkdir(parents=True, exist_ok=True)
    maps = args.maps.split(",")
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        rows = list(pool.map(lambda m: run_map(m, args, cache), maps))
    agents = args.agents.split(",")
    print(f"skill {args.skill}, {args.episodes} episode(s) of {args.minutes:g} min per map and agent; "
          "cells: exits/episodes (fastest exit, game seconds)")
    print("| map | plan | " + " | ".join(agents) + " | navigator's last goal when it failed |")
    print("|---|---|" + "---|" * len(agents) + "---|")
    for row in rows:
        failed = next((row[a] for a in agents if a.startswith("nav") and row[a]["exits"] < row[a]["episodes"]), None)
        why = ""
        if failed and failed["last_goal"]:
            g = failed["last_goal"]
            why = f"{failed['reasons'][-1]}: step {g['step']} {g['kind']} ({g['state']}, waypoint {g['waypoint']})"
        print(f"| {row['map']} | {row['verdict']} ({row['steps']}) | " + " | ".join(cell(row[a]) for a in agents) + f" | {why} |")
    for name in agents:
        completed = sum(row[name]["exits"] > 0 for row in rows)
        print(f"{name}: {completed}/{len(rows)} maps completed at least once")
    completable = sum(row["verdict"] == "completable" for row in rows)
    print(f"planner: {completable}/{len(rows)} completable")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
