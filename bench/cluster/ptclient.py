"""A small asyncio client for a Playtest cluster behind nginx, shared by bench/cluster/loadgen.py (load) and
Tests/chaos/chaos.py (faults). Standard library only, plus the `websockets` package of requirements-dev.txt.

- `HttpClient`: HTTP/1.1 over one keep-alive TLS (or plain) connection, the way a browser tab or an SDK talks to the
  site: one request at a time, the connection reused, reopened when the other side closed it. Bodies are read whole
  (Content-Length, chunked, or until close). Redirects are not followed.
- `Recorder`: one row per request (what, when, how long, status, error) and the figures drawn from them.
- `Api`: the calls the flows make (sign in, upload, start a test run, status, results, pages).
- `Watcher`: a WebSocket subscriber through nginx that reconnects, keeps every message with its arrival time and
  tags its URL with a name (`&client=…`), so nginx's access log says which upstream served it.
- `wad_with_nonce`: a copy of a WAD with one extra lump of random bytes: a different sha256, so the upload is a new
  map rather than a duplicate of an earlier one.
"""

import asyncio
import json
import os
import random
import ssl
import struct
import time
import uuid
from urllib.parse import urlsplit, quote


class HttpError(Exception):
    pass


class Response:
    __slots__ = ("status", "headers", "body")

    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body or b"null")

    def header(self, name, default=None):
        return self.headers.get(name.lower(), default)


class HttpClient:
    """One keep-alive connection. `request` sends one request and reads its whole answer."""

    def __init__(self, base_url, cafile=None, timeout=30.0):
        parts = urlsplit(base_url)
        self.scheme, self.host = parts.scheme, parts.hostname
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.hostport = f"{self.host}:{self.port}"
        self.timeout = timeout
        self.context = None
        if self.scheme == "https":
            self.context = ssl.create_default_context(cafile=cafile) if cafile else ssl.create_default_context()
        self.reader = self.writer = None
        self.connects = 0
        # One request at a time on the connection: two tasks sharing a client (a watcher polling a status while a
        # scenario reads a run's files) would otherwise read each other's answers.
        self.lock = asyncio.Lock()

    async def _connect(self):
        self.reader, self.writer = await asyncio.wait_for(
            asyncio.open_connection(self.host, self.port, ssl=self.context,
                                    server_hostname=self.host if self.context else None, limit=1 << 20),
            self.timeout)
        self.connects += 1

    def close(self):
        if self.writer is not None:
            try:
                self.writer.close()
            except Exception:
                pass
        self.reader = self.writer = None

    async def request(self, method, path, headers=None, body=None, timeout=None, send_rate=None):
        """`send_rate` (bytes/s) paces the body, like a client on a slow link: an upload that is still in flight."""
        async with self.lock:
            return await self._request(method, path, headers, body, timeout, send_rate)

    async def _request(self, method, path, headers, body, timeout, send_rate):
        timeout = timeout or self.timeout
        # A reused connection the other side closed while idle fails before any byte of the answer: send once more
        # on a fresh one, as browsers do. Anything else is the request's own error.
        for attempt in (0, 1):
            fresh = self.writer is None
            if fresh:
                await self._connect()
            try:
                return await asyncio.wait_for(self._exchange(method, path, headers or {}, body, send_rate), timeout)
            except _ClosedBeforeAnswer:
                self.close()
                # Not for a big body (an upload): its answer is the measurement.
                if fresh or attempt == 1 or (body is not None and len(body) > 65536):
                    raise HttpError("connection closed before the answer")
            except asyncio.TimeoutError:
                self.close()
                raise HttpError(f"timeout after {timeout:.0f}s")
            except (OSError, asyncio.IncompleteReadError, ssl.SSLError, HttpError) as error:
                self.close()
                raise HttpError(f"{type(error).__name__}: {error}") from None
        raise HttpError("unreachable")

    async def _exchange(self, method, path, headers, body, send_rate=None):
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.hostport}"]
        if body is not None:
            lines.append(f"Content-Length: {len(body)}")
        for key, value in headers.items():
            lines.append(f"{key}: {value}")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode()
        try:
            self.writer.write(head)
            if body:
                # In slices, so a big upload streams (and a dying server is seen) instead of sitting in one buffer.
                view = memoryview(body)
                slice_size = 1 << 18 if send_rate else 1 << 20
                began = time.monotonic()
                for offset in range(0, len(body), slice_size):
                    self.writer.write(view[offset:offset + slice_size])
                    await self.writer.drain()
                    if send_rate:
                        ahead = (offset + slice_size) / send_rate - (time.monotonic() - began)
                        if ahead > 0:
                            await asyncio.sleep(ahead)
            await self.writer.drain()
        except (ConnectionResetError, BrokenPipeError):
            # The other side may have answered early (a refusal before the whole body) and closed: read it if so.
            pass
        try:
            status_line = await self.reader.readline()
        except (ConnectionResetError, BrokenPipeError):
            raise _ClosedBeforeAnswer()
        if not status_line:
            raise _ClosedBeforeAnswer()
        parts = status_line.decode("latin-1").split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/"):
            raise HttpError(f"bad status line {status_line[:80]!r}")
        status = int(parts[1])
        response_headers = {}
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n"):
                break
            if not line:
                raise HttpError("connection closed in the headers")
            key, _, value = line.decode("latin-1").partition(":")
            response_headers[key.strip().lower()] = value.strip()
        if method == "HEAD" or status in (101, 204, 304) or 100 <= status < 200:
            data = b""
        elif "chunked" in response_headers.get("transfer-encoding", "").lower():
            chunks = []
            while True:
                size_line = await self.reader.readline()
                size = int(size_line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while (await self.reader.readline()) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(await self.reader.readexactly(size))
                await self.reader.readexactly(2)
            data = b"".join(chunks)
        elif "content-length" in response_headers:
            data = await self.reader.readexactly(int(response_headers["content-length"]))
        else:
            data = await self.reader.read()
            self.close()
        if response_headers.get("connection", "").lower() == "close":
            self.close()
        return Response(status, response_headers, data)


class _ClosedBeforeAnswer(Exception):
    pass


def multipart(fields, file_field, filename, content, content_type="application/octet-stream"):
    """(body, content type header) of a multipart/form-data body with text fields and one file."""
    boundary = "----playtest" + uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append((f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
                  f"Content-Type: {content_type}\r\n\r\n").encode())
    parts.append(content)
    parts.append(f"\r\n--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def wad_with_nonce(data, nonce=None):
    """The WAD `data` with one more lump, PTNONCE, holding 16 random bytes, before a rewritten directory."""
    magic, count, offset = struct.unpack_from("<4sii", data, 0)
    if magic not in (b"IWAD", b"PWAD"):
        raise ValueError("not a WAD")
    directory = data[offset:offset + 16 * count]
    lumps_end = offset if offset >= 12 else len(data)
    body = bytearray(data[:lumps_end])
    nonce = nonce or os.urandom(16)
    lump_at = len(body)
    body += nonce
    new_offset = len(body)
    body += directory + struct.pack("<ii8s", lump_at, len(nonce), b"PTNONCE")
    struct.pack_into("<4sii", body, 0, magic, count + 1, new_offset)
    return bytes(body)


class Recorder:
    """Every request as (name, start since t0, seconds, status, error, phase, X-Request-Id of the answer)."""

    def __init__(self):
        self.t0 = time.monotonic()
        self.wall0 = time.time()
        self.rows = []
        self.phase = ""

    def now(self):
        return time.monotonic() - self.t0

    def add(self, name, start, seconds, status, error=None, request_id=None):
        self.rows.append((name, start, seconds, status, error, self.phase, request_id))


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(fraction * (len(ordered) - 1)))))
    return ordered[index]


