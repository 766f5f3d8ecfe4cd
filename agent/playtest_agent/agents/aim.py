"""Aim: which visible monster to fight, and when a fight is given up. Shared by the explorer and the navigator.

A monster counts when its label is on screen, it stands upright (corpses keep their label but lie
flat) and it is not a tiny far-away sprite. A fight that lands no hit for `give_up_steps` steps is
dropped for `ignore_steps` steps, so a monster behind a fence or out of reach does not hold the
player forever. The explorer turns toward the chosen label's screen position; the navigator turns to
its map position exactly.
"""

from __future__ import annotations

import math

import vizdoom as vzd

from .. import env as E

MONSTERS = {
    "Zombieman", "ShotgunGuy", "ChaingunGuy", "DoomImp", "Demon", "Spectre", "LostSoul", "Cacodemon", "HellKnight",
    "BaronOfHell", "Arachnotron", "PainElemental", "Revenant", "Fatso", "Archvile", "Cyberdemon", "SpiderMastermind",
    "WolfensteinSS", "CommanderKeen", "MarineChainsawVzd", "ScriptedMarine",
}


class Aim:
    def __init__(self, give_up_steps: int = 20, ignore_steps: int = 40) -> None:
        self.give_up_steps = give_up_steps
        self.ignore_steps = ignore_steps
        self.reset()

    def reset(self) -> None:
        self._step = 0
        self._ignore_until = 0
        self._fight_steps = 0
        self._last_hits = 0.0

    def target(self, state: vzd.GameState, variables: object) -> vzd.Label | None:
        """The most central upright monster on screen, or None (no monster, no ammo, or a fight given up).
        Call once per step: it counts the steps of a fight."""
        self._step += 1
        v = variables
        hits = float(v[E.HITS]) + float(v[E.KILLS])  # type: ignore[index]
        if hits > self._last_hits:
            self._last_hits, self._fight_steps = hits, 0
        if self._step < self._ignore_until or v[E.AMMO] <= 0:  # type: ignore[index]
            return None
        screen = state.screen_buffer
        height, width = screen.shape[0], screen.shape[1]
        near = height / 12  # far-away monsters (tiny sprites) wait until we are closer
        monsters = [l for l in state.labels if l.object_name in MONSTERS and l.height >= max(near, 0.8 * l.width)]
        if not monsters:
            return None
        self._fight_steps += 1
        if self._fight_steps > self.give_up_steps:
            self._ignore_until, self._fight_steps = self._step + self.ignore_steps, 0
        return min(monsters, key=lambda label: abs(label.x + label.width / 2 - width / 2))

    @staticmethod
    def screen_offset(label: vzd.Label, width: int) -> float:
        """Pixels from the screen centre to the label's centre (positive: to the right)."""
        return label.x + label.width / 2 - width / 2

    @staticmethod
    def fire_tolerance(label: vzd.Label, width: int) -> float:
        """Pixels: fire when the label's centre is this close to the screen centre."""
        return max(label.width / 2, width / 16)

    @staticmethod
    def bearing(label: vzd.Label, x: float, y: float) -> tuple[float, float]:
        """Degrees (0 = east, counter-clockwise) and distance from (x, y) to the labelled object."""
        dx, dy = label.object_position_x - x, label.object_position_y - y
        return math.degrees(math.atan2(dy, dx)) % 360.0, math.hypot(dx, dy)
