"""When the plan gives out: go for the map's exit lines anyway.

A `blocked` or `unknown` verdict comes with no steps, and a plan can end without the level ending.
The planner may be wrong (or the map may need something it does not model), so before exploring the
navigator tries every exit line of the map: it walks to the graph node nearest the line that sees it
(opening movers on the way, as for any route), then presses, crosses or shoots the line. Each exit
gets EXIT_TICS at its node before the next one is tried.
"""

from __future__ import annotations

import math

from ..mapdata import MapData
from .navgraph import NavGraph
from .steering import Wish
from .travel import TICS_PER_SECOND, Traveller
from .world import LiveWorld

# Doom-format exit specials and how they are set off: S1/W1/G1 exit and secret exit (Boom's G1 too).
DOOM_EXITS = {11: "use", 51: "use", 52: "walk", 124: "walk", 197: "shoot", 198: "shoot"}
# Hexen-format (and UDMF) exits: Teleport_NewMap, Exit_Normal, Exit_Secret; the activation is in the
# line's flags, so both pressing and crossing are tried.
HEXEN_EXITS = {74: "use", 243: "use", 244: "use"}
EXIT_TICS = 10 * TICS_PER_SECOND


def exit_lines(map_data: MapData) -> list[tuple[int, str]]:
    """(line, how) of every exit line of the map."""
    table = HEXEN_EXITS if map_data.hexen_specials else DOOM_EXITS
    return [(int(line), table[int(special)]) for line, special in enumerate(map_data.special) if int(special) in table]


class ExitSeeker:
    def __init__(self, world: LiveWorld, graph: NavGraph, travel: Traveller) -> None:
        self.world, self.graph, self.travel = world, graph, travel
        self.candidates: list[tuple[int, str, int]] | None = None  # line, how, node
        self.current = 0
        self.arrived_at = -1
        self.presses = 0

    def _find(self) -> list[tuple[int, str, int]]:
        found = []
        for line, how in exit_lines(self.world.map):
            mx, my = self.world.map.midpoint(line)
            for node in self.graph.nearest(mx, my, 8):
                nx, ny = self.graph.xy[node]
                if math.hypot(nx - mx, ny - my) > 160.0:
                    break
                front = self.world.front_side(line, nx, ny)
                px, py = self.travel.line_point(line, nx, ny)
                length = max(math.hypot(px - nx, py - ny), 1e-6)
                px, py = px - (px - nx) / length * 4.0, py - (py - ny) / length * 4.0  # just short of the line
                if (how == "walk" or front) and self.world.segment_clear(nx, ny, px, py):
                    found.append((line, how, node))
                    break
        return found

    @property
    def target(self) -> tuple[int, str, int] | None:
        """The exit being tried: (line, how, node), or None when all were tried."""
        if self.candidates is None:
            self.candidates = self._find()
        return self.candidates[self.current] if self.current < len(self.candidates) else None

    def wish(self, x: float, y: float, tic: int) -> Wish | None:
        """What to do to reach the current exit; None once every exit was tried."""
        while self.target is not None:
            line, how, node = self.target
            if self.arrived_at < 0:
                wish = self.travel.travel(node, x, y, tic)
                if self.travel.unreachable(node, tic):  # no route there now
                    self.current += 1
                    continue
                if wish is not None:
                    return wish
                self.arrived_at = tic
            if tic - self.arrived_at > EXIT_TICS:
                self.current, self.arrived_at, self.presses = self.current + 1, -1, 0
                continue
            self.presses += 1
            if how == "walk" or (self.world.map.hexen_specials and (tic - self.arrived_at) > EXIT_TICS // 2):
                return self.travel.cross_line(line, x, y)
            return self.travel.press(line, x, y, tic, shoot=how == "shoot", press=self.presses % 2 == 1)
        return None
