"""The scan for visual defects in an episode as played (replay_scan.py): the random agent plays a
planted map for 20 s with a demo; the demo is scanned at 320x240 without HUD or weapon. A map with a
missing lower texture (a hall of mirrors) and one with a missing upper (a ceiling drawn through it) are
found, placed toward the planted wall; a clean map with steps shows nothing, even where the player
walks into a wall (a near wall's magnified texels are not a missing texture)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from conftest import run_agent
from defect_maps import build_map
from playtest_agent.config import parse_config
from playtest_agent.replay_scan import _keep, scan_demo
from playtest_agent.protocol import Emitter
from playtest_agent.vision import Finding
from playtest_agent.watchdog import Watchdog


def played(name: str, directory: Path) -> tuple[dict, Path]:
    planted = build_map(name, directory)
    config = {"agent": "random", "map": "MAP01", "pwads": [planted.path], "episodes": 1, "seed": 3,
              "record_demos": True, "demo_dir": str(directory / "demos"), "telemetry_every": 1,
              "env": {"episode_timeout": 700, "watchdog_s": 20.0}}
    run = run_agent("evaluate", config, directory)
    assert run.returncode == 0, run.stderr
    return config, Path(run.of("artifact")[-1]["path"])


def scanned(name: str, directory: Path) -> dict:
    config, demo = played(name, directory)
    with open(os.devnull, "w") as quiet:
        watchdog = Watchdog(Emitter(quiet))
        try:
            return scan_demo(parse_config(config), str(demo), watchdog)
        finally:
            watchdog.stop()


@pytest.mark.parametrize("name, kind", [("lower_hom_96", "hall_of_mirrors"), ("upper_bleed_96", "flat_bleeding")])
def test_a_planted_defect_is_found_in_play_toward_its_wall(name: str, kind: str, tmp_path: Path) -> None:
    scan = scanned(name, tmp_path)
    assert "error" not in scan, scan
    assert scan["frames"] > 100
    kinds = {finding["kind"] for finding in scan["findings"]}
    assert kinds == {kind}, scan["findings"]
    for finding in scan["findings"]:
        assert finding["tic"] is not None and finding["severity"] == "high"
        # Seen from the room looking east, toward the planted wall at x = 1024.
        assert -60 <= ((finding["bearing"] + 180) % 360) - 180 <= 60, finding
        assert finding["at"][0] > finding["player"][0]


def test_a_clean_map_shows_nothing(tmp_path: Path) -> None:
    scan = scanned("clean_steps", tmp_path)
    assert "error" not in scan and scan["frames"] > 100
    assert scan["findings"] == []


def test_speckles_beside_a_sprite_are_not_a_hall_of_mirrors() -> None:
    depth = np.full((240, 320), 40, dtype=np.uint8)
    depth[100:120, 100:120] = 0  # a solid undrawn block: a missing wall part
    depth[100:120, 200:220:2] = 0  # every other column undrawn: a spectre's fuzz
    found: list[dict] = []
    for x0 in (100, 200):
        finding = Finding("hall_of_mirrors", "high", 0.95, (x0, 100, x0 + 20, 120), 400, 0, 8)
        _keep(found, finding, 0.0, 0.0, 0.0, 320, depth)
    assert [f["box"][0] for f in found] == [100]


def test_a_monster_sealed_in_a_closet_never_stirs_one_in_the_room_does(tmp_path: Path) -> None:
    """A room with a zombieman facing the start, and a closet no line joins to it holding an imp: the imp
    never moves and is never on screen; the zombieman is seen at once."""
    from mapbuilder import MapBuilder

    b = MapBuilder()
    b.sector([(0, 0), (0, 512), (768, 512), (768, 0)])
    b.sector([(2000, 0), (2000, 128), (2128, 128), (2128, 0)])
    b.thing(100, 256, 1)
    b.thing(600, 256, 3004, angle=180)
    b.thing(2064, 64, 3001)
    path = tmp_path / "closet.wad"
    b.write(str(path))
    config = {"agent": "random", "map": "MAP01", "pwads": [str(path)], "episodes": 1, "seed": 3,
              "record_demos": True, "demo_dir": str(tmp_path / "demos"), "telemetry_every": 1,
              "env": {"episode_timeout": 350, "watchdog_s": 20.0}}
    run = run_agent("evaluate", config, tmp_path)
    assert run.returncode == 0, run.stderr
    with open(os.devnull, "w") as quiet:
        watchdog = Watchdog(Emitter(quiet))
        try:
            scan = scan_demo(parse_config(config), run.of("artifact")[-1]["path"], watchdog)
        finally:
            watchdog.stop()
    assert "error" not in scan, scan
    assert scan["monsters"] == 2
    assert scan["idle_monsters"] == [{"name": "DoomImp", "x": 2064.0, "y": 64.0}]
