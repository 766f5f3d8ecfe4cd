"""The navigator's detours for supplies without god mode (supplies.py): arming first on a pistol start,
health before anything else when badly hurt."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from playtest_agent import env as E
from playtest_agent.agents.supplies import LOOK_EVERY, Supplies


class FakeWorld:
    """The little of LiveWorld that Supplies reads: class names, places, and straight walks (always clear)."""

    def __init__(self, objects: list[SimpleNamespace]) -> None:
        self.objects = objects

    def object_names(self) -> list[str]:
        return [o.name for o in self.objects]

    def find(self, object_id: int, place: int, name: str | None = None) -> int:
        return next((i for i, o in enumerate(self.objects) if o.id == object_id), -1)

    def segment_clear(self, *args: float, **kwargs: float) -> bool:
        return True


def item(object_id: int, name: str, x: float, y: float) -> SimpleNamespace:
    return SimpleNamespace(id=object_id, name=name, position_x=x, position_y=y, sector_id=0, category="Item")


def variables(health: float, weapon: int, ammo: float = 50.0) -> np.ndarray:
    v = np.zeros(len(E.VARIABLES))
    v[E.HEALTH], v[E.WEAPON], v[E.AMMO] = health, weapon, ammo
    return v


def look(supplies: Supplies, objects: list[SimpleNamespace], v: np.ndarray) -> tuple[tuple[float, float], int | None] | None:
    """The item wanted at the next look (Supplies looks every LOOK_EVERY steps)."""
    state = SimpleNamespace(objects=objects)
    wanted = None
    for _ in range(LOOK_EVERY):
        wanted = supplies.wanted(state, v, 0.0, 0.0, tic=100)  # type: ignore[arg-type]
    return wanted


def supplies_for(objects: list[SimpleNamespace]) -> Supplies:
    supplies = Supplies(FakeWorld(objects), graph=None, god=False)  # type: ignore[arg-type]
    supplies.damaging = np.zeros(1, dtype=bool)
    return supplies


def test_a_pistol_start_goes_for_a_shotgun_far_off_the_route_first() -> None:
    objects = [item(1, "Clip", 100.0, 0.0), item(2, "Shotgun", 1500.0, 0.0)]
    wanted = look(supplies_for(objects), objects, variables(health=100, weapon=2))
    assert wanted is not None and wanted[0] == (1500.0, 0.0)
    # With a shotgun in hand, only the clip next to the player (a short step aside).
    wanted = look(supplies_for(objects), objects, variables(health=100, weapon=3))
    assert wanted is None or wanted[0] == (100.0, 0.0)


def test_badly_hurt_on_the_way_to_a_weapon_it_turns_to_health() -> None:
    objects = [item(2, "Shotgun", 1500.0, 0.0), item(3, "Stimpack", 0.0, 400.0)]
    supplies = supplies_for(objects)
    assert look(supplies, objects, variables(health=90, weapon=2))[0] == (1500.0, 0.0)  # type: ignore[index]
    assert look(supplies, objects, variables(health=30, weapon=2))[0] == (0.0, 400.0)  # type: ignore[index]


def test_a_radiation_suit_is_worth_a_detour_on_a_map_with_nukage_only() -> None:
    suit = item(5, "RadSuit", 600.0, 0.0)
    supplies = supplies_for([suit])
    assert look(supplies, [suit], variables(100.0, 3)) is None  # no damaging floor on the map: left alone
    supplies = supplies_for([suit])
    supplies.damaging = np.array([True])  # the suit itself lies in the nukage: fetched all the same
    assert look(supplies, [suit], variables(100.0, 3)) == ((600.0, 0.0), None)


def test_short_of_ammunition_means_every_gun_short_not_the_one_in_hand() -> None:
    # E1M7: a shotgun with 6 shells in hand and 120 bullets for the pistol; it spent 150 s hunting shells by lifts and
    # doors (the weapon choice falls back on the pistol when the shells run out).
    box = item(7, "ShellBox", 900.0, 0.0)
    supplies = supplies_for([box])
    supplies.rounds = lambda: 120.0
    assert look(supplies, [box], variables(100.0, 3, ammo=6.0)) is None
    supplies = supplies_for([box])
    supplies.rounds = lambda: 6.0  # every gun short: ammunition by the graph, far off
    assert look(supplies, [box], variables(100.0, 3, ammo=6.0)) == ((900.0, 0.0), None)
