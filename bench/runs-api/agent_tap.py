#!/usr/bin/env python3
"""Stands in for the agent runtime's python: runs the real one and passes its stdout through unchanged, noting the
wall-clock time each `episode_end` line left the agent (bench/runs-api/run.sh sets PLAYTEST_PYTHON to this file).

Usage (by the worker): agent_tap.py -m playtest_agent evaluate --config run.json
Environment: PLAYTEST_TAP_PYTHON (the real interpreter), PLAYTEST_TAP_LOG (a file of "<episode> <unix time>" lines).
"""

import json
import os
import signal
import subprocess
import sys
import time


def main() -> int:
    real = os.environ["PLAYTEST_TAP_PYTHON"]
    log = open(os.environ["PLAYTEST_TAP_LOG"], "a", buffering=1)
    child = subprocess.Popen([real, *sys.argv[1:]], stdout=subprocess.PIPE)
    signal.signal(signal.SIGTERM, lambda *_: child.send_signal(signal.SIGTERM))
    out = sys.stdout.buffer
    for line in child.stdout:
        out.write(line)
        if b'"episode_end"' in line:
            out.flush()
            episode = json.loads(line)["episode"]
            log.write(f"{episode} {time.time():.6f}\n")
        elif b'"step"' not in line:
            out.flush()
    out.flush()
    return child.wait()


if __name__ == "__main__":
    sys.exit(main())
