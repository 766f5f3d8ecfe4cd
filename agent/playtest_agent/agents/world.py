"""What the navigator knows of the map while it plays: live sector heights and the lines between sectors.

Heights come from VizDoom's sectors info every time they are asked for (a door's ceiling while it
opens); lines come from the WAD (mapdata.py), so a line is known by its WAD index. `segment_clear`
says whether a straight walk crosses a wall or an opening the passability rule forbids now.
"""

from __future__ import annotations

import numpy as np
import vizdoom as vzd

from ..mapdata import MapData
from .navgraph import Heights, passable

PLAYER_RADIUS = 16.0


class _LiveColumn:
    """`floor` or `ceiling` of every sector, read from the engine when indexed."""

    __slots__ = ("world", "index")

    def __init__(self, world: "LiveWorld", index: int) -> None:
        self.world, self.index = world, index

    def __getitem__(self, sector: int) -> float:
        return self.world.sector(sector)[self.index]


class LiveHeights:
    """Like Heights, but reads only the sectors asked for (a step judges a handful, of hundreds)."""

    def __init__(self, world: "LiveWorld") -> None:
        self.floor = _LiveColumn(world, 0)
        self.ceiling = _LiveColumn(world, 1)


class LiveWorld:
    def __init__(self, mapdata: MapData, sector_count: int) -> None:
        self.map = mapdata
        self.sector_count = sector_count
        self.rest: Heights | None = None
        self._positions: dict[int, int] = {}
        self._state: vzd.GameState | None = None
        self._cached: Heights | None = None
        m = mapdata
        self._minx, self._maxx = np.minimum(m.x1, m.x2), np.maximum(m.x1, m.x2)
        self._miny, self._maxy = np.minimum(m.y1, m.y2), np.maximum(m.y1, m.y2)
        self._solid = (m.back < 0) | m.impassable
        self.live = LiveHeights(self)  # the sectors' heights now, read on demand

    def begin(self, state: vzd.GameState) -> None:
        """A new episode: remember every sector's start heights (where a lift comes back to)."""
        self._positions = {}
        self.update(state)
        self.rest = self.heights().copy()

    def update(self, state: vzd.GameState) -> None:
        self._state = state
        self._cached = None

    def heights(self) -> Heights:
        """Every sector's live floor and ceiling (read once per state)."""
        if self._cached is None:
            count = self.sector_count
            floor = np.zeros(count, dtype=np.float64)
            ceiling = np.full(count, 1e4, dtype=np.float64)
            assert self._state is not None
            for position, sector in enumerate(self._state.sectors):
                if sector.id < count:
                    floor[sector.id] = sector.floor_height
                    ceiling[sector.id] = sector.ceiling_height
                    self._positions[sector.id] = position
            self._cached = Heights(floor, ceiling)
        return self._cached

    def sector(self, sector: int) -> tuple[float, float]:
        """One sector's live floor and ceiling, without reading them all."""
        assert self._state is not None
        sectors = self._state.sectors
        position = self._positions.get(sector)
        if position is not None and position < len(sectors) and sectors[position].id == sector:
            info = sectors[position]
            return info.floor_height, info.ceiling_height
        heights = self.heights()
        return float(heights.floor[sector]), float(heights.ceiling[sector])

    def crossed_lines(self, x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
        """Indexes of the lines the segment (x0, y0)-(x1, y1) crosses."""
        m = self.map
        near = ((self._maxx >= min(x0, x1)) & (self._minx <= max(x0, x1))
                & (self._maxy >= min(y0, y1)) & (self._miny <= max(y0, y1)))
        candidates = np.nonzero(near)[0]
        if len(candidates) == 0:
            return candidates
        lx1, ly1 = m.x1[candidates], m.y1[candidates]
        ex, ey = m.x2[candidates] - lx1, m.y2[candidates] - ly1
        dx, dy = x1 - x0, y1 - y0
        denom = dx * ey - dy * ex
        with np.errstate(divide="ignore", invalid="ignore"):
            t = ((lx1 - x0) * ey - (ly1 - y0) * ex) / denom
            u = ((lx1 - x0) * dy - (ly1 - y0) * dx) / denom
        hit = (denom != 0) & (t >= 0) & (t <= 1) & (u >= 0) & (u <= 1)
        return candidates[hit]

    def segment_clear(self, x0: float, y0: float, x1: float, y1: float, clearance: float = 0.0) -> bool:
        """True when a walk from (x0, y0) to (x1, y1) crosses no wall and no opening that the passability
        rule forbids with the live heights. With `clearance`, two parallel segments that far to each
        side are checked too (the player's body)."""
        offsets = [0.0]
        length = float(np.hypot(x1 - x0, y1 - y0))
        if clearance > 0 and length > 0:
            offsets += [clearance, -clearance]
        nx, ny = ((y1 - y0) / length, -(x1 - x0) / length) if length > 0 else (0.0, 0.0)
        m = self.map
        heights = self.live
        for offset in offsets:
            ax, ay, bx, by = x0 + nx * offset, y0 + ny * offset, x1 + nx * offset, y1 + ny * offset
            for line in self.crossed_lines(ax, ay, bx, by):
                if self._solid[line]:
                    return False
                # Which side the walk starts on: the front is on the right of the line's direction.
                side = (m.x2[line] - m.x1[line]) * (ay - m.y1[line]) - (m.y2[line] - m.y1[line]) * (ax - m.x1[line])
                a, b = (m.front[line], m.back[line]) if side < 0 else (m.back[line], m.front[line])
                if not passable(heights.floor[a], heights.ceiling[a], heights.floor[b], heights.ceiling[b]):
                    return False
        return True

    def distance_to_line(self, line: int, x: float, y: float) -> float:
        m = self.map
        ax, ay, bx, by = m.x1[line], m.y1[line], m.x2[line], m.y2[line]
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / length2))
        return float(np.hypot(x - (ax + t * dx), y - (ay + t * dy)))

    def front_side(self, line: int, x: float, y: float) -> bool:
        """True when (x, y) is on the line's front (right) side."""
        m = self.map
        return (m.x2[line] - m.x1[line]) * (y - m.y1[line]) - (m.y2[line] - m.y1[line]) * (x - m.x1[line]) <= 0
