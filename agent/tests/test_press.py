"""Pressing a line (travel.py's `press`): from in front within reach, else walk up to the spot before it; an approach
that stalls presses from where it stands, but only a stall of this approach counts (E2M6)."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np

from playtest_agent.agents.steering import bearing
from playtest_agent.agents.travel import Traveller
from playtest_agent.agents.world import LiveWorld
from playtest_agent.mapdata import MapData

# A door line 64 wide at the back of an alcove, its front facing north; the alcove's side hides it from the west.
DOOR = (488.0, -288.0, 424.0, -288.0)


def traveller(reach: tuple[int, float, int, int]) -> Traveller:
    door = LiveWorld(MapData(*(np.array([v]) for v in DOOR), front=np.array([0]), back=np.array([1]),
                             impassable=np.array([False]), special=np.array([0]), things=np.zeros((0, 4))), 2)
    travel = Traveller.__new__(Traveller)
    travel.status = SimpleNamespace(state="walking")
    travel.world = SimpleNamespace(map=door.map, distance_to_line=door.distance_to_line, front_side=door.front_side,
                                   crossed_lines=door.crossed_lines,
                                   sight_clear=lambda x0, y0, x1, y1: x0 > 420.0)  # from the west the alcove's side is in the way
    travel.reach = reach
    travel.angle = 0.0
    travel.guarded = frozenset()
    return travel


def facing(travel: Traveller, x: float, y: float) -> Traveller:
    """The player turned toward the point of the door it aims at."""
    travel.angle = bearing(x, y, *travel.line_point(0, x, y))
    return travel


def test_a_new_approach_walks_up_to_the_spot_even_after_an_old_stall() -> None:
    # E2M6: the player glided past the door's spot into the corner beside the alcove; the door had been walked up to
    # long before, so "came no closer for 24 tics" held at once and it pressed from behind the wall for 6 minutes.
    travel = traveller((0, 46.0, 100, 100))
    wish = travel.press(0, 400.3, -255.8, 5000)
    assert wish.move is not None and not wish.use  # to the spot in front of the door
    # Stalled in this approach (no closer for more than 24 tics), it presses from where it stands.
    for tic in range(5004, 5032, 4):
        wish = facing(travel, 400.3, -255.8).press(0, 400.3, -255.8, tic)
    assert wish.use and wish.move is None


def test_in_front_and_in_sight_it_presses() -> None:
    wish = facing(traveller((-1, math.inf, 0, 0)), 456.0, -256.0).press(0, 456.0, -256.0, 10)
    assert wish.use and wish.move is None


def test_it_turns_until_the_use_ray_reaches_the_line_before_pressing() -> None:
    # USE held while turning would be taken by Doom at the first tic, facing away, and ignored until let go.
    travel = traveller((-1, math.inf, 0, 0))
    travel.angle = 180.0  # facing west, the door (x 424-488) 32 units south of the player
    wish = travel.press(0, 456.0, -256.0, 10)
    assert not wish.use and wish.face is not None and abs(wish.face - 270.0) < 1.0
    travel.angle = 240.0  # 30 degrees off its middle: the 64-unit ray meets the door 18 units west of the middle
    assert travel.press(0, 456.0, -256.0, 11).use
    travel.angle = 200.0  # the ray passes west of the door's end
    assert not travel.press(0, 456.0, -256.0, 12).use


def test_only_a_press_sent_facing_the_line_starts_the_steps_timeout() -> None:
    # MAP04 step 2: a fight took every wished press over for 5 s (facing a monster, no USE), and the step was given up
    # as pressed in vain. A press counts only when the wish that goes to the engine holds USE facing the line.
    from playtest_agent.agents.navigator import NavigatorAgent
    from playtest_agent.agents.steering import Wish
    from playtest_agent.navigation import Step

    agent = NavigatorAgent.__new__(NavigatorAgent)
    agent.first_press, agent.last_press, agent.press_pose = -1, -10**6, None
    step = Step(index=2, kind="use", node=7, note="", line=883)

    def count(wish: Wish, x: float, y: float, angle: float, tic: int, pressed: bool = True) -> None:
        agent.press_wish = Wish(face=200.0, use=True) if not pressed else wish  # what `_perform` made this step
        agent._count_press(step, wish, x, y, angle, tic)

    count(Wish(face=40.0, attack=True), 0.0, 0.0, 40.0, tic=100, pressed=False)  # a fight took the press over
    count(Wish(move=90.0, use=True), 0.0, 0.0, 170.0, tic=105, pressed=False)  # unsticking: USE, not the step's press
    count(Wish(face=200.0), 0.0, 0.0, 170.0, tic=110)  # the press, still turning: no USE yet (`Traveller.press`)
    assert agent.first_press == -1 and agent.press_pose is None
    count(Wish(face=200.0, use=True), 5.0, 6.0, 192.0, tic=120)
    assert agent.first_press == 120 and agent.last_press == 120 and agent.press_pose == (5.0, 6.0, 192.0)
    step = Step(index=3, kind="shoot", node=8, note="", line=9)
    count(Wish(face=10.0, attack=True), 0.0, 0.0, 30.0, tic=125)  # firing, not yet facing the line
    assert agent.last_press == 120
    count(Wish(face=10.0, attack=True), 0.0, 0.0, 10.0, tic=130)
    assert agent.first_press == 120 and agent.last_press == 130
