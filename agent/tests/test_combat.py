"""The navigator's combat choices without god mode (combat.py, navigator.py's `_fight`): weapons, sidestepping
projectiles, barrels, damaging floors, crushers, back-offs, and which monsters are left alone (asleep, or beyond the
ammunition held)."""

from __future__ import annotations

from collections import deque
from types import SimpleNamespace

import numpy as np

from playtest_agent import env as E
from playtest_agent.agents.combat import ROCKET_SAFE, Combat, firepower, weapon_for
from playtest_agent.agents.navigator import NavigatorAgent
from playtest_agent.agents.steering import Wish
from playtest_agent.agents.travel import Status

ALL = {slot: True for slot in (2, 3, 4, 5, 6, 7)}
NO_PLASMA = {2: True, 3: True, 4: True, 5: True, 6: False, 7: False}
AMMO = {2: 50.0, 3: 20.0, 4: 50.0, 5: 10.0, 6: 0.0, 7: 0.0}


def test_rockets_for_a_tough_monster_far_away_but_never_point_blank() -> None:
    assert weapon_for("BaronOfHell", 600.0, NO_PLASMA, AMMO, current=3, clear_ahead=1e9) == 5
    # Too close, or a wall close ahead: not the rocket launcher, and out of it when it is in hand.
    assert weapon_for("BaronOfHell", ROCKET_SAFE - 1, NO_PLASMA, AMMO, current=3, clear_ahead=1e9) is None
    assert weapon_for("BaronOfHell", ROCKET_SAFE - 1, NO_PLASMA, AMMO, current=5, clear_ahead=1e9) == 3
    assert weapon_for("BaronOfHell", 600.0, NO_PLASMA, AMMO, current=5, clear_ahead=64.0) == 4
    # Not wasted on a zombieman.
    assert weapon_for("Zombieman", 600.0, NO_PLASMA, AMMO, current=4, clear_ahead=1e9) is None


def test_shotgun_close_chaingun_far_and_plasma_when_loaded() -> None:
    assert weapon_for("DoomImp", 200.0, NO_PLASMA, AMMO, current=4, clear_ahead=1e9) == 3
    assert weapon_for("DoomImp", 900.0, NO_PLASMA, AMMO, current=3, clear_ahead=1e9) == 4
    assert weapon_for("DoomImp", 400.0, NO_PLASMA, AMMO, current=3, clear_ahead=1e9) is None  # no flip-flop at the edge
    assert weapon_for("DoomImp", 400.0, ALL, {**AMMO, 6: 40.0}, current=3, clear_ahead=1e9) == 6
    empty = {**AMMO, 3: 0.0, 4: 0.0}
    assert weapon_for("DoomImp", 200.0, NO_PLASMA, empty, current=3, clear_ahead=1e9) == 2  # the pistol last
    assert weapon_for(None, 0.0, NO_PLASMA, AMMO, current=2, clear_ahead=1e9) == 4  # no fight: off the pistol


def projectile(x: float, y: float, vx: float, vy: float, name: str = "DoomImpBall") -> SimpleNamespace:
    return SimpleNamespace(name=name, position_x=x, position_y=y, velocity_x=vx, velocity_y=vy, category="Explosive")


def test_a_projectile_coming_at_the_player_is_sidestepped_one_going_elsewhere_is_not() -> None:
    combat = Combat(world=None, seed=1)  # type: ignore[arg-type]
    combat.projectiles = [projectile(300.0, 10.0, -10.0, 0.0)]  # from the east, passing 10 units north
    direction = combat.incoming(0.0, 0.0)
    assert direction is not None and abs(direction - 270.0) < 1e-6  # south, away from its line
    combat.projectiles = [projectile(300.0, 10.0, 10.0, 0.0)]  # flying away
    assert combat.incoming(0.0, 0.0) is None
    combat.projectiles = [projectile(300.0, 200.0, -10.0, 0.0)]  # passing 200 units off
    assert combat.incoming(0.0, 0.0) is None


def test_no_shot_through_a_barrel_next_to_the_player() -> None:
    barrels = [(60.0, 5.0)]
    assert Combat.barrel_in_the_line(barrels, 0.0, 0.0, 0.0, 400.0)  # east, the barrel 60 units ahead
    assert not Combat.barrel_in_the_line(barrels, 0.0, 0.0, 90.0, 400.0)  # north: clear
    assert not Combat.barrel_in_the_line(barrels, 0.0, 0.0, 0.0, 40.0)  # the target is nearer than the barrel


