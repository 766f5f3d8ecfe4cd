"""`explorer`: a scripted QA bot that plays any map without training.

Each step, in this order:
1. Fight: if a monster's label is on screen, turn toward it and shoot once it is centred.
2. Collect: if an item's label is on screen and near, walk to it.
3. Unstick: if it has barely moved for a while, press USE (doors, switches), back off and turn.
4. Explore: split the depth buffer into columns; for each column, project the free distance onto
   the map and score it by how rarely that spot was visited (cells of 64 map units). Head for
   the best column; when every visible direction is blocked or already seen, turn to scan.
It runs (SPEED held while moving or turning). It needs the depth and labels buffers and the buttons of
"move_fb;move_lr;turn_lr;attack;use;speed";
with a narrower action set it uses the closest action available.
"""

from __future__ import annotations

import math

import numpy as np

from .. import env as E
from ..actions import ActionSet, parse_combinations
from ..env import DoomEnv, EnvFeatures
from .aim import Aim

EXPLORER_COMBINATIONS = "move_fb;move_lr;turn_lr;attack;use;speed"
ITEMS = {
    "Clip", "ClipBox", "Shell", "ShellBox", "RocketAmmo", "RocketBox", "Cell", "CellPack", "Backpack", "Stimpack",
    "Medikit", "HealthBonus", "ArmorBonus", "GreenArmor", "BlueArmor", "Soulsphere", "Megasphere", "Berserk",
    "InvulnerabilitySphere", "BlurSphere", "RadSuit", "Infrared", "Allmap", "Shotgun", "SuperShotgun", "Chaingun",
    "RocketLauncher", "PlasmaRifle", "BFG9000", "Chainsaw", "BlueCard", "RedCard", "YellowCard", "BlueSkull",
    "RedSkull", "YellowSkull",
}
COLUMNS = 9
FIELD_OF_VIEW = 90.0  # degrees, VizDoom's default horizontal FOV
CELL = 64.0


