"""Training writes checkpoints and resumes exactly where it stopped."""

from __future__ import annotations

from pathlib import Path

import torch

from conftest import FAST_ENV, Run, run_agent


def test_train_200_iterations_writes_a_checkpoint(trained_checkpoint: tuple[Path, Run]) -> None:
    path, run = trained_checkpoint
    assert run.messages[-1] == {**run.messages[-1], "type": "done", "reason": "completed", "iterations": 200}
    assert [c["iteration"] for c in run.of("checkpoint")] == [100, 200, 200]
    progress = run.of("train_progress")
    assert [p["iteration"] for p in progress] == [50, 100, 150, 200]
    assert progress[-1]["updates"] > 0 and progress[-1]["loss"] is not None
    payload = torch.load(path, weights_only=False)
    assert payload["iteration"] == 200
    assert payload["action_set"]["buttons"] == ["TURN_LEFT", "TURN_RIGHT", "ATTACK"]
    assert len(payload["action_set"]["actions"]) == 6
    assert payload["hparams"]["frame_height"] == 30
    assert "optimizer" in payload and "target" in payload


def test_resume_continues_iteration_optimizer_and_epsilon(tmp_path: Path, trained_checkpoint: tuple[Path, Run]) -> None:
    path, first = trained_checkpoint
    before = torch.load(path, weights_only=False)
    config = {
        "agent": "dqn", "scenario_cfg": "defend_the_center", "iterations": 100, "seed": 5,
        "env": dict(FAST_ENV), "checkpoint_dir": str(tmp_path / "resumed"), "checkpoint_every": 1000,
        "progress_every": 50, "resume_from": str(path), "dqn": {"learning_starts": 20},
    }
    run = run_agent("train", config, tmp_path)
    assert run.returncode == 0, run.stderr
    progress = run.of("train_progress")
    assert [p["iteration"] for p in progress] == [250, 300]
    # epsilon continues on the same schedule: at 250 it is below the value saved at 200
    assert progress[0]["epsilon"] < first.of("checkpoint")[-1]["epsilon"]
    final = run.of("checkpoint")[-1]
    assert final["final"] and final["iteration"] == 300
    after = torch.load(final["path"], weights_only=False)
    steps_before = next(iter(before["optimizer"]["state"].values()))["step"]
    steps_after = next(iter(after["optimizer"]["state"].values()))["step"]
    assert float(steps_after) > float(steps_before)  # Adam's step counter carried on
    assert after["episodes"] > before["episodes"]
