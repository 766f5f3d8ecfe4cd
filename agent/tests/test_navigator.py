"""The navigator plays small built maps to their exit, with the planner's navigation object written by hand."""

from __future__ import annotations

import json
import math
import os
import subprocess
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import planted_maps
from conftest import Run, run_agent
from playtest_agent.agents.navigator import NavigatorAgent
from playtest_agent.agents.steering import navigator_action_set
from playtest_agent.config import parse_config
from playtest_agent.navigation import Expect, Step
from playtest_agent.protocol import Emitter
from playtest_agent.replay import DemoReplayer
from playtest_agent.watchdog import Watchdog

SIXTY_SECONDS = 60 * 35  # tics


def navigator_config(wad: str, navigation: dict[str, Any], tmp_path: Path, **env: Any) -> dict[str, Any]:
    return {"agent": "navigator", "pwads": [wad], "map": "MAP01", "episodes": 1, "seed": 1, "telemetry_every": 1,
            "record_demos": True, "demo_dir": str(tmp_path / "demos"), "navigation": navigation,
            "env": {"episode_timeout": SIXTY_SECONDS, "skill": navigation["skill"], **env}}


def assert_exit_with_proof(run: Run) -> dict[str, Any]:
    """The episode ended at the exit, and its demo replays to the exit on the same tic."""
    assert run.returncode == 0, run.stderr
    end = run.of("episode_end")[0]
    assert end["reason"] == "exit", (end, run.stderr[-2000:])
    assert not end["dead"] and end["tics"] <= SIXTY_SECONDS
    demo = run.of("artifact")[0]
    assert demo["kind"] == "demo" and demo["tic"] == end["tics"]
    replay = demo["replay"]
    assert replay["reached_exit"] and replay["same_tic"] and replay["exit_tic_exact"], replay
    assert replay["replay_exit_tic"] == replay["exit_tic"] == end["tics"] and replay["drift"] is None
    return end


def plan_steps_seen(run: Run) -> list[int]:
    seen: list[int] = []
    for message in run.of("step"):
        step = message["goal"]["step"]
        if not seen or seen[-1] != step:
            seen.append(step)
    return seen


def test_navigator_opens_a_switch_door_takes_the_key_and_opens_the_key_door_within_60_s(tmp_path: Path) -> None:
    wad, navigation = planted_maps.key_and_doors(tmp_path)
    run = run_agent("evaluate", navigator_config(wad, navigation, tmp_path), tmp_path)
    end = assert_exit_with_proof(run)
    assert plan_steps_seen(run) == [0, 1, 2]  # switch, key, exit: in order, none skipped
    goals = [m["goal"] for m in run.of("step")]
    # The blue door is not a step: the navigator opened it as a mover on its route (sector 3).
    assert any(g["mover"] == 3 and g["state"] in ("acting", "waiting") for g in goals)
    assert end["goal"]["kind"] == "exit" and end["goal"]["state"] == "acting"


