"""Checks a WAD file before the engine sees it.

VizDoom 1.3.2 crashes (segmentation fault) on a truncated WAD and hangs forever in
`new_episode()` when the map is not in the WAD, so the runtime reads the WAD directory
itself first: the header, the directory bounds, every lump's bounds, and the list of maps.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass

_HEADER = struct.Struct("<4sii")
_ENTRY = struct.Struct("<ii8s")
# The lump right after a map marker: THINGS in the Doom and Hexen formats, TEXTMAP in UDMF.
_FIRST_MAP_LUMPS = {"THINGS", "TEXTMAP"}


class WadError(Exception):
    """A WAD that cannot be used, with a message a level designer can act on."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class WadDirectory:
    path: str
    kind: str  # "IWAD" or "PWAD"
    lumps: tuple[str, ...]
    maps: tuple[str, ...]


def read_wad_directory(path: str) -> WadDirectory:
    """Reads and validates the directory of the WAD at `path`, raising WadError."""
    if not os.path.isfile(path):
        raise WadError("wad_not_found", f"WAD file not found: {path}")
    size = os.path.getsize(path)
    name = os.path.basename(path)
    with open(path, "rb") as handle:
        header = handle.read(_HEADER.size)
        if len(header) < _HEADER.size:
            raise WadError("wad_invalid", f"{name}: file is {size} bytes, too short for a WAD header (12 bytes)")
        magic, count, offset = _HEADER.unpack(header)
        if magic not in (b"IWAD", b"PWAD"):
            raise WadError("wad_invalid", f"{name}: not a WAD file (magic {magic!r}, expected IWAD or PWAD)")
        if count < 0 or offset < 0:
            raise WadError("wad_invalid", f"{name}: negative lump count or directory offset in header")
        end = offset + count * _ENTRY.size
        if end > size:
            raise WadError(
                "wad_invalid",
                f"{name}: directory ({count} lumps at offset {offset}) ends at byte {end} "
                f"but the file has only {size} bytes; the WAD is truncated or corrupt",
            )
        handle.seek(offset)
        raw = handle.read(count * _ENTRY.size)
    lumps: list[str] = []
    for index in range(count):
        position, length, raw_name = _ENTRY.unpack_from(raw, index * _ENTRY.size)
        lump = raw_name.split(b"\0", 1)[0]
        if length < 0 or position < 0 or (length > 0 and position + length > size):
            shown = lump.decode("ascii", "replace")
            raise WadError(
                "wad_invalid",
                f"{name}: lump #{index} {shown!r} ({length} bytes at offset {position}) lies past "
                f"the end of the file ({size} bytes); the WAD is truncated or corrupt",
            )
        lumps.append(lump.decode("ascii", "replace").upper())
    maps = tuple(lumps[i] for i in range(len(lumps) - 1) if lumps[i + 1] in _FIRST_MAP_LUMPS)
    return WadDirectory(path=path, kind=magic.decode(), lumps=tuple(lumps), maps=maps)


def check_map_present(directories: list[WadDirectory], map_name: str) -> None:
    """Raises WadError("map_not_found") unless one of the WADs defines `map_name`."""
    wanted = map_name.upper()
    for directory in directories:
        if wanted in directory.maps:
            return
    listing = ", ".join(f"{os.path.basename(d.path)}: {' '.join(d.maps) or '(no maps)'}" for d in directories)
    raise WadError("map_not_found", f"map {map_name} is not in the loaded WADs ({listing})")
