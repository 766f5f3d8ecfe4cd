"""Supplies: the items worth a short detour from the route (health, armour, weapons, ammunition).

Every few steps the navigator looks through the objects info for an item it needs within reach:
health when hurt (farther the more hurt), armour, any weapon better than the pistol, ammunition (farther
when short), keys, a radiation suit on a map with damaging floors. An item in straight sight (a walk that
crosses no wall, world.py) is walked to; health out of sight, when badly hurt, by way of the graph
node nearest to it that sees it. The detour ends when the item is gone (picked up) or after a few
seconds (longer by the graph). Without god mode a pistol start first goes for the nearest shotgun or
chaingun (by the graph, within ARM_REACH), and badly hurt it drops any other detour for health. With
god mode only weapons and ammunition matter (to clear what blocks the way).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import numpy as np
import vizdoom as vzd

from .. import env as E
from .navgraph import NavGraph
from .world import LiveWorld

HEALTH = {"Stimpack": 10, "Medikit": 25, "Soulsphere": 100, "Megasphere": 200, "Berserk": 100, "HealthBonus": 1}
ARMOR = {"GreenArmor", "BlueArmor", "ArmorBonus"}
WEAPONS = {"Shotgun", "SuperShotgun", "Chaingun", "RocketLauncher", "PlasmaRifle", "BFG9000"}  # not the chainsaw: melee only
AMMO = {"Clip", "ClipBox", "Shell", "ShellBox", "RocketAmmo", "RocketBox", "Cell", "CellPack", "Backpack"}
KEYS = {"BlueCard", "RedCard", "YellowCard", "BlueSkull", "RedSkull", "YellowSkull"}
SUIT = "RadSuit"  # a radiation suit: 60 s on damaging floors unhurt
SUIT_REACH = 768.0  # map units: without god mode, on a map with damaging floors, how far it goes for one
LOOK_EVERY = 8  # steps between looks
GIVE_UP_TICS = 4 * 35
GIVE_UP_ROUTED_TICS = 12 * 35
NO_PROGRESS_TICS = 2 * 35  # a detour that comes no closer for this long is given up (something in the way)
LOW_AMMO = 20
STOCKED = 60  # rounds (the most any gun held has) under which ammunition in sight is worth a detour, without god mode
STOCK_REACH = 6000.0  # map units: how far a hunter goes for a weapon
STOCK_REACH_ROUTE = 2048.0  # without god mode, out of ammunition: how far it goes for some
OUT_OF_AMMO = 10  # rounds under which, in the weapon in hand and in every other gun held, it stocks up (without god mode)
STOCK_AMMO_EXTRA = 1024.0  # a weapon is worth this much more of a walk than ammunition
PICKED_UP_NEAR = 160.0  # a weapon gone from the objects within this of the player was picked up by it
BADLY_HURT = 50  # below this, health out of sight is gone for by the graph
SMALL = {"HealthBonus", "ArmorBonus"}  # worth only a short step aside
SMALL_REACH = 128.0
ROUTED_WEAPON_REACH = 512.0  # a weapon out of sight is gone for by the graph this close
FORGET_TICS = 60 * 35
LOW_HEALTH = 40  # without god mode, below this it goes for the nearest health anywhere within HEALTH_REACH
HEALTH_REACH = 4096.0
HEALING = frozenset({"Stimpack", "Medikit", "Soulsphere", "Megasphere", "Berserk"})
GUNS = frozenset({"Shotgun", "SuperShotgun", "Chaingun", "PlasmaRifle"})  # what a pistol start goes for first
ARM_REACH = 2048.0  # map units: how far (straight) a pistol start goes for one
STEP = 24.0  # a detour never drops deeper than a step: the way back up may be long


class Supplies:
    def __init__(self, world: LiveWorld, graph: NavGraph, god: bool) -> None:
        self.world = world
        self.graph = graph
        self.god = god
        self.target: tuple[int, float, float, int] | None = None  # object id, x, y, tic chosen
        self.target_name = ""
        self.keys_taken: list[str] = []  # keys picked up on detours, as plan item names (blue_card)
        self.via: int | None = None  # the graph node to go by, for an item out of sight
        self.taken: set[int] = set()  # items given up on (out of reach), forgotten every FORGET_TICS
        self._forgotten = 0
        self.routed = False  # the target was chosen by way of the graph (out of sight then)
        self.hunting = False  # on a kill step: ammunition and weapons matter more
        self.owned: set[str] = set()  # weapons picked up: another one of them is only ammunition
        self._weapons: dict[int, tuple[str, float, float]] = {}  # weapons seen at the last look
        self._closest = (math.inf, 0)  # the closest the player came to the target, and when
        self.damaging = np.zeros(0, dtype=bool)  # sectors whose floor hurts (items there are left alone)
        self._step = 0
        self._target_place = 0  # where the target was in the objects info at the last look
        # The most rounds any gun held has (the navigator reads the game's per-slot variables): short of ammunition
        # is every gun short, not the one in hand (E1M7: 150 s hunting shells by lifts and doors, 120 bullets held).
        self.rounds: Callable[[], float] = lambda: math.inf

    def reach(self, health: float, armor: float, ammo: float) -> dict[str, float]:
        """How far (map units) the player would go for each kind of item now."""
        hurt = max(0.0, 100.0 - health)
        return {
            "health": 0.0 if self.god or hurt < 5 else min(2048.0, 256.0 + hurt * 16.0),
            "armor": 0.0 if self.god or armor >= 50 else 512.0,
            "weapon": 1024.0 if self.hunting else 512.0 if self.god else 768.0,
            # with god mode only what lies on the way, unless hunting a boss
            # Without god mode, ammunition in sight is worth a detour until every gun held has STOCKED rounds: deaths
            # with empty guns were a third of those traced (E2M6, MAP06, E4M2, E3M5, E3M2 at skill 2).
            "ammo": 512.0 if self.hunting or (not self.god and (ammo < LOW_AMMO or self.rounds() < STOCKED))
            else 96.0 if self.god else 192.0,
            "key": 512.0,  # a key in sight is always worth it (the plan may not know it is needed)
            # Maps put suits by their nukage, which routes often cross (E1M9, E2M3, E3M5 lost 85 health or more to it).
            "suit": SUIT_REACH if not self.god and bool(self.damaging.any()) else 0.0,
        }

    def wanted(self, state: vzd.GameState, variables: object, x: float, y: float,
               tic: int) -> tuple[tuple[float, float], int | None] | None:
        """The spot of the item to go to now and the graph node to go by (None: straight there), or
        None to keep to the route."""
        self._step += 1
        objects = state.objects
        if tic - self._forgotten > FORGET_TICS:  # what was out of reach may not be now (a door opened)
            self.taken.clear()
            self._forgotten = tic
        if self.target is not None:
            object_id, tx, ty, since = self.target
            if self._step % LOOK_EVERY:  # checked every few steps: walk on meanwhile
                return (tx, ty), self.via
            place = self.world.find(object_id, self._target_place)
            here = place >= 0
            self._target_place = max(place, 0)
            limit = GIVE_UP_ROUTED_TICS if self.via is not None else GIVE_UP_TICS
            in_sight = self.world.segment_clear(x, y, tx, ty, clearance=12.0, max_drop=STEP)
            if in_sight:
                if self.via is not None:
                    self.routed = True
                self.via = None
            elif self.via is None and self.routed:
                self.via = self._vantage(tx, ty)  # lost from sight on the way (a corner): by the graph again
            distance = math.hypot(tx - x, ty - y)
            if distance < self._closest[0] - 16.0:
                self._closest = (distance, tic)
            stalled = self.via is None and tic - self._closest[1] > NO_PROGRESS_TICS  # something in the way
            # Badly hurt on the way to something else (E1M3: a chaingun by the graph at 30 health, stimpacks
            # 174 units away, death in the nukage on the way): health comes first.
            if not self.god and self.target_name not in HEALING and float(variables[E.HEALTH]) < LOW_HEALTH:  # type: ignore[index]
                previous = self.target, self.via, self.routed, self.target_name, self._closest
                healed = self._stock_up(objects, x, y, tic, HEALTH_REACH, wanted=HEALING)
                if healed is not None:
                    return healed
                self.target, self.via, self.routed, self.target_name, self._closest = previous  # no health: go on
            if not here or tic - since > limit or (self.via is None and not in_sight) or stalled:
                if here:
                    self.taken.add(object_id)
                elif self.target_name in KEYS:
                    self.keys_taken.append(re.sub(r"(?<!^)(?=[A-Z])", "_", self.target_name).lower())
                self.target = self.via = None
                self.routed = False
            else:
                return (tx, ty), self.via
        if self._step % LOOK_EVERY:
            return None
        self._note_weapons(objects, x, y)
        v = variables
        health = float(v[E.HEALTH])  # type: ignore[index]
        reach = self.reach(health, float(v[E.ARMOR]), float(v[E.AMMO]))  # type: ignore[index]
        z = float(v[E.Z])  # type: ignore[index]
        near: list[tuple[float, int, float, float, str, str]] = []
        names = self.world.object_names()  # by class name first: most objects are none of these
        for index, name in enumerate(names):
            kind = ("health" if name in HEALTH else "armor" if name in ARMOR
                    else ("ammo" if name in self.owned else "weapon") if name in WEAPONS
                    else "ammo" if name in AMMO else "key" if name in KEYS else "suit" if name == SUIT else None)
            if kind is None:
                continue
            o = objects[index]
            if o.id in self.taken:
                continue
            distance = math.hypot(o.position_x - x, o.position_y - y)
            if name in SMALL and distance > SMALL_REACH:
                continue  # a bonus is worth only a step aside
            if not self.god and kind != "suit" and distance > SMALL_REACH and 0 <= o.sector_id < len(self.damaging) \
                    and self.damaging[o.sector_id]:
                continue  # not into nukage for it (but for a suit, which protects from it at once)
            if distance < reach[kind]:
                near.append((distance, o.id, o.position_x, o.position_y, kind, name))
        near.sort()
        weapon, ammo = float(v[E.WEAPON]), float(v[E.AMMO])  # type: ignore[index]
        if not self.god and health < LOW_HEALTH:  # badly hurt: health first, wherever it is (by the graph)
            healed = self._stock_up(objects, x, y, tic, HEALTH_REACH, wanted=HEALING)
            if healed is not None:
                return healed
        if not self.god and weapon <= 2 and not (self.owned & GUNS):
            # A pistol start: the nearest shotgun or chaingun first, by the graph (50 bullets do not clear
            # the first rooms, and the map's weapons often lie off the planner's route).
            armed = self._stock_up(objects, x, y, tic, ARM_REACH, wanted=GUNS)
            if armed is not None:
                return armed
        if (self.hunting and (weapon <= 2 or ammo < LOW_AMMO)) or \
                (not self.god and (weapon <= 1 or ammo < OUT_OF_AMMO) and self.rounds() < OUT_OF_AMMO):
            armed = self._stock_up(objects, x, y, tic, STOCK_REACH if self.hunting else STOCK_REACH_ROUTE)
            if armed is not None:
                return armed
        for distance, object_id, ox, oy, kind, name in near[:4]:
            self.target_name = name
            if self.world.segment_clear(x, y, ox, oy, clearance=12.0, max_drop=STEP):
                self.target, self.via = (object_id, ox, oy, tic), None
                self._closest = (distance, tic)
                return (ox, oy), None
            if not self.god and (kind == "health" and health < BADLY_HURT or kind == "weapon" and distance < ROUTED_WEAPON_REACH):
                for node in self.graph.nearest(ox, oy, 4):
                    nx, ny = self.graph.xy[node]
                    if self.world.segment_clear(nx, ny, ox, oy, clearance=12.0, max_drop=STEP):
                        self.target, self.via, self.routed = (object_id, ox, oy, tic), node, True
                        self._closest = (distance, tic)
                        return (ox, oy), node
        return None

    def _stock_up(self, objects: list[vzd.Object], x: float, y: float, tic: int, reach: float = 6000.0,
                  wanted: frozenset[str] | None = None) -> tuple[tuple[float, float], int | None] | None:
        """Hunting a boss with the pistol, or short of ammunition: the nearest weapon not held yet (else
        ammunition) anywhere on the map, by way of the graph node nearest to it that sees it; with
        `wanted`, the nearest item of those classes (health when badly hurt)."""
        best: tuple[float, int, float, float, str] | None = None
        for index, name in enumerate(self.world.object_names()):
            if wanted is not None:
                if name not in wanted:
                    continue
                o = objects[index]
                if o.id in self.taken or (0 <= o.sector_id < len(self.damaging) and self.damaging[o.sector_id]):
                    continue
            elif not ((name in WEAPONS and name not in self.owned) or name in AMMO):
                continue
            else:
                o = objects[index]
                if o.id in self.taken:
                    continue
            distance = math.hypot(o.position_x - x, o.position_y - y) + (0.0 if name in WEAPONS or wanted is not None else STOCK_AMMO_EXTRA)
            if distance < reach and (best is None or distance < best[0]):
                best = (distance, o.id, o.position_x, o.position_y, name)
        if best is None:
            return None
        distance, object_id, ox, oy, name = best
        self.target_name = name
        self._closest = (distance, tic)
        if self.world.segment_clear(x, y, ox, oy, clearance=12.0, max_drop=STEP):
            self.target, self.via = (object_id, ox, oy, tic), None
            return (ox, oy), None
        for node in self.graph.nearest(ox, oy, 4):
            nx, ny = self.graph.xy[node]
            if self.world.segment_clear(nx, ny, ox, oy, clearance=12.0, max_drop=STEP):
                self.target, self.via, self.routed = (object_id, ox, oy, tic), node, True
                return (ox, oy), node
        self.taken.add(object_id)
        return None

    def _vantage(self, ox: float, oy: float) -> int | None:
        """The graph node, of the 4 nearest an item, that sees it (None: none does)."""
        for node in self.graph.nearest(ox, oy, 4):
            nx, ny = self.graph.xy[node]
            if self.world.segment_clear(nx, ny, ox, oy, clearance=12.0, max_drop=STEP):
                return node
        return None

    def _note_weapons(self, objects: list[vzd.Object], x: float, y: float) -> None:
        """A weapon that was there at the last look and is gone now, near the player, was picked up."""
        weapons = {o.id: (name, o.position_x, o.position_y)
                   for name, o in zip(self.world.object_names(), objects) if name in WEAPONS}
        for object_id, (name, wx, wy) in self._weapons.items():
            if object_id not in weapons and math.hypot(wx - x, wy - y) < PICKED_UP_NEAR:
                self.owned.add(name)
        self._weapons = weapons

    def give_up(self) -> None:
        """The way to the item failed (no route): never mind it."""
        if self.target is not None:
            self.taken.add(self.target[0])
        self.target = self.via = None
