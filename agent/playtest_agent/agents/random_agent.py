"""`random`: a uniform policy over the action set."""

from __future__ import annotations

import random

from ..actions import ActionSet
from ..env import DoomEnv, EnvFeatures


class RandomAgent:
    features = EnvFeatures()
    action_set: ActionSet | None = None

    def __init__(self, seed: int | None) -> None:
        self.rng = random.Random(seed)  # ten times cheaper per draw than numpy's Generator
        self.n_actions = 0

    def begin_episode(self, env: DoomEnv) -> None:
        self.n_actions = len(env.action_set)

    def act(self, env: DoomEnv) -> int:
        return int(self.rng.random() * self.n_actions)
