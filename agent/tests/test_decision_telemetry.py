"""What a step message says beyond the engine's variables: the decision's `confidence` (dqn, navigator) and
the `keys` held (navigator); absent for agents that know neither, whose lines stay as they were."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

import planted_maps
from conftest import AGENT_DIR, FAST_ENV, VALIDATOR, run_agent
from playtest_agent.agents.navigator import STATE_CERTAINTY, plan_certainty
from playtest_agent.dqn import q_confidence
from playtest_agent.protocol import format_step, step_extra

VARIABLES = [1.0, 2.0, 3.0, 90.0, 100, 0, 50, 2, 0, 0, 0, 0, 0, 0, 0]


def test_q_confidence_is_the_greedy_lead_as_a_share_of_the_spread() -> None:
    assert q_confidence(np.array([1.0, 0.0, 0.0]), 0) == 1.0  # every other action as low as the worst
    assert q_confidence(np.array([2.0, 2.0, 0.0]), 0) == 0.0  # a tie for the best
    assert q_confidence(np.array([3.0, 3.0, 3.0]), 1) == 0.0  # all equal
    assert q_confidence(np.array([7.0]), 0) == 1.0  # one action: nothing else to pick
    q = np.array([4.0, 3.5, 2.0, 3.0], dtype=np.float32)
    assert q_confidence(q, 0) == pytest.approx(0.25)
    # Invariant to the Q-values' offset and scale (the shipped checkpoints' values sit far from 0).
    assert q_confidence(q * 10 + 100, 0) == pytest.approx(0.25)


def test_plan_certainty_is_highest_on_a_route_and_lower_when_the_goal_is_a_guess() -> None:
    for state in STATE_CERTAINTY:
        for kind, line in (("walk", None), ("exit", 3), ("explore", 3), ("explore", None)):
            assert 0.0 <= plan_certainty(kind, state, line) <= 1.0
    assert plan_certainty("pickup", "walking", None) == 1.0
    assert plan_certainty("pickup", "unsticking", None) < plan_certainty("pickup", "replanning", None) < 1.0
    assert plan_certainty("explore", "walking", None) < plan_certainty("explore", "walking", 12) < 1.0


def test_step_extra_is_spliced_into_the_line_and_left_out_when_unknown() -> None:
    plain = format_step(0, 1, 4, VARIABLES, 3, '["ATTACK"]', 0.0)
    assert format_step(0, 1, 4, VARIABLES, 3, '["ATTACK"]', 0.0, step_extra(None, None, None)) == plain
    assert "confidence" not in plain and "keys" not in plain
    goal = '{"step":0,"kind":"exit","node":1,"line":2,"state":"walking","waypoint":1,"mover":null}'
    for reward in (0.5, math.nan):  # the fast path and the one that writes a null reward
        line = format_step(0, 1, 4, VARIABLES, 3, '["ATTACK"]', reward, step_extra(0.25, '["blue_card"]', goal))
        message = json.loads(line)
        assert not list(VALIDATOR.iter_errors(message)), line
        assert message["confidence"] == 0.25 and message["keys"] == ["blue_card"] and message["goal"]["kind"] == "exit"
    assert json.loads(format_step(0, 1, 4, VARIABLES, 3, "[]", 0.0, step_extra(1.7, None, None)))["confidence"] == 1.0
    assert "confidence" not in format_step(0, 1, 4, VARIABLES, 3, "[]", 0.0, step_extra(math.nan, None, None))


def test_dqn_steps_carry_a_confidence_random_steps_none(tmp_path: Path) -> None:
    base = {"scenario_cfg": "defend_the_center", "episodes": 1, "seed": 1, "telemetry_every": 1,
            "env": {**FAST_ENV, "episode_timeout": 140}}
    dqn = run_agent("evaluate", {**base, "agent": "dqn", "checkpoint": str(AGENT_DIR / "checkpoints" / "defend_the_center.pt")}, tmp_path)
    assert dqn.returncode == 0, dqn.stderr
    confidences = [m["confidence"] for m in dqn.of("step")]
    assert confidences and all(0.0 <= c <= 1.0 for c in confidences)
    assert len(set(confidences)) > 1, "the margin should vary from one decision to the next"
    assert not any("keys" in m or "goal" in m for m in dqn.of("step"))

    random = run_agent("evaluate", {**base, "agent": "random"}, tmp_path)
    assert random.returncode == 0, random.stderr
    assert random.of("step") and not any({"confidence", "keys", "goal"} & set(m) for m in random.of("step"))


def test_navigator_steps_carry_its_certainty_and_keys_and_milestones_are_photographed(tmp_path: Path) -> None:
    # Room B, where the blue key lies, is a secret: the run finds a secret, picks a key up and exits.
    wad, navigation = planted_maps.key_and_doors(tmp_path, secret=True)
    config = {"agent": "navigator", "pwads": [wad], "map": "MAP01", "episodes": 1, "seed": 1, "telemetry_every": 1,
              "navigation": navigation, "screenshot_dir": str(tmp_path / "shots"), "screenshot_on": ["milestone"],
              "env": {"episode_timeout": 2100, "skill": navigation["skill"]}}
    run = run_agent("evaluate", config, tmp_path)
    assert run.returncode == 0, run.stderr
    end = run.of("episode_end")[0]
    assert end["reason"] == "exit" and end["secretcount"] == 1, end
    steps = run.of("step")
    assert all(0.0 <= m["confidence"] <= 1.0 for m in steps)
    assert max(m["confidence"] for m in steps) == 1.0  # following its route
    assert steps[0]["keys"] == [] and steps[-1]["keys"] == ["blue_card"]
    # One milestone screenshot where the secret count rose, one where the key showed up, one of the exit.
    secret_tic = next(m["tic"] for m in steps if m["secretcount"] == 1)
    key_tic = next(m["tic"] for m in steps if m["keys"])
    shots = [(a["reason"], a["tic"]) for a in run.of("artifact")]
    assert shots == [("milestone", secret_tic), ("milestone", key_tic), ("milestone", end["tics"])], shots
    for shot in run.of("artifact"):
        assert Path(shot["path"]).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
