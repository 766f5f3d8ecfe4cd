"""Monsters that never stirred in an episode, from the evidence scan's objects info and labels
(docs/findings.md, `idle_monster`): a monster that never moved from where it was first seen and was never
drawn on the player's screen. The platform keeps those that stayed so in every episode of a run and that
no player can reach: a monster closet that never opens, a monster sealed in, kills nobody can make."""

from __future__ import annotations

import math
from typing import Any, Iterable

from .agents.aim import MONSTERS

# Map units: a monster farther than this from its first place has moved (a turn in place moves it nothing).
MOVED = 8.0


class MonsterWatch:
    def __init__(self) -> None:
        self.first: dict[int, tuple[str, float, float]] = {}
        self.stirred: set[int] = set()

    def observe(self, objects: Iterable[Any] | None, labels: Iterable[Any] | None) -> None:
        """One scanned state: where each monster is, and which are on screen."""
        for label in labels or ():
            if label.object_name in MONSTERS:
                self.stirred.add(label.object_id)
        for thing in objects or ():
            if thing.name not in MONSTERS:
                continue
            first = self.first.get(thing.id)
            if first is None:
                self.first[thing.id] = (thing.name, float(thing.position_x), float(thing.position_y))
            elif thing.id not in self.stirred and math.hypot(thing.position_x - first[1], thing.position_y - first[2]) > MOVED:
                self.stirred.add(thing.id)

    def idle(self) -> list[dict[str, Any]]:
        """The monsters that never moved and were never on screen, where they stood."""
        return [{"name": name, "x": round(x, 1), "y": round(y, 1)}
                for id_, (name, x, y) in sorted(self.first.items()) if id_ not in self.stirred]