def test_the_shotgun_and_the_chaingun_are_kept_over_a_wide_band() -> None:
    # A crowd at 200-600 units: the weapon in hand stays (a switch costs half a second without a shot).
    assert weapon_for("ShotgunGuy", 550.0, NO_PLASMA, AMMO, current=3, clear_ahead=1e9) is None
    assert weapon_for("ShotgunGuy", 300.0, NO_PLASMA, AMMO, current=4, clear_ahead=1e9) is None
    # Far beyond, or point blank: the other one.
    assert weapon_for("ShotgunGuy", 700.0, NO_PLASMA, AMMO, current=3, clear_ahead=1e9) == 4
    assert weapon_for("ShotgunGuy", 150.0, NO_PLASMA, AMMO, current=4, clear_ahead=1e9) == 3


class FakeWorld:
    """The little of LiveWorld that Combat.target reads: class names, and sight (always clear)."""

    def __init__(self, objects: list[SimpleNamespace]) -> None:
        self.objects = objects

    def object_names(self) -> list[str]:
        return [o.name for o in self.objects]

    def sight_clear(self, *args: float) -> bool:
        return True


def monster(object_id: int, name: str, x: float, y: float) -> SimpleNamespace:
    return SimpleNamespace(id=object_id, name=name, position_x=x, position_y=y, category="Monster")


def test_a_demon_at_the_players_back_is_fought_even_when_given_up_on() -> None:
    demon = monster(7, "Demon", 100.0, 0.0)
    imp = monster(8, "DoomImp", 600.0, 0.0)
    world = FakeWorld([demon, imp])
    state = SimpleNamespace(objects=world.objects, labels=[])
    combat = Combat(world=world, seed=1)  # type: ignore[arg-type]
    combat.ignored = {7: 10**6, 8: 10**6}  # both given up on (no hit for a while)
    chosen = combat.target(state, 0.0, 0.0, 0.0, hits=0.0, tic=100)  # type: ignore[arg-type]
    assert chosen is not None and chosen[0] is demon  # within its back-off distance: it bites
    demon.position_x = 400.0  # farther than that: left alone like the imp
    assert combat.target(state, 0.0, 0.0, 0.0, hits=0.0, tic=101) is None  # type: ignore[arg-type]


def test_any_monster_within_claw_reach_and_a_hitscanner_on_screen_are_never_given_up_on() -> None:
    imp = monster(8, "DoomImp", 60.0, 0.0)
    world = FakeWorld([imp])
    state = SimpleNamespace(objects=world.objects, labels=[])
    combat = Combat(world=world, seed=1)  # type: ignore[arg-type]
    combat.ignored = {8: 10**6}
    chosen = combat.target(state, 0.0, 0.0, 0.0, hits=0.0, tic=100)  # type: ignore[arg-type]
    assert chosen is not None and chosen[0] is imp  # E1M9: imps given up on clawed the player to death
    imp.position_x = 300.0
    assert combat.target(state, 0.0, 0.0, 0.0, hits=0.0, tic=101) is None  # farther: left alone
    # A chaingunner on screen, faced, never hit: still the target after many more steps than NO_HIT_GIVE_UP.
    gunner = monster(9, "ChaingunGuy", 500.0, 0.0)
    world = FakeWorld([gunner])
    state = SimpleNamespace(objects=world.objects, labels=[SimpleNamespace(object_id=9, object_name="ChaingunGuy")])
    combat = Combat(world=world, seed=1)  # type: ignore[arg-type]
    for tic in range(40):
        chosen = combat.target(state, 0.0, 0.0, 0.0, hits=0.0, tic=tic)  # type: ignore[arg-type]
        assert chosen is not None and chosen[0] is gunner


def fighting_navigator(sector: int) -> NavigatorAgent:
    """A navigator at (0, 0) with 80 health and the shotgun, standing in `sector` (1 is nukage), its route
    walking on east."""
    agent = NavigatorAgent.__new__(NavigatorAgent)
    agent.god, agent.detouring, agent.last_shot, agent.fight_target = False, False, 0, None
    agent.status = Status(state="walking")
    agent.travel = SimpleNamespace(sector=sector)
    agent.damaging = [False, True]
    agent.supplies = SimpleNamespace(target_name=None)
    agent.history = deque()
    agent.combat = SimpleNamespace(barrels=lambda: [], too_close=lambda target, distance: None, outnumbered=lambda health: False,
                                   incoming=lambda x, y: None, strafe=lambda direction, x, y, tic: (direction + 90.0) % 360.0)
    agent._back_off = lambda x, y, fx, fy, tic, sideways: 270.0  # type: ignore[method-assign]  # south, along its trail
    return agent


