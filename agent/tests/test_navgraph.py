"""Routes over the planner's graph with live passability (no engine: heights are set by hand)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from playtest_agent.agents.navgraph import BLOCKED, NEEDS, OK, OPEN, REST, Heights, Leg, NavGraph, passable
from playtest_agent.navigation import parse_navigation

# Sectors: 0 hall (floor 0), 1 door (closed), 2 room behind the door, 3 lift (up at 128), 4 ledge (128),
# 5 side corridor, 6 crawlspace (ceiling 40 above its floor).
FLOORS = [0, 0, 0, 128, 128, 0, 0]
CEILINGS = [256, 0, 256, 256, 256, 256, 40]


def graph(door_is_a_mover: bool = True, edges_override: dict[int, list[Any]] | None = None,
          lift_open: dict[str, Any] | None = None, **extra: Any) -> NavGraph:
    nodes = [[0, 0, 0], [100, 0, 0], [200, 0, 1], [300, 0, 2], [100, 100, 0], [100, 200, 3], [100, 300, 4],
             [0, 1000, 5], [300, 1000, 5], [200, -100, 6]]
    edges = [
        [0, 1, [0]], [1, 2, [0, 1]], [2, 3, [1, 2]],  # hall - door - room
        [1, 4, [0]], [4, 5, [0, 3]], [5, 6, [3, 4]],  # hall - lift - ledge
        [0, 7, [0, 5]], [7, 8, [5]], [8, 3, [5, 2]],  # a long way round to the room
        [1, 9, [0, 6]], [9, 3, [6, 2]],  # a crawlspace nobody fits in
    ]
    movers = [{"sector": 1, "kind": "door", "open": {"ceiling": 252},
               "openers": [{"line": 7, "how": "use", "node": 1, "key": None, "repeatable": True}]},
              {"sector": 3, "kind": "lift", "open": lift_open or {"floor": 0},
               "openers": [{"line": 9, "how": "use", "node": 4, "key": None, "repeatable": True}]}]
    for index, edge in (edges_override or {}).items():
        edges[index] = edge
    if not door_is_a_mover:
        movers = movers[1:]
    data = {"version": 1, "map": "MAP01", "skill": 3, "verdict": "completable", "reason": "",
            "start": {"x": 0, "y": 0, "angle": 0, "node": 0}, "nodes": nodes, "edges": edges, "movers": movers,
            "teleports": [], "steps": [{"kind": "exit", "node": 3, "line": 1, "how": "cross"}], **extra}
    return NavGraph(parse_navigation(data))


def route(g: NavGraph, start: int, goal: int, live: Heights, rest: Heights, penalty: Any = None) -> list[Leg] | None:
    found = g.route({start: 0.0}, goal, live, rest, penalty)
    if found is None:
        return None
    assert found[0] == start
    return found[1]


def heights(**changes: tuple[float, float]) -> Heights:
    floor, ceiling = np.array(FLOORS, dtype=float), np.array(CEILINGS, dtype=float)
    for name, (f, c) in changes.items():
        sector = int(name[1:])
        floor[sector], ceiling[sector] = f, c
    return Heights(floor, ceiling)


def test_the_passability_rule() -> None:
    assert passable(0, 128, 24, 128)  # a step up of 24
    assert not passable(0, 128, 25, 128)  # one more is a wall
    assert passable(128, 256, 0, 256)  # any drop
    assert not passable(0, 128, 0, 55)  # less than 56 of headroom
    assert not passable(0, 56, 40, 128)  # the opening between them is 16 high
    assert passable(0, 56, 0, 128)


def test_a_closed_door_needs_opening_and_an_open_one_is_walked_through() -> None:
    g = graph()
    rest = heights()
    assert g.need(1, True, rest, rest) == (OPEN, (1,))
    legs = route(g, 0, 3, rest, rest)
    assert legs is not None and [leg.target for leg in legs] == [1, 2, 3]
    assert [leg.need for leg in legs] == [OK, OPEN, OPEN]
    opened = heights(s1=(0, 252))
    assert g.need(1, True, opened, rest) == (OK, ())
    assert [leg.need for leg in route(g, 0, 3, opened, rest) or []] == [OK, OK, OK]
    half_open = heights(s1=(0, 40))  # rising, not yet 56 high: still needs opening (the navigator waits)
    assert g.need(1, True, half_open, rest)[0] == OPEN


def test_when_the_door_is_shut_for_good_the_route_goes_the_long_way_round() -> None:
    g = graph(door_is_a_mover=False)  # then it is a wall
    rest = heights()
    legs = route(g, 0, 3, rest, rest)
    assert legs is not None and [leg.target for leg in legs] == [7, 8, 3]


def test_a_penalised_edge_is_avoided_while_another_way_exists() -> None:
    g = graph()
    opened = heights(s1=(0, 252))
    assert [leg.target for leg in route(g, 0, 3, opened, opened) or []] == [1, 2, 3]
    penalty = {("walk", 1, True): 5000.0}  # hall -> door failed
    assert [leg.target for leg in route(g, 0, 3, opened, opened, penalty) or []] == [7, 8, 3]


def test_a_lift_is_lowered_to_step_on_and_waited_for_to_step_off() -> None:
    g = graph()
    rest = heights()
    # Up at 128: stepping on from the hall (floor 0) needs it lowered.
    assert g.need(4, True, rest, rest) == (OPEN, (3,))
    down = heights(s3=(0, 256))
    assert g.need(4, True, down, rest) == (OK, ())
    # On the lift while it is down, the ledge (128) is out of reach until the lift comes back up.
    assert g.need(5, True, down, rest) == (REST, (3,))
    assert g.need(5, True, rest, rest) == (OK, ())
    # Off the ledge onto the raised lift and down to the hall: drops are always allowed.
    assert g.need(5, False, rest, rest) == (OK, ())


def test_a_low_crawlspace_is_blocked_and_never_routed() -> None:
    g = graph()
    rest = heights()
    assert g.need(9, True, rest, rest) == (BLOCKED, ())
    assert all(leg.index not in (9, 10) for leg in route(g, 0, 3, rest, rest) or [])


def test_no_route_when_the_only_way_is_blocked() -> None:
    g = graph(door_is_a_mover=False)
    walled = heights(s5=(0, 0))  # the long way's ceiling came down
    assert route(g, 0, 3, walled, walled) is None


def test_teleports_are_one_way() -> None:
    g = graph(teleports=[[0, 6, 12]])
    rest = heights()
    legs = route(g, 0, 6, rest, rest)
    assert legs is not None and [(leg.kind, leg.target) for leg in legs] == [("teleport", 6)]
    back = route(g, 6, 0, rest, rest)
    assert back is not None and all(leg.kind == "walk" for leg in back)  # the ledge drops onto the lift


@pytest.mark.parametrize("x, y, nearest", [(0, 0, 0), (95, 105, 4), (310, 990, 8)])
def test_nearest_nodes(x: float, y: float, nearest: int) -> None:
    assert graph().nearest(x, y, 3)[0] == nearest


def test_a_walk_beside_a_closed_door_touches_it_and_waits_for_it_to_open() -> None:
    # The hall's edge 0 -> 1 passes within 16 units of the door (sector 1) without entering it.
    g = graph()
    touching = graph(edges_override={0: [0, 1, [0], [], [[0, 1]]]})
    closed, opened = heights(), heights(s1=(0, 252))
    assert g.need(0, True, closed, closed) == (OK, ())
    assert touching.need(0, True, closed, closed) == (OPEN, (1,))
    assert touching.need(0, False, closed, closed) == (OPEN, (1,))  # a touch counts both ways
    assert touching.need(0, True, opened, closed) == (OK, ())
    forward, backward = touching.all_needs(closed, closed)
    assert forward[0] == backward[0] == 1  # open


@pytest.mark.parametrize("changes", [{}, {"s1": (0, 252)}, {"s3": (0, 256)}, {"s5": (0, 0)}, {"s1": (0, 30)}])
def test_the_needs_of_all_edges_at_once_agree_with_one_edge_at_a_time(changes: dict[str, tuple[float, float]]) -> None:
    g = graph()
    live, rest = heights(**changes), heights()
    forward, backward = g.all_needs(live, rest)
    for edge in range(len(g.nav.edges)):
        assert NEEDS[forward[edge]] == g.need(edge, True, live, rest)[0], edge
        assert NEEDS[backward[edge]] == g.need(edge, False, live, rest)[0], edge


def test_a_walk_through_a_door_in_the_middle_of_a_room_is_judged_from_the_players_place_on_it() -> None:
    # Edge 1 passes hall, door, hall (a door in the middle of the hall): standing in the hall before
    # the door is not being past it. The walker tracks its place on the path (at_index); from the
    # sector alone the last hall would be taken and the closed door missed.
    g = graph(edges_override={1: [1, 2, [0, 1, 0]]})
    rest = heights()
    assert g.need(1, True, rest, rest, at_index=0) == (OPEN, (1,))
    assert g.need(1, True, rest, rest, at_sector=0) == (OK, ())  # the sector alone cannot tell
    assert g.need(1, True, rest, rest, at_index=2) == (OK, ())  # past the door


def test_a_route_does_not_take_a_teleporter_that_cannot_be_entered() -> None:
    g = graph(teleports=[[0, 3, 5]])
    rest = heights()
    assert [leg.kind for leg in route(g, 0, 3, rest, rest) or []] == ["teleport"]
    found = g.route({0: 0.0}, 3, rest, rest, None, frozenset(), {0: float("inf")})
    assert found is not None and all(leg.kind == "walk" for leg in found[1])


def test_a_sector_that_is_no_mover_but_moves_is_judged_again() -> None:
    # The crawlspace (sector 6) is no mover, but it moves (a stair builder raises a whole flight of
    # which the planner may name one step): once seen moved, its boundaries are judged with live heights.
    g = graph()
    rest = heights()
    assert 9 not in [leg.target for leg in route(g, 0, 3, rest, rest) or []]
    raised = heights(s6=(0, 256))
    assert 9 in [leg.target for leg in route(g, 0, 3, raised, rest) or []]


def test_the_caches_of_one_graph_give_what_a_fresh_graph_gives() -> None:
    # One graph carries caches from call to call (needs while the movers stand still, edge costs patched
    # where needs changed, heuristics per goal); a fresh graph for each call has none: same answers.
    kept = graph(teleports=[[0, 3, 5]])
    rest = heights()
    sequence = [{}, {"s1": (0, 252)}, {"s1": (0, 252), "s3": (0, 256)}, {"s1": (0, 30)}, {}, {"s6": (0, 256)},
                {"s6": (0, 256), "s1": (0, 252)}, {"s6": (0, 256)}]
    for changes in sequence:
        live = heights(**changes)
        for goal in (3, 6, 8):
            for penalty in (None, {("walk", 1, True): 5000.0}):
                fresh = graph(teleports=[[0, 3, 5]])
                fresh.all_needs(rest, rest)  # the first call sets what counts as unmoved, as kept's did
                for a, b in zip(kept.all_needs(live, rest), fresh.all_needs(live, rest)):
                    assert a.tolist() == b.tolist(), changes
                assert kept.route({0: 0.0, 4: 50.0}, goal, live, rest, penalty) == \
                    fresh.route({0: 0.0, 4: 50.0}, goal, live, rest, penalty), (changes, goal)


def test_a_failed_search_is_not_run_again_and_gives_what_a_fresh_graph_gives() -> None:
    # A search that finds no route remembers the nodes it reached: from those, with the same needs,
    # the answer is None without searching; other starts, other needs (a mover moved, one shut or no
    # longer shut) search again.
    kept = graph()
    rest = heights()
    calls = [({0: 0.0}, 9, {}, frozenset()), ({1: 0.0, 4: 10.0}, 9, {}, frozenset()),  # nobody fits the crawlspace
             ({0: 0.0}, 2, {}, frozenset({1})), ({7: 0.0}, 2, {}, frozenset({1})),  # the door shut: none
             ({0: 0.0}, 2, {}, frozenset()),  # the door may be opened: a route
             ({0: 0.0}, 2, {"s1": (0, 252)}, frozenset({1})),  # it stands open: a route
             ({0: 0.0}, 9, {"s6": (0, 256)}, frozenset()),  # the crawlspace tall now: a route
             ({0: 0.0}, 9, {}, frozenset()), ({8: 0.0}, 9, {}, frozenset())]
    answers = []
    for starts, goal, changes, shut in calls:
        live = heights(**changes)
        fresh = graph()
        fresh.all_needs(rest, rest)
        kept.all_needs(rest, rest)
        answer = kept.route(starts, goal, live, rest, None, shut)
        assert answer == fresh.route(starts, goal, live, rest, None, shut), (starts, goal, changes, shut)
        answers.append(answer is not None)
    assert answers == [False, False, False, False, True, True, True, False, False]
    assert kept._unreached  # the failed searches were remembered


def test_a_damaging_floor_costs_more_so_a_safe_way_round_is_taken() -> None:
    g = graph()
    opened = heights(s1=(0, 252), s6=(0, 256))  # the door open, the crawlspace tall enough
    assert [leg.target for leg in route(g, 0, 3, opened, opened) or []] == [1, 2, 3]  # through the door: shortest
    damaging = np.zeros(7, dtype=bool)
    damaging[1] = True  # nukage in the doorway
    g.set_hazards(damaging)
    assert set(np.nonzero(g.hazard)[0].tolist()) == {1, 2}  # the edges that walk through sector 1
    assert g.hazard_nodes.tolist() == [False, False, True] + [False] * 7
    assert [leg.target for leg in route(g, 0, 3, opened, opened) or []] == [1, 9, 3]  # round by the dry way


def test_a_lift_raised_for_good_is_waited_for_at_its_new_height() -> None:
    # E2M9: a switch raises the lift (sector 3) from 0 to 128 for good, then its SR switch lowers it to 0 and it
    # comes back to 128. Standing on it while it is down, the way up to the ledge waits for it (rest), once the
    # navigator knows where it rests; with the episode's start heights (0) there is no way up at all.
    g = graph()
    down = heights(s3=(0, 256))
    start = heights(s3=(0, 256))
    assert route(g, 5, 6, down, start) is None
    settled = heights()  # the lift seen resting at 128 (LiveWorld.settle)
    legs = route(g, 5, 6, down, settled)
    assert legs is not None and legs[0].need == REST and legs[0].movers == (3,)


def test_a_lift_goes_down_to_the_lowest_floor_beside_it_as_it_is_now() -> None:
    # E4M6: the room beside lift 280 was lowered (8 to -112) before the plan rode the lift; the lift then goes down to
    # -112, not to the 8 the map starts with, and the walk from the lowered room onto it needs it opened, not blocked.
    rest, hall_lowered = heights(), heights(s0=(-112, 256))
    fixed = graph()
    assert fixed.need(4, True, hall_lowered, rest) == (BLOCKED, (3,))
    g = graph(lift_open={"floor": 0, "floor_lowest_of": [3, 0, 4]})
    assert g.nav.movers[3].open_floor_now(hall_lowered.floor) == -112
    assert g.need(4, True, rest, rest) == (OPEN, (3,))
    assert g.need(4, True, hall_lowered, rest) == (OPEN, (3,))
    forward, _ = g.all_needs(hall_lowered, rest)
    assert NEEDS[forward[4]] == OPEN
    assert route(g, 1, 6, hall_lowered, rest) is not None and route(fixed, 1, 6, hall_lowered, rest) is None


def test_the_way_to_a_switch_does_not_count_on_what_the_switch_opens() -> None:
    """E3M7: the switch atop a spiral stair lowers the stair; a route to the switch that took the stair as lowered
    (its opener the route's own goal) was no route. The lift here opens only at node 4: the way to node 4 may not
    count on it, the way to the room may."""
    from playtest_agent.agents.travel import Status, Traveller

    g = graph()
    traveller = Traveller(g.nav, g, None, Status(), set())  # type: ignore[arg-type]
    assert traveller.opened_only_at(4) == frozenset({3})
    assert traveller.opened_only_at(1) == frozenset({1})
    assert traveller.opened_only_at(3) == frozenset()
    # Shut, the lift leaves the ledge beyond it unreachable; the door (its opener elsewhere) still opens on the way.
    assert g.route({0: 0.0}, 6, heights(s3=(128, 256)), heights(), shut=traveller.opened_only_at(4)) is None
    assert route(g, 0, 3, heights(s1=(0, 0)), heights()) is not None


def test_a_lift_waited_for_beside_it_is_stepped_onto_when_level() -> None:
    """MAP29: the player ran onto a small lift, glided off it while waiting for the ride, and the lift left without
    it, over and over. Waiting beside a lift level with it, the navigator steps onto its nearest node; not onto a
    lift below a ledge, nor when already on it, nor from far away."""
    from types import SimpleNamespace

    from playtest_agent.agents.travel import Status, Traveller

    g = graph()
    lift_floor = {3: 0.0}
    world = SimpleNamespace(sector=lambda s: (lift_floor.get(s, 0.0), 256.0))
    traveller = Traveller(g.nav, g, world, Status(), set())  # type: ignore[arg-type]
    traveller.sector, traveller.z = 0, 0.0
    assert traveller._boarding_spot((3,), 100.0, 120.0) == (100.0, 200.0)
    assert traveller._boarding_spot((1,), 100.0, 120.0) is None, "a door is no lift"
    assert traveller._boarding_spot((3,), 100.0, -100.0) is None, "too far to be waiting beside it"
    traveller.sector = 3
    assert traveller._boarding_spot((3,), 100.0, 190.0) is None, "on it already"
    traveller.sector, lift_floor[3] = 0, 128.0
    assert traveller._boarding_spot((3,), 100.0, 120.0) is None, "up at the ledge: not level with the player"


def test_guarded_lines_are_priced_out_of_routes_until_spent() -> None:
    """MAP28: cutting a corner across a W1 line lowered the bridge a switch had raised. A guarded line's edges cost
    50 000 more in routes; once the player has crossed a line that acts once, it is spent and no longer guarded."""
    from types import SimpleNamespace

    from playtest_agent.agents.travel import GUARDED_LINE_COST, Status, Traveller

    bridge = {"sector": 5, "kind": "floor", "open": {"floor": -64},
              "openers": [{"line": 77, "how": "walk", "node": 0, "key": None, "repeatable": False}]}
    nav = parse_navigation({"version": 1, "map": "MAP01", "skill": 3, "verdict": "completable", "reason": "",
                            "start": {"x": 0, "y": 0, "angle": 0, "node": 0},
                            "nodes": [[0, 0, 0], [100, 0, 0], [200, 0, 5], [300, 0, 0]],
                            "edges": [[0, 1, [0], [77]], [1, 2, [0, 5]], [2, 3, [5, 0]]], "movers": [bridge], "teleports": [],
                            "steps": [{"kind": "exit", "node": 3, "line": 1, "how": "cross"}]})
    crossings: list[int] = []
    traveller = Traveller(nav, NavGraph(nav), SimpleNamespace(crossed_lines=lambda *_: crossings), Status(), set())  # type: ignore[arg-type]
    traveller.guard(frozenset({77}))
    assert traveller._guarded_edges == {("walk", 0, True): GUARDED_LINE_COST, ("walk", 0, False): GUARDED_LINE_COST}
    traveller.crossed(0.0, 0.0, 100.0, 0.0)
    assert traveller.guarded == frozenset({77}), "no line crossed yet"
    crossings.append(77)
    traveller.crossed(0.0, 0.0, 100.0, 0.0)
    assert traveller.spent == {77} and traveller.guarded == frozenset() and traveller._guarded_edges == {}
    traveller.guard(frozenset({77}))
    assert traveller.guarded == frozenset(), "a spent line stays unguarded at the next step"


def test_walk_over_lines_that_would_break_the_plan_ahead_are_guarded() -> None:
    """E4M7: a W1 line beside a switch raises a floor to 8 units under its ceiling, and the way to the red door passes
    beside that floor. A walk-over line no planned walk crosses, whose mover's `open` heights would stop a later
    planned walk (a boundary crossed or a touch), is guarded from the first step to the last one it would break;
    a line the plan crosses itself is not."""
    from types import SimpleNamespace

    from playtest_agent.agents.navigator import NavigatorAgent

    trap = {"sector": 5, "kind": "floor", "open": {"floor": 120},
            "openers": [{"line": 90, "how": "walk", "node": 0, "key": None, "repeatable": False},
                        {"line": 91, "how": "walk", "node": 1, "key": None, "repeatable": False}]}
    nav = parse_navigation({"version": 1, "map": "MAP01", "skill": 3, "verdict": "completable", "reason": "",
                            "start": {"x": 0, "y": 0, "angle": 0, "node": 0},
                            "nodes": [[0, 0, 0], [100, 0, 0], [200, 0, 5], [300, 0, 0]],
                            "edges": [[0, 1, [0], [91]], [1, 2, [0, 5]], [2, 3, [5, 0]]], "movers": [trap], "teleports": [],
                            "steps": [{"kind": "walk", "node": 1, "path": [0, 1]},
                                      {"kind": "walk", "node": 3, "path": [1, 2, 3]},
                                      {"kind": "exit", "node": 3, "line": 1, "how": "cross", "path": [3]}]})
    floor, ceiling = np.zeros(6), np.full(6, 128.0)
    agent = SimpleNamespace(nav=nav, world=SimpleNamespace(rest=Heights(floor, ceiling)))
    breakers = NavigatorAgent._plan_breakers(agent)  # type: ignore[arg-type]
    assert breakers == [frozenset({90}), frozenset({90}), frozenset()], "91 is crossed by the plan; 90 breaks step 1's walk"


def test_a_press_across_a_guarded_line_creeps_up_short_of_it() -> None:
    """E4M7: the switch (line 1, x = -1000) lies behind a W1 line (line 0, x = -944) that seals the way to the red
    door: the walk to the press's spot stops 4 units short of the guarded line, and thrusts only while the glide
    stops short of that point."""
    from types import SimpleNamespace

    from playtest_agent.agents.travel import Status, Traveller

    nav = parse_navigation({"version": 1, "map": "E4M7", "skill": 2, "verdict": "completable", "reason": "",
                            "start": {"x": 0, "y": 0, "angle": 0, "node": 0}, "nodes": [[-900, 2912, 0]], "edges": [],
                            "movers": [], "teleports": [], "steps": [{"kind": "exit", "node": 0, "line": 1, "how": "use"}]})
    lines = {0: (-944.0, 2816.0, -944.0, 3008.0), 1: (-1000.0, 2944.0, -1000.0, 2880.0)}

    def crossed(x0: float, y0: float, x1: float, y1: float) -> list[int]:
        return [line for line, (ax, ay, bx, by) in lines.items() if min(x0, x1) <= ax <= max(x0, x1)]

    world = SimpleNamespace(
        crossed_lines=crossed, front_side=lambda line, x, y: x > -1000.0, sight_clear=lambda *_: True,
        distance_to_line=lambda line, x, y: abs(x - lines[line][0]),
        map=SimpleNamespace(line_count=2, front_normal=lambda line: (1.0, 0.0), x1=[v[0] for v in lines.values()], y1=[v[1] for v in lines.values()],
                            x2=[v[2] for v in lines.values()], y2=[v[3] for v in lines.values()]))
    traveller = Traveller(nav, NavGraph(nav), world, Status(), set())  # type: ignore[arg-type]
    traveller.guarded = frozenset({0})
    assert traveller._short_of([0], -900.0, 2912.0, -968.0, 2912.0) == pytest.approx((-940.0, 2912.0))
    traveller.prev = (-896.0, 2912.0)  # 1 unit a tic west: glides 11 units, 40 short of the stop: walks on
    wish = traveller.press(1, -900.0, 2912.0, tic=100)
    assert wish.move == pytest.approx(180.0) and not wish.use
    traveller.prev = (-905.0, 2912.0)  # 6 units a tic west, 12 short of the stop: the glide would cross, brakes
    wish = traveller.press(1, -928.0, 2912.0, tic=104)
    assert wish.move == pytest.approx(0.0)
    traveller.prev = (-936.0, 2912.0)  # at the stop, within the engine's reach: presses from there
    wish = traveller.press(1, -940.0, 2912.0, tic=108)
    assert wish.move is None


def test_a_teleporters_lines_all_belong_to_a_route_that_takes_it() -> None:
    """A pad's four sides lead to one place: a route teleporting there may cross any of them (none is shunned)."""
    from playtest_agent.agents.travel import Status, Traveller

    nav = parse_navigation({"version": 1, "map": "MAP19", "skill": 2, "verdict": "completable", "reason": "",
                            "start": {"x": 0, "y": 0, "angle": 0, "node": 0},
                            "nodes": [[0, 0, 0], [100, 0, 0], [900, 0, 1], [0, 900, 2]],
                            "edges": [[0, 1, [0], [5]]], "movers": [],
                            "teleports": [[1, 2, 10], [1, 2, 11], [1, 3, 12]],
                            "steps": [{"kind": "exit", "node": 2, "line": 1, "how": "cross"}]})
    traveller = Traveller(nav, NavGraph(nav), None, Status(), set())  # type: ignore[arg-type]
    assert traveller.teleport_lines == {10, 11, 12}
    assert traveller.pad_lines[10] == traveller.pad_lines[11] == {10, 11} and traveller.pad_lines[12] == {12}
    traveller.route = [Leg("walk", 0, 0, 1, True, OK, ()), Leg("teleport", 0, 1, 2, True, OK, ())]
    traveller.leg_index = 0
    assert traveller.route_lines() == {5, 10, 11}
    traveller.leg_index = 1
    assert traveller.route_lines() == {10, 11}


def test_a_teleporter_behind_bars_needs_them_opened() -> None:
    """MAP18: bars (sector 3, floor and ceiling at 640 until a walk-over line lowers them) stand 4 units beyond a pad's
    line: the player's box meets them before its centre crosses the line, so the teleporter needs them open."""
    from types import SimpleNamespace

    from playtest_agent.agents.travel import Status, Traveller

    g = graph(teleports=[[0, 6, 12]])
    # Line 12 joins sectors 0 (front) and 2 (beyond); line 13, 4 units on, is a bar's side (sector 3, a mover).
    m = SimpleNamespace(line_count=14, front=[0] * 12 + [0, 2], back=[-1] * 12 + [2, 3])
    world = SimpleNamespace(map=m, lines_near=lambda line, reach: [13] if line == 12 else [], rest=heights(),
                            front_side=lambda line, x, y: True)
    traveller = Traveller(g.nav, g, world, Status(), set())  # type: ignore[arg-type]
    world.live = heights(s3=(640.0, 640.0))
    assert traveller.teleport_need(0) == (OPEN, (3,))
    world.live = heights(s3=(0.0, 256.0))  # lowered
    assert traveller.teleport_need(0) == (OK, ())
