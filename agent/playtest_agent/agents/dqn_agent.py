"""`dqn`: plays with a trained checkpoint (greedy, or epsilon_eval from its hyper-parameters).

Without `checkpoint` in the config it loads the shipped general agent
(agent/checkpoints/general.pt). The checkpoint brings its own action set and input size.
The `confidence` of each decision (the `step` message's field) is how decisively the Q-values
picked it (dqn.q_confidence).
"""

from __future__ import annotations

import os

from ..actions import ActionSet
from ..config import DEFAULT_DQN_CHECKPOINT, ConfigError, RunConfig
from ..dqn import DqnHyperParams, GreedyPolicy, QNetwork, load_checkpoint
from ..env import DoomEnv, EnvFeatures


class DqnAgent:
    features = EnvFeatures()

    def __init__(self, config: RunConfig) -> None:
        path = config.checkpoint or DEFAULT_DQN_CHECKPOINT
        if not os.path.isfile(path):
            raise ConfigError(f"checkpoint not found: {path}")
        payload = load_checkpoint(path)
        self.params = DqnHyperParams.from_dict({**payload["hparams"], **config.dqn})
        self.action_set: ActionSet | None = ActionSet.from_dict(payload["action_set"])
        network = QNetwork(self.params, len(self.action_set))
        network.load_state_dict(payload["model"])
        network.eval()
        self.policy = GreedyPolicy(self.params, network, len(self.action_set), config.seed)
        self.path = path

    def begin_episode(self, env: DoomEnv) -> None:
        self.policy.reset()

    def act(self, env: DoomEnv) -> int:
        state = env.state
        assert state is not None
        self.policy.observe(state.screen_buffer)
        return self.policy.act(self.policy.preprocessor.variables(env.variables), self.params.epsilon_eval)

    @property
    def confidence(self) -> float | None:
        """The last decision's confidence in [0, 1], from the Q-values `act` computed (no second pass)."""
        return self.policy.confidence
