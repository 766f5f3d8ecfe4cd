"""Finds what VizDoom's renderer shows for broken map geometry, in one frame (RGB + depth buffer).

What the engine draws for each defect, and why each rule below holds, is written down in
docs/visual-defects.md. In short (VizDoom 1.3.2, a ZDoom-derived software renderer):

- `hall_of_mirrors`: nothing was drawn there this frame, so the pixels keep the previous frame's
  colours and the depth buffer keeps 0. A missing middle texture on a one-sided line, a missing
  lower (upper) texture whose gap lies above (below) the eye, and broken sectors do this.
- `flat_bleeding`: a floor or ceiling flat (or the sky) is drawn where a wall should be. A missing
  lower texture seen from above lets the higher floor bleed down over the step; a missing upper
  texture seen from below lets the lower ceiling (or the sky) bleed up. `surface` says which.
- `missing_texture`: a wall drawn with ZDoom's placeholder checkerboard, which the engine uses for
  a texture name that no loaded WAD defines.

The depth buffer is what makes the rules geometric rather than learnt: VizDoom writes view-space
distance / 7.25 map units per level (0: nothing drawn, 127: 920 units or more, and the sky). A
floor can only be seen from above, so a floor's near edge can never hide something *farther*
below it on screen; a ceiling's near edge likewise can never hide something farther above it.
A flat that does is a flat drawn in a wall's place. Thresholds are constants below, chosen from
the renderer's quantisation (one depth level) and from sizes a player can see, not fitted to the
planted suite.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import cv2
import numpy as np

DEPTH_FAR = 127  # the depth buffer saturates here (>= 920 map units) and the sky is written as 127
DEPTH_UNITS = 7.25  # map units per depth level

# The placeholder checkerboard for an undefined texture: two greys, 219 and 171 at full light (ratio 1.28),
# 183 and 147 farther away (1.24). The accepted ratio band is wider than measured, for other light levels.
CHECKER_RATIO = (1.18, 1.42)
CHECKER_MIN_GREY = 40  # darker than this, palette steps are too coarse to tell two tones from texture
CHECKER_WINDOWS = (5, 9, 17)

MIN_AREA_FRACTION = 0.0008  # a finding covers >= 0.08 % of the frame (61 px at 320x240): visible, not a seam
MIN_WIDTH_FRACTION = 0.02  # and spans >= 2 % of the frame's width (6 px at 320x240)
EDGE_JUMP_LEVELS = 3  # a "farther" neighbour is >= 3 depth levels (22 units) and ...
EDGE_JUMP_RATIO = 1.25  # ... >= 25 % farther: plane edges at grazing angles jitter by 1-2 levels
MERGE_GAP_FRACTION = 0.03  # findings of one kind closer than 3 % of the width (10 px at 320) are one
STALE_MOVED_FRACTION = 0.2  # the view moved if >= 20 % of the drawn pixels changed since the previous frame


@dataclass(frozen=True)
class Finding:
    kind: str  # hall_of_mirrors | flat_bleeding | missing_texture
    severity: str  # high: a player sees it at once; medium: visible but small or ambiguous
    confidence: float  # 0..1
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in frame pixels (inclusive-exclusive)
    area: int  # pixels
    frame: int  # the caller's frame index
    tic: int | None
    surface: str | None = None  # flat_bleeding: floor | ceiling | sky
    part: str | None = None  # the wall part that is probably missing: lower | upper | middle | None
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def detect(frame: np.ndarray, depth: np.ndarray, previous: np.ndarray | None = None,
           elsewhere: np.ndarray | None = None, things: np.ndarray | None = None, index: int = 0,
           tic: int | None = None) -> list[Finding]:
    """All findings in one frame. frame: (H, W, 3) uint8 RGB; depth: (H, W) uint8 VizDoom depth buffer,
    both rendered without the HUD, weapon or messages (they read as depth 0).
    previous: the frame rendered just before, from a view that turned or moved; undrawn pixels keep its
    colours exactly, which confirms a hall of mirrors.
    elsewhere: a frame at the same view angle from a point >= 8 units away (rendered at any time). The
    sky is the same in both, walls past the depth buffer's range (which also read 127) are not, so sky
    bleeding is looked for only when it is given.
    things: (H, W) bool, the pixels of things (VizDoom: labels-buffer pixels whose value is one of the
    state's labels; the buffer also marks flats with 1). Sprites are not occluded by floors the way walls
    are, and fuzzy ones (spectres) write depth over nearer floor, so thing pixels are kept out of the
    geometric rules."""
    if frame.ndim != 3 or frame.shape[2] != 3 or depth.shape != frame.shape[:2]:
        raise ValueError(f"expected (H, W, 3) RGB and (H, W) depth, got {frame.shape} and {depth.shape}")
    things = things if things is not None else np.zeros(depth.shape, dtype=bool)
    findings = _hall_of_mirrors(frame, depth, previous, things, index, tic)
    findings += _flat_bleeding(depth, things, index, tic)
    if elsewhere is not None and elsewhere.shape == frame.shape:
        sky = (depth >= DEPTH_FAR) & np.all(frame == elsewhere, axis=2)
        findings += _sky_bleeding(depth, sky, things, index, tic)
    findings += _missing_texture(frame, index, tic)
    return merge(findings, gap=max(2, int(MERGE_GAP_FRACTION * frame.shape[1])))


def merge(findings: list[Finding], gap: int) -> list[Finding]:
    """Joins findings of one kind and surface whose boxes touch or lie within `gap` pixels of each other:
    one gap in a wall, cut into pieces by texture columns or a pillar, is one finding."""
    out: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (f.kind, f.surface or "", f.box[0])):
        last = out[-1] if out else None
        if (last is not None and last.kind == finding.kind and last.surface == finding.surface
                and finding.box[0] <= last.box[2] + gap and finding.box[1] <= last.box[3] + gap
                and last.box[1] <= finding.box[3] + gap):
            box = (min(last.box[0], finding.box[0]), min(last.box[1], finding.box[1]),
                   max(last.box[2], finding.box[2]), max(last.box[3], finding.box[3]))
            out[-1] = Finding(last.kind, last.severity, max(last.confidence, finding.confidence), box,
                              last.area + finding.area, last.frame, last.tic, last.surface,
                              last.part if last.part == finding.part else None, last.note)
        else:
            out.append(finding)
    return out


def _min_area(shape: tuple[int, ...]) -> int:
    return max(12, int(MIN_AREA_FRACTION * shape[0] * shape[1]))


def _components(mask: np.ndarray) -> list[tuple[tuple[int, int, int, int], int, np.ndarray]]:
    """Connected regions big enough to report: (box, area, region mask)."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    min_area, min_width = _min_area(mask.shape), max(3, int(MIN_WIDTH_FRACTION * mask.shape[1]))
    out = []
    for label in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[label])
        if area >= min_area and w >= min_width and h >= 2:
            out.append(((x, y, x + w, y + h), area, labels == label))
    return out


