"""Combat without god mode: which monster to fight, with what weapon, and how to move while fighting.

A competent player at skill 2 does not walk on past monsters that see it. The objects info says where
every live monster stands (a killed one leaves the list: its corpse is another class), so the
navigator picks its target among the monsters within ENGAGE_RANGE that it can see: on screen (the
labels buffer, by object id) or in straight sight on the map (no wall and no shut door between,
world.sight_clear, checked for the nearest few every few steps). The most dangerous and nearest wins,
facing it is preferred, one within claw reach comes first, and the current target is kept unless another is
much worse. The navigator fires only when the target's label is on screen (a monster behind a ledge's lip is
not shot at); one that stays off screen while faced, or takes no hit for a while, is left alone for a few
seconds, but never a melee monster within its back-off distance (it bites whatever the shots did), nor any monster within
CLAW_REACH, nor a hitscanner on screen; a monster at hand counts so only while on screen or hurting the player (one
asleep on a ledge above, in straight sight on the map but never on screen, is not a fight).

Weapons (`weapon_for`): plasma rifle when loaded; BFG for a boss; rockets for a tough monster far
enough (never closer than ROCKET_SAFE, and not when a wall is close ahead); shotgun close, chaingun far,
the one in hand kept over a wide band (a switch costs half a second without a shot); the pistol last.

Moving while fighting (`Combat.move`): away from a melee monster (demon, spectre, lost soul) or a
close baron, knight, revenant or arch-vile; sideways from a projectile coming at the player; back
off when badly hurt or outnumbered; otherwise strafe to and fro (running: a moving target is harder to hit).
"""

from __future__ import annotations

import math

import numpy as np
import vizdoom as vzd

from .aim import MONSTERS
from .steering import angle_difference, bearing
from .world import LiveWorld

ENGAGE_RANGE = 1280.0  # map units: monsters farther than this are left alone (unless shooting at the player)
SIGHT_EVERY = 3  # steps between map sight checks (labels are read every step)
SIGHT_CHECKS = 8  # the nearest this many monsters within range are sight-checked
NO_HIT_GIVE_UP = 16  # steps firing at a target with no hit (a chaingun burns 30 rounds meanwhile)
IGNORE_TICS = 6 * 35  # a target given up on is left alone this long
SWITCH_MARGIN = 2.0  # another monster replaces the target when this much more pressing
ROCKET_SAFE = 224.0  # map units: no rocket at a monster closer than this (the blast hurts the player)
ROCKET_CLEAR_AHEAD = 160.0  # nor with a wall or an obstacle closer than this straight ahead
CLOSE = 384.0  # map units: shotgun range
# Map units to keep from each kind: melee monsters, and the tough ones with a claw or a punch and slow
# projectiles (far enough, their fireballs can be sidestepped and rockets fired safely).
BACK_OFF = {"Demon": 192.0, "Spectre": 192.0, "LostSoul": 192.0, "BaronOfHell": 288.0, "HellKnight": 288.0,
            "Cacodemon": 192.0, "Revenant": 256.0, "Fatso": 256.0, "Archvile": 256.0, "MarineChainsawVzd": 160.0}
