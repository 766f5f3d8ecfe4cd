"""What blocks the navigator, and what it does about it (navigator.py): a monster that body-blocks its walk (E2M5's
spectres: never on screen as a label) or holds a lift down (MAP05's imp) is fought where the objects info says it
is, instead of backing off and giving the step up; off the route, a glide toward a ledge brakes (MAP32); on the route
near a ledge, the walk thrusts against its glide (E3M3)."""

from __future__ import annotations

from collections import deque
from types import SimpleNamespace

from playtest_agent.agents.navigator import (BLOCKER_FIGHT_TICS, BLOCKER_FIGHTS, BLOCKER_RANGE, CONTACT_RANGE, STALLED_MOVER_TICS,
                                             NavigatorAgent)
from playtest_agent.agents.steering import Wish


def thing(x: float, y: float, category: str = "Monster", object_id: int = 1, z: float = 0.0) -> SimpleNamespace:
    return SimpleNamespace(id=object_id, position_x=x, position_y=y, position_z=z, category=category)


def blocker(*objects: SimpleNamespace, heading: float = 0.0, reachable=lambda x, y: True) -> SimpleNamespace | None:
    return NavigatorAgent._blocker(SimpleNamespace(objects=list(objects)), 0.0, 0.0, heading, reachable)  # type: ignore[arg-type]


def test_the_nearest_live_monster_ahead_within_range_blocks_the_walk() -> None:
    near, far = thing(40.0, 10.0, object_id=1), thing(80.0, 0.0, object_id=2)
    assert blocker(far, near) is near
    # Walking north, a monster 40 units east is off to the side, one north of the player is in the way.
    assert blocker(near, heading=90.0) is None
    assert blocker(thing(5.0, 60.0), heading=90.0) is not None


def test_a_monster_behind_too_far_or_dead_does_not() -> None:
    assert blocker(thing(-40.0, 0.0)) is None
    assert blocker(thing(BLOCKER_RANGE + 1.0, 0.0)) is None
    assert blocker(thing(40.0, 0.0, category="Dead")) is None
    assert blocker(thing(40.0, 0.0, category="Player")) is None
    # One behind bars or on a ledge (no walk reaches it) blocks nothing; the next one that a walk reaches does.
    caged, free = thing(40.0, 0.0, object_id=1), thing(60.0, 0.0, object_id=2)
    assert blocker(caged, free, reachable=lambda x, y: x > 50.0) is free


def test_a_monster_that_pins_the_player_is_fought_whichever_way_the_walk_heads_and_however_often() -> None:
    # E4M6 with god mode: a baron 48 units south-west held the player in a wedge between two walls by a lift, while
    # every route led north or east; four fights of 5 s did not kill it, and backing off went nowhere.
    baron, far = thing(-25.0, -41.0, object_id=1), thing(CONTACT_RANGE + 10.0, 0.0, object_id=2)
    agent = NavigatorAgent.__new__(NavigatorAgent)
    agent.world = SimpleNamespace(segment_clear=lambda x0, y0, x1, y1: True)
    agent.travel = SimpleNamespace(z=0.0)
    agent.blocker_fights = {baron.id: BLOCKER_FIGHTS, far.id: BLOCKER_FIGHTS}
    assert blocker(baron, heading=45.0) is None  # not ahead of the walk
    assert agent._pinning(SimpleNamespace(objects=[baron, far]), 0.0, 0.0) is baron  # type: ignore[arg-type]
    assert agent._may_fight(baron, 0.0, 0.0)  # type: ignore[arg-type]
    # Beyond contact: in the way perhaps, but fought BLOCKER_FIGHTS times only.
    assert agent._pinning(SimpleNamespace(objects=[far]), 0.0, 0.0) is None  # type: ignore[arg-type]
    assert not agent._may_fight(far, 0.0, 0.0)  # type: ignore[arg-type]
    agent.world = SimpleNamespace(segment_clear=lambda x0, y0, x1, y1: False)  # behind a wall: pins nothing
    assert agent._pinning(SimpleNamespace(objects=[baron]), 0.0, 0.0) is None  # type: ignore[arg-type]


