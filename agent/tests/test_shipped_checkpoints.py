"""The checkpoints shipped in agent/checkpoints/ load without guessing and play."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from conftest import AGENT_DIR, FAST_ENV, run_agent

SHIPPED = {
    "defend_the_center.pt": {"scenario_cfg": "defend_the_center"},
    "health_gathering.pt": {"scenario_cfg": "health_gathering"},
    "general.pt": {"map": "MAP01"},
}


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_checkpoint_is_small_and_self_describing(name: str) -> None:
    path = AGENT_DIR / "checkpoints" / name
    assert path.is_file(), f"{path} is missing"
    assert path.stat().st_size < 5_000_000
    payload = torch.load(path, weights_only=False)
    assert payload["format"] == "playtest_agent.dqn/1"
    assert payload["action_set"]["buttons"] and payload["action_set"]["actions"]
    assert payload["hparams"]["frame_height"] > 0 and payload["iteration"] > 0
    assert "optimizer" not in payload  # slim export


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_checkpoint_plays(name: str, tmp_path: Path) -> None:
    config = {"agent": "dqn", "checkpoint": str(AGENT_DIR / "checkpoints" / name), "episodes": 1, "seed": 1,
              "telemetry_every": 0, "env": {**FAST_ENV, "episode_timeout": 140}, **SHIPPED[name]}
    run = run_agent("evaluate", config, tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.of("episode_end")[0]["steps"] > 0


def test_general_checkpoint_is_the_default_dqn_agent(tmp_path: Path) -> None:
    config = {"agent": "dqn", "map": "MAP01", "episodes": 1, "seed": 1, "telemetry_every": 1,
              "env": {**FAST_ENV, "episode_timeout": 70}}
    run = run_agent("evaluate", config, tmp_path)
    assert run.returncode == 0, run.stderr
    general = torch.load(AGENT_DIR / "checkpoints" / "general.pt", weights_only=False)
    pressed = {b for step in run.of("step") for b in step["buttons"]}
    assert pressed <= set(general["action_set"]["buttons"])
