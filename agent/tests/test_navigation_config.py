"""The `navigation` object and `env.god_mode` are validated with errors that name the field."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

import planted_maps
from conftest import run_agent
from playtest_agent.config import ConfigError, parse_config
from playtest_agent.mapdata import read_map

NAVIGATION = planted_maps._navigation(
    "MAP01", [[0, 0, 0], [64, 0, 0]], [[0, 1, [0]]],
    [{"kind": "use", "node": 1, "line": 3, "target": [96, 0], "expect": [{"sector": 1, "ceiling_at_least": 120}]},
     {"kind": "exit", "node": 1, "line": 4, "how": "use", "target": [96, 0]}],
    movers=[{"sector": 1, "kind": "door", "open": {"ceiling": 124},
             "openers": [{"line": 3, "how": "use", "node": 1, "key": None, "repeatable": True}]}],
)


def config_with(navigation: Any, **top: Any) -> dict[str, Any]:
    return {"agent": "navigator", "map": "MAP01", "env": {"skill": 3}, "navigation": navigation, **top}


def edited(path: str, value: Any) -> dict[str, Any]:
    """NAVIGATION with the field at `path` (dots and [i]) set to `value`, or removed when value is ...."""
    data = copy.deepcopy(NAVIGATION)
    parts = path.replace("[", ".").replace("]", "").split(".")
    target: Any = data
    for part in parts[:-1]:
        target = target[int(part)] if part.isdigit() else target[part]
    last = parts[-1]
    if value is ...:
        del target[int(last) if last.isdigit() else last]
    elif last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value
    return data


def test_a_valid_navigation_object_is_parsed() -> None:
    config = parse_config(config_with(NAVIGATION))
    nav = config.navigation
    assert nav.nodes.shape == (2, 3) and nav.edges[0].sectors == (0,)
    assert nav.steps[0].expect[0].holds(0, 124) and not nav.steps[0].expect[0].holds(0, 100)
    assert nav.movers[1].openers[0].how == "use" and nav.steps[1].how == "use"


@pytest.mark.parametrize("path, value, message", [
    ("version", 2, "navigation.version: this runtime reads version 1"),
    ("verdict", "maybe", "navigation.verdict: must be one of completable, blocked, unknown"),
    ("nodes[1]", [64, 0], "navigation.nodes[1]: must be [x, y, sector]"),
    ("nodes[1][0]", "east", "navigation.nodes[1][0]: must be a finite number"),
    ("edges[0][1]", 5, "navigation.edges[0][1]: must be < 2 (an index)"),
    ("edges[0][2]", [], "navigation.edges[0][2]: must list at least one sector"),
    ("steps[0].kind", "jump", "navigation.steps[0].kind: must be one of walk, pickup"),
    ("steps[0].node", 9, "navigation.steps[0].node: must be < 2"),
    ("steps[0].target", ..., "navigation.steps[0]: missing field(s) target"),
    ("steps[0].expect[0]", {"sector": 1}, "navigation.steps[0].expect[0]: must have a sector and at least one of"),
    ("steps[0].expect[0]", {"sector": 1, "floor_at_most": "low"}, "navigation.steps[0].expect[0].floor_at_most: must be a finite"),
    ("steps[1].line", ..., "navigation.steps[1]: this exit step by use needs a line"),
    ("steps[1].how", "jump", "navigation.steps[1].how: must be one of use, cross, shoot"),
    ("steps[1]", {"kind": "walk", "node": 1}, "navigation.steps: a completable plan must end with an exit step"),
    ("movers[0].openers[0].how", "wish", "navigation.movers[0].openers[0].how: must be one of use, walk, shoot, auto"),
    ("movers[0].openers[0].key", 5, "navigation.movers[0].openers[0].key: must be null or a key name"),
    ("movers[0].openers[0].node", 7, "navigation.movers[0].openers[0].node: must be < 2"),
    ("nodes", ..., "navigation: missing field(s) nodes"),
    ("hops", [3], "navigation.hops[0]: must be < 1"),
])
def test_a_bad_navigation_object_names_the_field(path: str, value: Any, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse_config(config_with(edited(path, value)))
    assert str(error.value).startswith(message), str(error.value)


def test_the_planner_may_add_fields_and_leave_optional_ones_out() -> None:
    data = copy.deepcopy(NAVIGATION)
    data["areas"] = [1, 2]
    data["steps"][0]["area"] = 3
    data["steps"][0]["path"] = [0, 1]
    data["start"] = None  # a map without a player start
    del data["movers"][0]["openers"][0]["node"]  # no spot found to stand on
    data["steps"][0]["expect"][0]["floor_at_most"] = 8  # two bounds in one expectation
    data["nodes"][1][2] = 0.0  # a sector index written as a float
    data["edges"][0] = [0, 1, [0], [], [[0, 1]]]  # with touches
    data["hops"] = [0]  # walked at a run (a hop beside a moving floor)
    nav = parse_config(config_with(data)).navigation
    assert nav.edges[0].touches == ((0, 1),) and nav.hops == frozenset({0})
    assert nav.steps[0].line == 3 and nav.start is None and nav.movers[1].openers[0].node is None
    assert nav.steps[0].expect[0].holds(0, 124) and not nav.steps[0].expect[0].holds(16, 124)


def test_the_plan_must_be_for_the_map_and_skill_played() -> None:
    with pytest.raises(ConfigError, match="navigation.map MAP01 does not match the map to play \\(MAP02\\)"):
        parse_config(config_with(NAVIGATION, map="MAP02"))
    with pytest.raises(ConfigError, match="navigation.skill 3 does not match env.skill 2"):
        parse_config({**config_with(NAVIGATION), "env": {"skill": 2}})


def test_the_navigator_needs_a_navigation_object_and_its_own_action_set() -> None:
    with pytest.raises(ConfigError, match="agent navigator needs a navigation object"):
        parse_config({"agent": "navigator", "map": "MAP01"})
    with pytest.raises(ConfigError, match="own action set"):
        parse_config({**config_with(NAVIGATION), "env": {"skill": 3, "action_combinations": "move_fb;turn_lr"}})
    # Other agents may carry one (the platform sends it with every user map) and ignore it.
    assert parse_config({**config_with(NAVIGATION), "agent": "explorer"}).navigation.map == "MAP01"


@pytest.mark.parametrize("value", ["yes", 1, None])
def test_god_mode_must_be_a_boolean(value: Any) -> None:
    with pytest.raises(ConfigError, match="env.god_mode must be true or false"):
        parse_config({"agent": "random", "env": {"god_mode": value}})


def test_the_command_line_reports_a_missing_navigation_object(tmp_path: Path) -> None:
    run = run_agent("evaluate", {"agent": "navigator", "map": "MAP01"}, tmp_path)
    assert run.returncode == 2
    error = run.of("error")[0]
    assert error["code"] == "config_invalid" and "navigation" in error["message"]
    assert run.messages[-1]["type"] == "done" and run.messages[-1]["reason"] == "error"


def test_map_geometry_is_read_from_the_wad_with_the_wad_indexes(tmp_path: Path) -> None:
    wad, navigation = planted_maps.key_and_doors(tmp_path)
    data = read_map([wad], "MAP01")
    use_step, pickup, exit_step = navigation["steps"]
    assert data.midpoint(use_step["line"]) == tuple(use_step["target"])
    assert data.midpoint(exit_step["line"]) == tuple(exit_step["target"])
    assert data.special[use_step["line"]] == 103 and data.special[exit_step["line"]] == 11
    assert data.back[exit_step["line"]] == -1 and data.front[exit_step["line"]] == 4  # a wall of room C
    assert tuple(data.things[pickup["thing"]]) == (784.0, 400.0, 0.0, 5.0)
    # The door's front faces room B: the normal points away from the door (x < 1040).
    blue = navigation["movers"][1]["openers"][0]["line"]
    assert data.front[blue] == 2 and data.back[blue] == 3 and data.front_normal(blue)[0] < 0
