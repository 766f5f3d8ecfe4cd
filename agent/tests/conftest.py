"""Helpers shared by the agent tests: run the real command line and validate what it prints."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import jsonschema
import pytest

AGENT_DIR = Path(__file__).resolve().parent.parent
if str(AGENT_DIR) not in sys.path:
    sys.path.insert(0, str(AGENT_DIR))  # so tests can import playtest_agent without PYTHONPATH
REPO_ROOT = AGENT_DIR.parent
SCHEMA_PATH = AGENT_DIR / "playtest_agent" / "protocol.schema.json"
DATA_DIR = Path(__file__).resolve().parent / "data"
FAST_ENV = {"episode_timeout": 350, "watchdog_s": 20.0}


def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text()))


VALIDATOR = validator()


@dataclass
class Run:
    returncode: int
    messages: list[dict[str, Any]]
    stderr: str
    seconds_after_signal: float | None = None
    raw_lines: list[str] = field(default_factory=list)

    def of(self, type_: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["type"] == type_]


def run_agent(command: str, config: dict[str, Any], tmp_path: Path, *, timeout: float = 120.0,
              stop_when: Callable[[dict[str, Any]], bool] | None = None) -> Run:
    """Runs `python -m playtest_agent <command> --config run.json` as the Swift worker will, validates
    every stdout line against the schema, and optionally sends SIGTERM when `stop_when(message)` is true."""
    config_path = tmp_path / f"run-{time.monotonic_ns()}.json"
    config_path.write_text(json.dumps(config))
    env = {**os.environ, "PYTHONPATH": str(AGENT_DIR)}
    process = subprocess.Popen(
        [sys.executable, "-m", "playtest_agent", command, "--config", str(config_path)],
        cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    messages, lines = [], []
    signalled_at: float | None = None
    assert process.stdout is not None
    try:
        for line in process.stdout:
            lines.append(line)
            message = json.loads(line)
            errors = sorted(VALIDATOR.iter_errors(message), key=str)
            assert not errors, f"message does not match the schema: {line!r}: {errors[0].message}"
            messages.append(message)
            if stop_when is not None and signalled_at is None and stop_when(message):
                process.send_signal(signal.SIGTERM)
                signalled_at = time.monotonic()
        returncode = process.wait(timeout=timeout)
    finally:
        if process.poll() is None:
            process.kill()
    ended = time.monotonic()
    stderr = process.stderr.read() if process.stderr else ""
    return Run(returncode, messages, stderr, None if signalled_at is None else ended - signalled_at, lines)


@pytest.fixture(scope="session")
def trained_checkpoint(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Run]:
    """A 200-iteration DQN training run on defend_the_center (shared by several tests)."""
    directory = tmp_path_factory.mktemp("train200")
    config = {
        "agent": "dqn", "scenario_cfg": "defend_the_center", "iterations": 200, "seed": 5,
        "env": {"action_combinations": "turn_lr;attack", **FAST_ENV},
        "checkpoint_dir": str(directory / "checkpoints"), "checkpoint_every": 100, "progress_every": 50,
        "dqn": {"learning_starts": 40, "replay_size": 1000, "target_update_every": 50, "epsilon_decay": 300,
                "frame_height": 30, "frame_width": 40, "hidden_size": 64},
    }
    run = run_agent("train", config, directory)
    assert run.returncode == 0, run.stderr
    final = [m for m in run.of("checkpoint") if m["final"]]
    assert final, "no final checkpoint"
    return Path(final[-1]["path"]), run