def fight(agent: NavigatorAgent, target: SimpleNamespace, distance: float) -> Wish:
    variables = [0.0] * len(E.VARIABLES)
    variables[E.HEALTH], variables[E.WEAPON] = 80.0, 3.0
    return agent._fight(SimpleNamespace(variables=variables), SimpleNamespace(depth_buffer=None), Wish(move=0.0, run=True),  # type: ignore[arg-type]
                        (target, distance, False), 0.0, 0.0, 90.0, 100)


def test_on_a_damaging_floor_the_fight_walks_on_with_the_route() -> None:
    # E1M3: four seconds standing in nukage "fighting" an imp 700 units off, off screen; dead 8 s after stepping in.
    imp = monster(9, "DoomImp", 0.0, 700.0)
    for sector, move in ((1, 0.0), (0, 180.0)):
        agent = fighting_navigator(sector)
        wish = fight(agent, imp, 700.0)
        assert wish.face == 90.0 and wish.move == move  # facing the imp; in nukage on along the route, else strafing
        assert agent.status.state == "fighting"


def test_outnumbered_the_fight_backs_off_along_the_trail() -> None:
    # E2M2: six hitscanners in sight of a pistol start strafing in the open; dead in 23 s.
    agent = fighting_navigator(0)
    agent.combat.outnumbered = lambda health: True
    assert fight(agent, monster(9, "ShotgunGuy", 0.0, 300.0), 300.0).move == 270.0


def test_three_monsters_in_sight_outnumber_a_hurt_player() -> None:
    combat = Combat(world=FakeWorld([]), seed=1)  # type: ignore[arg-type]
    combat.seen = {1, 2}
    assert not combat.outnumbered(50.0)
    combat.seen = {1, 2, 3}
    assert combat.outnumbered(50.0)
    assert not combat.outnumbered(80.0)  # unhurt, it fights on where it stands (MAP08 ran out of time backing off)


def test_riding_the_lift_the_route_waits_on_it_shoots_without_stepping_off() -> None:
    # E1M7: strafing at shotgun guys seen from a rising lift stepped off it, again and again, for 457 s.
    agent = fighting_navigator(sector=0)
    agent.status.mover = 0  # the route waits on sector 0, which the player stands on
    wish = fight(agent, monster(9, "ShotgunGuy", 0.0, 400.0), 400.0)
    assert wish.move is None and wish.face is not None and agent.status.state == "fighting"
    agent.status.mover = 5  # waiting on another sector: it strafes as ever
    assert fight(agent, monster(9, "ShotgunGuy", 0.0, 400.0), 400.0).move is not None


def test_a_monster_clawing_at_the_players_side_comes_before_one_on_screen_ahead() -> None:
    # E3M3: a cacodemon on screen was fought while a demon bit from the side, 92 health to 8 in three seconds.
    demon = monster(7, "Demon", 0.0, 50.0)  # north, 90 degrees off the facing (east)
    caco = monster(8, "Cacodemon", 180.0, 0.0)  # ahead
    world = FakeWorld([demon, caco])
    state = SimpleNamespace(objects=world.objects, labels=[SimpleNamespace(object_id=8, object_name="Cacodemon")])
    chosen = Combat(world=world, seed=1).target(state, 0.0, 0.0, 0.0, hits=0.0, tic=1)  # type: ignore[arg-type]
    assert chosen is not None and chosen[0] is demon


def test_firepower_counts_the_ammunition_of_the_weapons_held() -> None:
    pistol_only = {2: True, 3: False, 4: False, 5: False, 6: False, 7: False}
    assert firepower(pistol_only, {2: 40.0, 3: 20.0, 4: 40.0, 5: 10.0, 6: 0.0, 7: 0.0}) == 400.0  # shells and rockets without their guns count nothing
    assert firepower({**pistol_only, 3: True}, {2: 40.0, 3: 20.0, 4: 40.0, 5: 10.0, 6: 0.0, 7: 0.0}) == 400.0 + 20 * 45.0
    assert firepower(ALL, AMMO) == 50 * 10.0 + 20 * 45.0 + 10 * 80.0  # the pistol and the chaingun share their bullets


