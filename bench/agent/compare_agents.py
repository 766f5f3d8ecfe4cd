"""The three agents side by side on the same maps and seeds: kills, cells visited, deaths.

    cd /work/main && .venv/bin/python bench/agent/compare_agents.py [--episodes 3] [--timeout 2100]

Places: the VizDoom deathmatch scenario, freedoom2 MAP01 (both in the general agent's training
rotation) and freedoom2 MAP04 and MAP05 (not trained on). The dqn agent is the shipped default
(agent/checkpoints/general.pt).
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "agent"))
import torch  # noqa: E402

from playtest_agent.config import parse_config  # noqa: E402
from playtest_agent.evaluate import evaluate  # noqa: E402
from playtest_agent.protocol import Emitter  # noqa: E402
from playtest_agent.session import Session  # noqa: E402

PLACES = {"deathmatch": {"scenario_cfg": "deathmatch"}, "MAP01": {"map": "MAP01"}, "MAP04": {"map": "MAP04"},
          "MAP05": {"map": "MAP05"}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--episodes", type=int, default=3)
    parser.add_argument("--timeout", type=int, default=2100)
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(f"{args.episodes} episodes of {args.timeout} tics per agent and place (seeds 1..{args.episodes}); means")
    print(f"{'place':11s} {'agent':9s} {'kills':>6s} {'cells':>6s} {'deaths':>7s} {'items':>6s}")
    for place, where in PLACES.items():
        for agent in ("random", "explorer", "dqn"):
            ends = []
            for seed in range(1, args.episodes + 1):
                out = io.StringIO()
                config = parse_config({"agent": agent, "episodes": 1, "seed": seed, "telemetry_every": 0,
                                       "env": {"episode_timeout": args.timeout}, **where})
                evaluate(config, Session(Emitter(out)))
                ends += [json.loads(l) for l in out.getvalue().splitlines() if '"episode_end"' in l]
            mean = lambda key: statistics.mean(e[key] for e in ends)  # noqa: E731
            deaths = sum(1 for e in ends if e["reason"] == "death") / len(ends)
            print(f"{place:11s} {agent:9s} {mean('killcount'):6.1f} {mean('cells_visited'):6.1f} {deaths:7.0%} {mean('itemcount'):6.1f}", flush=True)


if __name__ == "__main__":
    main()
