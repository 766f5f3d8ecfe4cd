"""The planner's walkable graph with live passability, and the shortest route over it.

An edge's `sectors` are the sectors a straight walk passes through; a move along it is possible when
docs/navigation.md's rule holds for each consecutive pair with the heights the engine shows now.
When it does not, the edge may still be usable later:

- `open`: it passes with the blocking movers at their `open` heights (a door to open, a lift to lower):
  the navigator triggers one of their openers, then waits;
- `rest`: it passes with those movers back at the heights they had when the episode started (a lift
  that went down comes back up by itself): the navigator waits.

`route` is Dijkstra over nodes (teleports make a straight-line heuristic inadmissible), with each edge
costing its length, plus a premium for an edge that needs a mover, plus any penalty the navigator
put on an edge that failed it.
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
REST_COST = 128.0  # waiting for a mover to come back
TELEPORT_COST = 32.0

OK, OPEN, REST, BLOCKED = "ok", "open", "rest", "blocked"


def passable(floor_a: float, ceiling_a: float, floor_b: float, ceiling_b: float) -> bool:
    """docs/navigation.md: moving from sector a to sector b."""
    return (floor_b - floor_a <= STEP_UP
            and min(ceiling_a, ceiling_b) - max(floor_a, floor_b) >= PLAYER_HEIGHT
            and ceiling_b - floor_b >= PLAYER_HEIGHT)


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
        self.adjacency: list[list[tuple[int, int, bool]]] = [[] for _ in range(len(nav.nodes))]
        for i, edge in enumerate(nav.edges):
            self.adjacency[edge.a].append((edge.b, i, True))
            self.adjacency[edge.b].append((edge.a, i, False))
        self.teleports_from: list[list[int]] = [[] for _ in range(len(nav.nodes))]
        for i, teleport in enumerate(nav.teleports):
            self.teleports_from[teleport.source].append(i)
        self.length = np.array([self.distance(e.a, e.b) for e in nav.edges]) if nav.edges else np.zeros(0)
        self.max_sector = max([int(nav.nodes[:, 2].max()) if len(nav.nodes) else 0]
                              + [s for e in nav.edges for s in e.sectors] + list(nav.movers) + [0])

    def distance(self, a: int, b: int) -> float:
        return float(math.hypot(self.xy[a, 0] - self.xy[b, 0], self.xy[a, 1] - self.xy[b, 1]))

    def sectors(self, edge: int, forward: bool) -> tuple[int, ...]:
        sectors = self.nav.edges[edge].sectors
        return sectors if forward else sectors[::-1]

    def need(self, edge: int, forward: bool, live: Heights, rest: Heights) -> tuple[str, tuple[int, ...]]:
        """Whether the walk along `edge` is possible now (ok), after opening movers (open), after movers
        come back to their start heights (rest), or not (blocked); and which movers."""
        path = self.sectors(edge, forward)
        pairs = list(zip(path, path[1:])) or [(path[0], path[0])]
        floor, ceiling = live.floor, live.ceiling
        failing = [(a, b) for a, b in pairs if not passable(floor[a], ceiling[a], floor[b], ceiling[b])]
        if not failing:
            return OK, ()
        movers = self.nav.movers
        involved = tuple(sorted({s for pair in failing for s in pair if s in movers}))
        if not involved:
            return BLOCKED, ()
        opened = live.copy()
        for s in involved:
            mover = movers[s]
            if mover.open_floor is not None:
                opened.floor[s] = mover.open_floor
            if mover.open_ceiling is not None:
                opened.ceiling[s] = mover.open_ceiling
        if all(passable(opened.floor[a], opened.ceiling[a], opened.floor[b], opened.ceiling[b]) for a, b in pairs):
            return OPEN, involved
        back = live.copy()
        for s in involved:
            back.floor[s], back.ceiling[s] = rest.floor[s], rest.ceiling[s]
        if all(passable(back.floor[a], back.ceiling[a], back.floor[b], back.ceiling[b]) for a, b in pairs):
            return REST, involved
        return BLOCKED, involved

    def route(self, start: int, goal: int, live: Heights, rest: Heights,
              penalty: dict[tuple[str, int, bool], float] | None = None, allow_movers: bool = True) -> list[Leg] | None:
        """The cheapest route from node `start` to node `goal`, or None when there is none now."""
        if start == goal:
            return []
        penalty = penalty or {}
        best = {start: 0.0}
        came: dict[int, tuple[int, Leg]] = {}
        queue = [(0.0, start)]
        needs: dict[tuple[int, bool], tuple[str, tuple[int, ...]]] = {}
        while queue:
            cost, node = heapq.heappop(queue)
            if node == goal:
                break
            if cost > best.get(node, math.inf):
                continue
            for other, edge, forward in self.adjacency[node]:
                key = (edge, forward)
                if key not in needs:
                    needs[key] = self.need(edge, forward, live, rest)
                need, movers = needs[key]
                if need == BLOCKED or (need != OK and not allow_movers):
                    continue
                step = self.length[edge] + penalty.get(("walk", edge, forward), 0.0)
                step += OPEN_COST if need == OPEN else REST_COST if need == REST else 0.0
                self._relax(queue, best, came, node, other, cost + step, Leg("walk", edge, node, other, forward, need, movers))
            for teleport in self.teleports_from[node]:
                other = self.nav.teleports[teleport].destination
                step = TELEPORT_COST + penalty.get(("teleport", teleport, True), 0.0)
                self._relax(queue, best, came, node, other, cost + step, Leg("teleport", teleport, node, other, True, OK, ()))
        if goal not in came:
            return None
        legs = []
        node = goal
        while node != start:
            node, leg = came[node]
            legs.append(leg)
        legs.reverse()
        return legs

    @staticmethod
    def _relax(queue: list[tuple[float, int]], best: dict[int, float], came: dict[int, tuple[int, Leg]],
               node: int, other: int, cost: float, leg: Leg) -> None:
        if cost < best.get(other, math.inf):
            best[other] = cost
            came[other] = (node, leg)
            heapq.heappush(queue, (cost, other))

    def nearest(self, x: float, y: float, count: int = 8) -> list[int]:
        """The `count` nodes closest to (x, y), nearest first."""
        d = (self.xy[:, 0] - x) ** 2 + (self.xy[:, 1] - y) ** 2
        count = min(count, len(d))
        closest = np.argpartition(d, count - 1)[:count] if count < len(d) else np.arange(len(d))
        return [int(i) for i in closest[np.argsort(d[closest])]]

    def route_cost(self, legs: list[Leg]) -> float:
        total = 0.0
        for leg in legs:
            if leg.kind == "walk":
                total += self.length[leg.index] + (OPEN_COST if leg.need == OPEN else REST_COST if leg.need == REST else 0.0)
            else:
                total += TELEPORT_COST
        return total
