"""DQN / DRQN for Doom, after Arnold (Lample & Chaplot, 2017), written to be read top to bottom.

- `DqnHyperParams`: every knob in one dataclass, saved inside each checkpoint.
- `Preprocessor`: screen -> small frame (grey or RGB), plus normalised game variables.
- `QNetwork`: two conv layers on the stacked frames, game variables concatenated after the
  convs, a fully connected layer, an optional LSTM (DRQN), and one Q-value per action.
- `ReplayBuffer`: stores each frame once and rebuilds frame stacks (and DRQN sequences)
  on sampling; stacks never cross an episode boundary (earlier frames read as zeros).
- `double_dqn_loss`: Double DQN target with a target network and the Huber loss.
- `save_checkpoint` / `load_checkpoint`: state_dict + hyper-parameters + action set.

The training loop that uses these is in train.py.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from .actions import ActionSet
from .env import VARIABLES

CHECKPOINT_FORMAT = "playtest_agent.dqn/1"
# Game-variable inputs are divided by these so they sit roughly in [0, 1].
VARIABLE_SCALE = {"HEALTH": 100.0, "ARMOR": 100.0, "SELECTED_WEAPON_AMMO": 50.0, "SELECTED_WEAPON": 7.0, "KILLCOUNT": 30.0}


@dataclass
class DqnHyperParams:
    # Input
    frame_height: int = 48
    frame_width: int = 64
    grayscale: bool = True
    frame_history: int = 4
    crop_top: float = 0.0  # keep screen rows from this fraction of the height...
    crop_bottom: float = 1.0  # ...to this one (a horizontal band, e.g. 0.25..0.75)
    game_variables: list[str] = field(default_factory=lambda: ["HEALTH", "SELECTED_WEAPON_AMMO"])
    # Network
    conv_channels: list[int] = field(default_factory=lambda: [32, 64])
    hidden_size: int = 256
    recurrent: bool = False  # DRQN: an LSTM after the fully connected layer
    lstm_size: int = 256
    sequence_length: int = 8  # DRQN: transitions per sampled sequence
    burn_in: int = 2  # DRQN: first steps of a sequence that only warm the LSTM up
    # Learning
    gamma: float = 0.99
    optimizer: str = "adam"  # adam or rmsprop
    learning_rate: float = 2.5e-4
    batch_size: int = 32
    replay_size: int = 100_000
    learning_starts: int = 5_000  # iterations of play before the first update
    train_every: int = 4  # one gradient update every this many iterations
    target_update_every: int = 2_000  # iterations between target-network copies
    huber_delta: float = 1.0
    grad_clip: float = 10.0
    double_dqn: bool = True
    # Exploration: epsilon decays linearly from start to end over decay iterations
    epsilon_start: float = 1.0
    epsilon_end: float = 0.05
    epsilon_decay: int = 100_000
    epsilon_eval: float = 0.0  # epsilon used by `evaluate` (0 = greedy)
    # Reward: scenario reward * reward_scale + shaping from game-variable changes
    reward_scale: float = 1.0
    health_delta_reward: float = 0.0  # per point of health gained (negative change is a loss)
    ammo_used_reward: float = 0.0  # per unit of ammo spent (use a negative value to penalise waste)
    kill_reward: float = 0.0  # per kill (for maps whose scenario gives no reward)
    item_reward: float = 0.0  # per item picked up
    death_reward: float = 0.0  # once, when the player dies (use a negative value)
    movement_reward: float = 0.0  # per map unit moved (encourages exploring)

    def epsilon(self, iteration: int) -> float:
        fraction = min(1.0, iteration / max(1, self.epsilon_decay))
        return self.epsilon_start + fraction * (self.epsilon_end - self.epsilon_start)

    @staticmethod
    def from_dict(data: dict[str, Any]) -> "DqnHyperParams":
        known = {f.name for f in dataclasses.fields(DqnHyperParams)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown DQN hyper-parameter(s): {', '.join(unknown)}")
        params = DqnHyperParams(**data)
        bad = [v for v in params.game_variables if v not in VARIABLES]
        if bad:
            raise ValueError(f"unknown game variable(s) {', '.join(bad)}; known: {', '.join(VARIABLES)}")
        if params.optimizer not in ("adam", "rmsprop"):
            raise ValueError("optimizer must be adam or rmsprop")
        return params


class Preprocessor:
    """Turns a VizDoom screen buffer into the network's frame, and game variables into inputs."""

    def __init__(self, params: DqnHyperParams) -> None:
        self.params = params
        self.channels = 1 if params.grayscale else 3
        self._rows: np.ndarray | None = None
        self._cols: np.ndarray | None = None
        self._var_index = np.array([VARIABLES.index(v) for v in params.game_variables], dtype=np.int64)
        self._var_scale = np.array([VARIABLE_SCALE.get(v, 100.0) for v in params.game_variables], dtype=np.float32)

    def frame(self, screen: np.ndarray) -> np.ndarray:
        """(H, W) grey or (H, W, 3) RGB uint8 -> (C, frame_height, frame_width) uint8, nearest sampling."""
        if self._rows is None:
            height, width = screen.shape[0], screen.shape[1]
            top = int(round(self.params.crop_top * height))
            bottom = max(top + 1, int(round(self.params.crop_bottom * height)))
            self._rows = np.linspace(top, bottom - 1, self.params.frame_height).round().astype(np.int64)
            self._cols = np.linspace(0, width - 1, self.params.frame_width).round().astype(np.int64)
        small = screen[self._rows][:, self._cols]
        if small.ndim == 2:
            small = small[None] if self.channels == 1 else np.repeat(small[None], 3, axis=0)
        elif self.channels == 1:
            small = small.mean(axis=2, dtype=np.float32).astype(np.uint8)[None]
        else:
            small = np.ascontiguousarray(small.transpose(2, 0, 1))
        return small

    def variables(self, game_variables: np.ndarray) -> np.ndarray:
        return (game_variables[self._var_index] / self._var_scale).astype(np.float32)


