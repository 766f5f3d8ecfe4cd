"""The static geometry of one map, read from the WADs: linedefs (with their sectors) and things.

The navigator needs where line N is (to face a switch, to cross a teleporter line) and where thing N
stands (a key to pick up); VizDoom's sectors info has the lines but not their WAD indexes. Doom,
Hexen and UDMF (TEXTMAP) maps are read; the last WAD that defines the map wins, as in the engine.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field

import numpy as np

from .wadcheck import WadError

_HEADER = struct.Struct("<4sii")
_ENTRY = struct.Struct("<ii8s")
IMPASSABLE = 0x0001
MAP_LUMPS = {"THINGS", "LINEDEFS", "SIDEDEFS", "VERTEXES", "SEGS", "SSECTORS", "NODES", "SECTORS", "REJECT", "BLOCKMAP",
             "BEHAVIOR", "SCRIPTS", "TEXTMAP", "ZNODES", "DIALOGUE", "ENDMAP", "GL_VERT", "GL_SEGS", "GL_SSECT", "GL_NODES", "GL_PVS"}
WANTED = {"THINGS", "LINEDEFS", "SIDEDEFS", "VERTEXES", "SECTORS", "BEHAVIOR", "TEXTMAP"}
# Sector specials that hurt a player standing on the floor (nukage, slime, lava): Doom's, with Boom's
# generalized damage bits (5-6), and ZDoom's Hexen-format ones (with its generalized bits 8-9).
DOOM_DAMAGING = {4, 5, 7, 11, 16}
HEXEN_DAMAGING = {68, 69, 71, 75, 80, 82, 83, 84, 85, 115, 116}


@dataclass(frozen=True)
class MapData:
    """Lines as arrays (index = the WAD's linedef index) and things as rows."""

    x1: np.ndarray
    y1: np.ndarray
    x2: np.ndarray
    y2: np.ndarray
    front: np.ndarray  # front sector of each line (-1: none)
    back: np.ndarray  # back sector (-1: one-sided)
    impassable: np.ndarray  # bool: the "block everything" flag
    special: np.ndarray
    things: np.ndarray  # (T, 4) float: x, y, angle, type
    hexen_specials: bool = False  # specials are Hexen's (Hexen format, UDMF other than namespace doom)
    sector_special: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # by sector index

    def damaging_sectors(self) -> np.ndarray:
        """bool per sector: its floor hurts a player standing on it (nukage, slime, lava)."""
        special = self.sector_special
        if self.hexen_specials:
            return np.isin(special & 0xFF, list(HEXEN_DAMAGING)) | ((special & 0x300) != 0)
        return np.isin(special & 0x1F, list(DOOM_DAMAGING)) | ((special >= 32) & ((special & 0x60) != 0))

    @property
    def line_count(self) -> int:
        return len(self.x1)

    def midpoint(self, line: int) -> tuple[float, float]:
        return (float(self.x1[line] + self.x2[line]) / 2, float(self.y1[line] + self.y2[line]) / 2)

    def front_normal(self, line: int) -> tuple[float, float]:
        """The unit normal pointing to the line's front (right) side."""
        dx, dy = float(self.x2[line] - self.x1[line]), float(self.y2[line] - self.y1[line])
        length = max((dx * dx + dy * dy) ** 0.5, 1e-9)
        return dy / length, -dx / length


def _lumps(path: str) -> list[tuple[str, int, int]]:
    with open(path, "rb") as handle:
        _, count, offset = _HEADER.unpack(handle.read(_HEADER.size))
        handle.seek(offset)
        raw = handle.read(count * _ENTRY.size)
    entries = []
    for i in range(count):
        position, length, name = _ENTRY.unpack_from(raw, i * _ENTRY.size)
        entries.append((name.split(b"\0", 1)[0].decode("ascii", "replace").upper(), position, length))
    return entries


def _map_lumps(path: str, map_name: str) -> dict[str, bytes] | None:
    entries = _lumps(path)
    names = [e[0] for e in entries]
    if map_name not in names:
        return None
    start = len(names) - 1 - names[::-1].index(map_name)
    found: dict[str, bytes] = {}
    with open(path, "rb") as handle:
        for name, position, length in entries[start + 1:]:
            if name not in MAP_LUMPS or name in found or name == "ENDMAP":
                break
            if name in WANTED:
                handle.seek(position)
                found[name] = handle.read(length)
    return found


def read_map(wad_paths: list[str], map_name: str) -> MapData:
    """The map as the engine loads it: `wad_paths` in load order (IWAD first), the last one with the map wins."""
    for path in reversed(wad_paths):
        lumps = _map_lumps(path, map_name.upper())
        if lumps is None:
            continue
        if "TEXTMAP" in lumps:
            return _read_udmf(lumps["TEXTMAP"].decode("latin-1"))
        return _read_binary(lumps)
    raise WadError("map_not_found", f"map {map_name} is not in the loaded WADs")


def _read_binary(lumps: dict[str, bytes]) -> MapData:
    hexen = "BEHAVIOR" in lumps
    vertexes = np.frombuffer(lumps.get("VERTEXES", b""), dtype="<i2").reshape(-1, 2).astype(np.float64)
    side_sector = np.frombuffer(lumps.get("SIDEDEFS", b""), dtype=np.dtype([("skip", "V28"), ("sector", "<u2")]))["sector"].astype(np.int64)
    if hexen:
        line_dtype = np.dtype([("v1", "<u2"), ("v2", "<u2"), ("flags", "<u2"), ("special", "u1"), ("args", "V5"),
                               ("front", "<u2"), ("back", "<u2")])
        thing_dtype = np.dtype([("tid", "<i2"), ("x", "<i2"), ("y", "<i2"), ("z", "<i2"), ("angle", "<i2"), ("type", "<u2"),
                                ("flags", "<u2"), ("special", "u1"), ("args", "V5")])
    else:
        line_dtype = np.dtype([("v1", "<u2"), ("v2", "<u2"), ("flags", "<u2"), ("special", "<u2"), ("tag", "<u2"),
                               ("front", "<u2"), ("back", "<u2")])
        thing_dtype = np.dtype([("x", "<i2"), ("y", "<i2"), ("angle", "<i2"), ("type", "<u2"), ("flags", "<u2")])
    raw_lines = lumps.get("LINEDEFS", b"")
    lines = np.frombuffer(raw_lines[: len(raw_lines) // line_dtype.itemsize * line_dtype.itemsize], dtype=line_dtype)
    raw_things = lumps.get("THINGS", b"")
    things = np.frombuffer(raw_things[: len(raw_things) // thing_dtype.itemsize * thing_dtype.itemsize], dtype=thing_dtype)

    raw_sectors = lumps.get("SECTORS", b"")
    sector_dtype = np.dtype([("skip", "V22"), ("special", "<u2"), ("tag", "<u2")])
    sectors = np.frombuffer(raw_sectors[: len(raw_sectors) // 26 * 26], dtype=sector_dtype)

    def sector_of(side: np.ndarray) -> np.ndarray:
        side = side.astype(np.int64)
        sectors = np.full(len(side), -1, dtype=np.int64)
        valid = side < len(side_sector)  # NO_SIDE (0xFFFF) is past the end
        sectors[valid] = side_sector[side[valid]]
        return sectors

    v1, v2 = lines["v1"].astype(np.int64), lines["v2"].astype(np.int64)
    return MapData(
        x1=vertexes[v1, 0], y1=vertexes[v1, 1], x2=vertexes[v2, 0], y2=vertexes[v2, 1],
        front=sector_of(lines["front"]), back=sector_of(lines["back"]),
        impassable=(lines["flags"] & IMPASSABLE) != 0, special=lines["special"].astype(np.int64),
        things=np.stack([things["x"], things["y"], things["angle"], things["type"]], axis=1).astype(np.float64)
        if len(things) else np.zeros((0, 4)),
        hexen_specials=hexen,
        sector_special=sectors["special"].astype(np.int64),
    )


_BLOCK = re.compile(r"(\w+)\s*\{([^}]*)\}", re.S)
_FIELD = re.compile(r"(\w+)\s*=\s*(\"(?:[^\"\\]|\\.)*\"|[^;]+);")


def _read_udmf(text: str) -> MapData:
    text = re.sub(r"//[^\n]*|/\*.*?\*/", "", text, flags=re.S)
    namespace = re.search(r'namespace\s*=\s*"([^"]*)"', text)
    blocks: dict[str, list[dict[str, str]]] = {"vertex": [], "linedef": [], "sidedef": [], "thing": [], "sector": []}
    for kind, body in _BLOCK.findall(text):
        kind = kind.lower()
        if kind in blocks:
            blocks[kind].append({k.lower(): v.strip() for k, v in _FIELD.findall(body)})
    vertexes = np.array([[float(v.get("x", 0)), float(v.get("y", 0))] for v in blocks["vertex"]] or np.zeros((0, 2)))
    side_sector = [int(s.get("sector", -1)) for s in blocks["sidedef"]]

    def sector_of(side: str | None) -> int:
        index = int(side) if side is not None else -1
        return side_sector[index] if 0 <= index < len(side_sector) else -1

    rows = blocks["linedef"]
    v1 = np.array([int(l["v1"]) for l in rows], dtype=np.int64)
    v2 = np.array([int(l["v2"]) for l in rows], dtype=np.int64)
    things = [[float(t.get("x", 0)), float(t.get("y", 0)), float(t.get("angle", 0)), float(t.get("type", 0))]
              for t in blocks["thing"]]
    return MapData(
        x1=vertexes[v1, 0] if len(v1) else np.zeros(0), y1=vertexes[v1, 1] if len(v1) else np.zeros(0),
        x2=vertexes[v2, 0] if len(v2) else np.zeros(0), y2=vertexes[v2, 1] if len(v2) else np.zeros(0),
        front=np.array([sector_of(l.get("sidefront")) for l in rows], dtype=np.int64),
        back=np.array([sector_of(l.get("sideback")) for l in rows], dtype=np.int64),
        impassable=np.array([l.get("blocking", "false").lower() == "true" for l in rows], dtype=bool),
        special=np.array([int(l.get("special", 0)) for l in rows], dtype=np.int64),
        things=np.array(things, dtype=np.float64) if things else np.zeros((0, 4)),
        hexen_specials=namespace is None or namespace.group(1).lower() != "doom",
        sector_special=np.array([int(s.get("special", 0)) for s in blocks["sector"]], dtype=np.int64),
    )