def test_a_monster_the_player_stands_on_neither_blocks_nor_pins_it() -> None:
    # E4M7 with god mode: an imp in a lift shaft, the player on its head 56 units above the shaft's floor; shot at for
    # 180 s, the bullets hitting the shaft's wall. One a step below the player's feet still blocks (a step down to it).
    agent = NavigatorAgent.__new__(NavigatorAgent)
    agent.world = SimpleNamespace(segment_clear=lambda x0, y0, x1, y1: True)
    agent.travel = SimpleNamespace(z=-56.0)
    underfoot, step_below = thing(15.0, 0.0, z=-112.0), thing(15.0, 0.0, z=-80.0)
    assert agent._pinning(SimpleNamespace(objects=[underfoot]), 0.0, 0.0) is None  # type: ignore[arg-type]
    assert agent._pinning(SimpleNamespace(objects=[step_below]), 0.0, 0.0) is step_below  # type: ignore[arg-type]
    assert NavigatorAgent._blocker(SimpleNamespace(objects=[underfoot]), 0.0, 0.0, 0.0, feet=-56.0) is None  # type: ignore[arg-type]
    assert NavigatorAgent._blocker(SimpleNamespace(objects=[underfoot]), 0.0, 0.0, 0.0) is underfoot  # type: ignore[arg-type]


def waiting_navigator(waited_tics: int, *objects: SimpleNamespace) -> tuple[NavigatorAgent, SimpleNamespace]:
    """A navigator standing at (0, 0) facing north, waiting on mover 96 since tic 1000 minus `waited_tics`."""
    agent = NavigatorAgent.__new__(NavigatorAgent)
    agent.status = SimpleNamespace(mover=96, state="waiting")
    agent.travel = SimpleNamespace(wait_since=1000 - waited_tics)
    agent.world = SimpleNamespace(sight_clear=lambda x0, y0, x1, y1: True)
    agent.blocker_fights, agent.blocker = {}, None
    agent.history = deque()
    return agent, SimpleNamespace(objects=list(objects))


def test_a_monster_beside_a_lift_waited_on_too_long_is_shot() -> None:
    # MAP05: an imp at the edge of the lift the player stands on, off to its side, keeps the lift from rising.
    imp = thing(57.0, 2.0)
    agent, state = waiting_navigator(STALLED_MOVER_TICS, imp)
    wish = agent._fight_mover_blocker(state, 0.0, 0.0, 90.0, 1000)  # type: ignore[arg-type]
    assert wish is not None and abs(wish.face - 2.0) < 1.0 and not wish.attack  # turning to it; fires once facing
    assert agent.blocker == (imp.id, 1000 + BLOCKER_FIGHT_TICS) and agent.status.state == "fighting"
    assert agent._fight_blocker(state, 0.0, 0.0, 2.0, 1001).attack  # type: ignore[arg-type, union-attr]


def test_a_short_wait_or_a_monster_far_or_fought_enough_is_left_alone() -> None:
    near = thing(57.0, 2.0)
    agent, state = waiting_navigator(STALLED_MOVER_TICS - 1, near)
    assert agent._fight_mover_blocker(state, 0.0, 0.0, 90.0, 1000) is None  # type: ignore[arg-type]
    agent, state = waiting_navigator(STALLED_MOVER_TICS, thing(BLOCKER_RANGE + 1.0, 0.0))
    assert agent._fight_mover_blocker(state, 0.0, 0.0, 90.0, 1000) is None  # type: ignore[arg-type]
    agent, state = waiting_navigator(STALLED_MOVER_TICS, near)
    agent.blocker_fights[near.id] = BLOCKER_FIGHTS
    assert agent._fight_mover_blocker(state, 0.0, 0.0, 90.0, 1000) is None  # type: ignore[arg-type]


def moving_navigator(prev: tuple[float, float], ledge_within: float | None) -> NavigatorAgent:
    """A navigator now at (0, 0), at `prev` one decision (4 tics) before; a ledge lies `ledge_within` units ahead
    whichever way it heads (None: no ledge)."""
    agent = NavigatorAgent.__new__(NavigatorAgent)
    agent.travel = SimpleNamespace(prev=prev, z=0.0, velocity=lambda x, y: ((x - prev[0]) / 4, (y - prev[1]) / 4))
    agent.steering = SimpleNamespace(frame_skip=4)
    agent.world = SimpleNamespace(ledge_ahead=lambda x, y, z, direction, reach, close=32.0, below=2.0: ledge_within is not None and ledge_within <= reach)
    return agent


def test_off_the_route_a_glide_toward_a_ledge_brakes() -> None:
    # Running south at 14 units a tic (MAP32's detour to an item by a pit's lip), the lip 120 units on.
    agent = moving_navigator((0.0, 56.0), ledge_within=120.0)
    wish = Wish(face=270.0, move=270.0, run=True)
    agent._brake(0.0, 0.0, wish)
    assert wish.move == 90.0 and wish.run  # thrust north, against the glide
    # Far from any ledge, or creeping, the wish stands.
    for agent in (moving_navigator((0.0, 56.0), ledge_within=None), moving_navigator((0.0, 8.0), ledge_within=20.0)):
        wish = Wish(face=270.0, move=270.0, run=True)
        agent._brake(0.0, 0.0, wish)
        assert wish.move == 270.0