class QNetwork(nn.Module):
    def __init__(self, params: DqnHyperParams, n_actions: int) -> None:
        super().__init__()
        channels = (1 if params.grayscale else 3) * params.frame_history
        c1, c2 = params.conv_channels
        self.conv = nn.Sequential(
            nn.Conv2d(channels, c1, kernel_size=8, stride=4), nn.ReLU(),
            nn.Conv2d(c1, c2, kernel_size=4, stride=2), nn.ReLU(),
            nn.Flatten(),
        )
        with torch.no_grad():
            conv_out = self.conv(torch.zeros(1, channels, params.frame_height, params.frame_width)).shape[1]
        self.fc = nn.Sequential(nn.Linear(conv_out + len(params.game_variables), params.hidden_size), nn.ReLU())
        self.lstm = nn.LSTM(params.hidden_size, params.lstm_size, batch_first=True) if params.recurrent else None
        self.head = nn.Linear(params.lstm_size if params.recurrent else params.hidden_size, n_actions)

    def forward(
        self, frames: torch.Tensor, variables: torch.Tensor, hidden: tuple[torch.Tensor, torch.Tensor] | None = None
    ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor] | None]:
        """frames: (B, C, H, W) uint8, or (B, T, C, H, W) for DRQN; variables: (B, V) or (B, T, V).

        Returns Q-values (B, A) or (B, T, A), and the LSTM state (None without LSTM).
        """
        sequence = frames.dim() == 5
        if sequence:
            batch, steps = frames.shape[:2]
            frames = frames.flatten(0, 1)
            variables = variables.flatten(0, 1)
        features = self.conv(frames.float() / 255.0)
        features = self.fc(torch.cat([features, variables], dim=1))
        if self.lstm is not None:
            features = features.view(batch, steps, -1) if sequence else features.unsqueeze(1)
            features, hidden = self.lstm(features, hidden)
            q = self.head(features)
            return (q if sequence else q.squeeze(1)), hidden
        q = self.head(features)
        return (q.view(batch, steps, -1) if sequence else q), None


