"""Why does the navigator die? Plays one episode in-process and prints, for each second in which the
player lost health, the goal, health, weapon and the live monsters within 1500 units that see it (by
the objects info and the map's lines), then the last seconds before death.

    .venv/bin/python bench/agent/diagnose_deaths.py --map E1M3 [--navigation /tmp/navcache/E1M3-skill2.json]
        [--episode N] [--window FROM TO] [--minutes 10] [--skill 2] [--god]

Without --navigation the map is planned with the Swift planner (`--planner`, default .build/debug/playtest) and the
plan cached in `--cache` (default /tmp/navbench, as bench_completion.py's `--cache`). `--episode N` plays the N
episodes before it untraced first, in the same engine, as bench_completion.py plays them. `--window 0 600` prints
every second. `--census` prints one `CENSUS {json}` line at the end: how the last ten seconds went (health lost while
fighting, walking, acting; what was fought; what stood in sight at the end), for death_census.py to tally.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter, deque
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "agent"))
from playtest_agent import env as E  # noqa: E402
from playtest_agent.agents import make_agent  # noqa: E402
from playtest_agent.agents.aim import MONSTERS  # noqa: E402
from playtest_agent.config import VIZDOOM_DIR, parse_config  # noqa: E402
from playtest_agent.env import DoomEnv  # noqa: E402
from playtest_agent.protocol import Emitter  # noqa: E402
from playtest_agent.watchdog import Watchdog  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_completion import plan  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--map", required=True)
    parser.add_argument("--navigation", help="the plan (plan --format navigation); default: planned and cached")
    parser.add_argument("--planner", default=str(REPO / ".build/debug/playtest"))
    parser.add_argument("--cache", default="/tmp/navbench")
    parser.add_argument("--episode", type=int, default=0, help="the episode to trace; those before it are played untraced")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--skill", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--god", action="store_true")
    parser.add_argument("--quiet", action="store_true", help="only the end")
    parser.add_argument("--window", type=float, nargs=2, help="also every second between these game seconds")
    parser.add_argument("--census", action="store_true", help="print a CENSUS line (JSON) about the end")
    args = parser.parse_args()
    wad = str(Path(VIZDOOM_DIR) / ("freedoom1.wad" if args.map.startswith("E") else "freedoom2.wad"))
    if args.navigation:
        navigation = json.loads(Path(args.navigation).read_text())
    else:
        Path(args.cache).mkdir(parents=True, exist_ok=True)
        navigation, _ = plan(args.planner, args.map, args.skill, Path(args.cache))
    config = parse_config({"agent": "navigator", "wad": wad, "map": args.map, "episodes": args.episode + 1, "seed": args.seed,
                           "navigation": navigation,
                           "env": {"episode_timeout": int(args.minutes * 2100), "skill": args.skill, "god_mode": args.god}})
    emitter = Emitter(sys.stdout)
    watchdog = Watchdog(emitter)
    agent = make_agent(config)
    env = DoomEnv(config, watchdog, features=agent.features, action_set=agent.action_set)
    for _ in range(args.episode):
        env.reset(None)
        agent.begin_episode(env)
        while not env.game.is_episode_finished():
            env.step(agent.act(env))
    env.reset(None)
    agent.begin_episode(env)
    last_health, second, lost, log, sighted = 100.0, -1, 0.0, [], []
    steps_begun: list[tuple[int, float]] = []
    spent: dict[int, float] = {}
    recent: deque[tuple[int, float, str, str | None, bool]] = deque()  # (tic, health, state, fought, fought on screen)
    while not env.game.is_episode_finished():
        state = env.state
        v = env.variables
        x, y, health = float(v[E.X]), float(v[E.Y]), float(v[E.HEALTH])
        tic = int(state.tic)
        action = agent.act(env)
        if args.census:
            fought = agent.combat.target_name if agent.combat.target_id is not None and agent.status.state == "fighting" else None
            visible = fought is not None and any(label.object_id == agent.combat.target_id for label in state.labels)
            recent.append((tic, health, agent.status.state, fought, visible))
            while recent[0][0] < tic - 10 * 35:
                recent.popleft()
        if not steps_begun or steps_begun[-1][0] != agent.step_index:
            steps_begun.append((agent.step_index, tic / 35))
        if health < last_health:
            lost += last_health - health
        last_health = health
        if tic // 35 != second:
            second = tic // 35
            near = []
            agent.world.update(state)  # act() released the state (world.release); sight checks read its sectors
            on_screen = {label.object_id for label in state.labels}
            sighted = []
            for o in state.objects:
                if o.category == "Monster" and o.name in MONSTERS:
                    d = math.hypot(o.position_x - x, o.position_y - y)
                    if d < 1500 and agent.world.sight_clear(x, y, o.position_x, o.position_y):
                        near.append(f"{o.name}@{d:.0f}")
                        sighted.append((round(d), o.name, o.id in on_screen))
            labels = [l.object_name for l in state.labels if l.object_name in MONSTERS]
            line = (f"t={tic / 35:6.1f} hp={health:5.0f} ar={float(v[E.ARMOR]):4.0f} w={int(v[E.WEAPON])} ammo={int(v[E.AMMO])} "
                    f"lost={lost:4.0f} ign={sum(1 for t in agent.combat.ignored.values() if t > tic)} seen={len(agent.combat.seen)} goal={agent.goal_json} pos=({x:.0f},{y:.0f}) sector={agent.travel.sector} near={near[:6]} onscreen={labels[:4]}")
            if health < 40 and second % 5 == 0:
                heal = sorted((math.hypot(o.position_x - x, o.position_y - y), o.name, o.id) for o in state.objects
                              if o.name in ("Stimpack", "Medikit", "Soulsphere"))[:3]
                line += f" | supplies target={agent.supplies.target} name={agent.supplies.target_name} via={agent.supplies.via} " \
                        f"taken={len(agent.supplies.taken)} health items={[(round(d), n, i) for d, n, i in heal]}"
            agent.world.release()
            log.append(line)
            if (lost > 0 and not args.quiet) or (args.window and args.window[0] <= tic / 35 <= args.window[1]):
                print(line)
            lost = 0.0
        weapon_before, ammo_before = int(v[E.WEAPON]), float(v[E.AMMO])
        env.step(action)
        if int(env.variables[E.WEAPON]) == weapon_before and float(env.variables[E.AMMO]) < ammo_before:
            spent[weapon_before] = spent.get(weapon_before, 0) + ammo_before - float(env.variables[E.AMMO])
    print("END", env.end_reason(), f"t={env.tic / 35:.1f}")
    print(f"kills {int(env.variables[E.KILLS])} hits {int(env.variables[E.HITS])} rounds spent by weapon slot {spent}")
    print("steps begun at (game seconds):", " ".join(f"{step}@{t:.0f}" for step, t in steps_begun))
    print("\n".join(log[-12:]))
    if args.census:
        print("CENSUS " + json.dumps(census(args, agent, env, recent, len(navigation.get("steps", [])), sighted)))
    watchdog.stop()


def census(args: argparse.Namespace, agent, env: DoomEnv, recent: deque, steps: int, sighted: list) -> dict:
    """How the episode ended, from its last ten seconds: health lost by what the navigator was doing (fighting a
    monster on screen, fighting one off screen, or walking, acting, waiting with no fight), the kinds fought, and the
    monsters in straight sight within 1500 units at its last second (`sighted`: distance, kind, on screen)."""
    lost: Counter[str] = Counter()
    sighted = sorted(sighted)[:8]
    fought: Counter[str] = Counter()
    for (_, before, _, _, _), (_, after, state, name, visible) in zip(recent, list(recent)[1:]):
        doing = ("fighting on screen" if visible else "fighting off screen") if name else state
        if after < before:
            lost[doing] += before - after
        if name:
            fought[name] += 1
    v = env.variables
    return {"map": args.map, "skill": args.skill, "seed": args.seed, "end": env.end_reason(), "t": round(env.tic / 35, 1),
            "step": agent.step_index, "steps": steps, "kills": int(v[E.KILLS]), "weapon": int(v[E.WEAPON]),
            "ammo": int(v[E.AMMO]), "armor": int(v[E.ARMOR]),
            "health_10s_before": recent[0][1] if recent else None, "lost": dict(lost), "fought": dict(fought),
            "sighted": sighted}


if __name__ == "__main__":
    main()