def planner_binary() -> str | None:
    """The Swift planner (`playtest`): $PLAYTEST_BIN, else a build in the repository."""
    root = Path(__file__).resolve().parents[2]
    for candidate in (os.environ.get("PLAYTEST_BIN"), root / ".build/debug/playtest", root / ".build/release/playtest"):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def planned(wad: str) -> dict[str, Any]:
    """The Swift planner's navigation object for MAP01 of a built WAD, which must be completable."""
    binary = planner_binary()
    assert binary is not None
    out = subprocess.run([binary, "plan", wad, "--map", "MAP01", "--skill", "3", "--format", "navigation"],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    navigation: dict[str, Any] = json.loads(out)
    assert navigation["verdict"] == "completable", navigation["reason"]
    return navigation


@pytest.mark.skipif(planner_binary() is None, reason="no planner binary (set PLAYTEST_BIN or build `playtest`)")
def test_a_switch_that_opens_nothing_is_reported_as_an_unanswered_press(tmp_path: Path) -> None:
    """The same map with the switch tagged to no sector: pressed from in front for 5 s, nothing moves; the
    episode's end names the line, when it was first pressed, where the player stood and faced, and its keys."""
    wad, navigation = planted_maps.key_and_doors(tmp_path, switch_tag=9)
    config = navigator_config(wad, navigation, tmp_path)
    config["env"]["episode_timeout"] = 20 * 35
    run = run_agent("evaluate", config, tmp_path)
    assert run.returncode == 0, run.stderr
    end = run.of("episode_end")[0]
    switch = navigation["steps"][0]["line"]
    presses = end["unanswered_presses"]
    assert [p["line"] for p in presses] == [switch], presses
    press = presses[0]
    assert 0 < press["tic"] < 15 * 35 and press["keys"] == []
    # In front of the switch (x 192-256 on the north wall, y 512), within the engine's reach, facing it.
    off = max(192 - press["x"], 0.0, press["x"] - 256)
    assert press["y"] < 512 and (off ** 2 + (512 - press["y"]) ** 2) ** 0.5 <= 64, press
    # The 64-unit use ray along the recorded facing meets the switch.
    sin, cos = math.sin(math.radians(press["angle"])), math.cos(math.radians(press["angle"]))
    assert sin > 0 and (512 - press["y"]) / sin <= 64, press
    assert 192 <= press["x"] + cos * (512 - press["y"]) / sin <= 256, press


def test_navigator_finishes_the_key_map_as_the_planner_plans_it_within_60_s(tmp_path: Path) -> None:
    # The same built map (switch door, blue key, blue key door, exit switch), but planned by the Swift
    # planner itself: the contract end to end, from the WAD to the proof demo.
    wad, _ = planted_maps.key_and_doors(tmp_path)
    navigation = planned(wad)
    kinds = [step["kind"] for step in navigation["steps"]]
    assert "pickup" in kinds and kinds[-1] == "exit"
    run = run_agent("evaluate", navigator_config(wad, navigation, tmp_path), tmp_path)
    end = assert_exit_with_proof(run)
    assert plan_steps_seen(run) == list(range(len(kinds)))  # every step, in order
    assert end["goal"]["kind"] == "exit"


def test_navigator_rides_a_lift_up(tmp_path: Path) -> None:
    wad, navigation = planted_maps.lift(tmp_path)
    run = run_agent("evaluate", navigator_config(wad, navigation, tmp_path), tmp_path)
    assert_exit_with_proof(run)
    states = {(m["goal"]["state"], m["goal"]["mover"]) for m in run.of("step")}
    assert ("acting", 1) in states and ("waiting", 1) in states  # lowered the lift, then waited on it
    # It stood on the lift (sector 1, x 512..576) while the lift was down, then went up with it.
    assert any(512 < m["x"] < 576 and m["z"] < 64 for m in run.of("step"))
    assert any(512 < m["x"] < 576 and m["z"] >= 128 for m in run.of("step"))


def test_navigator_takes_a_teleporter(tmp_path: Path) -> None:
    wad, navigation = planted_maps.teleporter(tmp_path)
    run = run_agent("evaluate", navigator_config(wad, navigation, tmp_path), tmp_path)
    assert_exit_with_proof(run)
    xs = [m["x"] for m in run.of("step")]
    # Rooms A (x < 576) and B (x > 1024) share no opening: only the teleporter leads from one to the other.
    jump = next(i for i, x in enumerate(xs) if x > 1024)
    assert xs[jump - 1] < 576 and plan_steps_seen(run) == [0, 1]


def test_god_mode_keeps_the_player_alive_and_survives_the_demo_replay(tmp_path: Path) -> None:
    wad, navigation = planted_maps.deadly_corridor(tmp_path)
    mortal = run_agent("evaluate", navigator_config(wad, navigation, tmp_path / "mortal"), tmp_path)
    assert mortal.returncode == 0, mortal.stderr
    end = mortal.of("episode_end")[0]
    assert end["reason"] == "death" and end["x"] < 4864  # the corridor's floor kills an ordinary player
    assert "replay" not in mortal.of("artifact")[0]  # only an exit is replayed

    god = run_agent("evaluate", navigator_config(wad, navigation, tmp_path / "god", god_mode=True), tmp_path)
    end = assert_exit_with_proof(god)  # the replay would die in the corridor if the demo lost god mode
    assert end["damage_taken"] == 0 and end["health"] == 100


def test_every_step_message_says_what_the_navigator_is_doing(tmp_path: Path) -> None:
    wad, navigation = planted_maps.key_and_doors(tmp_path)
    config = navigator_config(wad, navigation, tmp_path)
    config.update(record_demos=False)
    run = run_agent("evaluate", config, tmp_path)
    assert run.returncode == 0, run.stderr
    steps = run.of("step")
    assert steps and all("goal" in m for m in steps)
    kinds = {m["goal"]["kind"] for m in steps}
    assert kinds == {"use", "pickup", "exit"}
    for message in steps:
        goal = message["goal"]
        assert goal["node"] == navigation["steps"][goal["step"]]["node"]
    pressed = {b for m in steps for b in m["buttons"]}
    assert "USE" in pressed and any(b.startswith("TURN_LEFT_RIGHT_DELTA=") for b in pressed)


def test_the_replay_check_tells_a_demo_that_misses_the_exit(tmp_path: Path) -> None:
    wad, navigation = planted_maps.key_and_doors(tmp_path)
    config = navigator_config(wad, navigation, tmp_path)
    config["env"]["episode_timeout"] = 120  # too short for anything but the switch
    run = run_agent("evaluate", config, tmp_path)
    assert run.returncode == 0, run.stderr
    assert [e["reason"] for e in run.of("episode_end")] == ["timeout"]
    demo = run.of("artifact")[0]
    assert "replay" not in demo
    parsed = parse_config(config)
    replayer = DemoReplayer(parsed, Watchdog(Emitter()), navigator_action_set())
    try:
        result = replayer.check(demo["path"], exit_tic=demo["tic"], exit_tic_exact=True)
    finally:
        replayer.close()
    assert not result["reached_exit"] and not result["same_tic"] and result["replay_exit_tic"] is None
    assert result["drift"].startswith("the replay did not reach the exit: the demo ran out")


def test_the_replay_check_tells_a_different_exit_tic(tmp_path: Path) -> None:
    wad, navigation = planted_maps.teleporter(tmp_path)
    config = navigator_config(wad, navigation, tmp_path)
    run = run_agent("evaluate", config, tmp_path)
    demo = run.of("artifact")[0]
    assert demo["replay"]["same_tic"]
    replayer = DemoReplayer(parse_config(config), Watchdog(Emitter()), navigator_action_set())
    try:
        result = replayer.check(demo["path"], exit_tic=demo["tic"] + 3, exit_tic_exact=True)
        approximate = replayer.check(demo["path"], exit_tic=demo["tic"] + 3, exit_tic_exact=False)
        stopped = replayer.check(demo["path"], exit_tic=demo["tic"], exit_tic_exact=True, stop=lambda: True)
    finally:
        replayer.close()
    assert stopped is None  # a SIGTERM stops a replay (of a 10-minute demo) between chunks
    assert result["reached_exit"] and not result["same_tic"]
    assert result["drift"] == f"the replay reached the exit at tic {demo['tic']}, the recording at tic {demo['tic'] + 3}"
    assert approximate["same_tic"]  # within one step of frame_skip (4) tics when the recording is approximate


def test_without_a_plan_the_navigator_still_goes_for_the_exit(tmp_path: Path) -> None:
    # The planner may say "blocked" wrongly: with no steps the navigator tries the map's exit lines,
    # opening what is on the way (here the lift), before it explores.
    wad, navigation = planted_maps.lift(tmp_path)
    exit_line = navigation["steps"][-1]["line"]
    navigation.update(verdict="blocked", reason="(a planner that gave up)", steps=[])
    run = run_agent("evaluate", navigator_config(wad, navigation, tmp_path), tmp_path)
    end = assert_exit_with_proof(run)
    goals = [m["goal"] for m in run.of("step")]
    assert {g["kind"] for g in goals} == {"explore"} and goals[-1]["line"] == exit_line
    assert end["goal"]["node"] == 4


def test_navigator_leaps_over_a_pit(tmp_path: Path) -> None:
    wad, navigation = planted_maps.leap(tmp_path)
    run = run_agent("evaluate", navigator_config(wad, navigation, tmp_path, god_mode=True), tmp_path)
    assert_exit_with_proof(run)
    # Never in the pit (x 512..624, floor -384): over it, the player stays within a fall of 14 of the floors.
    assert all(m["z"] > -24 for m in run.of("step")), [(m["x"], m["z"]) for m in run.of("step") if m["z"] <= -24]
    # The run-up: the player stood still near node 1 (x 348), turned, then crossed in a straight line.
    assert any(m["goal"]["waypoint"] == 2 and abs(m["x"] - 348) < 40 for m in run.of("step"))


@pytest.mark.skipif(planner_binary() is None, reason="no planner binary (set PLAYTEST_BIN or build `playtest`)")
def test_navigator_leaps_over_the_pit_the_planner_plans(tmp_path: Path) -> None:
    # The same map planned by the Swift planner: its leap edge, run-up node and straferun, end to end.
    wad, _ = planted_maps.leap(tmp_path)
    navigation = planned(wad)
    assert navigation["leaps"], "the only way over the pit is a leap"
    assert "running leap" in navigation["steps"][-1]["note"]
    run = run_agent("evaluate", navigator_config(wad, navigation, tmp_path), tmp_path)
    assert_exit_with_proof(run)
    assert all(m["z"] > -24 for m in run.of("step"))


def test_a_key_given_up_on_is_fetched_once_the_exit_is_out_of_reach(tmp_path: Path) -> None:
    wad, navigation = planted_maps.key_around_a_corner(tmp_path)
    config = navigator_config(wad, navigation, tmp_path)
    config["env"]["episode_timeout"] = 2 * SIXTY_SECONDS
    run = run_agent("evaluate", config, tmp_path)
    end = run.of("episode_end")[0] if run.of("episode_end") else None
    assert end is not None and end["reason"] == "exit", (end, plan_steps_seen(run), run.stderr[-2000:])
    assert plan_steps_seen(run) == [0, 1, 2, 0, 2]  # the key given up, then fetched from the exit step


def test_a_lift_step_whose_lift_came_back_up_is_not_gone_back_to() -> None:
    # MAP19 with god mode went back to its lift's step whenever lost, for 200 s: a lift always comes back up.
    agent = NavigatorAgent.__new__(NavigatorAgent)
    agent.returning_movers = [7]  # sector 7 is a lift
    agent.world = SimpleNamespace(sector=lambda sector: (128.0, 256.0))  # every sector at its start heights
    lowered = (Expect(sector=7, floor_at_most=0.0),)
    assert not agent._unfinished(Step(index=1, kind="use", node=0, note="", line=3, expect=lowered))
    door = (Expect(sector=9, ceiling_at_least=300.0),)  # a door that did not open: gone back to
    assert agent._unfinished(Step(index=2, kind="use", node=0, note="", line=4, expect=door))
