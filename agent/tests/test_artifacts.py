"""Demos replay to the same result; screenshots are written on tics, death, standing still and milestones."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FAST_ENV, run_agent
from playtest_agent import env as E
from playtest_agent.agents import make_agent
from playtest_agent.config import ConfigError, parse_config
from playtest_agent.env import DoomEnv, KILLS, X, Y
from playtest_agent.evaluate import MILESTONE_SHOTS, Milestones
from playtest_agent.protocol import Emitter
from playtest_agent.watchdog import Watchdog


def test_demo_replay_reproduces_kills_and_final_position(tmp_path: Path) -> None:
    config = {"agent": "explorer", "map": "MAP01", "episodes": 2, "seed": 3, "telemetry_every": 0,
              "record_demos": True, "demo_dir": str(tmp_path / "demos"), "env": {"episode_timeout": 1050}}
    run = run_agent("evaluate", config, tmp_path)
    assert run.returncode == 0, run.stderr
    demos = run.of("artifact")
    assert [(d["kind"], d["episode"]) for d in demos] == [("demo", 0), ("demo", 1)]
    ends = run.of("episode_end")
    assert sum(e["killcount"] for e in ends) > 0, "the explorer should kill something on MAP01 in 30 s"
    parsed = parse_config(config)
    agent = make_agent(parsed)
    env = DoomEnv(parsed, Watchdog(Emitter()), features=agent.features, action_set=agent.action_set)
    try:
        for demo, end in zip(demos, ends):
            env.replay(demo["path"])
            assert int(env.variables[KILLS]) == end["killcount"]
            assert round(float(env.variables[X]), 3) == end["x"]
            assert round(float(env.variables[Y]), 3) == end["y"]
    finally:
        env.close()


def test_screenshots_on_tics_death_and_standing_still(tmp_path: Path) -> None:
    # defend_the_center: the player only turns (never moves) and the random agent dies quickly.
    config = {"agent": "random", "scenario_cfg": "defend_the_center", "episodes": 1, "seed": 4, "telemetry_every": 0,
              "screenshot_dir": str(tmp_path / "shots"), "screenshot_tics": [20, 60], "stuck_tics": 70,
              "env": {**FAST_ENV, "episode_timeout": 2100}}
    run = run_agent("evaluate", config, tmp_path)
    assert run.returncode == 0, run.stderr
    shots = run.of("artifact")
    reasons = [s["reason"] for s in shots]
    assert reasons.count("tic") == 2
    assert "stuck" in reasons
    assert run.of("episode_end")[0]["reason"] == "death" and reasons[-1] == "death"
    for shot in shots:
        data = Path(shot["path"]).read_bytes()
        assert shot["kind"] == "screenshot" and data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 500
    tics = [s["tic"] for s in shots if s["reason"] == "tic"]
    assert tics[0] >= 20 and tics[1] >= 60


@pytest.mark.parametrize("seed", [1, 2])  # 1: the kill ends the episode (one shot for both); 2: it ends a step later
def test_milestone_screenshots_on_the_first_kill_and_the_end(seed: int, tmp_path: Path) -> None:
    # basic: one monster in front of the player; the scenario ends (reason exit) once it is killed.
    config = {"agent": "random", "scenario_cfg": "basic", "episodes": 1, "seed": seed, "telemetry_every": 1,
              "screenshot_dir": str(tmp_path / "shots"), "env": {**FAST_ENV, "episode_timeout": 1050}}
    run = run_agent("evaluate", config, tmp_path)
    assert run.returncode == 0, run.stderr
    end = run.of("episode_end")[0]
    assert end["reason"] == "exit" and end["killcount"] == 1, end
    kill_tic = next(m["tic"] for m in run.of("step") if m["killcount"] == 1)
    shots = [a for a in run.of("artifact") if a["reason"] == "milestone"]
    assert [s["tic"] for s in shots] == sorted({kill_tic, end["tics"]})
    for shot in shots:
        assert Path(shot["path"]).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")

    config.update(screenshot_on=["death", "stuck"], screenshot_dir=str(tmp_path / "without"))
    without = run_agent("evaluate", config, tmp_path)
    assert without.returncode == 0 and not [a for a in without.of("artifact") if a["reason"] == "milestone"]


def test_milestones_are_kill_thresholds_secrets_and_new_keys_and_bounded() -> None:
    values = [0.0] * len(E.VARIABLES)
    watch = Milestones(values, "[]")

    def counters(kills: int, secrets: int = 0) -> list[float]:
        changed = list(values)
        changed[E.KILLS], changed[E.SECRETS] = kills, secrets
        return changed

    assert watch.reached(counters(1), "[]")  # the first kill
    assert not watch.reached(counters(2), "[]") and not watch.reached(counters(9), "[]")
    assert watch.reached(counters(12), "[]")  # 10 crossed on the way
    assert watch.reached(counters(12, secrets=1), "[]")
    assert not watch.reached(counters(12, secrets=1), "[]")  # nothing changed
    assert watch.reached(counters(12, secrets=1), '["blue_card"]')
    assert not watch.reached(counters(12, secrets=1), '["blue_card"]')
    assert watch.reached(counters(30, secrets=2), '["blue_card","red_skull"]')  # several at once: one milestone
    assert Milestones(values, None).reached(values, None) is False  # an agent that knows no keys
    # Bounded: MILESTONE_SHOTS an episode, the last kept for the episode's end.
    taken = sum(watch.take() for _ in range(40))
    assert taken == MILESTONE_SHOTS - 1 and watch.take(at_end=True) and not watch.take(at_end=True)


def test_screenshot_on_accepts_milestone_and_defaults_to_every_event() -> None:
    assert parse_config({}).screenshot_on == ["death", "stuck", "milestone"]
    assert parse_config({"screenshot_on": ["milestone"]}).screenshot_on == ["milestone"]
    with pytest.raises(ConfigError, match="screenshot_on"):
        parse_config({"screenshot_on": ["kills"]})
