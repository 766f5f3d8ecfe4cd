"""The navigator's controls: its action set, and turning a wish (face there, move that way) into an action.

Turning is exact: the action set pairs every combination of the movement buttons with a turn by
`TURN_LEFT_RIGHT_DELTA` (degrees per tic, positive to the right), quantised to TURN_RATES, so the
player can face a switch or a monster to within a degree in one step instead of swinging by 14 or
28 degrees as TURN_LEFT/TURN_RIGHT do. Moving is chosen relative to where the player will face: the
eight directions of forward/backward and strafe, so it can walk one way while it aims another.
The telemetry's `buttons` shows the turn as `TURN_LEFT_RIGHT_DELTA=<degrees per tic>`.

The depth buffer tells it what the graph does not know (a barrel, a monster, a pillar): when the
centre of the view is blocked closer than the waypoint, it sidesteps toward the more open side.
"""

from __future__ import annotations

import bisect
import itertools
import math
from dataclasses import dataclass

import numpy as np

from ..actions import ActionSet

TURN_RATES = (0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 12.0, 20.0)  # degrees per tic, each way
TURNS = (0.0,) + tuple(sign * rate for rate in TURN_RATES for sign in (1.0, -1.0))
_SORTED_TURNS = sorted(TURNS)
_TURN_INDEX = [TURNS.index(t) for t in _SORTED_TURNS]
MOVE_BUTTONS = ("MOVE_FORWARD", "MOVE_BACKWARD", "MOVE_LEFT", "MOVE_RIGHT", "ATTACK", "USE", "SPEED", "TURN_LEFT_RIGHT_DELTA")
WEAPONS = (2, 3, 4, 5, 6, 7)  # weapon slots the navigator can select (pistol, shotguns, chaingun, rockets, plasma, BFG)
BUTTONS = MOVE_BUTTONS + tuple(f"SELECT_WEAPON{slot}" for slot in WEAPONS)
MOVE_ACTIONS = 3 * 3 * 2 * 2 * 2 * len(TURNS)  # the movement actions come first; then one per weapon slot
DEPTH_UNIT = 7.2  # map units per depth-buffer unit (measured: a wall 256 units ahead reads 35)
FIELD_OF_VIEW = 90.0


def navigator_action_set() -> ActionSet:
    """Every combination of forward/backward, strafe, attack, use, speed and a turn (19 rates), then one
    action per weapon slot that selects it (and does nothing else)."""
    actions = []
    idle = (0.0,) * len(WEAPONS)
    for fb, lr, attack, use, speed, turn in itertools.product(range(3), range(3), range(2), range(2), range(2), TURNS):
        actions.append((float(fb == 1), float(fb == 2), float(lr == 1), float(lr == 2), float(attack), float(use),
                        float(speed), turn) + idle)
    for i in range(len(WEAPONS)):
        actions.append((0.0,) * len(MOVE_BUTTONS) + tuple(float(j == i) for j in range(len(WEAPONS))))
    return ActionSet(BUTTONS, tuple(actions), None)


def select_action(slot: int) -> int:
    """The action that selects weapon slot `slot` (2-7)."""
    return MOVE_ACTIONS + WEAPONS.index(slot)


def action_index(forward: int, strafe: int, attack: bool, use: bool, run: bool, turn_per_tic: float) -> int:
    """forward: 1 forward, -1 backward; strafe: -1 left, 1 right; turn_per_tic: degrees, positive right."""
    fb = 1 if forward > 0 else 2 if forward < 0 else 0
    lr = 1 if strafe < 0 else 2 if strafe > 0 else 0
    i = bisect.bisect_left(_SORTED_TURNS, turn_per_tic)
    if i == len(_SORTED_TURNS) or (i > 0 and turn_per_tic - _SORTED_TURNS[i - 1] <= _SORTED_TURNS[i] - turn_per_tic):
        i -= 1
    turn = _TURN_INDEX[i]
    return ((((fb * 3 + lr) * 2 + int(attack)) * 2 + int(use)) * 2 + int(run)) * len(TURNS) + turn


def angle_difference(target: float, current: float) -> float:
    """target - current in degrees, wrapped to (-180, 180]."""
    difference = (target - current) % 360.0
    return difference - 360.0 if difference > 180.0 else difference


def bearing(x: float, y: float, tx: float, ty: float) -> float:
    return math.degrees(math.atan2(ty - y, tx - x)) % 360.0


@dataclass
class Wish:
    """What the navigator wants this step, in map terms."""

    face: float | None = None  # absolute angle to face (degrees), or None to keep facing
    move: float | None = None  # absolute direction to move (degrees), or None to stand
    run: bool = True
    attack: bool = False
    use: bool = False
    weapon: int | None = None  # a weapon slot to select this step (instead of moving)
    leap: bool = False  # a running leap over a pit: run on over the ledge


class Steering:
    def __init__(self, frame_skip: int) -> None:
        self.frame_skip = frame_skip
        self.max_turn = TURN_RATES[-1] * frame_skip

    def action(self, angle: float, wish: Wish) -> int:
        """The action that best does `wish` for a player facing `angle`."""
        if wish.weapon is not None:
            return select_action(wish.weapon)
        turn = 0.0
        if wish.face is not None:
            turn = max(-self.max_turn, min(self.max_turn, angle_difference(wish.face, angle)))
        forward = strafe = 0
        if wish.move is not None:
            # Move relative to the facing at the end of this step: one of eight directions.
            relative = angle_difference(wish.move, angle + turn)
            sector = int(round(relative / 45.0)) % 8  # 0 ahead, 2 left, 4 behind, 6 right
            forward = (1, 1, 0, -1, -1, -1, 0, 1)[sector]
            strafe = (0, -1, -1, -1, 0, 1, 1, 1)[sector]
        # The engine turns right for positive deltas; angles grow counter-clockwise.
        return action_index(forward, strafe, wish.attack, wish.use, wish.run and (forward or strafe) != 0,
                            -turn / self.frame_skip)

    @staticmethod
    def free_ahead(depth: np.ndarray, half_width_degrees: float = 8.0) -> tuple[float, float, float]:
        """Map units free straight ahead (a narrow cone), and on the left and right halves of the view:
        the nearest point of each screen column in a band around the horizon, then a low quantile."""
        height, width = depth.shape
        columns = depth[height // 2 - height // 20: height // 2 + height // 10].min(axis=0)
        half = max(1, int(width * half_width_degrees / FIELD_OF_VIEW))
        centre = np.partition(columns[width // 2 - half: width // 2 + half], 1)[1]  # the second nearest column
        sides = columns[: width // 2 - half], columns[width // 2 + half:]
        left, right = (float(np.partition(side, len(side) // 4)[len(side) // 4]) for side in sides)
        return float(centre) * DEPTH_UNIT, left * DEPTH_UNIT, right * DEPTH_UNIT
