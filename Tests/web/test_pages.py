"""The web app in a real browser (headless Debian Chromium through Playwright) against a real
`playtest serve` with its embedded worker playing real VizDoom runs."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from conftest import ARTIFACTS, Server, signed_in_context, snap
from wads import FREEDOOM2, blank_middle_textures, extract_map

RUN_TIMEOUT_MS = 240_000


def upload_through_page(page: Page, tmp_path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    page.goto("/")
    page.set_input_files("#upload-file", str(path))
    page.click("#upload-form button[type=submit]")


def uploaded_map_id(server: Server, name: str) -> str:
    status, body = server.api("GET", "/api/v1/maps?limit=500")
    assert status == 200, body
    return next(m["id"] for m in body["maps"] if m["name"] == name)


def test_upload_a_wad_through_the_page(page: Page, server: Server, tmp_path):
    upload_through_page(page, tmp_path, "webtest_map01.wad", extract_map(FREEDOOM2, "MAP01", marker="upload-test"))
    expect(page.locator("#upload-status")).to_contain_text("Uploaded webtest_map01", timeout=60_000)
    expect(page.locator("#upload-progress")).to_have_js_property("value", 100)
    card = page.locator(".map-card", has_text="webtest_map01")
    expect(card).to_be_visible()
    expect(card.locator('[data-count="maps"]')).to_have_text("1")
    snap(page, "01-maps-library")


def test_a_bad_file_shows_the_server_message_inline(page: Page, problems, tmp_path):
    problems.allow(r"422")  # the refusal itself is the expected answer
    upload_through_page(page, tmp_path, "notes.wad", b"this is not a WAD file at all")
    status = page.locator("#upload-status")
    expect(status).to_contain_text("refused", timeout=30_000)
    expect(status).to_contain_text("not a usable WAD")
    expect(status).to_have_class(re.compile("error"))
    snap(page, "02-upload-refused")


def test_map_page_test_run_live_to_results_and_screenshot(page: Page, server: Server, tmp_path):
    upload_through_page(page, tmp_path, "webtest_run.wad", extract_map(FREEDOOM2, "MAP01", marker="run-test"))
    expect(page.locator("#upload-status")).to_contain_text("Uploaded", timeout=60_000)
    map_id = uploaded_map_id(server, "webtest_run")
    page.goto(f"/maps/{map_id}")
    expect(page.locator("h1")).to_contain_text("MAP01")
    expect(page.locator(".map-canvas svg")).to_be_visible()
    # Layer toggles hide their layer.
    page.uncheck('[data-layer="things"]')
    expect(page.locator(".map-canvas #things")).to_be_hidden()
    page.check('[data-layer="things"]')
    # A finding highlights on the map when clicked.
    if page.locator(".finding-link").count() > 0:
        page.locator(".finding-link").first.click()
        expect(page.locator(".map-canvas .highlight")).to_have_count(1)
    # The planner's verdict arrives after the page has loaded, with the route drawn on a picture of the map.
    expect(page.locator("#progression .verdict-summary")).to_contain_text(re.compile("finished|Undecided"), timeout=60_000)
    page.wait_for_function("document.querySelector('#progression img').complete && document.querySelector('#progression img').naturalWidth > 0")
    snap(page, "03-map-detail")

    page.click("#test-details summary")
    page.select_option("#test-agent", "explorer")
    page.fill("#test-episodes", "1")
    page.fill("#test-episode-time", "8")
    page.click("#test-form button[type=submit]")
    page.wait_for_url(re.compile(r"/runs/test_"))
    # A marker that a reload would wipe: the bar must reach 100% on this same document.
    page.evaluate("window.__sameDocument = true")
    expect(page.locator("#run-progress")).to_have_js_property("value", 100, timeout=RUN_TIMEOUT_MS)
    assert page.evaluate("window.__sameDocument === true"), "the page reloaded"
    expect(page.locator('#run [data-status], .page-header .badge').first).to_have_text("completed", timeout=60_000)
    snap(page, "04-test-run-completed")

    # The results.
    expect(page.locator("#episodes tbody tr")).to_have_count(1, timeout=30_000)
    expect(page.locator("#aggregate")).to_contain_text("Mean kills")
    # The run's verdict on the map: finished with a proof, or where and why it stopped.
    expect(page.locator("#completion .verdict-badge")).to_have_text(re.compile("finished|not finished|blocked"))
    expect(page.locator("#kills-chart svg")).to_be_visible()
    expect(page.locator("#health-chart svg")).to_be_visible()
    # A screenshot opens in the modal viewer.
    shot = page.locator("a[data-screenshot]").first
    expect(shot).to_be_visible(timeout=30_000)
    shot.click()
    dialog = page.locator("#shot-viewer")
    expect(dialog).to_be_visible()
    page.wait_for_function("document.querySelector('#shot-image').complete && document.querySelector('#shot-image').naturalWidth > 0")
    snap(page, "05-screenshot-modal")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    # The episode's colour video, made by the worker after the run: it loads, and a moment on its timeline (when the
    # episode has one) seeks the video and rings the place on the map.
    run_id = page.url.split("/runs/")[1].split("?")[0].split("#")[0]

    def evidence_made():
        status, body = server.api("GET", f"/api/v1/runs/{run_id}/evidence")
        return status == 200 and body["episodes"] and body["episodes"][0]["state"] != "pending" and body["episodes"][0]
    episode = server.wait_for(evidence_made, 120, "the run's evidence")
    assert episode["state"] == "made", episode
    page.reload()
    video = page.locator("#episode-video")
    expect(video).to_be_visible()
    page.wait_for_function("document.querySelector('#episode-video').readyState >= 1 && document.querySelector('#episode-video').duration > 5")
    expect(page.locator("#frames img").first).to_be_visible()
    if episode["markers"]:
        page.locator("#video-markers button").last.click()
        page.wait_for_function(f"Math.abs(document.querySelector('#episode-video').currentTime - {episode['markers'][-1]['seconds']}) < 0.5")
        expect(page.locator("#run-map .highlight")).to_have_count(1)
    page.locator("#episode-video-panel").scroll_into_view_if_needed()
    snap(page, "05b-episode-video")

    page.goto("/runs")
    expect(page.locator("#runs-table")).to_contain_text("completed")
    snap(page, "06-runs-list")


def test_stop_a_training_run_from_its_page(page: Page, server: Server):
    status, body = server.api("GET", "/api/v1/maps?limit=500")
    scenario = next(m for m in body["maps"] if m.get("scenario") and "defend_the_center" in m["scenario"])
    status, started = server.api("POST", "/api/v1/training/start", {
        "map_id": scenario["id"], "map": scenario["maps"][0]["name"], "max_iterations": 1_000_000,
        "action_combinations": "turn_lr;attack", "params": {},
    })
    assert status == 202, started
    run_id = started["training_id"]
    page.goto(f"/runs/{run_id}")
    stop = page.locator("button[data-stop]")
    expect(stop).to_be_enabled()
    # Stop once it runs, so the agent has to be wound down, not just dequeued.
    server.wait_for(lambda: server.api("GET", f"/api/v1/training/{run_id}/status")[1].get("status") == "running", 120, "the run to start")
    # Live: the iteration moves without a reload; after a reload mid-run the page still shows it.
    text = page.locator("#progress-text")
    expect(text).not_to_contain_text("iteration 0 of", timeout=180_000)
    page.reload()
    expect(text).not_to_contain_text("iteration 0 of")
    expect(page.locator("#run-progress")).not_to_have_js_property("value", 0)
    stop = page.locator("button[data-stop]")
    stop.click()
    badge = page.locator(f'.page-header [data-run-badge="{run_id}"]')
    expect(badge).to_have_text("stopped", timeout=60_000)
    expect(page.locator("button[data-stop]")).to_have_count(0, timeout=30_000)
    expect(page.locator("#checkpoints tbody tr").first).to_contain_text("final", timeout=30_000)
    snap(page, "07-training-stopped")

    # Its final checkpoint can be tested from here; that test run can be stopped from its page too.
    page.locator("#checkpoints button[data-test-checkpoint]").first.click()
    page.wait_for_url(re.compile(r"/runs/test_"))
    test_id = page.url.rsplit("/", 1)[1]
    expect(page.locator("#run-facts")).to_contain_text("dqn")
    page.locator("button[data-stop]").click()
    expect(page.locator(f'.page-header [data-run-badge="{test_id}"]')).to_have_text(re.compile("stopped|completed"), timeout=60_000)
    snap(page, "07b-checkpoint-test-stopped")


def test_workers_and_queue_page(page: Page):
    page.goto("/workers")
    expect(page.locator("#workers tbody tr").first).to_contain_text("alive")
    expect(page.locator("#queue-depth li")).to_have_count(6)
    snap(page, "08-workers")


def test_pages_read_without_javascript(browser, server: Server):
    context = signed_in_context(browser, server, java_script_enabled=False, viewport={"width": 768, "height": 900})
    page = context.new_page()
    page.goto("/")
    assert page.locator(".map-card").count() > 0
    first = page.locator(".map-card h3 a").first
    first.click()
    expect(page.locator("#map-stats")).to_be_visible()  # the map page may still be loading after the click
    assert page.locator(".map-canvas svg").count() == 1
    page.goto("/runs")
    assert page.locator("h1").inner_text() == "Runs"
    page.goto("/runs/test_does_not_exist")
    assert page.locator(".failure").is_visible()
    assert "no run" in page.locator(".failure-message").inner_text()
    page.goto("/")
    page.screenshot(path=str(ARTIFACTS / "09-maps-768px-no-js.png"), full_page=True)
    # No horizontal scrolling at 768 px.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    context.close()


def finished_test_runs(server: Server) -> list[str]:
    status, body = server.api("GET", "/api/v1/runs?kind=testing&status=completed&limit=50")
    assert status == 200, body
    return [run["id"] for run in body["runs"]]


def test_compare_two_test_runs(page: Page, server: Server):
    status, body = server.api("GET", "/api/v1/maps?limit=500")
    basic = next(m for m in body["maps"] if m["filename"] == "basic.wad")
    for _ in range(2):
        status, started = server.api("POST", "/api/v1/testing/start", {
            "map_id": basic["id"], "map": "MAP01", "agent": "random", "episodes": 2, "params": {"episode_time": 2}})
        assert status == 202, started
        run_id = started["test_id"]
        server.wait_for(lambda: server.api("GET", f"/api/v1/testing/{run_id}/status")[1]["status"] in ("completed", "failed"),
                        120, f"{run_id} to finish")
    ids = finished_test_runs(server)[:2]
    page.goto("/runs?kind=testing")
    submit = page.locator("#compare-submit")
    expect(submit).to_be_disabled()
    for run_id in ids:
        page.check(f"#cmp-{run_id}")
    expect(submit).to_be_enabled()
    snap(page, "10-runs-compare-selection")
    submit.click()
    page.wait_for_url(re.compile(r"/runs/compare\?"))
    expect(page.locator("#compare-table thead th")).to_have_count(3)
    expect(page.locator("#compare-chart svg rect")).not_to_have_count(0)
    snap(page, "11-compare")


def test_keyboard_opens_the_test_form(page: Page, server: Server):
    status, body = server.api("GET", "/api/v1/maps?limit=500")
    basic = next(m for m in body["maps"] if m["filename"] == "basic.wad")
    page.goto(f"/maps/{basic['id']}")
    page.focus("#test-details summary")
    page.keyboard.press("Enter")
    expect(page.locator("#test-agent")).to_be_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "test-agent"
    # The map canvas takes keyboard zoom.
    before = page.get_attribute(".map-canvas svg", "viewBox")
    page.focus(".map-canvas")
    page.keyboard.press("+")
    assert page.get_attribute(".map-canvas svg", "viewBox") != before


def test_dark_theme_and_narrow_layouts(browser, server: Server, problems):
    context = signed_in_context(browser, server, color_scheme="dark", viewport={"width": 768, "height": 1000})
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and problems.add(message.text))
    runs = finished_test_runs(server)
    status, body = server.api("GET", "/api/v1/maps?limit=500")
    basic = next(m for m in body["maps"] if m["filename"] == "basic.wad")
    pages = {"maps": "/", "map": f"/maps/{basic['id']}", "runs": "/runs", "workers": "/workers", "statistics": "/analysis",
             "account": "/account", "users": "/users"}
    if runs:
        pages["run"] = f"/runs/{runs[0]}"
    maps = [m["id"] for m in body["maps"][:3]]
    pages["compare"] = "/analysis/compare?kind=maps&" + "&".join(f"id={m}" for m in maps)
    for width in (1280, 768, 375):
        page.set_viewport_size({"width": width, "height": 1000})
        for name, path in pages.items():
            page.goto(path)
            background = page.evaluate("getComputedStyle(document.body).backgroundColor")
            assert background == "rgb(22, 23, 26)", f"{path} is not dark: {background}"
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{path} at {width} px scrolls sideways by {overflow} px"
            page.screenshot(path=str(ARTIFACTS / f"12-dark-{width}-{name}.png"), full_page=True)
    context.close()
    assert not problems.problems, problems.problems


def test_drop_a_wad_then_delete_it_with_confirmation(page: Page, server: Server):
    data = extract_map(FREEDOOM2, "MAP02", marker="drop-test")
    page.goto("/")
    # A real drop event carrying the file, as a drag from the desktop delivers it.
    page.evaluate("""bytes => {
        const file = new File([new Uint8Array(bytes)], 'dropped_map02.wad', {type: 'application/octet-stream'});
        const transfer = new DataTransfer();
        transfer.items.add(file);
        const zone = document.querySelector('#dropzone');
        zone.dispatchEvent(new DragEvent('dragenter', {dataTransfer: transfer, bubbles: true}));
        zone.dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true}));
    }""", list(data))
    expect(page.locator("#upload-status")).to_contain_text("Uploaded dropped_map02", timeout=60_000)
    card = page.locator(".map-card", has_text="dropped_map02")
    expect(card).to_be_visible()
    map_id = card.get_attribute("data-map-id")

    messages = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.dismiss()))
    card.locator("button[data-delete-map]").click()
    expect(card).to_be_visible()  # dismissed: nothing deleted
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    card.locator("button[data-delete-map]").click()
    expect(card).to_have_count(0)
    assert all("Delete dropped_map02?" in message for message in messages) and len(messages) == 2
    assert server.api("GET", f"/api/v1/maps/{map_id}")[0] == 404


def test_runs_list_shows_new_runs_and_their_status_live(page: Page, server: Server):
    status, body = server.api("GET", "/api/v1/maps?limit=500")
    basic = next(m for m in body["maps"] if m["filename"] == "basic.wad")
    page.goto("/runs")
    page.evaluate("window.__sameDocument = true")
    status, started = server.api("POST", "/api/v1/testing/start", {
        "map_id": basic["id"], "map": "MAP01", "agent": "random", "episodes": 1, "params": {"episode_time": 2}})
    assert status == 202, started
    badge = page.locator(f'[data-run-badge="{started["test_id"]}"]')
    expect(badge).to_have_text("completed", timeout=120_000)
    assert page.evaluate("window.__sameDocument === true"), "the page reloaded"


def test_bug_dashboard_finding_page_and_triage(page: Page, server: Server, tmp_path):
    upload_through_page(page, tmp_path, "webtest_bugs.wad", blank_middle_textures(extract_map(FREEDOOM2, "MAP01", marker="bugs"), 2))
    expect(page.locator("#upload-status")).to_contain_text("Uploaded", timeout=60_000)
    map_id = uploaded_map_id(server, "webtest_bugs")
    page.goto(f"/bugs?map_id={map_id}")
    rows = page.locator("#bugs-table tbody tr", has_text="missing_texture")
    expect(rows.first).to_be_visible()  # two sidedefs blanked; lines sharing them show the defect too
    expect(page.locator("#bug-counts")).to_contain_text("Error")
    snap(page, "20-bug-dashboard")
    rows.first.locator("a").click()
    page.wait_for_url(re.compile(r"/bugs/fnd_"))
    expect(page.locator("#bug-map svg")).to_be_visible()
    page.select_option("#triage-status", "confirmed")
    page.fill("#triage-comment", "A hall of mirrors on the first wall.")
    page.click("#triage-form button[type=submit]")
    expect(page.locator("#comments")).to_contain_text("A hall of mirrors on the first wall.", timeout=10_000)
    expect(page.locator("#bug-stats")).to_contain_text("confirmed (by admin@example.com)")
    snap(page, "21-bug-triaged")
    page.goto(f"/bugs?map_id={map_id}&status=confirmed")
    expect(page.locator("#bugs-table tbody tr")).to_have_count(1)
