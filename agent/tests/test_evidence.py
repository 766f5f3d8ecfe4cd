"""Evidence: a recorded episode becomes a 640x480 VP9 WebM and colour screenshots, checked against its
telemetry; a drift, a bad demo and a missing or failing ffmpeg are reported, never raised."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from conftest import AGENT_DIR, REPO_ROOT, run_agent
from mapbuilder import MapBuilder
from playtest_agent.config import parse_config
from playtest_agent.evidence import DRIFT_TOLERANCE, make_evidence, read_telemetry

EPISODE_TICS = 350  # 10 s of game
CONFIG = {"agent": "explorer", "map": "MAP01", "episodes": 1, "seed": 3, "telemetry_every": 1,
          "record_demos": True, "env": {"episode_timeout": EPISODE_TICS, "watchdog_s": 20.0}}

pytestmark = pytest.mark.skipif(shutil.which("ffprobe") is None or shutil.which("ffmpeg") is None,
                                reason="ffmpeg and ffprobe are needed (Debian package ffmpeg)")


@dataclasses.dataclass
class Episode:
    config: dict[str, Any]
    config_path: Path
    demo: Path
    transcript: Path
    positions: dict[int, tuple[float, float]]
    tics: int


@pytest.fixture(scope="module")
def episode(tmp_path_factory: pytest.TempPathFactory) -> Episode:
    directory = tmp_path_factory.mktemp("evidence")
    config = {**CONFIG, "demo_dir": str(directory / "demos")}
    run = run_agent("evaluate", config, directory)
    assert run.returncode == 0, run.stderr
    transcript = directory / "run.jsonl"
    transcript.write_text("".join(run.raw_lines))
    config_path = directory / "run.json"
    config_path.write_text(json.dumps(config))
    positions, _ = read_telemetry(str(transcript), 0)
    assert len(positions) > 50
    return Episode(config, config_path, Path(run.of("artifact")[-1]["path"]), transcript, positions,
                   run.of("episode_end")[0]["tics"])


def probe(path: str) -> dict[str, Any]:
    out = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-show_entries",
                          "stream=codec_name,width,height,nb_read_frames:format=duration,format_name", "-of", "json", path],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def read_png_rgb(path: str) -> np.ndarray:
    """Decodes the PNGs png.py writes (8-bit, filter 0 on every row)."""
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, idat, header = 8, b"", b""
    while offset < len(data):
        length = struct.unpack(">I", data[offset:offset + 4])[0]
        kind, body = data[offset + 4:offset + 8], data[offset + 8:offset + 8 + length]
        header = body if kind == b"IHDR" else header
        idat += body if kind == b"IDAT" else b""
        offset += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour == 2, "an RGB PNG (colour type 2)"
    rows = np.frombuffer(zlib.decompress(idat), dtype=np.uint8).reshape(height, 1 + width * 3)
    assert not rows[:, 0].any()
    return rows[:, 1:].reshape(height, width, 3)


def test_cli_makes_a_vp9_webm_and_colour_screenshots(episode: Episode, tmp_path: Path) -> None:
    out = tmp_path / "evidence"
    result = subprocess.run(
        [sys.executable, "-m", "playtest_agent", "evidence", "--config", str(episode.config_path),
         "--telemetry", str(episode.transcript), "--episode", "0", "--out", str(out), "--tics", "70,200"],
        cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(AGENT_DIR)}, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["missing"] is False and summary["drift"] is None
    assert summary["checked_tics"] >= len(episode.positions) - 1  # the last step's tic may be past the last state
    video = summary["video"]
    assert video["path"] == str(out / "episode_0000.webm") and video["bytes"] == os.path.getsize(video["path"])
    info = probe(video["path"])
    stream = info["streams"][0]
    assert stream["codec_name"] == "vp9" and (stream["width"], stream["height"]) == (640, 480)
    assert "webm" in info["format"]["format_name"]
    game_s = episode.tics / 35
    assert abs(float(info["format"]["duration"]) - game_s) < 0.25, (info, game_s)
    assert abs(int(stream["nb_read_frames"]) - video["frames"]) <= 1 and video["frames"] >= EPISODE_TICS // 2 - 2
    assert [s["requested"] for s in summary["screenshots"]] == [[70], [200]]
    for shot in summary["screenshots"]:
        image = read_png_rgb(shot["path"])
        assert image.shape == (480, 640, 3)
        chroma = image.max(axis=2).astype(int) - image.min(axis=2)
        assert (chroma > 40).mean() > 0.02, "a colour frame, not a grey one (the HUD's digits alone are red)"
        assert (image[-32:] != image[-32:].mean()).any()  # the HUD is drawn at the bottom
    assert summary["skipped_screenshots"] == []
    assert summary["replay_s"] > 0 and summary["encode_cpu_s"] > 0


def test_a_wrong_position_is_a_drift_and_nothing_after_it_is_shown(episode: Episode, tmp_path: Path) -> None:
    tics = sorted(episode.positions)
    bad = tics[len(tics) // 2]
    positions = dict(episode.positions)
    true_x, true_y = positions[bad]
    positions[bad] = (true_x + 10 * DRIFT_TOLERANCE, true_y)
    before, after = bad - 30, bad + 30
    summary = make_evidence(parse_config(episode.config), str(episode.demo), str(tmp_path), positions,
                            [before, bad, after], tic_step=2)
    assert summary["missing"] is False
    drift = summary["drift"]
    assert drift["tic"] == bad and drift["expected"] == [true_x + 10 * DRIFT_TOLERANCE, true_y]
    assert abs(drift["got"][0] - true_x) < 0.01 and abs(drift["got"][1] - true_y) < 0.01
    assert [s["requested"] for s in summary["screenshots"]] == [[before]]
    assert sorted(s["tic"] for s in summary["skipped_screenshots"]) == [bad, after]
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["episode_0000.webm", f"episode_0000_tic_{before:06d}.png"], written
    video = summary["video"]
    assert video["ends_at_tic"] == summary["verified_to_tic"] < bad
    assert abs(float(probe(video["path"])["format"]["duration"]) - bad / 35) < 0.25


def room_wad(path: Path, start_x: int) -> str:
    """One 1024x1024 room, the player starting at (start_x, 512) facing east."""
    builder = MapBuilder()
    builder.sector([(0, 0), (0, 1024), (1024, 1024), (1024, 0)])
    builder.thing(start_x, 512, 1)
    builder.write(str(path), "MAP01")
    return str(path)


def test_a_custom_wad_that_replays_differently_drifts_at_the_first_check(tmp_path: Path) -> None:
    # Recorded on one version of a custom map, replayed on another whose start is 64 units further east:
    # the demo carries only the player's inputs, so every replayed position is off.
    recorded = room_wad(tmp_path / "v1.wad", 256)
    config = {"agent": "random", "pwads": [recorded], "map": "MAP01", "seed": 1, "telemetry_every": 1,
              "record_demos": True, "demo_dir": str(tmp_path / "demos"), "env": {"episode_timeout": 105}}
    run = run_agent("evaluate", config, tmp_path)
    assert run.returncode == 0, run.stderr
    (tmp_path / "run.jsonl").write_text("".join(run.raw_lines))
    positions, _ = read_telemetry(str(tmp_path / "run.jsonl"), 0)
    demo = run.of("artifact")[-1]["path"]
    same = make_evidence(parse_config(config), demo, str(tmp_path / "same"), positions, [20])
    assert same["missing"] is False and same["drift"] is None and not same["video"].get("missing")
    edited = parse_config({**config, "pwads": [room_wad(tmp_path / "v2.wad", 320)]})
    summary = make_evidence(edited, demo, str(tmp_path / "edited"), positions, [1, 20])
    first = min(positions)
    assert summary["missing"] is False and summary["drift"]["tic"] == first
    assert abs(summary["drift"]["got"][0] - summary["drift"]["expected"][0]) > 60
    assert summary["video"]["missing"] is True and "no frame" in summary["video"]["reason"]
    assert summary["screenshots"] == [] and len(summary["skipped_screenshots"]) == 2
    assert list((tmp_path / "edited").iterdir()) == []  # no half-written video either


def test_bad_demos_are_missing_evidence_with_a_reason(episode: Episode, tmp_path: Path) -> None:
    config = parse_config(episode.config)
    data = episode.demo.read_bytes()
    cases = {
        "absent.lmp": (None, "does not exist"),
        "empty.lmp": (b"", "not a VizDoom demo"),
        "garbage.lmp": (bytes(range(256)) * 8, "not a VizDoom demo"),
        "truncated.lmp": (data[: len(data) // 2], "truncated"),
    }
    for name, (content, reason) in cases.items():
        path = tmp_path / name
        if content is not None:
            path.write_bytes(content)
        summary = make_evidence(config, str(path), str(tmp_path / "out"), episode.positions, [70])
        assert summary["missing"] is True and reason in summary["reason"], (name, summary)


def test_a_missing_or_failing_ffmpeg_leaves_the_screenshots(episode: Episode, tmp_path: Path) -> None:
    config = parse_config(episode.config)
    absent = make_evidence(config, str(episode.demo), str(tmp_path / "a"), episode.positions, [70],
                           ffmpeg=str(tmp_path / "no-ffmpeg"))
    assert absent["missing"] is False and absent["video"]["missing"] is True
    assert "could not be started" in absent["video"]["reason"]
    assert len(absent["screenshots"]) == 1 and os.path.isfile(absent["screenshots"][0]["path"])
    failing = tmp_path / "ffmpeg"
    failing.write_text("#!/bin/sh\necho 'no encoder here' >&2\nexit 3\n")
    failing.chmod(0o755)
    broken = make_evidence(config, str(episode.demo), str(tmp_path / "b"), episode.positions, [70], ffmpeg=str(failing))
    assert broken["missing"] is False and broken["video"]["missing"] is True
    assert "no encoder here" in broken["video"]["reason"] or "status 3" in broken["video"]["reason"], broken["video"]
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["episode_0000_tic_000070.png"]
