"""What the navigator sees of the map's lines and things (no engine: a built map, heights by hand)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from mapbuilder import MapBuilder
from playtest_agent.agents.world import LiveWorld
from playtest_agent.mapdata import read_map


def ledge_world(tmp_path: Path) -> LiveWorld:
    """A high floor (x < 256, floor 64) beside a pit (x > 256, floor 0), a pillar (a tall green
    column, thing 30) in the middle of the high floor, and a closed door at the far end of the pit."""
    b = MapBuilder()
    b.sector([(0, 0), (0, 512), (256, 512), (256, 0)], floor=64, ceiling=256)
    b.sector([(256, 0), (256, 512), (768, 512), (768, 0)], floor=0, ceiling=256)
    b.sector([(768, 0), (768, 512), (784, 512), (784, 0)], floor=0, ceiling=0)
    b.sector([(784, 0), (784, 512), (1024, 512), (1024, 0)], floor=0, ceiling=256)
    b.thing(64, 64, 1)
    b.thing(128, 256, 30)
    path = tmp_path / "ledge.wad"
    b.write(str(path))
    world = LiveWorld(read_map([str(path)], "MAP01"), 4)
    heights = [(64, 256), (0, 256), (0, 0), (0, 256)]
    world.update(SimpleNamespace(sectors=[SimpleNamespace(id=i, floor_height=f, ceiling_height=c)
                                          for i, (f, c) in enumerate(heights)]))
    return world


def test_heading_for_a_ledge_is_seen_ahead_not_beside(tmp_path: Path) -> None:
    world = ledge_world(tmp_path)
    assert world.ledge_ahead(160, 400, 64, 0.0, reach=128)  # east, 96 units from the edge
    assert not world.ledge_ahead(160, 400, 64, 90.0, reach=128)  # north, along it at 96 units
    assert world.ledge_ahead(230, 400, 64, 90.0, reach=128)  # along it, but within 32 units
    assert not world.ledge_ahead(400, 400, 0, 180.0, reach=128)  # from below it is a wall, not a ledge
    # Coming down stairs (E4M7): the player still 20 units above the ledge's floor sees it only when told to look
    # that far down.
    assert not world.ledge_ahead(160, 400, 84, 0.0, reach=128)
    assert world.ledge_ahead(160, 400, 84, 0.0, reach=128, below=48.0)
    assert not world.ledge_ahead(160, 400, 84, 90.0, reach=128, below=48.0)  # along it, still not ahead


def test_straight_walks_see_walls_drops_closed_doors_and_pillars(tmp_path: Path) -> None:
    world = ledge_world(tmp_path)
    assert world.segment_clear(64, 400, 400, 400)  # a drop is a walk
    assert not world.segment_clear(64, 400, 400, 400, max_drop=24)  # but not for a detour
    assert not world.segment_clear(400, 400, 64, 400)  # a step up of 64 is a wall
    assert not world.sight_clear(400, 256, 900, 256)  # the closed door hides the far room
    assert world.sight_clear(400, 256, 100, 400)  # a ledge does not
    assert world.thing_in_the_way(64, 256, 200, 256)  # the pillar at (128, 256)
    assert not world.thing_in_the_way(64, 400, 200, 400)


def test_a_walk_along_a_ledge_keeps_the_drop_clearance_asked_for(tmp_path: Path) -> None:
    """A shortcut 20 units from the pit's edge clears the player's body (14 each side), not the 32 a running
    player needs to keep from a drop; walls still count only within the body's clearance."""
    world = ledge_world(tmp_path)
    assert world.segment_clear(236, 100, 236, 450, clearance=14.0, max_drop=24)
    assert not world.segment_clear(236, 100, 236, 450, clearance=14.0, max_drop=24, drop_clearance=32.0)
    assert world.segment_clear(200, 100, 200, 450, clearance=14.0, max_drop=24, drop_clearance=32.0)
    assert world.segment_clear(20, 100, 20, 450, clearance=14.0, max_drop=24, drop_clearance=32.0), \
        "the wall 20 units away is no drop"
    assert world.segment_clear(236, 100, 236, 450, clearance=14.0, drop_clearance=32.0), "no drop asked for: no drop looked at"


