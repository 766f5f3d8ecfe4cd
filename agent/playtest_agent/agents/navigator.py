"""`navigator`: plays the progression planner's route to the exit (docs/navigation.md).

It follows `navigation.steps` in order. For each step it walks to the step's node along the cheapest
route of the graph (navgraph.py), judging every edge with the live sector heights, then does the
step: picks a key up, presses a switch facing its line, crosses a line, teleports, exits. Each act:

1. Unstick: when a walk made no progress for a second, back off for a few steps, penalise the edge
   it was on, and plan again (after 8 failures on one step it moves on to the next step).
2. Fight (aim.py, shared with the explorer): the most central upright monster on screen, turned to
   exactly; without god mode anything in view, with god mode only what stands in the way.
3. Navigate: the step's errand (open a mover on the route through one of its openers: walk to the
   opener's node, press, cross or shoot its line), else the walk along the route (waiting while a
   door opens or a lift comes back), else the step's own action. Low on health without god mode,
   it detours to a health item in sight.
4. Steer (steering.py): turn exactly to where it wants to face, move in one of eight directions
   relative to that, and sidestep what the depth buffer shows in the way.

Its current goal is published as `goal_json` (the `goal` field of every `step` message).
"""

from __future__ import annotations

import json
import math
from collections import deque
from dataclasses import dataclass, field

import numpy as np
import vizdoom as vzd

from .. import env as E
from ..config import RunConfig
from ..env import DoomEnv, EnvFeatures
from ..mapdata import read_map
from ..navigation import Mover, Opener, Step
from .aim import Aim
from .navgraph import BLOCKED, OK, OPEN, REST, Leg, NavGraph
from .steering import Steering, Wish, angle_difference, bearing, navigator_action_set
from .world import LiveWorld

TICS_PER_SECOND = 35
ARRIVE = 24.0  # map units: a step's node is reached
PASS = 40.0  # map units: an intermediate node is passed
USE_REACH = 40.0  # map units from the line at which USE is pressed (the engine reaches 64)
STUCK_TICS = 35  # no progress for this long while walking is being stuck
STUCK_DISTANCE = 12.0
STUCK_PENALTY = 600.0  # map units added to a failing edge's cost (doubling each time)
PENALTY_TICS = 30 * TICS_PER_SECOND
GIVE_UP_STUCKS = 8
PRESS_TIMEOUT = 5 * TICS_PER_SECOND  # a use/shoot step that shows no effect for this long moves on
WAIT_TIMEOUT = 12 * TICS_PER_SECOND
LOW_HEALTH = 40
HEALTH_ITEMS = {"Stimpack", "Medikit", "HealthBonus", "Soulsphere", "Megasphere", "Berserk"}
AMMO_ITEMS = {"Clip", "ClipBox", "Shell", "ShellBox", "RocketAmmo", "RocketBox", "Cell", "CellPack", "Backpack"}


def item_class(item: str) -> str:
    """`blue_card` -> `BlueCard`: the engine's class name of a plan's item."""
    return "".join(part.capitalize() for part in item.split("_"))


@dataclass
class Errand:
    """Open mover `sector` (a door on the route, a lift to lower) through one of its openers."""

    sector: int
    leg: Leg
    tried: set[int] = field(default_factory=set)
    opener: Opener | None = None
    started: int = 0
    presses: int = 0
    heights: tuple[float, float] = (0.0, 0.0)