def _hall_of_mirrors(frame: np.ndarray, depth: np.ndarray, previous: np.ndarray | None, things: np.ndarray,
                     index: int, tic: int | None) -> list[Finding]:
    # Depth 0 is never a drawn wall or flat: the player's radius keeps walls >= 16 units (2 levels) away
    # and the floor at the frame's bottom row is ~50 units away. So depth 0 means "not drawn", except on
    # a thing pressed against the eye (a monster the camera stands in).
    undrawn = (depth == 0) & ~things
    if not undrawn.any():
        return []
    stale: np.ndarray | None = None
    if previous is not None and previous.shape == frame.shape:
        same = np.all(frame == previous, axis=2)
        drawn = ~undrawn
        moved = drawn.any() and (1.0 - same[drawn].mean()) >= STALE_MOVED_FRACTION
        if moved:
            stale = same  # an undrawn pixel keeps the previous frame's colour exactly
    findings = []
    for box, area, region in _components(undrawn):
        if stale is not None:
            stale_share = float(stale[region].mean())
            if stale_share < 0.9:  # drawn after all (something fills it this frame): not a hall of mirrors
                continue
            confidence, note = 0.95, f"{stale_share:.0%} of it unchanged while the view moved"
        else:
            confidence, note = 0.8, "depth 0 (not drawn); no moving previous frame to confirm staleness"
        part = _part_from_rows(box, frame.shape[0])
        findings.append(Finding("hall_of_mirrors", "high", confidence, box, area, index, tic, None, part, note))
    return findings


def _part_from_rows(box: tuple[int, int, int, int], height: int) -> str | None:
    """A gap wholly below the horizon is where a lower wall should be; wholly above, an upper wall."""
    horizon = height / 2
    if box[1] >= horizon - 1:
        return "lower"
    if box[3] <= horizon + 1:
        return "upper"
    return None


