"""The proof of a completed map: replay the episode's demo and check it reaches the exit at the same tic.

The replay runs in a second engine with the same WADs, map, skill and god mode (the `god` cheat is a
network command, so the demo itself carries it: measured, a god-mode demo replays with the player
invulnerable even without `sv_cheats`). VizDoom reports an episode time of 0 once a level is left, so
the replay advances in chunks of CHUNK tics up to shortly before the recorded exit, then one tic at a
time, and counts; the engine's map-exit reward tells a real exit from a demo that simply ran out.
A SIGTERM stops it between chunks. The result is the `replay` object of the demo's `artifact`.
"""

from __future__ import annotations

import os
from typing import Any, Callable

from .actions import ActionSet
from .config import RunConfig
from .env import DoomEnv
from .watchdog import Watchdog

EXIT_REWARD = 1.0
CHUNK = 35  # tics advanced at once while the recorded exit is still far


class DemoReplayer:
    """Replays demos in an engine of its own, started on first use and kept until `close`."""

    def __init__(self, config: RunConfig, watchdog: Watchdog, action_set: ActionSet) -> None:
        self.config = config
        self.watchdog = watchdog
        self.action_set = action_set
        self.env: DoomEnv | None = None

    def check(self, demo_path: str, exit_tic: int, exit_tic_exact: bool,
              stop: Callable[[], bool] = lambda: False) -> dict[str, Any] | None:
        """Replays `demo_path` (an episode that ended at the exit on `exit_tic`) and compares; None when
        `stop()` said to stop first."""
        if self.env is None:
            self.env = DoomEnv(self.config, self.watchdog, action_set=self.action_set)
            self.env.game.set_map_exit_reward(EXIT_REWARD)
        game = self.env.game
        limit = self.config.env.watchdog_s
        self.watchdog.arm(f"replay_episode({os.path.basename(demo_path)})", limit)
        game.replay_episode(demo_path)
        self.watchdog.disarm()
        last = int(game.get_episode_time())
        lost_count = False  # the replay ended inside a chunk: its last tic is known to within CHUNK
        while not game.is_episode_finished():
            if stop():
                return None
            last = int(game.get_episode_time())
            tics = CHUNK if last + CHUNK + 4 < exit_tic else 1
            self.watchdog.arm("advance_action() in a replay", limit)
            game.advance_action(tics, True)
            self.watchdog.disarm()
            lost_count = tics > 1 and game.is_episode_finished()
        reached = game.get_total_reward() >= EXIT_REWARD and not game.is_player_dead()
        replay_tic = last + 1
        result: dict[str, Any] = {
            "checked": True,
            "reached_exit": bool(reached),
            "exit_tic": exit_tic,
            "exit_tic_exact": exit_tic_exact,
            "replay_exit_tic": replay_tic if reached else None,
            "same_tic": False,
            "drift": None,
        }
        if lost_count:  # it ended well before the recorded exit: a drift, whatever the exact tic
            end = "reached the exit" if reached else "the player died" if game.is_player_dead() else "the demo ran out"
            result.update(reached_exit=bool(reached), replay_exit_tic=None)
            result["drift"] = f"the replay ended early: {end} between tics {last} and {last + CHUNK} (recorded exit at tic {exit_tic})"
            return result
        if not reached:
            end = "the player died" if game.is_player_dead() else "the demo ran out"
            result["drift"] = f"the replay did not reach the exit: {end} at tic {replay_tic} (recorded exit at tic {exit_tic})"
            return result
        if exit_tic_exact:
            result["same_tic"] = replay_tic == exit_tic
        else:
            # The recording only knows the exit's tic to within one step of frame_skip tics.
            result["same_tic"] = exit_tic - self.env.frame_skip < replay_tic <= exit_tic
        if not result["same_tic"]:
            result["drift"] = f"the replay reached the exit at tic {replay_tic}, the recording at tic {exit_tic}"
        return result

    def close(self) -> None:
        if self.env is not None:
            self.env.close()
            self.env = None
