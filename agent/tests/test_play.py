"""Each agent plays short episodes on a VizDoom scenario and on freedoom2 MAP01."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FAST_ENV, Run, run_agent

PLACES = {
    "scenario": {"scenario_cfg": "defend_the_center"},
    "freedoom2_map01": {"map": "MAP01"},
}


def assert_well_formed(run: Run, episodes: int) -> None:
    assert run.returncode == 0, run.stderr
    types = [m["type"] for m in run.messages]
    assert types[0] == "hello" and types[-1] == "done"
    assert run.messages[-1]["reason"] == "completed"
    assert len(run.of("episode_start")) == episodes
    ends = run.of("episode_end")
    assert len(ends) == episodes
    for end in ends:
        assert end["reason"] in ("death", "timeout", "exit")
        assert end["steps"] > 0
        assert end["tics"] >= end["steps"]


@pytest.mark.parametrize("place", sorted(PLACES))
@pytest.mark.parametrize("agent", ["random", "explorer"])
def test_scripted_agents_play(agent: str, place: str, tmp_path: Path) -> None:
    config = {"agent": agent, "episodes": 2, "seed": 11, "env": dict(FAST_ENV), "telemetry_every": 1, **PLACES[place]}
    run = run_agent("evaluate", config, tmp_path)
    assert_well_formed(run, 2)
    steps = run.of("step")
    assert len(steps) == sum(e["steps"] for e in run.of("episode_end"))
    first = steps[0]
    assert first["step"] == 1 and first["tic"] > 0
    assert isinstance(first["buttons"], list)


@pytest.mark.parametrize("place", sorted(PLACES))
def test_dqn_agent_plays_with_a_checkpoint(place: str, tmp_path: Path, trained_checkpoint: tuple[Path, Run]) -> None:
    checkpoint, _ = trained_checkpoint
    config = {"agent": "dqn", "checkpoint": str(checkpoint), "episodes": 1, "seed": 3, "env": {**FAST_ENV, "episode_timeout": 200},
              "telemetry_every": 5, **PLACES[place]}
    run = run_agent("evaluate", config, tmp_path)
    assert_well_formed(run, 1)
    # The checkpoint brings its action set (turn_lr;attack): only those buttons are ever pressed.
    pressed = {b for step in run.of("step") for b in step["buttons"]}
    assert pressed <= {"TURN_LEFT", "TURN_RIGHT", "ATTACK"}


def test_telemetry_every_k_steps(tmp_path: Path) -> None:
    config = {"agent": "random", "scenario_cfg": "defend_the_center", "episodes": 1, "seed": 2,
              "env": dict(FAST_ENV), "telemetry_every": 7}
    run = run_agent("evaluate", config, tmp_path)
    assert_well_formed(run, 1)
    assert [s["step"] for s in run.of("step")] == list(range(7, run.of("episode_end")[0]["steps"] + 1, 7))


def test_explorer_covers_more_ground_than_random(tmp_path: Path) -> None:
    # bench/agent/bench_coverage.py measures 8 maps x 2 seeds: explorer/random is 1.7x to 10x there.
    visited = {}
    for agent in ("random", "explorer"):
        for game_map in ("MAP01", "MAP03"):
            config = {"agent": agent, "map": game_map, "episodes": 1, "seed": 1, "telemetry_every": 0,
                      "env": {"episode_timeout": 1400}}
            run = run_agent("evaluate", config, tmp_path)
            assert run.returncode == 0, run.stderr
            visited[agent, game_map] = run.of("episode_end")[0]["cells_visited"]
    for game_map in ("MAP01", "MAP03"):
        assert visited["explorer", game_map] >= 1.5 * visited["random", game_map], visited


# The scenarios whose player holds no weapon (VizDoom says -1 for the ammo and the slot), and one with a weapon
# VizDoom has no slot for.
WEAPONLESS = ["my_way_home", "health_gathering", "health_gathering_supreme", "take_cover", "rocket_basic"]


@pytest.mark.parametrize("scenario", WEAPONLESS)
def test_scenarios_without_a_weapon_in_hand_report_zero(scenario: str, tmp_path: Path) -> None:
    config = {"agent": "random", "scenario_cfg": scenario, "episodes": 1, "seed": 5,
              "env": {**FAST_ENV, "episode_timeout": 70}, "telemetry_every": 1}
    run = run_agent("evaluate", config, tmp_path)
    assert_well_formed(run, 1)
    for step in run.of("step"):
        assert step["ammo"] >= 0 and step["weapon"] >= 0, step
