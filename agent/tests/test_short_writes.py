"""Protocol lines survive short writes: with PYTHONUNBUFFERED=1 (as the Swift worker runs the agent)
stdout is a text layer over the raw file, and a write(2) to a full pipe that a signal interrupts
returns short. The emitter must write the rest, not drop it (a `step` line once came out with bytes
missing in the middle, under load, around a SIGTERM)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

AGENT = str(Path(__file__).resolve().parents[1])

CHILD = f"""
import signal, sys
sys.path.insert(0, {AGENT!r})
from playtest_agent.protocol import Emitter, format_step
signal.signal(signal.SIGUSR1, lambda *_: None)  # like the SIGTERM handler: it only sets a flag
emitter = Emitter()
for i in range(3000):
    emitter.emit_step_line(format_step(0, i, i, [float(i)] * 15, 0, "[]", 0.0))
emitter.emit("done", episodes=1)
signal.pthread_sigmask(signal.SIG_BLOCK, {{signal.SIGUSR1}})  # none may kill it while the interpreter ends
"""


def test_lines_written_while_signals_interrupt_a_full_pipe_are_whole() -> None:
    process = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert process.stdout is not None
    data = os.read(process.stdout.fileno(), 4096)  # the child's handler is in place once lines come
    time.sleep(0.3)  # the pipe fills up and the child blocks in write(2)
    while True:
        if process.poll() is None:
            process.send_signal(signal.SIGUSR1)
        chunk = os.read(process.stdout.fileno(), 4096)  # a slow reader: the writer keeps blocking
        if not chunk:
            break
        data += chunk
        time.sleep(0.001)
    assert process.wait(timeout=30) == 0
    lines = data.splitlines()
    steps = [json.loads(line) for line in lines[:-1]]  # raises on a line with bytes missing
    assert [m["step"] for m in steps] == list(range(3000))
    assert json.loads(lines[-1])["type"] == "done"
