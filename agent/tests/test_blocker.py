"""A monster that body-blocks the navigator's walk (E2M5's spectres: never on screen as a label) is fought where the
objects info says it is, instead of backing off and giving the step up (navigator.py, `_blocker`)."""

from __future__ import annotations

from types import SimpleNamespace

from playtest_agent.agents.navigator import BLOCKER_RANGE, NavigatorAgent


def thing(x: float, y: float, category: str = "Monster", object_id: int = 1) -> SimpleNamespace:
    return SimpleNamespace(id=object_id, position_x=x, position_y=y, category=category)


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