class NavigatorAgent:
    features = EnvFeatures(depth=True, labels=True, objects_info=True, sectors_info=True)

    def __init__(self, config: RunConfig) -> None:
        if config.navigation is None:
            raise ValueError("the navigator needs a navigation object")
        self.nav = config.navigation
        self.graph = NavGraph(self.nav)
        self.god = config.env.god_mode
        self.action_set = navigator_action_set()
        self.rng = np.random.default_rng(config.seed)
        self.aim = Aim()
        self.goal_json: str | None = None
        self._map = None

    # ----- episode bookkeeping -------------------------------------------------------------

    def begin_episode(self, env: DoomEnv) -> None:
        state = env.state
        assert state is not None
        if self._map is None:
            self._map = read_map(env.wad_paths, env.map_name)
        count = max([s.id for s in state.sectors] + [self.graph.max_sector]) + 1
        self.world = LiveWorld(self._map, count)
        self.world.begin(state)
        self.steering = Steering(env.frame_skip)
        self.aim.reset()
        self.step_index = 0
        self.step_started = 0
        self.stucks = 0
        self.route: list[Leg] | None = None
        self.route_goal: int | None = None
        self.leg_index = 0
        self.approach: int | None = None
        self.errands: list[Errand] = []
        self.penalties: dict[tuple[str, int, bool], tuple[float, int]] = {}
        self.history: deque[tuple[int, float, float]] = deque(maxlen=64)
        self.unstick = 0
        self.unstick_direction = 0.0
        self.presses = 0
        self.first_press = -1
        self.last_press = -10**6
        self.wait_since = -1
        self.keys: set[str] = set()
        self.visited: set[int] = set()
        self.mover_seen: dict[int, tuple[float, float, int]] = {}
        self.state = "walking"
        self.waypoint: int | None = None
        self.mover: int | None = None
        self.prev = (float(env.variables[E.X]), float(env.variables[E.Y]))
        self.goal_json = None
        self._goal_key: tuple[object, ...] | None = None

    @property
    def current_step(self) -> Step | None:
        steps = self.nav.steps
        return steps[self.step_index] if self.step_index < len(steps) else None

    def _next_step(self, tic: int) -> None:
        step = self.current_step
        if step is not None and step.kind == "pickup" and step.item:
            self.keys.add(step.item)
        self.step_index += 1
        self.step_started = tic
        self.stucks = 0
        self.presses = 0
        self.first_press = -1
        self.wait_since = -1
        self.route = None
        self.errands.clear()

    # ----- the decision -------------------------------------------------------------------

    def act(self, env: DoomEnv) -> int:
        state = env.state
        assert state is not None
        v = env.variables
        x, y, angle = float(v[E.X]), float(v[E.Y]), float(v[E.ANGLE])
        tic = int(state.tic)
        self.world.update(state)
        self.history.append((tic, x, y))
        self.waypoint = self.mover = None
        wish = self._decide(env, state, x, y, angle, tic)
        self.prev = (x, y)
        self._publish_goal()
        return self.steering.action(angle, wish)

    def _decide(self, env: DoomEnv, state: vzd.GameState, x: float, y: float, angle: float, tic: int) -> Wish:
        if self.unstick > 0:
            self.unstick -= 1
            self.state = "unsticking"
            return Wish(move=self.unstick_direction, run=False, use=self.unstick % 2 == 0)
        self.state = "walking"
        wish = self._navigate(env, state, x, y, angle, tic)
        target = self.aim.target(state, env.variables)
        if target is not None:
            direction, distance = Aim.bearing(target, x, y)
            if not self.god or distance < 160:
                error = abs(angle_difference(direction, angle))
                tolerance = math.degrees(math.atan2(18.0, max(distance, 1.0))) + self.steering.max_turn / self.steering.frame_skip
                wish.face, wish.attack, wish.use = direction, error <= tolerance, False
                self.state = "fighting"
                self.history.clear()  # standing to fight is not being stuck
                return wish
        if wish.move is not None and self.state == "walking":
            self._avoid(state, angle, wish)
            if self._stuck(tic):
                return self._start_unstick(angle, tic)
        return wish

    def _navigate(self, env: DoomEnv, state: vzd.GameState, x: float, y: float, angle: float, tic: int) -> Wish:
        step = self.current_step
        if step is None:
            return self._explore(x, y, tic)
        if step.kind == "teleport" and self._near(step.to, x, y, 64.0):
            self._next_step(tic)
            return self._navigate(env, state, x, y, angle, tic)
        if step.kind == "pickup" and self._picked_up(step, state, x, y):
            self._next_step(tic)
            return self._navigate(env, state, x, y, angle, tic)
        if not self.god and env.variables[E.HEALTH] < LOW_HEALTH:
            detour = self._detour(state, x, y, HEALTH_ITEMS)
            if detour is not None:
                return detour
        if self.errands:
            wish = self._run_errand(x, y, tic)
            if wish is not None:
                return wish
        destination = step.to if step.kind == "cross" and self.presses > 0 else step.node
        wish = self._travel(destination, x, y, tic, final=True)
        if wish is not None:
            return wish
        return self._perform(env, step, x, y, angle, tic)

    # ----- travelling along the graph -------------------------------------------------------

    def _plan(self, goal: int, x: float, y: float, tic: int) -> bool:
        self.state = "replanning"
        world, graph = self.world, self.graph
        penalty = {key: cost for key, (cost, until) in self.penalties.items() if until > tic}
        heights, rest = world.heights(), world.rest
        assert rest is not None
        best: tuple[float, int, list[Leg]] | None = None
        for start in graph.nearest(x, y, 8):
            sx, sy = graph.xy[start]
            if not world.segment_clear(x, y, sx, sy):
                continue
            legs = graph.route(start, goal, heights, rest, penalty)
            if legs is None:
                continue
            cost = math.hypot(sx - x, sy - y) + graph.route_cost(legs)
            if best is None or cost < best[0]:
                best = (cost, start, legs)
        if best is None:
            return False
        _, start, legs = best
        self.route, self.route_goal, self.leg_index = legs, goal, 0
        self.approach = start
        return True

    def _travel(self, goal: int, x: float, y: float, tic: int, final: bool) -> Wish | None:
        """Walks toward node `goal`; None once there."""
        if self.route_goal != goal or self.route is None:
            if self._near(goal, x, y, ARRIVE):
                return None
            if not self._plan(goal, x, y, tic):
                return self._lost(goal, x, y)
        assert self.route is not None
        graph = self.graph
        if self.approach is not None:
            first = self.route[0] if self.route else None
            skip = first is not None and first.kind == "walk" and self._need(first)[0] == OK and \
                self.world.segment_clear(x, y, *graph.xy[first.target], clearance=12.0)
            if skip or self._arrived(self.approach, x, y, PASS if self.route else ARRIVE):
                self.approach = None
            else:
                self.waypoint = self.approach
                return self._walk_to(graph.xy[self.approach], x, y, slow=not self.route)
        while self.leg_index < len(self.route):
            leg = self.route[self.leg_index]
            last = self.leg_index == len(self.route) - 1
            self.waypoint = leg.target
            if leg.kind == "teleport":
                return self._teleport_leg(leg, x, y, tic)
            if self._arrived(leg.target, x, y, ARRIVE if last else PASS):
                self.leg_index += 1
                self.wait_since = -1
                continue
            need, movers = self._need(leg)
            if need == OK:
                self.wait_since = -1
                return self._walk_to(graph.xy[leg.target], x, y, slow=last and final)
            if need == OPEN:
                closed = [s for s in movers if not self._moving(s, tic)]
                if closed and not self._recently_opened(closed, tic):
                    self.errands.append(Errand(closed[0], leg, started=tic, heights=self.world.sector(closed[0])))
                    wish = self._run_errand(x, y, tic)
                    if wish is not None:
                        return wish
                return self._wait(leg, movers, x, y, tic)
            if need == REST:
                return self._wait(leg, movers, x, y, tic)
            self._penalise(leg, tic)
            self.route = None
            return Wish()
        return None

    def _need(self, leg: Leg) -> tuple[str, tuple[int, ...]]:
        heights = self.world.heights()
        assert self.world.rest is not None
        return self.graph.need(leg.index, leg.forward, heights, self.world.rest)

    def _wait(self, leg: Leg, movers: tuple[int, ...], x: float, y: float, tic: int) -> Wish:
        """Stand at the leg's start while a mover moves; give the leg up after WAIT_TIMEOUT."""
        self.state = "waiting"
        self.mover = movers[0] if movers else None
        if self.wait_since < 0:
            self.wait_since = tic
        if tic - self.wait_since > WAIT_TIMEOUT:
            self._penalise(leg, tic)
            self.route = None
            self.wait_since = -1
            return Wish()
        sx, sy = self.graph.xy[leg.source]
        if math.hypot(sx - x, sy - y) > 12.0:
            return Wish(face=bearing(x, y, sx, sy), move=bearing(x, y, sx, sy), run=False)
        return Wish()

    def _teleport_leg(self, leg: Leg, x: float, y: float, tic: int) -> Wish | None:
        teleport = self.nav.teleports[leg.index]
        if self._near(teleport.destination, x, y, 64.0):
            self.leg_index += 1
            return self._travel(self.route_goal if self.route_goal is not None else teleport.destination, x, y, tic, True)
        if self.wait_since < 0:
            self.wait_since = tic
        if tic - self.wait_since > WAIT_TIMEOUT // 2:
            self._penalise(leg, tic)
            self.route, self.wait_since = None, -1
            return Wish()
        return self._cross_line(teleport.line, x, y)

    def _lost(self, goal: int, x: float, y: float) -> Wish:
        """No route from here: head straight for the goal (the depth check and unsticking help)."""
        self.state = "replanning"
        gx, gy = self.graph.xy[goal]
        self.waypoint = goal
        return Wish(face=bearing(x, y, gx, gy), move=bearing(x, y, gx, gy), run=False)

    # ----- movers --------------------------------------------------------------------------

    def _moving(self, sector: int, tic: int) -> bool:
        """The sector's heights changed within the last few tics."""
        floor, ceiling = self.world.sector(sector)
        seen = self.mover_seen.get(sector)
        if seen is None or seen[0] != floor or seen[1] != ceiling:
            changed = seen is not None
            self.mover_seen[sector] = (floor, ceiling, tic if changed else -10**6)
            return changed
        return tic - seen[2] <= 8

    def _recently_opened(self, sectors: list[int], tic: int) -> bool:
        return any(tic - self.mover_seen.get(s, (0.0, 0.0, -10**6))[2] < 2 * TICS_PER_SECOND for s in sectors)

    def _choose_opener(self, errand: Errand, x: float, y: float) -> Opener | None:
        mover: Mover = self.nav.movers[errand.sector]
        candidates = [(i, o) for i, o in enumerate(mover.openers) if i not in errand.tried]
        if not candidates:
            return None
        def cost(item: tuple[int, Opener]) -> float:
            _, opener = item
            lacks_key = opener.key is not None and not self._has_key(opener.key)
            gx, gy = self.graph.xy[opener.node]
            return math.hypot(gx - x, gy - y) + (10_000.0 if lacks_key else 0.0) + (0.0 if opener.how != "auto" else 50.0)
        index, opener = min(candidates, key=cost)
        errand.tried.add(index)
        return opener

    def _has_key(self, key: str) -> bool:
        if key == "all":
            return len({k.split("_")[0] for k in self.keys}) >= 3
        color = key.split("_")[0]
        return any(k == key or (k.startswith(color) and "_" not in key) for k in self.keys)

    def _run_errand(self, x: float, y: float, tic: int) -> Wish | None:
        errand = self.errands[-1]
        self.mover = errand.sector
        heights = self.world.sector(errand.sector)
        if heights != errand.heights or self._need(errand.leg)[0] == OK:
            self.errands.pop()  # it moves (or is open): the walk waits for it
            self.mover = None
            return None
        if errand.opener is None or tic - errand.started > WAIT_TIMEOUT:
            errand.opener = self._choose_opener(errand, x, y)
            errand.started, errand.presses = tic, 0
            if errand.opener is None:
                self.errands.pop()
                self._penalise(errand.leg, tic)
                self.route = None
                return None
            if len(self.errands) > 3:  # openers behind openers: give this one up
                self.errands.pop()
                return None
        opener = errand.opener
        if opener.how == "auto":
            return Wish() if self._wait_state() else None
        wish = self._travel(opener.node, x, y, tic, final=True)
        if wish is not None:
            return wish
        self.state = "acting"
        if opener.how == "walk":
            return self._cross_line(opener.line, x, y)
        errand.presses += 1
        return self._press(opener.line, x, y, shoot=opener.how == "shoot", press=errand.presses % 2 == 1)

    def _wait_state(self) -> bool:
        self.state = "waiting"
        return True

    # ----- acting on lines ------------------------------------------------------------------

    def _line_point(self, line: int, x: float, y: float) -> tuple[float, float]:
        """The point of `line` nearest to (x, y), kept off its ends."""
        m = self.world.map
        ax, ay, bx, by = m.x1[line], m.y1[line], m.x2[line], m.y2[line]
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        t = 0.5 if length2 == 0 else max(0.15, min(0.85, ((x - ax) * dx + (y - ay) * dy) / length2))
        return float(ax + t * dx), float(ay + t * dy)

    def _press(self, line: int, x: float, y: float, shoot: bool = False, press: bool = True) -> Wish:
        """Walk up to `line`, face it and press USE (or fire at it)."""
        tx, ty = self._line_point(line, x, y) if line < self.world.map.line_count else (x, y)
        face = bearing(x, y, tx, ty)
        self.state = "acting"
        if not shoot and self.world.distance_to_line(line, x, y) > USE_REACH:
            return Wish(face=face, move=face, run=False)
        return Wish(face=face, use=press and not shoot, attack=press and shoot)

    def _cross_line(self, line: int, x: float, y: float) -> Wish:
        """Walk across `line` from the side the player is on, to a point 40 units past it."""
        m = self.world.map
        mx, my = self._line_point(line, x, y)
        nx, ny = m.front_normal(line)
        sign = -1.0 if self.world.front_side(line, x, y) else 1.0
        tx, ty = mx + sign * nx * 40.0, my + sign * ny * 40.0
        self.state = "acting"
        return Wish(face=bearing(x, y, tx, ty), move=bearing(x, y, tx, ty), run=False)

    def _expects_hold(self, step: Step) -> bool:
        return all(e.holds(*self.world.sector(e.sector)) for e in step.expect)

    def _perform(self, env: DoomEnv, step: Step, x: float, y: float, angle: float, tic: int) -> Wish:
        """At the step's node: do the step."""
        kind = step.kind
        if kind == "walk" or (kind == "cross" and self.presses > 0 and (not step.expect or self._expects_hold(step))):
            self._next_step(tic)
            return Wish()
        if kind == "cross":
            self.presses = 1  # at the node: now walk to `to`
            return Wish()
        if kind == "pickup":
            spot = self._thing_spot(step)
            if self._arrived_xy(spot, x, y, 16.0) or tic - self.step_started > PRESS_TIMEOUT * 3:
                self._next_step(tic)
                return Wish()
            return self._walk_to(spot, x, y, slow=True)
        if kind == "teleport":
            return self._cross_line(step.line or 0, x, y) if self._valid_line(step.line) else Wish()
        if kind == "exit":
            env.precise_tics = True  # the exit's tic is reported exactly (see DoomEnv.step)
            if step.how == "cross":
                return self._cross_line(step.line or 0, x, y)
            self.presses += 1
            return self._press(step.line or 0, x, y, shoot=step.how == "shoot", press=self.presses % 2 == 1)
        # use / shoot: press until the expected heights show, re-pressing only when nothing moves.
        if step.expect and self._expects_hold(step):
            self._next_step(tic)
            return Wish()
        if self.first_press >= 0 and tic - self.first_press > PRESS_TIMEOUT:
            self._next_step(tic)  # no effect seen: go on, the next step's route will tell
            self.state = "replanning"
            return Wish()
        moving = any(self._moving(e.sector, tic) for e in step.expect)
        if self.first_press >= 0 and (moving or tic - self.last_press < TICS_PER_SECOND):
            if not step.expect and tic - self.first_press > TICS_PER_SECOND:
                self._next_step(tic)
            self.state = "waiting"
            return Wish(face=bearing(x, y, *self._line_point(step.line or 0, x, y)))
        wish = self._press(step.line or 0, x, y, shoot=kind == "shoot", press=True)
        if wish.use or wish.attack:
            if self.first_press < 0:
                self.first_press = tic
            self.last_press = tic
        return wish

    def _valid_line(self, line: int | None) -> bool:
        return line is not None and 0 <= line < self.world.map.line_count

    def _thing_spot(self, step: Step) -> tuple[float, float]:
        things = self.world.map.things
        if step.thing is not None and step.thing < len(things):
            return float(things[step.thing, 0]), float(things[step.thing, 1])
        return float(self.graph.xy[step.node, 0]), float(self.graph.xy[step.node, 1])

    def _picked_up(self, step: Step, state: vzd.GameState, x: float, y: float) -> bool:
        sx, sy = self._thing_spot(step)
        if math.hypot(sx - x, sy - y) > 256.0:
            return False
        name = item_class(step.item or "")
        return not any(o.name == name and abs(o.position_x - sx) < 24 and abs(o.position_y - sy) < 24 for o in state.objects)

    # ----- moving -----------------------------------------------------------------------------

    def _near(self, node: int | None, x: float, y: float, radius: float) -> bool:
        if node is None:
            return False
        nx, ny = self.graph.xy[node]
        return math.hypot(nx - x, ny - y) <= radius

    def _arrived(self, node: int, x: float, y: float, radius: float) -> bool:
        return self._arrived_xy(self.graph.xy[node], x, y, radius)

    def _arrived_xy(self, point: object, x: float, y: float, radius: float) -> bool:
        """Within `radius` of the point now, or passed it since the last step."""
        px, py = float(point[0]), float(point[1])  # type: ignore[index]
        ax, ay = self.prev
        dx, dy = x - ax, y - ay
        length2 = dx * dx + dy * dy
        t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
        return math.hypot(ax + t * dx - px, ay + t * dy - py) <= radius

    def _walk_to(self, point: object, x: float, y: float, slow: bool = False) -> Wish:
        px, py = float(point[0]), float(point[1])  # type: ignore[index]
        direction = bearing(x, y, px, py)
        distance = math.hypot(px - x, py - y)
        return Wish(face=direction, move=direction, run=not (slow and distance < 128.0))

    def _avoid(self, state: vzd.GameState, angle: float, wish: Wish) -> None:
        """Sidestep an obstacle the depth buffer shows straight ahead, closer than the waypoint."""
        if wish.move is None or state.depth_buffer is None or abs(angle_difference(wish.move, angle)) > 20.0:
            return
        ahead, left, right = Steering.free_ahead(state.depth_buffer)
        goal = self.graph.xy[self.waypoint] if self.waypoint is not None else None
        x, y = self.prev
        distance = math.hypot(goal[0] - x, goal[1] - y) if goal is not None else 1e9
        if ahead < min(40.0, distance - 16.0):
            wish.move = (wish.move + (60.0 if left > right else -60.0)) % 360.0
            wish.run = False

    def _stuck(self, tic: int) -> bool:
        if len(self.history) < 2:
            return False
        last_tic, lx, ly = self.history[-1]
        for old_tic, ox, oy in self.history:
            if last_tic - old_tic <= STUCK_TICS:
                break
            if math.hypot(lx - ox, ly - oy) > STUCK_DISTANCE:
                return False
        else:
            return False
        return last_tic - self.history[0][0] >= STUCK_TICS

    def _start_unstick(self, angle: float, tic: int) -> Wish:
        self.stucks += 1
        self.history.clear()
        self.unstick = 6
        self.unstick_direction = (angle + 180.0 + float(self.rng.uniform(-60.0, 60.0))) % 360.0
        if self.route is not None and self.leg_index < len(self.route):
            self._penalise(self.route[self.leg_index], tic)
        self.route = None
        if self.stucks >= GIVE_UP_STUCKS and self.current_step is not None and self.current_step.kind != "exit":
            self._next_step(tic)  # try the rest of the plan
        self.state = "unsticking"
        return Wish(move=self.unstick_direction, run=False, use=True)

    def _penalise(self, leg: Leg, tic: int) -> None:
        key = (leg.kind, leg.index, leg.forward)
        cost, _ = self.penalties.get(key, (STUCK_PENALTY / 2, 0))
        self.penalties[key] = (min(cost * 2, 50_000.0), tic + PENALTY_TICS)

    def _detour(self, state: vzd.GameState, x: float, y: float, names: set[str]) -> Wish | None:
        """Walk to the nearest item of `names` in straight sight within 400 units."""
        best = None
        for o in state.objects:
            if o.name in names:
                distance = math.hypot(o.position_x - x, o.position_y - y)
                if distance < 400.0 and (best is None or distance < best[0]):
                    best = (distance, o.position_x, o.position_y)
        if best is None or not self.world.segment_clear(x, y, best[1], best[2], clearance=12.0):
            return None
        self.route = None
        return self._walk_to((best[1], best[2]), x, y)

    def _explore(self, x: float, y: float, tic: int) -> Wish:
        """No plan (or the plan is done): visit the graph's nodes, nearest unvisited first."""
        for node in self.graph.nearest(x, y, 16):
            if self._near(node, x, y, 64.0):
                self.visited.add(node)
        if self.route_goal is None or self.route_goal in self.visited or self.route is None:
            distances = np.hypot(self.graph.xy[:, 0] - x, self.graph.xy[:, 1] - y)
            order = [int(i) for i in np.argsort(distances) if int(i) not in self.visited]
            if not order:
                return Wish()
            self.route_goal, self.route = order[0], None
        wish = self._travel(self.route_goal, x, y, tic, final=False)
        if wish is None:
            self.visited.add(self.route_goal)
            return Wish()
        return wish

    # ----- telemetry --------------------------------------------------------------------------

    def _publish_goal(self) -> None:
        step = self.current_step
        if step is None:
            key: tuple[object, ...] = (len(self.nav.steps), "explore", self.route_goal, None, self.state, self.waypoint, self.mover)
        else:
            key = (step.index, step.kind, step.node, step.line, self.state, self.waypoint, self.mover)
        if key != self._goal_key:
            self._goal_key = key
            self.goal_json = json.dumps(dict(zip(("step", "kind", "node", "line", "state", "waypoint", "mover"), key)),
                                        separators=(",", ":"))
