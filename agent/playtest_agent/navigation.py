"""The `navigation` object of the run config: the planner's route and walkable graph (docs/navigation.md).

`parse_navigation` checks every field and index and returns a `Navigation`; a bad object is a
ConfigError naming the field (`navigation.steps[3].node: ...`), so a planner bug is reported as such
instead of surfacing as a crash in the middle of an episode.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .config import ConfigError

VERDICTS = ("completable", "blocked", "unknown")
STEP_KINDS = ("walk", "pickup", "use", "shoot", "cross", "teleport", "kill", "exit")
# "push" (Hexen's bump activation) is done like "use"; "none" like "auto" (nothing the player does).
OPENER_HOWS = ("use", "walk", "shoot", "auto", "push", "none")
EXIT_HOWS = ("use", "cross", "shoot", "kill")
EXPECT_KINDS = ("floor_at_most", "floor_at_least", "ceiling_at_least")


@dataclass(frozen=True)
class Expect:
    """Live heights that show a special worked: each bound that is set must hold."""

    sector: int
    floor_at_most: float | None = None
    floor_at_least: float | None = None
    ceiling_at_least: float | None = None

    def holds(self, floor: float, ceiling: float) -> bool:
        return ((self.floor_at_most is None or floor <= self.floor_at_most)
                and (self.floor_at_least is None or floor >= self.floor_at_least)
                and (self.ceiling_at_least is None or ceiling >= self.ceiling_at_least))


@dataclass(frozen=True)
class Opener:
    line: int
    how: str  # use | walk | shoot | auto (push is read as use, none as auto)
    node: int | None  # where to stand; None when the planner found no spot (or nothing to do)
    key: str | None  # red, blue_card, red_skull, any, all, ... (the planner's lock names)
    repeatable: bool


@dataclass(frozen=True)
class Mover:
    sector: int
    kind: str
    open_floor: float | None
    open_ceiling: float | None
    openers: tuple[Opener, ...]
    # The open floor is the lowest floor of these sectors when it opens (a lift, a floor lowered to the lowest
    # neighbour): `open_floor` is that as the map starts, and a neighbour that moved since moves it.
    floor_lowest_of: tuple[int, ...] = ()

    def open_floor_now(self, floor) -> float | None:
        """The open floor with the sectors' floors now (`floor`: per sector)."""
        if self.floor_lowest_of:
            return float(min(floor[s] for s in self.floor_lowest_of))
        return self.open_floor


@dataclass(frozen=True)
class Edge:
    a: int
    b: int
    sectors: tuple[int, ...]  # walking from a to b; reversed for b to a
    lines: tuple[int, ...]  # walk-over specials the walk crosses
    touches: tuple[tuple[int, int], ...] = ()  # (near, far): moving sectors passed within 16 units


@dataclass(frozen=True)
class Teleport:
    source: int
    destination: int
    line: int


@dataclass(frozen=True)
class Step:
    index: int
    kind: str
    node: int
    note: str
    line: int | None = None
    target: tuple[float, float] | None = None
    expect: tuple[Expect, ...] = ()
    thing: int | None = None
    item: str | None = None
    to: int | None = None
    how: str | None = None
    path: tuple[int, ...] = ()  # the planner's walk from the previous step's node (a hint: the navigator routes anew)


@dataclass(frozen=True)
class Start:  # the player start the plan assumes (informative: the agent starts where the engine puts it)
    x: float
    y: float
    angle: float
    node: int


@dataclass(frozen=True)
class Navigation:
    version: int
    map: str
    skill: int
    verdict: str
    reason: str
    start: Start | None
    nodes: np.ndarray  # (N, 3) float64: x, y, sector
    edges: tuple[Edge, ...]
    teleports: tuple[Teleport, ...]
    movers: dict[int, Mover]  # by sector
    steps: tuple[Step, ...]
    leaps: frozenset[int] = frozenset()  # edges taken only as a running leap, from `a` (docs/navigation.md)
    hops: frozenset[int] = frozenset()  # edges that hop a gap beside a moving floor: walked at a run

    @property
    def node_sectors(self) -> np.ndarray:
        return self.nodes[:, 2].astype(np.int64)


def _fail(where: str, message: str) -> None:
    raise ConfigError(f"{where}: {message}")


