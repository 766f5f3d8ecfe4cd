"""The planner's walkable graph with live passability, and the cheapest route over it.

An edge's `sectors` are the sectors a straight walk passes through; a move along it is possible when
docs/navigation.md's rule holds for each consecutive pair with the heights the engine shows now.
When it does not, the edge may still be usable later:

- `open`: it passes with the blocking movers at their `open` heights (a door to open, a lift to lower):
  the navigator triggers one of their openers, then waits;
- `rest`: it passes with those movers back at the heights they had when the episode started, and they
  go back by themselves (a lift, a crusher): the navigator waits.

A walk may need both, one after the other: onto a lift once it is down, off it once it is back up. So
at play time the need is judged from where the player stands (see `need`); for routing, an edge that
needs a mover open somewhere costs the `open` premium.

`route` is A* from several start nodes at once (each with the cost of reaching it) to a goal. The
needs of every edge in both directions are computed at once with numpy (real maps have some 60 000
edges); an edge costs its length, plus a premium when it needs a mover, plus any penalty the navigator
put on an edge that failed it. The heuristic, the straight-line distance or, via the nearest teleporter,
the distance to a teleporter plus the distance from the destination nearest the goal, never
overestimates; it is weighted by 1.25, so a route costs at most 25% more than the cheapest one and
takes far fewer expansions to find on graphs of thousands of nodes.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

import numpy as np

from ..navigation import Navigation

STEP_UP = 24.0  # a step up of at most this many units
PLAYER_HEIGHT = 56.0  # headroom needed
OPEN_COST = 384.0  # map units: what going to open a mover costs, roughly
HAZARD_FACTOR = 3.0  # an edge through a damaging floor (nukage) costs this many times its length more,
HAZARD_COST = 128.0  # plus this (without god mode: a safe way round is worth a long walk)
REST_COST = 128.0  # waiting for a mover to come back
TELEPORT_COST = 32.0
LEAP_COST = 2048.0  # a running leap over a pit: taken where walking does not do (a missed one falls in)
HEURISTIC_WEIGHT = 1.25  # weighted A*: a route at most 25% dearer than the cheapest, found with far fewer expansions
HEURISTICS_KEPT = 32  # goals whose heuristic is kept (the navigator goes back and forth between a few)

RETURNING = {"lift", "crusher"}  # mover kinds that go back to their start heights by themselves
OK, OPEN, REST, BLOCKED = "ok", "open", "rest", "blocked"
NEEDS = (OK, OPEN, REST, BLOCKED)
PREMIUM = np.array([0.0, OPEN_COST, REST_COST, math.inf])


def passable(floor_a: float, ceiling_a: float, floor_b: float, ceiling_b: float) -> bool:
    """docs/navigation.md: moving from sector a to sector b."""
    return (floor_b - floor_a <= STEP_UP
            and min(ceiling_a, ceiling_b) - max(floor_a, floor_b) >= PLAYER_HEIGHT
            and ceiling_b - floor_b >= PLAYER_HEIGHT)


def fits_beside(floor_near: float, ceiling_near: float, floor_far: float, ceiling_far: float) -> bool:
    """docs/navigation.md: a walk in sector `near` that passes within 16 units of sector `far` (a touch)."""
    return floor_far - floor_near <= STEP_UP and min(ceiling_near, ceiling_far) - max(floor_near, floor_far) >= PLAYER_HEIGHT


def passable_pairs(floor: np.ndarray, ceiling: np.ndarray, a: np.ndarray, b: np.ndarray,
                   touch: np.ndarray | None = None) -> np.ndarray:
    """The rule for many pairs of sectors at once (for touches, without the far sector's own headroom)."""
    fa, ca, fb, cb = floor[a], ceiling[a], floor[b], ceiling[b]
    fits = (fb - fa <= STEP_UP) & (np.minimum(ca, cb) - np.maximum(fa, fb) >= PLAYER_HEIGHT)
    own = cb - fb >= PLAYER_HEIGHT
    return fits & (own | touch) if touch is not None else fits & own


def _needs(flags: np.ndarray) -> np.ndarray:
    """Need codes (index into NEEDS) from `_flags`' codes: blocked over open over rest over ok."""
    need = np.zeros(len(flags), dtype=np.int64)
    need[(flags & 4) != 0] = 2
    need[(flags & 2) != 0] = 1
    need[(flags & 8) != 0] = 3
    return need


@dataclass
class Heights:
    """Floor and ceiling of every sector (index = WAD sector index)."""

    floor: np.ndarray
    ceiling: np.ndarray

    def copy(self) -> "Heights":
        return Heights(self.floor.copy(), self.ceiling.copy())


@dataclass(frozen=True)
class Leg:
    """One move of a route: along edge `index` (a teleport's index for kind "teleport")."""

    kind: str  # walk | teleport
    index: int
    source: int
    target: int
    forward: bool  # walk: from edge.a to edge.b
    need: str  # ok | open | rest, when the route was planned
    movers: tuple[int, ...]  # the sectors that must open (need open) or come back (need rest)


class NavGraph:
    def __init__(self, nav: Navigation) -> None:
        self.nav = nav
        self.xy = nav.nodes[:, :2].copy()
        count = len(nav.nodes)
        self.adjacency: list[list[tuple[int, int, bool]]] = [[] for _ in range(count)]
        for i, edge in enumerate(nav.edges):
            self.adjacency[edge.a].append((edge.b, i, True))
            self.adjacency[edge.b].append((edge.a, i, False))
        self.directed: list[list[tuple[int, int]]] = [[(other, 2 * edge + (0 if forward else 1)) for other, edge, forward in near]
                                                      for near in self.adjacency]
        self.teleports_from: list[list[int]] = [[] for _ in range(count)]
        for i, teleport in enumerate(nav.teleports):
            self.teleports_from[teleport.source].append(i)
        a = np.array([e.a for e in nav.edges], dtype=np.int64)
        b = np.array([e.b for e in nav.edges], dtype=np.int64)
        self.length = np.hypot(self.xy[a, 0] - self.xy[b, 0], self.xy[a, 1] - self.xy[b, 1]) if len(a) else np.zeros(0)
        # Every consecutive pair of sectors of every edge, flattened (a one-sector edge is the pair (s, s)),
        # then every touch (near, far), which is judged the same way in both directions.
        first, second, owner, touch = [], [], [], []
        for i, edge in enumerate(nav.edges):
            path = edge.sectors
            for s, t in list(zip(path, path[1:])) or [(path[0], path[0])]:
                first.append(s)
                second.append(t)
                owner.append(i)
                touch.append(False)
        for i, edge in enumerate(nav.edges):
            for near, far in edge.touches:
                first.append(near)
                second.append(far)
                owner.append(i)
                touch.append(True)
        self.pair_a = np.array(first, dtype=np.int64)
        self.pair_b = np.array(second, dtype=np.int64)
        self.pair_edge = np.array(owner, dtype=np.int64)
        self.pair_touch = np.array(touch, dtype=bool)
        self.max_sector = max([int(nav.nodes[:, 2].max()) if count else 0]
                              + [int(self.pair_a.max()) if len(first) else 0, int(self.pair_b.max()) if len(first) else 0]
                              + list(nav.movers) + [0])
        self.movers = np.array(sorted(nav.movers), dtype=np.int64)
        self.open_floor = np.array([nav.movers[s].open_floor if nav.movers[s].open_floor is not None else np.nan
                                    for s in self.movers])
        self.open_ceiling = np.array([nav.movers[s].open_ceiling if nav.movers[s].open_ceiling is not None else np.nan
                                      for s in self.movers])
        # Movers whose open floor is the lowest of some sectors' floors when they open (index into movers, sectors).
        self.lowest_of = [(k, np.array(nav.movers[s].floor_lowest_of, dtype=np.int64))
                          for k, s in enumerate(self.movers.tolist()) if nav.movers[s].floor_lowest_of]
        self.returning = np.array([nav.movers[s].kind in RETURNING for s in self.movers], dtype=bool)
        self.returning_sectors = self.movers[self.returning]  # lifts and crushers: they come back to a rest
        self._static = ~(np.isin(self.pair_a, self.movers) | np.isin(self.pair_b, self.movers))  # no mover next to it
        self._moving = self.movers.copy()  # the movers and every other sector seen to move
        self._first_floor: np.ndarray | None = None  # the heights of the first call (what the static answers used)
        self._first_ceiling: np.ndarray | None = None
        self._static_flags: tuple[np.ndarray, np.ndarray] | None = None
        self._dynamic: tuple[np.ndarray, np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]] | None = None
        self._needs_cache: tuple[object, tuple[np.ndarray, np.ndarray]] | None = None
        # The directed edges' costs: (needs they were last used with, needs they were built from, list).
        self._costs: tuple[np.ndarray, np.ndarray, np.ndarray, list[float]] | None = None
        self._heuristics: dict[int, list[float]] = {}  # per goal, for the last HEURISTICS_KEPT goals
        # Per goal of a search that failed: the needs and shut teleporters it ran with, and its best
        # costs (finite exactly on the nodes it reached: none of them leads to the goal).
        self._unreached: dict[int, tuple[np.ndarray, np.ndarray, frozenset[int], list[float]]] = {}
        self.hazard = np.zeros(len(self.length))  # extra cost of each edge for its damaging floors (set_hazards)
        # A leap is taken from its run-up node only, at a premium (forward, backward).
        leap = np.zeros(len(self.length), dtype=bool)
        leap[list(nav.leaps)] = True
        self.leap_cost = (np.where(leap, LEAP_COST, 0.0), np.where(leap, np.inf, 0.0))
        self.hazard_nodes = np.zeros(count, dtype=bool)  # nodes on a damaging floor

    def set_hazards(self, damaging: np.ndarray) -> None:
        """Edges whose walk passes a sector in `damaging` (bool per sector) cost more (HAZARD_*), and
        nodes on such a sector are marked (`hazard_nodes`)."""
        flags = np.zeros(self.max_sector + 1, dtype=bool)
        count = min(len(flags), len(damaging))
        flags[:count] = damaging[:count]
        hurts = np.zeros(len(self.length), dtype=bool)
        if len(self.pair_a):
            bad = ~self.pair_touch & (flags[self.pair_a] | flags[self.pair_b])
            hurts[self.pair_edge[bad]] = True
        self.hazard = np.where(hurts, self.length * HAZARD_FACTOR + HAZARD_COST, 0.0)
        self.hazard_nodes = flags[self.nav.nodes[:, 2].astype(np.int64)] if len(self.xy) else np.zeros(0, dtype=bool)
        self._costs = None

    def distance(self, a: int, b: int) -> float:
        return float(math.hypot(self.xy[a, 0] - self.xy[b, 0], self.xy[a, 1] - self.xy[b, 1]))

    def sectors(self, edge: int, forward: bool) -> tuple[int, ...]:
        sectors = self.nav.edges[edge].sectors
        return sectors if forward else sectors[::-1]

    # ----- what an edge needs -------------------------------------------------------------------

    def need(self, edge: int, forward: bool, live: Heights, rest: Heights,
             at_sector: int | None = None, at_index: int | None = None) -> tuple[str, tuple[int, ...]]:
        """What the walk along `edge` needs now, and the movers concerned: ok (passable now), open (once
        its movers are open), rest (once they are back at their start heights) or blocked.

        Boundaries are judged from the player's sector `at_sector` on (from the start when it is not on
        the way): the next boundary's need, else the first later one that needs a mover opened (open
        it now) or is blocked. A later one that needs a mover back does not stop the walk: on a lift
        ride, the player steps on while the lift is down, then waits on it for it to come back up.
        `at_index`, when given, is the player's place on the path instead (the walker tracks it: a path
        may pass through a sector twice, as through a door in the middle of a room)."""
        path = self.sectors(edge, forward)
        if at_index is not None:
            start = min(at_index, len(path) - 1)
        else:
            start = len(path) - 1 - path[::-1].index(at_sector) if at_sector is not None and at_sector in path else 0
        pairs = list(zip(path[start:], path[start + 1:])) or ([(path[0], path[0])] if start == 0 else [])
        for i, (a, b) in enumerate(pairs):
            need = self.pair_need(a, b, live, rest)
            if need[0] == OK or (need[0] == REST and i > 0):
                continue
            return need
        for near, far in self.nav.edges[edge].touches:  # a door or a raised lift beside the way
            need = self.pair_need(near, far, live, rest, touch=True)
            if need[0] != OK:
                return need
        return OK, ()

    def pair_need(self, a: int, b: int, live: Heights, rest: Heights, touch: bool = False) -> tuple[str, tuple[int, ...]]:
        """The need of one sector boundary, from sector a to sector b (or of a touch: near a, far b)."""
        rule = fits_beside if touch else passable
        floor, ceiling = live.floor, live.ceiling
        if rule(floor[a], ceiling[a], floor[b], ceiling[b]):
            return OK, ()
        movers = self.nav.movers
        involved = tuple(sorted({s for s in (a, b) if s in movers}))
        if not involved:
            return BLOCKED, ()

        def passes(heights: dict[int, tuple[float, float]]) -> bool:
            fa, ca = heights.get(a, (floor[a], ceiling[a]))
            fb, cb = heights.get(b, (floor[b], ceiling[b]))
            return rule(fa, ca, fb, cb)

        opened = {}
        for s in involved:
            mover = movers[s]
            open_floor = mover.open_floor_now(floor)
            opened[s] = (open_floor if open_floor is not None else floor[s],
                         mover.open_ceiling if mover.open_ceiling is not None else ceiling[s])
        if passes(opened):
            return OPEN, involved
        if all(movers[s].kind in RETURNING for s in involved) and \
                passes({s: (rest.floor[s], rest.ceiling[s]) for s in involved}):
            return REST, involved
        return BLOCKED, involved

    def all_needs(self, live: Heights, rest: Heights, shut: frozenset[int] = frozenset()) -> tuple[np.ndarray, np.ndarray]:
        """The need of every edge (index into NEEDS), forward and backward, at once: `blocked` when some
        boundary passes neither now, nor with every mover open, nor with the returning movers back at
        their start heights; else `open` when some boundary needs a mover open (a lift ride needs both:
        open it, then wait for it); else `rest` when some needs a mover back; else `ok`. Movers in
        `shut` are taken to stay as they are (the navigator could not open them).

        Only boundaries next to a sector that moves can change: the others are judged once, with the
        heights of the first call, and the answer is kept while the moving sectors' heights and `shut`
        stay the same. The sectors that move are the movers, and any other sector seen to move since
        (a stair builder raises a whole flight, of which the planner may name one step): when one is
        seen, the boundaries next to it are judged again, from then on with the live heights."""
        self._note_moved(live)
        moving = self._moving
        returning = self.returning_sectors
        key = (live.floor[moving].tobytes(), live.ceiling[moving].tobytes(), shut,
               rest.floor[returning].tobytes() + rest.ceiling[returning].tobytes() if len(returning) else b"")
        if self._needs_cache is not None and self._needs_cache[0] == key:
            return self._needs_cache[1]
        movers = self.movers
        if self._static_flags is None:
            self._static_flags = tuple(self._flags(live, live, live, self._static, backward) for backward in (False, True))
        opened = live.copy()
        if len(movers):
            can_open = movers[~np.isin(movers, list(shut))] if shut else movers
            keep = np.isin(movers, can_open)
            open_floor = self.open_floor
            if self.lowest_of:
                open_floor = open_floor.copy()
                for k, sectors in self.lowest_of:
                    open_floor[k] = live.floor[sectors].min()
            opened.floor[can_open] = np.where(np.isnan(open_floor[keep]), live.floor[can_open], open_floor[keep])
            opened.ceiling[can_open] = np.where(np.isnan(self.open_ceiling[keep]), live.ceiling[can_open], self.open_ceiling[keep])
        back = live.copy()
        back.floor[returning], back.ceiling[returning] = rest.floor[returning], rest.ceiling[returning]
        if self._dynamic is None:
            # The boundaries judged again, the edges they belong to, and the needs of every edge from
            # its static boundaries alone (those of the edges without a moving boundary are final).
            dynamic = np.nonzero(~self._static)[0]
            edges, inverse = np.unique(self.pair_edge[dynamic], return_inverse=True)
            self._dynamic = (dynamic, edges, inverse, tuple(_needs(static) for static in self._static_flags))
        dynamic, edges, inverse, static_needs = self._dynamic
        result = []
        for backward, static, static_need in zip((False, True), self._static_flags, static_needs):
            flags = static[edges]
            np.bitwise_or.at(flags, inverse, self._pair_codes(live, opened, back, dynamic, backward))
            need = static_need.copy()
            need[edges] = _needs(flags)
            result.append(need)
        self._needs_cache = (key, (result[0], result[1]))
        return result[0], result[1]

    def _note_moved(self, live: Heights) -> None:
        """Sectors that are not movers but whose heights differ from those of the first call become
        moving sectors: their boundaries leave the static set (judged again) and join the cache key."""
        count = min(len(live.floor), len(self._first_floor)) if self._first_floor is not None else 0
        if self._first_floor is None:
            self._first_floor, self._first_ceiling = live.floor.copy(), live.ceiling.copy()
            return
        changed = np.nonzero((live.floor[:count] != self._first_floor[:count]) | (live.ceiling[:count] != self._first_ceiling[:count]))[0]
        fresh = changed[~np.isin(changed, self._moving)]
        if len(fresh) == 0:
            return
        self._moving = np.union1d(self._moving, fresh)
        self._static = ~(np.isin(self.pair_a, self._moving) | np.isin(self.pair_b, self._moving))
        self._static_flags = None  # judged again for the boundaries still static (with these heights: unchanged)
        self._dynamic = None
        self._needs_cache = None

    def _flags(self, live: Heights, opened: Heights, back: Heights, pairs: np.ndarray, backward: bool) -> np.ndarray:
        """Per edge, the OR of its chosen boundaries' codes: 1 passes now, 2 once open, 4 once back, 8 never."""
        flags = np.zeros(len(self.nav.edges), dtype=np.int64)
        np.bitwise_or.at(flags, self.pair_edge[pairs], self._pair_codes(live, opened, back, pairs, backward))
        return flags

    def _pair_codes(self, live: Heights, opened: Heights, back: Heights, pairs: np.ndarray, backward: bool) -> np.ndarray:
        """The code of each chosen boundary (a mask or indexes into the pairs), as in `_flags`."""
        touch = self.pair_touch[pairs]
        a, b = self.pair_a[pairs], self.pair_b[pairs]
        if backward:
            a, b = np.where(touch, a, b), np.where(touch, b, a)
        now = passable_pairs(live.floor, live.ceiling, a, b, touch)
        later_open = passable_pairs(opened.floor, opened.ceiling, a, b, touch)
        later_rest = passable_pairs(back.floor, back.ceiling, a, b, touch)
        return np.where(now, 1, np.where(later_open, 2, np.where(later_rest, 4, 8)))

    # ----- routes -----------------------------------------------------------------------------------

    def route(self, starts: dict[int, float], goal: int, live: Heights, rest: Heights,
              penalty: dict[tuple[str, int, bool], float] | None = None,
              shut: frozenset[int] = frozenset(),
              teleport_costs: dict[int, float] | None = None) -> tuple[int, list[Leg]] | None:
        """The cheapest route to node `goal` from one of `starts` (node: cost of getting there), as
        (start, legs), or None when there is none now. Movers in `shut` will not open."""
        forward_need, backward_need = self.all_needs(live, rest, shut)
        if self._costs is None or self._costs[0] is not forward_need:
            # The needs were judged again (some mover moved): the costs change only where a need did,
            # a few edges by a door or a lift, so the list (slow to build) is patched there.
            if self._costs is not None:
                _, old_forward, old_backward, costs_list = self._costs
                for need, old, parity in ((forward_need, old_forward, 0), (backward_need, old_backward, 1)):
                    for edge in np.nonzero(need != old)[0].tolist():
                        costs_list[2 * edge + parity] = float(self.length[edge] + PREMIUM[need[edge]] + self.hazard[edge]
                                                              + self.leap_cost[parity][edge])
                self._costs = (forward_need, forward_need, backward_need, costs_list)
            else:
                # Directed edge d = 2 * edge (forward) or 2 * edge + 1 (backward): one list of costs.
                costs = np.empty(2 * len(self.length))
                costs[0::2] = self.length + PREMIUM[forward_need] + self.hazard + self.leap_cost[0]
                costs[1::2] = self.length + PREMIUM[backward_need] + self.hazard + self.leap_cost[1]
                self._costs = (forward_need, forward_need, backward_need, costs.tolist())
        cost_of = self._costs[3]
        walk_penalty = [(index, forward, extra) for (kind, index, forward), extra in (penalty or {}).items() if kind == "walk"]
        if walk_penalty:
            cost_of = cost_of.copy()
            for index, forward, extra in walk_penalty:
                cost_of[2 * index + (0 if forward else 1)] += extra
        teleport_penalty = {index: extra for (kind, index, _), extra in (penalty or {}).items() if kind == "teleport"}
        for index, extra in (teleport_costs or {}).items():  # a teleporter behind a mover (or shut)
            teleport_penalty[index] = teleport_penalty.get(index, 0.0) + extra
        # A failed search reaches every node it can, and finds none leads to the goal. While the needs
        # and the teleporters that cannot be entered are the same (penalties only add finite costs),
        # starts among those nodes fail again: no search (on E1M2 a goal behind a shut door was
        # searched for in vain 140 times in 3000 steps, each search going through the whole map).
        shut_teleports = frozenset(index for index, extra in teleport_penalty.items() if extra == math.inf)
        failed = self._unreached.get(goal)
        if failed is not None and failed[2] == shut_teleports and \
                (failed[0] is forward_need or np.array_equal(failed[0], forward_need)) and \
                (failed[1] is backward_need or np.array_equal(failed[1], backward_need)) and \
                all(failed[3][start] < math.inf for start in starts):
            return None
        h = self._heuristics.get(goal)
        if h is None:
            if len(self._heuristics) >= HEURISTICS_KEPT:
                del self._heuristics[next(iter(self._heuristics))]  # the oldest goal
            h = self._heuristics[goal] = (self._heuristic(goal) * HEURISTIC_WEIGHT).tolist()
        # Per node, lists rather than dicts (an index is cheaper than a dict lookup in this hot loop):
        # the best cost found, and how it was reached (previous node, directed edge d >= 0 or a
        # teleporter as -1 - index). The queue's entries and their order are those of the plain
        # dict version, so the route is the same.
        inf = math.inf
        best = [inf] * len(h)
        came_from = [-1] * len(h)
        came_by = [0] * len(h)
        queue: list[tuple[float, float, int]] = []
        push, pop = heapq.heappush, heapq.heappop
        for start, cost in starts.items():
            if cost < best[start]:
                best[start] = cost
                push(queue, (cost + h[start], cost, start))
        directed, teleports_from, teleports = self.directed, self.teleports_from, self.nav.teleports
        found = False
        while queue:
            _, cost, node = pop(queue)
            if node == goal:
                found = True
                break
            if cost > best[node]:
                continue
            for other, d in directed[node]:
                total = cost + cost_of[d]
                if total < best[other]:
                    best[other] = total
                    came_from[other] = node
                    came_by[other] = d
                    push(queue, (total + h[other], total, other))
            if teleports_from[node]:
                for teleport in teleports_from[node]:
                    other = teleports[teleport].destination
                    total = cost + TELEPORT_COST + teleport_penalty.get(teleport, 0.0)
                    if total < best[other]:
                        best[other] = total
                        came_from[other] = node
                        came_by[other] = -1 - teleport
                        push(queue, (total + h[other], total, other))
        if not found:
            if len(self._unreached) >= HEURISTICS_KEPT:
                del self._unreached[next(iter(self._unreached))]
            self._unreached[goal] = (forward_need, backward_need, shut_teleports, best)
            return None
        legs = []
        node = goal
        while came_from[node] >= 0:
            previous, by = came_from[node], came_by[node]
            if by >= 0:
                index, forward = by >> 1, not by & 1
                code = int((forward_need if forward else backward_need)[index])
                need, movers = NEEDS[code], ()
                if code:
                    need, movers = self.need(index, forward, live, rest)
                legs.append(Leg("walk", index, previous, node, forward, need, movers))
            else:
                legs.append(Leg("teleport", -1 - by, previous, node, True, OK, ()))
            node = previous
        legs.reverse()
        return node, legs

    def _heuristic(self, goal: int) -> np.ndarray:
        """A lower bound of the cost from every node to `goal`."""
        gx, gy = self.xy[goal]
        direct = np.hypot(self.xy[:, 0] - gx, self.xy[:, 1] - gy)
        if not self.nav.teleports:
            return direct
        sources = np.array([t.source for t in self.nav.teleports])
        destinations = np.array([t.destination for t in self.nav.teleports])
        to_source = np.min(np.hypot(self.xy[:, 0, None] - self.xy[sources, 0], self.xy[:, 1, None] - self.xy[sources, 1]), axis=1)
        from_destination = float(np.min(np.hypot(self.xy[destinations, 0] - gx, self.xy[destinations, 1] - gy)))
        return np.minimum(direct, to_source + TELEPORT_COST + from_destination)

    def nearest(self, x: float, y: float, count: int = 8) -> list[int]:
        """The `count` nodes closest to (x, y), nearest first."""
        d = (self.xy[:, 0] - x) ** 2 + (self.xy[:, 1] - y) ** 2
        count = min(count, len(d))
        closest = np.argpartition(d, count - 1)[:count] if count < len(d) else np.arange(len(d))
        return [int(i) for i in closest[np.argsort(d[closest])]]
