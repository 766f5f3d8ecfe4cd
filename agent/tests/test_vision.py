"""The frame detector (playtest_agent/vision.py) on the planted suite (defect_maps.py), in real VizDoom,
and on small synthetic frames; plus the map builder's per-side textures that the suite relies on."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import omg
import pytest

from defect_maps import EAST, FREEDOOM2, SUITE, Camera, PlantedMap, build_map
from mapbuilder import MapBuilder
from playtest_agent.vision import Finding, detect, merge

DEFECT_MAPS = [name for name, _, _ in SUITE if not name.startswith("clean")]
CLEAN_MAPS = [name for name, _, _ in SUITE if name.startswith("clean")]


@pytest.fixture(scope="module")
def suite_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("defect_maps")


def _shots(planted: PlantedMap) -> list[tuple[int, dict, list[Finding]]]:
    camera = Camera(FREEDOOM2, "MAP01", planted.path)
    try:
        out = []
        for number, view in enumerate(planted.views):
            shot = camera.look(view.x, view.y, view.angle)
            findings = detect(shot["frame"], shot["depth"], shot["previous"], shot["elsewhere"], shot["things"], number,
                              shot["tic"])
            out.append((number, shot, findings))
        return out
    finally:
        camera.close()


def _overlap(finding: Finding, span: tuple[float, float], width: int) -> bool:
    return finding.box[0] / width <= span[1] + 0.02 and span[0] - 0.02 <= finding.box[2] / width


@pytest.mark.parametrize("name", DEFECT_MAPS)
def test_finds_each_planted_defect_from_far_views(name: str, suite_dir: Path) -> None:
    planted = build_map(name, suite_dir)
    assert planted.defects and any(v.sees for v in planted.views)
    for number, shot, findings in _shots(planted):
        view = planted.views[number]
        if view.close:
            continue  # reported apart by the benchmark (docs/visual-defects.md explains why)
        width = shot["frame"].shape[1]
        for index, first, last in view.sees:
            defect = planted.defects[index]
            hits = [f for f in findings if f.kind == defect.kind and _overlap(f, (first, last), width)]
            assert hits, (f"{name} view {number}: {defect.kind} ({defect.cause}) at columns {first:.2f}-{last:.2f} "
                          f"not found; found {[(f.kind, f.surface, f.box) for f in findings]}")
            if defect.surface is not None:
                assert any(f.surface == defect.surface for f in hits), (name, number, [f.surface for f in hits])
        wrong = [f for f in findings
                 if not any(planted.defects[i].kind == f.kind and _overlap(f, (a, b), width) for i, a, b in view.sees)]
        assert not wrong, f"{name} view {number}: findings where nothing is planted: {wrong}"


@pytest.mark.parametrize("name", CLEAN_MAPS)
def test_no_findings_on_clean_controls(name: str, suite_dir: Path) -> None:
    planted = build_map(name, suite_dir)
    assert not planted.defects
    for number, _, findings in _shots(planted):
        assert findings == [], f"{name} view {number}: {[(f.kind, f.surface, f.box) for f in findings]}"


# Synthetic frames: each rule, and what must not trigger it -----------------------------------------------

H, W = 120, 160


def _scene() -> tuple[np.ndarray, np.ndarray]:
    """A flat floor and ceiling (depth from the row's distance to the horizon) with a wall across the middle."""
    rows = np.arange(H, dtype=np.float32)[:, None] - (H - 1) / 2
    depth = np.clip(np.abs(600.0 / np.where(rows == 0, 0.5, rows)), 1, 126).repeat(W, axis=1)
    depth[40:80, :] = 60  # a wall at depth 60 covers the horizon band
    frame = np.random.default_rng(1).integers(30, 200, size=(H, W, 3), dtype=np.uint8)
    return frame, depth.astype(np.uint8)


def test_clean_synthetic_scene_has_no_findings() -> None:
    frame, depth = _scene()
    assert detect(frame, depth) == []


def test_undrawn_stale_region_is_a_hall_of_mirrors() -> None:
    frame, depth = _scene()
    previous = np.random.default_rng(2).integers(0, 255, size=frame.shape, dtype=np.uint8)
    depth[50:70, 40:100] = 0
    frame[50:70, 40:100] = previous[50:70, 40:100]  # nothing drawn: last frame's pixels stay
    found = detect(frame, depth, previous)
    assert [f.kind for f in found] == ["hall_of_mirrors"]
    assert found[0].box == (40, 50, 100, 70) and found[0].confidence > 0.9
    frame[50:70, 40:100] = 7  # drawn this frame after all (not stale): not a hall of mirrors
    assert detect(frame, depth, previous) == []


def test_floor_drawn_in_front_of_what_lies_below_it_is_flat_bleeding() -> None:
    frame, depth = _scene()
    rows = np.arange(H, dtype=np.float32) - (H - 1) / 2
    band = slice(82, 92)
    depth[band, 30:130] = np.clip(300.0 / rows[band], 1, 126)[:, None].astype(np.uint8)  # a higher floor, nearer
    found = detect(frame, depth)
    assert [(f.kind, f.surface, f.part) for f in found] == [("flat_bleeding", "floor", "lower")]
    things = np.zeros(depth.shape, dtype=bool)
    things[band, 30:130] = True  # the same pixels on a sprite are no evidence
    assert detect(frame, depth, things=things) == []


def test_placeholder_checkerboard_is_a_missing_texture_but_grey_noise_is_not() -> None:
    frame, depth = _scene()
    yy, xx = np.mgrid[0:24, 0:64]
    checker = np.where(((yy // 4) + (xx // 4)) % 2 == 0, 183, 147).astype(np.uint8)
    frame[48:72, 50:114] = checker[:, :, None]
    found = detect(frame, depth)
    assert [f.kind for f in found] == ["missing_texture"]
    assert np.abs(np.array(found[0].box) - (50, 48, 114, 72)).max() <= 3, found[0].box
    noise = np.random.default_rng(3).choice(np.array([47, 55], dtype=np.uint8), size=(24, 64))
    frame[48:72, 50:114] = noise[:, :, None]
    assert detect(frame, depth) == []


def test_merge_joins_pieces_of_one_gap() -> None:
    a = Finding("flat_bleeding", "high", 0.9, (10, 50, 20, 60), 100, 0, None, "floor", "lower")
    b = Finding("flat_bleeding", "high", 0.9, (24, 52, 40, 61), 100, 0, None, "floor", "lower")
    c = Finding("flat_bleeding", "high", 0.9, (24, 52, 40, 61), 100, 0, None, "ceiling", "upper")
    merged = merge([a, b, c], gap=5)
    assert sorted((f.surface, f.box) for f in merged) == [("ceiling", (24, 52, 40, 61)), ("floor", (10, 50, 40, 61))]


def test_rejects_mismatched_buffers() -> None:
    frame, depth = _scene()
    with pytest.raises(ValueError):
        detect(frame, depth[:, :-1])


# The map builder's per-side textures -------------------------------------------------------------------

def test_mapbuilder_sets_one_side_and_keeps_defaults(tmp_path: Path) -> None:
    b = MapBuilder()
    room = b.sector([(0, 0), (0, 1024), (1024, 1024), (1024, 640), (1024, 384), (1024, 0)])
    alcove = b.sector([(1024, 384), (1024, 640), (1280, 640), (1280, 384)], floor=32, ceiling_flat="F_SKY1")
    key = b.sidedef(*EAST, room, lower="-")
    b.thing(100, 100, 1)
    b.write(str(tmp_path / "m.wad"))
    editor = omg.MapEditor(omg.WAD(str(tmp_path / "m.wad")).maps["MAP01"])
    planted = editor.sidedefs[b.sidedef_index[key]]
    other = editor.sidedefs[b.sidedef_index[(key[0], alcove)]]
    assert (planted.tx_low, planted.tx_up, planted.sector) == ("-", "STARTAN3", room)
    assert (other.tx_low, other.tx_up, other.sector) == ("STARTAN3", "STARTAN3", alcove)
    assert editor.sectors[alcove].tx_ceil == "F_SKY1" and editor.sectors[room].tx_ceil == "CEIL3_5"
    with pytest.raises(ValueError):
        b.sidedef((0, 0), (5, 5), room, middle="-")
        b.build()
