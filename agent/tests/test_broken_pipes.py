"""A reader that stopped reading stderr must not keep the agent from stopping on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from conftest import AGENT_DIR, REPO_ROOT, VALIDATOR


def test_sigterm_stops_the_agent_even_when_stderr_is_a_broken_pipe(tmp_path: Path) -> None:
    config = tmp_path / "run.json"
    config.write_text(json.dumps({"agent": "random", "map": "MAP01", "episodes": 50, "telemetry_every": 1}))
    process = subprocess.Popen([sys.executable, "-m", "playtest_agent", "evaluate", "--config", str(config)],
                               cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(AGENT_DIR)},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stderr is not None
    process.stderr.close()  # the reader of stderr is gone: the agent's log lines now hit a broken pipe
    messages = []
    signalled = False
    try:
        for line in process.stdout:
            message = json.loads(line)
            assert not list(VALIDATOR.iter_errors(message))
            messages.append(message)
            if not signalled and message["type"] == "step" and message["step"] == 20:
                process.send_signal(signal.SIGTERM)  # the handler logs "signal 15: stopping" to stderr
                signalled = True
        returncode = process.wait(timeout=30)  # a hang, not a speed limit: how fast it stops is not a test's business
    finally:
        if process.poll() is None:
            process.kill()
    assert signalled
    assert returncode == 0
    assert messages[-1]["type"] == "done" and messages[-1]["reason"] == "stopped"