def test_a_monster_the_ammunition_cannot_kill_is_left_alone_unless_it_is_at_hand() -> None:
    # MAP32: the pistol's last 40 bullets went into a cacodemon 740 units off (400 hit points), then the fist.
    caco = monster(8, "Cacodemon", 700.0, 0.0)
    world = FakeWorld([caco])
    state = SimpleNamespace(objects=world.objects, labels=[SimpleNamespace(object_id=8, object_name="Cacodemon")])
    combat = Combat(world=world, seed=1)  # type: ignore[arg-type]
    assert combat.target(state, 0.0, 0.0, 0.0, hits=0.0, tic=1, firepower=400.0) is None  # type: ignore[arg-type]
    chosen = combat.target(state, 0.0, 0.0, 0.0, hits=0.0, tic=2, firepower=1000.0)  # type: ignore[arg-type]
    assert chosen is not None and chosen[0] is caco
    caco.position_x = 100.0  # within claw reach: fought whatever the ammunition
    chosen = combat.target(state, 0.0, 0.0, 0.0, hits=0.0, tic=3, firepower=400.0)  # type: ignore[arg-type]
    assert chosen is not None and chosen[0] is caco
    # A hitscanner on screen shoots back: fought even with too little (ChaingunGuy: 70 hit points).
    gunner = monster(9, "ChaingunGuy", 600.0, 0.0)
    world = FakeWorld([gunner])
    state = SimpleNamespace(objects=world.objects, labels=[SimpleNamespace(object_id=9, object_name="ChaingunGuy")])
    chosen = Combat(world=world, seed=1).target(state, 0.0, 0.0, 0.0, hits=0.0, tic=1, firepower=50.0)  # type: ignore[arg-type]
    assert chosen is not None and chosen[0] is gunner


class FakeGraph:
    """The little of NavGraph that a back-off and a step off a hazard read: node places, and the nearest nodes."""

    def __init__(self, nodes: list[tuple[float, float, int]]) -> None:
        self.nodes = np.array(nodes, dtype=np.float64)
        self.xy = self.nodes[:, :2]
        self.hazard_nodes = np.zeros(len(nodes), dtype=bool)

    def nearest(self, x: float, y: float, count: int = 8) -> list[int]:
        order = np.argsort((self.xy[:, 0] - x) ** 2 + (self.xy[:, 1] - y) ** 2)
        return [int(i) for i in order[:count]]


def backing_navigator(god: bool) -> NavigatorAgent:
    """A navigator at (0, 0) whose trail circles it 100 units out, in a graph with a node 300 units west."""
    agent = NavigatorAgent.__new__(NavigatorAgent)
    agent.god, agent._retreat_cache, agent.unreachable_spots = god, None, {}
    agent.trail = deque([(0.0, 100.0), (-100.0, 0.0), (0.0, -100.0), (100.0, 100.0)])
    agent.graph = FakeGraph([(-300.0, 0.0, 0), (40.0, 0.0, 0), (0.0, 200.0, 0), (-400.0, 10.0, 0)])
    agent.world = SimpleNamespace(segment_clear=lambda *args, **kwargs: True, thing_in_the_way=lambda *args: False)
    return agent


def test_without_god_mode_a_back_off_goes_to_the_spot_farthest_from_the_foe() -> None:
    # MAP32: a demon met at the start; the trail circled the room, so each crumb backed off to lay 100 units off, on
    # every side of the demon in turn, and it bit from 50-100 units until the player died.
    foe = (100.0, 0.0)
    agent = backing_navigator(god=False)
    agent.graph.xy[3] = (1000.0, 0.0)  # the farthest from the foe of all, but past it: no way to back off
    assert agent._retreat(0.0, 0.0, *foe, tic=10) == 180.0  # west, to the node 400 units from it
    # Pinned on the way there (something in the way): that spot is left out for a while, the next farthest taken.
    agent.graph.xy[3] = (-400.0, 10.0)
    agent._retreat_cache, agent.backing, agent.pinned = None, (-100, 0.0, 0.0), False  # no back-off lately
    assert round(agent._back_off(0.0, 0.0, *foe, tic=12, sideways=lambda: 90.0)) == 179  # toward (-400, 10)
    agent._pinned = lambda x, y, tic: True  # type: ignore[method-assign]
    assert agent._back_off(0.0, 0.0, *foe, tic=13, sideways=lambda: 90.0) == 180.0  # to (-300, 0) instead
    assert agent.unreachable_spots == {(-400.0, 10.0): 13 + 70}
    # With god mode (a bite costs nothing): the latest crumb farther from the foe than the player, as before.
    assert backing_navigator(god=True)._retreat(0.0, 0.0, *foe, tic=10) == 270.0


