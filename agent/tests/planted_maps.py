"""Small maps built for the tests, each with a hand-written `navigation` object (docs/navigation.md).

Each builder writes a PWAD to `directory` and returns (wad path, navigation dict). The navigation
objects follow the contract exactly, as the Swift planner will produce them; later they can be
swapped for the planner's own output on the same maps.

Doom specials used: 11 S1 exit switch, 26 DR blue door, 62 SR lift, 97 WR teleport, 103 S1 open door;
sector special 9 secret.
Things: 1 player start, 5 blue keycard, 14 teleport destination.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mapbuilder import MapBuilder


def _navigation(map_name: str, nodes: list[list[int]], edges: list[list[Any]], steps: list[dict[str, Any]],
                movers: list[dict[str, Any]] | None = None, teleports: list[list[int]] | None = None,
                skill: int = 3) -> dict[str, Any]:
    return {
        "version": 1, "map": map_name, "skill": skill, "verdict": "completable",
        "reason": f"the exit is reachable after {len(steps)} steps",
        "start": {"x": nodes[0][0], "y": nodes[0][1], "angle": 0, "node": 0},
        "nodes": nodes, "edges": edges, "teleports": teleports or [], "movers": movers or [], "steps": steps,
    }


def _blue_door(sector: int, *faces: tuple[int, int]) -> dict[str, Any]:
    """A blue key door's mover: opened by USE on either face (line, node to press it from) with the blue key."""
    return {"sector": sector, "kind": "door", "open": {"floor": 0, "ceiling": 124},
            "openers": [{"line": line, "how": "use", "node": node, "key": "blue", "repeatable": True} for line, node in faces]}


def key_and_doors(directory: Path, skill: int = 3, secret: bool = False, switch_tag: int = 1) -> tuple[str, dict[str, Any]]:
    """Room A (start) -- door opened by a switch in A -- room B (blue key) -- blue key door -- room C (exit switch).

    The switch door is a `use` step; the blue door is not a step: the navigator must open it as a
    mover on its route, with the key it picked up. With `secret`, room B is a secret (found on entering it).
    """
    b = MapBuilder()
    a = b.sector([(0, 0), (0, 512), (192, 512), (256, 512), (512, 512), (512, 288), (512, 224), (512, 0)])
    door1 = b.sector([(512, 224), (512, 288), (528, 288), (528, 224)], ceiling=0, tag=1)
    room_b = b.sector([(528, 0), (528, 512), (1040, 512), (1040, 0)], special=9 if secret else 0)
    door2 = b.sector([(1040, 224), (1040, 288), (1056, 288), (1056, 224)], ceiling=0)
    room_c = b.sector([(1056, 0), (1056, 512), (1568, 512), (1568, 288), (1568, 224), (1568, 0)])
    switch = b.line((192, 512), (256, 512), special=103, tag=switch_tag)  # another tag: a switch that opens nothing
    blue_west = b.line((1040, 224), (1040, 288), special=26, front=room_b)
    blue_east = b.line((1056, 224), (1056, 288), special=26, front=room_c)
    exit_switch = b.line((1568, 224), (1568, 288), special=11)
    b.thing(128, 256, 1)
    key = b.thing(784, 400, 5)
    path = str(directory / "keys.wad")
    lines = b.write(path)
    nodes = [[128, 256, a], [224, 470, a], [470, 256, a], [520, 256, door1], [576, 256, room_b], [784, 400, room_b],
             [990, 256, room_b], [1048, 256, door2], [1104, 256, room_c], [1520, 256, room_c]]
    edges = [[0, 1, [a]], [0, 2, [a]], [1, 2, [a]], [2, 3, [a, door1]], [3, 4, [door1, room_b]], [4, 5, [room_b]],
             [4, 6, [room_b]], [5, 6, [room_b]], [6, 7, [room_b, door2]], [7, 8, [door2, room_c]], [8, 9, [room_c]]]
    movers = [
        {"sector": door1, "kind": "door", "open": {"floor": 0, "ceiling": 124},
         "openers": [{"line": lines[switch], "how": "use", "node": 1, "key": None, "repeatable": False}]},
        _blue_door(door2, (lines[blue_west], 6), (lines[blue_east], 8)),
    ]
    steps = [
        {"kind": "use", "node": 1, "line": lines[switch], "target": [224, 512],
         "expect": [{"sector": door1, "ceiling_at_least": 120}], "note": "press the switch on the north wall"},
        {"kind": "pickup", "node": 5, "thing": key, "item": "blue_card", "note": "pick up the blue keycard"},
        {"kind": "exit", "node": 9, "line": lines[exit_switch], "how": "use", "target": [1568, 256],
         "note": "press the exit switch"},
    ]
    return path, _navigation("MAP01", nodes, edges, steps, movers, skill=skill)


