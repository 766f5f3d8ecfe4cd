"""The completion bench's rows (bench_completion.py --json) as the Markdown of bench/results/completion.md.

    .venv/bin/python bench/agent/completion_report.py rows.json [more-rows.json ...]

Per map: the planner's verdict (and its number of steps), then per agent the exits over the
episodes, the exit rate, the fastest and the mean time to exit (game seconds), and the replay check
(exits whose demo replays to the exit on the same tic); for the navigator, how its last failed
episode ended. Then the totals against the issue's targets (with god mode >= 90% of the maps
completed at least once, without >= 60%), over all maps and over the maps the planner calls
completable. Several files are merged in the order given, per map and agent (a later file's result for the
same map and agent wins; the agents of one map may come from different runs). The targets count over all the
maps of the rows; the maps an agent did not play count as not completed (the column `played` says how many).
"""

from __future__ import annotations

import json
import math
import sys
from typing import Any

TARGETS = {"nav-god": 0.9, "nav": 0.6}


def cell(result: dict[str, Any]) -> str:
    if result["errors"]:
        return "error: " + result["errors"][0][:60]
    exits, episodes = result["exits"], result["episodes"]
    text = f"{exits}/{episodes}"
    seconds = result["exit_seconds"]
    if seconds:
        text += f" · {min(seconds):.0f} s / {sum(seconds) / len(seconds):.0f} s"
    if result["replays"]:
        text += f" · replay {result['replays_same_tic']}/{result['replays']}"
    return text


def failure(row: dict[str, Any], agent: str) -> str:
    result = row.get(agent)
    if not result or result["exits"] == result["episodes"] or not result["last_goal"]:
        return ""
    goal = result["last_goal"]
    reason = result["reasons"][-1]
    if reason == "exit":  # the bench keeps the goal of the last episode only
        return "episodes that failed: " + ", ".join(r for r in result["reasons"] if r != "exit")
    where = f"waypoint {goal['waypoint']}" if goal.get("waypoint") is not None else "no waypoint"
    mover = f", mover {goal['mover']}" if goal.get("mover") is not None else ""
    return f"{reason}: step {goal['step']} {goal['kind']} {goal['state']} ({where}{mover})"


def main() -> None:
    rows: dict[str, dict[str, Any]] = {}
    for path in sys.argv[1:]:
        for row in json.load(open(path)):
            rows.setdefault(row["map"], {}).update(row)
    ordered = sorted(rows.values(), key=lambda r: (r["map"].startswith("MAP"), r["map"]))
    agents = [a for a in ("nav-god", "nav", "explorer") if any(a in r for r in ordered)]
    print("Cells: exits/episodes · fastest / mean time to exit (game seconds) · replay check (exits whose demo "
          "replays to the exit on the same tic).\n")
    print("| map | plan | " + " | ".join(agents) + " | nav-god's last failure | nav's last failure |")
    print("|---|---|" + "---|" * len(agents) + "---|---|")
    for row in ordered:
        plan = f"{row['verdict']} ({row['steps']})" if row["verdict"] == "completable" else row["verdict"]
        cells = " | ".join(cell(row[a]) if a in row else "–" for a in agents)
        print(f"| {row['map']} | {plan} | {cells} | {failure(row, 'nav-god')} | {failure(row, 'nav')} |")
    completable = [r for r in ordered if r["verdict"] == "completable"]
    print("\n| agent | played | maps completed (all) | exit rate (all episodes) | on completable maps | target | met |")
    print("|---|---|---|---|---|---|---|")
    for agent in agents:
        done = sum(r[agent]["exits"] > 0 for r in ordered if agent in r)
        exits = sum(r[agent]["exits"] for r in ordered if agent in r)
        episodes = sum(r[agent]["episodes"] for r in ordered if agent in r)
        done_c = sum(r[agent]["exits"] > 0 for r in completable if agent in r)
        target = TARGETS.get(agent)
        need = math.ceil(target * len(ordered)) if target else None
        met = "" if target is None else ("yes" if done >= need else "**missed**")
        played = sum(agent in r for r in ordered)
        print(f"| {agent} | {played} | {done}/{len(ordered)} ({100 * done / len(ordered):.0f}%) | {exits}/{episodes} | "
              f"{done_c}/{len(completable)} | {f'>= {target:.0%} ({need} maps)' if target else '–'} | {met} |")
    replays = sum(r[a]["replays"] for r in ordered for a in agents if a in r)
    same = sum(r[a]["replays_same_tic"] for r in ordered for a in agents if a in r)
    print(f"\nReplay check: {same}/{replays} exit demos replayed to the exit on the same tic.")
    print(f"Planner: {len(completable)}/{len(ordered)} maps completable "
          f"({100 * len(completable) / max(len(ordered), 1):.0f}%; target >= 95%).")


if __name__ == "__main__":
    main()
