"""Evidence people can look at: an episode's demo replayed at 640x480 RGB with the HUD, as a WebM video
and colour screenshots at the tics that matter, checked against the episode's telemetry.

The agent plays at low resolution for speed; after the run, `python -m playtest_agent evidence` (or
`make_evidence`) replays one episode's demo in an engine of its own at 640x480 RGB24 with the HUD on,
one tic at a time, and:

- checks drift: at every tic the telemetry has a position for (`step` messages), the replayed player
  must stand within DRIFT_TOLERANCE map units of it. A demo replays deterministically, so the
  positions agree to the telemetry's rounding (3 decimals; measured: at most 0.001 unit); anything
  more is a desync (a custom WAD whose replay differs from its play). At the first drifting tic the
  replay stops: nothing from that tic on is shown, and the summary says where and by how much.
- holds every frame back until the next check passes, so no frame between the last good check and
  the first drifting one reaches the video or a screenshot (at most MAX_HELD_FRAMES are held; with
  sparser telemetry the oldest go out unchecked, and the summary counts them);
- writes a colour PNG at the first replayed tic at or after each requested tic (a finding's or an
  event's); one asked for after the last replayed tic, within a few tics of it (a death, an exit),
  shows the last frame;
- pipes every `tic_step`-th frame to ffmpeg (video.py): WebM, VP9, 35/tic_step fps.

It returns (the CLI prints) a JSON summary and never raises: a replay failure gives
`{"missing": true, "reason": ...}`; an encode failure gives `"video": {"missing": true, "reason": ...}`
and keeps the screenshots. docs/evidence.md has the figures.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import time
from collections import deque
from fractions import Fraction
from typing import Any, Iterable

import numpy as np

from .config import RunConfig
from .env import DoomEnv, X, Y
from .png import write_png
from .protocol import Emitter
from .video import FFMPEG, EncodeError, VideoEncoder
from .watchdog import Watchdog

WIDTH, HEIGHT = 640, 480
TICS_PER_SECOND = 35
DEFAULT_TIC_STEP = 2  # a video frame every 2 tics: 17.5 fps (35 fps costs twice the encode, bench/evidence)
DRIFT_TOLERANCE = 1.0  # map units
MAX_HELD_FRAMES = 70  # frames held back awaiting the next position check (2 s of game at most)


def evidence_config(config: RunConfig) -> RunConfig:
    """The run's config (WADs, map, skill, god mode, timeout) rendering 640x480 RGB24 with the HUD and
    no extra buffers."""
    env = dataclasses.replace(config.env, resolution=f"{WIDTH}x{HEIGHT}", screen_format="RGB24", render_hud=True,
                              depth=False, labels=False, automap=False, objects_info=False)
    return dataclasses.replace(config, env=env)


def read_telemetry(path: str, episode: int) -> tuple[dict[int, tuple[float, float]], list[int]]:
    """From an agent transcript (its stdout, JSON lines): the episode's positions by tic (`step`
    messages) and its event tics (screenshot artifacts: death, stuck, milestones, requested tics)."""
    positions: dict[int, tuple[float, float]] = {}
    events: list[int] = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if not line.startswith("{"):
                continue
            try:
                message = json.loads(line)
            except json.JSONDecodeError:
                continue  # a cut line (a killed run) costs one position, not the evidence
            if message.get("episode") != episode:
                continue
            kind = message.get("type")
            if kind == "step" and message.get("x") is not None and message.get("y") is not None:
                positions[int(message["tic"])] = (float(message["x"]), float(message["y"]))
            elif kind == "artifact" and message.get("kind") == "screenshot":
                events.append(int(message["tic"]))
    return positions, events


def demo_problem(path: str) -> str | None:
    """Why `path` is not a complete VizDoom (ZDoom) demo, or None. A demo is an IFF file: "FORM", its
    length, "ZDEM", then chunks (a header, the player's info, BODY with the tics). The engine writes
    the length last, when the demo is complete; a truncated demo makes the replay block forever in
    VizDoom 1.3.2 (measured), so it is refused here."""
    if not os.path.isfile(path):
        return f"the demo {path} does not exist"
    size = os.path.getsize(path)
    with open(path, "rb") as handle:
        data = handle.read()
    if size < 12 or data[:4] != b"FORM" or data[8:12] != b"ZDEM":
        return f"{path} is not a VizDoom demo (no FORM/ZDEM header; {size} bytes)"
    length = int.from_bytes(data[4:8], "big") + 8
    if length > size:
        return f"the demo {path} is truncated: {size} of {length} bytes"
    offset, chunks = 12, []
    while offset + 8 <= length:
        chunk, chunk_length = data[offset:offset + 4], int.from_bytes(data[offset + 4:offset + 8], "big")
        offset += 8 + chunk_length + (chunk_length & 1)
        if offset > length:
            return f"the demo {path} is truncated: its {chunk.decode('latin-1')} chunk ends past the file"
        chunks.append(chunk)
    if b"BODY" not in chunks:
        return f"the demo {path} has no BODY chunk (no recorded tics)"
    return None


def _missing(reason: str, **extra: Any) -> dict[str, Any]:
    return {"missing": True, "reason": reason, **extra}


def make_evidence(config: RunConfig, demo_path: str, out_dir: str, positions: dict[int, tuple[float, float]],
                  shot_tics: Iterable[int] = (), episode: int = 0, tic_step: int = DEFAULT_TIC_STEP,
                  ffmpeg: str = FFMPEG, video: bool = True, watchdog: Watchdog | None = None) -> dict[str, Any]:
    """Replays `demo_path` (recorded with `config`) and writes the video and screenshots into `out_dir`.
    Never raises: failures are reported in the summary."""
    started = time.perf_counter()
    own_watchdog = watchdog is None
    try:
        problem = demo_problem(demo_path)
        if problem is not None:
            return _missing(problem, episode=episode)
        if tic_step < 1:
            return _missing(f"tic_step must be >= 1, got {tic_step}", episode=episode)
        os.makedirs(out_dir, exist_ok=True)
        if watchdog is None:
            watchdog = Watchdog(Emitter(sys.stderr))
        return _Replay(evidence_config(config), watchdog, demo_path, out_dir, positions, shot_tics, episode,
                       tic_step, ffmpeg if video else None, started).run()
    except Exception as error:  # noqa: BLE001 - a failure here must never break the rest of a run
        return _missing(f"{type(error).__name__}: {error}", episode=episode, wall_s=round(time.perf_counter() - started, 3))
    finally:
        if own_watchdog and watchdog is not None:
            watchdog.stop()


class _Replay:
    """One replay: the engine, the frames held awaiting a check, the encoder and the screenshots."""

    def __init__(self, config: RunConfig, watchdog: Watchdog, demo_path: str, out_dir: str,
                 positions: dict[int, tuple[float, float]], shot_tics: Iterable[int], episode: int, tic_step: int,
                 ffmpeg: str | None, started: float) -> None:
        self.config = config
        self.watchdog = watchdog
        self.demo_path = demo_path
        self.out_dir = out_dir
        self.positions = positions
        self.wanted = sorted(set(int(t) for t in shot_tics if int(t) >= 0))
        self.episode = episode
        self.tic_step = tic_step
        self.ffmpeg = ffmpeg
        self.started = started
        self.prefix = os.path.join(out_dir, f"episode_{episode:04d}")
        self.encoder: VideoEncoder | None = None
        self.video: dict[str, Any] | None = None
        self.held: deque[tuple[int, np.ndarray, bool, list[int]]] = deque()  # tic, frame, a video frame, shot tics
        self.screenshots: list[dict[str, Any]] = []
        self.skipped: list[dict[str, Any]] = []
        self.unchecked_frames = 0
        self.replay_s = 0.0
        self.shot_s = 0.0

    def _guard(self, what: str, call, *args):  # type: ignore[no-untyped-def]
        self.watchdog.arm(what, self.config.env.watchdog_s)
        try:
            return call(*args)
        finally:
            self.watchdog.disarm()

    def run(self) -> dict[str, Any]:
        engine_started = time.perf_counter()
        try:
            env = DoomEnv(self.config, self.watchdog)
        except Exception as error:  # noqa: BLE001 - a bad WAD or map: the evidence is missing, the run is not
            return _missing(f"the engine could not start: {type(error).__name__}: {error}", episode=self.episode)
        try:
            return self._replay(env, engine_started)
        finally:
            if self.encoder is not None:
                self.encoder.abort()
            env.close()

    def _start_video(self) -> None:
        if self.ffmpeg is None:
            self.video = {"missing": True, "reason": "no video was asked for"}
            return
        try:
            self.encoder = VideoEncoder(self.prefix + ".webm", WIDTH, HEIGHT, Fraction(TICS_PER_SECOND, self.tic_step), self.ffmpeg)
        except EncodeError as error:
            self.video = {"missing": True, "reason": str(error)}

    def _replay(self, env: DoomEnv, engine_started: float) -> dict[str, Any]:
        game = env.game
        try:
            self._guard(f"replay_episode({os.path.basename(self.demo_path)})", game.replay_episode, self.demo_path)
            state = game.get_state()
        except Exception as error:  # noqa: BLE001 - VizDoom raises its own exceptions for a bad demo
            return _missing(f"the demo could not be replayed: {type(error).__name__}: {error}", episode=self.episode)
        if state is None or state.screen_buffer is None or state.screen_buffer.shape != (HEIGHT, WIDTH, 3):
            return _missing("the demo could not be replayed: the engine gave no 640x480 RGB frame", episode=self.episode)
        self._start_video()
        first_tic = state.tic
        checked = 0
        verified_to: int | None = None
        drift: dict[str, Any] | None = None
        next_shot = 0
        last: tuple[int, np.ndarray] | None = None
        advance = game.advance_action
        get_state = game.get_state
        check_tics = sorted(t for t in self.positions if t > first_tic)
        next_check = 0
        while state is not None:
            tic = state.tic
            frame = state.screen_buffer
            last = (tic, frame)
            shots: list[int] = []
            while next_shot < len(self.wanted) and self.wanted[next_shot] <= tic:
                shots.append(self.wanted[next_shot])
                next_shot += 1
            is_video = (tic - first_tic) % self.tic_step == 0
            expected = self.positions.get(tic)
            if expected is not None:
                x, y = float(state.game_variables[X]), float(state.game_variables[Y])
                checked += 1
                if abs(x - expected[0]) > DRIFT_TOLERANCE or abs(y - expected[1]) > DRIFT_TOLERANCE:
                    drift = {"tic": tic, "expected": [expected[0], expected[1]], "got": [round(x, 3), round(y, 3)],
                             "distance": round(float(np.hypot(x - expected[0], y - expected[1])), 3)}
                    self._discard_held(f"after the last position check that held (tic {verified_to})", shots, tic)
                    break
                verified_to = tic
                self._release_held()
                self._emit(tic, frame, is_video, shots)
            elif is_video or shots:
                self.held.append((tic, frame, is_video, shots))
                if len(self.held) > MAX_HELD_FRAMES:
                    self.unchecked_frames += 1
                    self._emit(*self.held.popleft())
            # Straight to the next tic that is needed (a check, a video frame, a screenshot): the
            # engine plays the tics between without drawing them.
            while next_check < len(check_tics) and check_tics[next_check] <= tic:
                next_check += 1
            needed = tic + self.tic_step - (tic - first_tic) % self.tic_step
            if next_check < len(check_tics):
                needed = min(needed, check_tics[next_check])
            if next_shot < len(self.wanted):
                needed = min(needed, max(self.wanted[next_shot], tic + 1))
            self.watchdog.arm("advance_action() in an evidence replay", self.config.env.watchdog_s)
            advance(needed - tic, True)
            state = None if game.is_episode_finished() else get_state()
            self.watchdog.disarm()
        last_tic = last[0] if last is not None else first_tic
        if drift is None:
            # Telemetry after the replay's end by more than one step: the replay ended early.
            margin = self.config.env.frame_skip
            late = sorted(t for t in self.positions if t > last_tic + margin)
            if late:
                x, y = self.positions[late[0]]
                drift = {"tic": late[0], "expected": [x, y], "got": None, "distance": None,
                         "reason": f"the replay ended at tic {last_tic}, the telemetry goes on to tic {max(self.positions)}"}
                self._discard_held(f"after the last position check that held (tic {verified_to})", [], late[0])
            else:
                self._release_held()
                # Events just past the last replayed tic (a death, an exit) show the last frame.
                for wanted in self.wanted[next_shot:]:
                    if last is not None and wanted <= last_tic + margin:
                        self._screenshot(last[0], last[1], [wanted])
                    else:
                        self.skipped.append({"tic": wanted, "reason": f"after the end of the replay (tic {last_tic})"})
                next_shot = len(self.wanted)
        if drift is not None:
            for wanted in self.wanted[next_shot:]:
                self.skipped.append({"tic": wanted, "reason": f"after the replay drifted at tic {drift['tic']}"})
        replay_wall = time.perf_counter() - engine_started
        if self.encoder is not None:
            encoder, self.encoder = self.encoder, None
            try:
                self.video = encoder.finish()
                self.video["ends_at_tic"] = verified_to if drift is not None else last_tic
            except EncodeError as error:
                self.video = {"missing": True, "reason": str(error) if encoder.frames or drift is None
                              else f"no frame before the drift at tic {drift['tic']}"}
            encode_s, encode_cpu_s = encoder.blocked_s, encoder.cpu_s
        else:
            encode_s = encode_cpu_s = 0.0
        wall = time.perf_counter() - self.started
        return {
            "missing": False,
            "episode": self.episode,
            "demo": self.demo_path,
            "video": self.video,
            "screenshots": self.screenshots,
            "skipped_screenshots": self.skipped,
            "drift": drift,
            "drift_tolerance": DRIFT_TOLERANCE,
            "checked_tics": checked,
            "verified_to_tic": verified_to,
            "unchecked_frames": self.unchecked_frames,
            "replay_tics": last_tic - first_tic + 1,
            "game_s": round((last_tic - first_tic + 1) / TICS_PER_SECOND, 3),
            "wall_s": round(wall, 3),
            "replay_s": round(replay_wall - encode_s - self.shot_s, 3),  # the engine and this loop
            "encode_s": round(encode_s, 3),  # time waiting for ffmpeg (it encodes while the engine replays)
            "encode_cpu_s": round(encode_cpu_s, 3),
            "screenshot_s": round(self.shot_s, 3),
        }

    def _emit(self, tic: int, frame: np.ndarray, is_video: bool, shots: list[int]) -> None:
        if is_video and self.encoder is not None:
            try:
                self.encoder.write(frame)
            except EncodeError as error:
                self.encoder = None  # the encoder ended itself; the screenshots go on
                self.video = {"missing": True, "reason": str(error)}
        if shots:
            self._screenshot(tic, frame, shots)

    def _release_held(self) -> None:
        while self.held:
            self._emit(*self.held.popleft())

    def _discard_held(self, why: str, shots: list[int], drift_tic: int) -> None:
        for wanted in [s for item in self.held for s in item[3]] + shots:
            self.skipped.append({"tic": wanted, "reason": f"the replay drifted at tic {drift_tic}: the frame is {why}"})
        self.held.clear()

    def _screenshot(self, tic: int, frame: np.ndarray, requested: list[int]) -> None:
        started = time.perf_counter()
        path = f"{self.prefix}_tic_{tic:06d}.png"
        try:
            if not os.path.exists(path):
                write_png(path, frame)
            self.screenshots.append({"tic": tic, "requested": requested, "path": path, "bytes": os.path.getsize(path)})
        except OSError as error:
            self.skipped.append({"tic": requested[0], "reason": f"the screenshot could not be written: {error}"})
        self.shot_s += time.perf_counter() - started
