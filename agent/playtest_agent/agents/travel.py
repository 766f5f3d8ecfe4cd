"""Getting somewhere on the planner's graph: the navigator's legs, waits and errands.

`Traveller.travel(goal)` walks to a node along the cheapest route (navgraph.py), judging each leg
with the live heights when it comes to it:

- a leg that is passable now is walked (an intermediate node counts as passed within 40 units);
- a leg that needs a mover opened starts an errand: choose one of the mover's openers (the nearest,
  preferring one whose key is held), walk to its node (which may need errands of its own, up to
  three deep), then press, cross or shoot its line, and come back to wait at the leg until it opens;
- a leg that needs a mover back at its start heights (a lift coming back up) is waited at;
- a leg that stays shut for WAIT_TIMEOUT, a teleporter that does not teleport, a leg the navigator got
  stuck on: the leg gets a penalty (30 s, doubling) and the route is planned again.

Lines are acted on by their WAD index: the point of the line nearest the player, USE within 40
units (the engine reaches 64), and crossing to a point 40 units past the line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..navigation import Navigation, Opener
from .navgraph import BLOCKED, OK, OPEN, OPEN_COST, REST, RETURNING, STEP_UP, Leg, NavGraph
from .steering import Wish, angle_difference, bearing
from .world import PLAYER_RADIUS, LiveWorld

TICS_PER_SECOND = 35
ARRIVE = 24.0  # map units: a step's node is reached
PASS = 40.0  # map units: an intermediate node is passed
USE_REACH = 48.0  # map units from the line at which USE is pressed
USE_RANGE = 64.0  # the engine's reach
USE_SPOT = 32.0  # map units in front of a line where the player stands to press it
GUARD_SHORT = 4.0  # map units: a walk to a press's spot across a guarded line stops this far before it
BRAKE_GLIDE = 11.0  # tics: Doom's friction (x 0.90625 a tic) carries a player on for about this many tics' worth of its speed
PRESS_GAP = 12  # tics: walking up to a line again after longer than this is a new approach
LOOKAHEAD = 64.0  # map units ahead on a leg's segment that the walk heads for
WAIT_TIMEOUT = 12 * TICS_PER_SECOND
PENALTY = 600.0  # map units added to a failing leg's cost, doubling each time
PENALTY_TICS = 30 * TICS_PER_SECOND
MAX_ERRANDS = 3
SLOW_NEAR = 80.0  # map units: a walk that must stop at its end walks this close to it
SHARP_TURN = 120.0  # degrees: a turn that sharp is approached walking
SHORTCUT_LEGS = 6  # how many legs ahead a straight walk may skip to
SHORTCUT_REACH = 448.0  # map units: how far ahead
SHORTCUT_EVERY = 8  # tics between checks
GUARDED_LINE_COST = 50_000.0  # map units: what crossing a line that would break the plan costs a route (any other way is taken)
BOARDING_REACH = 128.0  # map units: a lift waited for this close is stepped onto
SHORTCUT_LEDGE = 32.0  # map units: a shortcut keeps this far from a drop (the box is 16 from its centre, and a run drifts)
STRAFERUN = 38.66  # degrees between the facing and the way of a straferun (forward 50, strafe 40)
LEAP_LINE_UP = 32.0  # map units from a leap's run-up node at which the run may begin (a step walks 32)
LEAP_AIM = 1.0  # degrees: how exactly the run is lined up (1 degree strays 9 units over 500)
LEAP_SETTLE = 8.0  # map units moved since the last decision (2 a tic): faster, a leap's run waits for the glide to end
                   # (MAP19: landing on a stepping stone at 18 a tic, the next leap began at once and overshot the next)


@dataclass
class Status:
    """What the navigator is doing, for its `goal` telemetry."""

    state: str = "walking"  # walking | acting | waiting | fighting | unsticking | replanning
    waypoint: int | None = None
    mover: int | None = None


@dataclass
class Errand:
    """Open mover `sector` (a door on the route, a lift to lower) through one of its openers."""

    sector: int
    leg: Leg
    started: int
    heights: tuple[float, float]
    tried: set[int] = field(default_factory=set)
    opener: Opener | None = None
    presses: int = 0


class Traveller:
    def __init__(self, nav: Navigation, graph: NavGraph, world: LiveWorld, status: Status, keys: set[str],
                 frame_skip: int = 4) -> None:
        self.nav, self.graph, self.world, self.status, self.keys = nav, graph, world, status, keys
        self.route: list[Leg] | None = None
        self.goal: int | None = None
        self.leg_index = 0
        self.approach: int | None = None  # the route's first node, walked to from off the graph
        self.errands: list[Errand] = []
        self.penalties: dict[tuple[str, int, bool], tuple[float, int]] = {}
        self.wait_since = -1
        self.mover_seen: dict[int, tuple[float, float, int]] = {}
        self.mover_opening: dict[int, bool] = {}
        self.prev = (0.0, 0.0)  # the player's position at the previous step
        self.frame_skip = frame_skip  # tics a step lasts
        self.sector: int | None = None  # the sector the player stands in, and its height (set every step)
        self.z = 0.0
        self.angle = 0.0  # the player's facing (set every step)
        self._leap: tuple[int, int] | None = None  # (route, leg) of a leap whose run has begun
        # Progress toward the waypoint: the closest the player came, and when.
        self.progress: tuple[int | None, float, int] = (None, math.inf, 0)
        self.failed_plan, self.failed_goal = -10**6, -1
        # Walking up to a line: which, the closest it came, when, and when it was last walked up to.
        self.reach: tuple[int, float, int, int] = (-1, math.inf, 0, 0)
        self.shut: dict[int, int] = {}  # movers the navigator could not open, until a tic
        self._locked: tuple[frozenset[str], frozenset[int]] | None = None  # keys held, movers locked for them
        self._opened_at: dict[int, frozenset[int]] = {}  # node: the movers opened only there
        # Walk-over lines that would break the plan's walks ahead (the navigator sets them as steps begin), less those
        # spent: no route or shortcut crosses them while another way exists, and the edges that do are priced out.
        self.guarded: frozenset[int] = frozenset()
        self._guard: frozenset[int] = frozenset()
        self._guarded_edges: dict[tuple[str, int, bool], float] = {}
        self._edges_by_line: dict[int, list[int]] | None = None  # walk-over line: the edges crossing it (built once)
        # Walk-over lines that act once, and those of them the player has crossed (spent: crossing them again is safe).
        self._once = frozenset(o.line for m in nav.movers.values() for o in m.openers if o.how == "walk" and not o.repeatable)
        self.spent: set[int] = set()
        # Teleporter lines: no shortcut crosses one, and a glide toward one the route does not take is braked. A
        # teleporter's lines by destination (a pad's sides all lead to the same place).
        self.teleport_lines = frozenset(t.line for t in nav.teleports)
        by_place: dict[int, set[int]] = {}
        for t in nav.teleports:
            by_place.setdefault(t.destination, set()).add(t.line)
        self.pad_lines = {line: frozenset(lines) for lines in by_place.values() for line in lines}
        self.shunned = self.teleport_lines  # the guarded lines and the teleporters (kept by `guard`)
        self._bars_of: dict[int, tuple[int, ...]] = {}  # teleport index: the movers beside its line (`_bars`)
        self._route_serial = 0  # counts the routes planned
        self.lost_since = -1  # since when no route leads to the goal (-1: a route was found since)
        self._tic = 0
        self._direct: tuple[int, int] = (0, -1)  # (route, leg) walked straight to its end (a shortcut)
        self._shortcut_checked = -10**6
        self._leg_place: tuple[tuple[int, int], int] = ((0, -1), 0)  # (route, leg) walked, index in its sector path

    def rejoin(self, x: float, y: float) -> None:
        """Back from a detour: keep the route if its next node is in straight sight, else plan again."""
        node = self.approach if self.approach is not None else (self.current_leg().target if self.current_leg() else None)
        if node is None or not self.world.segment_clear(x, y, *self.graph.xy[node]):
            self.forget_route()

    def forget_route(self) -> None:
        self.route = None
        self.errands.clear()
        self.wait_since = -1

    # ----- routes -------------------------------------------------------------------------------

    def plan(self, goal: int, x: float, y: float, tic: int) -> bool:
        """The cheapest route to `goal` starting at one of the 8 nearest nodes in straight sight, or of
        the 48 nearest when none of those leads there (the graph may have pieces that are not joined
        where the player can walk). A failed plan is not tried again for a second."""
        self.status.state = "replanning"
        if tic - self.failed_plan < TICS_PER_SECOND and self.failed_goal == goal:
            return False
        world, graph = self.world, self.graph
        penalty = {key: cost for key, (cost, until) in self.penalties.items() if until > tic}
        for key, cost in self._guarded_edges.items():
            penalty[key] = penalty.get(key, 0.0) + cost
        assert world.rest is not None
        tried: set[int] = set()
        for count in (8, 48):
            starts = {}
            for start in graph.nearest(x, y, count):
                sx, sy = graph.xy[start]
                if start not in tried and world.segment_clear(x, y, sx, sy):
                    starts[start] = math.hypot(sx - x, sy - y)
                tried.add(start)
            found = graph.route(starts, goal, world.heights(), world.rest, penalty, self.shut_movers(tic) | self.opened_only_at(goal),
                                self._teleport_costs(tic)) if starts else None
            if found is not None:
                self.lost_since = -1
                self.approach, self.route = found
                self._route_serial += 1
                self.goal, self.leg_index = goal, 0
                return True
        self.failed_plan, self.failed_goal = tic, goal
        return False

    def travel(self, goal: int, x: float, y: float, tic: int, slow_at_end: bool = True) -> Wish | None:
        """The wish that brings the player toward node `goal`; None once there."""
        if self.errands:
            wish = self._run_errand(x, y, tic)
            if wish is not None:
                return wish
        return self._travel(goal, x, y, tic, slow_at_end)

    def _travel(self, goal: int, x: float, y: float, tic: int, slow_at_end: bool) -> Wish | None:
        self._tic = tic
        if self.goal != goal or self.route is None:
            if self.near(goal, x, y, ARRIVE):
                self.goal, self.route, self.leg_index, self.approach = goal, [], 0, None
                self.lost_since = -1
                return None
            if not self.plan(goal, x, y, tic):
                return self._lost(goal, x, y)
        assert self.route is not None
        graph = self.graph
        if self.approach is not None:
            first = self.route[0] if self.route else None
            skip = first is not None and first.kind == "walk" and self.need(first)[0] == OK and \
                self.world.segment_clear(x, y, *graph.xy[first.target], clearance=12.0)
            if skip or self.at_node(self.approach, x, y, PASS if self.route else ARRIVE):
                self.approach = None
            else:
                self.status.waypoint = self.approach
                return self.walk_to(graph.xy[self.approach], x, y, slow=not self.route)
        while self.leg_index < len(self.route):
            leg = self.route[self.leg_index]
            last = self.leg_index == len(self.route) - 1
            self.status.waypoint = leg.target
            if leg.kind == "teleport":
                return self._teleport_leg(leg, x, y, tic, slow_at_end)
            if self.at_node(leg.target, x, y, ARRIVE if last else PASS):
                self.leg_index += 1
                self.wait_since = -1
                continue
            if self.off_the_way(leg):  # fell off a ledge, pushed through a gap: plan from here
                self.penalise(leg, tic)
                self.route = None
                return Wish()
            need, movers = self.need(leg)
            if need == OK and leg.forward and leg.index in self.nav.leaps:
                self.wait_since = -1
                return self._leap_leg(leg, x, y)
            if need == OK:
                self.wait_since = -1
                if not last and self._shortcut(x, y, tic):
                    continue
                direct = self._direct == (self._route_serial, self.leg_index)
                point = self.graph.xy[leg.target] if direct else self.pursuit_point(leg, x, y)
                wish = self.walk_to(point, x, y, slow=last and slow_at_end)
                if wish.run and self._sharp_turn_ahead(x, y):
                    wish.run = False  # a U-turn: a running player would glide far past the node
                return wish
            if need == OPEN:
                closed = [s for s in movers if not self.opening(s, tic)]
                if any(s not in self.mover_seen for s in closed):
                    return self._wait(leg, movers, x, y, tic)  # first sight: is it moving? (a door may be opening)
                if closed and closed[0] in self.shut_movers(tic):
                    self.give_up_mover(closed[0], tic)  # its opener lies behind it: another way
                    return Wish()
                if closed and len(self.errands) < MAX_ERRANDS:
                    self.errands.append(Errand(closed[0], leg, started=tic, heights=self.world.sector(closed[0])))
                    wish = self._run_errand(x, y, tic)
                    if wish is not None:
                        return wish
                return self._wait(leg, movers, x, y, tic)
            if need == REST:
                return self._wait(leg, movers, x, y, tic, ride=True)
            self.penalise(leg, tic)
            self.route = None
            return Wish()
        return None

    def _leap_leg(self, leg: Leg, x: float, y: float) -> Wish:
        """A running leap over a pit (docs/navigation.md): come within LEAP_LINE_UP of the run-up node, all but stop,
        turn to face STRAFERUN degrees left of the way to the leap's far node, then straferun at it (forward and right, with
        speed: 28% faster than running ahead) until it is passed; the run is aimed at the far node every step."""
        ax, ay = (float(c) for c in self.graph.xy[leg.source])
        bx, by = (float(c) for c in self.graph.xy[leg.target])
        way = bearing(x, y, bx, by)
        face = (way + STRAFERUN) % 360.0
        key = (self._route_serial, self.leg_index)
        if self._leap != key:
            if math.hypot(ax - x, ay - y) > LEAP_LINE_UP:
                toward = bearing(x, y, ax, ay)
                return Wish(face=toward, move=toward, run=False)
            px, py = self.prev
            if math.hypot(x - px, y - py) > LEAP_SETTLE:
                return Wish(face=face, move=bearing(x, y, px, py), run=False)  # thrust against the glide
            if abs(angle_difference(face, self.angle)) > LEAP_AIM:
                return Wish(face=face)
            self._leap = key
        return Wish(face=face, move=way, run=True, leap=True)

    def unreachable(self, goal: int, tic: int) -> bool:
        """The last plan for `goal` found no route (within the last second)."""
        return self.failed_goal == goal and tic - self.failed_plan < TICS_PER_SECOND

    def shut_movers(self, tic: int) -> frozenset[int]:
        """Movers not to count on: those being opened now (a route to an opener must not need the mover
        it opens), those that could not be opened lately, and locked ones whose key is not held."""
        return frozenset(s for s, until in self.shut.items() if until > tic) | {e.sector for e in self.errands} | \
            self.locked_movers()

    def guard(self, lines: frozenset[int]) -> None:
        """Walk-over lines not to cross (see `guarded`): the edges crossing them priced out of routes while another way
        exists (MAP28: cutting a corner across a W1 line lowered the bridge a switch had raised, and took the way back
        with it; E4M7: a W1 line raised a floor into the way to the red door)."""
        self._guard = lines
        self.guarded = lines - self.spent
        self.shunned = self.guarded | self.teleport_lines
        self._guarded_edges = {}
        if self.guarded and self._edges_by_line is None:
            self._edges_by_line = {}
            for index, edge in enumerate(self.nav.edges):
                for line in edge.lines:
                    self._edges_by_line.setdefault(line, []).append(index)
        for line in self.guarded:
            for index in (self._edges_by_line or {}).get(line, ()):
                self._guarded_edges[("walk", index, True)] = self._guarded_edges[("walk", index, False)] = GUARDED_LINE_COST

    def velocity(self, x: float, y: float) -> tuple[float, float]:
        """The player's velocity in map units a tic, from its move since the last step."""
        px, py = self.prev
        return (x - px) / self.frame_skip, (y - py) / self.frame_skip

    def route_lines(self) -> set[int]:
        """The lines the rest of the route crosses: its walks' lines, and every line of a teleporter it takes (a pad's
        sides all lead to the same place)."""
        if self.route is None:
            return set()
        edges, teleports = self.nav.edges, self.nav.teleports
        lines = {line for leg in self.route[self.leg_index:] if leg.kind == "walk" for line in edges[leg.index].lines}
        for leg in self.route[self.leg_index:]:
            if leg.kind == "teleport":
                lines |= self.pad_lines[teleports[leg.index].line]
        return lines

    def crossed(self, x0: float, y0: float, x1: float, y1: float) -> None:
        """The player moved from (x0, y0) to (x1, y1): a walk-over line that acts once, crossed, is spent."""
        if not self._once or (x0 == x1 and y0 == y1):
            return
        fresh = [line for line in self.world.crossed_lines(x0, y0, x1, y1) if line in self._once and line not in self.spent]
        if fresh:
            self.spent.update(fresh)
            if self.guarded.intersection(fresh):
                self.guard(self._guard)

    def opened_only_at(self, goal: int) -> frozenset[int]:
        """Movers every opener of which is done at node `goal`: the way there cannot count on them (E3M7: the
        switch atop a spiral stair lowers the stair, and the way up took the stair as lowered, its errand the goal)."""
        movers = self._opened_at.get(goal)
        if movers is None:
            movers = self._opened_at[goal] = frozenset(
                s for s, mover in self.nav.movers.items() if mover.openers and all(o.node == goal for o in mover.openers))
        return movers

    def locked_movers(self) -> frozenset[int]:
        """Movers every opener of which needs a key the player does not hold."""
        keys = frozenset(self.keys)
        if self._locked is None or self._locked[0] != keys:
            locked = frozenset(s for s, mover in self.nav.movers.items()
                               if mover.openers and all(o.key is not None and not self.has_key(o.key) for o in mover.openers))
            self._locked = (keys, locked)
        return self._locked[1]

    def give_up_mover(self, sector: int, tic: int) -> None:
        """The mover could not be opened: routes avoid it for PENALTY_TICS; its errands are dropped."""
        self.shut[sector] = tic + PENALTY_TICS
        while any(e.sector == sector for e in self.errands):
            self.errands.pop()
        self.route = None

    def off_the_way(self, leg: Leg) -> bool:
        """The player stands in a sector its leg does not pass through, lower than all of them (it fell)."""
        if self.sector is None or leg.kind != "walk":
            return False
        sectors = self.graph.sectors(leg.index, leg.forward)
        if self.sector in sectors:
            return False
        return all(self.world.sector(s)[0] - self.z > STEP_UP for s in sectors)

    def pursuit_point(self, leg: Leg, x: float, y: float) -> tuple[float, float]:
        """Where to head on a walk along a leg: the point LOOKAHEAD units ahead of the player's projection
        on the leg's segment (the straight walk the planner checked), not straight for its end, so
        corners are not cut over a ledge."""
        ax, ay = self.graph.xy[leg.source]
        bx, by = self.graph.xy[leg.target]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        if length < 1.0:
            return float(bx), float(by)
        t = ((x - ax) * dx + (y - ay) * dy) / length
        ahead = min(length, max(0.0, t) + LOOKAHEAD)
        return float(ax + dx * ahead / length), float(ay + dy * ahead / length)

    def _sharp_turn_ahead(self, x: float, y: float) -> bool:
        """Within 96 units of the current leg's end, where the way turns back (by more than SHARP_TURN
        degrees). Gentler turns are taken running: a ledge in the way of the glide is seen by the
        navigator's ledge check, and walls just make the player slide."""
        assert self.route is not None
        if self.leg_index + 1 >= len(self.route):
            return False
        leg, following = self.route[self.leg_index], self.route[self.leg_index + 1]
        (bx, by), (cx, cy) = self.graph.xy[leg.target], self.graph.xy[following.target]
        if math.hypot(bx - x, by - y) > 96.0 or following.kind != "walk":
            return False
        turn = abs((math.degrees(math.atan2(cy - by, cx - bx) - math.atan2(by - y, bx - x)) + 180) % 360 - 180)
        return turn > SHARP_TURN

    def _shortcut(self, x: float, y: float, tic: int) -> bool:
        """Skip the route's next nodes when a later one (up to SHORTCUT_LEGS legs on, SHORTCUT_REACH
        away) can be walked to in a straight line: clear of walls, closed doors, ledges and solid
        things, on the player's level, every skipped leg passable now. The graph's nodes lie on a grid,
        so its routes zigzag; a straight walk is shorter and is taken running. Checked every other step."""
        assert self.route is not None
        if tic - self._shortcut_checked < SHORTCUT_EVERY:
            return False
        self._shortcut_checked = tic
        best = None
        for k in range(self.leg_index + 1, min(self.leg_index + 1 + SHORTCUT_LEGS, len(self.route))):
            leg = self.route[k]
            if leg.kind != "walk" or k == len(self.route) - 1 or leg.index in self.nav.leaps:
                break
            tx, ty = self.graph.xy[leg.target]
            if math.hypot(tx - x, ty - y) > SHORTCUT_REACH:
                break
            assert self.world.rest is not None
            if self.graph.need(leg.index, leg.forward, self.world.live, self.world.rest, at_index=0)[0] != OK:  # type: ignore[arg-type]
                break
            sector = int(self.nav.nodes[leg.target, 2])
            if abs(self.world.sector(sector)[0] - self.z) > STEP_UP:
                continue
            if self.world.segment_clear(x, y, tx, ty, clearance=14.0, max_drop=STEP_UP, drop_clearance=SHORTCUT_LEDGE) and \
                    not self.shunned.intersection(self.world.crossed_lines(x, y, tx, ty)) and \
                    not self.world.thing_in_the_way(x, y, tx, ty):
                best = k
        if best is None:
            return False
        self.leg_index = best
        self._direct = (self._route_serial, best)
        return True

    def need(self, leg: Leg) -> tuple[str, tuple[int, ...]]:
        """The leg's need now, from the player's place on its path of sectors (the next boundary only,
        when the player is on the way: on a lift that went down, what matters is getting off it).

        The place only moves forward while the leg is walked: a path may pass through a sector twice
        (a room, the door in its middle, the room again), and standing before the door is not being
        past it. A leg that is not being walked is judged from its start."""
        assert self.world.rest is not None
        path = self.graph.sectors(leg.index, leg.forward)
        walking = self.route is not None and self.leg_index < len(self.route) and self.route[self.leg_index] == leg
        key = (self._route_serial, self.leg_index)
        start = self._leg_place[1] if walking and self._leg_place[0] == key else 0
        if walking:
            if self.sector is not None and self.sector in path[start:]:
                start = path.index(self.sector, start)
            self._leg_place = (key, start)
        return self.graph.need(leg.index, leg.forward, self.world.live, self.world.rest,  # type: ignore[arg-type]
                               at_index=start)

    def current_leg(self) -> Leg | None:
        if self.route is not None and self.leg_index < len(self.route):
            return self.route[self.leg_index]
        return None

    def penalise(self, leg: Leg, tic: int) -> None:
        key = (leg.kind, leg.index, leg.forward)
        cost, _ = self.penalties.get(key, (PENALTY / 2, 0))
        self.penalties[key] = (min(cost * 2, 50_000.0), tic + PENALTY_TICS)

    def _wait(self, leg: Leg, movers: tuple[int, ...], x: float, y: float, tic: int, ride: bool = False) -> Wish:
        """Stand still, facing the way on, while a mover moves (a door opens, a lift carries the player);
        give the leg up after WAIT_TIMEOUT. Waiting for a ride (`ride`: a lift to come back), step onto the lift first."""
        self.status.state = "waiting"
        self.status.mover = movers[0] if movers else None
        if self.wait_since < 0:
            self.wait_since = tic
        if tic - self.wait_since > WAIT_TIMEOUT:
            self.penalise(leg, tic)
            self.route, self.wait_since = None, -1
            return Wish()
        tx, ty = self.graph.xy[leg.target]
        spot = self._boarding_spot(movers, x, y) if ride else None
        if spot is not None:  # waiting for a ride off the lift it stands beside: onto it first
            return Wish(face=bearing(x, y, tx, ty), move=bearing(x, y, *spot), run=False)
        return Wish(face=bearing(x, y, tx, ty))

    def _boarding_spot(self, movers: tuple[int, ...], x: float, y: float) -> tuple[float, float] | None:
        """The nearest node on a lift among `movers` that the player stands beside, off it but level with it: a
        run onto a small lift glides on past it, and the lift left without the player (MAP29's lift 73, over and
        over). None when the player is on it, or it is not level with the player (a lift below a ledge is not
        stepped onto)."""
        for sector in movers:
            mover = self.nav.movers.get(sector)
            if mover is None or mover.kind not in RETURNING or self.sector == sector or \
                    abs(self.world.sector(sector)[0] - self.z) > STEP_UP:
                continue
            on_it = np.nonzero(self.nav.nodes[:, 2] == sector)[0]
            if len(on_it) == 0:
                continue
            xy = self.graph.xy[on_it]
            nearest = int(np.argmin(np.hypot(xy[:, 0] - x, xy[:, 1] - y)))
            if math.hypot(xy[nearest, 0] - x, xy[nearest, 1] - y) <= BOARDING_REACH:
                return float(xy[nearest, 0]), float(xy[nearest, 1])
        return None

    def _teleport_costs(self, tic: int) -> dict[int, float]:
        """Extra costs of teleporters that need a mover opened first (OPEN_COST), or cannot be entered."""
        costs = {}
        shut = self.shut_movers(tic)
        for index in range(len(self.nav.teleports)):
            need, movers = self.teleport_need(index)
            if need == OPEN and not (set(movers) & shut):
                costs[index] = OPEN_COST
            elif need != OK:
                costs[index] = math.inf
        return costs

    def teleport_sectors(self, index: int) -> tuple[int, int] | None:
        """(near, far): the sectors on the teleporter line's two sides, near being its source node's side."""
        teleport = self.nav.teleports[index]
        line = teleport.line
        if not self.valid_line(line) or self.world.map.back[line] < 0:
            return None
        m = self.world.map
        sx, sy = self.graph.xy[teleport.source]
        front, back = int(m.front[line]), int(m.back[line])
        return (front, back) if self.world.front_side(line, sx, sy) else (back, front)

    def teleport_need(self, index: int) -> tuple[str, tuple[int, ...]]:
        """A teleporter line is crossed by stepping over it: from the source node's sector onto the line's
        near side (a teleporter on a raised pad, a lift, needs it lowered), then into the sector beyond
        (a pad raised to the ceiling until a switch lowers it does not let the player in)."""
        sides = self.teleport_sectors(index)
        if sides is None:
            return OK, ()
        assert self.world.rest is not None
        source = int(self.nav.nodes[self.nav.teleports[index].source, 2])
        for a, b in ((source, sides[0]), sides):
            if a == b:
                continue
            need = self.graph.pair_need(a, b, self.world.live, self.world.rest)  # type: ignore[arg-type]
            if need[0] != OK:
                return need
        for bar in self._bars(index, sides):
            need = self.graph.pair_need(sides[1], bar, self.world.live, self.world.rest, touch=True)  # type: ignore[arg-type]
            if need[0] != OK:
                return need
        return OK, ()

    def _bars(self, index: int, sides: tuple[int, int]) -> tuple[int, ...]:
        """Movers beside a teleporter's line, within the player's radius of it: the box meets them before the player's
        centre crosses the line (MAP18: bars 8 wide, 12 apart, 4 units beyond a pad's line, lowered by walking over
        a square in the room's middle; pressed against them, the player never teleported)."""
        bars = self._bars_of.get(index)
        if bars is None:
            line, m = self.nav.teleports[index].line, self.world.map
            near = {int(side) for other in self.world.lines_near(line, PLAYER_RADIUS) for side in (m.front[other], m.back[other])}
            bars = self._bars_of[index] = tuple(sorted(s for s in near if s in self.nav.movers and s not in sides))
        return bars

    def leg_need(self, leg: Leg) -> tuple[str, tuple[int, ...]]:
        return self.teleport_need(leg.index) if leg.kind == "teleport" else self.need(leg)

    def _teleport_leg(self, leg: Leg, x: float, y: float, tic: int, slow_at_end: bool) -> Wish | None:
        teleport = self.nav.teleports[leg.index]
        if self.near(teleport.destination, x, y, 64.0):
            self.leg_index += 1
            self.wait_since = -1
            return self._travel(self.goal if self.goal is not None else teleport.destination, x, y, tic, slow_at_end)
        need, movers = self.teleport_need(leg.index)
        if need == BLOCKED:
            self.penalise(leg, tic)
            self.route = None
            return Wish()
        if need != OK and not self.at_node(leg.source, x, y, PASS):
            return self.walk_to(self.graph.xy[leg.source], x, y, slow=True)  # to its start first, then open it
        if need == OPEN:
            closed = [s for s in movers if not self.opening(s, tic)]
            if any(s not in self.mover_seen for s in closed):
                return self._wait(leg, movers, x, y, tic)
            if closed and closed[0] in self.shut_movers(tic):
                self.give_up_mover(closed[0], tic)
                return Wish()
            if closed and len(self.errands) < MAX_ERRANDS:
                self.errands.append(Errand(closed[0], leg, started=tic, heights=self.world.sector(closed[0])))
                wish = self._run_errand(x, y, tic)
                if wish is not None:
                    return wish
            return self._wait(leg, movers, x, y, tic)
        if need == REST:
            return self._wait(leg, movers, x, y, tic, ride=True)
        if self.wait_since < 0:
            self.wait_since = tic
        if tic - self.wait_since > WAIT_TIMEOUT // 2:
            self.penalise(leg, tic)
            self.route, self.wait_since = None, -1
            return Wish()
        return self.cross_line(teleport.line, x, y)

    def _lost(self, goal: int, x: float, y: float) -> Wish:
        """No route from here: head straight for the goal (the depth check and unsticking help)."""
        self.status.state = "replanning"
        self.status.waypoint = goal
        if self.lost_since < 0:
            self.lost_since = self._tic
        gx, gy = self.graph.xy[goal]
        return Wish(face=bearing(x, y, gx, gy), move=bearing(x, y, gx, gy), run=False)

    # ----- movers and their openers -------------------------------------------------------------

    def moving(self, sector: int, tic: int) -> bool:
        """The sector's heights changed within the last 8 tics."""
        floor, ceiling = self.world.sector(sector)
        seen = self.mover_seen.get(sector)
        if seen is None or seen[0] != floor or seen[1] != ceiling:
            changed = seen is not None
            self.mover_seen[sector] = (floor, ceiling, tic if changed else -10**6)
            if changed:
                self.mover_opening[sector] = self._gap(sector, floor, ceiling) < self._gap(sector, seen[0], seen[1])
            return changed
        return tic - seen[2] <= 8

    def opening(self, sector: int, tic: int) -> bool:
        """The mover is on its way to its open heights (a door going up, a lift going down); one that
        stands still or goes the other way (a door closing) needs its opener."""
        return self.moving(sector, tic) and self.mover_opening.get(sector, False)

    def _gap(self, sector: int, floor: float, ceiling: float) -> float:
        mover = self.nav.movers.get(sector)
        if mover is None:
            return 0.0
        open_floor = mover.open_floor_now(self.world.heights().floor)
        return (abs(floor - open_floor) if open_floor is not None else 0.0) + \
            (abs(ceiling - mover.open_ceiling) if mover.open_ceiling is not None else 0.0)

    def has_key(self, key: str) -> bool:
        """Whether the keys picked up open a lock named `key` (red, blue_card, any, all, lock_N)."""
        if key == "all":
            return len({k.split("_")[0] for k in self.keys}) >= 3
        if key == "any":
            return bool(self.keys)
        if key.startswith("lock_"):
            return True  # a lock the planner could not name: try
        color = key.split("_")[0]
        return any(k == key or (k.startswith(color) and "_" not in key) for k in self.keys)

    def opener_node(self, opener: Opener) -> int | None:
        """Where to stand for `opener`: its node, else the node nearest the line on its front side."""
        if opener.node is not None or not self.valid_line(opener.line):
            return opener.node
        mx, my = self.world.map.midpoint(opener.line)
        for node in self.graph.nearest(mx, my, 8):
            nx, ny = self.graph.xy[node]
            if self.world.front_side(opener.line, nx, ny) and self.world.segment_clear(nx, ny, mx, my):
                return node
        return None

    def _choose_opener(self, errand: Errand, x: float, y: float) -> Opener | None:
        candidates = [(i, o) for i, o in enumerate(self.nav.movers[errand.sector].openers) if i not in errand.tried]
        if not candidates:
            return None

        def cost(item: tuple[int, Opener]) -> float:
            opener = item[1]
            node = self.opener_node(opener)
            if node is None and opener.how != "auto":
                return math.inf
            gx, gy = self.graph.xy[node] if node is not None else (x, y)
            lacks_key = opener.key is not None and not self.has_key(opener.key)
            return math.hypot(gx - x, gy - y) + (10_000.0 if lacks_key else 0.0) + (50.0 if opener.how == "auto" else 0.0)

        index, opener = min(candidates, key=cost)
        errand.tried.add(index)
        return opener if cost((index, opener)) < math.inf else None

    def _run_errand(self, x: float, y: float, tic: int) -> Wish | None:
        errand = self.errands[-1]
        self.status.mover = errand.sector
        if self.world.sector(errand.sector) != errand.heights or self.leg_need(errand.leg)[0] == OK:
            self.errands.pop()  # it moves (or is open): the walk waits for it at the leg
            self.status.mover = None
            self.route = None
            return None
        if errand.opener is None or tic - errand.started > WAIT_TIMEOUT:
            errand.opener = self._choose_opener(errand, x, y)
            errand.started, errand.presses = tic, 0
            if errand.opener is None:  # every opener tried: the mover stays shut for now
                self.give_up_mover(errand.sector, tic)
                return None
        opener = errand.opener
        if opener.how == "auto":
            self.status.state = "waiting"
            return Wish()
        node = self.opener_node(opener)
        assert node is not None
        wish = self._travel(node, x, y, tic, slow_at_end=True)
        if self.unreachable(node, tic):  # no route to this opener: the next one
            errand.started = -10**6
            return Wish()
        if wish is not None:
            return wish
        self.status.state = "acting"
        if opener.how == "walk":
            return self.cross_line(opener.line, x, y)
        errand.presses += 1
        return self.press(opener.line, x, y, tic, shoot=opener.how == "shoot", press=errand.presses % 2 == 1)

    # ----- lines and points ---------------------------------------------------------------------

    def valid_line(self, line: int | None) -> bool:
        return line is not None and 0 <= line < self.world.map.line_count

    def line_point(self, line: int, x: float, y: float) -> tuple[float, float]:
        """The point of `line` nearest to (x, y), kept off its ends (a short line, a switch: near its middle,
        so a use ray at a slant does not meet the alcove's side first)."""
        m = self.world.map
        ax, ay, bx, by = m.x1[line], m.y1[line], m.x2[line], m.y2[line]
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        margin = 0.15 if length2 > 128.0 * 128.0 else 0.35
        t = 0.5 if length2 == 0 else max(margin, min(1.0 - margin, ((x - ax) * dx + (y - ay) * dy) / length2))
        return float(ax + t * dx), float(ay + t * dy)

    def press(self, line: int, x: float, y: float, tic: int, shoot: bool = False, press: bool = True) -> Wish:
        """Walk up to `line`, face it and press USE (or fire at it). USE works only from the line's front
        side and when the 64-unit use ray reaches the line before any wall, so the player presses from
        the front, within USE_REACH, with nothing between; otherwise it walks to the spot USE_SPOT units
        in front of the point it aims at (an exit switch in an alcove is pressed from before the
        alcove, not at a slant from beside it). When it comes no closer for a while it presses from
        where it is, if within the engine's reach. USE must be released between two presses, so the
        caller alternates `press`."""
        self.status.state = "acting"
        if not self.valid_line(line):
            return Wish()
        px, py = self.line_point(line, x, y)
        face = bearing(x, y, px, py)
        if shoot:
            return Wish(face=face, attack=press)
        distance = self.world.distance_to_line(line, x, y)
        nx, ny = self.world.map.front_normal(line)
        sx, sy = px + nx * USE_SPOT, py + ny * USE_SPOT
        to_spot = math.hypot(sx - x, sy - y)
        last_line, best, since, last = self.reach
        # A new approach starts afresh: a press from where it stands, because it came no closer, is for an approach
        # that stalled, not one begun after a walk elsewhere (E2M6: a glide past the spot into an alcove's side, and
        # the door pressed from behind that wall for the rest of the game, the stall dated from an earlier visit).
        fresh = last_line != line or tic - last > PRESS_GAP
        if fresh or to_spot < best - 4.0:
            best, since = to_spot, tic
        self.reach = (line, best, since, tic)
        blocked = not fresh and tic - since > 24 and distance <= USE_RANGE
        reach = math.hypot(px - x, py - y)
        in_front = self.world.front_side(line, x, y) and distance <= USE_REACH and \
            self.world.sight_clear(x, y, px - (px - x) * 2.0 / max(reach, 1.0), py - (py - y) * 2.0 / max(reach, 1.0))
        # A walk to the spot that would cross a guarded line stops short of it, and presses from there within the
        # engine's reach (E4M7: the switch's spot lies across a W1 line that raises a floor into the way to the red
        # door; the player may stand only in the 8 units between that line and the engine's reach).
        barrier = sorted(self.guarded.intersection(self.world.crossed_lines(x, y, sx, sy))) if self.guarded else []
        if barrier:
            sx, sy = self._short_of(barrier, x, y, sx, sy)
            to_spot = math.hypot(sx - x, sy - y)
        guarded = bool(barrier) and distance <= USE_RANGE
        if barrier and not (in_front or blocked or guarded or to_spot <= 10.0):
            # Creep up to the line: thrust only while the glide stops short of it, against the glide that would not.
            px, py = self.prev
            glide = math.hypot(*self.velocity(x, y)) * BRAKE_GLIDE
            if glide + GUARD_SHORT >= to_spot:
                return Wish(face=face, move=bearing(x, y, px, py) if glide > to_spot else None, run=False)
        if in_front or blocked or guarded or to_spot <= 10.0:
            # USE only once the use ray reaches the line: held while turning, Doom would take the press at its first
            # tic, facing away, and ignore the rest until USE is let go.
            return Wish(face=face, use=press and self.use_reaches(line, x, y, self.angle))
        toward = bearing(x, y, sx, sy)
        return Wish(face=toward if to_spot > USE_REACH else face, move=toward, run=False)

    def _short_of(self, lines: list[int], x: float, y: float, tx: float, ty: float) -> tuple[float, float]:
        """The point of the walk from (x, y) to (tx, ty) GUARD_SHORT units before the first of `lines` it crosses."""
        m = self.world.map
        dx, dy = tx - x, ty - y
        length = math.hypot(dx, dy)
        t = 1.0
        for line in lines:
            ax, ay, bx, by = float(m.x1[line]), float(m.y1[line]), float(m.x2[line]), float(m.y2[line])
            denominator = dx * (by - ay) - dy * (bx - ax)
            if denominator != 0.0:
                t = min(t, ((ax - x) * (by - ay) - (ay - y) * (bx - ax)) / denominator)
        t = max(0.0, t - GUARD_SHORT / max(length, 1e-9))
        return x + t * dx, y + t * dy

    def use_reaches(self, line: int, x: float, y: float, angle: float) -> bool:
        """Whether Doom's use ray, USE_RANGE from (x, y) along `angle`, meets `line` (other lines on the way aside)."""
        ex, ey = x + USE_RANGE * math.cos(math.radians(angle)), y + USE_RANGE * math.sin(math.radians(angle))
        return line in self.world.crossed_lines(x, y, ex, ey)

    def cross_line(self, line: int, x: float, y: float) -> Wish:
        """Walk across `line` from the side the player is on, to a point 40 units past it."""
        self.status.state = "acting"
        if not self.valid_line(line):
            return Wish()
        mx, my = self.line_point(line, x, y)
        nx, ny = self.world.map.front_normal(line)
        sign = -1.0 if self.world.front_side(line, x, y) else 1.0
        tx, ty = mx + sign * nx * 40.0, my + sign * ny * 40.0
        return Wish(face=bearing(x, y, tx, ty), move=bearing(x, y, tx, ty), run=False)

    def near(self, node: int | None, x: float, y: float, radius: float) -> bool:
        if node is None:
            return False
        nx, ny = self.graph.xy[node]
        return math.hypot(nx - x, ny - y) <= radius

    def at_node(self, node: int, x: float, y: float, radius: float) -> bool:
        """Reached (or passed) `node`, on its level: in its sector, or at its floor's height (passing a
        node of the ledge above while still in the pit below does not count)."""
        if not self.arrived(self.graph.xy[node], x, y, radius):
            return False
        sector = int(self.nav.nodes[node, 2])
        if self.sector is None or self.sector == sector:
            return True
        mover = self.nav.movers.get(sector)
        if mover is not None and mover.kind in RETURNING:
            return False  # a node on a lift is reached on the lift (beside it, at its height, is not riding it)
        return abs(self.world.sector(sector)[0] - self.z) <= 24.0

    def arrived(self, point: object, x: float, y: float, radius: float) -> bool:
        """Within `radius` of the point now, or passed it since the last step."""
        px, py = float(point[0]), float(point[1])  # type: ignore[index]
        ax, ay = self.prev
        dx, dy = x - ax, y - ay
        length2 = dx * dx + dy * dy
        t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
        return math.hypot(ax + t * dx - px, ay + t * dy - py) <= radius

    def no_progress_tics(self, x: float, y: float, tic: int) -> int:
        """Tics since the player last came 16 units closer to its waypoint (0 without a waypoint)."""
        waypoint = self.status.waypoint
        if waypoint is None:
            self.progress = (None, math.inf, tic)
            return 0
        distance = math.hypot(self.graph.xy[waypoint, 0] - x, self.graph.xy[waypoint, 1] - y)
        node, best, since = self.progress
        if node != waypoint or distance < best - 16.0:
            self.progress = (waypoint, distance, tic)
            return 0
        return tic - since

    @staticmethod
    def walk_to(point: object, x: float, y: float, slow: bool = False) -> Wish:
        px, py = float(point[0]), float(point[1])  # type: ignore[index]
        direction = bearing(x, y, px, py)
        return Wish(face=direction, move=direction, run=not (slow and math.hypot(px - x, py - y) < SLOW_NEAR))
