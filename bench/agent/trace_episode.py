"""Trace one navigator episode on a real map, a line every `--every` game seconds: what a failure looks like from
inside (health, armour, weapon and ammunition, place, the step and state, what it fights, damage taken).

    .venv/bin/python bench/agent/trace_episode.py MAP [--episode N] [--from S] [--to S] [--every S] [--god]
        [--skill 2] [--seed 1] [--minutes 10] [--planner .build/debug/playtest] [--cache DIR]

Episodes before `--episode` are played untraced first, as bench_completion.py plays them one after another in one
engine (the engine's random state carries over). The plan comes from the Swift planner (`plan --format navigation`),
cached in `--cache` (default /tmp/navbench, shared with bench_completion.py's `--cache`).
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "agent"))
from playtest_agent.agents import make_agent  # noqa: E402
from playtest_agent.config import RunConfig, parse_config  # noqa: E402
from playtest_agent import env as E  # noqa: E402
from playtest_agent.env import DoomEnv  # noqa: E402
from playtest_agent.protocol import Emitter  # noqa: E402
from playtest_agent.session import Session  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_completion import iwad_of, plan  # noqa: E402


def line(env: DoomEnv, agent, tic: int) -> str:  # type: ignore[no-untyped-def]
    v = env.variables
    step = agent.current_step
    fight = agent.fight_target
    fight_text = f" fight={fight[0]}@{fight[1]:.0f}" if fight else ""
    return (f"{tic / 35:7.1f}s hp={v[E.HEALTH]:.0f} ar={v[E.ARMOR]:.0f} w={v[E.WEAPON]:.0f} ammo={v[E.AMMO]:.0f} "
            f"kills={v[E.KILLS]:.0f} dmg={v[E.DAMAGE_TAKEN]:.0f} at=({v[E.X]:.0f},{v[E.Y]:.0f}) "
            f"step={agent.step_index}:{step.kind if step else None} {agent.status.state}{fight_text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("map")
    parser.add_argument("--episode", type=int, default=0)
    parser.add_argument("--from", dest="start", type=float, default=0.0, help="game seconds: trace from")
    parser.add_argument("--to", type=float, default=math.inf, help="game seconds: stop the episode here")
    parser.add_argument("--every", type=float, default=1.0, help="game seconds between lines")
    parser.add_argument("--god", action="store_true")
    parser.add_argument("--skill", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--planner", default=str(REPO / ".build/debug/playtest"))
    parser.add_argument("--cache", default="/tmp/navbench")
    args = parser.parse_args()
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    navigation, _ = plan(args.planner, args.map, args.skill, cache)
    config: RunConfig = parse_config({
        "agent": "navigator", "wad": iwad_of(args.map), "map": args.map, "episodes": args.episode + 1, "seed": args.seed,
        "telemetry_every": 0, "navigation": navigation,
        "env": {"episode_timeout": int(args.minutes * 60 * 35), "skill": args.skill, "god_mode": args.god},
    })
    session = Session(Emitter(open("/dev/null", "w")))
    agent = make_agent(config)
    env = DoomEnv(config, session.watchdog, features=agent.features, action_set=agent.action_set)
    print(f"{args.map}: {navigation['verdict']}, {len(navigation['steps'])} steps", flush=True)
    for episode in range(args.episode + 1):
        env.reset(None)
        agent.begin_episode(env)
        traced = episode == args.episode
        every, next_line, hurt = int(args.every * 35), int(args.start * 35), 0.0
        while not env.game.is_episode_finished():
            env.step(agent.act(env))
            tic = env.game.get_episode_time() or env.tic
            if not traced:
                continue
            damage = float(env.variables[E.DAMAGE_TAKEN])
            if tic >= next_line or (damage > hurt + 20 and tic >= args.start * 35):
                print(line(env, agent, tic), flush=True)
                next_line, hurt = tic + every, damage
            if tic >= args.to * 35:
                break
        if traced:
            goal = json.loads(agent.goal_json) if agent.goal_json else None
            print(f"end: {env.end_reason()} at tic {env.tic} ({env.tic / 35:.1f}s), goal {goal}", flush=True)
    env.close()


if __name__ == "__main__":
    main()
