"""What both commands share: the emitter, the watchdog, the SIGTERM flag and episode messages."""

from __future__ import annotations

import math
import signal
import sys
import time
from typing import Any

import numpy as np

from . import env as E
from .env import DoomEnv
from .protocol import Emitter
from .watchdog import Watchdog

COVERAGE_CELL = 64.0  # map units per coverage cell (a Doom corridor is about 64-128 units wide)


def log(message: str) -> None:
    """A line on stderr. A reader that went away (a broken pipe) must not turn a log line into an
    exception: this runs in signal handlers and in the watchdog thread too."""
    try:
        print(f"playtest_agent: {message}", file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


class Session:
    def __init__(self, emitter: Emitter) -> None:
        self.emitter = emitter
        self.watchdog = Watchdog(emitter)
        self.stop_requested = False
        self.started = time.monotonic()

    def install_signal_handlers(self) -> None:
        """SIGTERM (and SIGINT) set a flag that the loops check every step (VizDoom does not replace
        these handlers when its engine starts)."""

        def request_stop(signum: int, _frame: Any) -> None:
            self.stop_requested = True
            log(f"signal {signum}: stopping")

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)

    @property
    def elapsed_s(self) -> float:
        return round(time.monotonic() - self.started, 3)


class EpisodeTracker:
    """Accumulates what the engine does not total for us: reward, path length, cells visited."""

    def __init__(self) -> None:
        self.reward = 0.0
        self.steps = 0
        self.distance = 0.0
        self.cells: set[tuple[int, int]] = set()
        self._last: tuple[float, float] | None = None

    def update(self, variables: np.ndarray, reward: float) -> None:
        self.add(float(variables[E.X]), float(variables[E.Y]), reward)

    def add(self, x: float, y: float, reward: float) -> None:
        self.reward += reward
        self.steps += 1
        self.visit_xy(x, y)

    def visit(self, variables: np.ndarray) -> None:
        self.visit_xy(float(variables[E.X]), float(variables[E.Y]))

    def visit_xy(self, x: float, y: float) -> None:
        if self._last is not None:
            self.distance += math.hypot(x - self._last[0], y - self._last[1])
        self._last = (x, y)
        self.cells.add((int(x // COVERAGE_CELL), int(y // COVERAGE_CELL)))


def episode_end_fields(env: DoomEnv, tracker: EpisodeTracker, episode: int, reason: str) -> dict[str, Any]:
    v = env.variables
    return {
        "episode": episode,
        "reason": reason,
        "tics": env.tic,
        "steps": tracker.steps,
        "total_reward": round(tracker.reward, 6),
        "killcount": int(v[E.KILLS]),
        "itemcount": int(v[E.ITEMS]),
        "secretcount": int(v[E.SECRETS]),
        "health": int(v[E.HEALTH]),
        "armor": int(v[E.ARMOR]),
        "damage_taken": int(v[E.DAMAGE_TAKEN]),
        "damagecount": int(v[E.DAMAGE_COUNT]),
        "hitcount": int(v[E.HITS]),
        "dead": bool(v[E.DEAD]) or reason == "death",
        "x": round(float(v[E.X]), 3),
        "y": round(float(v[E.Y]), 3),
        "distance": round(tracker.distance, 3),
        "cells_visited": len(tracker.cells),
        "cell_size": COVERAGE_CELL,
    }
