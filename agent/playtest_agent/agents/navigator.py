"""`navigator`: plays the progression planner's route to the exit (docs/navigation.md).

It follows `navigation.steps` in order. For each step it walks to the step's node along the cheapest
route of the graph (travel.py over navgraph.py), judging every edge with the live sector heights
(world.py), then does the step: picks a key up, presses a switch facing its line, crosses a line,
teleports, kills, exits. When the plan gives out (no steps, or done without the exit) it goes for the
map's exit lines (exits.py), then explores the graph. Each act:

1. Unstick: when a walk made no progress for a second (or came no closer for three), back off for a
   few steps, penalise the edge it was on, and plan again (after 8 failures on one step it moves on).
2. Navigate: a detour for supplies (supplies.py: health, armour, weapons, ammunition, keys),
   else the walk along the route (opening a mover on the way through one of its openers, waiting while
   a door opens or a lift comes back), else the step's own action.
3. Fight: with god mode (aim.py, shared with the explorer) only what stands in the way; without it
   (combat.py) whatever sees it, before walking on: the most dangerous, nearest monster on screen or in
   straight sight, fired at once aimed, with the weapon for it (never rockets point blank), sidestepping
   projectiles, backing off along its trail from melee monsters and when badly hurt, strafing otherwise,
   never shooting past a barrel next to it, moving off a damaging floor (and from under a crusher
   while waiting). A kill step hunts every live
   monster of its kind (the objects info knows where they are), arming first; one given up on is tried
   again when the way on is lost.
4. Steer (steering.py): turn exactly to where it wants to face, move in one of eight directions
   relative to that, and sidestep what the depth buffer shows in the way.

Its current goal is published as `goal_json` (the `goal` field of every `step` message), its certainty
about it as `confidence` (plan_certainty) and the keys it holds as `keys_json` (sorted key names).
"""

from __future__ import annotations

import json
import math
from collections import deque
from collections.abc import Callable
from typing import Any

import numpy as np
import vizdoom as vzd

from .. import env as E
from ..config import RunConfig
from ..env import DoomEnv, EnvFeatures
from ..mapdata import MapData, read_map
from ..navigation import Step
from .aim import Aim
from .combat import BARREL_AWAY, LOW_HEALTH, ROCKET_CLEAR_AHEAD, ROCKET_SAFE, Combat, firepower, weapon_for
from .exits import ExitSeeker
from .navgraph import STEP_UP, NavGraph, fits_beside, passable
from .steering import Steering, Wish, angle_difference, bearing, navigator_action_set
from .supplies import HEALTH as HEALTH_ITEMS
from .supplies import Supplies
from .travel import ARRIVE, BRAKE_GLIDE, TICS_PER_SECOND, Status, Traveller
from .world import LiveWorld

STUCK_TICS = 35  # no move of STUCK_DISTANCE for this long while walking is being stuck,
STUCK_DISTANCE = 12.0
NO_PROGRESS_TICS = 3 * TICS_PER_SECOND  # and so is coming no closer to the waypoint for this long
LEDGE_RANGE = 128.0  # heading for a ledge (a drop of more than a step) this close, the navigator walks: a running player glides on for some 150 units
GIVE_UP_STUCKS = 8  # stuck this often on one step: go on with the next
BLOCKER_RANGE = 96.0  # a live monster this close ahead of a stuck walk is what blocks it (E2M5's spectres): fight it
BLOCKER_ANGLE = 75.0  # degrees either side of the way
BLOCKER_FIGHTS = 4  # fights per blocking monster; then the walk backs off as from any obstacle
CONTACT_RANGE = 64.0  # a monster this close pins a stuck player (their boxes nearly touch): fought until it is gone
BLOCKER_FIGHT_TICS = 5 * 35  # how long one such fight lasts at most
STALLED_MOVER_TICS = 5 * TICS_PER_SECOND  # waiting on a mover this long (a lift's ride takes 3 s and its travel): a monster may hold it
PRESS_TIMEOUT = 5 * TICS_PER_SECOND  # a use/shoot step whose sectors do not move for this long moves on
# A cross step waits at most this long for its heights while they move: MAP19's line starts perpetual platforms, whose
# floors are never all at once where the plan wants them (the route's own waits on movers hold the player later).
CROSS_WAIT = 20 * TICS_PER_SECOND
PRESS_AIM = 5.0  # degrees: a shot counts as a press of a shoot step's line only facing this close to it
HUNT_TIMEOUT = 60 * TICS_PER_SECOND  # a kill step with no kill for this long moves on
VANTAGE_NODES = 768  # a hunt looks this many nodes around its prey for one that sees it,
VANTAGE_REACH = 2048.0  # no farther than this from it
DEFERRED_AFTER = 3 * TICS_PER_SECOND  # no route on for this long: try a kill step given up earlier
REDO_AFTER = 6 * TICS_PER_SECOND  # no route on for this long: go back to a key or switch step given up earlier
REDO_TRIES = 2  # times one such step is tried again
OUT_OF_REACH_TIMEOUT = 20 * TICS_PER_SECOND  # a kill step whose monsters are all out of reach waits this long
PREY_TRIES = 6  # nodes near a hunted monster tried in vain before it counts as out of reach,
PREY_AWAY = 20 * TICS_PER_SECOND  # for this long
HUNT_CLOSE = 384.0  # map units: a hunted monster in sight closer than this is fought from where the player stands
# Doom's monsters by thing type: the class the objects info names them by (a kill step's `thing`).
MONSTER_TYPES = {
    3004: "Zombieman", 9: "ShotgunGuy", 65: "ChaingunGuy", 3001: "DoomImp", 3002: "Demon", 58: "Spectre",
    3006: "LostSoul", 3005: "Cacodemon", 69: "HellKnight", 3003: "BaronOfHell", 68: "Arachnotron",
    71: "PainElemental", 66: "Revenant", 67: "Fatso", 64: "Archvile", 16: "Cyberdemon", 7: "SpiderMastermind",
    84: "WolfensteinSS", 72: "CommanderKeen",
}
GOD_FIGHT_RANGE = 160.0  # with god mode, only monsters this close are fought (they block the way)
MELEE = {"Demon", "Spectre", "LostSoul"}  # monsters to keep away from
EXPLORE_STRIDE = 256.0  # map units: exploring, the next goal is an unvisited node at least this far
EXPLORE_CANDIDATES = 24  # exploring, the next node is the nearest unvisited in sight among this many
DODGE_TICS = 24  # while fighting in place, strafe one way for this long, then the other
KEY_CLASSES = {"BlueCard": "blue_card", "RedCard": "red_card", "YellowCard": "yellow_card",
               "BlueSkull": "blue_skull", "RedSkull": "red_skull", "YellowSkull": "yellow_skull"}
WEAPON_PREFERENCE = (6, 4, 3, 7, 5, 2)  # plasma, chaingun, shotguns, BFG, rockets, pistol
WEAPON_HELD = {slot: getattr(vzd.GameVariable, f"WEAPON{slot}") for slot in WEAPON_PREFERENCE}
WEAPON_AMMO = {slot: getattr(vzd.GameVariable, f"AMMO{slot}") for slot in WEAPON_PREFERENCE}
MIN_AMMO = {7: 40}  # a BFG shot takes 40 cells
WEAPON_EVERY = 16  # tics between looks at the weapon in hand
# Weapon slot: (map units beyond which it is tapped, tics between presses). Doom's pistol and chaingun
# fire exactly while the trigger was released at the last refire check; held, their shots spread by
# up to 5.6 degrees (half the pellets of a pistol's worth of ammunition miss at 400 units).
TAP_FIRE = {2: (128.0, 20), 4: (256.0, 8)}
TRAIL_SPACING = 48.0  # map units between the crumbs of the trail the player backs off along
TRAIL_LENGTH = 40
RETREAT_MIN = 96.0  # map units: a spot to back off to is at least this far
ALERT_TICS = 3 * TICS_PER_SECOND  # hurt this lately, the player fights monsters that have not moved too (combat.target)
CRUSHER_MOVING = 8.0  # map units: a crusher's ceiling this far under its height at the start is running
SPOT_AWAY_TICS = 2 * TICS_PER_SECOND  # a back-off spot the player was pinned on the way to is left out this long
RETREAT_NODES = 64  # without god mode, a back-off looks at the nearest this many graph nodes besides the trail
BACK_OFF_LOOK = 96.0  # map units: a back-off that would reach a ledge within this is not made
BRAKE_SPEED = 4.0  # map units a tic: off the route (a detour, a fight, a back-off), faster than this toward a ledge brakes
GUARD_MARGIN = 8.0  # map units: a glide's reach is judged this much farther before a guarded line
STAIRS_AHEAD = 48.0  # map units: a ledge this far under the player still counts for a glide (it runs down stairs to it)
WALK_SPEED, RUN_SPEED = 8.33, 16.67  # map units a tic a player walking or running keeps up (thrust over friction)
HOP_LINE_UP = 48.0  # map units: this near a hop's start, the glide is lined up with it
TELEPORT_JUMP = 40.0  # map units a tic: a move this fast is a teleport (a straferun makes 23)
GOAL_FIELDS = ("step", "kind", "node", "line", "state", "waypoint", "mover")
# The `confidence` of a step message: how sure the navigator is of what it does, by its goal's state...
STATE_CERTAINTY = {
    "walking": 1.0,  # a computed route to a known goal (a plan step, or supplies seen)
    "acting": 1.0,  # at the step's line: pressing, crossing, shooting it
    "waiting": 0.9,  # for a door or lift it opened: the route goes on once it moves
    "fighting": 0.75,  # the route on hold while a monster is dealt with
    "replanning": 0.5,  # no route from here for now
    "unsticking": 0.25,  # backing off at random after a walk failed
}
# ...scaled down when the goal itself is a guess: no plan step left (kind explore).
EXPLORE_EXIT_CERTAINTY = 0.6  # trying one of the map's exit lines
EXPLORE_NODE_CERTAINTY = 0.4  # visiting graph nodes, looking for a way on


