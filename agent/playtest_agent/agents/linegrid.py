"""The map's lines by grid cell, so a question about a small area looks at a few dozen lines, not all.

Which lines a walk or a line of sight crosses, which ledges lie near the player: each step asks
several of these, and testing every line of a real map (a thousand and more, numpy over all of them)
cost some 50 µs a question. Both lookups give a superset (the caller keeps its exact test):
`near(box)` the lines whose bounding box may overlap the box, from a fine grid for small boxes and a
coarse one for big ones; `walk(segment)` the lines whose box may touch the segment, from the fine
cells along it (a long line of sight has a big box, mostly far from the segment), nearest cells
first, for a test that stops at the first wall.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

FINE = 128.0  # map units: Doom's blockmap cell
COARSE = 512.0
FINE_CELLS = 9  # a box over more fine cells than this (a 256-unit box spans 3 x 3) is looked up in the coarse grid
MARGIN = 1.0  # map units `walk` widens its cells by: far more than a crossing test's rounding


class _Grid:
    def __init__(self, minx: np.ndarray, miny: np.ndarray, maxx: np.ndarray, maxy: np.ndarray, size: float,
                 origin: tuple[float, float]) -> None:
        self.size = size
        self.ox, self.oy = origin
        cx0, cy0 = self._cell(minx, self.ox), self._cell(miny, self.oy)
        cx1, cy1 = self._cell(maxx, self.ox), self._cell(maxy, self.oy)
        self.width, self.height = int(cx1.max()) + 1, int(cy1.max()) + 1
        cells: list[list[int]] = [[] for _ in range(self.width * self.height)]
        for line in range(len(minx)):
            for cy in range(int(cy0[line]), int(cy1[line]) + 1):
                row = cy * self.width
                for cx in range(int(cx0[line]), int(cx1[line]) + 1):
                    cells[row + cx].append(line)
        self.cells = cells

    def _cell(self, value: np.ndarray, origin: float) -> np.ndarray:
        return np.floor((value - origin) / self.size).astype(np.int64)

    def span(self, low: float, high: float, origin: float, count: int) -> tuple[int, int]:
        """The cells (first, last) a range covers, clamped to the grid (empty when first > last)."""
        return max(0, math.floor((low - origin) / self.size)), min(count - 1, math.floor((high - origin) / self.size))


class LineGrid:
    def __init__(self, minx: np.ndarray, miny: np.ndarray, maxx: np.ndarray, maxy: np.ndarray) -> None:
        origin = (float(minx.min()), float(miny.min())) if len(minx) else (0.0, 0.0)
        self.grids = [_Grid(minx, miny, maxx, maxy, size, origin) for size in (FINE, COARSE)] if len(minx) else []

    def near(self, x0: float, y0: float, x1: float, y1: float) -> list[int]:
        """Indexes (ascending, once each) of the lines whose bounding box may overlap the box
        [x0, x1] x [y0, y1] (x0 <= x1, y0 <= y1); every line whose box does is among them. A list:
        the callers test a few dozen lines one by one, faster in plain Python than numpy's calls."""
        for grid in self.grids:
            cx0, cx1 = grid.span(x0, x1, grid.ox, grid.width)
            cy0, cy1 = grid.span(y0, y1, grid.oy, grid.height)
            if cx0 > cx1 or cy0 > cy1:
                return []
            if (cx1 - cx0 + 1) * (cy1 - cy0 + 1) > FINE_CELLS and grid.size == FINE:
                continue
            cells, width = grid.cells, grid.width
            if cx0 == cx1 and cy0 == cy1:
                return cells[cy0 * width + cx0]
            lines: set[int] = set()
            for cy in range(cy0, cy1 + 1):
                for cx in range(cx0, cx1 + 1):
                    lines.update(cells[cy * width + cx])
            return sorted(lines)
        return []

    def walk(self, x0: float, y0: float, x1: float, y1: float) -> Iterator[int]:
        """The lines whose bounding box may touch the segment (x0, y0)-(x1, y1), once each (every line
        that crosses it is among them): a short segment's fine cells, else the fine cells along it,
        column by column (row by row when it runs more north-south), each widened by MARGIN; the cells
        nearest (x0, y0) first, so a test that stops at the first line that blocks reads no further."""
        if not self.grids:
            return
        grid = self.grids[0]
        size = grid.size
        if abs(x1 - x0) <= size and abs(y1 - y0) <= size:  # at most 2 x 2 cells
            yield from self.near(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
            return
        if abs(x1 - x0) >= abs(y1 - y0):
            columns = self._columns(x0, y0, x1, y1, grid.ox, grid.oy, grid.width, grid.height, 1, grid.width)
        else:
            columns = self._columns(y0, x0, y1, x1, grid.oy, grid.ox, grid.height, grid.width, grid.width, 1)
        seen: set[int] = set()
        for lines in columns:
            for line in lines:
                if line not in seen:
                    seen.add(line)
                    yield line

    def _columns(self, u0: float, v0: float, u1: float, v1: float, ou: float, ov: float, count_u: int, count_v: int,
                 stride_u: int, stride_v: int) -> Iterator[list[int]]:
        """`walk` with the segment's major axis as u: per u column, from u0's, the lines of the cells
        over the v range the segment spans within the column (u1 != u0: the segment is longer than a
        cell)."""
        grid = self.grids[0]
        size, cells = grid.size, grid.cells
        low_u, high_u = (u0, u1) if u0 <= u1 else (u1, u0)
        slope = (v1 - v0) / (u1 - u0)
        floor = math.floor
        first = max(0, floor((low_u - MARGIN - ou) / size))
        last = min(count_u - 1, floor((high_u + MARGIN - ou) / size))
        for cu in (range(first, last + 1) if u0 <= u1 else range(last, first - 1, -1)):
            start = ou + cu * size
            a = min(max(low_u, start), high_u)
            b = max(min(high_u, start + size), low_u)
            va, vb = v0 + (a - u0) * slope, v0 + (b - u0) * slope
            if va > vb:
                va, vb = vb, va
            row = cu * stride_u
            lines: list[int] = []
            for cv in range(max(0, floor((va - MARGIN - ov) / size)), min(count_v - 1, floor((vb + MARGIN - ov) / size)) + 1):
                lines.extend(cells[row + cv * stride_v])
            yield lines
