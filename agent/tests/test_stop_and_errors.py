"""SIGTERM stops cleanly; a broken WAD, a missing map, a bad config and an engine hang give an error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import AGENT_DIR, FAST_ENV, REPO_ROOT, VALIDATOR, run_agent

VIZDOOM_SCENARIOS = Path(__import__("vizdoom").__file__).parent / "scenarios"


def test_sigterm_stops_evaluate_within_two_seconds(tmp_path: Path) -> None:
    config = {"agent": "random", "map": "MAP01", "episodes": 50, "telemetry_every": 1}
    run = run_agent("evaluate", config, tmp_path, stop_when=lambda m: m["type"] == "step" and m["step"] == 30)
    assert run.returncode == 0, run.stderr
    assert run.seconds_after_signal is not None and run.seconds_after_signal < 2.0
    assert run.of("episode_end")[-1]["reason"] == "stopped"
    assert run.messages[-1]["type"] == "done" and run.messages[-1]["reason"] == "stopped"


def test_sigterm_stops_train_with_a_final_checkpoint(tmp_path: Path) -> None:
    config = {"agent": "dqn", "scenario_cfg": "defend_the_center", "iterations": 100_000, "seed": 1,
              "env": {"action_combinations": "turn_lr;attack"}, "checkpoint_dir": str(tmp_path / "ck"),
              "progress_every": 50, "dqn": {"learning_starts": 20, "replay_size": 2000, "frame_height": 30,
                                            "frame_width": 40, "hidden_size": 64}}
    run = run_agent("train", config, tmp_path, stop_when=lambda m: m["type"] == "train_progress" and m["iteration"] >= 100)
    assert run.returncode == 0, run.stderr
    assert run.seconds_after_signal is not None and run.seconds_after_signal < 2.0
    final = run.of("checkpoint")[-1]
    assert final["final"] and Path(final["path"]).is_file() and final["iteration"] >= 100
    done = run.messages[-1]
    assert done["type"] == "done" and done["reason"] == "stopped" and done["iterations"] == final["iteration"]


def assert_error(run, code: str, status: int, words: str) -> None:  # type: ignore[no-untyped-def]
    assert run.returncode == status, run.stderr
    errors = run.of("error")
    assert len(errors) == 1 and errors[0]["code"] == code and errors[0]["fatal"]
    assert words in errors[0]["message"]
    assert run.messages[-1]["type"] == "done" and run.messages[-1]["reason"] == "error"


def test_truncated_pwad_gives_an_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.wad"
    broken.write_bytes((VIZDOOM_SCENARIOS / "defend_the_center.wad").read_bytes()[:3000])
    run = run_agent("evaluate", {"agent": "random", "pwads": [str(broken)], "map": "MAP01"}, tmp_path, timeout=30)
    assert_error(run, "wad_invalid", 3, "truncated")


def test_truncated_iwad_gives_an_error(tmp_path: Path) -> None:
    broken = tmp_path / "iwad.wad"
    with open(VIZDOOM_SCENARIOS.parent / "freedoom2.wad", "rb") as source:
        broken.write_bytes(source.read(50_000))
    run = run_agent("evaluate", {"agent": "random", "wad": str(broken)}, tmp_path, timeout=30)
    assert_error(run, "wad_invalid", 3, "iwad.wad")


def test_not_a_wad_gives_an_error(tmp_path: Path) -> None:
    fake = tmp_path / "fake.wad"
    fake.write_text("this is not a WAD file at all")
    run = run_agent("evaluate", {"agent": "random", "pwads": [str(fake)]}, tmp_path, timeout=30)
    assert_error(run, "wad_invalid", 3, "not a WAD")


def test_missing_map_gives_an_error(tmp_path: Path) -> None:
    run = run_agent("evaluate", {"agent": "random", "map": "MAP99"}, tmp_path, timeout=30)
    assert_error(run, "map_not_found", 3, "MAP99")


def test_missing_wad_file_gives_an_error(tmp_path: Path) -> None:
    run = run_agent("evaluate", {"agent": "random", "pwads": [str(tmp_path / "nowhere.wad")]}, tmp_path, timeout=30)
    assert_error(run, "wad_not_found", 3, "nowhere.wad")


@pytest.mark.parametrize("config, words", [
    ({"agent": "random", "mapp": "MAP01"}, "mapp"),
    ({"agent": "sniper"}, "agent must be one of"),
    ({"agent": "random", "env": {"action_combinations": "move_fb;fly"}}, "fly"),
    ({"agent": "dqn", "checkpoint": "/nonexistent/model.pt"}, "checkpoint not found"),
])
def test_bad_config_gives_an_error(config: dict, words: str, tmp_path: Path) -> None:
    run = run_agent("evaluate", config, tmp_path, timeout=30)
    assert_error(run, "config_invalid", 2, words)


def test_watchdog_ends_a_hung_engine_call() -> None:
    """An engine call that never returns (as new_episode() does on some bad maps) ends the process."""
    program = (
        "import threading\n"
        "from playtest_agent.protocol import Emitter\n"
        "from playtest_agent.watchdog import Watchdog\n"
        "dog = Watchdog(Emitter())\n"
        "dog.arm('new_episode() on MAP01', 0.3)\n"
        "threading.Event().wait()\n"
    )
    result = subprocess.run([sys.executable, "-c", program], cwd=REPO_ROOT, capture_output=True, text=True, timeout=30,
                            env={**os.environ, "PYTHONPATH": str(AGENT_DIR)})
    assert result.returncode == 4
    messages = [json.loads(line) for line in result.stdout.splitlines()]
    for message in messages:
        assert not list(VALIDATOR.iter_errors(message))
    assert [m["type"] for m in messages] == ["error", "done"]
    assert messages[0]["code"] == "engine_timeout" and "new_episode()" in messages[0]["message"]
