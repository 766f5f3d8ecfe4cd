"""Demos replay to the same result; screenshots are written on tics, death and standing still."""

from __future__ import annotations

from pathlib import Path

from conftest import FAST_ENV, run_agent
from playtest_agent.agents import make_agent
from playtest_agent.config import parse_config
from playtest_agent.env import DoomEnv, KILLS, X, Y
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
