"""The agents `evaluate` can run: random, explorer (scripted QA bot), navigator (plays the planner's
route to the exit) and dqn (a trained network).

Each agent says which extra engine buffers it needs (`features`), may impose its own action
set (`action_set`, e.g. the one stored in a checkpoint), and picks an action index each step.
"""

from __future__ import annotations

from typing import Protocol

from ..actions import ActionSet
from ..config import RunConfig
from ..env import DoomEnv, EnvFeatures


class Agent(Protocol):
    features: EnvFeatures
    action_set: ActionSet | None

    def begin_episode(self, env: DoomEnv) -> None: ...

    def act(self, env: DoomEnv) -> int: ...


def make_agent(config: RunConfig) -> Agent:
    if config.agent == "random":
        from .random_agent import RandomAgent

        return RandomAgent(config.seed)
    if config.agent == "explorer":
        from .explorer import ExplorerAgent

        return ExplorerAgent(config.seed, own_action_set=config.env.action_combinations is None)
    if config.agent == "navigator":
        from .navigator import NavigatorAgent

        return NavigatorAgent(config)
    from .dqn_agent import DqnAgent

    return DqnAgent(config)