MELEE = {"Demon", "Spectre", "LostSoul"}
# Map units: any monster this close claws or punches (imps, knights, barons, revenants too), so it is never left alone
# (E1M9: two imps given up on at 40-50 units took 60 health in two seconds while the player rode a lift).
CLAW_REACH = 128.0
CLAWING = 4.0  # the weight of a monster within CLAW_REACH when choosing the target
BARREL_NEAR = 192.0  # map units: a barrel this close is not shot at, and one within BARREL_AWAY is walked away from
BARREL_AWAY = 112.0
# How dangerous each kind is (roughly the damage it deals per second at skill 2), for choosing a target.
DANGER = {
    "Zombieman": 1.0, "ShotgunGuy": 2.0, "ChaingunGuy": 3.5, "DoomImp": 1.5, "Demon": 2.0, "Spectre": 2.0,
    "LostSoul": 1.5, "Cacodemon": 2.5, "HellKnight": 3.0, "BaronOfHell": 3.5, "Arachnotron": 3.5, "PainElemental": 2.5,
    "Revenant": 4.0, "Fatso": 4.0, "Archvile": 6.0, "Cyberdemon": 8.0, "SpiderMastermind": 8.0, "WolfensteinSS": 2.0,
    "CommanderKeen": 0.1, "MarineChainsawVzd": 2.0, "ScriptedMarine": 2.0,
}
# Hit points of each kind (the engine's spawn health), against the damage the ammunition held can deal (`firepower`).
HEALTH = {
    "Zombieman": 20, "ShotgunGuy": 30, "ChaingunGuy": 70, "DoomImp": 60, "Demon": 150, "Spectre": 150, "LostSoul": 100,
    "Cacodemon": 400, "HellKnight": 500, "BaronOfHell": 1000, "Arachnotron": 500, "PainElemental": 400, "Revenant": 300,
    "Fatso": 600, "Archvile": 700, "Cyberdemon": 4000, "SpiderMastermind": 3000, "WolfensteinSS": 50, "CommanderKeen": 100,
    "MarineChainsawVzd": 100, "ScriptedMarine": 100,
}
# Average damage per unit of each ammunition (a bullet, a shell's 7 pellets not all hitting, a rocket, a cell).
DAMAGE_PER_ROUND = {2: 10.0, 3: 45.0, 5: 80.0, 6: 20.0}
AWAKE_MOVE = 12.0  # map units (x and y summed): a monster that moved this far from where it was first seen is awake
OUTGUNNED = 1.5  # a monster is fought only when the ammunition held can deal this many times its hit points, unless it is at hand
TOUGH = {"Cacodemon", "HellKnight", "BaronOfHell", "Arachnotron", "PainElemental", "Revenant", "Fatso", "Archvile",
         "Cyberdemon", "SpiderMastermind"}
BOSSES = {"Cyberdemon", "SpiderMastermind"}
# Monsters whose shots hit at once: one on screen sees the player and can be hit back, so it is never given up on
# (MAP12: a chaingunner left alone after 16 steps without a hit took 60 health in a second).
HITSCAN = {"Zombieman", "ShotgunGuy", "ChaingunGuy", "WolfensteinSS", "SpiderMastermind", "ScriptedMarine"}
PROJECTILES = {"DoomImpBall", "CacodemonBall", "BaronBall", "ArachnotronPlasma", "FatShot", "RevenantTracer", "Rocket",
               "CyberdemonRocket"}
DODGE_AHEAD = 40  # tics: a projectile that will pass within DODGE_MISS of the player this soon is dodged
DODGE_MISS = 56.0
STRAFE_TICS = (14, 30)  # strafe one way for a random number of tics in this range, then the other
LOW_HEALTH = 35  # below this, with a monster in sight, the player backs off (or heads for health)
OUTNUMBERED = 3  # this many monsters in straight sight at once, once hurt: back off along the trail, to meet them one at a time
OUTNUMBERED_HEALTH = 75  # hurt: below this health (at full health a back-off cost MAP08 its exit: too slow for 10 minutes)


def firepower(held: dict[int, bool], ammo: dict[int, float]) -> float:
    """The damage the ammunition held can deal with the weapons held (bullets for the pistol or the chaingun, shells
    for either shotgun, rockets, cells for the plasma rifle or the BFG), slots as in WEAPON_PREFERENCE."""
    total = 0.0
    for slots, per in (((2, 4), DAMAGE_PER_ROUND[2]), ((3,), DAMAGE_PER_ROUND[3]), ((5,), DAMAGE_PER_ROUND[5]), ((6, 7), DAMAGE_PER_ROUND[6])):
        held_one = [slot for slot in slots if held.get(slot, False)]
        if held_one:
            total += ammo.get(held_one[0], 0.0) * per
    return total


