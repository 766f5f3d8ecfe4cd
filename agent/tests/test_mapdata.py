"""The map's lines and things, read from the WAD by their WAD indexes (Doom, Hexen/UDMF formats)."""

from __future__ import annotations

import struct
from pathlib import Path

import omg
import pytest
from omg.mapedit import MapEditor

from playtest_agent.agents.exits import exit_lines
from playtest_agent.config import VIZDOOM_DIR
from playtest_agent.mapdata import read_map
from playtest_agent.wadcheck import WadError

FREEDOOM2 = str(Path(VIZDOOM_DIR) / "freedoom2.wad")

TEXTMAP = b"""namespace = "zdoom";
// a comment
vertex { x = 0.0; y = 0.0; }
vertex { x = 0.0; y = 256.0; }
vertex { x = 256.0; y = 256.0; }
vertex { x = 256.0; y = 0.0; }
linedef { v1 = 0; v2 = 1; sidefront = 0; blocking = true; }
linedef { v1 = 1; v2 = 2; sidefront = 1; special = 243; }
linedef { v1 = 2; v2 = 3; sidefront = 2; sideback = 3; }
linedef { v1 = 3; v2 = 0; sidefront = 4; }
sidedef { sector = 0; texturemiddle = "STARTAN3"; }
sidedef { sector = 0; }
sidedef { sector = 0; }
sidedef { sector = 1; }
sidedef { sector = 0; }
sector { heightfloor = 0; heightceiling = 128; }
sector { heightfloor = 0; heightceiling = 128; special = 83; }
thing { x = 64.0; y = 64.0; type = 1; angle = 90; }
"""


def write_udmf_wad(path: Path) -> None:
    lumps = [(b"MAP01", b""), (b"TEXTMAP", TEXTMAP), (b"ENDMAP", b"")]
    data, directory, offset = b"", b"", 12
    for name, content in lumps:
        directory += struct.pack("<ii8s", offset, len(content), name)
        data += content
        offset += len(content)
    path.write_bytes(struct.pack("<4sii", b"PWAD", len(lumps), offset) + data + directory)


def test_a_udmf_map_is_read_with_hexen_specials(tmp_path: Path) -> None:
    wad = tmp_path / "udmf.wad"
    write_udmf_wad(wad)
    data = read_map([FREEDOOM2, str(wad)], "MAP01")  # the PWAD's MAP01 wins over the IWAD's
    assert data.line_count == 4 and data.hexen_specials
    assert (data.x1[1], data.y1[1], data.x2[1], data.y2[1]) == (0.0, 256.0, 256.0, 256.0)
    assert data.impassable[0] and not data.impassable[1]
    assert list(data.front) == [0, 0, 0, 0] and list(data.back) == [-1, -1, 1, -1]
    assert tuple(data.things[0]) == (64.0, 64.0, 90.0, 1.0)
    assert exit_lines(data) == [(1, "use")]  # Exit_Normal
    assert data.damaging_sectors().tolist() == [False, True]  # ZDoom's dDamage_LavaWimpy


def test_damaging_floors_are_read_from_the_sectors(tmp_path: Path) -> None:
    from mapbuilder import MapBuilder

    b = MapBuilder()
    b.sector([(0, 0), (0, 256), (256, 256), (256, 0)])
    b.sector([(256, 0), (256, 256), (512, 256), (512, 0)], special=5)  # nukage, 10 a second
    b.sector([(512, 0), (512, 256), (768, 256), (768, 0)], special=8 + 64)  # Boom: a glowing light with damage bits (10 a second)
    b.sector([(768, 0), (768, 256), (1024, 256), (1024, 0)], special=8)  # a glowing light: harmless
    b.thing(128, 128, 1)
    wad = tmp_path / "nukage.wad"
    b.write(str(wad), "MAP01")
    data = read_map([FREEDOOM2, str(wad)], "MAP01")
    assert data.sector_special.tolist() == [0, 5, 72, 8]
    assert data.damaging_sectors().tolist() == [False, True, True, False]


def test_a_doom_map_matches_omgifol() -> None:
    data = read_map([FREEDOOM2], "MAP01")
    editor = MapEditor(omg.WAD(FREEDOOM2).maps["MAP01"])
    assert data.line_count == len(editor.linedefs) and len(data.things) == len(editor.things)
    assert not data.hexen_specials
    for index in (0, 100, len(editor.linedefs) - 1):
        line = editor.linedefs[index]
        a, b = editor.vertexes[line.vx_a], editor.vertexes[line.vx_b]
        assert (data.x1[index], data.y1[index], data.x2[index], data.y2[index]) == (a.x, a.y, b.x, b.y)
        assert data.special[index] == line.action
        assert data.front[index] == editor.sidedefs[line.front].sector
        assert data.back[index] == (editor.sidedefs[line.back].sector if line.back != 0xFFFF else -1)
    assert [how for _, how in exit_lines(data)] == ["use"]  # MAP01's exit switch


def test_a_missing_map_is_a_wad_error() -> None:
    with pytest.raises(WadError, match="MAP99"):
        read_map([FREEDOOM2], "MAP99")
