"""Builds small Doom-format maps for the tests: sectors are polygons, shared edges become two-sided lines.

    b = MapBuilder()
    room = b.sector([(0, 0), (0, 512), (512, 512), (512, 0)])
    door = b.sector([(512, 224), (512, 288), (528, 288), (528, 224)], ceiling=0, tag=1)
    switch = b.line((192, 512), (256, 512), special=103, tag=1)   # a linedef index once built
    b.thing(128, 256, 1)
    b.sidedef((512, 224), (512, 288), door, upper="-")             # the door's side of that edge: no upper texture
    lines = b.write(path, "MAP01")  # {edge key: linedef index}

Polygons may be listed in either orientation; a vertex of one polygon lying on another's edge splits
that edge, so rooms can share parts of walls. A one-sided line faces into its sector; a two-sided
line's front is the sector named by `front` in `line(...)` (else the first sector built). VizDoom
builds the nodes itself when the map has none, so no node builder is needed. `sidedef(...)` overrides the
textures of one side of an edge ("-" is no texture: the defect maps in defect_maps.py plant them so).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import omg
from omg.mapedit import Linedef, MapEditor, Sector, Sidedef, Thing, Vertex

Point = tuple[int, int]
WALL = "STARTAN3"


@dataclass
class _LineSpec:
    special: int = 0
    tag: int = 0
    front: int | None = None  # the sector on the line's front (right) side


@dataclass
class _SideSpec:
    upper: str | None = None  # None: the builder's default texture
    lower: str | None = None
    middle: str | None = None


@dataclass
class MapBuilder:
    polygons: list[list[Point]] = field(default_factory=list)
    sectors: list[dict[str, int]] = field(default_factory=list)
    specs: dict[frozenset[Point], _LineSpec] = field(default_factory=dict)
    things: list[tuple[int, int, int, int, int]] = field(default_factory=list)
    line_index: dict[frozenset[Point], int] = field(default_factory=dict)
    side_specs: dict[tuple[frozenset[Point], int], _SideSpec] = field(default_factory=dict)
    sidedef_index: dict[tuple[frozenset[Point], int], int] = field(default_factory=dict)

    def sector(self, points: list[Point], floor: int = 0, ceiling: int = 128, tag: int = 0, special: int = 0,
               light: int = 192, floor_flat: str = "FLOOR4_8", ceiling_flat: str = "CEIL3_5") -> int:
        """Adds a sector; returns its index (the WAD's sector index). ceiling_flat "F_SKY1" is sky."""
        area = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1]))
        self.polygons.append(list(points) if area < 0 else list(reversed(points)))  # clockwise: inside on the right
        self.sectors.append({"floor": floor, "ceiling": ceiling, "tag": tag, "special": special, "light": light,
                             "floor_flat": floor_flat, "ceiling_flat": ceiling_flat})
        return len(self.sectors) - 1

    def sidedef(self, a: Point, b: Point, sector: int, upper: str | None = None, lower: str | None = None,
                middle: str | None = None) -> tuple[frozenset[Point], int]:
        """Sets the textures of the side of edge a-b that faces `sector` ("-": none); returns its key
        (`sidedef_index[key]` is the WAD's sidedef index once built)."""
        key = (frozenset((a, b)), sector)
        self.side_specs[key] = _SideSpec(upper, lower, middle)
        return key

    def line(self, a: Point, b: Point, special: int = 0, tag: int = 0, front: int | None = None) -> frozenset[Point]:
        """Gives the edge a-b (an existing wall or shared edge, after splitting) a special; returns its key."""
        key = frozenset((a, b))
        self.specs[key] = _LineSpec(special, tag, front)
        return key

    def thing(self, x: int, y: int, type_: int, angle: int = 0, flags: int = 7) -> int:
        """Adds a thing (flags 7: on every skill); returns its index."""
        self.things.append((x, y, angle, type_, flags))
        return len(self.things) - 1

    def _split_polygons(self) -> list[list[Point]]:
        vertices = {p for polygon in self.polygons for p in polygon}
        split = []
        for polygon in self.polygons:
            out: list[Point] = []
            for a, b in zip(polygon, polygon[1:] + polygon[:1]):
                out.append(a)
                inner = [p for p in vertices if p not in (a, b) and _on_segment(p, a, b)]
                inner.sort(key=lambda p: (p[0] - a[0]) ** 2 + (p[1] - a[1]) ** 2)
                out.extend(inner)
            split.append(out)
        return split

    def build(self) -> MapEditor:
        editor = MapEditor()
        for s in self.sectors:
            editor.sectors.append(Sector(z_floor=s["floor"], z_ceil=s["ceiling"], tag=s["tag"], type=s["special"],
                                         light=s["light"], tx_floor=s["floor_flat"], tx_ceil=s["ceiling_flat"]))
        vertex_index: dict[Point, int] = {}

        def vertex(p: Point) -> int:
            if p not in vertex_index:
                vertex_index[p] = len(editor.vertexes)
                editor.vertexes.append(Vertex(x=p[0], y=p[1]))
            return vertex_index[p]

        # Every directed edge (a, b) with its sector on the right.
        sides: dict[frozenset[Point], list[tuple[Point, Point, int]]] = {}
        for sector, polygon in enumerate(self._split_polygons()):
            for a, b in zip(polygon, polygon[1:] + polygon[:1]):
                sides.setdefault(frozenset((a, b)), []).append((a, b, sector))
        unknown = set(self.specs) - set(sides)
        if unknown:
            raise ValueError(f"line(s) {sorted(tuple(sorted(k)) for k in unknown)} are not edges of any sector")
        faces = {(key, use[2]) for key, uses in sides.items() for use in uses}
        unknown_sides = set(self.side_specs) - faces
        if unknown_sides:
            raise ValueError(f"sidedef(s) {sorted((sorted(k), s) for k, s in unknown_sides)} face no such sector")

        def side(key: frozenset[Point], sector: int, upper: str, lower: str, middle: str) -> int:
            spec = self.side_specs.get((key, sector), _SideSpec())
            self.sidedef_index[(key, sector)] = len(editor.sidedefs)
            editor.sidedefs.append(Sidedef(tx_up=upper if spec.upper is None else spec.upper,
                                           tx_low=lower if spec.lower is None else spec.lower,
                                           tx_mid=middle if spec.middle is None else spec.middle, sector=sector))
            return self.sidedef_index[(key, sector)]

        self.line_index = {}
        self.sidedef_index = {}
        for key, uses in sides.items():
            if len(uses) > 2:
                raise ValueError(f"edge {sorted(key)} is shared by more than two sectors")
            spec = self.specs.get(key, _LineSpec())
            if spec.front is not None and len(uses) == 2 and uses[1][2] == spec.front:
                uses = [uses[1], uses[0]]
            a, b, front = uses[0]
            if len(uses) == 1:
                front_side = side(key, front, "-", "-", WALL)
                line = Linedef(vx_a=vertex(a), vx_b=vertex(b), front=front_side, impassable=True,
                               action=spec.special, tag=spec.tag)
            else:
                back = uses[1][2]
                front_side = side(key, front, WALL, WALL, "-")
                back_side = side(key, back, WALL, WALL, "-")
                line = Linedef(vx_a=vertex(a), vx_b=vertex(b), front=front_side, back=back_side, two_sided=True,
                               action=spec.special, tag=spec.tag)
            self.line_index[key] = len(editor.linedefs)
            editor.linedefs.append(line)
        for x, y, angle, type_, flags in self.things:
            editor.things.append(Thing(x=x, y=y, angle=angle, type=type_, easy=bool(flags & 1),
                                       medium=bool(flags & 2), hard=bool(flags & 4)))
        return editor

    def write(self, path: str, map_name: str = "MAP01") -> dict[frozenset[Point], int]:
        """Writes a PWAD with this one map; returns the linedef index of every edge."""
        wad = omg.WAD()
        wad.maps[map_name] = self.build().to_lumps()
        wad.to_file(path)
        return dict(self.line_index)


def _on_segment(p: Point, a: Point, b: Point) -> bool:
    """p lies strictly inside the segment a-b."""
    cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])
    if cross != 0:
        return False
    dot = (p[0] - a[0]) * (b[0] - a[0]) + (p[1] - a[1]) * (b[1] - a[1])
    return 0 < dot < (b[0] - a[0]) ** 2 + (b[1] - a[1]) ** 2