def weapon_for(target: str | None, distance: float, held: dict[int, bool], ammo: dict[int, float], current: int,
               clear_ahead: float) -> int | None:
    """The weapon slot to fight `target` (a class name, or None: no fight) at `distance` with, given the
    weapons held and their ammunition; None to keep the one in hand."""
    def loaded(slot: int, least: float = 1.0) -> bool:
        return held.get(slot, False) and ammo.get(slot, 0.0) >= least

    rockets_ok = distance >= ROCKET_SAFE and clear_ahead >= ROCKET_CLEAR_AHEAD
    if target is None:
        if current in (3, 4, 6) and ammo.get(current, 0.0) > 0:
            return None
        order = (6, 4, 3, 2, 5)
    else:
        # No flip-flop between the shotgun and the chaingun as the target or its distance changes: a switch
        # takes about half a second without a shot (E1M6 died switching 3 -> 4 -> 3 every second in a crowd
        # at 150-700 units), so the one in hand is kept over a wide band.
        far = distance > CLOSE + (256.0 if current == 3 else -160.0 if current == 4 else 0.0)
        if target in BOSSES and loaded(7, 40):
            order = (7, 6, 5, 4, 3, 2) if rockets_ok else (7, 6, 4, 3, 2)
        elif target in TOUGH and rockets_ok and distance >= (ROCKET_SAFE + 96.0 if current != 5 else ROCKET_SAFE):
            order = (6, 5, 4, 3, 2)
        elif far:
            order = (6, 4, 3, 2)
        else:
            order = (6, 3, 4, 2)
    for slot in order:
        if loaded(slot, 40.0 if slot == 7 else 1.0):
            return None if slot == current else slot
    return None