def key_around_a_corner(directory: Path) -> tuple[str, dict[str, Any]]:
    """Room A (start, a switch on its west wall) -- a door north that the switch opens -- an L corridor to
    the blue key, out of sight from A; A -- blue key door east -- room C (exit switch).

    The plan asks for the key first, while nothing the navigator knows of opens the north door (the
    door's mover lists no opener): the key step is given up on, the switch step opens the door, and the
    exit step finds the blue door locked with no key held."""
    b = MapBuilder()
    a = b.sector([(0, 0), (0, 224), (0, 288), (0, 512), (224, 512), (288, 512), (512, 512), (512, 288), (512, 224),
                  (512, 0)])
    north_door = b.sector([(224, 512), (224, 528), (288, 528), (288, 512)], ceiling=0, tag=1)
    corridor = b.sector([(224, 528), (224, 1344), (1024, 1344), (1024, 1280), (288, 1280), (288, 528)])
    blue_door = b.sector([(512, 224), (512, 288), (528, 288), (528, 224)], ceiling=0)
    room_c = b.sector([(528, 0), (528, 224), (528, 288), (528, 512), (1040, 512), (1040, 288), (1040, 224), (1040, 0)])
    switch = b.line((0, 224), (0, 288), special=103, tag=1)
    blue_west = b.line((512, 224), (512, 288), special=26, front=a)
    blue_east = b.line((528, 224), (528, 288), special=26, front=room_c)
    exit_switch = b.line((1040, 224), (1040, 288), special=11)
    b.thing(128, 256, 1)
    key = b.thing(960, 1312, 5)
    path = str(directory / "corner-key.wad")
    lines = b.write(path)
    nodes = [[128, 256, a], [64, 256, a], [256, 470, a], [256, 520, north_door], [256, 600, corridor],
             [256, 1312, corridor], [960, 1312, corridor], [470, 256, a], [520, 256, blue_door], [576, 256, room_c],
             [990, 256, room_c]]
    edges = [[0, 1, [a]], [0, 2, [a]], [0, 7, [a]], [1, 2, [a]], [1, 7, [a]], [2, 7, [a]],
             [2, 3, [a, north_door]], [3, 4, [north_door, corridor]], [4, 5, [corridor]], [5, 6, [corridor]],
             [7, 8, [a, blue_door]], [8, 9, [blue_door, room_c]], [9, 10, [room_c]]]
    movers = [
        {"sector": north_door, "kind": "door", "open": {"floor": 0, "ceiling": 124}, "openers": []},
        _blue_door(blue_door, (lines[blue_west], 7), (lines[blue_east], 9)),
    ]
    steps = [
        {"kind": "pickup", "node": 6, "thing": key, "item": "blue_card", "note": "pick up the blue keycard"},
        {"kind": "use", "node": 1, "line": lines[switch], "target": [0, 256],
         "expect": [{"sector": north_door, "ceiling_at_least": 120}], "note": "press the switch on the west wall"},
        {"kind": "exit", "node": 10, "line": lines[exit_switch], "how": "use", "target": [1040, 256],
         "note": "press the exit switch"},
    ]
    return path, _navigation("MAP01", nodes, edges, steps, movers)


def lift(directory: Path) -> tuple[str, dict[str, Any]]:
    """A low room and a high room (128 units up) joined by a lift that lowers when its face is used."""
    b = MapBuilder()
    low = b.sector([(0, 0), (0, 512), (512, 512), (512, 320), (512, 192), (512, 0)], ceiling=256)
    platform = b.sector([(512, 192), (512, 320), (576, 320), (576, 192)], floor=128, ceiling=256, tag=2)
    high = b.sector([(576, 0), (576, 512), (1088, 512), (1088, 288), (1088, 224), (1088, 0)], floor=128, ceiling=256)
    face = b.line((512, 192), (512, 320), special=62, tag=2, front=low)
    exit_switch = b.line((1088, 224), (1088, 288), special=11)
    b.thing(128, 256, 1)
    path = str(directory / "lift.wad")
    lines = b.write(path)
    nodes = [[128, 256, low], [470, 256, low], [544, 256, platform], [640, 256, high], [1040, 256, high]]
    edges = [[0, 1, [low]], [1, 2, [low, platform]], [2, 3, [platform, high]], [3, 4, [high]]]
    movers = [{"sector": platform, "kind": "lift", "open": {"floor": 0},
               "openers": [{"line": lines[face], "how": "use", "node": 1, "key": None, "repeatable": True}]}]
    steps = [{"kind": "exit", "node": 4, "line": lines[exit_switch], "how": "use", "target": [1088, 256],
              "note": "ride the lift up and press the exit switch"}]
    return path, _navigation("MAP01", nodes, edges, steps, movers)


