"""The JSON-lines protocol: one message per line on stdout, each with "v" and "type".

Every message the runtime sends goes through `Emitter.emit`, so the version field, the
compact encoding and the flushing are the same everywhere. The schema of every message is
in protocol.schema.json next to this file; docs/agent-protocol.md explains it.
"""

from __future__ import annotations

import io
import json
import math
import select
import sys
import threading
import time
from typing import Any, TextIO

PROTOCOL_VERSION = 1

MESSAGE_TYPES = (
    "hello",
    "episode_start",
    "step",
    "episode_end",
    "train_progress",
    "checkpoint",
    "artifact",
    "error",
    "done",
)

# Messages nobody waits for: they are queued and written in batches. Every other message (the end of
# an episode, training progress, a checkpoint, an error, done) goes out at once with the queue before it.
QUEUED_TYPES = frozenset({"step", "episode_start", "artifact"})


def _finite_or_none(value: Any) -> Any:
    """JSON has no NaN or infinity: such a float becomes null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


class Emitter:
    """Writes protocol messages to a text stream (stdout by default), one per line.

    Thread-safe: the engine watchdog may report an error from its own thread.
    `step`, `episode_start` and `artifact` lines are queued and written in one call when
    `flush_every` have gathered, when the oldest has waited `max_delay_s`, or when any other
    message comes (which is written at once). Full per-step telemetry thus costs the reader one
    wake-up per batch, not one per line.
    """

    def __init__(self, stream: TextIO | None = None, flush_every: int = 64, max_delay_s: float = 0.1) -> None:
        self._out = stream if stream is not None else sys.stdout
        self._lock = threading.Lock()
        self._queued: list[str] = []
        self._oldest = 0.0
        self._flush_every = max(1, flush_every)
        self._max_delay_s = max_delay_s
        self.closed = False
        # With PYTHONUNBUFFERED=1 (the Swift worker sets it) sys.stdout is a text layer straight over the
        # raw file: its write() makes one write(2) and drops whatever that call did not take. A write(2)
        # to a full pipe that a signal (SIGTERM, SIGCHLD) interrupts returns short, so a batch lost bytes
        # in the middle of a line under load. Such a stream is written to its raw file here, to the end.
        buffer = getattr(self._out, "buffer", None)
        self._raw = buffer if isinstance(buffer, io.RawIOBase) else None

    def emit(self, type_: str, **fields: Any) -> dict[str, Any]:
        if type_ not in MESSAGE_TYPES:
            raise ValueError(f"unknown message type {type_!r}")
        message: dict[str, Any] = {"v": PROTOCOL_VERSION, "type": type_}
        for key, value in fields.items():
            message[key] = _finite_or_none(value)
        line = json.dumps(message, separators=(",", ":"), allow_nan=False)
        with self._lock:
            self._queue_locked(line + "\n", urgent=type_ not in QUEUED_TYPES)
        return message

    def emit_step_line(self, line: str) -> None:
        """Queues a pre-formatted `step` line (see format_step): the hot path of evaluate."""
        with self._lock:
            self._queue_locked(line, urgent=False)

    def _queue_locked(self, line: str, urgent: bool) -> None:
        now = time.monotonic()
        if not self._queued:
            self._oldest = now
        self._queued.append(line)
        if urgent or len(self._queued) >= self._flush_every or now - self._oldest >= self._max_delay_s:
            self._flush_locked()

    def flush(self) -> None:
        with self._lock:
            self._flush_locked()

    def close(self) -> None:
        """Flush and refuse further output (used right before a hard exit)."""
        with self._lock:
            self._flush_locked()
            self.closed = True

    def _flush_locked(self) -> None:
        lines, self._queued = self._queued, []
        if self.closed:
            return
        try:
            if lines and self._raw is not None:
                self._out.flush()  # whatever the text layer holds goes first
                _write_all(self._raw, "".join(lines).encode(getattr(self._out, "encoding", None) or "utf-8"))
            elif lines:
                self._out.write("".join(lines))
            self._out.flush()
        except (BrokenPipeError, ValueError):
            # The reader went away; there is nobody left to tell.
            self.closed = True


def _write_all(raw: io.RawIOBase, data: bytes) -> None:
    """Writes all of `data` to a raw file, however short its writes come back (a signal, a
    non-blocking pipe that is full: then it waits until the pipe takes more)."""
    view = memoryview(data)
    while view:
        written = raw.write(view)
        if written is None:  # non-blocking and full
            select.select([], [raw], [])
            continue
        view = view[written:]


STEP_FORMAT = (
    '{"v":1,"type":"step","episode":%d,"step":%d,"tic":%d,"x":%.3f,"y":%.3f,"z":%.3f,"angle":%.3f,'
    '"health":%d,"armor":%d,"ammo":%d,"weapon":%d,"killcount":%d,"itemcount":%d,"secretcount":%d,'
    '"damage_taken":%d,"damagecount":%d,"hitcount":%d,"dead":%s,"action":%d,"buttons":%s,"reward":%r%s}\n'
)


def step_extra(confidence: float | None, keys_json: str | None, goal_json: str | None) -> str:
    """The optional `step` fields an agent knows, as a JSON fragment for format_step's `extra` ("" when it
    knows none: such an agent's lines stay as they were). `confidence` is clamped to [0, 1] and left out
    when not finite; `keys_json` and `goal_json` are JSON the agent encoded once when they changed."""
    extra = ""
    if confidence is not None and math.isfinite(confidence):
        extra = ',"confidence":%.4f' % min(1.0, max(0.0, confidence))
    if keys_json is not None:
        extra += ',"keys":' + keys_json
    if goal_json is not None:
        extra += ',"goal":' + goal_json
    return extra


def format_step(episode: int, step: int, tic: int, v: list[float], action: int, buttons_json: str, reward: float,
                extra: str = "") -> str:
    """The `step` message as one line, formatted directly (several times cheaper than building a
    dict and json.dumps). `v` is the game variables in env.VARIABLES order; `buttons_json` the JSON
    array of the action's buttons; `extra` the optional fields (step_extra). The result is the JSON
    the schema describes (the tests check it)."""
    reward = float(reward)
    # One check covers all five floats: the sum is finite only if each one is.
    if not math.isfinite(v[0] + v[1] + v[2] + v[3] + reward):
        return _format_step_with_nulls(episode, step, tic, v, action, buttons_json, reward, extra)
    return STEP_FORMAT % (
        episode, step, tic, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13],
        "true" if v[14] else "false", action, buttons_json, reward, extra,
    )


def _format_step_with_nulls(episode: int, step: int, tic: int, v: list[float], action: int, buttons_json: str, reward: float,
                            extra: str) -> str:
    """The rare slow path. A non-finite reward is written as null (never NaN or Infinity); a
    non-finite position is an engine fault the run cannot be trusted after, so it is an error."""
    if not all(math.isfinite(value) for value in v[:4]):
        raise ValueError(f"the engine reported a non-finite position or angle at tic {tic}: {v[:4]}")
    line = STEP_FORMAT % (
        episode, step, tic, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13],
        "true" if v[14] else "false", action, buttons_json, 0.0, "",
    )
    return line[: line.rindex('"reward":')] + '"reward":null' + extra + '}\n'
