"""A WebSocket client for the cluster smoke test (Tests/cluster/smoke.sh).

    ws_client.py URL CA_CERT READY_FILE TIMEOUT_SECONDS

Connects to URL (wss://…/ws?run_id=*&access_token=…: every run's status changes) verifying the server with CA_CERT,
touches READY_FILE once the server has answered `subscribed`, then prints every message it receives as one JSON line
until a run reaches a final status (completed, failed, stopped) or TIMEOUT_SECONDS pass. Exit status 0 when it saw
such a status, 1 otherwise.

The subscription is in the URL rather than a `subscribe` message on purpose: a message sent right after the
handshake is sometimes dropped by the server (a few percent of connections, no answer at all), which would make this
test flaky for a reason that is not the cluster's.

Uses the `websockets` package (its asyncio client) when it is installed, else a minimal client on a raw TLS socket.
"""

import asyncio
import base64
import json
import os
import socket
import ssl
import struct
import sys
import time
from urllib.parse import urlsplit

FINAL = {"completed", "failed", "stopped"}


def is_final(message):
    kind = message.get("type")
    if kind == "run_status":
        return message.get("status") in FINAL
    return kind in ("testing_completed", "run_failed", "run_stopped")


class RawClient:
    """Just enough of RFC 6455 to listen: the handshake, unfragmented server frames, pongs to pings."""

    def __init__(self, url, context, timeout):
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port or 443
        raw = socket.create_connection((host, port), timeout=timeout)
        self.sock = context.wrap_socket(raw, server_hostname=host)
        key = base64.b64encode(os.urandom(16)).decode()
        path = parts.path + ("?" + parts.query if parts.query else "")
        request = (
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("closed during the handshake")
            head += chunk
        head, self.buffer = head.split(b"\r\n\r\n", 1)
        status = head.split(b"\r\n", 1)[0].decode()
        if " 101 " not in status + " ":
            raise ConnectionError(f"handshake answered {status!r}")

    def _read(self, count):
        while len(self.buffer) < count:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def recv(self, timeout):
        self.sock.settimeout(timeout)
        while True:
            first, second = self._read(2)
            opcode, length = first & 0x0F, second & 0x7F
            if length == 126:
                length = struct.unpack("!H", self._read(2))[0]
            elif length == 127:
                length = struct.unpack("!Q", self._read(8))[0]
            payload = self._read(length)
            if opcode == 0x8:
                raise ConnectionError("server closed the connection")
            if opcode == 0x9:  # ping: answer with a masked pong
                mask = os.urandom(4)
                self.sock.sendall(bytes([0x8A, 0x80 | len(payload)]) + mask
                                  + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
                continue
            if opcode in (0x1, 0x2):
                return payload.decode()

    def close(self):
        self.sock.close()


class Listener:
    """Prints each message as a JSON line, marks readiness at `subscribed`, and says when a run has ended."""

    def __init__(self, ready_file):
        self.ready_file = ready_file

    def handle(self, text):
        message = json.loads(text)
        print(json.dumps(message), flush=True)
        if message.get("type") == "subscribed":
            open(self.ready_file, "w").close()
        return is_final(message)


async def listen_websockets(url, context, listener, deadline):
    # The asyncio client, not websockets.sync: on this machine under CPU load the sync client now and then (2 of 150
    # tries) never sent its handshake request over TLS (nginx: "client closed connection while waiting for request");
    # the asyncio client and the raw one did not, in 300 tries each.
    try:
        from websockets.asyncio.client import connect
    except ImportError:  # websockets < 13
        from websockets import connect
    async with connect(url, ssl=context, open_timeout=10) as connection:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return 1
            try:
                text = await asyncio.wait_for(connection.recv(), remaining)
            except asyncio.TimeoutError:
                return 1
            if listener.handle(text):
                return 0


def listen_raw(url, context, listener, deadline):
    client = RawClient(url, context, 10)
    try:
        while time.monotonic() < deadline:
            try:
                text = client.recv(timeout=max(0.1, deadline - time.monotonic()))
            except (TimeoutError, socket.timeout):
                break
            if listener.handle(text):
                return 0
    finally:
        client.close()
    return 1


def main():
    url, ca_cert, ready_file, limit = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    context = ssl.create_default_context(cafile=ca_cert)
    deadline = time.monotonic() + limit
    listener = Listener(ready_file)
    try:
        import websockets
    except ImportError:
        print(json.dumps({"client": "raw socket"}), flush=True)
        return listen_raw(url, context, listener, deadline)
    print(json.dumps({"client": "websockets " + websockets.__version__}), flush=True)
    return asyncio.run(listen_websockets(url, context, listener, deadline))


if __name__ == "__main__":
    sys.exit(main())
