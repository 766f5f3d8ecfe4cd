"""A watchdog for engine calls that may never return.

VizDoom 1.3.2 can block forever (for instance `new_episode()` on a map it cannot load).
One daemon thread watches a deadline; arming and disarming are two attribute writes, cheap
enough to guard every step. When a deadline passes, the watchdog reports a protocol
`error`, flushes stdout and exits the process with EXIT_ENGINE_HANG.
"""

from __future__ import annotations

import os
import sys
import threading
import time

from .protocol import Emitter

EXIT_ENGINE_HANG = 4


class Watchdog:
    def __init__(self, emitter: Emitter, poll_s: float = 0.1) -> None:
        self._emitter = emitter
        self._poll_s = poll_s
        self._deadline: float | None = None
        self._what = ""
        self._seconds = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="engine-watchdog", daemon=True)
        self._thread.start()

    def arm(self, what: str, seconds: float) -> None:
        self._what = what
        self._seconds = seconds
        self._deadline = time.monotonic() + seconds

    def disarm(self) -> None:
        self._deadline = None

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self._poll_s):
            deadline = self._deadline
            if deadline is not None and time.monotonic() > deadline:
                message = (
                    f"the engine did not return from {self._what} within {self._seconds:g} s; "
                    "the map probably cannot be loaded (check the map name and the WAD)"
                )
                try:
                    print(f"playtest_agent: {message}", file=sys.stderr, flush=True)
                except (OSError, ValueError):
                    pass  # nobody reads stderr any more: still exit below
                self._emitter.emit("error", code="engine_timeout", message=message, fatal=True)
                self._emitter.emit("done", reason="error", episodes=None, iterations=None, elapsed_s=None)
                self._emitter.close()
                os._exit(EXIT_ENGINE_HANG)
