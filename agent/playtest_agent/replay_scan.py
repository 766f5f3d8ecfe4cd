"""Visual defects in an episode as it was played: its demo replayed at 320x240 with the depth and labels
buffers and nothing drawn over the world (no status bar, weapon or messages), every `every`-th tic
given to `vision.detect` with the frame drawn just before it (docs/visual-defects.md). The same tics show
the monsters that never stirred (monster_watch.py, from the objects info and labels). Each finding
keeps the tic and where the player stood and looked, so the platform can place it on the map and
take its colour screenshot in the evidence replay that follows.

The scan is a pass of its own before the evidence replay: that one draws the HUD and weapon for people,
which the detector would read as undrawn pixels."""

from __future__ import annotations

import dataclasses
import math
import time
from typing import Any

import numpy as np

from . import vision
from .config import RunConfig
from .monster_watch import MonsterWatch
from .env import ANGLE, DoomEnv, EnvFeatures, X, Y
from .watchdog import Watchdog

SCAN_RESOLUTION = "320x240"
DEFAULT_EVERY = 4  # tics: about 9 frames a second of game, one per agent step at frame skip 4
FIELD_OF_VIEW = 90.0  # degrees across the frame's width (VizDoom's default)
# A finding seen again within this many tics in the same part of the frame is the same sighting.
REPEAT_TICS = 70
# A wall nearer than this fills the frame with a few magnified texels, which the missing-texture rule reads as
# a checkerboard (measured: every such finding in random play on clean planted maps was at 7-22 units).
NEAR_WALL = 48.0
# A missing wall part leaves a solid block of undrawn pixels (at least 0.85 of its box on the planted maps, mostly
# 1.0); a spectre's fuzz leaves speckles around the sprite that the labels buffer does not cover (0.33-0.65 on
# Freedoom 2 MAP02). A hall of mirrors with less of its box undrawn is dropped.
SOLID_UNDRAWN = 0.8
# Seen in fewer scanned frames than this, a finding is dropped: a planted defect stays in view (2-18 frames in random
# play), while a spectre's fuzz or a dying monster in a dark room flickers past (Freedoom 2 MAP02: most such findings
# were seen once).
MIN_FRAMES = 2


def scan_config(config: RunConfig) -> RunConfig:
    env = dataclasses.replace(config.env, resolution=SCAN_RESOLUTION, screen_format="RGB24", render_hud=False,
                              depth=True, labels=True, automap=False, objects_info=True)
    return dataclasses.replace(config, env=env)


def scan_demo(config: RunConfig, demo_path: str, watchdog: Watchdog, every: int = DEFAULT_EVERY,
              until_tic: int | None = None) -> dict[str, Any]:
    """{"findings": [...], "frames": n, "scan_s": s} or {"error": why}; never raises. `until_tic`: stop
    there (where the evidence replay found the demo drifting from the telemetry)."""
    started = time.perf_counter()
    try:
        env = DoomEnv(scan_config(config), watchdog, features=EnvFeatures(depth=True, labels=True, clean_view=True))
    except Exception as error:  # noqa: BLE001 - a scan that cannot start is reported, not raised
        return {"error": f"the engine could not start: {type(error).__name__}: {error}"}
    try:
        return _scan(env, demo_path, watchdog, max(1, every), until_tic, started)
    except Exception as error:  # noqa: BLE001
        return {"error": f"{type(error).__name__}: {error}"}
    finally:
        env.close()


def _scan(env: DoomEnv, demo_path: str, watchdog: Watchdog, every: int, until_tic: int | None,
          started: float) -> dict[str, Any]:
    game = env.game
    watchdog.arm("replay_episode() in a vision scan", env.config.env.watchdog_s)
    game.replay_episode(demo_path)
    state = game.get_state()
    watchdog.disarm()
    previous: np.ndarray | None = None
    frames = 0
    detect_s = 0.0
    found: list[dict[str, Any]] = []
    monsters = MonsterWatch()
    while state is not None and (until_tic is None or state.tic <= until_tic):
        monsters.observe(state.objects, state.labels)
        frame, depth = state.screen_buffer, state.depth_buffer
        if frame is not None and depth is not None:
            labels = state.labels_buffer
            things = np.isin(labels, [label.value for label in state.labels]) if labels is not None else None
            t0 = time.perf_counter()
            findings = vision.detect(frame, depth, previous=previous, things=things, index=frames, tic=state.tic)
            detect_s += time.perf_counter() - t0
            frames += 1
            x, y, angle = (float(state.game_variables[i]) for i in (X, Y, ANGLE))
            for finding in findings:
                _keep(found, finding, x, y, angle, frame.shape[1], depth)
            previous = frame
        watchdog.arm("advance_action() in a vision scan", env.config.env.watchdog_s)
        game.advance_action(every, True)
        state = None if game.is_episode_finished() else game.get_state()
        watchdog.disarm()
    kept = [finding for finding in found if finding["frames"] >= MIN_FRAMES]
    return {"findings": kept, "fleeting": len(found) - len(kept), "frames": frames, "detect_s": round(detect_s, 3),
            "scan_s": round(time.perf_counter() - started, 3), "every": every,
            "monsters": len(monsters.first), "idle_monsters": monsters.idle()}


def _keep(found: list[dict[str, Any]], finding: vision.Finding, x: float, y: float, angle: float, width: int,
          depth: np.ndarray) -> None:
    """Adds the finding with where it lies, unless it repeats one just seen (the same kind in about the
    same direction within REPEAT_TICS): a defect in view stays in view for many frames."""
    x0, y0, x1, y1 = finding.box
    if (x0 == 0 or x1 >= width) and (y1 - y0) >= 0.8 * depth.shape[0]:
        return  # a strip down the frame's side: the player's face against a wall or a door's edge, nothing behind it
    # Doom's angles turn anticlockwise; the frame's right edge is FOV/2 clockwise of the view's angle.
    bearing = angle + FIELD_OF_VIEW * (0.5 - ((x0 + x1) / 2) / width)
    region = depth[y0:y1, x0:x1]
    drawn = region[region > 0]
    distance = float(np.median(drawn)) * vision.DEPTH_UNITS if drawn.size else None
    if finding.kind == "missing_texture" and distance is not None and distance < NEAR_WALL:
        return
    if finding.kind == "hall_of_mirrors" and region.size and float((region == 0).mean()) < SOLID_UNDRAWN:
        return
    for kept in reversed(found):
        if finding.tic is not None and kept["tic"] is not None and finding.tic - kept["tic"] > REPEAT_TICS:
            break
        if kept["kind"] == finding.kind and abs(((kept["bearing"] - bearing + 180) % 360) - 180) < 10:
            kept["last_tic"] = finding.tic
            kept["frames"] += 1
            return
    along = distance if distance is not None else 0.0
    found.append({
        "kind": finding.kind, "severity": finding.severity, "confidence": round(finding.confidence, 3),
        "surface": finding.surface, "part": finding.part, "box": list(finding.box), "tic": finding.tic,
        "last_tic": finding.tic, "frames": 1, "player": [round(x, 3), round(y, 3), round(angle, 2)],
        "bearing": round(bearing % 360, 2), "distance": None if distance is None else round(distance, 1),
        "at": [round(x + along * math.cos(math.radians(bearing)), 1), round(y + along * math.sin(math.radians(bearing)), 1)],
    })
