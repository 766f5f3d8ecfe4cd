"""Training speed, ours against a minimal reference DQN loop, side by side in one run.

    cd /work/main && .venv/bin/python bench/agent/bench_training.py [--iterations 3000] [--rounds 3]

Both train on defend_the_center (160x120 GRAY8, frame skip 4, action set turn_lr;attack) with the
same network (QNetwork with the default DqnHyperParams: 4x48x64 input, conv 32/64, FC 256), the
same batch (32), one Double DQN update every 4 steps, torch on 1 thread, pinned to core 0.

- reference: a minimal loop written here: bare VizDoom, frame stacks kept in a numpy ring of
  whole stacked observations, uniform sampling, Double DQN Huber loss, Adam.
- ours:      `python -m playtest_agent train`, measured between two train_progress messages
             after learning has started (so replay warm-up is excluded from both).
Reported: env steps/s and updates/s, per wall-clock second and per CPU-second (Python process
plus its VizDoom engine child), and ours / reference.
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

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "agent"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_throughput import CORE, READER_CORE, cpu_seconds  # noqa: E402

WARMUP = 500


def reference(iterations: int, seed: int) -> tuple[float, float, float, float]:
    os.sched_setaffinity(0, {CORE})
    import torch
    import torch.nn.functional as F
    import vizdoom as vzd

    from playtest_agent.dqn import DqnHyperParams, QNetwork

    torch.set_num_threads(1)
    torch.manual_seed(seed)
    params = DqnHyperParams()
    game = vzd.DoomGame()
    game.load_config(os.path.join(os.path.dirname(vzd.__file__), "scenarios", "defend_the_center.cfg"))
    game.set_screen_resolution(vzd.ScreenResolution.RES_160X120)
    game.set_screen_format(vzd.ScreenFormat.GRAY8)
    game.set_window_visible(False)
    game.set_sound_enabled(False)
    game.set_available_buttons([vzd.Button.TURN_LEFT, vzd.Button.TURN_RIGHT, vzd.Button.ATTACK])
    game.set_available_game_variables([vzd.GameVariable.HEALTH, vzd.GameVariable.SELECTED_WEAPON_AMMO])
    game.set_seed(seed)
    game.init()
    actions = [[a, b, c] for a, b in ((0, 0), (1, 0), (0, 1)) for c in (0, 1)]
    online, target = QNetwork(params, len(actions)), QNetwork(params, len(actions))
    target.load_state_dict(online.state_dict())
    optimizer = torch.optim.Adam(online.parameters(), lr=params.learning_rate, eps=1e-4)
    size = 20_000
    obs = np.zeros((size, 4, 48, 64), np.uint8)
    next_obs = np.zeros_like(obs)
    variables = np.zeros((size, 2), np.float32)
    next_variables = np.zeros_like(variables)
    taken = np.zeros(size, np.int64)
    rewards = np.zeros(size, np.float32)
    dones = np.zeros(size, np.float32)
    rows = np.linspace(0, 119, 48).round().astype(int)
    cols = np.linspace(0, 159, 64).round().astype(int)
    rng = np.random.default_rng(seed)
    stack = np.zeros((4, 48, 64), np.uint8)
    game.new_episode()
    stack[-1] = game.get_state().screen_buffer[rows][:, cols]
    gv = np.asarray(game.get_state().game_variables, np.float32) / [100.0, 50.0]
    updates = 0
    start = cpu_start = 0.0
    for step in range(WARMUP + iterations):
        if step == WARMUP:
            start, cpu_start, updates = time.perf_counter(), cpu_seconds(os.getpid()), 0
        epsilon = max(0.05, 1.0 - step / 100_000)
        if rng.random() < epsilon:
            action = int(rng.integers(len(actions)))
        else:
            with torch.no_grad():
                action = int(online(torch.from_numpy(stack[None]), torch.from_numpy(gv[None].astype(np.float32)))[0].argmax())
        reward = game.make_action(actions[action], 4)
        done = game.is_episode_finished()
        i = step % size
        obs[i], variables[i], taken[i], rewards[i], dones[i] = stack, gv, action, reward, done
        if done:
            game.new_episode()
            stack[:] = 0
        else:
            stack[:-1] = stack[1:]
        state = game.get_state()
        stack[-1] = state.screen_buffer[rows][:, cols]
        gv = (np.asarray(state.game_variables, np.float32) / [100.0, 50.0]).astype(np.float32)
        next_obs[i], next_variables[i] = stack, gv
        if step >= 100 and step % 4 == 0:
            index = rng.integers(0, min(step + 1, size), 32)
            o, v = torch.from_numpy(obs[index]), torch.from_numpy(variables[index])
            no, nv = torch.from_numpy(next_obs[index]), torch.from_numpy(next_variables[index])
            q = online(o, v)[0].gather(1, torch.from_numpy(taken[index])[:, None]).squeeze(1)
            with torch.no_grad():
                best = online(no, nv)[0].argmax(1, keepdim=True)
                y = torch.from_numpy(rewards[index]) + 0.99 * (1 - torch.from_numpy(dones[index])) * target(no, nv)[0].gather(1, best).squeeze(1)
            loss = F.huber_loss(q, y)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(online.parameters(), 10.0)
            optimizer.step()
            updates += 1
        if step % 2000 == 0:
            target.load_state_dict(online.state_dict())
    seconds, cpu = time.perf_counter() - start, cpu_seconds(os.getpid()) - cpu_start
    game.close()
    return iterations / seconds, updates / seconds, iterations / cpu, updates / cpu


def ours(iterations: int, seed: int) -> tuple[float, float, float, float]:
    directory = tempfile.mkdtemp(prefix="bench-train-")
    config = {"agent": "dqn", "scenario_cfg": "defend_the_center", "iterations": WARMUP + iterations + 1, "seed": seed,
              "env": {"resolution": "160x120", "screen_format": "GRAY8", "frame_skip": 4, "action_combinations": "turn_lr;attack"},
              "checkpoint_dir": directory, "checkpoint_every": 10**9, "progress_every": WARMUP,
              "dqn": {"learning_starts": 100, "replay_size": 20_000}}
    path = os.path.join(directory, "run.json")
    Path(path).write_text(json.dumps(config))
    process = subprocess.Popen(
        [sys.executable, "-m", "playtest_agent", "train", "--config", path], cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO / "agent")}, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        preexec_fn=lambda: os.sched_setaffinity(0, {CORE}),
    )
    assert process.stdout is not None
    marks = []
    for line in process.stdout:
        message = json.loads(line)
        if message["type"] == "train_progress" and message["iteration"] in (WARMUP, WARMUP + iterations):
            marks.append((time.perf_counter(), cpu_seconds(process.pid), message["iteration"], message["updates"]))
            if len(marks) == 2:
                process.terminate()
    process.wait()
    (t0, c0, i0, u0), (t1, c1, i1, u1) = marks
    return (i1 - i0) / (t1 - t0), (u1 - u0) / (t1 - t0), (i1 - i0) / (c1 - c0), (u1 - u0) / (c1 - c0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--iterations", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.sched_setaffinity(0, {READER_CORE})
    results: dict[str, list[tuple[float, float, float, float]]] = {"reference": [], "ours": []}
    for round_ in range(args.rounds):
        with multiprocessing.get_context("fork").Pool(1) as pool:
            results["reference"].append(pool.apply(reference, (args.iterations, round_)))
        results["ours"].append(ours(args.iterations, round_))
        for name in results:
            r = results[name][-1]
            print(f"round {round_ + 1} {name:9s} {r[0]:7.1f} steps/s {r[1]:6.1f} updates/s | per CPU-s: {r[2]:7.1f} steps {r[3]:6.1f} updates", flush=True)
    med = {name: [statistics.median(r[k] for r in rows) for k in range(4)] for name, rows in results.items()}
    print(f"\ndefend_the_center DQN training, 1 core, {args.iterations} iterations after warm-up, median of {args.rounds} rounds")
    print(f"{'':10s} {'steps/s':>8s} {'upd/s':>7s} {'steps/CPU-s':>12s} {'upd/CPU-s':>10s}")
    for name, m in med.items():
        print(f"{name:10s} {m[0]:8.1f} {m[1]:7.1f} {m[2]:12.1f} {m[3]:10.1f}")
    ratio = [o / r for o, r in zip(med["ours"], med["reference"])]
    print(f"{'ratio':10s} {ratio[0]:8.3f} {ratio[1]:7.3f} {ratio[2]:12.3f} {ratio[3]:10.3f}")


if __name__ == "__main__":
    main()