class Combat:
    def __init__(self, world: LiveWorld, seed: int) -> None:
        self.world = world
        self.rng = np.random.default_rng(seed)
        self.reset()

    def reset(self) -> None:
        self.target_id: int | None = None
        self.target_name = ""
        self.ignored: dict[int, int] = {}  # monster id: tic until which it is left alone
        self.seen: set[int] = set()  # monsters in straight sight at the last check
        self.projectiles: list[vzd.Object] = []  # seen at the last `target`
        self.nearby_barrels: list[tuple[float, float]] = []
        self.melee: list[vzd.Object] = []  # melee monsters closer than their BACK_OFF
        self.origins: dict[int, tuple[float, float]] = {}  # where each monster was when first looked at
        self.awake: set[int] = set()  # monsters seen to move since (a sleeping one stands where the map put it)
        self._step = 0
        self._no_hit = 0
        self._hits = 0.0
        self.strafe_side = 1.0
        self.strafe_until = 0
        self._strafe_check: tuple[int, float, float] = (0, 0.0, 0.0)

    # ----- the target --------------------------------------------------------------------------

    def target(self, state: vzd.GameState, x: float, y: float, angle: float, hits: float,
               tic: int, firepower: float = math.inf, alert: bool = True) -> tuple[vzd.Object, float, bool] | None:
        """The monster to fight now: (object, distance, on screen), or None. A melee monster within its
        BACK_OFF distance is never left alone, whatever the shots did (MAP02 and E1M5 died walking on
        with a demon given up on at their back). One whose hit points the ammunition held cannot deal
        OUTGUNNED times over (`firepower`, damage points) is left alone unless it is at hand or a hitscanner on
        screen (MAP32: the pistol's last 40 bullets fired at a cacodemon 740 units off, then the fist; E4M8: a
        cyberdemon fought with the chaingun). Unless `alert` (the player was hurt lately), a monster not seen to move
        is asleep and left alone unless at hand: a shot wakes every monster that hears it. At hand counts only on
        screen or while alert (MAP14, skills 3-5: a shotgunner asleep 60-85 units off on a ledge, never on screen,
        held the player the whole episode)."""
        self._step += 1
        on_screen = {label.object_id for label in state.labels if label.object_name in MONSTERS}
        self.projectiles, self.nearby_barrels, self.melee = [], [], []
        sight_check = self._step % SIGHT_EVERY == 1 or SIGHT_EVERY == 1
        if not on_screen and not self.seen and not sight_check:
            # No monster on screen, none in straight sight at the last check and no check now: nothing
            # can be chosen, so the objects are not looked through (the lists above serve a fight only).
            self.target_id = None
            return None
        # One pass over the objects (hundreds of them) for all that a fight looks at: monsters,
        # projectiles, barrels (incoming, barrels and too_close read these lists). By class name first
        # (read once per step, world.object_names): a field read is a new Python object each time.
        live = []
        ignored, origins, awake = self.ignored, self.origins, self.awake
        objects = state.objects
        for index, name in enumerate(self.world.object_names()):
            if name in MONSTERS:
                o = objects[index]
                if o.category != "Monster":
                    continue
                distance = math.hypot(o.position_x - x, o.position_y - y)
                biting = name in MELEE and distance < BACK_OFF[name]
                if biting:
                    self.melee.append(o)  # backed away from, even when not fought
                if o.id not in awake:
                    origin = origins.get(o.id)
                    if origin is None:
                        origins[o.id] = (o.position_x, o.position_y)
                    elif abs(o.position_x - origin[0]) + abs(o.position_y - origin[1]) > AWAKE_MOVE:
                        awake.add(o.id)
                at_hand = self.at_hand(name, distance, noticed=alert or o.id in on_screen)
                if (ignored.get(o.id, 0) <= tic or at_hand) and (distance <= ENGAGE_RANGE or o.id in on_screen) \
                        and (at_hand or alert or o.id in awake) \
                        and (at_hand or HEALTH.get(name, 100) * OUTGUNNED <= firepower or (name in HITSCAN and o.id in on_screen)):
                    live.append((distance, o))
            elif name in PROJECTILES:
                o = objects[index]
                if o.category != "Monster":
                    self.projectiles.append(o)
            elif name == "ExplosiveBarrel":
                o = objects[index]
                if o.category != "Monster" and abs(o.position_x - x) < BARREL_NEAR and abs(o.position_y - y) < BARREL_NEAR \
                        and math.hypot(o.position_x - x, o.position_y - y) < BARREL_NEAR:
                    self.nearby_barrels.append((o.position_x, o.position_y))
        if not live:
            self.target_id = None
            return None
        if sight_check:
            live.sort(key=lambda item: item[0])
            self.seen = {o.id for distance, o in live[:SIGHT_CHECKS]
                         if o.id in on_screen or self.world.sight_clear(x, y, o.position_x, o.position_y)}
        best: tuple[float, float, vzd.Object] | None = None
        current: tuple[float, float, vzd.Object] | None = None
        for distance, o in live:
            visible = o.id in on_screen
            if not visible and o.id not in self.seen:
                continue
            turn = abs(angle_difference(bearing(x, y, o.position_x, o.position_y), angle))
            score = DANGER.get(o.name, 1.0) / max(distance, 64.0) * (1.5 if visible else 1.0) / (1.0 + turn / 90.0)
            if distance < CLAW_REACH:
                score *= CLAWING  # what bites now comes first, however far the turn (E3M3: a cacodemon on screen was
                # fought while a demon bit from the side, 92 health to 8 in three seconds)
            if best is None or score > best[0]:
                best = (score, distance, o)
            if o.id == self.target_id:
                current = (score, distance, o)
        if best is None:
            self.target_id = None
            return None
        chosen = current if current is not None and current[0] * SWITCH_MARGIN >= best[0] else best
        _, distance, o = chosen
        if o.id != self.target_id:
            self.target_id, self.target_name = o.id, o.name
            self._no_hit = 0
            self._hits = hits
        visible = o.id in on_screen
        # Give up on a target that takes no hit for a while when faced: out of reach of the weapon's aim
        # (behind a ledge's lip, a window's frame); one that stays off screen when faced, twice as fast.
        facing = abs(angle_difference(bearing(x, y, o.position_x, o.position_y), angle)) < 12.0
        if hits > self._hits:
            self._hits, self._no_hit = hits, 0
        elif facing:
            self._no_hit += 1 if visible else 2
        if self._no_hit > NO_HIT_GIVE_UP and not self.at_hand(o.name, distance, noticed=visible or alert) \
                and not (visible and o.name in HITSCAN):
            self.ignored[o.id] = tic + IGNORE_TICS
            self.target_id = None
            self._no_hit = 0
            return None
        return o, distance, visible

    def outnumbered(self, health: float) -> bool:
        """Whether OUTNUMBERED monsters or more were in straight sight at the last check while the player is hurt
        (E2M2: six hitscanners in sight of a pistol start that strafed in the open, dead in 23 s)."""
        return health < OUTNUMBERED_HEALTH and len(self.seen) >= OUTNUMBERED

    @staticmethod
    def at_hand(name: str, distance: float, noticed: bool) -> bool:
        """A monster never left alone: a melee one (demon, spectre, lost soul) closer than its BACK_OFF distance, or
        any within CLAW_REACH, while `noticed` (on screen, or the player hurt lately)."""
        return noticed and ((name in MELEE and distance < BACK_OFF[name]) or distance < CLAW_REACH)

    # ----- moving while fighting ----------------------------------------------------------------

    def barrels(self) -> list[tuple[float, float]]:
        """Explosive barrels within BARREL_NEAR of the player at the last `target` (one blowing up does
        up to 128 damage)."""
        return self.nearby_barrels

    @staticmethod
    def barrel_in_the_line(barrels: list[tuple[float, float]], x: float, y: float, direction: float,
                           distance: float) -> bool:
        """Whether a shot toward `direction` would hit one of `barrels` (near the player) before the
        target `distance` away."""
        dx, dy = math.cos(math.radians(direction)), math.sin(math.radians(direction))
        for bx, by in barrels:
            along = (bx - x) * dx + (by - y) * dy
            if 0 < along < distance and abs((bx - x) * dy - (by - y) * dx) < 28.0:
                return True
        return False

    def too_close(self, target: vzd.Object, distance: float) -> vzd.Object | None:
        """The monster to back away from: the target when closer than its BACK_OFF distance, else any
        melee monster (demon, spectre, lost soul) that close (at the last `target`), or None."""
        if distance < BACK_OFF.get(target.name, 0.0):
            return target
        return self.melee[0] if self.melee else None

    def incoming(self, x: float, y: float) -> float | None:
        """The direction (degrees) to sidestep a projectile about to hit the player (of those seen at the
        last `target`), or None."""
        for o in self.projectiles:
            vx, vy = o.velocity_x, o.velocity_y
            speed2 = vx * vx + vy * vy
            if speed2 < 1.0:
                continue
            rx, ry = x - o.position_x, y - o.position_y
            t = (rx * vx + ry * vy) / speed2
            if t <= 0 or t > DODGE_AHEAD:
                continue
            mx, my = rx - vx * t, ry - vy * t  # where the player is relative to the projectile's closest pass
            if math.hypot(mx, my) > DODGE_MISS:
                continue
            side = 1.0 if (mx * -vy + my * vx) >= 0 else -1.0  # dodge to the side the player already is on
            return math.degrees(math.atan2(vx * side, -vy * side)) % 360.0
        return None

    def strafe(self, direction: float, x: float, y: float, tic: int) -> float:
        """A sideways direction (degrees) to move while facing `direction`, to and fro; the side flips
        at random intervals and when the player stops moving (a wall)."""
        since, sx, sy = self._strafe_check
        if tic - since >= 8:
            if tic - since < 16 and math.hypot(x - sx, y - sy) < 6.0:
                self.strafe_side = -self.strafe_side  # against a wall: the other way
                self.strafe_until = tic + int(self.rng.integers(*STRAFE_TICS))
            self._strafe_check = (tic, x, y)
        if tic >= self.strafe_until:
            self.strafe_side = -self.strafe_side
            self.strafe_until = tic + int(self.rng.integers(*STRAFE_TICS))
        return (direction + 90.0 * self.strafe_side) % 360.0
