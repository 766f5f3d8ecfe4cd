"""What the navigator knows of the map while it plays: live sector heights and the lines between sectors.

Heights come from VizDoom's sectors info every time they are asked for (a door's ceiling while it
opens); lines come from the WAD (mapdata.py), so a line is known by its WAD index. `segment_clear`
says whether a straight walk crosses a wall or an opening the passability rule forbids now.

The objects info's class names are read once per state (`object_names`): every read of an object's
field makes a new Python object, and several parts of a step look through all of the objects.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import vizdoom as vzd

from ..mapdata import MapData
from .linegrid import LineGrid
from .navgraph import STEP_UP, Heights, passable

PLAYER_RADIUS = 16.0
REST_SETTLE = 5 * 35  # tics a returning mover stands still before its heights count as where it comes back to
NEIGHBOURHOOD = (0, -1, 1, -2, 2, -3, 3, -4, 4, -5, 5, -6, 6, -7, 7, -8, 8)  # `find` tries these places first
# Doom's solid decorations (thing type: radius): barrels, pillars, columns, torches, lamps, trees, stumps,
# skull piles and poles, impaled and hanging bodies (hanging ones too, to be safe: vanilla things are
# infinitely tall).
SOLID_THINGS = {
    2035: 10.0, 70: 10.0, 25: 16.0, 26: 16.0, 27: 16.0, 28: 16.0, 29: 16.0, 30: 16.0, 31: 16.0, 32: 16.0,
    33: 16.0, 35: 16.0, 36: 16.0, 37: 16.0, 41: 16.0, 42: 16.0, 43: 16.0, 44: 16.0, 45: 16.0, 46: 16.0,
    47: 16.0, 48: 16.0, 49: 16.0, 50: 16.0, 51: 16.0, 52: 16.0, 53: 16.0, 54: 32.0, 55: 16.0, 56: 16.0,
    57: 16.0, 72: 16.0, 73: 16.0, 74: 16.0, 75: 16.0, 76: 16.0, 77: 16.0, 78: 16.0, 85: 16.0, 86: 16.0,
    2028: 16.0,
}


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
        self._still: dict[int, tuple[float, float, int]] = {}  # returning movers: heights, and since when unchanged
        self._positions: dict[int, int] = {}
        self._state: vzd.GameState | None = None
        self._cached: Heights | None = None
        self._read: dict[int, tuple[float, float]] = {}  # sectors read from this state (a step reads some many times)
        self._names: list[str] | None = None  # the objects' class names in this state
        self._player: tuple[int, int] | None = None  # the player's object: its id and its place at the last look
        self._players = 1  # DoomPlayer objects seen (more with voodoo dolls: then always the first, as found)
        m = mapdata
        self._minx, self._maxx = np.minimum(m.x1, m.x2), np.maximum(m.x1, m.x2)
        self._miny, self._maxy = np.minimum(m.y1, m.y2), np.maximum(m.y1, m.y2)
        self._solid = (m.back < 0) | m.impassable
        self._grid = LineGrid(self._minx, self._miny, self._maxx, self._maxy)
        # The lines as plain Python numbers: the tests below look at a few lines at a time, where numpy's
        # scalars cost more than the arithmetic (same float64 values, same operations, same results).
        self._ends = list(zip(m.x1.tolist(), m.y1.tolist(), m.x2.tolist(), m.y2.tolist()))
        self._boxes = list(zip(self._minx.tolist(), self._miny.tolist(), self._maxx.tolist(), self._maxy.tolist()))
        self._sides = list(zip(m.front.tolist(), m.back.tolist()))
        self._solid_list = self._solid.tolist()
        things = m.things
        radius = np.array([SOLID_THINGS.get(int(t), 0.0) for t in things[:, 3]]) if len(things) else np.zeros(0)
        keep = radius > 0
        self._things = (things[keep, 0].astype(np.float64), things[keep, 1].astype(np.float64), radius[keep])
        self.live = LiveHeights(self)  # the sectors' heights now, read on demand

    def begin(self, state: vzd.GameState) -> None:
        """A new episode: remember every sector's start heights (where a lift comes back to)."""
        self._positions = {}
        self._player, self._players = None, 1
        self.update(state)
        self.rest = self.heights().copy()
        self._still = {}

    def settle(self, sectors: list[int], tic: int) -> None:
        """Where the returning movers among `sectors` come back to: a lift that a switch raised for good (E2M9's
        S1 raise, then its SR lift) returns to its new height, not to the episode's start. A mover that stands
        still for REST_SETTLE tics at other heights than its rest (longer than a lift waits at the bottom, 3 s)
        has a new rest."""
        assert self.rest is not None
        for s in sectors:
            floor, ceiling = self.sector(s)
            seen = self._still.get(s)
            if seen is None or (seen[0], seen[1]) != (floor, ceiling):
                self._still[s] = (floor, ceiling, tic)
            elif tic - seen[2] >= REST_SETTLE and (self.rest.floor[s], self.rest.ceiling[s]) != (floor, ceiling):
                self.rest.floor[s], self.rest.ceiling[s] = floor, ceiling

    def update(self, state: vzd.GameState) -> None:
        self._state = state
        self._cached = None
        self._read = {}
        self._names = None

    def release(self) -> None:
        """Let go of the state (the step is decided): DoomEnv.step frees it before the engine runs."""
        self._state = None
        self._cached = None
        self._read = {}
        self._names = None

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

    def object_names(self) -> list[str]:
        """The class name of every object of the objects info, in its order."""
        if self._names is None:
            assert self._state is not None
            self._names = [o.name for o in self._state.objects]
        return self._names

    def find(self, object_id: int, place: int, name: str | None = None) -> int:
        """Where the object `object_id` (of class `name`, if given) is in the objects info (-1: gone).
        The list is in the engine's order, which shifts as things move, but mostly by a few places: the
        object's last `place` and its neighbourhood are tried first, by id (an int: cheaper to read
        than a name)."""
        assert self._state is not None
        objects = self._state.objects
        count = len(objects)
        at = -1
        for offset in NEIGHBOURHOOD:
            if 0 <= place + offset < count and objects[place + offset].id == object_id:
                at = place + offset
                break
        else:
            at = next((i for i, o in enumerate(objects) if o.id == object_id), -1)
        return at if at >= 0 and (name is None or objects[at].name == name) else -1

    def player_sector(self) -> int | None:
        """The sector the player stands in, by its object (the first DoomPlayer of the objects info),
        found by its id where it was last (unless voodoo dolls make more than one DoomPlayer)."""
        assert self._state is not None
        objects = self._state.objects
        if self._player is not None and self._players == 1:
            at = self.find(*self._player, "DoomPlayer")
            if at >= 0:
                self._player = (self._player[0], at)
                return objects[at].sector_id
        names = self.object_names()
        if "DoomPlayer" not in names:
            self._player = None
            return None
        at = names.index("DoomPlayer")
        self._players = max(self._players, names.count("DoomPlayer"))
        self._player = (objects[at].id, at)
        return objects[at].sector_id

    def sector(self, sector: int) -> tuple[float, float]:
        """One sector's live floor and ceiling, without reading them all."""
        read = self._read.get(sector)
        if read is not None:
            return read
        assert self._state is not None
        sectors = self._state.sectors
        position = self._positions.get(sector)
        if position is not None and position < len(sectors):
            info = sectors[position]
            if info.id == sector:
                read = info.floor_height, info.ceiling_height
        if read is None:
            heights = self.heights()
            read = float(heights.floor[sector]), float(heights.ceiling[sector])
        self._read[sector] = read
        return read

    def lines_near(self, line: int, reach: float) -> list[int]:
        """The other lines within `reach` of `line`."""
        ax, ay, bx, by = self._ends[line]
        return [other for other in self._grid.near(min(ax, bx) - reach, min(ay, by) - reach, max(ax, bx) + reach, max(ay, by) + reach)
                if other != line and _segment_distance(ax, ay, bx, by, *self._ends[other]) <= reach]

    def line_box(self, line: int) -> tuple[float, float, float, float]:
        """The line's bounding box: (min x, min y, max x, max y)."""
        return self._boxes[line]

    def crossed_lines(self, x0: float, y0: float, x1: float, y1: float) -> list[int]:
        """Indexes (ascending) of the lines the segment (x0, y0)-(x1, y1) crosses."""
        return sorted(self._crossings(x0, y0, x1, y1))

    def _crossings(self, x0: float, y0: float, x1: float, y1: float) -> Iterator[int]:
        """The lines the segment (x0, y0)-(x1, y1) crosses, once each, those near (x0, y0) first (the
        tests below stop at the first line that blocks)."""
        left, right = min(x0, x1), max(x0, x1)
        bottom, top = min(y0, y1), max(y0, y1)
        dx, dy = x1 - x0, y1 - y0
        boxes, ends = self._boxes, self._ends
        for line in self._grid.walk(x0, y0, x1, y1):
            minx, miny, maxx, maxy = boxes[line]
            if maxx < left or minx > right or maxy < bottom or miny > top:
                continue
            lx1, ly1, lx2, ly2 = ends[line]
            ex, ey = lx2 - lx1, ly2 - ly1
            denom = dx * ey - dy * ex
            if denom == 0:
                continue
            t = ((lx1 - x0) * ey - (ly1 - y0) * ex) / denom
            u = ((lx1 - x0) * dy - (ly1 - y0) * dx) / denom
            if 0 <= t <= 1 and 0 <= u <= 1:
                yield line

    def segment_clear(self, x0: float, y0: float, x1: float, y1: float, clearance: float = 0.0,
                      max_drop: float | None = None, drop_clearance: float = 0.0) -> bool:
        """True when a walk from (x0, y0) to (x1, y1) crosses no wall and no opening that the passability
        rule forbids with the live heights. With `clearance`, two parallel segments that far to each
        side are checked too (the player's body). With `max_drop`, a drop deeper than that counts as
        a wall too (a detour that would leave the player below its route); `drop_clearance` checks for such
        drops that far to each side as well (a running player drifts off a straight line)."""
        length = float(np.hypot(x1 - x0, y1 - y0))
        nx, ny = ((y1 - y0) / length, -(x1 - x0) / length) if length > 0 else (0.0, 0.0)
        # Segments to look along, and whether walls count on each: the walk, its sides at the body's clearance, and
        # for drops, its sides at `drop_clearance` with the ends joined (a walk along a ledge crosses its edge there).
        segments = [(x0, y0, x1, y1, True)]
        if clearance > 0 and length > 0:
            segments += [(x0 + nx * o, y0 + ny * o, x1 + nx * o, y1 + ny * o, True) for o in (clearance, -clearance)]
        if max_drop is not None and drop_clearance > clearance and length > 0:
            for o in (drop_clearance, -drop_clearance):
                ax, ay, bx, by = x0 + nx * o, y0 + ny * o, x1 + nx * o, y1 + ny * o
                segments += [(x0, y0, ax, ay, False), (ax, ay, bx, by, False), (x1, y1, bx, by, False)]
        solid, ends, sides, sector = self._solid_list, self._ends, self._sides, self.sector
        for ax, ay, bx, by, walls in segments:
            for line in self._crossings(ax, ay, bx, by):
                if solid[line]:
                    if walls:
                        return False
                    continue
                # Which side the walk starts on: the front is on the right of the line's direction.
                lx1, ly1, lx2, ly2 = ends[line]
                side = (lx2 - lx1) * (ay - ly1) - (ly2 - ly1) * (ax - lx1)
                front, back = sides[line]
                a, b = (front, back) if side < 0 else (back, front)
                (floor_a, ceiling_a), (floor_b, ceiling_b) = sector(a), sector(b)
                if walls and not passable(floor_a, ceiling_a, floor_b, ceiling_b):
                    return False
                if max_drop is not None and floor_a - floor_b > max_drop:
                    return False
        return True

    def ledge_ahead(self, x: float, y: float, z: float, direction: float, reach: float, lateral: float = 24.0,
                    close: float = 32.0, below: float = 2.0) -> bool:
        """Whether the player, standing at height z and moving toward `direction` (degrees), is heading
        for a ledge: an open line with its floor on one side (the player's height, or up to `below` under it:
        stairs down lead there) more than a step above the other, that lies within `lateral` units of the
        next `reach` units of the way, or within `close` units of the player whichever way."""
        ex, ey = x + reach * math.cos(math.radians(direction)), y + reach * math.sin(math.radians(direction))
        # The lines that can count lie within `close` of the player or `lateral` of the way: a box round both, not
        # round the whole reach (a glide's reach is up to 190 units, its way a thin strip of that square).
        left, right = min(x - close, min(x, ex) - lateral), max(x + close, max(x, ex) + lateral)
        bottom, top = min(y - close, min(y, ey) - lateral), max(y + close, max(y, ey) + lateral)
        solid, boxes, ends, sides, sector = self._solid_list, self._boxes, self._ends, self._sides, self.sector
        for line in self._grid.near(left, bottom, right, top):
            minx, miny, maxx, maxy = boxes[line]
            if solid[line] or maxx < left or minx > right or maxy < bottom or miny > top:
                continue
            front, back = sides[line]
            high, low = sector(front)[0], sector(back)[0]
            if high < low:
                high, low = low, high
            if not z - below <= high <= z + 2.0 or high - low <= STEP_UP:
                continue
            here = self.distance_to_line(line, x, y)
            if here <= close:
                return True
            if here <= reach and _segment_distance(x, y, ex, ey, *ends[line]) <= lateral:
                return True
        return False

    def sight_clear(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        """Roughly, whether (x1, y1) can be seen from (x0, y0): no one-sided line and no closed opening
        (a shut door) between them. Heights of the eyes are not considered."""
        sides, sector = self._sides, self.sector
        for line in self._crossings(x0, y0, x1, y1):
            front_sector, back_sector = sides[line]
            if back_sector < 0:
                return False
            front, back = sector(front_sector), sector(back_sector)
            if min(front[1], back[1]) - max(front[0], back[0]) <= 0:
                return False
        return True

    def thing_in_the_way(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        """Whether a walk from (x0, y0) to (x1, y1) would bump into a solid decoration of the map
        (a pillar, a lamp, a tree, a barrel), by the map's THINGS and their types."""
        tx, ty, radius = self._things
        if len(tx) == 0:
            return False
        dx, dy = x1 - x0, y1 - y0
        length2 = dx * dx + dy * dy
        t = np.clip(((tx - x0) * dx + (ty - y0) * dy) / length2, 0.0, 1.0) if length2 > 0 else np.zeros(len(tx))
        distance = np.hypot(x0 + t * dx - tx, y0 + t * dy - ty)
        return bool(np.any(distance < radius + PLAYER_RADIUS + 2.0))

    def distance_to_line(self, line: int, x: float, y: float) -> float:
        ax, ay, bx, by = self._ends[line]
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / length2))
        return float(np.hypot(x - (ax + t * dx), y - (ay + t * dy)))

    def front_side(self, line: int, x: float, y: float) -> bool:
        """True when (x, y) is on the line's front (right) side."""
        ax, ay, bx, by = self._ends[line]
        return (bx - ax) * (y - ay) - (by - ay) * (x - ax) <= 0


def _point_segment_distance(px: float, py: float, ax: float, ay: float, bx: float, by: float) -> float:
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return float(np.hypot(px - (ax + t * dx), py - (ay + t * dy)))


def _segment_distance(ax: float, ay: float, bx: float, by: float, cx: float, cy: float, dx: float, dy: float) -> float:
    """The shortest distance between segments ab and cd (0 when they cross)."""
    def orientation(px: float, py: float, qx: float, qy: float, rx: float, ry: float) -> float:
        return (qx - px) * (ry - py) - (qy - py) * (rx - px)

    if orientation(ax, ay, bx, by, cx, cy) * orientation(ax, ay, bx, by, dx, dy) < 0 and \
            orientation(cx, cy, dx, dy, ax, ay) * orientation(cx, cy, dx, dy, bx, by) < 0:
        return 0.0
    return min(_point_segment_distance(ax, ay, cx, cy, dx, dy), _point_segment_distance(bx, by, cx, cy, dx, dy),
               _point_segment_distance(cx, cy, ax, ay, bx, by), _point_segment_distance(dx, dy, ax, ay, bx, by))