class Api:
    """The calls of the flows, each recorded under a route name; `expect` lists the statuses that count as success."""

    def __init__(self, base_url, cafile, recorder, token=None, timeout=30.0):
        self.base_url, self.cafile, self.recorder = base_url, cafile, recorder
        self.http = HttpClient(base_url, cafile, timeout)
        self.token = token

    def close(self):
        self.http.close()

    def auth(self, extra=None):
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        headers.update(extra or {})
        return headers

    async def call(self, name, method, path, headers=None, body=None, expect=(200,), timeout=None, send_rate=None):
        start = self.recorder.now()
        started = time.monotonic()
        try:
            response = await self.http.request(method, path, headers, body, timeout, send_rate)
        except HttpError as error:
            self.recorder.add(name, start, time.monotonic() - started, 0, str(error))
            return None
        error = None if response.status in expect else f"HTTP {response.status}: {response.body[:200]!r}"
        self.recorder.add(name, start, time.monotonic() - started, response.status, error,
                          response.header("x-request-id"))
        return response

    async def login(self, email, password):
        body = json.dumps({"email": email, "password": password}).encode()
        response = await self.call("POST /auth/login", "POST", "/api/v1/auth/login",
                                   {"Content-Type": "application/json"}, body)
        if response is not None and response.status == 200:
            self.token = response.json()["access_token"]
            return True
        return False

    async def get(self, name, path, expect=(200,), accept="application/json", timeout=None):
        return await self.call(name, "GET", path, self.auth({"Accept": accept}), expect=expect, timeout=timeout)

    async def post_json(self, name, path, payload, expect=(200,)):
        return await self.call(name, "POST", path, self.auth({"Content-Type": "application/json"}),
                               json.dumps(payload).encode(), expect)

    async def upload(self, filename, content, name=None, expect=(200, 201), timeout=120.0, label="POST /maps/upload",
                     send_rate=None):
        body, content_type = multipart({"name": name or filename}, "file", filename, content)
        return await self.call(label, "POST", "/api/v1/maps/upload", self.auth({"Content-Type": content_type}),
                               body, expect, timeout, send_rate)

    async def start_test(self, map_id, episodes=1, episode_time=2, seed=None, agent="random", extra=None):
        params = {"episode_time": episode_time, "seed": seed if seed is not None else random.randint(1, 10_000)}
        params.update(extra or {})
        response = await self.post_json("POST /testing/start", "/api/v1/testing/start",
                                        {"map_id": map_id, "agent": agent, "episodes": episodes, "params": params},
                                        expect=(202,))
        if response is not None and response.status == 202:
            self.last_start = response.json()
            return self.last_start["test_id"]
        return None


