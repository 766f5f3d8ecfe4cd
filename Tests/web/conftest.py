"""Starts a real `playtest serve` (the debug binary `swift build` made) on a temporary data folder
and a free port, and a headless Debian Chromium driven by Playwright. Every test's page fails the
test on a console error or a failed request; screenshots go to test-artifacts/web/."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, Request, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "web"
BINARY = Path(os.environ.get("PLAYTEST_BINARY", ROOT / ".build" / "debug" / "playtest"))
CHROMIUM = os.environ.get("PLAYTEST_CHROMIUM", "/usr/bin/chromium")
# The administrator serve creates from the environment; the tests sign in as them.
ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "web-tests-admin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, url: str, process: subprocess.Popen, data: Path, log: Path):
        self.url = url
        self.process = process
        self.data = data
        self.log = log
        # The administrator's API key, made once the server is up; the API calls of the tests send it.
        self.api_key: str | None = None
        # The browser's signed-in state (the session cookie), for every test page's context.
        self.storage_state: dict | None = None

    def api(self, method: str, path: str, body: dict | None = None, key: str | None = None) -> tuple[int, dict]:
        data = None if body is None else json.dumps(body).encode()
        headers = {"content-type": "application/json"} if data else {}
        if key or self.api_key:
            headers["x-api-key"] = key or self.api_key
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else {}
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def wait_for(self, predicate, timeout: float, what: str):
        """Polls `predicate` (a condition on the server, not a timing) until it holds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(0.25)
        raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}; server log: {self.log}")


@pytest.fixture(scope="session")
def server() -> Server:
    if not BINARY.exists():
        pytest.fail(f"{BINARY} is missing: run `swift build` first (or set PLAYTEST_BINARY)")
    data = Path(tempfile.mkdtemp(prefix="playtest-web-"))
    port = free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = ARTIFACTS / "server.log"
    env = dict(os.environ, PLAYTEST_DATA_DIR=str(data), PORT=str(port), HOST="127.0.0.1", LOG_LEVEL="info",
               PLAYTEST_ADMIN_EMAIL=ADMIN_EMAIL, PLAYTEST_ADMIN_PASSWORD=ADMIN_PASSWORD)
    for key in ("DATABASE_URL", "REDIS_URL", "S3_ENDPOINT", "S3_BUCKET"):
        env.pop(key, None)
    with open(log, "w") as out:
        process = subprocess.Popen([str(BINARY), "serve", "--port", str(port), "--workers", "1"], cwd=ROOT, env=env,
                                   stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    instance = Server(url, process, data, log)
    try:
        def healthy():
            if process.poll() is not None:
                raise AssertionError(f"playtest serve exited with {process.returncode}; see {log}")
            try:
                with urllib.request.urlopen(url + "/api/v1/health", timeout=5) as response:
                    return response.status == 200
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                return False
        instance.wait_for(healthy, 60, "the server to answer /api/v1/health")
        status, tokens = instance.api("POST", "/api/v1/auth/login", {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
        assert status == 200, tokens
        request = urllib.request.Request(instance.url + "/api/v1/api-keys", data=json.dumps({"name": "web tests"}).encode(), method="POST",
                                         headers={"content-type": "application/json", "authorization": f"Bearer {tokens['access_token']}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            instance.api_key = json.loads(response.read())["key"]
        # serve adds VizDoom's scenario maps to the library in the background; the tests use them.
        def seeded():
            status, body = instance.api("GET", "/api/v1/maps?limit=500")
            return status == 200 and any(m["filename"] == "defend_the_center.wad" for m in body["maps"])
        instance.wait_for(seeded, 120, "the built-in scenario maps")
        yield instance
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="session")
def playwright_instance() -> Playwright:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright, server: Server) -> Browser:
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                  args=["--no-sandbox", "--disable-gpu"])
    # Sign in once through the sign-in page; every test's context starts with that session.
    context = browser.new_context(base_url=server.url)
    page = context.new_page()
    sign_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    server.storage_state = context.storage_state()
    context.close()
    yield browser
    browser.close()


def sign_in(page: Page, email: str, password: str, next_path: str = "/"):
    """Signs in through the page, as a person does."""
    page.goto(f"/login?next={next_path}")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"**{next_path}")


def signed_in_context(browser: Browser, server: Server, **options):
    """A browser context that starts signed in as the administrator."""
    return browser.new_context(base_url=server.url, storage_state=server.storage_state, **options)


class PageProblems:
    """Console errors and failed requests seen by a page; `allow` takes patterns a test expects."""

    def __init__(self):
        self.problems: list[str] = []
        self.allowed: list[re.Pattern] = []

    def allow(self, pattern: str):
        self.allowed.append(re.compile(pattern))

    def add(self, text: str):
        if not any(pattern.search(text) for pattern in self.allowed):
            self.problems.append(text)


@pytest.fixture
def problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def page(browser: Browser, server: Server, problems: PageProblems, request) -> Page:
    context = signed_in_context(browser, server, viewport={"width": 1280, "height": 900})
    page = context.new_page()

    def on_console(message: ConsoleMessage):
        if message.type == "error":
            problems.add(f"console error: {message.text} ({message.location.get('url', '')})")

    def on_failed(failed: Request):
        # Navigating away aborts in-flight requests (e.g. lazy thumbnails); that is not a failure.
        if failed.failure and "ERR_ABORTED" in failed.failure:
            return
        problems.add(f"request failed: {failed.method} {failed.url}: {failed.failure}")

    def on_response(response):
        if response.status >= 400:
            problems.add(f"HTTP {response.status}: {response.request.method} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.add(f"page error: {error}"))
    page.on("requestfailed", on_failed)
    page.on("response", on_response)
    yield page
    context.close()
    assert not problems.problems, "the page logged problems:\n" + "\n".join(problems.problems)


def snap(page: Page, name: str):
    """Saves a full-page screenshot as a CI artifact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
