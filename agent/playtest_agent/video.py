"""A WebM (VP9) video written by ffmpeg from raw RGB frames piped to its standard input.

The encode settings keep the cost of a video below the time the episode lasts on a 2-core machine
(bench/evidence): libvpx-vp9 in its realtime mode at its fastest speed (`-deadline realtime
-cpu-used 8`, row multithreading on 2 threads) with a target bitrate; docs/evidence.md gives the
figures. The file is written under a temporary name and renamed once ffmpeg has finished without
error, so a failed encode leaves no half-written video behind, only a reason.
"""

from __future__ import annotations

import os
import resource
import subprocess
import tempfile
import time
from fractions import Fraction
from typing import Any

import numpy as np

FFMPEG = "ffmpeg"  # the Debian package's; a path can be given instead
BITRATE = "800k"  # target bitrate of the VP9 stream (about 6 MB per minute of game)
VP9_OPTIONS = ["-c:v", "libvpx-vp9", "-b:v", BITRATE, "-deadline", "realtime", "-cpu-used", "8",
               "-row-mt", "1", "-threads", "2", "-pix_fmt", "yuv420p"]


class EncodeError(Exception):
    """ffmpeg could not be started or failed; the message says why."""


def _stderr_tail(handle: Any) -> str:
    try:
        handle.seek(0)
        text = handle.read().decode("utf-8", "replace").strip()
    except OSError:
        return ""
    lines = [line for line in text.splitlines() if line.strip()]
    return " | ".join(lines[-3:])[-400:]


class VideoEncoder:
    """Feeds frames of one size to an ffmpeg process that writes `path` (WebM, VP9) at `fps`."""

    def __init__(self, path: str, width: int, height: int, fps: Fraction, ffmpeg: str = FFMPEG) -> None:
        self.path = path
        self.width, self.height, self.fps = width, height, fps
        self.frames = 0
        self.blocked_s = 0.0  # time spent waiting on ffmpeg: writes to a full pipe and the final wait
        self.cpu_s = 0.0  # ffmpeg's user + system CPU time, known once it has finished
        self._partial = path + ".part"
        self._stderr = tempfile.TemporaryFile()
        command = [ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
                   "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}",
                   "-r", f"{fps.numerator}/{fps.denominator}", "-i", "pipe:0", "-an",
                   *VP9_OPTIONS, "-f", "webm", self._partial]
        # -nostdin only stops ffmpeg reading the terminal for commands; the frames come on pipe:0.
        try:
            self._process: subprocess.Popen[bytes] | None = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self._stderr)
        except OSError as error:
            self._stderr.close()
            raise EncodeError(f"ffmpeg could not be started ({ffmpeg}): {error.strerror or error}") from error
        self._usage_before = resource.getrusage(resource.RUSAGE_CHILDREN)

    def write(self, frame: np.ndarray) -> None:
        """One (height, width, 3) uint8 RGB frame."""
        process = self._process
        if process is None or process.stdin is None:
            raise EncodeError("the encoder is closed")
        if frame.shape != (self.height, self.width, 3):
            raise EncodeError(f"a frame of shape {frame.shape}, expected ({self.height}, {self.width}, 3)")
        started = time.perf_counter()
        try:
            process.stdin.write(np.ascontiguousarray(frame, dtype=np.uint8).data)
        except (BrokenPipeError, ValueError, OSError) as error:
            self.blocked_s += time.perf_counter() - started
            reason = self._end(abort=True)
            raise EncodeError(f"ffmpeg stopped reading frames after {self.frames}: {reason or error}") from error
        self.blocked_s += time.perf_counter() - started
        self.frames += 1

    def finish(self) -> dict[str, Any]:
        """Waits for ffmpeg and returns the video's description; raises EncodeError if it failed."""
        if self.frames == 0:
            self.abort()
            raise EncodeError("no frame to encode")
        started = time.perf_counter()
        reason = self._end(abort=False)
        self.blocked_s += time.perf_counter() - started
        if reason is not None:
            raise EncodeError(reason)
        os.replace(self._partial, self.path)
        return {
            "path": self.path,
            "bytes": os.path.getsize(self.path),
            "frames": self.frames,
            "fps": float(self.fps),
            "duration_s": round(self.frames / float(self.fps), 3),
            "width": self.width,
            "height": self.height,
            "codec": "vp9",
            "container": "webm",
        }

    def abort(self) -> None:
        """Stops ffmpeg and removes the partial file (no error if it already ended)."""
        self._end(abort=True)

    def _end(self, abort: bool) -> str | None:
        """Closes ffmpeg's input and waits for it; returns why it failed, or None."""
        process = self._process
        if process is None:
            return None
        self._process = None
        try:
            if process.stdin is not None:
                try:
                    process.stdin.close()
                except OSError:
                    pass  # a broken pipe: ffmpeg already ended, its status says why
            if abort:
                process.kill()
            status = process.wait()
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            self.cpu_s = (after.ru_utime - self._usage_before.ru_utime) + (after.ru_stime - self._usage_before.ru_stime)
            reason = None
            if status != 0 and not abort:
                detail = _stderr_tail(self._stderr)
                reason = f"ffmpeg exited with status {status}" + (f": {detail}" if detail else "")
            elif abort and status != 0:
                reason = _stderr_tail(self._stderr) or None
        finally:
            self._stderr.close()
        if abort or reason is not None:
            try:
                os.remove(self._partial)
            except FileNotFoundError:
                pass
        return reason
