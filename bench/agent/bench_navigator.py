"""Navigator throughput against a bare VizDoom loop with the same buffers, side by side in one run.

    .venv/bin/python bench/agent/bench_navigator.py [--steps 3000] [--rounds 3]
    .venv/bin/python bench/agent/bench_navigator.py --wad freedoom2.wad --map MAP01 --navigation plan.json

Both play the same map at 160x120 GRAY8, frame skip 4, with the buffers the navigator needs (depth,
labels, objects info, sectors info) and the 15 game variables of a step message, pinned to core 0
(the reader of our pipe, standing in for the Swift worker, runs on core 1):

- navigator: `python -m playtest_agent evaluate` with agent navigator and full per-step telemetry
             (every step message with its `goal`), read and parsed from a pipe by this process;
- reference: a bare loop in a child process: get_state() + make_action(a), where a is the action the
             navigator chose at that step in the same round (from its telemetry), with the same seed,
             skill and god mode, so the engine plays the very same game and draws the same views:
             the difference is the navigator's own work (and the protocol), not what it looks at.

Without --navigation the map is the tests' key-and-doors map (agent/tests/planted_maps.py) with a
patrol plan: press the switch, then walk back and forth through the opened door 200 times, so an
episode lasts the whole measurement. Rounds interleave the two; the median is reported, as
wall-clock steps/s and as steps per CPU-second of the process and its engine (the fairer figure on
a shared machine).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import vizdoom as vzd

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "agent"))
sys.path.insert(0, str(REPO / "agent" / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_throughput import CORE, READER_CORE, cpu_seconds  # noqa: E402
from playtest_agent.agents.steering import navigator_action_set  # noqa: E402
from playtest_agent.config import BUNDLED_IWAD  # noqa: E402
from playtest_agent.env import VARIABLES  # noqa: E402

TIMEOUT = 35 * 60 * 10  # tics: ten minutes of game time per episode


def patrol_map(directory: Path) -> tuple[str, str, dict]:
    import planted_maps

    wad, navigation = planted_maps.key_and_doors(directory)
    switch, _, exit_step = navigation["steps"]
    patrol = [{"kind": "walk", "node": node, "note": "patrol"} for _ in range(200) for node in (4, 0)]
    navigation["steps"] = [switch] + patrol + [exit_step]
    return wad, "MAP01", navigation


def reference_loop(iwad: str, wad: str | None, map_name: str, skill: int, steps: int, seed: int, god_mode: bool,
                   played: list[int]) -> tuple[float, float]:
    os.sched_setaffinity(0, {CORE})
    action_set = navigator_action_set()
    game = vzd.DoomGame()
    game.set_doom_game_path(iwad)
    if wad:
        game.set_doom_scenario_path(wad)
    game.set_doom_map(map_name)
    game.set_doom_skill(skill)
    game.set_screen_resolution(vzd.ScreenResolution.RES_160X120)
    game.set_screen_format(vzd.ScreenFormat.GRAY8)
    game.set_window_visible(False)
    game.set_sound_enabled(False)
    game.set_render_hud(False)
    game.set_render_screen_flashes(False)
    game.set_episode_timeout(TIMEOUT)
    game.set_available_buttons(action_set.vizdoom_buttons())
    game.set_available_game_variables([getattr(vzd.GameVariable, v) for v in VARIABLES])
    game.set_depth_buffer_enabled(True)
    game.set_labels_buffer_enabled(True)
    game.set_objects_info_enabled(True)
    game.set_sectors_info_enabled(True)
    game.set_seed(seed)
    if god_mode:
        game.add_game_args("+sv_cheats 1")
    game.init()
    actions = [list(a) for a in action_set.actions]
    game.new_episode()
    if god_mode:
        game.send_game_command("god")
    done = 0
    for action in played[:1]:  # the navigator's first step is not measured either
        game.get_state()
        game.make_action(actions[action], 4)
    start, cpu_start = time.perf_counter(), cpu_seconds(os.getpid())
    for action in played[1: steps + 1]:
        if game.is_episode_finished():
            game.new_episode()
            if god_mode:
                game.send_game_command("god")
        game.get_state()
        game.make_action(actions[action], 4)
        done += 1
    seconds, cpu = time.perf_counter() - start, cpu_seconds(os.getpid()) - cpu_start
    game.close()
    return done / seconds, done / cpu


def navigator(iwad: str, wad: str | None, map_name: str, navigation: dict, steps: int, seed: int,
              god_mode: bool) -> tuple[float, float, dict, list[int]]:
    config = {"agent": "navigator", "wad": iwad, "pwads": [wad] if wad else [], "map": map_name, "episodes": 1000,
              "seed": seed, "telemetry_every": 1, "navigation": navigation,
              "env": {"resolution": "160x120", "screen_format": "GRAY8", "frame_skip": 4, "episode_timeout": TIMEOUT,
                      "skill": navigation.get("skill") or 3, "god_mode": god_mode}}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(config, handle)
    process = subprocess.Popen(
        [sys.executable, "-m", "playtest_agent", "evaluate", "--config", handle.name], cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO / "agent")}, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        preexec_fn=lambda: os.sched_setaffinity(0, {CORE}),
    )
    assert process.stdout is not None
    count, first, last, cpu_first, cpu_last = 0, 0.0, 0.0, 0.0, 0.0
    states: dict[str, int] = {}
    played: list[int] = []
    for line in process.stdout:
        if line.startswith(b'{"v":1,"type":"step"'):
            message = json.loads(line)
            played.append(message["action"])
            states[message["goal"]["state"]] = states.get(message["goal"]["state"], 0) + 1
            count += 1
            if count == 1:
                first, cpu_first = time.perf_counter(), cpu_seconds(process.pid)
            if count == steps + 1:
                last, cpu_last = time.perf_counter(), cpu_seconds(process.pid)
                process.terminate()
    process.wait()
    os.unlink(handle.name)
    if count <= steps:
        raise SystemExit(f"the navigator sent only {count} steps")
    return steps / (last - first), steps / (cpu_last - cpu_first), states, played


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--wad", help="a PWAD (or, with --iwad, nothing); default: the built patrol map")
    parser.add_argument("--iwad", default=BUNDLED_IWAD)
    parser.add_argument("--map", default="MAP01")
    parser.add_argument("--navigation", help="the map's navigation object (JSON file)")
    parser.add_argument("--god-mode", action="store_true")
    args = parser.parse_args()
    os.sched_setaffinity(0, {READER_CORE})
    if args.navigation:
        wad, map_name, navigation = args.wad, args.map, json.loads(Path(args.navigation).read_text())
        place = f"{os.path.basename(args.wad or args.iwad)} {map_name}"
    else:
        wad, map_name, navigation = patrol_map(Path(tempfile.mkdtemp()))
        place = "built key-and-doors map, patrol plan"
    skill = navigation.get("skill") or 3
    results: dict[str, list[tuple[float, float]]] = {"navigator": [], "reference": []}
    for round_ in range(args.rounds):
        wall, cpu, states, played = navigator(args.iwad, wad, map_name, navigation, args.steps, round_, args.god_mode)
        results["navigator"].append((wall, cpu))
        print(f"round {round_ + 1} navigator {wall:8.1f} steps/s wall {cpu:8.1f} steps/CPU-s  states {states}", flush=True)
        with multiprocessing.get_context("fork").Pool(1) as pool:
            rate = pool.apply(reference_loop, (args.iwad, wad, map_name, skill, args.steps, round_, args.god_mode, played))
        results["reference"].append(rate)
        print(f"round {round_ + 1} reference {rate[0]:8.1f} steps/s wall {rate[1]:8.1f} steps/CPU-s", flush=True)
    wall_ref = statistics.median(r[0] for r in results["reference"])
    cpu_ref = statistics.median(r[1] for r in results["reference"])
    print(f"\n{place}; 160x120 GRAY8, frame skip 4, depth + labels + objects + sectors, 1 core, "
          f"{args.steps} steps, median of {args.rounds} rounds")
    print(f"{'variant':10s} {'steps/s':>9s} {'ratio':>6s} {'steps/CPU-s':>12s} {'ratio':>6s}")
    for variant, rates in results.items():
        wall = statistics.median(r[0] for r in rates)
        cpu = statistics.median(r[1] for r in rates)
        print(f"{variant:10s} {wall:9.1f} {wall / wall_ref:6.3f} {cpu:12.1f} {cpu / cpu_ref:6.3f}")


if __name__ == "__main__":
    main()
