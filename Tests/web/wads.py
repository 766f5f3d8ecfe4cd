"""Small real WADs for the browser tests and the web benchmark: single maps copied out of the
Freedoom IWADs installed by Debian, as PWADs, optionally with a marker lump so each copy has
distinct bytes (the library stores one row per sha256)."""

from __future__ import annotations

import struct
from pathlib import Path

FREEDOOM2 = Path("/usr/share/games/doom/freedoom2.wad")
FREEDM = Path("/usr/share/games/doom/freedm.wad")
MAP_LUMPS = {"THINGS", "LINEDEFS", "SIDEDEFS", "VERTEXES", "SEGS", "SSECTORS", "NODES", "SECTORS", "REJECT", "BLOCKMAP", "BEHAVIOR"}


def read_directory(data: bytes) -> list[tuple[str, int, int]]:
    kind, count, offset = struct.unpack_from("<4sii", data, 0)
    if kind not in (b"IWAD", b"PWAD"):
        raise ValueError("not a WAD")
    entries = []
    for index in range(count):
        position, size, raw = struct.unpack_from("<ii8s", data, offset + 16 * index)
        entries.append((raw.rstrip(b"\0").decode("ascii", "replace"), position, size))
    return entries


def map_names(source: Path) -> list[str]:
    data = source.read_bytes()
    entries = read_directory(data)
    return [name for i, (name, _, _) in enumerate(entries) if i + 1 < len(entries) and entries[i + 1][0] == "THINGS"]


def extract_map(source: Path, map_name: str, marker: str | None = None) -> bytes:
    """A PWAD with just `map_name` (and a `PTMARK` lump holding `marker`, when given)."""
    data = source.read_bytes()
    entries = read_directory(data)
    start = next(i for i, entry in enumerate(entries) if entry[0] == map_name)
    lumps = [(map_name, b"")]
    for name, position, size in entries[start + 1:]:
        if name not in MAP_LUMPS:
            break
        lumps.append((name, data[position:position + size]))
    if marker is not None:
        lumps.append(("PTMARK", marker.encode()))
    body = bytearray()
    directory = bytearray()
    offset = 12
    for name, payload in lumps:
        directory += struct.pack("<ii8s", offset, len(payload), name.encode("ascii"))
        body += payload
        offset += len(payload)
    return struct.pack("<4sii", b"PWAD", len(lumps), offset) + bytes(body) + bytes(directory)


def blank_middle_textures(pwad: bytes, lines: int) -> bytes:
    """The same PWAD with the middle texture of its first `lines` one-sided lines set to "-": a planted
    missing-texture defect (a hall of mirrors in play) on a real map."""
    data = bytearray(pwad)
    entries = {name: (position, size) for name, position, size in read_directory(pwad)}
    linedefs, _ = entries["LINEDEFS"]
    sidedefs, _ = entries["SIDEDEFS"]
    blanked = 0
    for index in range(entries["LINEDEFS"][1] // 14):
        front, back = struct.unpack_from("<HH", data, linedefs + 14 * index + 10)
        if back != 0xFFFF or blanked == lines:
            continue
        struct.pack_into("<8s", data, sidedefs + 30 * front + 20, b"-")
        blanked += 1
    return bytes(data)