def crusher_navigator(ceiling: float) -> NavigatorAgent:
    """A navigator standing in sector 3, a crusher whose ceiling was 136 when the episode began and is `ceiling` now;
    graph nodes in the crusher and, 80 units east, outside it."""
    agent = NavigatorAgent.__new__(NavigatorAgent)
    agent.god = False
    agent.status = Status(state="replanning")
    agent.travel = SimpleNamespace(sector=3)
    agent.crushers, agent.damaging = {3}, [False] * 5
    agent.world = SimpleNamespace(rest=SimpleNamespace(ceiling={3: 136.0}), sector=lambda s: (0.0, ceiling),
                                  segment_clear=lambda *args, **kwargs: True)
    agent.graph = FakeGraph([(10.0, 0.0, 3), (80.0, 0.0, 4)])
    agent.nav = SimpleNamespace(nodes=agent.graph.nodes)
    return agent


def test_under_a_running_crusher_the_player_steps_out_from_under_it() -> None:
    # E2M5: the route's own walk-over line set off a crusher over a room; fighting lost souls there, then standing
    # with no way on, the player was pinned under the ceiling, 100 health to none in a second.
    agent = crusher_navigator(ceiling=90.0)
    assert agent._under_crusher()
    wish = Wish(move=None)
    agent._off_hazard(0.0, 0.0, wish)
    assert wish.move == 0.0 and wish.run  # east, to the node outside the crusher
    resting = crusher_navigator(ceiling=136.0)  # at its height: nothing to step out from
    assert not resting._under_crusher()
    wish = Wish(move=None)
    resting._off_hazard(0.0, 0.0, wish)
    assert wish.move is None


def test_a_monster_not_seen_to_move_is_left_asleep_unless_the_player_is_hurt_or_it_is_at_hand() -> None:
    # Each shot wakes every monster that hears it: standing ones (asleep where the map put them) are not shot first.
    imp = monster(8, "DoomImp", 400.0, 0.0)
    world = FakeWorld([imp])
    state = SimpleNamespace(objects=world.objects, labels=[SimpleNamespace(object_id=8, object_name="DoomImp")])
    combat = Combat(world=world, seed=1)  # type: ignore[arg-type]
    for tic in range(5):
        assert combat.target(state, 0.0, 0.0, 0.0, hits=0.0, tic=tic, alert=False) is None  # type: ignore[arg-type]
    chosen = combat.target(state, 0.0, 0.0, 0.0, hits=0.0, tic=5, alert=True)  # type: ignore[arg-type]
    assert chosen is not None and chosen[0] is imp  # hurt lately: whatever is in sight is fought
    imp.position_y = 20.0  # it moved: awake, fought from now on
    chosen = combat.target(state, 0.0, 0.0, 0.0, hits=0.0, tic=6, alert=False)  # type: ignore[arg-type]
    assert chosen is not None and chosen[0] is imp
    sleeper = monster(9, "ShotgunGuy", 100.0, 0.0)  # within claw reach, though still, and on screen: fought
    world = FakeWorld([sleeper])
    state = SimpleNamespace(objects=world.objects, labels=[SimpleNamespace(object_id=9, object_name="ShotgunGuy")])
    chosen = Combat(world=world, seed=1).target(state, 0.0, 0.0, 0.0, hits=0.0, tic=1, alert=False)  # type: ignore[arg-type]
    assert chosen is not None and chosen[0] is sleeper
    # MAP14 (skills 3-5): a shotgunner asleep 60-85 units off, in straight sight on the map but never on screen (a
    # ledge above), was "fought" for the whole episode without a shot. Off screen and not hurting, it is left asleep.
    state = SimpleNamespace(objects=world.objects, labels=[])
    assert Combat(world=world, seed=1).target(state, 0.0, 0.0, 0.0, hits=0.0, tic=1, alert=False) is None  # type: ignore[arg-type]


def test_a_monster_at_hand_but_never_on_screen_is_given_up_on_unless_it_hurts() -> None:
    # Awake (it moves) within claw reach, faced, never on screen and never hit (behind bars, on a ledge): given up on.
    imp = monster(8, "DoomImp", 100.0, 0.0)
    world = FakeWorld([imp])
    state = SimpleNamespace(objects=world.objects, labels=[])
    combat = Combat(world=world, seed=1)  # type: ignore[arg-type]
    combat.awake.add(8)
    fought = [combat.target(state, 0.0, 0.0, 0.0, hits=0.0, tic=tic, alert=False) for tic in range(1, 30)]  # type: ignore[arg-type]
    assert fought[0] is not None and fought[-1] is None and 8 in combat.ignored
    # Hurt lately (it claws): never given up on.
    combat = Combat(world=world, seed=1)  # type: ignore[arg-type]
    combat.awake.add(8)
    assert all(combat.target(state, 0.0, 0.0, 0.0, hits=0.0, tic=tic, alert=True) is not None for tic in range(1, 30))  # type: ignore[arg-type]