class ReplayBuffer:
    """A ring of single frames. Slot i holds the observation at write counter t (t % capacity == i)
    and the transition taken from it: action, reward, done. The next observation is slot t + 1."""

    def __init__(self, capacity: int, frame_shape: tuple[int, int, int], n_variables: int, history: int, seed: int) -> None:
        self.capacity = capacity
        self.history = history
        self.frames = np.zeros((capacity, *frame_shape), dtype=np.uint8)
        self.variables = np.zeros((capacity, n_variables), dtype=np.float32)
        self.actions = np.zeros(capacity, dtype=np.int64)
        self.rewards = np.zeros(capacity, dtype=np.float32)
        self.dones = np.zeros(capacity, dtype=np.bool_)
        self.episode = np.full(capacity, -1, dtype=np.int64)
        self.counter = np.full(capacity, -1, dtype=np.int64)
        self.written = 0
        self.rng = np.random.default_rng(seed)

    def __len__(self) -> int:
        return min(self.written, self.capacity)

    def add(self, frame: np.ndarray, variables: np.ndarray, action: int, reward: float, done: bool, episode: int) -> None:
        i = self.written % self.capacity
        self.frames[i] = frame
        self.variables[i] = variables
        self.actions[i] = action
        self.rewards[i] = reward
        self.dones[i] = done
        self.episode[i] = episode
        self.counter[i] = self.written
        self.written += 1

    def _present(self, t: np.ndarray, episode: np.ndarray) -> np.ndarray:
        slot = t % self.capacity
        return (t >= 0) & (self.counter[slot] == t) & (self.episode[slot] == episode)

    def stacks(self, t: np.ndarray, episode: np.ndarray) -> np.ndarray:
        """Frame stacks ending at counters t (any shape): (..., history * C, H, W); frames from
        another episode, or already overwritten, read as zeros, exactly as when acting."""
        parts = []
        for back in range(self.history - 1, -1, -1):
            ti = t - back
            frames = self.frames[ti % self.capacity]
            keep = self._present(ti, episode).reshape(ti.shape + (1, 1, 1))
            parts.append(np.where(keep, frames, 0))
        return np.concatenate(parts, axis=-3)

    def sample(self, batch: int) -> dict[str, np.ndarray]:
        """Uniform transitions t with their next observations t + 1."""
        low = max(0, self.written - self.capacity + self.history)
        t = self.rng.integers(low, self.written - 1, size=batch)
        slot = t % self.capacity
        episode = self.episode[slot]
        next_slot = (t + 1) % self.capacity
        return {
            "frames": self.stacks(t, episode),
            "variables": self.variables[slot],
            "actions": self.actions[slot],
            "rewards": self.rewards[slot],
            "dones": self.dones[slot].astype(np.float32),
            "next_frames": self.stacks(t + 1, episode),
            "next_variables": self.variables[next_slot],
        }

    def sample_sequences(self, batch: int, length: int) -> dict[str, np.ndarray]:
        """DRQN: `batch` runs of `length` transitions (and length + 1 observations). `mask` is 0 for
        a transition that belongs to another episode than the run's first, or follows a done."""
        low = max(0, self.written - self.capacity + self.history)
        start = self.rng.integers(low, max(low + 1, self.written - length - 1), size=batch)
        t = start[:, None] + np.arange(length + 1)[None, :]
        episode = self.episode[start % self.capacity][:, None].repeat(length + 1, axis=1)
        slot = t % self.capacity
        present = self._present(t, episode)
        done_before = np.cumsum(self.dones[slot] & present, axis=1) - (self.dones[slot] & present)
        valid = present & (done_before == 0)
        return {
            "frames": self.stacks(t, episode),
            "variables": self.variables[slot],
            "actions": self.actions[slot[:, :-1]],
            "rewards": self.rewards[slot[:, :-1]],
            "dones": self.dones[slot[:, :-1]].astype(np.float32),
            "mask": valid[:, :-1].astype(np.float32),
        }


def double_dqn_loss(online: QNetwork, target: QNetwork, batch: dict[str, np.ndarray], params: DqnHyperParams) -> tuple[torch.Tensor, float]:
    """Huber loss between Q(s, a) and r + gamma * Q_target(s', argmax_a' Q_online(s', a')). Returns (loss, mean Q)."""
    b = {k: torch.from_numpy(v) for k, v in batch.items()}
    if params.recurrent:
        q_all, _ = online(b["frames"], b["variables"])  # (B, L + 1, A)
        with torch.no_grad():
            next_target, _ = target(b["frames"], b["variables"])
            next_online = q_all.detach() if params.double_dqn else next_target
        q_taken = q_all[:, :-1].gather(2, b["actions"].unsqueeze(2)).squeeze(2)
        next_action = next_online[:, 1:].argmax(dim=2, keepdim=True)
        next_value = next_target[:, 1:].gather(2, next_action).squeeze(2)
        target_value = b["rewards"] + params.gamma * (1.0 - b["dones"]) * next_value
        mask = b["mask"].clone()
        mask[:, : params.burn_in] = 0.0
        losses = F.huber_loss(q_taken, target_value, reduction="none", delta=params.huber_delta)
        loss = (losses * mask).sum() / mask.sum().clamp(min=1.0)
        return loss, float(q_taken.detach().mean())
    q_taken = online(b["frames"], b["variables"])[0].gather(1, b["actions"].unsqueeze(1)).squeeze(1)
    with torch.no_grad():
        next_target = target(b["next_frames"], b["next_variables"])[0]
        if params.double_dqn:
            next_action = online(b["next_frames"], b["next_variables"])[0].argmax(dim=1, keepdim=True)
        else:
            next_action = next_target.argmax(dim=1, keepdim=True)
        next_value = next_target.gather(1, next_action).squeeze(1)
        target_value = b["rewards"] + params.gamma * (1.0 - b["dones"]) * next_value
    loss = F.huber_loss(q_taken, target_value, delta=params.huber_delta)
    return loss, float(q_taken.detach().mean())


def make_optimizer(params: DqnHyperParams, network: QNetwork) -> torch.optim.Optimizer:
    if params.optimizer == "rmsprop":
        return torch.optim.RMSprop(network.parameters(), lr=params.learning_rate)
    return torch.optim.Adam(network.parameters(), lr=params.learning_rate, eps=1e-4)