def _int(value: Any, where: str, low: int | None = 0, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(where, f"must be an integer, got {value!r}")
    if low is not None and value < low:
        _fail(where, f"must be >= {low}, got {value}")
    if high is not None and value >= high:
        _fail(where, f"must be < {high} (an index), got {value}")
    return value


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or abs(value) == float("inf"):
        _fail(where, f"must be a finite number, got {value!r}")
    return float(value)


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        _fail(where, f"must be a list, got {type(value).__name__}")
    return value


def _object(value: Any, where: str, required: tuple[str, ...]) -> dict[str, Any]:
    """An object with the `required` fields. Other fields are ignored: the planner may add some (a
    lenient reader, as docs/agent-protocol.md allows within a version)."""
    if not isinstance(value, dict):
        _fail(where, f"must be an object, got {type(value).__name__}")
    missing = [k for k in required if k not in value]
    if missing:
        _fail(where, f"missing field(s) {', '.join(missing)}")
    return value


def _point(value: Any, where: str) -> tuple[float, float]:
    items = _list(value, where)
    if len(items) != 2:
        _fail(where, "must be [x, y]")
    return _number(items[0], where + "[0]"), _number(items[1], where + "[1]")


def _expects(value: Any, where: str) -> tuple[Expect, ...]:
    result = []
    for i, entry in enumerate(_list(value, where)):
        here = f"{where}[{i}]"
        if not isinstance(entry, dict) or "sector" not in entry:
            _fail(here, "must be an object with a sector and at least one of " + ", ".join(EXPECT_KINDS))
        bounds = {k: _number(entry[k], f"{here}.{k}") for k in EXPECT_KINDS if entry.get(k) is not None}
        if not bounds:
            _fail(here, "must have a sector and at least one of " + ", ".join(EXPECT_KINDS))
        result.append(Expect(_int(entry["sector"], here + ".sector"), **bounds))
    return tuple(result)


STEP_FIELDS: dict[str, tuple[str, ...]] = {  # kind: required fields beyond kind and node
    "walk": (),
    "pickup": ("thing", "item"),
    "use": ("line", "target"),
    "shoot": ("line", "target"),
    "cross": ("line", "to"),
    "teleport": ("line", "to"),
    "kill": (),
    "exit": ("how",),
}


def _step(index: int, value: Any, node_count: int) -> Step:
    where = f"navigation.steps[{index}]"
    if not isinstance(value, dict):
        _fail(where, "must be an object")
    kind = value.get("kind")
    if kind not in STEP_KINDS:
        _fail(where + ".kind", f"must be one of {', '.join(STEP_KINDS)}, got {kind!r}")
    data = _object(value, where, ("kind", "node") + STEP_FIELDS[kind])
    note = data.get("note", "")
    if not isinstance(note, str):
        _fail(where + ".note", "must be a string")
    step = Step(index=index, kind=kind, node=_int(data["node"], where + ".node", 0, node_count), note=note)
    fields: dict[str, Any] = {}
    if data.get("line") is not None:
        fields["line"] = _int(data["line"], where + ".line")
    if data.get("target") is not None:
        fields["target"] = _point(data["target"], where + ".target")
    if data.get("expect") is not None:
        fields["expect"] = _expects(data["expect"], where + ".expect")
    if data.get("thing") is not None:
        fields["thing"] = _int(data["thing"], where + ".thing")
    if data.get("item") is not None:
        if not isinstance(data["item"], str) or not data["item"]:
            _fail(where + ".item", "must be a non-empty string such as blue_card")
        fields["item"] = data["item"]
    if data.get("to") is not None:
        fields["to"] = _int(data["to"], where + ".to", 0, node_count)
    if data.get("path") is not None:
        path = _list(data["path"], where + ".path")
        fields["path"] = tuple(_int(node, f"{where}.path[{k}]", 0, node_count) for k, node in enumerate(path))
    if "how" in data:
        if data["how"] not in EXIT_HOWS:
            _fail(where + ".how", f"must be one of {', '.join(EXIT_HOWS)}, got {data['how']!r}")
        fields["how"] = data["how"]
    if kind in ("cross", "teleport") or (kind == "exit" and data["how"] in ("use", "shoot", "cross")):
        if "line" not in fields:
            _fail(where, f"this {kind} step{' by ' + data['how'] if kind == 'exit' else ''} needs a line")
    return Step(**{**step.__dict__, **fields})


def parse_navigation(data: Any) -> Navigation:
    """Validates the `navigation` object (docs/navigation.md) and returns it parsed."""
    data = _object(data, "navigation", ("version", "map", "verdict", "nodes", "edges", "steps"))
    if data["version"] != 1:
        _fail("navigation.version", f"this runtime reads version 1, got {data['version']!r}")
    if not isinstance(data["map"], str) or not data["map"]:
        _fail("navigation.map", "must be a map lump name such as MAP01")
    if data["verdict"] not in VERDICTS:
        _fail("navigation.verdict", f"must be one of {', '.join(VERDICTS)}, got {data['verdict']!r}")
    skill = _int(data.get("skill", 0), "navigation.skill", 0, 6)
    reason = data.get("reason", "")
    if not isinstance(reason, str):
        _fail("navigation.reason", "must be a string")

    raw_nodes = _list(data["nodes"], "navigation.nodes")
    nodes = np.zeros((len(raw_nodes), 3), dtype=np.float64)
    for i, node in enumerate(raw_nodes):
        here = f"navigation.nodes[{i}]"
        if not isinstance(node, list) or len(node) != 3:
            _fail(here, "must be [x, y, sector]")
        sector = node[2]
        if isinstance(sector, float) and sector.is_integer():
            sector = int(sector)  # a JSON encoder may write 12.0
        nodes[i] = (_number(node[0], here + "[0]"), _number(node[1], here + "[1]"), _int(sector, here + "[2]"))
    count = len(raw_nodes)

    start = None
    if data.get("start") is not None:  # null when the map has no player start (a blocked verdict)
        start_data = _object(data["start"], "navigation.start", ("x", "y", "node"))
        start = Start(_number(start_data["x"], "navigation.start.x"), _number(start_data["y"], "navigation.start.y"),
                      _number(start_data.get("angle", 0), "navigation.start.angle"),
                      _int(start_data["node"], "navigation.start.node", 0, count))

    edges = []
    for i, edge in enumerate(_list(data["edges"], "navigation.edges")):
        here = f"navigation.edges[{i}]"
        if not isinstance(edge, list) or len(edge) not in (3, 4, 5):
            _fail(here, "must be [a, b, sectors], [a, b, sectors, lines] or [a, b, sectors, lines, touches]")
        a, b = _int(edge[0], here + "[0]", 0, count), _int(edge[1], here + "[1]", 0, count)
        sectors = tuple(_int(s, f"{here}[2][{j}]") for j, s in enumerate(_list(edge[2], here + "[2]")))
        if not sectors:
            _fail(here + "[2]", "must list at least one sector")
        lines = tuple(_int(l, f"{here}[3][{j}]") for j, l in enumerate(_list(edge[3], here + "[3]"))) if len(edge) >= 4 else ()
        touches = []
        for j, touch in enumerate(_list(edge[4], here + "[4]") if len(edge) == 5 else []):
            if not isinstance(touch, list) or len(touch) != 2:
                _fail(f"{here}[4][{j}]", "must be [near, far]")
            touches.append((_int(touch[0], f"{here}[4][{j}][0]"), _int(touch[1], f"{here}[4][{j}][1]")))
        edges.append(Edge(a, b, sectors, lines, tuple(touches)))

    teleports = []
    for i, teleport in enumerate(_list(data.get("teleports", []), "navigation.teleports")):
        here = f"navigation.teleports[{i}]"
        if not isinstance(teleport, list) or len(teleport) != 3:
            _fail(here, "must be [from, to, line]")
        teleports.append(Teleport(_int(teleport[0], here + "[0]", 0, count), _int(teleport[1], here + "[1]", 0, count),
                                  _int(teleport[2], here + "[2]")))

    movers: dict[int, Mover] = {}
    for i, mover in enumerate(_list(data.get("movers", []), "navigation.movers")):
        here = f"navigation.movers[{i}]"
        mover = _object(mover, here, ("sector", "kind", "openers"))
        opened = _object(mover.get("open", {}), here + ".open", ())
        openers = []
        for j, opener in enumerate(_list(mover["openers"], here + ".openers")):
            where = f"{here}.openers[{j}]"
            opener = _object(opener, where, ("line", "how"))
            if opener["how"] not in OPENER_HOWS:
                _fail(where + ".how", f"must be one of {', '.join(OPENER_HOWS)}, got {opener['how']!r}")
            key = opener.get("key")
            if key is not None and (not isinstance(key, str) or not key):
                _fail(where + ".key", f"must be null or a key name such as red or blue_card, got {key!r}")
            repeatable = opener.get("repeatable", True)
            if not isinstance(repeatable, bool):
                _fail(where + ".repeatable", "must be true or false")
            how = {"push": "use", "none": "auto"}.get(opener["how"], opener["how"])
            node = None if opener.get("node") is None else _int(opener["node"], where + ".node", 0, count)
            openers.append(Opener(_int(opener["line"], where + ".line"), how, node, key, repeatable))
        if not isinstance(mover["kind"], str):
            _fail(here + ".kind", "must be a string such as door or lift")
        sector = _int(mover["sector"], here + ".sector")
        lowest_of = tuple(_int(s, f"{here}.open.floor_lowest_of[{i}]", 0)
                          for i, s in enumerate(_list(opened.get("floor_lowest_of", []), here + ".open.floor_lowest_of")))
        movers[sector] = Mover(sector, mover["kind"],
                               _number(opened["floor"], here + ".open.floor") if "floor" in opened else None,
                               _number(opened["ceiling"], here + ".open.ceiling") if "ceiling" in opened else None,
                               tuple(openers), lowest_of)

    leaps = frozenset(_int(e, f"navigation.leaps[{i}]", 0, len(edges)) for i, e in enumerate(_list(data.get("leaps", []), "navigation.leaps")))
    hops = frozenset(_int(e, f"navigation.hops[{i}]", 0, len(edges)) for i, e in enumerate(_list(data.get("hops", []), "navigation.hops")))
    steps = tuple(_step(i, s, count) for i, s in enumerate(_list(data["steps"], "navigation.steps")))
    if data["verdict"] == "completable" and (not steps or steps[-1].kind != "exit"):
        _fail("navigation.steps", "a completable plan must end with an exit step")
    return Navigation(version=1, map=data["map"].upper(), skill=skill, verdict=data["verdict"], reason=reason,
                      start=start, nodes=nodes, edges=tuple(edges), teleports=tuple(teleports), movers=movers, steps=steps,
                      leaps=leaps, hops=hops)
