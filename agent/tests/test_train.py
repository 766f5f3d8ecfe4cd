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
        "agent": "dqn", "scenario_cfg": "defend_the_center", "iterations": 60, "seed": 5,
        "env": dict(FAST_ENV), "checkpoint_dir": str(tmp_path / "resumed"), "checkpoint_every": 1000,
        "progress_every": 30, "resume_from": str(path), "dqn": {"learning_starts": 10},
    }
    run = run_agent("train", config, tmp_path)
    assert run.returncode == 0, run.stderr
    progress = run.of("train_progress")
    assert [p["iteration"] for p in progress] == [210, 240]
    # epsilon continues on the same schedule: at 210 it is below the value saved at 200
    assert progress[0]["epsilon"] < first.of("checkpoint")[-1]["epsilon"]
    final = run.of("checkpoint")[-1]
    assert final["final"] and final["iteration"] == 260
    after = torch.load(final["path"], weights_only=False)
    steps_before = next(iter(before["optimizer"]["state"].values()))["step"]
    steps_after = next(iter(after["optimizer"]["state"].values()))["step"]
    assert float(steps_after) > float(steps_before)  # Adam's step counter carried on
    assert after["episodes"] >= before["episodes"]  # the episode count carries on too


def test_drqn_trains_and_plays(tmp_path: Path) -> None:
    """The recurrent variant (LSTM after the FC layer, trained on sequences) runs end to end."""
    config = {
        "agent": "dqn", "scenario_cfg": "defend_the_center", "iterations": 100, "seed": 2,
        "env": {"action_combinations": "turn_lr;attack", **FAST_ENV}, "checkpoint_dir": str(tmp_path / "ck"),
        "checkpoint_every": 1000, "progress_every": 50,
        "dqn": {"recurrent": True, "frame_history": 1, "sequence_length": 6, "burn_in": 2, "batch_size": 8,
                "learning_starts": 30, "replay_size": 1000, "frame_height": 30, "frame_width": 40,
                "hidden_size": 64, "lstm_size": 32},
    }
    run = run_agent("train", config, tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.of("train_progress")[-1]["loss"] is not None
    checkpoint = run.of("checkpoint")[-1]["path"]
    assert any(name.startswith("lstm.") for name in torch.load(checkpoint, weights_only=False)["model"])
    play = run_agent("evaluate", {"agent": "dqn", "checkpoint": checkpoint, "scenario_cfg": "defend_the_center",
                                  "episodes": 1, "env": dict(FAST_ENV), "telemetry_every": 0}, tmp_path)
    assert play.returncode == 0, play.stderr
    assert play.of("episode_end")[0]["steps"] > 0


def test_train_maps_take_turns_with_rgb_input(tmp_path: Path) -> None:
    config = {
        "agent": "dqn", "iterations": 60, "seed": 2,
        "env": {"action_combinations": "move_fb;turn_lr;attack", "episode_timeout": 40, "screen_format": "RGB24"},
        "train_maps": [{"scenario_cfg": "defend_the_center"}, {"map": "MAP01"}], "checkpoint_dir": str(tmp_path / "ck"),
        "checkpoint_every": 1000, "progress_every": 30,
        "dqn": {"learning_starts": 20, "replay_size": 500, "frame_height": 30, "frame_width": 40, "hidden_size": 32, "grayscale": False,
                "kill_reward": 1.0, "death_reward": -1.0, "movement_reward": 0.001},
    }
    run = run_agent("train", config, tmp_path)
    assert run.returncode == 0, run.stderr
    starts = run.of("episode_start")
    assert [s["scenario"] for s in starts[:4]] == ["defend_the_center", None, "defend_the_center", None]
    payload = torch.load(run.of("checkpoint")[-1]["path"], weights_only=False)
    assert payload["model"]["conv.0.weight"].shape[1] == 3 * 4  # RGB x 4 stacked frames