def test_near_a_ledge_the_walk_thrusts_against_its_glide() -> None:
    # E3M3: off a lift onto a 32-wide bridge, then a turn west while still gliding south-west: off the bridge.
    agent = moving_navigator((20.0, 40.0), ledge_within=16.0)  # 5 units a tic west and 10 south
    wish = Wish(face=180.0, move=180.0, run=False)
    agent._hold_line(0.0, 0.0, wish)
    assert abs(wish.move - 108.4) < 0.1  # west and mostly north: the southward glide is taken out
    # Without a ledge near, or already at the walk's velocity, the way is kept.
    for agent in (moving_navigator((20.0, 40.0), ledge_within=None), moving_navigator((33.32, 0.0), ledge_within=16.0)):
        wish = Wish(face=180.0, move=180.0, run=False)
        agent._hold_line(0.0, 0.0, wish)
        assert wish.move == 180.0


def test_a_run_glides_on_to_a_ledge_beyond_the_near_ones() -> None:
    # E4M7: running 18 units a tic down a stair that turns at a pit's edge at its foot, the pit 150 units on: the glide
    # carries that far (about 11 tics of its speed), so the walk thrusts against it there already.
    agent = moving_navigator((0.0, -72.0), ledge_within=150.0)
    wish = Wish(face=150.0, move=150.0, run=True)
    agent._hold_line(0.0, 0.0, wish)
    assert wish.move > 150.0 + 30.0  # turned away from the northward glide
    agent = moving_navigator((0.0, -16.0), ledge_within=150.0)  # walking 4 a tic: it stops well short
    wish = Wish(face=150.0, move=150.0, run=True)
    agent._hold_line(0.0, 0.0, wish)
    assert wish.move == 150.0


def guarded_navigator(prev: tuple[float, float], crossed: list[int], route_lines: set[int]) -> NavigatorAgent:
    """A navigator now at (0, 0), at `prev` one decision (4 tics) before, guarding line 7, line 9 a teleporter; the glide's segment
    crosses `crossed`; its route's walks cross `route_lines`."""
    agent = NavigatorAgent.__new__(NavigatorAgent)
    agent.travel = SimpleNamespace(prev=prev, shunned=frozenset({7, 9}), pad_lines={9: frozenset({9})},
                                   velocity=lambda x, y: ((x - prev[0]) / 4, (y - prev[1]) / 4), route_lines=lambda: route_lines)
    agent.nav = SimpleNamespace(steps=[])
    agent.step_index = 0
    agent.steering = SimpleNamespace(frame_skip=4)
    agent.world = SimpleNamespace(crossed_lines=lambda x0, y0, x1, y1: crossed, line_box=lambda line: (-100.0, -100.0, 100.0, 100.0))
    agent._shunned = (None, [])
    return agent


def test_a_glide_toward_a_guarded_line_or_a_teleporter_brakes_unless_the_route_crosses_it() -> None:
    # E4M7: arriving at a switch's spot, the glide went on along the alcove onto the W1 line that raised a floor
    # into the way to the red door. MAP19: a turn beside a teleporter pad, overshot, teleported the player.
    for line in (7, 9):
        agent = guarded_navigator((0.0, 32.0), crossed=[3, line], route_lines=set())
        wish = Wish(face=180.0)
        agent._shun_lines(0.0, 0.0, wish)
        assert wish.move == 90.0 and wish.run  # thrust north, against the southward glide
    for agent in (guarded_navigator((0.0, 32.0), crossed=[3], route_lines=set()),  # not toward the line
                  guarded_navigator((0.0, 32.0), crossed=[7], route_lines={7}),  # the route means to cross it
                  guarded_navigator((0.0, 32.0), crossed=[9], route_lines={9}),  # or to take the teleporter
                  guarded_navigator((0.0, 0.0), crossed=[7], route_lines=set())):  # standing still
        wish = Wish(face=180.0)
        agent._shun_lines(0.0, 0.0, wish)
        assert wish.move is None
    # A teleport step crosses its own teleporter, by no route.
    agent = guarded_navigator((0.0, 32.0), crossed=[9], route_lines=set())
    agent.nav.steps.append(SimpleNamespace(line=9))
    wish = Wish(face=180.0)
    agent._shun_lines(0.0, 0.0, wish)
    assert wish.move is None
