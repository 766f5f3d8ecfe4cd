"""Agent throughput, ours against a bare VizDoom loop, side by side in one run.

    cd /work/main && .venv/bin/python bench/agent/bench_throughput.py [--steps 4000] [--rounds 3]

Scenario defend_the_center, 160x120 GRAY8, frame skip 4, one CPU core: the game loops (reference
and our agent process) are pinned to core 0 with os.sched_setaffinity, torch uses 1 thread; the
reader of our pipe (standing in for the Swift worker) runs on core 1.

- reference: a bare VizDoom loop in a child process on core 0: get_state() + make_action(random)
             until N steps, with the same engine settings as our env (the scenario's 3 buttons and
             the 15 game variables the step message carries).
- random:    `python -m playtest_agent evaluate` with agent random and full per-step telemetry
             (telemetry_every 1) read from a pipe by this process; steps/s counted from the first
             to the last `step` line received.
- explorer:  the same with the scripted explorer (depth + labels buffers on).
- dqn:       the same with greedy DQN inference (a checkpoint is needed: --checkpoint, default the
             shipped defend_the_center one).
Rounds interleave the variants (ref, random, explorer, dqn, ref, ...) so that load from other
processes on the machine hits them alike; the median of the rounds is reported.

Two rates per variant: wall-clock steps/s, and steps per CPU-second (the CPU time of the Python
process plus its VizDoom engine child process, read from /proc between the first and last step).
On a shared machine the second is the one to compare: it does not depend on how much of the
core other processes took.
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

import numpy as np
import vizdoom as vzd

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "agent"))
from playtest_agent.env import VARIABLES  # noqa: E402

CORE, READER_CORE = 0, 1


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """utime + stime of `pid` and its child processes (the VizDoom engine runs as a child)."""
    total = 0.0
    for task in [pid] + children(pid):
        try:
            fields = Path(f"/proc/{task}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / TICK
    return total


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def reference_loop(steps: int, seed: int) -> tuple[float, float]:
    os.sched_setaffinity(0, {CORE})
    game = vzd.DoomGame()
    game.load_config(os.path.join(os.path.dirname(vzd.__file__), "scenarios", "defend_the_center.cfg"))
    game.set_screen_resolution(vzd.ScreenResolution.RES_160X120)
    game.set_screen_format(vzd.ScreenFormat.GRAY8)
    game.set_window_visible(False)
    game.set_sound_enabled(False)
    game.set_available_game_variables([getattr(vzd.GameVariable, v) for v in VARIABLES])
    game.set_seed(seed)
    game.init()
    actions = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
    rng = np.random.default_rng(seed)
    done = 0
    game.new_episode()
    start = time.perf_counter()
    cpu_start = cpu_seconds(os.getpid())
    while done < steps:
        if game.is_episode_finished():
            game.new_episode()
        game.get_state()
        game.make_action(actions[rng.integers(3)], 4)
        done += 1
    seconds = time.perf_counter() - start
    cpu = cpu_seconds(os.getpid()) - cpu_start
    game.close()
    return steps / seconds, steps / cpu


def ours(agent: str, steps: int, seed: int, checkpoint: str | None) -> tuple[float, float]:
    config = {"agent": agent, "scenario_cfg": "defend_the_center", "episodes": 100000, "seed": seed,
              "telemetry_every": 1, "env": {"resolution": "160x120", "screen_format": "GRAY8", "frame_skip": 4}}
    if checkpoint:
        config["checkpoint"] = checkpoint
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(config, handle)
    process = subprocess.Popen(
        [sys.executable, "-m", "playtest_agent", "evaluate", "--config", handle.name], cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO / "agent")}, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        preexec_fn=lambda: os.sched_setaffinity(0, {CORE}),
    )
    assert process.stdout is not None
    count, first, last = 0, 0.0, 0.0
    for line in process.stdout:
        if line.startswith(b'{"v":1,"type":"step"'):
            json.loads(line)  # the reader parses every line, as the worker will
            count += 1
            if count == 1:
                first, cpu_first = time.perf_counter(), cpu_seconds(process.pid)
            if count == steps + 1:
                last, cpu_last = time.perf_counter(), cpu_seconds(process.pid)
                process.terminate()
    process.wait()
    os.unlink(handle.name)
    return steps / (last - first), steps / (cpu_last - cpu_first)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--checkpoint", default=str(REPO / "agent" / "checkpoints" / "defend_the_center.pt"))
    args = parser.parse_args()
    os.sched_setaffinity(0, {READER_CORE})
    variants = ["reference", "random", "explorer"] + (["dqn"] if os.path.isfile(args.checkpoint) else [])
    results: dict[str, list[tuple[float, float]]] = {v: [] for v in variants}
    for round_ in range(args.rounds):
        for variant in variants:
            if variant == "reference":
                with multiprocessing.get_context("fork").Pool(1) as pool:
                    rate = pool.apply(reference_loop, (args.steps, round_))
            else:
                rate = ours(variant, args.steps, round_, args.checkpoint if variant == "dqn" else None)
            results[variant].append(rate)
            print(f"round {round_ + 1} {variant:9s} {rate[0]:8.1f} steps/s wall {rate[1]:8.1f} steps/CPU-s", flush=True)
    wall_ref = statistics.median(r[0] for r in results["reference"])
    cpu_ref = statistics.median(r[1] for r in results["reference"])
    print(f"\ndefend_the_center, 160x120 GRAY8, frame skip 4, 1 core, {args.steps} steps, median of {args.rounds} rounds")
    print(f"{'variant':10s} {'steps/s':>9s} {'ratio':>6s} {'steps/CPU-s':>12s} {'ratio':>6s}")
    for variant in variants:
        wall = statistics.median(r[0] for r in results[variant])
        cpu = statistics.median(r[1] for r in results[variant])
        print(f"{variant:10s} {wall:9.1f} {wall / wall_ref:6.3f} {cpu:12.1f} {cpu / cpu_ref:6.3f}")


if __name__ == "__main__":
    main()
