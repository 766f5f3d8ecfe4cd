"""Ground covered: the explorer against random, same maps, same seeds, same time limit.

    cd /work/main && .venv/bin/python bench/agent/bench_coverage.py [--maps MAP01,...] [--seeds 1,2]

Counts the 64x64-unit map cells the player stood in (`cells_visited` of episode_end) in one
episode of 1400 tics (40 s) on freedoom2 maps, for both agents, and prints the ratio per map.
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
from playtest_agent.config import parse_config  # noqa: E402
from playtest_agent.evaluate import evaluate  # noqa: E402
from playtest_agent.protocol import Emitter  # noqa: E402
from playtest_agent.session import Session  # noqa: E402


def cells(agent: str, game_map: str, seed: int) -> tuple[int, int]:
    out = io.StringIO()
    config = parse_config({"agent": agent, "map": game_map, "seed": seed, "telemetry_every": 0,
                           "env": {"episode_timeout": 1400}})
    evaluate(config, Session(Emitter(out)))
    end = next(json.loads(line) for line in out.getvalue().splitlines() if '"episode_end"' in line)
    return end["cells_visited"], end["killcount"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--maps", default="MAP01,MAP02,MAP03,MAP04,MAP05,MAP06,MAP07,MAP08")
    parser.add_argument("--seeds", default="1,2")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    print(f"{'map':6s} {'random cells':>12s} {'explorer cells':>14s} {'ratio':>6s} {'explorer kills':>14s}")
    ratios = []
    for game_map in args.maps.split(","):
        random_cells = [cells("random", game_map, s)[0] for s in seeds]
        explorer = [cells("explorer", game_map, s) for s in seeds]
        r, e = statistics.mean(random_cells), statistics.mean(c for c, _ in explorer)
        ratios.append(e / r)
        print(f"{game_map:6s} {r:12.1f} {e:14.1f} {e / r:6.2f} {statistics.mean(k for _, k in explorer):14.1f}", flush=True)
    print(f"freedoom2, 1400 tics per episode, seeds {seeds}: explorer/random cells ratio min {min(ratios):.2f}, "
          f"median {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
