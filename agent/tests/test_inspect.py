"""`python -m playtest_agent inspect` and the shipped checkpoints' manifest.json."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import AGENT_DIR, REPO_ROOT

KEYS = {"format", "action_combinations", "action_count", "buttons", "scenario", "iteration", "recurrent",
        "frame_height", "frame_width"}


def inspect(path: Path | str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "playtest_agent", "inspect", "--checkpoint", str(path)],
        cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(AGENT_DIR)}, capture_output=True, text=True, timeout=120,
    )


def test_inspect_prints_one_json_object_describing_the_checkpoint() -> None:
    result = inspect(AGENT_DIR / "checkpoints" / "health_gathering.pt")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    summary = json.loads(lines[0])
    assert set(summary) == KEYS
    assert summary["format"] == "playtest_agent.dqn/1"
    assert summary["action_combinations"] == "move_fb;turn_lr"
    assert summary["action_count"] == 9  # (none, forward, backward) x (none, left, right)
    assert summary["buttons"] == ["MOVE_FORWARD", "MOVE_BACKWARD", "TURN_LEFT", "TURN_RIGHT"]
    assert summary["scenario"] == "health_gathering"
    assert summary["iteration"] == 200_000
    assert summary["recurrent"] is False


def test_inspect_describes_a_fresh_training_checkpoint(trained_checkpoint: tuple[Path, object]) -> None:
    path, _ = trained_checkpoint
    summary = json.loads(inspect(path).stdout)
    assert summary["action_combinations"] == "turn_lr;attack"
    assert summary["action_count"] == 6
    assert summary["scenario"] == "defend_the_center"
    assert (summary["frame_height"], summary["frame_width"]) == (30, 40)
    assert summary["iteration"] == 200


def test_inspect_rejects_a_file_that_is_not_a_checkpoint(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.pt"
    bogus.write_text("not a checkpoint")
    result = inspect(bogus)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "not a readable torch checkpoint" in result.stderr
    missing = inspect(tmp_path / "absent.pt")
    assert missing.returncode == 2 and "not found" in missing.stderr


def test_manifest_matches_every_shipped_checkpoint() -> None:
    manifest = json.loads((AGENT_DIR / "checkpoints" / "manifest.json").read_text())
    shipped = sorted(p.stem for p in (AGENT_DIR / "checkpoints").glob("*.pt"))
    assert sorted(manifest) == shipped
    for name in shipped:
        described = json.loads(inspect(AGENT_DIR / "checkpoints" / f"{name}.pt").stdout)
        assert manifest[name] == described, f"manifest.json is stale for {name}; regenerate it with python -m playtest_agent.inspect_checkpoint"