def plan_certainty(kind: str, state: str, exit_line: int | None) -> float:
    """The navigator's `confidence` in [0, 1]: its state's certainty (STATE_CERTAINTY), times the
    guess factor of exploring when the plan is done (an exit line tried, else a node visited)."""
    certainty = STATE_CERTAINTY.get(state, 0.5)
    if kind == "explore":
        certainty *= EXPLORE_EXIT_CERTAINTY if exit_line is not None else EXPLORE_NODE_CERTAINTY
    return certainty


def item_class(item: str) -> str:
    """`blue_card` -> `BlueCard`: the engine's class name of a plan's item."""
    return "".join(part.capitalize() for part in item.split("_"))


class NavigatorAgent:
    features = EnvFeatures(depth=True, labels=True, objects_info=True, sectors_info=True)

    def __init__(self, config: RunConfig) -> None:
        if config.navigation is None:
            raise ValueError("the navigator needs a navigation object")
        self.nav = config.navigation
        self.graph = NavGraph(self.nav)
        self.returning_movers = [int(s) for s in self.graph.returning_sectors]  # lifts: where do they come back to
        self.god = config.env.god_mode
        self.action_set = navigator_action_set()
        self.rng = np.random.default_rng(config.seed)
        self.aim = Aim()
        self.combat: Combat | None = None
        self.seed = config.seed
        self.goal_json: str | None = None
        self.confidence: float | None = None
        self.keys_json: str | None = None
        self._map: MapData | None = None
        self._world: LiveWorld | None = None

    def begin_episode(self, env: DoomEnv) -> None:
        state = env.state
        assert state is not None
        if self._map is None:
            self._map = read_map(env.wad_paths, env.map_name)
        count = max([s.id for s in state.sectors] + [self.graph.max_sector]) + 1
        if self._world is None or self._world.sector_count != count:  # built once: its line grid takes a few ms
            self._world = LiveWorld(self._map, count)
        self.world = self._world
        if not self.god:
            self.graph.set_hazards(self._map.damaging_sectors())
        self.damaging = self._map.damaging_sectors()
        self.crushers = {s for s, m in self.nav.movers.items() if m.kind == "crusher"}
        self.combat = Combat(self.world, self.seed)
        self.fight_target: tuple[str, float] | None = None  # the class and distance of the monster fought
        self.world.begin(state)
        self.steering = Steering(env.frame_skip)
        self.aim.reset()
        self.status = Status()
        self.keys: set[str] = set()
        self._key_objects: dict[int, str] | None = None  # the map's keys at the start (object id: class)
        self._key_places: dict[int, int] = {}  # where each was in the objects info at the last look
        self._keys_looked = -10**6
        self.travel = Traveller(self.nav, self.graph, self.world, self.status, self.keys, self.steering.frame_skip)
        self.travel.prev = (float(env.variables[E.X]), float(env.variables[E.Y]))
        self.supplies = Supplies(self.world, self.graph, self.god)
        self.supplies.damaging = self.damaging
        game = env.game
        self.supplies.rounds = lambda: max((game.get_game_variable(WEAPON_AMMO[slot]) for slot in WEAPON_PREFERENCE
                                            if game.get_game_variable(WEAPON_HELD[slot]) > 0), default=0.0)
        self.exits = ExitSeeker(self.world, self.graph, self.travel)
        self._breakers = self._plan_breakers()
        self._shunned: tuple[frozenset[int] | None, list[tuple[int, float, float, float, float]]] = (None, [])
        self.travel.guard(self._breakers[0] if self._breakers else frozenset())
        self.damage_seen, self.hurt_at = float(env.variables[E.DAMAGE_TAKEN]), -10**6
        self.detouring = False
        self._free: tuple[int, tuple[float, float, float]] | None = None
        self.step_index = 0
        self.step_started = 0
        self.stucks = 0
        self.presses = 0
        self.first_press = self.first_wish = -1  # the first press sent to the engine, the first one wished
        self.last_press = self.last_motion = -10**6
        self.press_pose: tuple[float, float, float] | None = None  # where it stood and faced at the last press
        # Lines pressed for a step that moved nothing in PRESS_TIMEOUT (episode_end's `unanswered_presses`).
        self.unanswered_presses: list[dict[str, Any]] = []
        self.history: deque[tuple[int, float, float]] = deque(maxlen=64)
        self.trail: deque[tuple[float, float]] = deque(maxlen=TRAIL_LENGTH)  # where it walked, a crumb every TRAIL_SPACING
        self._retreat_cache: tuple[int, tuple[float, float] | None] | None = None
        self.unreachable_spots: dict[tuple[float, float], int] = {}  # back-off spots the player was pinned on the way to: until when
        self.last_shot = -10**6  # when the trigger was last pressed at range (tap fire)
        self.unstick = 0
        self.unstick_direction = 0.0
        self.blocker_fights: dict[int, int] = {}  # per monster (object id): the times it was fought for blocking the way
        self.blocker: tuple[int, int] | None = None  # the blocking monster fought now (object id) and until when
        self.idle_since = -1  # since when the route planning leaves the player standing
        self.weapon_checked = -10**6
        self.firepower = math.inf  # damage the ammunition held can deal (combat.firepower), refreshed with the weapon look
        self.backing: tuple[int, float, float] = (-10**6, 0.0, 0.0)  # where a back-off was, and when
        self.pinned = False
        self.hunting = False
        self.hunt_kills, self.hunt_progress = 0, 0
        self.prey_id: int | None = None
        self.prey_node: int | None = None
        self.prey_node_at = 0
        self.prey_nodes_tried: set[int] = set()
        self.prey_out_of_reach: dict[int, int] = {}  # monsters no node near which could be reached, until a tic
        self.deferred: list[Step] = []  # kill steps given up on
        self.deferred_hunt: Step | None = None  # the one being tried again
        self.deferred_cooldown = 0
        self.missed: list[int] = []  # plan steps left unfinished (a key not held, heights not seen)
        self.redo_tries: dict[int, int] = {}
        self.resume_at: int | None = None  # the step to go back to once the missed step tried again ends
        self.visited: set[int] = set()
        self.explore_goal: int | None = None
        self.explore_line: int | None = None
        self.goal_json = None
        self.confidence = None
        self._goal_key: tuple[object, ...] | None = None
        self.keys_json = "[]"
        self._keys_published = 0

    @property
    def current_step(self) -> Step | None:
        steps = self.nav.steps
        return steps[self.step_index] if self.step_index < len(steps) else None

    def _next_step(self, tic: int) -> None:
        step = self.current_step
        # A pickup step that ends does not by itself give the key: keys count as held once gone from
        # the objects info (_look_for_keys), as a pickup step given up on leaves the key where it is.
        if step is not None and step.kind == "kill" and step.expect and not self._expects_hold(step) \
                and step not in self.deferred:
            self.deferred.append(step)  # its monsters out of reach now, perhaps not later
        if step is not None and self._unfinished(step) and self.step_index not in self.missed:
            self.missed.append(self.step_index)
        if self.resume_at is not None:
            following, self.resume_at = self.resume_at, None
        else:
            following = self.step_index + 1
        self._begin_step(following, tic)

    def _begin_step(self, index: int, tic: int) -> None:
        self.step_index = index
        self.step_started = tic
        self.stucks = self.presses = 0
        self.first_press = self.first_wish = -1
        self.last_motion = -10**6
        self.press_pose = None
        self.travel.forget_route()
        self.travel.lost_since = -1  # a new goal: lost is timed afresh
        self.travel.guard(self._breakers[index] if index < len(self._breakers) else frozenset())

    def _plan_breakers(self) -> list[frozenset[int]]:
        """Per step, the walk-over lines that would break the plan's walks from that step on: a line no planned walk
        crosses (and no step names) that moves a sector a later walk passes through to heights that walk cannot pass
        (E4M7: a W1 line beside a switch raises a floor to 8 units under its ceiling, and the way to the red door lies
        beside that floor; walked over on the way to the press, it sealed the way). Judged with the map's start heights
        and, where two edges join the same nodes, the first."""
        nav, rest = self.nav, self.world.rest
        assert rest is not None
        edge_of: dict[tuple[int, int], tuple[int, bool]] = {}
        for k, edge in enumerate(nav.edges):
            edge_of.setdefault((edge.a, edge.b), (k, True))
            edge_of.setdefault((edge.b, edge.a), (k, False))
        walks = [[edge_of[pair] for pair in zip(step.path, step.path[1:]) if pair in edge_of] for step in nav.steps]
        planned = {step.line for step in nav.steps if step.line is not None}
        for legs in walks:
            planned.update(line for k, _ in legs for line in nav.edges[k].lines)
        unplanned = {s: [o.line for o in m.openers if o.how == "walk" and o.line not in planned]
                     for s, m in nav.movers.items()}
        floor, ceiling = rest.floor, rest.ceiling

        def heights(sector: int, moved: int) -> tuple[float, float]:
            if sector != moved:
                return float(floor[sector]), float(ceiling[sector])
            mover = nav.movers[moved]
            return (float(floor[sector]) if mover.open_floor is None else mover.open_floor,
                    float(ceiling[sector]) if mover.open_ceiling is None else mover.open_ceiling)

        last_broken: dict[int, int] = {}  # line: the last step whose walk it breaks
        for index, legs in enumerate(walks):
            for k, forward in legs:
                edge = nav.edges[k]
                sectors = edge.sectors if forward else edge.sectors[::-1]
                # Each boundary crossed, and each moving sector passed beside (a touch: the box overlaps its edge).
                pairs = [(a, b, passable) for a, b in zip(sectors, sectors[1:])] + \
                    [(near, far, fits_beside) for near, far in edge.touches]
                for a, b, rule in pairs:
                    for moved in {a, b}:
                        lines = unplanned.get(moved)
                        if not lines or not rule(*heights(a, -1), *heights(b, -1)) or rule(*heights(a, moved), *heights(b, moved)):
                            continue
                        for line in lines:
                            last_broken[line] = max(last_broken.get(line, -1), index)
        return [frozenset(line for line, last in last_broken.items() if last >= index) for index in range(len(nav.steps))]

    def _unfinished(self, step: Step) -> bool:
        """Whether what the step does is not done: a key it picks up not held, or the heights its line
        should make not there. Other steps (walks, teleports, other items) count as done once left, and so
        does a step whose every sector comes back by itself (a lift, a crusher): its heights going back are no
        sign of a press missed, and the route presses a lift's switch again when it rides it (MAP19 with god mode
        went back to its lift's step whenever lost, 3 and 4 in turn for 200 s)."""
        if step.kind == "pickup":
            return step.item in KEY_CLASSES.values() and step.item not in self.keys
        if step.kind in ("use", "shoot", "cross"):
            comes_back = all(e.sector in self.returning_movers for e in step.expect)
            return bool(step.expect) and not self._expects_hold(step) and not comes_back
        return False

    def _redo(self, tic: int) -> bool:
        """No route on for REDO_AFTER: go back to the earliest step left unfinished (a key missed while
        lost, a switch given up on under fire) and, once it ends, return to the step in hand. A missed
        key shut every later locked door: the plan's rest was walked in vain and its exit step stood
        replanning until the time ran out (E1M6, E2M7, E2M9 in the god-mode pass; they exit with this)."""
        lost = self.travel.lost_since
        if self.resume_at is not None or lost < 0 or tic - lost <= REDO_AFTER:
            return False
        self.missed = [i for i in self.missed if self._unfinished(self.nav.steps[i])]
        index = next((i for i in self.missed if self.redo_tries.get(i, 0) < REDO_TRIES), None)
        if index is None:
            return False
        self.redo_tries[index] = self.redo_tries.get(index, 0) + 1
        self.missed.remove(index)
        self.resume_at = self.step_index
        self._begin_step(index, tic)
        return True

    # ----- the decision ---------------------------------------------------------------------------

    def act(self, env: DoomEnv) -> int:
        state = env.state
        assert state is not None
        v = env.variables
        x, y, angle = float(v[E.X]), float(v[E.Y]), float(v[E.ANGLE])
        tic = int(state.tic)
        if math.hypot(x - self.travel.prev[0], y - self.travel.prev[1]) > TELEPORT_JUMP * self.steering.frame_skip:
            # Teleported: the jump is no velocity to brake or hold the line against (E3M4: a thrust against it ran
            # the player off the destination's ledge into a pit, over and over), and no node was passed on the way.
            # A teleport the route did not take (a pit's teleporter back up) leaves its legs behind: route anew.
            self.travel.prev = (x, y)
            leg = self.travel.current_leg()
            if leg is None or leg.kind != "teleport":
                self.travel.forget_route()
        else:
            self.travel.crossed(*self.travel.prev, x, y)
        self.world.update(state)
        self.world.settle(self.returning_movers, tic)
        self.travel.sector = self.world.player_sector()
        self.travel.z = float(v[E.Z])
        self.travel.angle = angle
        self.history.append((tic, x, y))
        if not self.trail or math.hypot(x - self.trail[-1][0], y - self.trail[-1][1]) >= TRAIL_SPACING:
            self.trail.append((x, y))
        self.status.waypoint = self.status.mover = None
        self.hunting = False
        step = self.current_step
        self.supplies.hunting = self.deferred_hunt is not None or \
            (step is not None and (step.kind == "kill" or (step.kind == "exit" and step.how == "kill")))
        self.press_wish: Wish | None = None  # the use or shoot step's press, when `_perform` makes one this step
        wish = self._decide(env, state, x, y, angle, tic)
        self._count_press(step, wish, x, y, angle, tic)
        if tic - self.weapon_checked >= WEAPON_EVERY:
            self.weapon_checked = tic
            held, loads = self._arsenal(env)
            if not self.god:
                self.firepower = firepower(held, loads)
            wish.weapon = self._better_weapon(env, held, loads)
        hop = self._on_hop()  # a hop over a gap is run: less of it in the air
        if wish.run and not wish.leap and not hop and wish.move is not None and \
                self.world.ledge_ahead(x, y, self.travel.z, wish.move, LEDGE_RANGE):
            wish.run = False  # a running player's momentum carries it over the edge at a turn or a stop
        if wish.move is not None and not wish.leap and (self.detouring or self.status.state in ("fighting", "unsticking")):
            self._brake(x, y, wish)
        elif wish.move is not None and not wish.leap and (not hop or self._hop_ahead(x, y)) and self.status.state == "walking":
            self._hold_line(x, y, wish)
        if not wish.leap:
            self._shun_lines(x, y, wish)
        self.travel.prev = (x, y)
        self._publish_goal()
        if len(self.keys) != self._keys_published:  # keys are only ever added
            self._publish_keys()
        self.world.release()
        return self.steering.action(angle, wish)

    def _on_hop(self) -> bool:
        """Walking an edge the planner hops over a gap beside a moving floor (navigation `hops`)."""
        leg = self.travel.current_leg() if self.status.state == "walking" else None
        return leg is not None and leg.kind == "walk" and leg.index in self.nav.hops

    def _hop_ahead(self, x: float, y: float) -> bool:
        """On a hop's leg, still near its start: the glide is lined up with the hop before the gap (E3M4: turning onto
        a hop at a run, the glide along the ledge carried the player past its corner and into the pit)."""
        leg = self.travel.current_leg()
        assert leg is not None
        sx, sy = self.graph.xy[leg.source]
        return math.hypot(sx - x, sy - y) < HOP_LINE_UP

    def _decide(self, env: DoomEnv, state: vzd.GameState, x: float, y: float, angle: float, tic: int) -> Wish:
        if self.unstick > 0:
            self.unstick -= 1
            self.status.state = "unsticking"
            return Wish(move=self.unstick_direction, run=False, use=self.unstick % 2 == 0)
        self.status.state = "walking"
        wish = self._navigate(env, state, x, y, angle, tic)
        if wish.leap:
            return wish  # a leap under way is not interrupted: turning to shoot would spoil the straferun
        if self.blocker is not None:
            fought = self._fight_blocker(state, x, y, angle, tic)
            if fought is not None:
                return fought
        step = self.current_step
        pressing = self.status.state == "acting" and (wish.use or wish.attack) and step is not None and \
            (self.god or step.kind == "exit")  # at the switch: press it (an exit ends the level), fight after
        self.fight_target = None
        if not self.god:
            armed = float(env.variables[E.AMMO]) > 0  # with nothing loaded, walk on (for ammunition) rather than punch
            # Under a running crusher with a way on, walk on (E2M5: the route's own line sets one off over a room, and
            # lost souls fought there kept the player in it until the ceiling came down on it).
            crushed = wish.move is not None and self._under_crusher()
            fight = None if pressing or not armed or crushed else \
                self.combat.target(state, x, y, angle, float(env.variables[E.HITS]), tic, self.firepower,
                                   alert=tic - self.hurt_at < ALERT_TICS)
            if fight is not None:
                fought = self._fight(env, state, wish, fight, x, y, angle, tic)
                self._off_hazard(x, y, fought)
                return fought
        else:
            target = None if pressing else self.aim.target(state, env.variables)
            if target is not None:
                direction, distance = Aim.bearing(target, x, y)
                if distance < GOD_FIGHT_RANGE or self.hunting:
                    error = abs(angle_difference(direction, angle))
                    tolerance = math.degrees(math.atan2(18.0, max(distance, 1.0))) + self.steering.max_turn / self.steering.frame_skip
                    wish.face, wish.attack, wish.use = direction, error <= tolerance, False
                    if target.object_name in MELEE and distance < 128.0:
                        side = 90.0 if (tic // DODGE_TICS) % 2 else -90.0
                        wish.move = self._back_off(x, y, target.object_position_x, target.object_position_y, tic,
                                                   lambda: (direction + side) % 360.0)
                        wish.run = wish.move is not None
                    self.status.state = "fighting"
                    self.history.clear()  # standing to fight is not being stuck
                    return wish
        damage = float(env.variables[E.DAMAGE_TAKEN])
        if damage > self.damage_seen:
            self.damage_seen, self.hurt_at = damage, tic
        if not self.god and tic - self.hurt_at < TICS_PER_SECOND and self.status.state in ("walking", "waiting"):
            wish.face = (angle + 60.0) % 360.0  # hit by something out of view: look around for it
        if self.status.state == "replanning" and wish.move is None:
            self._off_hazard(x, y, wish)  # no way on from under a running crusher (E2M5's, set off by the route's own line)
        if self.status.state == "replanning" and wish.move is None:
            if self.idle_since < 0:
                self.idle_since = tic
            elif tic - self.idle_since > STUCK_TICS:  # no route takes it anywhere from here: shake loose
                self.idle_since = -1
                pinning = self._pinning(state, x, y)
                if pinning is not None:
                    self.blocker = (pinning.id, tic + BLOCKER_FIGHT_TICS)
                    return self._fight_blocker(state, x, y, angle, tic) or self._start_unstick(angle, tic)
                return self._start_unstick(angle, tic)
        else:
            self.idle_since = -1
        if wish.move is not None and self.status.state in ("walking", "replanning"):
            self._avoid(state, angle, x, y, tic, wish)
            if self._stuck() or self.travel.no_progress_tics(x, y, tic) > NO_PROGRESS_TICS:
                blocker = self._blocker(state, x, y, wish.move, reachable=lambda tx, ty: self.world.segment_clear(x, y, tx, ty),
                                        feet=self.travel.z) \
                    or self._pinning(state, x, y)
                if blocker is not None and self._may_fight(blocker, x, y):
                    # A monster body-blocks the way (given up on, or never on screen: a spectre's fuzz has no
                    # label): shoot it where the objects info says it is, rather than back off and give the step
                    # up (with god mode nothing else makes it move).
                    self.blocker_fights[blocker.id] = self.blocker_fights.get(blocker.id, 0) + 1
                    self.blocker = (blocker.id, tic + BLOCKER_FIGHT_TICS)
                    self.travel.progress = (None, math.inf, tic)
                    return self._fight_blocker(state, x, y, angle, tic) or wish
                return self._start_unstick(angle, tic)
        elif self.status.state not in ("walking", "replanning"):
            self.history.clear()  # waiting, pressing, fighting: standing still is not being stuck
            self.travel.progress = (None, math.inf, tic)
            if self.status.state == "waiting":
                fought = self._fight_mover_blocker(state, x, y, angle, tic)
                if fought is not None:
                    return fought
                self._off_hazard(x, y, wish)
        return wish

    def _fight_mover_blocker(self, state: vzd.GameState, x: float, y: float, angle: float, tic: int) -> Wish | None:
        """Waiting on a mover for STALLED_MOVER_TICS: a live monster within BLOCKER_RANGE in sight is shot where
        the objects info puts it. A lift rising under a monster that its new floor would push into a low ceiling
        goes back down, again and again (MAP05: an imp at the edge of lift 96 kept it down for nine minutes while
        the player stood on it, facing away; the lift stirred every 4 s, so "not moving" does not tell it)."""
        mover, travel = self.status.mover, self.travel
        if mover is None or travel.wait_since < 0 or tic - travel.wait_since < STALLED_MOVER_TICS:
            return None
        blocker = self._blocker(state, x, y, None, reachable=lambda tx, ty: self.world.sight_clear(x, y, tx, ty))
        if blocker is None or self.blocker_fights.get(blocker.id, 0) >= BLOCKER_FIGHTS:
            return None
        self.blocker_fights[blocker.id] = self.blocker_fights.get(blocker.id, 0) + 1
        self.blocker = (blocker.id, tic + BLOCKER_FIGHT_TICS)
        return self._fight_blocker(state, x, y, angle, tic)

    def _fight(self, env: DoomEnv, state: vzd.GameState, wish: Wish, fight: tuple[vzd.Object, float, bool],
               x: float, y: float, angle: float, tic: int) -> Wish:
        """Without god mode: fight the monster Combat chose (combat.py). Face it exactly and fire when it
        is on screen and within a few degrees (never a rocket point blank); move meanwhile: sidestep a
        projectile, back away from a melee monster, head for health (or back off) when badly hurt, back off
        when outnumbered, else strafe to and fro. The route's wish is kept only for its move toward health, and for its walk on
        across a damaging floor."""
        target, distance, visible = fight
        self.fight_target = (target.name, distance)
        v = env.variables
        health, weapon = float(v[E.HEALTH]), int(v[E.WEAPON])
        direction = bearing(x, y, target.position_x, target.position_y)
        error = abs(angle_difference(direction, angle))
        # Aimed already (the shot leaves at the step's first tic, before the turn): within the monster's
        # width, plus a little for its moving; and on screen (firing at monsters in straight sight on the
        # map but not on screen, for autoaim to find above or below, spent 165 bullets for 20 kills on
        # E1M4 where on-screen only spent 6 and 43 shells for 25).
        tolerance = math.degrees(math.atan2(16.0, max(distance, 1.0))) + 1.5
        attack = error <= tolerance and visible
        if weapon == 5 and attack:  # the rocket launcher: not at a monster too close, nor into a wall
            ahead = Steering.free_ahead(state.depth_buffer)[0] if state.depth_buffer is not None else 1e9
            if distance < ROCKET_SAFE or ahead < ROCKET_CLEAR_AHEAD:
                attack = False
                better = self._better_weapon(env, *self._arsenal(env))
                if better is not None:
                    return Wish(weapon=better)
        if attack and weapon in TAP_FIRE and distance > TAP_FIRE[weapon][0]:
            # The pistol's and the chaingun's first shots are exact, held fire spreads: tap at range.
            if tic - self.last_shot < TAP_FIRE[weapon][1]:
                attack = False
            else:
                self.last_shot = tic
        barrels = self.combat.barrels()
        close = self.combat.too_close(target, distance)
        if attack and barrels and self.combat.barrel_in_the_line(barrels, x, y, direction, distance):
            attack = False  # its blast would reach the player
        route_on_hazard = wish.move is not None and self.status.state == "walking" and close is None and self._on_damaging_floor()
        healing = self.detouring and self.supplies.target_name in HEALTH_ITEMS and wish.move is not None
        fought = Wish(face=direction, attack=attack, use=False, run=True)
        riding = self.status.mover is not None and self.travel.sector == self.status.mover
        dodge = None if riding else self.combat.incoming(x, y)
        barrel = min(barrels, key=lambda b: math.hypot(b[0] - x, b[1] - y)) if barrels else None
        if riding:
            pass  # on the lift the route waits on: shoot from it, never step off (E1M7: strafing at two shotgun guys
            # seen from a rising lift stepped off it, again and again, for 457 s on one step)
        elif dodge is not None:
            fought.move = dodge
        elif route_on_hazard:
            # Standing on a damaging floor with the route walking on: fight on the move, never stand in it
            # (E1M3: 100 health to none in 8 s in nukage, 4 of them "fighting" an imp that was off screen).
            fought.move = wish.move
        elif barrel is not None and math.hypot(barrel[0] - x, barrel[1] - y) < BARREL_AWAY:
            fought.move = (bearing(x, y, *barrel) + 180.0) % 360.0  # away from the barrel: a stray shot blows it up
        elif health < LOW_HEALTH and healing and close is None:
            # To the health it is after, facing the monster; not with a demon at its heels (E3M1: walked
            # on toward a medikit 1200 units off at 18 health with a demon biting at 60 units).
            fought.move = wish.move
        elif close is not None or health < LOW_HEALTH or self.combat.outnumbered(health):
            fx, fy = (close.position_x, close.position_y) if close is not None else (target.position_x, target.position_y)
            fought.move = self._back_off(x, y, fx, fy, tic, lambda: self.combat.strafe(direction, x, y, tic))
        else:
            fought.move = self.combat.strafe(direction, x, y, tic)
        self.status.state = "fighting"
        self.history.clear()  # standing to fight is not being stuck
        return fought

    def _brake(self, x: float, y: float, wish: Wish) -> None:
        """Off the route, where the player's speed would glide it over a ledge: thrust the other way. A route
        leg may drop off a ledge on purpose; a detour or a fight never does, yet a run to an item by a pit's
        lip glided 180 units on past it and into the pit (MAP32: nukage the graph has no way out of)."""
        px, py = self.travel.prev
        speed = math.hypot(*self.travel.velocity(x, y))
        if speed < BRAKE_SPEED:
            return
        heading = bearing(px, py, x, y)
        if self.world.ledge_ahead(x, y, self.travel.z, heading, speed * BRAKE_GLIDE, close=0.0):
            wish.move, wish.run = (heading + 180.0) % 360.0, True

    def _shun_lines(self, x: float, y: float, wish: Wish) -> None:
        """A glide that would carry the player over a guarded line (one that breaks a later walk) or a teleporter
        within BRAKE_GLIDE tics is braked, whatever the player is doing, unless the route or the step means to cross it
        (E4M7: arriving at a switch's spot at walking speed, the glide went on 90 units along the alcove wall and onto
        the W1 line beside it, which raised a floor into the way to the red door; MAP19: a turn 16 units from a
        teleporter pad's edge, overshot, took the player across the map, four times)."""
        shunned = self.travel.shunned
        if self._shunned[0] is not shunned:  # the lines' boxes, again only when the guarded lines change
            self._shunned = (shunned, [(line, *self.world.line_box(line)) for line in shunned])
        if not self._shunned[1]:
            return
        px, py = self.travel.prev
        vx, vy = self.travel.velocity(x, y)
        speed = math.hypot(vx, vy)
        if speed < 0.5:
            return
        lead = BRAKE_GLIDE * speed + GUARD_MARGIN
        ex, ey = x + vx / speed * lead, y + vy / speed * lead
        left, right, bottom, top = min(x, ex), max(x, ex), min(y, ey), max(y, ey)
        near = {line for line, minx, miny, maxx, maxy in self._shunned[1] if maxx >= left and minx <= right and maxy >= bottom and miny <= top}
        ahead = near.intersection(self.world.crossed_lines(x, y, ex, ey)) if near else None
        if not ahead:
            return
        step = self.current_step
        if step is not None and step.line is not None:  # the step's own line (a walk-over step, a teleport step)
            ahead -= self.travel.pad_lines.get(step.line, frozenset({step.line}))
        if not ahead or ahead.intersection(self.travel.route_lines()):
            return
        wish.move, wish.run = bearing(x, y, px, py), True

    def _hold_line(self, x: float, y: float, wish: Wish) -> None:
        """On the route near a ledge: thrust toward the velocity the walk wants less the one the player has, so a
        glide from the last leg is taken out instead of carried on (E3M3: leaving a lift onto a 32-wide bridge, a
        turn of 55 degrees at walking speed glided the player 40 units sideways and off it, over and over)."""
        assert wish.move is not None
        vx, vy = self.travel.velocity(x, y)
        # Where the glide goes, as far as it carries, and down the stairs it runs: a run down a stair that turns at a
        # pit's edge at its foot glided into it (E4M7), the pit neither within 48 units nor ahead of the wish, and
        # lower than the player until the last step.
        glide = max(64.0, math.hypot(vx, vy) * BRAKE_GLIDE)
        if not self.world.ledge_ahead(x, y, self.travel.z, math.degrees(math.atan2(vy, vx)) % 360.0, glide, close=0.0,
                                      below=STAIRS_AHEAD):
            return  # the glide heads for no edge: nothing to take out (E2M5: thrust against a strafe away from a pit, into it)
        speed = RUN_SPEED if wish.run else WALK_SPEED
        want = math.radians(wish.move)
        ex, ey = speed * math.cos(want) - vx, speed * math.sin(want) - vy
        if math.hypot(ex, ey) > 1.0:  # at the wanted velocity already: keep the way
            wish.move = math.degrees(math.atan2(ey, ex)) % 360.0

    def _back_off(self, x: float, y: float, fx: float, fy: float, tic: int, sideways: Callable[[], float]) -> float | None:
        """The way to back off from a foe at (fx, fy) while shooting: back along the trail (walked, so clear of
        walls and drops), else straight away, or `sideways` when pinned against a wall; None (stand) when that
        way runs over a ledge. A straight back-off from a demon once ran 780 units in 4 s, off a ledge into a
        pit of slime the graph has no way out of (MAP32, god mode)."""
        back = self._retreat(x, y, fx, fy, tic)
        if back is not None and not self.god and self._pinned(x, y, tic) and self._retreat_cache is not None:
            # Going nowhere on the way to that spot (a monster or a decoration in the way): another one (MAP29: pressed
            # 2 s against something on the way to a crumb 500 units off, a demon biting, 90 health to none).
            _, spot = self._retreat_cache
            if spot is not None:
                self.unreachable_spots = {s: until for s, until in self.unreachable_spots.items() if until >= tic}  # expired: gone
                self.unreachable_spots[spot] = tic + SPOT_AWAY_TICS
            self._retreat_cache = None
            back = self._retreat(x, y, fx, fy, tic)
        if back is not None:
            return back
        move = sideways() if self._pinned(x, y, tic) else (bearing(x, y, fx, fy) + 180.0) % 360.0
        return None if self.world.ledge_ahead(x, y, self.travel.z, move, BACK_OFF_LOOK, close=0.0) else move

    def _retreat(self, x: float, y: float, fx: float, fy: float, tic: int) -> float | None:
        """The direction to a spot at least RETREAT_MIN away, farther from the foe at (fx, fy) than the player is, in
        straight sight. With god mode the latest such crumb of the trail (where the player walked lately). Without it,
        of the trail's crumbs and the graph's nearest nodes whose way does not pass the foe, the one farthest from it: a
        trail that circles a room gave crumbs 100 units off, on every side of the foe in turn (MAP32: a demon met at the
        start, kept at 50-100 units and biting while the pistol fired, 100 health to none), and the farthest spot alone
        lay behind the demon (E1M2: pressed against it for 3 s)."""
        if self._retreat_cache is not None and tic - self._retreat_cache[0] < 6:
            spot = self._retreat_cache[1]
            return None if spot is None else bearing(x, y, *spot)
        foe = math.hypot(fx - x, fy - y)

        def away(tx: float, ty: float) -> bool:
            return math.hypot(tx - x, ty - y) >= RETREAT_MIN and math.hypot(tx - fx, ty - fy) > foe + 32.0

        def clear(spot: tuple[float, float]) -> bool:
            return self.world.segment_clear(x, y, spot[0], spot[1], clearance=12.0, max_drop=24.0)

        if self.god:
            spot = next((crumb for crumb in reversed(self.trail) if away(*crumb) and clear(crumb)), None)
        else:
            def opening(tx: float, ty: float) -> bool:  # the way there never comes closer to the foe (not past it)
                return away(tx, ty) and (tx - x) * (fx - x) + (ty - y) * (fy - y) <= 0.0 and \
                    self.unreachable_spots.get((tx, ty), -1) < tic

            xy, hazard = self.graph.xy, self.graph.hazard_nodes
            spots = [crumb for crumb in self.trail if opening(*crumb)]
            spots += [(float(xy[n][0]), float(xy[n][1])) for n in self.graph.nearest(x, y, RETREAT_NODES)
                      if not hazard[n] and opening(float(xy[n][0]), float(xy[n][1]))]
            spots.sort(key=lambda spot: -math.hypot(spot[0] - fx, spot[1] - fy))
            spot = next((spot for spot in spots if clear(spot) and not self.world.thing_in_the_way(x, y, *spot)), None)
        self._retreat_cache = (tic, spot)
        return None if spot is None else bearing(x, y, *spot)

    def _on_damaging_floor(self) -> bool:
        """Whether the player stands on a floor that hurts (nukage, slime)."""
        sector = self.travel.sector
        return sector is not None and sector < len(self.damaging) and bool(self.damaging[sector])

    def _off_hazard(self, x: float, y: float, wish: Wish) -> None:
        """Standing on a damaging floor (nukage) while waiting or fighting, or under a crusher while
        waiting (E2M3: 56 health in a second, waiting there for the crusher to come back up) or while it runs
        (`_under_crusher`): move to the nearest graph node on safe ground in straight sight."""
        sector = self.travel.sector
        if self.god or sector is None:
            return
        crushed = (self.status.state == "waiting" and sector in self.crushers) or self._under_crusher()
        if not crushed and not self._on_damaging_floor():
            return
        if not crushed and self.status.state == "waiting" and self.status.mover == sector:
            return  # waiting on a lift (on its floor)
        nodes = self.nav.nodes
        for node in self.graph.nearest(x, y, 48):
            if not self.graph.hazard_nodes[node] and int(nodes[node, 2]) not in self.crushers:
                nx, ny = self.graph.xy[node]
                if self.world.segment_clear(x, y, nx, ny, max_drop=24.0):
                    wish.move, wish.run = bearing(x, y, nx, ny), True
                    return

    def _under_crusher(self) -> bool:
        """Whether the player stands under a crusher on its way down or up (its ceiling under where the episode found
        it; E2M5: 100 health to none in a second, pinned under one)."""
        sector, rest = self.travel.sector, self.world.rest
        return sector is not None and sector in self.crushers and rest is not None and \
            self.world.sector(sector)[1] < rest.ceiling[sector] - CRUSHER_MOVING

    def _navigate(self, env: DoomEnv, state: vzd.GameState, x: float, y: float, angle: float, tic: int) -> Wish:
        step = self.current_step
        if step is None:
            return self._explore(env, x, y, tic)
        if step.kind == "teleport" and self.travel.near(step.to, x, y, 64.0):
            self._next_step(tic)
            return self._navigate(env, state, x, y, angle, tic)
        if step.kind == "pickup" and self._picked_up(step, state, x, y):
            self._next_step(tic)
            return self._navigate(env, state, x, y, angle, tic)
        if step.kind == "cross" and step.expect and self._expects_hold(step):
            self._next_step(tic)  # crossed on the way (or fallen over it): what it does is done
            return self._navigate(env, state, x, y, angle, tic)
        wanted = self.supplies.wanted(state, env.variables, x, y, tic)
        while self.supplies.keys_taken:
            self.keys.add(self.supplies.keys_taken.pop())
        if tic - self._keys_looked >= 8:
            self._look_for_keys(state, tic)
        if wanted is not None:
            spot, via = wanted
            self.detouring = True
            self.hunt_progress = tic  # arming for a hunt is not hunting in vain
            if via is not None:
                wish = self.travel.travel(via, x, y, tic, slow_at_end=False)
                if self.travel.unreachable(via, tic):
                    self.supplies.give_up()  # no route there
                if wish is not None:
                    return wish
            return self.travel.walk_to(spot, x, y)
        if self.detouring:
            self.travel.rejoin(x, y)
            self.detouring = False
        if self.deferred_hunt is None and self._redo(tic):
            return Wish()
        deferred = self._deferred_hunt(tic)
        if deferred is not None:
            return self._hunt(env, deferred, x, y, angle, tic, deferred=True)
        self._free: tuple[int, tuple[float, float, float]] | None = None
        destination = step.to if step.kind == "cross" and self.presses > 0 and step.to is not None else step.node
        wish = self.travel.travel(destination, x, y, tic)
        if wish is not None:
            return wish
        return self._perform(env, step, x, y, angle, tic)

    def _count_press(self, step: Step | None, wish: Wish, x: float, y: float, angle: float, tic: int) -> None:
        """The wish that goes to the engine this step presses the use or shoot step's line when it is the step's own
        press and holds USE (or fire, facing the line). Only such a press starts the step's PRESS_TIMEOUT: a fight or a
        dodge may take every wished press over in `_decide` (MAP04 step 2 gave up on line 883 after 5 s of fighting,
        not one USE sent)."""
        if wish is not self.press_wish or step is None or not (wish.use if step.kind == "use" else wish.attack):
            return  # not the step's press (an unsticking's USE, a fight's fire), or the press taken over in `_decide`
        if step.kind == "shoot" and wish.face is not None and abs(angle_difference(angle, wish.face)) > PRESS_AIM:
            return  # (a use step's USE is sent only once its ray reaches the line: `Traveller.press`)
        self.first_press = tic if self.first_press < 0 else self.first_press
        self.last_press = tic
        if step.kind == "use":
            self.press_pose = (x, y, angle)

    # ----- doing a step, at its node -----------------------------------------------------------

    def _expects_hold(self, step: Step) -> bool:
        return all(e.holds(*self.world.sector(e.sector)) for e in step.expect)

    def _perform(self, env: DoomEnv, step: Step, x: float, y: float, angle: float, tic: int) -> Wish:
        kind, travel = step.kind, self.travel
        if kind == "walk" or (kind == "cross" and self.presses > 0 and (not step.expect or self._expects_hold(step))):
            self._next_step(tic)
            return Wish()
        if kind == "cross":
            if self.presses == 0:
                self.presses = 1  # at the node: now walk to `to`, across the line
                return Wish()
            # At `to`, and what the line does is not seen. `to` may lie within reach of the node on the same
            # side of the line (E3M6 step 0: 18 units from where the player stood, across line 155 from it),
            # so the line itself is crossed; once across, it waits for the expected heights while they move,
            # and 5 s at most once nothing moves.
            if self.first_press < 0:
                self.first_press = tic
            if any(travel.moving(e.sector, tic) for e in step.expect):
                self.last_motion = tic
            if tic - max(self.first_press, self.last_motion) > PRESS_TIMEOUT or tic - self.first_press > CROSS_WAIT:
                self._next_step(tic)
                self.status.state = "replanning"
                return Wish()
            line = step.line if step.line is not None else -1
            if travel.valid_line(line) and self.world.front_side(line, x, y) == \
                    self.world.front_side(line, *travel.graph.xy[step.node]):
                return travel.cross_line(line, x, y)
            self.status.state = "waiting"
            return Wish()
        if kind == "pickup":
            spot = self._thing_spot(step)
            if self.first_press < 0:
                self.first_press = tic  # at the node: the walk onto the item is timed from here, not the way there
            if travel.arrived(spot, x, y, 16.0) or tic - self.first_press > PRESS_TIMEOUT:
                self._next_step(tic)
                return Wish()
            return travel.walk_to(spot, x, y, slow=True)
        if kind == "teleport":
            return travel.cross_line(step.line if step.line is not None else -1, x, y)
        if kind == "kill" or (kind == "exit" and step.how == "kill"):
            return self._hunt(env, step, x, y, angle, tic)
        line = step.line if step.line is not None else -1
        if kind == "exit":
            env.precise_tics = True  # the exit's tic is reported exactly (see DoomEnv.step)
            if step.how == "cross":
                return travel.cross_line(line, x, y)
            self.presses += 1
            return travel.press(line, x, y, tic, shoot=step.how == "shoot", press=self.presses % 2 == 1)
        # use / shoot: press until the expected heights show, pressing again only when nothing moves
        # (USE on a moving door reverses it).
        if step.expect and self._expects_hold(step):
            self._next_step(tic)
            return Wish()
        moving = any(travel.moving(e.sector, tic) for e in step.expect)
        if moving:
            self.last_motion = tic
        if self.first_press >= 0 and tic - max(self.first_press, self.last_motion) > PRESS_TIMEOUT:
            if kind == "use" and self.last_motion < self.first_press and self.press_pose is not None and step.line is not None:
                px, py, pa = self.press_pose
                self.unanswered_presses.append({"line": int(step.line), "tic": self.first_press, "x": round(px, 3),
                                                "y": round(py, 3), "angle": round(pa, 2), "keys": sorted(self.keys)})
            self._next_step(tic)  # no effect seen for 5 s: go on, the next step's route will tell
            self.status.state = "replanning"
            return Wish()
        if self.first_press >= 0 and (moving or tic - self.last_press < TICS_PER_SECOND):
            if not step.expect and tic - self.first_press > TICS_PER_SECOND:
                self._next_step(tic)
            self.status.state = "waiting"
            return Wish(face=bearing(x, y, *travel.line_point(line, x, y)) if travel.valid_line(line) else None)
        if self.first_press < 0 and self.first_wish >= 0 and tic - self.first_wish > 3 * PRESS_TIMEOUT:
            self._next_step(tic)  # no press sent in 15 s at the step's node: the next step's route will tell
            self.status.state = "replanning"
            return Wish()
        if self.first_wish < 0:
            self.first_wish = tic
        self.press_wish = travel.press(line, x, y, tic, shoot=kind == "shoot", press=True)
        return self.press_wish

    def _deferred_hunt(self, tic: int) -> Step | None:
        """A kill step given up earlier (its monsters out of reach then), to try again now that the way
        on is lost (no route for DEFERRED_AFTER): killing them may be what opens it."""
        self.deferred = [d for d in self.deferred if not (d.expect and self._expects_hold(d))]
        if self.deferred_hunt is not None:
            if self.deferred_hunt in self.deferred:
                return self.deferred_hunt
            self.deferred_hunt = None
            self.travel.forget_route()
        lost = self.travel.lost_since
        if self.deferred and tic >= self.deferred_cooldown and lost >= 0 and tic - lost > DEFERRED_AFTER:
            self.deferred_hunt = self.deferred[0]
            self.hunt_progress = tic
            self.prey_id = None
            self.travel.forget_route()
            return self.deferred_hunt
        return None

    def _hunt(self, env: DoomEnv, step: Step, x: float, y: float, angle: float, tic: int, deferred: bool = False) -> Wish:
        """A kill step: hunt the monsters of the step's kind (the class of its `thing`, all of them: a boss
        action waits for the last one) until the expected heights show (or, for an exit, the level ends).
        It fights whatever is in view (god mode or not); else it goes for the nearest live one of the
        kind (the objects info knows where every monster is): facing it when in sight, walking the graph
        to the node nearest it otherwise. It gives up after HUNT_TIMEOUT without a kill."""
        env.precise_tics = step.kind == "exit"
        state = env.state
        assert state is not None
        kills = int(env.variables[E.KILLS])
        if kills != self.hunt_kills:
            self.hunt_kills, self.hunt_progress = kills, tic
        done = bool(step.expect) and self._expects_hold(step)
        timed_out = tic - max(self.step_started, self.hunt_progress) > HUNT_TIMEOUT
        if deferred and (done or timed_out):
            if timed_out:
                self.deferred_cooldown = tic + HUNT_TIMEOUT  # not again for a while
            self.deferred_hunt = None
            self.travel.forget_route()
            return Wish()
        if step.kind == "kill" and (done or timed_out):
            self._next_step(tic)
            return Wish()
        self.hunting = True
        self.history.clear()
        look = (angle + 30.0) % 360.0
        prey = self._prey(step, state, x, y, tic)
        if prey is None and deferred:  # none within reach: back to the plan for a while
            self.deferred_cooldown = tic + HUNT_TIMEOUT
            self.deferred_hunt = None
            self.travel.forget_route()
            return Wish()
        if prey is None and step.kind == "kill" and self._prey_alive(step, state) and \
                tic - max(self.step_started, self.hunt_progress) > OUT_OF_REACH_TIMEOUT:
            self._next_step(tic)  # alive but out of reach: the rest of the plan first (it is deferred)
            return Wish()
        if prey is None:  # none left alive or within reach (or the kind is unknown): wait for the expected heights
            self.status.state = "fighting"
            if step.target is None or math.hypot(step.target[0] - x, step.target[1] - y) < 256.0:
                return Wish(face=look)
            target_node = self.graph.nearest(*step.target, 1)[0]
            return self.travel.travel(target_node, x, y, tic, slow_at_end=False) or Wish(face=look)
        px, py = prey.position_x, prey.position_y
        distance = math.hypot(px - x, py - y)
        if self.world.sight_clear(x, y, px, py):
            self.status.state = "fighting"
            toward = bearing(x, y, px, py)
            if distance < HUNT_CLOSE:
                return Wish(face=toward)
            wish = self.travel.travel(self._prey_node(prey, tic), x, y, tic, slow_at_end=False)
            if wish is None or wish.move is None:
                return Wish(face=toward)
            wish.face = toward  # walk on, facing it (the walk is relative to the facing)
            return wish
        node = self._prey_node(prey, tic)
        wish = self.travel.travel(node, x, y, tic, slow_at_end=False)
        if wish is None or self.travel.unreachable(node, tic):
            self.prey_nodes_tried.add(node)  # there and nothing in sight, or no way there: another node
            self.prey_node = None
            if len(self.prey_nodes_tried) >= PREY_TRIES:  # out of reach for now: another one, or wait
                self.prey_out_of_reach[prey.id] = tic + PREY_AWAY
                self.prey_id = None
            return Wish(face=look)
        return wish

    def _prey(self, step: Step, state: vzd.GameState, x: float, y: float, tic: int) -> vzd.Object | None:
        """The live monster of the step's kind to go for: the one chosen, while it lives, else the nearest."""
        things = self.world.map.things
        kind = MONSTER_TYPES.get(int(things[step.thing, 3])) if step.thing is not None and step.thing < len(things) else None
        if kind is None:
            return None
        alive = [o for o in state.objects if o.name == kind and o.category == "Monster"
                 and self.prey_out_of_reach.get(o.id, 0) <= tic]
        if not alive:
            return None
        chosen = next((o for o in alive if o.id == self.prey_id), None)
        if chosen is None:
            chosen = min(alive, key=lambda o: math.hypot(o.position_x - x, o.position_y - y))
            self.prey_id, self.prey_node, self.prey_nodes_tried = chosen.id, None, set()
        return chosen

    def _prey_alive(self, step: Step, state: vzd.GameState) -> bool:
        things = self.world.map.things
        kind = MONSTER_TYPES.get(int(things[step.thing, 3])) if step.thing is not None and step.thing < len(things) else None
        return kind is not None and any(o.name == kind and o.category == "Monster" for o in state.objects)

    def _prey_node(self, prey: vzd.Object, tic: int) -> int:
        """The graph node to walk to for the prey: the nearest to it that sees it (a boss may stand where
        no one walks), not tried in vain yet; chosen again every second (it moves)."""
        px, py = prey.position_x, prey.position_y
        if self.prey_node is None or tic - self.prey_node_at > TICS_PER_SECOND:
            chosen = None
            for node in self.graph.nearest(px, py, VANTAGE_NODES):
                nx, ny = self.graph.xy[node]
                if math.hypot(nx - px, ny - py) > VANTAGE_REACH:
                    break
                if node not in self.prey_nodes_tried and self.world.sight_clear(nx, ny, px, py):
                    chosen = node
                    break
            if chosen is None:
                self.prey_nodes_tried.clear()
                chosen = self.graph.nearest(px, py, 1)[0]
            self.prey_node, self.prey_node_at = chosen, tic
        return self.prey_node

    def _look_for_keys(self, state: vzd.GameState, tic: int) -> None:
        """A key that is gone from the objects info was picked up (keys do not go anywhere else), on the
        way or on purpose: it counts as held for locked openers."""
        self._keys_looked = tic
        if self._key_objects is None:
            objects = state.objects
            keys = [(i, objects[i]) for i, name in enumerate(self.world.object_names()) if name in KEY_CLASSES]
            self._key_objects = {o.id: o.name for _, o in keys}
            self._key_places = {o.id: i for i, o in keys}
        # Only a key whose class is not held yet can tell something; found by id where it was last.
        for object_id, name in self._key_objects.items():
            if KEY_CLASSES[name] in self.keys:
                continue
            place = self.world.find(object_id, self._key_places[object_id], name)
            if place < 0:
                self.keys.add(KEY_CLASSES[name])
            else:
                self._key_places[object_id] = place

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

    # ----- obstacles, being stuck, supplies, no plan --------------------------------------------

    def _avoid(self, state: vzd.GameState, angle: float, x: float, y: float, tic: int, wish: Wish) -> None:
        """Sidestep an obstacle the depth buffer shows straight ahead, closer than the waypoint."""
        if wish.move is None or state.depth_buffer is None or abs(angle_difference(wish.move, angle)) > 20.0:
            return
        if self._free is None or tic - self._free[0] >= 2 * self.steering.frame_skip:
            self._free = (tic, Steering.free_ahead(state.depth_buffer))  # every other step is enough
        ahead, left, right = self._free[1]
        waypoint = self.status.waypoint
        distance = 1e9 if waypoint is None else math.hypot(self.graph.xy[waypoint, 0] - x, self.graph.xy[waypoint, 1] - y)
        if ahead < min(40.0, distance - 16.0):
            # The more open side, unless it runs over a ledge (E2M5: a pit beside the way looks the more open, and
            # the sidestep dropped the player into it, with no way out).
            sides = [(wish.move + turn) % 360.0 for turn in ((60.0, -60.0) if left > right else (-60.0, 60.0))]
            side = next((way for way in sides if not self.world.ledge_ahead(x, y, self.travel.z, way, 64.0, close=0.0)), None)
            if side is not None:
                wish.move, wish.run = side, False

    def _pinned(self, x: float, y: float, tic: int) -> bool:
        """While backing off: moved less than 8 units over the last 12 tics (a wall behind)."""
        since, px, py = self.backing
        if tic - since >= 12:
            self.backing = (tic, x, y)
            self.pinned = math.hypot(x - px, y - py) < 8.0 and tic - since < 24
        return self.pinned

    def _stuck(self) -> bool:
        """Moved less than STUCK_DISTANCE over the last STUCK_TICS of walking."""
        if len(self.history) < 2:
            return False
        last_tic, lx, ly = self.history[-1]
        if last_tic - self.history[0][0] < STUCK_TICS:
            return False
        for old_tic, ox, oy in reversed(self.history):
            if math.hypot(lx - ox, ly - oy) > STUCK_DISTANCE:
                return False
            if last_tic - old_tic >= STUCK_TICS:
                return True
        return False

    @staticmethod
    def _blocker(state: vzd.GameState, x: float, y: float, heading: float | None,
                 reachable: Callable[[float, float], bool] = lambda tx, ty: True, feet: float | None = None) -> vzd.Object | None:
        """The nearest live monster within BLOCKER_RANGE and BLOCKER_ANGLE of the way the player walks (any way
        when `heading` is None), that a walk could reach (`reachable`: no wall, no ledge or shut door between;
        one behind bars blocks nothing), and with `feet` (the player's height) not more than a step below them: one
        the player stands on top of is beyond its aim (E4M7: an imp in a lift shaft, the player on its head, shot at
        for 180 s while the bullets hit the shaft's wall)."""
        best: tuple[float, vzd.Object] | None = None
        for o in state.objects:
            if o.category != "Monster" or (feet is not None and o.position_z < feet - STEP_UP):
                continue
            distance = math.hypot(o.position_x - x, o.position_y - y)
            if not 0.0 < distance <= BLOCKER_RANGE:
                continue
            if heading is not None and abs(angle_difference(bearing(x, y, o.position_x, o.position_y), heading)) > BLOCKER_ANGLE:
                continue
            if not reachable(o.position_x, o.position_y):
                continue
            if best is None or distance < best[0]:
                best = (distance, o)
        return best[1] if best else None

    def _pinning(self, state: vzd.GameState, x: float, y: float) -> vzd.Object | None:
        """A live monster within CONTACT_RANGE on any side, with nothing between: it may pin the player in a corner
        whichever way the route heads (E4M6 with god mode: a baron held the player in a wedge between two walls by
        a lift for the last 460 s, south of it while every route led north or east)."""
        near = self._blocker(state, x, y, None, reachable=lambda tx, ty: self.world.segment_clear(x, y, tx, ty),
                             feet=self.travel.z)
        return near if near is not None and math.hypot(near.position_x - x, near.position_y - y) <= CONTACT_RANGE else None

    def _may_fight(self, blocker: vzd.Object, x: float, y: float) -> bool:
        """A blocking monster is fought BLOCKER_FIGHTS times, and always while it pins the player (CONTACT_RANGE):
        backing off from it goes nowhere (E4M6: a baron of 1,000 health outlasted four fights of 5 s)."""
        if math.hypot(blocker.position_x - x, blocker.position_y - y) <= CONTACT_RANGE:
            return True
        return self.blocker_fights.get(blocker.id, 0) < BLOCKER_FIGHTS

    def _fight_blocker(self, state: vzd.GameState, x: float, y: float, angle: float, tic: int) -> Wish | None:
        """Face the blocking monster and fire once facing it, while it lives, stays close and the fight's time
        lasts; None (and the fight ends) otherwise."""
        assert self.blocker is not None
        object_id, until = self.blocker
        target = next((o for o in state.objects if o.id == object_id and o.category == "Monster"), None)
        if target is None or tic > until or math.hypot(target.position_x - x, target.position_y - y) > 2 * BLOCKER_RANGE:
            self.blocker = None
            return None
        direction = bearing(x, y, target.position_x, target.position_y)
        self.status.state = "fighting"
        self.history.clear()  # standing to fight is not being stuck
        return Wish(face=direction, attack=abs(angle_difference(direction, angle)) <= 8.0)

    def _start_unstick(self, angle: float, tic: int) -> Wish:
        """Back off for a few steps; the leg it was on gets a penalty and the route is planned again."""
        self.stucks += 1
        self.history.clear()
        # Coming closer to the waypoint is timed afresh: backing off moves away from it, and with the same
        # waypoint after the back-off the old time ran on, so every step started another back-off (MAP29:
        # the last 700 tics of the exit step backing off over and over, into a teleporter and beyond).
        self.travel.progress = (None, math.inf, tic)
        self.unstick = 6
        self.unstick_direction = (angle + 180.0 + float(self.rng.uniform(-60.0, 60.0))) % 360.0
        leg = self.travel.current_leg()
        if leg is not None:
            self.travel.penalise(leg, tic)
        self.travel.forget_route()
        step = self.current_step
        if self.stucks >= GIVE_UP_STUCKS and step is not None and step.kind != "exit":
            self._next_step(tic)  # try the rest of the plan
        self.status.state = "unsticking"
        return Wish(move=self.unstick_direction, run=False, use=True)

    def _explore(self, env: DoomEnv, x: float, y: float, tic: int) -> Wish:
        """No plan (or the plan is done): try the map's exit lines (exits.py), then visit the graph's
        nodes, nearest unvisited first."""
        target = self.exits.target
        if target is not None:
            self.explore_goal, self.explore_line = target[2], target[0]
            env.precise_tics = True
            wish = self.exits.wish(x, y, tic)
            if wish is not None:
                return wish
        self.explore_line = None
        for node in self.graph.nearest(x, y, 16):
            if self.travel.near(node, x, y, 64.0):
                self.visited.add(node)
        if self.explore_goal is None or self.explore_goal in self.visited:
            distances = np.hypot(self.graph.xy[:, 0] - x, self.graph.xy[:, 1] - y)
            if self.visited:
                distances[np.fromiter(self.visited, dtype=np.int64, count=len(self.visited))] = np.inf
            # A stride ahead: the graph's nodes lie a few dozen units apart, and a route search for every
            # one of them took most of the time (the nodes passed on the way are visited all the same).
            far = np.where(distances >= EXPLORE_STRIDE, distances, np.inf)
            if not np.isfinite(far).any():
                far = distances
            count = min(EXPLORE_CANDIDATES, len(far))
            nearest = np.argpartition(far, count - 1)[:count]
            order = [int(i) for i in nearest[np.argsort(far[nearest])] if math.isfinite(far[i])]
            if not order:
                return Wish()
            # The nearest in straight sight first: a node behind a wall may lie where no route leads, and
            # a route search that fails has searched all it can reach (a tenth of a second on a big map).
            self.explore_goal = next((n for n in order if self.world.segment_clear(x, y, *self.graph.xy[n])), order[0])
        goal = self.explore_goal
        wish = self.travel.travel(goal, x, y, tic, slow_at_end=False)
        if wish is None or self.travel.unreachable(goal, tic):
            self.visited.add(goal)  # reached, or no route there now
        return wish or Wish()

    @staticmethod
    def _arsenal(env: DoomEnv) -> tuple[dict[int, bool], dict[int, float]]:
        """Per weapon slot of WEAPON_PREFERENCE: whether it is held, and its ammunition."""
        game = env.game
        return ({slot: game.get_game_variable(WEAPON_HELD[slot]) > 0 for slot in WEAPON_PREFERENCE},
                {slot: game.get_game_variable(WEAPON_AMMO[slot]) for slot in WEAPON_PREFERENCE})

    def _better_weapon(self, env: DoomEnv, held: dict[int, bool], loads: dict[int, float]) -> int | None:
        """The weapon slot to select, None to keep the one in hand. Without god mode, for the monster
        being fought (combat.weapon_for: plasma, BFG for a boss, rockets for a tough one far enough,
        shotgun close, chaingun far); with god mode, or with no fight, the first of WEAPON_PREFERENCE
        held and loaded when the one in hand is the fist or the chainsaw (which the engine selects on
        picking it up), the pistol, or empty. The action set has no weapon selection otherwise (its
        buttons are movement)."""
        current, ammo = int(env.variables[E.WEAPON]), float(env.variables[E.AMMO])
        if not self.god:
            name, distance = self.fight_target if self.fight_target is not None else (None, 0.0)
            ahead = 1e9
            state = env.state
            if name is not None and current == 5 and state is not None and state.depth_buffer is not None:
                ahead = Steering.free_ahead(state.depth_buffer)[0]
            return weapon_for(name, distance, held, loads, current if ammo > 0 else -1, ahead)
        if current not in (1, 2) and ammo > 0:
            return None
        for slot in WEAPON_PREFERENCE:
            if held[slot] and loads[slot] >= MIN_AMMO.get(slot, 1):
                return slot if slot != current else None
        return None

    # ----- telemetry ------------------------------------------------------------------------------

    def _publish_goal(self) -> None:
        step, status = self.current_step, self.status
        if step is None:
            key: tuple[object, ...] = (len(self.nav.steps), "explore", self.explore_goal, self.explore_line, status.state,
                                       status.waypoint, status.mover)
        else:
            key = (step.index, step.kind, step.node, step.line, status.state, status.waypoint, status.mover)
        if key != self._goal_key:
            self._goal_key = key
            self.goal_json = json.dumps(dict(zip(GOAL_FIELDS, key)), separators=(",", ":"))
            self.confidence = plan_certainty(str(key[1]), status.state, self.explore_line if step is None else None)

    def _publish_keys(self) -> None:
        self._keys_published = len(self.keys)
        self.keys_json = json.dumps(sorted(self.keys), separators=(",", ":"))