def teleporter(directory: Path) -> tuple[str, dict[str, Any]]:
    """Room A with a teleporter alcove; room B, not connected to A, with the exit switch."""
    b = MapBuilder()
    room_a = b.sector([(0, 0), (0, 512), (512, 512), (512, 288), (512, 224), (512, 0)])
    pad = b.sector([(512, 224), (512, 288), (576, 288), (576, 224)])
    room_b = b.sector([(1024, 0), (1024, 512), (1536, 512), (1536, 288), (1536, 224), (1536, 0)], tag=3)
    gate = b.line((512, 224), (512, 288), special=97, tag=3, front=room_a)
    exit_switch = b.line((1536, 224), (1536, 288), special=11)
    b.thing(128, 256, 1)
    b.thing(1100, 256, 14)
    path = str(directory / "teleporter.wad")
    lines = b.write(path)
    nodes = [[128, 256, room_a], [470, 256, room_a], [1100, 256, room_b], [1488, 256, room_b]]
    edges = [[0, 1, [room_a]], [2, 3, [room_b]]]
    steps = [
        {"kind": "teleport", "node": 1, "line": lines[gate], "to": 2, "note": "step into the teleporter"},
        {"kind": "exit", "node": 3, "line": lines[exit_switch], "how": "use", "target": [1536, 256],
         "note": "press the exit switch"},
    ]
    return path, _navigation("MAP01", nodes, edges, steps, teleports=[[1, 2, lines[gate]]], skill=3)


def deadly_corridor(directory: Path) -> tuple[str, dict[str, Any]]:
    """The start room, then a 4608-unit corridor of 20%-damage floor (a running player takes some 8
    hits of 20 on the way), then the exit switch. Without god mode the player dies in the corridor."""
    b = MapBuilder()
    start = b.sector([(0, 0), (0, 256), (256, 256), (256, 160), (256, 96), (256, 0)])
    corridor = b.sector([(256, 96), (256, 160), (4864, 160), (4864, 96)], special=16)
    end = b.sector([(4864, 0), (4864, 96), (4864, 160), (4864, 256), (5120, 256), (5120, 160), (5120, 96), (5120, 0)])
    exit_switch = b.line((5120, 96), (5120, 160), special=11)
    b.thing(128, 128, 1)
    path = str(directory / "deadly.wad")
    lines = b.write(path)
    nodes = [[128, 128, start], [224, 128, start], [1536, 128, corridor], [3072, 128, corridor],
             [4608, 128, corridor], [4896, 128, end], [5072, 128, end]]
    edges = [[0, 1, [start]], [1, 2, [start, corridor]], [2, 3, [corridor]], [3, 4, [corridor]],
             [4, 5, [corridor, end]], [5, 6, [end]]]
    steps = [{"kind": "exit", "node": 6, "line": lines[exit_switch], "how": "use", "target": [5120, 128],
              "note": "run down the corridor and press the exit switch"}]
    return path, _navigation("MAP01", nodes, edges, steps)


def leap(directory: Path) -> tuple[str, dict[str, Any]]:
    """Room A (start), a pit 112 wide and 384 deep that nothing climbs out of, room C (exit switch) at A's height.
    Walking, the player falls in; a straferun from 144 units before the ledge carries it over (80 units in the air,
    a fall of 14). The leap is edge 1, from the run-up node 1 to node 2 (docs/navigation.md, `leaps`)."""
    b = MapBuilder()
    room_a = b.sector([(0, 0), (0, 512), (512, 512), (512, 0)], ceiling=256)
    pit = b.sector([(512, 0), (512, 512), (624, 512), (624, 0)], floor=-384, ceiling=256)
    room_c = b.sector([(624, 0), (624, 512), (1024, 512), (1024, 288), (1024, 224), (1024, 0)], ceiling=256)
    exit_switch = b.line((1024, 224), (1024, 288), special=11)
    b.thing(64, 256, 1)
    path = str(directory / "leap.wad")
    lines = b.write(path)
    del pit
    nodes = [[64, 256, room_a], [348, 256, room_a], [644, 256, room_c], [976, 256, room_c]]
    edges = [[0, 1, [room_a]], [1, 2, [room_a, room_c]], [2, 3, [room_c]]]
    steps = [{"kind": "exit", "node": 3, "line": lines[exit_switch], "how": "use", "target": [1024, 256],
              "note": "leap over the pit and press the exit switch"}]
    navigation = _navigation("MAP01", nodes, edges, steps)
    navigation["leaps"] = [1]
    navigation["one_way"] = [[1, 1]]
    return path, navigation
