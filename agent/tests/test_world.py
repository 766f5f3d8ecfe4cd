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


def test_straight_walks_see_walls_drops_closed_doors_and_pillars(tmp_path: Path) -> None:
    world = ledge_world(tmp_path)
    assert world.segment_clear(64, 400, 400, 400)  # a drop is a walk
    assert not world.segment_clear(64, 400, 400, 400, max_drop=24)  # but not for a detour
    assert not world.segment_clear(400, 400, 64, 400)  # a step up of 64 is a wall
    assert not world.sight_clear(400, 256, 900, 256)  # the closed door hides the far room
    assert world.sight_clear(400, 256, 100, 400)  # a ledge does not
    assert world.thing_in_the_way(64, 256, 200, 256)  # the pillar at (128, 256)
    assert not world.thing_in_the_way(64, 400, 200, 400)