def q_confidence(q: np.ndarray, chosen: int) -> float:
    """How decisively the Q-values pick `chosen` (the greedy action), in [0, 1]: its lead over the
    runner-up as a share of the whole spread, (top1 - top2) / (top1 - min). 1: every other action is
    valued as low as the worst one; 0: a tie for the best (or all equal). Invariant to the Q-values'
    offset and scale, unlike softmax(q)[chosen] (about 1/n for the shipped checkpoints, whose Q-values
    differ by a few hundredths) or (top1 - top2) / (|top1| + |top2|) (below 0.05 there: the values sit
    around 2.5..7.5, far from 0). One action alone: 1."""
    if len(q) < 2:
        return 1.0
    top = q[chosen]
    spread = top - q.min()
    if not spread > 0:
        return 0.0
    return float((top - np.partition(q, -2)[-2]) / spread)


class GreedyPolicy:
    """Acts with a trained network: keeps the frame stack (and LSTM state) of the current episode."""

    def __init__(self, params: DqnHyperParams, network: QNetwork, n_actions: int, seed: int | None) -> None:
        self.params = params
        self.network = network
        self.preprocessor = Preprocessor(params)
        self.n_actions = n_actions
        self.rng = np.random.default_rng(seed)
        self.stack: np.ndarray | None = None
        self.hidden: tuple[torch.Tensor, torch.Tensor] | None = None
        self.last_q: float | None = None
        self._acted = False  # an action was chosen this episode
        self._q: np.ndarray | None = None  # the last action's Q-values; None: it was an exploratory (random) one
        self._chosen = 0

    def reset(self) -> None:
        self.stack = None
        self.hidden = None
        self._acted = False

    def observe(self, screen: np.ndarray) -> np.ndarray:
        """Pushes the newest frame into the stack and returns that frame."""
        frame = self.preprocessor.frame(screen)
        if self.stack is None:
            c = frame.shape[0]
            self.stack = np.zeros((c * self.params.frame_history, *frame.shape[1:]), dtype=np.uint8)
        c = frame.shape[0]
        self.stack[:-c] = self.stack[c:]
        self.stack[-c:] = frame
        return frame

    def act(self, variables: np.ndarray, epsilon: float) -> int:
        """epsilon-greedy on the current stack; the LSTM state advances even on random actions."""
        explore = self.rng.random() < epsilon
        self._acted, self._q = True, None
        if explore and self.network.lstm is None:
            return int(self.rng.integers(self.n_actions))
        assert self.stack is not None, "observe() before act()"
        with torch.no_grad():
            q, self.hidden = self.network(torch.from_numpy(self.stack[None]), torch.from_numpy(variables[None]), self.hidden)
        values = q[0].numpy()
        best = int(values.argmax())
        self.last_q = float(values[best])
        if explore:
            return int(self.rng.integers(self.n_actions))
        self._q, self._chosen = values, best
        return best

    @property
    def confidence(self) -> float | None:
        """q_confidence of the last action, computed only when asked (training never asks); 0.0 for an
        exploratory random action (not the network's choice); None before the first action."""
        if self._q is None:
            return 0.0 if self._acted else None
        return q_confidence(self._q, self._chosen)


def save_checkpoint(path: str, *, params: DqnHyperParams, action_set: ActionSet, online: QNetwork,
                    target: QNetwork | None, optimizer: torch.optim.Optimizer | None, state: dict[str, Any]) -> int:
    """Writes a checkpoint atomically (temp file + rename) and returns its size in bytes."""
    import os

    payload: dict[str, Any] = {
        "format": CHECKPOINT_FORMAT,
        "hparams": dataclasses.asdict(params),
        "action_set": action_set.to_dict(),
        "model": online.state_dict(),
        **state,
    }
    if target is not None:
        payload["target"] = target.state_dict()
    if optimizer is not None:
        payload["optimizer"] = optimizer.state_dict()
    temporary = path + ".tmp"
    torch.save(payload, temporary)
    os.replace(temporary, path)
    return os.path.getsize(path)


def load_checkpoint(path: str) -> dict[str, Any]:
    """Loads a checkpoint written by save_checkpoint (ValueError when it is not one)."""
    try:
        payload = torch.load(path, map_location="cpu", weights_only=False)
    except FileNotFoundError:
        raise
    except Exception as error:  # noqa: BLE001 - torch raises many kinds for a bad file
        raise ValueError(f"{path} is not a readable torch checkpoint: {error}") from error
    if not isinstance(payload, dict) or payload.get("format") != CHECKPOINT_FORMAT:
        raise ValueError(f"{path} is not a playtest_agent DQN checkpoint (format {CHECKPOINT_FORMAT})")
    return payload