FINAL = {"completed", "failed", "stopped"}


class Watcher:
    """A WebSocket through nginx: /ws?run_id=…&client=NAME&access_token=…. Keeps every message with the time it came
    (recorder clock), reconnects after a close (with the URL's subscription: a subscribe message right after the
    handshake may be dropped by the server), and counts its connections and the gaps between them."""

    def __init__(self, name, ws_base, cafile, token_source, run_id, recorder, reconnect=True):
        self.name, self.ws_base, self.cafile = name, ws_base, cafile
        self.token_source, self.run_id, self.recorder = token_source, run_id, recorder
        self.reconnect = reconnect
        self.messages = []          # (t, message dict)
        self.connections = []       # (t_connected, t_closed or None, why)
        self.subscribed_at = []     # t of each `subscribed`
        self.task = None
        self.stopping = False
        self.connected = asyncio.Event()

    def url(self):
        return (f"{self.ws_base}/ws?run_id={quote(self.run_id, safe='*_')}&client={self.name}"
                f"&access_token={self.token_source()}")

    def start(self):
        self.task = asyncio.ensure_future(self._run())
        return self

    async def stop(self):
        self.stopping = True
        if self.task:
            self.task.cancel()
            try:
                await self.task
            except (asyncio.CancelledError, Exception):
                pass

    def final_seen(self):
        for _, message in self.messages:
            kind = message.get("type")
            if kind == "subscribed" and message.get("status") in FINAL:
                return True
            if kind in ("testing_completed", "run_failed", "run_stopped"):
                return True
            if kind == "run_status" and message.get("status") in FINAL:
                return True
        return False

    async def _run(self):
        from websockets.asyncio.client import connect
        context = ssl.create_default_context(cafile=self.cafile) if self.ws_base.startswith("wss") else None
        delay = 0.2
        while not self.stopping:
            opened = None
            try:
                async with connect(self.url(), ssl=context, open_timeout=10, ping_interval=5, ping_timeout=10,
                                   close_timeout=2, max_size=None) as connection:
                    opened = self.recorder.now()
                    self.connections.append([opened, None, ""])
                    delay = 0.2
                    async for text in connection:
                        message = json.loads(text)
                        now = self.recorder.now()
                        self.messages.append((now, message))
                        if message.get("type") == "subscribed":
                            self.subscribed_at.append(now)
                            self.connected.set()
                why = "closed by the server"
            except asyncio.CancelledError:
                if opened is not None:
                    self.connections[-1][1:] = [self.recorder.now(), "stopped"]
                raise
            except Exception as error:  # noqa: BLE001 - every failure is a reconnect
                why = f"{type(error).__name__}: {error}"[:200]
            if opened is not None:
                self.connections[-1][1:] = [self.recorder.now(), why]
            else:
                self.connections.append([self.recorder.now(), self.recorder.now(), "connect failed: " + why])
            self.connected.clear()
            if not self.reconnect or self.stopping:
                return
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)


def nginx_ws_upstreams(access_log):
    """{client name: [upstream address of each of its /ws connections, in log order]} from nginx's access log."""
    import re
    # `upstream=A, B` when nginx tried A (refused: a dead server) and then B: B is the one that served.
    pattern = re.compile(r'"GET /ws\?[^"]*client=([A-Za-z0-9_.-]+)[^"]*" (\d+) .* upstream=(.*?) upstream_status=')
    found = {}
    try:
        with open(access_log, errors="replace") as handle:
            for line in handle:
                match = pattern.search(line)
                if match:
                    served = match.group(3).split(", ")[-1].strip()
                    found.setdefault(match.group(1), []).append((served, match.group(2)))
    except FileNotFoundError:
        pass
    return found
