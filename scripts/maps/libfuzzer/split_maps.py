#!/usr/bin/env python3
"""Cut every map of the given WADs into its own small PWAD, as a fuzzing corpus.

Usage: split_maps.py <out-dir> <wad>...   (standard library only)
"""
import os
import struct
import sys

MAP_LUMPS = {"THINGS", "LINEDEFS", "SIDEDEFS", "VERTEXES", "SEGS", "SSECTORS", "NODES", "SECTORS",
             "REJECT", "BLOCKMAP", "BEHAVIOR", "SCRIPTS"}


def lumps(path):
    data = open(path, "rb").read()
    count, offset = struct.unpack_from("<ii", data, 4)
    for index in range(count):
        start, size, name = struct.unpack_from("<ii8s", data, offset + 16 * index)
        yield name.rstrip(b"\0").decode("latin1"), data[start:start + size]


def write_pwad(path, entries):
    body, directory = b"", b""
    for name, data in entries:
        directory += struct.pack("<ii8s", 12 + len(body), len(data), name.encode("latin1"))
        body += data
    with open(path, "wb") as out:
        out.write(b"PWAD" + struct.pack("<ii", len(entries), 12 + len(body)) + body + directory)


def main(out, wads):
    os.makedirs(out, exist_ok=True)
    for wad in wads:
        entries = list(lumps(wad))
        for index, (name, _) in enumerate(entries[:-1]):
            if entries[index + 1][0] not in ("THINGS", "TEXTMAP"):
                continue
            end = index + 1
            while end < len(entries) and (entries[end][0] in MAP_LUMPS or entries[end][0] in ("TEXTMAP", "ZNODES", "DIALOGUE")):
                end += 1
            if end < len(entries) and entries[end][0] == "ENDMAP":
                end += 1
            write_pwad(os.path.join(out, f"{os.path.basename(wad)}-{name}.wad"), entries[index:end])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
