"""`train`: Double DQN (or DRQN) on one map, CleanRL style: the whole loop is in `train()`.

One iteration = one agent step (one action held for frame_skip tics). Every `train_every`
iterations after `learning_starts`, one gradient update on a replay batch; every
`target_update_every` iterations the target network copies the online one; every
`checkpoint_every` iterations a full checkpoint (weights, target, optimizer, epsilon,
iteration, RNG states) so that `resume_from` continues exactly. The replay buffer itself is
not saved: a resumed run refills it for `learning_starts` iterations before updating again.
"""

from __future__ import annotations

import collections
import math
import os
import time

import numpy as np
import torch

from . import env as E
from .config import ConfigError, RunConfig
from .dqn import (
    DqnHyperParams, GreedyPolicy, QNetwork, ReplayBuffer, double_dqn_loss, load_checkpoint, make_optimizer,
    save_checkpoint,
)
from .actions import ActionSet
from .env import DoomEnv
from .session import EpisodeTracker, Session, episode_end_fields, log


def shaped_reward(params: DqnHyperParams, reward: float, before: np.ndarray, after: np.ndarray) -> float:
    shaped = reward * params.reward_scale
    if params.health_delta_reward:
        shaped += params.health_delta_reward * float(after[E.HEALTH] - before[E.HEALTH])
    if params.ammo_used_reward and after[E.WEAPON] == before[E.WEAPON]:
        shaped += params.ammo_used_reward * max(0.0, float(before[E.AMMO] - after[E.AMMO]))
    shaped += params.kill_reward * max(0.0, float(after[E.KILLS] - before[E.KILLS]))
    shaped += params.item_reward * max(0.0, float(after[E.ITEMS] - before[E.ITEMS]))
    if after[E.DEAD] and not before[E.DEAD]:
        shaped += params.death_reward
    if params.movement_reward:
        shaped += params.movement_reward * math.hypot(float(after[E.X] - before[E.X]), float(after[E.Y] - before[E.Y]))
    return shaped