class ExplorerAgent:
    features = EnvFeatures(depth=True, labels=True)

    def __init__(self, seed: int | None, own_action_set: bool = True) -> None:
        """`own_action_set`: play with EXPLORER_COMBINATIONS (when the config names no action set)."""
        self.rng = np.random.default_rng(seed)
        self.action_set: ActionSet | None = parse_combinations(EXPLORER_COMBINATIONS) if own_action_set else None
        self.visits: dict[tuple[int, int], int] = {}
        self._index: dict[frozenset[str], int] = {}
        self._positions: list[tuple[float, float]] = []
        self._unstick = 0
        self._scan_direction = 1
        self.aim = Aim()
        self._scanning = False

    def begin_episode(self, env: DoomEnv) -> None:
        self._index = {frozenset(env.action_set.pressed(i)): i for i in range(len(env.action_set))}
        self.visits = {}
        self._positions = []
        self._unstick = 0
        self.aim.reset()
        self._scanning = False

    def _action(self, *buttons: str, run: bool = True) -> int:
        """The action pressing exactly `buttons` (plus SPEED when moving or turning and `run`),
        or the one sharing the most of them."""
        wanted = frozenset(b for b in buttons if b)
        if run and wanted & {"MOVE_FORWARD", "MOVE_BACKWARD", "TURN_LEFT", "TURN_RIGHT"}:
            wanted |= {"SPEED"}  # run, and turn fast
        if wanted in self._index:
            return self._index[wanted]
        best = max(self._index, key=lambda have: (len(have & wanted), -len(have - wanted)))
        return self._index[best]

    def act(self, env: DoomEnv) -> int:
        state = env.state
        assert state is not None
        v = env.variables
        x, y, angle = float(v[E.X]), float(v[E.Y]), float(v[E.ANGLE])
        cell = (int(x // CELL), int(y // CELL))
        self.visits[cell] = self.visits.get(cell, 0) + 1
        self._positions.append((x, y))
        width = state.screen_buffer.shape[1]
        depth = state.depth_buffer

        # 1. Fight the most central visible monster (upright, not a fight given up: see aim.py).
        target = self.aim.target(state, v)
        if target is not None:
            self._positions.clear()  # standing still to fight is not being stuck
            offset = Aim.screen_offset(target, width)
            # One turn step (frame skip 4, no SPEED) is about 14 degrees, some 25 pixels at 160 wide:
            # fire when the target is within half a turn step rather than overshoot it.
            tolerance = Aim.fire_tolerance(target, width)
            if abs(offset) <= tolerance:
                return self._action("ATTACK")
            turn = "TURN_RIGHT" if offset > 0 else "TURN_LEFT"
            return self._action(turn, "ATTACK" if abs(offset) < 2 * tolerance else "", run=False)

        # 3. Unstick: no progress over the last 20 steps.
        if self._unstick > 0:
            self._unstick -= 1
            if self._unstick > 6:
                return self._action("MOVE_BACKWARD", "TURN_LEFT" if self._scan_direction < 0 else "TURN_RIGHT")
            return self._action("TURN_LEFT" if self._scan_direction < 0 else "TURN_RIGHT", "USE")
        if len(self._positions) > 20:
            px, py = self._positions[-20]
            if math.hypot(x - px, y - py) < 24.0:
                self._unstick = 12
                self._scan_direction = int(self.rng.choice([-1, 1]))
                self._positions.clear()
                return self._action("USE")

        # 2. Collect a visible item that is close to the centre line.
        items = [label for label in state.labels if label.object_name in ITEMS]
        if items:
            target = max(items, key=lambda label: label.width * label.height)
            offset = target.x + target.width / 2 - width / 2
            turn = "" if abs(offset) < width / 12 else ("TURN_RIGHT" if offset > 0 else "TURN_LEFT")
            return self._action("MOVE_FORWARD", turn)

        # 4. Explore: score each screen column by free distance and novelty of where it leads.
        used = (depth.shape[1] // COLUMNS) * COLUMNS
        left_edge = (depth.shape[1] - used) // 2
        band = depth[depth.shape[0] // 2 - 4 : depth.shape[0] // 2 + 4, left_edge : left_edge + used]
        columns = band.reshape(band.shape[0], COLUMNS, -1).transpose(1, 0, 2).reshape(COLUMNS, -1)
        rank = columns.shape[1] // 5  # the 20th percentile of each column: near obstacles count
        free = np.partition(columns, rank, axis=1)[:, rank].astype(np.float64)
        best_score, best_column = -1.0, COLUMNS // 2
        for i, distance in enumerate(free):
            bearing = angle + FIELD_OF_VIEW / 2 - (i + 0.5) * FIELD_OF_VIEW / COLUMNS
            reach = min(distance, 40.0) * 8.0  # depth units are coarse; ~8 map units each, capped
            tx = x + math.cos(math.radians(bearing)) * reach
            ty = y + math.sin(math.radians(bearing)) * reach
            novelty = 1.0 / (1.0 + self.visits.get((int(tx // CELL), int(ty // CELL)), 0))
            score = min(distance, 40.0) / 40.0 * (0.3 + novelty)
            if score > best_score:
                best_score, best_column = score, i
        centre = free[COLUMNS // 2]
        if best_score < 0.08 or centre < 3.0:
            # Blocked ahead or nothing new in view: open doors, and turn to scan, toward the more
            # open side when a scan starts, then keeping that direction until the way is clear.
            if not self._scanning:
                left, right = free[: COLUMNS // 2].sum(), free[COLUMNS // 2 + 1 :].sum()
                self._scan_direction = -1 if left > right else 1
                self._scanning = True
            return self._action("TURN_LEFT" if self._scan_direction < 0 else "TURN_RIGHT", "USE")
        self._scanning = False
        if best_column < COLUMNS // 2:
            return self._action("MOVE_FORWARD", "TURN_LEFT")
        if best_column > COLUMNS // 2:
            return self._action("MOVE_FORWARD", "TURN_RIGHT")
        return self._action("MOVE_FORWARD")