def test_the_line_grid_finds_the_crossings_that_testing_every_line_finds() -> None:
    """crossed_lines looks only at the lines of the grid cells along a segment: on a real map (Freedoom
    MAP01, 1 000+ lines), short walks and long sights give the lines a test of every line gives."""
    import numpy as np

    from playtest_agent.config import BUNDLED_IWAD

    m = read_map([BUNDLED_IWAD], "MAP01")
    world = LiveWorld(m, 1)

    def every_line(x0: float, y0: float, x1: float, y1: float) -> list[int]:
        near = ((np.maximum(m.x1, m.x2) >= min(x0, x1)) & (np.minimum(m.x1, m.x2) <= max(x0, x1))
                & (np.maximum(m.y1, m.y2) >= min(y0, y1)) & (np.minimum(m.y1, m.y2) <= max(y0, y1)))
        lines = np.nonzero(near)[0]
        ex, ey = m.x2[lines] - m.x1[lines], m.y2[lines] - m.y1[lines]
        dx, dy = x1 - x0, y1 - y0
        denom = dx * ey - dy * ex
        with np.errstate(divide="ignore", invalid="ignore"):
            t = ((m.x1[lines] - x0) * ey - (m.y1[lines] - y0) * ex) / denom
            u = ((m.x1[lines] - x0) * dy - (m.y1[lines] - y0) * dx) / denom
        return lines[(denom != 0) & (t >= 0) & (t <= 1) & (u >= 0) & (u <= 1)].tolist()

    rng = np.random.default_rng(7)
    xs, ys = np.concatenate([m.x1, m.x2]), np.concatenate([m.y1, m.y2])
    crossings = 0
    for length in (0.0, 40.0, 200.0, 700.0, 1800.0):
        for _ in range(300):
            x0, y0 = rng.uniform(xs.min() - 64, xs.max() + 64), rng.uniform(ys.min() - 64, ys.max() + 64)
            if rng.random() < 0.3:  # from a vertex: segments that touch lines at their ends
                k = int(rng.integers(len(xs)))
                x0, y0 = float(xs[k]), float(ys[k])
            angle = rng.choice([0.0, 90.0, 45.0, rng.uniform(0, 360)])
            x1, y1 = x0 + length * np.cos(np.radians(angle)), y0 + length * np.sin(np.radians(angle))
            expected = every_line(x0, y0, x1, y1)
            assert world.crossed_lines(x0, y0, x1, y1) == expected, (x0, y0, x1, y1)
            crossings += len(expected)
    assert crossings > 1000


def test_a_returning_mover_that_stands_still_elsewhere_has_a_new_rest(tmp_path: Path) -> None:
    from playtest_agent.agents.world import REST_SETTLE
    world = ledge_world(tmp_path)
    world.begin(world._state)  # type: ignore[arg-type]
    assert world.rest is not None and world.rest.floor[1] == 0

    def at(floor: float, tic: int) -> None:
        heights = [(64, 256), (floor, 256), (0, 0), (0, 256)]
        world.update(SimpleNamespace(sectors=[SimpleNamespace(id=i, floor_height=f, ceiling_height=c)
                                              for i, (f, c) in enumerate(heights)]))
        world.settle([1], tic)

    at(64, 0)
    at(64, REST_SETTLE - 1)  # a lift waits 3 s at the bottom: not yet a rest
    assert world.rest.floor[1] == 0
    at(64, REST_SETTLE)
    assert world.rest.floor[1] == 64
    at(0, REST_SETTLE + 10)  # lowered again (its switch): the rest stays where it came back to
    assert world.rest.floor[1] == 64