def _plane_edges(z: np.ndarray, valid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For a floor seen from above (rows below the horizon, the image as given): pixels whose depth grows
    upward over two rows (a flat, not a wall, whose depth is constant along a column) and whose neighbour
    directly below is much farther. Returns (edge mask, depth of the pixel below)."""
    h = z.shape[0]
    edge = np.zeros_like(valid)
    below = np.zeros_like(z)
    r = slice(2, h - 2)
    here, up1, up2, down, down2 = z[2:h - 2], z[1:h - 3], z[0:h - 4], z[3:h - 1], z[4:h]
    # On a flat, (row - horizon) x depth is the same on every row (it is proportional to the flat's height
    # below the eye); the depth is quantised to +-0.5, hence the tolerance. A wall, or a grate's bars over
    # what lies behind, changes it by a whole depth per row.
    below_horizon = (np.arange(h, dtype=np.float32) - (h - 1) / 2)[:, None]
    k0, k1, k2 = (below_horizon[2:h - 2] * here, below_horizon[1:h - 3] * up1, below_horizon[0:h - 4] * up2)
    tolerance = below_horizon[2:h - 2] + 0.05 * np.abs(k0)
    plane = (np.abs(k1 - k0) <= tolerance) & (np.abs(k2 - k0) <= tolerance) & (below_horizon[2:h - 2] > 2)
    flat = valid[2:h - 2] & valid[1:h - 3] & valid[0:h - 4] & (up1 >= here) & (up2 > here) & plane
    # The farther neighbour must be map geometry: not the sky (127; the sky hack legitimately shows it right
    # next to a flat's edge, see _sky_bleeding) and not a thing; and farther for two rows, since a one-row
    # crack between a flat and the wall under its edge is the rasteriser's rounding, not a missing wall.
    farther = ((down >= here + EDGE_JUMP_LEVELS) & (down >= here * EDGE_JUMP_RATIO) & valid[3:h - 1]
               & (down2 >= here + EDGE_JUMP_LEVELS) & (down2 >= here * EDGE_JUMP_RATIO) & valid[4:h])
    edge[r] = flat & farther
    below[r] = down
    return edge, below


def _bleeding_band(z: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Grows each impossible floor edge upward over the flat drawn in front of what lies below it."""
    edge, below = _plane_edges(z, valid)
    band = np.zeros_like(edge)
    rows, cols = np.nonzero(edge)
    for r, c in zip(rows.tolist(), cols.tolist()):
        limit = below[r, c]
        top = r
        while top > 0 and valid[top - 1, c] and z[top - 1, c] < limit and z[top - 1, c] >= z[top, c]:
            top -= 1
        if r - top >= 1:  # at least two rows of flat: one-row plane seams are quantisation noise
            band[top:r + 1, c] = True
    return band


def _flat_bleeding(depth: np.ndarray, things: np.ndarray, index: int, tic: int | None) -> list[Finding]:
    z = depth.astype(np.float32)
    valid = (depth > 0) & (depth < DEPTH_FAR) & ~things
    h = depth.shape[0]
    horizon = h // 2
    findings = []
    for surface, part in (("floor", "lower"), ("ceiling", "upper")):
        if surface == "floor":
            band = _bleeding_band(z, valid)
            band[:horizon] = False  # floors are only visible below the horizon
        else:
            band = _bleeding_band(z[::-1], valid[::-1])[::-1]  # a ceiling is a floor seen upside down
            band[horizon:] = False
        for box, area, _ in _components(band):
            findings.append(Finding("flat_bleeding", "high", 0.9, box, area, index, tic, surface, part,
                                    f"a {surface} drawn in front of the farther surface it should stand behind"))
    return findings


def _sky_bleeding(depth: np.ndarray, sky: np.ndarray, things: np.ndarray, index: int,
                  tic: int | None) -> list[Finding]:
    """The sky (depth 127 and unmoved by a step; walls past 920 units also read 127, but a step moves
    them) seen directly under a ceiling's edge, above a wall whose top is lower than that edge: an upper
    wall should stand between the two heights. Heights are compared as (horizon - row) x
    depth, which is proportional to height above the eye, so neither the eye height nor the focal
    length is needed."""
    h, w = depth.shape
    horizon = (h - 1) / 2
    z = depth.astype(np.float32)
    valid = (depth > 0) & (depth < DEPTH_FAR) & ~things
    far = depth >= DEPTH_FAR
    mask = np.zeros((h, w), dtype=bool)
    row_index = np.arange(h, dtype=np.float32)[:, None]
    height = (horizon - row_index) * z  # proportional to height above the eye
    for c in range(w):
        col_far = far[:, c]
        if not col_far.any():
            continue
        r = 2
        while r < h - 3:
            if not col_far[r] or col_far[r - 1]:
                r += 1
                continue
            start = r
            while r < h and col_far[r]:
                r += 1
            end = r  # sky run: rows start..end-1
            if end >= h - 3:
                break
            above, below = start - 1, end
            ceiling_edge = (valid[above, c] and valid[above - 1, c] and z[above - 1, c] < z[above, c]
                            and above < horizon)  # a ceiling (depth grows downward), above the eye
            wall_below = (valid[below, c] and valid[below + 1, c] and valid[below + 2, c]
                          and z[below, c] == z[below + 1, c] == z[below + 2, c])  # a wall: depth constant
            behind = (z[below, c] >= z[above, c] * EDGE_JUMP_RATIO
                      and z[below, c] >= z[above, c] + EDGE_JUMP_LEVELS)  # the wall stands well behind the edge
            is_sky = sky[start:end, c].mean() >= 0.8  # the run's edge pixels may change with the step
            if (is_sky and ceiling_edge and wall_below and behind
                    and height[below, c] < 0.8 * height[above, c] - 2 * z[above, c]):
                mask[start:end, c] = True
    # Medium and 0.5: the sky hack (no upper wall between two sky sectors, on purpose) looks the same
    # from under a roof or through a window; see docs/visual-defects.md.
    return [Finding("flat_bleeding", "medium", 0.5, box, area, index, tic, "sky", "upper",
                    "sky under a ceiling edge, above a wall that tops out lower than that edge "
                    "(a missing upper texture, or the intended sky hack)")
            for box, area, _ in _components(mask)]


def _missing_texture(frame: np.ndarray, index: int, tic: int | None) -> list[Finding]:
    """ZDoom's placeholder is a two-grey checkerboard, lit like any wall (so its greys vary with light and
    distance, in a ratio near 219:171). A window of the frame is checkerboard-like when it is pure grey,
    holds exactly two values (its local minimum and maximum) in that ratio, and has plenty of each.
    Three window sizes cover squares from ~2 px (far) to ~16 px (near)."""
    r, g, b = (frame[:, :, i] for i in range(3))
    grey = g.astype(np.float32)
    neutral = ((r == g) & (g == b) & (g >= CHECKER_MIN_GREY)).astype(np.float32)
    mask = np.zeros(g.shape, dtype=bool)
    for k in CHECKER_WINDOWS:
        kernel = np.ones((k, k), np.uint8)
        low = cv2.erode(grey, kernel)
        high = cv2.dilate(grey, kernel)
        is_low = (grey == low).astype(np.float32) * neutral
        is_high = (grey == high).astype(np.float32) * neutral
        share_low = cv2.blur(is_low, (k, k))
        share_high = cv2.blur(is_high, (k, k))
        ratio = high / np.maximum(low, 1.0)
        two_tone = ((share_low + share_high >= 0.97) & (share_low >= 0.2) & (share_high >= 0.2)
                    & (ratio >= CHECKER_RATIO[0]) & (ratio <= CHECKER_RATIO[1]))
        mask |= cv2.dilate(two_tone.astype(np.uint8), kernel).astype(bool) & (neutral > 0)
    findings = []
    for box, area, region in _components(mask):
        if _is_checkerboard(g, region, box):
            findings.append(Finding("missing_texture", "high", 0.9, box, area, index, tic, None, None,
                                    "the engine's placeholder checkerboard: a texture name no WAD defines"))
    return findings


def _is_checkerboard(grey: np.ndarray, region: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    """A wall column is lit evenly, so each column of a checkerboard holds exactly two greys, in the
    placeholder's ratio and in like amounts, and they alternate both down the columns and along the rows.
    Flats (lit per row) and shaded grey textures fail."""
    x0, y0, x1, y1 = box
    g = grey[y0:y1, x0:x1].astype(np.int16)
    m = region[y0:y1, x0:x1]
    two_valued = changes_down = changes_across = columns = rows = with_runs = irregular = 0
    for c in range(g.shape[1]):
        values = g[m[:, c], c]
        if values.size >= 4:
            columns += 1
            pair = np.unique(values)
            two_valued += int(pair.size == 2 and CHECKER_RATIO[0] <= pair[1] / max(pair[0], 1) <= CHECKER_RATIO[1]
                              and 0.2 <= np.mean(values == pair[0]) <= 0.8)  # the checker's two greys, balanced
            cuts = np.flatnonzero(np.diff(values))
            changes_down += int(cuts.size)
            if cuts.size >= 3:  # squares are equally tall down a wall column: interior runs match (+-1 px)
                runs = np.diff(cuts)
                with_runs += 1
                irregular += int(runs.max() > 1.5 * runs.min() + 1)
    for r in range(g.shape[0]):
        values = g[r, m[r]]
        if values.size >= 4:
            rows += 1
            changes_across += int(np.count_nonzero(np.diff(values)))
    if columns < 3 or rows < 3:
        return False
    # A square's vertical edge inverts the whole column: nearly every row changes from one column to the
    # next. Grout lines and texture detail change only some rows.
    both = m[:, 1:] & m[:, :-1]
    flips = (g[:, 1:] != g[:, :-1]) & both
    overlap = both.sum(axis=0)
    inversions = int(np.count_nonzero((overlap >= 4) & (flips.sum(axis=0) >= 0.8 * np.maximum(overlap, 1))))
    # >= 80 % of columns hold the pair; on average >= 1 change down a column and >= 2 along a row
    return (two_valued >= 0.8 * columns and changes_down >= columns and changes_across >= 2 * rows
            and inversions >= 1 and irregular <= 0.3 * with_runs)
