"""The navigator's combat choices without god mode (combat.py): weapons, sidestepping projectiles, barrels."""

from __future__ import annotations

from types import SimpleNamespace

from playtest_agent.agents.combat import ROCKET_SAFE, Combat, weapon_for

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
