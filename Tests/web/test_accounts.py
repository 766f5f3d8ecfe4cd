"""Accounts in the browser: sign in, work, sign out; the account page's API keys; the admin's users page."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from conftest import Server, sign_in, signed_in_context, snap
from test_pages import upload_through_page, uploaded_map_id
from wads import FREEDOOM2, extract_map


def invite(server: Server, email: str, role: str, password: str) -> None:
    status, body = server.api("POST", "/api/v1/users", {"email": email, "password": password, "role": role})
    assert status in (201, 409), body


def test_sign_in_upload_start_a_run_and_sign_out(browser: Browser, server: Server, tmp_path):
    invite(server, "designer@example.com", "user", "designer-password")
    context = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # Not signed in: the pages send you to sign in, and back where you were going afterwards.
    page.goto("/runs")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fruns$"))
    page.fill("#email", "designer@example.com")
    page.fill("#password", "not the password")
    page.click("#login-form button[type=submit]")
    expect(page.locator("#sign-in-error")).to_contain_text("wrong")
    snap(page, "20-sign-in-refused")
    sign_in(page, "designer@example.com", "designer-password", "/")
    expect(page.locator(".signed-in")).to_contain_text("designer@example.com (user)")

    upload_through_page(page, tmp_path, "webtest_owned.wad", extract_map(FREEDOOM2, "MAP03", marker="owned-test"))
    expect(page.locator("#upload-status")).to_contain_text("Uploaded", timeout=60_000)
    map_id = uploaded_map_id(server, "webtest_owned")
    status, uploaded = server.api("GET", f"/api/v1/maps/{map_id}")
    assert uploaded["owner"] == "designer@example.com"
    page.goto(f"/maps/{map_id}")
    page.click("#test-details summary")
    page.select_option("#test-agent", "random")
    page.fill("#test-episodes", "1")
    page.fill("#test-episode-time", "2")
    page.click("#test-form button[type=submit]")
    page.wait_for_url(re.compile(r"/runs/test_"))
    run_id = page.url.rsplit("/", 1)[1]
    assert server.api("GET", f"/api/v1/runs/{run_id}")[1]["owner"] == "designer@example.com"
    snap(page, "21-signed-in-run")

    page.click("#sign-out")
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next=%2F$"))
    context.close()


def test_account_page_creates_a_key_shown_once_and_revokes_it(page: Page, server: Server):
    page.goto("/account")
    page.fill("#key-name", "CI pipeline")
    page.click("#new-key-form button[type=submit]")
    key = page.locator("#new-key-value").inner_text().strip()
    assert key.startswith("pt_")
    assert server.api("GET", "/api/v1/runs", key=key)[0] == 200
    snap(page, "22-account-new-key")
    page.goto("/account")
    assert key not in page.content(), "the key is shown once"
    row = page.locator("#api-keys tr", has_text="CI pipeline")
    row.locator("button", has_text="Revoke").click()
    expect(page.locator("#api-keys tr", has_text="CI pipeline")).to_contain_text("revoked")
    assert server.api("GET", "/api/v1/runs", key=key)[0] == 401


def test_admin_invites_a_viewer_who_can_read_but_not_upload(browser: Browser, page: Page, server: Server):
    page.goto("/users")
    page.fill("#invite-email", "reader@example.com")
    page.fill("#invite-password", "reader-password")
    page.select_option("#invite-role", "viewer")
    page.click("#invite-form button[type=submit]")
    expect(page.locator("#users-message")).to_contain_text("Invited reader@example.com as viewer")
    expect(page.locator('#users tr[data-user="reader@example.com"]')).to_contain_text("viewer")
    snap(page, "23-users")

    context = browser.new_context(base_url=server.url)
    reader = context.new_page()
    sign_in(reader, "reader@example.com", "reader-password", "/runs")
    expect(reader.locator("h1")).to_have_text("Runs")
    assert reader.locator('a[href="/users"]').count() == 0, "only admins see the users page"
    reader.goto("/")
    expect(reader.locator("section.upload")).to_be_hidden()
    snap(reader, "24-viewer-library")
    # Hidden is not refused: the server refuses a viewer's upload whatever the page shows.
    status = reader.evaluate("""async () => (await fetch('/api/v1/maps/upload', {method: 'POST', body: new FormData(),
        headers: {'x-csrf-token': document.querySelector('meta[name="csrf-token"]').content}})).status""")
    assert status == 403
    context.close()
