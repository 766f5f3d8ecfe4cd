"""Renders the screenshots in docs/img/visual-defects/ from the planted suite: each frame (320x240) with the
detector's findings boxed in magenta, and beside it the depth buffer (brighter is farther; black is 0,
"nothing drawn"). Written as palette PNGs (Doom frames have few colours) to stay small.

    /work/main/.venv/bin/python bench/vision/figures.py
"""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "agent"))
sys.path.insert(0, str(REPO / "agent" / "tests"))

from defect_maps import FREEDOOM2, Camera, build_map  # noqa: E402
from playtest_agent.vision import detect  # noqa: E402

OUT = REPO / "docs" / "img" / "visual-defects"
MAGENTA = np.array([255, 0, 255], dtype=np.uint8)
# (file name, suite map, view index, extra turn sequence for the stale demonstration or None)
FIGURES = [
    ("floor-bleeding", "lower_bleed_32", 0),
    ("floor-bleeding-close", "lower_bleed_32", 6),
    ("hom-lower-above-eye", "lower_hom_96", 0),
    ("ceiling-bleeding", "upper_bleed_96", 0),
    ("hom-upper-below-eye", "upper_hom_24", 0),
    ("hom-door-without-upper", "door_hom", 0),
    ("sky-bleeding", "sky_bleed_96", 0),
    ("hom-missing-middle", "middle_hom", 0),
    ("hom-unclosed-sector", "unclosed_sector", 1),
    ("missing-texture-checkerboard", "undefined_wall", 1),
    ("clean-sky-fence", "clean_sky_fence", 0),
]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def write_palette_png(path: Path, image: np.ndarray) -> None:
    """An indexed PNG; colours beyond 256 are merged by dropping low bits until they fit."""
    pixels = image.reshape(-1, 3)
    shift = 0
    while True:
        reduced = (pixels >> shift) << shift
        colours, index = np.unique(reduced, axis=0, return_inverse=True)
        if len(colours) <= 256:
            break
        shift += 1
    h, w = image.shape[:2]
    rows = index.astype(np.uint8).reshape(h, w)
    raw = np.hstack([np.zeros((h, 1), dtype=np.uint8), rows]).tobytes()
    header = struct.pack(">IIBBBBB", w, h, 8, 3, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"PLTE", colours.astype(np.uint8).tobytes())
                     + _chunk(b"IDAT", zlib.compress(raw, 9)) + _chunk(b"IEND", b""))


def _boxed(frame: np.ndarray, boxes: list[tuple[int, int, int, int]]) -> np.ndarray:
    out = frame.copy()
    for x0, y0, x1, y1 in boxes:
        out[y0, x0:x1] = out[y1 - 1, x0:x1] = MAGENTA
        out[y0:y1, x0] = out[y0:y1, x1 - 1] = MAGENTA
    return out


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    work = Path("/tmp/playtest-vision-figures")
    for name, map_name, view_index in FIGURES:
        planted = build_map(map_name, work)
        view = planted.views[view_index]
        camera = Camera(FREEDOOM2, "MAP01", planted.path)
        try:
            shot = camera.look(view.x, view.y, view.angle)
        finally:
            camera.close()
        findings = detect(shot["frame"], shot["depth"], shot["previous"], shot["elsewhere"], shot["things"])
        depth = np.minimum(shot["depth"].astype(np.int32) * 2, 255).astype(np.uint8)
        panel = np.concatenate([_boxed(shot["frame"], [f.box for f in findings]),
                                np.repeat(depth[:, :, None], 3, axis=2)], axis=1)
        path = OUT / f"{name}.png"
        write_palette_png(path, panel)
        print(f"{path.relative_to(REPO)}: {path.stat().st_size // 1024} KB; "
              f"{[(f.kind, f.surface, f.box) for f in findings]}")


if __name__ == "__main__":
    main()