def train(config: RunConfig, session: Session) -> int:
    emit = session.emitter.emit
    if config.checkpoint_dir is None:
        raise ConfigError("train needs checkpoint_dir")
    os.makedirs(config.checkpoint_dir, exist_ok=True)

    # 1. Hyper-parameters, action set and state: fresh, or from the checkpoint we resume.
    resumed = load_checkpoint(config.resume_from) if config.resume_from else None
    if resumed is not None:
        params = DqnHyperParams.from_dict({**resumed["hparams"], **config.dqn})
        action_set: ActionSet | None = ActionSet.from_dict(resumed["action_set"])
    else:
        params = DqnHyperParams.from_dict(config.dqn)
        action_set = None
    # One environment per training map (train_maps), all with the same action set; episodes take turns.
    maps = [config.for_map(entry) for entry in config.train_maps] or [config]
    envs = [DoomEnv(maps[0], session.watchdog, action_set=action_set)]
    action_set = envs[0].action_set
    envs += [DoomEnv(m, session.watchdog, action_set=action_set) for m in maps[1:]]
    env = envs[0]
    n_actions = len(action_set)
    seed = config.seed if config.seed is not None else 0
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)

    online = QNetwork(params, n_actions)
    target = QNetwork(params, n_actions)
    optimizer = make_optimizer(params, online)
    iteration, episodes, history = 0, 0, []
    if resumed is not None:
        online.load_state_dict(resumed["model"])
        target.load_state_dict(resumed.get("target", resumed["model"]))
        if "optimizer" in resumed:
            optimizer.load_state_dict(resumed["optimizer"])
        iteration = int(resumed["iteration"])
        episodes = int(resumed.get("episodes", 0))
        history = list(resumed.get("history", []))
        if "numpy_rng" in resumed:
            rng.bit_generator.state = resumed["numpy_rng"]
        if "torch_rng" in resumed:
            torch.set_rng_state(resumed["torch_rng"])
        log(f"resumed from {config.resume_from} at iteration {iteration}, epsilon {params.epsilon(iteration):.4f}")
    else:
        target.load_state_dict(online.state_dict())
    first_iteration = iteration
    last_iteration = first_iteration + config.iterations
    policy = GreedyPolicy(params, online, n_actions, seed)
    policy.rng = rng
    preprocess = policy.preprocessor
    replay = ReplayBuffer(params.replay_size, (preprocess.channels, params.frame_height, params.frame_width),
                          len(params.game_variables), params.frame_history, seed + 1)
    learn_after = first_iteration + params.learning_starts

    def checkpoint(final: bool) -> None:
        path = os.path.join(config.checkpoint_dir or ".", f"dqn_{iteration:08d}.pt")
        state = {
            "iteration": iteration, "episodes": episodes, "epsilon": params.epsilon(iteration), "history": history,
            "numpy_rng": rng.bit_generator.state, "torch_rng": torch.get_rng_state(),
            "env": {"scenario_cfg": config.scenario_cfg, "map": envs[0].map_name, "train_maps": config.train_maps,
                    "resolution": config.env.resolution,
                    "screen_format": config.env.screen_format, "frame_skip": config.env.frame_skip},
        }
        size = save_checkpoint(path, params=params, action_set=action_set, online=online, target=target,
                               optimizer=optimizer, state=state)
        emit("checkpoint", path=path, iteration=iteration, epsilon=round(params.epsilon(iteration), 6), final=final, bytes=size)

    # 2. The loop: act epsilon-greedy, store the transition, learn, copy the target, report.
    recent_rewards: collections.deque[float] = collections.deque(maxlen=20)
    recent_kills: collections.deque[int] = collections.deque(maxlen=20)
    losses: list[float] = []
    q_values: list[float] = []
    updates = 0
    window_start, window_iteration, window_updates = time.monotonic(), iteration, 0
    stop_reason = "completed"

    def start_episode() -> EpisodeTracker:
        nonlocal env
        env = envs[episodes % len(envs)]
        env.reset()
        policy.reset()
        emit("episode_start", episode=episodes, map=env.map_name, scenario=env.scenario, seed=config.seed, demo_path=None)
        return EpisodeTracker()

    tracker = start_episode()
    while iteration < last_iteration:
        if session.stop_requested:
            stop_reason = "stopped"
            break
        state = env.state
        assert state is not None
        frame = policy.observe(state.screen_buffer)
        before = env.variables
        variables = preprocess.variables(before)
        epsilon = params.epsilon(iteration)
        action = policy.act(variables, epsilon)
        reward = shaped_reward(params, env.step(action), before, env.variables)
        done = env.finished
        replay.add(frame, variables, action, reward, done, episodes)
        tracker.update(env.variables, reward)
        iteration += 1

        if iteration > learn_after and iteration % params.train_every == 0:
            if params.recurrent:
                batch = replay.sample_sequences(params.batch_size, params.sequence_length)
            else:
                batch = replay.sample(params.batch_size)
            loss, mean_q = double_dqn_loss(online, target, batch, params)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(online.parameters(), params.grad_clip)
            optimizer.step()
            losses.append(float(loss.detach()))
            q_values.append(mean_q)
            updates += 1
        if iteration % params.target_update_every == 0:
            target.load_state_dict(online.state_dict())

        if done:
            end = episode_end_fields(env, tracker, episodes, env.end_reason())
            emit("episode_end", **end)
            recent_rewards.append(tracker.reward)
            recent_kills.append(end["killcount"])
            episodes += 1
            tracker = start_episode()

        if iteration % config.progress_every == 0:
            now = time.monotonic()
            seconds = max(1e-9, now - window_start)
            point = {
                "iteration": iteration,
                "iterations": last_iteration,
                "episodes": episodes,
                "loss": float(np.mean(losses)) if losses else None,
                "epsilon": round(epsilon, 6),
                "mean_q": float(np.mean(q_values)) if q_values else None,
                "mean_episode_reward": float(np.mean(recent_rewards)) if recent_rewards else None,
                "mean_episode_kills": float(np.mean(recent_kills)) if recent_kills else None,
                "steps_per_s": round((iteration - window_iteration) / seconds, 2),
                "updates_per_s": round((updates - window_updates) / seconds, 2),
                "updates": updates,
                "elapsed_s": session.elapsed_s,
            }
            emit("train_progress", **point)
            history.append(point)
            losses.clear()
            q_values.clear()
            window_start, window_iteration, window_updates = now, iteration, updates
        if iteration % config.checkpoint_every == 0:
            checkpoint(final=False)

    # 3. Close the unfinished episode, write a final checkpoint (also on SIGTERM), then done.
    emit("episode_end", **episode_end_fields(env, tracker, episodes, "stopped"))
    checkpoint(final=True)
    for each in envs:
        each.close()
    emit("done", reason=stop_reason, episodes=episodes, iterations=iteration, elapsed_s=session.elapsed_s)
    return 0

