"""The live agent view, milestones with their screenshots and the leaderboards page, in a real browser, while the
embedded worker's navigator plays a real map (freedoom2 MAP01) to its exit."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from conftest import Server, snap
from test_pages import upload_through_page, uploaded_map_id
from wads import FREEDOOM2, extract_map

RUN_TIMEOUT_MS = 300_000


def test_live_agent_milestones_and_leaderboards(page: Page, server: Server, tmp_path):
    upload_through_page(page, tmp_path, "webtest_live.wad", extract_map(FREEDOOM2, "MAP01", marker="live-agent"))
    expect(page.locator("#upload-status")).to_contain_text("Uploaded", timeout=60_000)
    map_id = uploaded_map_id(server, "webtest_live")
    status, started = server.api("POST", "/api/v1/testing/start", {
        "map_id": map_id, "map": "MAP01", "agent": "navigator", "episodes": 8, "params": {"god_mode": True, "episode_time": 300}})
    assert status == 202, started
    run_id = started["test_id"]
    page.goto(f"/runs/{run_id}")
    page.evaluate("window.__sameDocument = true")

    # While it plays: the agent's position, decisions and rewards arrive over the WebSocket. A loaded CI box may
    # finish the run before the page has subscribed; then only the stored results below are checked.
    expect(page.locator("#agent-live")).to_be_visible()
    page.wait_for_function(
        "/Position\\s*-?\\d+, -?\\d+/.test(document.querySelector('#agent-stats')?.innerText || '')"
        " || !document.querySelector('#agent-live')", timeout=RUN_TIMEOUT_MS)
    if page.locator("#agent-live").count() > 0:
        expect(page.locator("#agent-decisions li").first).to_contain_text("step", timeout=30_000)
        snap(page, "20-live-agent")
    else:
        print("the run finished before the page saw it play: the live view was not checked")
    assert page.evaluate("window.__sameDocument === true"), "the page reloaded"

    status, live = server.api("GET", f"/api/v1/runs/{run_id}/agent")
    assert status in (200, 404), live  # 404 only once the run has ended and its session expired (not within a test)

    # Finished: the exit milestones, each with the screenshot of that moment.
    expect(page.locator('#run [data-status], .page-header .badge').first).to_have_text("completed", timeout=RUN_TIMEOUT_MS)
    expect(page.locator('#milestones [data-milestone="exit_reached"]')).to_be_visible(timeout=30_000)
    expect(page.locator('#milestones [data-milestone="exit_reached"] img')).to_be_visible(timeout=30_000)
    page.wait_for_function("[...document.querySelectorAll('#milestones img')].every(i => i.complete && i.naturalWidth > 0)")
    # The page re-renders the section when the run's last messages arrive: scroll in one step, not locate-then-scroll.
    page.evaluate("document.querySelector('#milestones-section').scrollIntoView()")
    snap(page, "21-milestones")
    status, body = server.api("GET", f"/api/v1/runs/{run_id}/milestones")
    assert status == 200 and {"exit_reached", "survived_episode"} <= {m["milestone"] for m in body["milestones"]}, body

    # The map's boards and the global ones, on the page and in the API.
    page.goto(f"/leaderboards?map_id={map_id}")
    expect(page.locator(".board").first).to_contain_text("navigator")
    expect(page.locator(".board")).to_have_count(4)
    snap(page, "22-map-leaderboards")
    page.goto("/leaderboards")
    expect(page.locator("#board-milestones")).to_contain_text("navigator")
    page.set_viewport_size({"width": 375, "height": 800})
    snap(page, "23-leaderboards-375")
    status, top = server.api("GET", f"/api/v1/leaderboards/map.{map_id}.fastest_exit?limit=10")
    assert status == 200 and top["records"][0]["owner"] == "navigator" and top["records"][0]["score"] > 0, top

    # The run's agent is recorded as a player of the map (docs/player-progress.md); a human player records progress
    # on the same experience through the game-client API; the map page and the analytics page set them side by side.
    experience = f"{map_id}/MAP01"
    status, versus = server.api("GET", f"/api/v1/progress/analytics/compare?experience={experience}")
    assert status == 200 and versus["agents"]["count"] == 8 and versus["agents"]["finished"] == 8, versus
    sectors = [w["content_id"] for w in versus["waypoints"]]
    assert len(sectors) > 3 and all(s.startswith("sector:") for s in sectors), sectors
    status, appended = server.api("POST", f"/api/v1/progress/events?experience={experience}", {"events": [
        {"event_type": "waypoint_visited", "content_id": sector, "data": {"time_spent": 20, "distance_traveled": 3}}
        for sector in sectors[:3]]})
    assert status == 201 and len(appended["stored"]) == 3, appended
    page.goto(f"/maps/{map_id}?map=MAP01")
    expect(page.locator("#humans-vs-agents")).to_contain_text("8 episodes")
    expect(page.locator("#humans-vs-agents")).to_contain_text("1 player")
    expect(page.locator("#waypoint-reach")).to_contain_text(sectors[0])
    page.evaluate("document.querySelector('#players').scrollIntoView()")
    snap(page, "24-players-and-agents")
    page.get_by_role("link", name="Player analytics for this map").click()
    expect(page.locator("#funnel")).to_be_visible()
    expect(page.locator("#top-waypoints")).to_contain_text(sectors[0])
    snap(page, "25-player-analytics")
    page.set_viewport_size({"width": 375, "height": 800})
    snap(page, "25-player-analytics-375")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "the page scrolls sideways at 375 px"
