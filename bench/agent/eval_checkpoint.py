"""Evaluation figures of a DQN checkpoint, and its training curve.

    cd /work/main && .venv/bin/python bench/agent/eval_checkpoint.py --checkpoint agent/checkpoints/defend_the_center.pt \
        --scenario defend_the_center --episodes 20

Plays N greedy episodes with `evaluate` (seeds seed..seed+N-1, one episode each) and prints the
mean/min/max kills, the share of episodes that reached the timeout alive, the mean episode length,
then the training curve stored in the checkpoint (every train_progress point).
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "agent"))
from playtest_agent.config import parse_config  # noqa: E402
from playtest_agent.evaluate import evaluate  # noqa: E402
from playtest_agent.protocol import Emitter  # noqa: E402
from playtest_agent.session import Session  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--scenario", help="bundled scenario name (defend_the_center, health_gathering)")
    parser.add_argument("--map", help="map of the IWAD when no scenario")
    parser.add_argument("--episodes", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1000)
    parser.add_argument("--epsilon", type=float, default=0.0, help="epsilon during evaluation (0 = greedy)")
    parser.add_argument("--curve", type=int, default=0, metavar="K", help="print the training curve every K iterations")
    args = parser.parse_args()
    torch.set_num_threads(1)
    ends = []
    for episode in range(args.episodes):
        out = io.StringIO()
        config = {"agent": "dqn", "checkpoint": args.checkpoint, "episodes": 1, "seed": args.seed + episode, "telemetry_every": 0,
                  "dqn": {"epsilon_eval": args.epsilon}}
        if args.scenario:
            config["scenario_cfg"] = args.scenario
        if args.map:
            config["map"] = args.map
        evaluate(parse_config(config), Session(Emitter(out)))
        ends += [json.loads(line) for line in out.getvalue().splitlines() if '"episode_end"' in line]
    kills = [e["killcount"] for e in ends]
    survived = sum(1 for e in ends if e["reason"] == "timeout") / len(ends)
    policy = "greedy" if args.epsilon == 0 else f"epsilon {args.epsilon}"
    print(f"checkpoint {args.checkpoint}: {len(ends)} {policy} episodes on {args.scenario or args.map}")
    print(f"kills mean {statistics.mean(kills):.2f} min {min(kills)} max {max(kills)}; "
          f"survived to timeout {survived:.0%}; mean length {statistics.mean(e['tics'] for e in ends):.0f} tics; "
          f"mean cells visited {statistics.mean(e['cells_visited'] for e in ends):.1f}")
    print("kills per episode:", kills)
    payload = torch.load(args.checkpoint, weights_only=False)
    print(f"trained {payload['iteration']} iterations, {payload.get('episodes')} episodes, epsilon {payload['epsilon']:.3f}")
    if args.curve:
        print("training curve (means over the last 20 training episodes, epsilon-greedy):")
        print("iteration  epsilon  mean_train_reward  mean_train_kills  loss      steps/s  updates/s  elapsed_s")
        for p in payload.get("history", []):
            if p["iteration"] % args.curve != 0:
                continue
            print(f"{p['iteration']:9d}  {p['epsilon']:.3f}    {p['mean_episode_reward'] or 0:14.2f}  "
                  f"{p['mean_episode_kills'] or 0:16.2f}  {p['loss'] or 0:.5f}  {p['steps_per_s']:7.1f}  "
                  f"{p['updates_per_s']:9.1f}  {p['elapsed_s']:9.0f}")


if __name__ == "__main__":
    main()
