"""One agent session's Redis memory with every bounded key filled to its cap (docs/live-state.md, AgentLiveKeys.Bounds).

Copies a real session's keys to scratch keys and pads the bounded ones the way the worker fills them: `:locations` to
1,024 cells ("cx,cy", visit counts), `:progress` to 512 cells of `locations_this_episode` and 20 milestones,
`:stuck` to 50 known spots (each like the session's own, or a typical one), `:milestones` to 20; `:decisions` and
`:rewards` are already at 100 after a long run and are copied as they are. Prints MEMORY USAGE (SAMPLES 0) per key and
the total, then deletes the scratch keys.

    python3 bench/live/session_caps.py <redis port> <run id> [prefix]
"""

from __future__ import annotations

import json
import socket
import sys

LOCATION_CELLS, PROGRESS_CELLS, STUCK_SPOTS, MILESTONES = 1024, 512, 50, 20


class Redis:
    """The few commands needed, over RESP on one socket."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.file = self.sock.makefile("rb")

    def __call__(self, *args: object):
        parts = [str(a).encode() for a in args]
        self.sock.sendall(b"*%d\r\n" % len(parts) + b"".join(b"$%d\r\n%s\r\n" % (len(p), p) for p in parts))
        return self._read()

    def _read(self):
        line = self.file.readline().rstrip(b"\r\n")
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            if int(rest) < 0:
                return None
            data = self.file.read(int(rest) + 2)[:-2]
            return data.decode()
        if kind == b"*":
            return None if int(rest) < 0 else [self._read() for _ in range(int(rest))]
        raise RuntimeError(f"unexpected reply {line!r}")


def cells(taken: set[tuple[int, int]], count: int) -> list[tuple[int, int]]:
    """`count` cells not in `taken`, spiralling out from the middle of the taken ones (a map's cells are contiguous)."""
    cx = round(sum(x for x, _ in taken) / len(taken)) if taken else 0
    cy = round(sum(y for _, y in taken) / len(taken)) if taken else 0
    out: list[tuple[int, int]] = []
    radius = 0
    while len(out) < count:
        for dx in range(-radius, radius + 1):
            for dy in range(-radius, radius + 1):
                if max(abs(dx), abs(dy)) == radius and (cx + dx, cy + dy) not in taken and len(out) < count:
                    out.append((cx + dx, cy + dy))
        radius += 1
    return out


def main() -> None:
    port, run_id = int(sys.argv[1]), sys.argv[2]
    prefix = sys.argv[3] if len(sys.argv) > 3 else "playtest:"
    r = Redis(port)
    real = f"{prefix}agent:{run_id}:"
    scratch = f"{prefix}bench:caps:{run_id}:"
    rows = []

    def measure(name: str, what: str) -> None:
        rows.append((name, what, r("MEMORY", "USAGE", scratch + name, "SAMPLES", "0")))

    # Copied as they are.
    for name in ("state", "frames", "heartbeat", "decisions", "rewards"):
        if r("EXISTS", real + name):
            r("COPY", real + name, scratch + name, "REPLACE")
            kind = r("TYPE", scratch + name)
            size = {"list": "LLEN", "hash": "HLEN"}.get(kind)
            measure(name, f"as played ({r(size, scratch + name)} {'entries' if kind == 'list' else 'fields'})" if size else "as played")

    # :locations to the cap.
    members = r("ZRANGE", real + "locations", 0, -1, "WITHSCORES") or []
    pairs = [(members[i], float(members[i + 1])) for i in range(0, len(members), 2)]
    taken = {tuple(map(int, m.split(","))) for m, _ in pairs}
    scores = sorted(s for _, s in pairs) or [1.0]
    r("DEL", scratch + "locations")
    for m, s in pairs:
        r("ZADD", scratch + "locations", s, m)
    for i, (x, y) in enumerate(cells(taken, LOCATION_CELLS - len(pairs))):
        r("ZADD", scratch + "locations", scores[i % len(scores)], f"{x},{y}")
    measure("locations", f"{len(pairs)} played + {LOCATION_CELLS - len(pairs)} added = {r('ZCARD', scratch + 'locations')} cells")

    # :milestones to 20.
    ms = r("ZRANGE", real + "milestones", 0, -1, "WITHSCORES") or []
    ms_pairs = [(ms[i], ms[i + 1]) for i in range(0, len(ms), 2)]
    r("DEL", scratch + "milestones")
    for m, s in ms_pairs:
        r("ZADD", scratch + "milestones", s, m)
    last = float(ms_pairs[-1][1]) if ms_pairs else 1.8e12
    for i in range(MILESTONES - len(ms_pairs)):
        r("ZADD", scratch + "milestones", last + 1000 * (i + 1), f"milestone_{i:02d}_padding")
    measure("milestones", f"{len(ms_pairs)} earned + {MILESTONES - len(ms_pairs)} = {r('ZCARD', scratch + 'milestones')}")

    # :progress with 512 cells and 20 milestones.
    progress = json.loads(r("GET", real + "progress") or "{}")
    cells_now = [tuple(c) for c in progress.get("locations_this_episode", [])]
    progress["locations_this_episode"] = [list(c) for c in cells_now] + [list(c) for c in cells(set(cells_now) or taken, PROGRESS_CELLS - len(cells_now))]
    names = list(progress.get("milestones", []))
    progress["milestones"] = names + [f"milestone_{i:02d}_padding" for i in range(MILESTONES - len(names))]
    r("SET", scratch + "progress", json.dumps(progress, separators=(",", ":"), sort_keys=True))
    measure("progress", f"{len(cells_now)} cells played -> {PROGRESS_CELLS}, {len(names)} milestones -> {MILESTONES}")

    # :stuck with 50 known spots and one current.
    stuck = json.loads(r("GET", real + "stuck") or "{}")
    known = stuck.get("known_spots") or []
    template = known[-1] if known else {"episode": 1, "run_id": run_id, "spot": {"end_tic": 1200, "start_tic": 900, "x": 1234.5, "y": -2345.25}}
    padded = list(known)
    for i in range(STUCK_SPOTS - len(known)):
        spot = json.loads(json.dumps(template))
        spot["episode"] = int(spot.get("episode", 1)) + i + 1
        inner = spot.get("spot", spot)
        for k in ("x", "y"):
            if isinstance(inner.get(k), (int, float)):
                inner[k] = round(float(inner[k]) + 64.125 * (i + 1), 3)
        for k in ("start_tic", "end_tic"):
            if isinstance(inner.get(k), int):
                inner[k] = inner[k] + 1000 * (i + 1)
        padded.append(spot)
    stuck["known_spots"] = padded
    stuck.setdefault("current", template.get("spot", template))
    if stuck.get("current") is None:
        stuck["current"] = template.get("spot", template)
    r("SET", scratch + "stuck", json.dumps(stuck, separators=(",", ":"), sort_keys=True))
    measure("stuck", f"{len(known)} spots found -> {STUCK_SPOTS}, and a current one")

    total = 0
    print(f"  {'key (at its cap)':12} {'bytes':>8}  contents")
    for name, what, size in sorted(rows):
        total += size
        print(f"  {name:12} {size:8d}  {what}")
    print(f"  total per agent session at the caps: {total} bytes ({total / 1024:.1f} KiB; budget 128 KiB: "
          f"{'within' if total < 128 * 1024 else 'OVER'}) -> 1,000 sessions: {total * 1000 / 2**20:.0f} MiB")
    r("DEL", *[scratch + name for name, _, _ in rows])


if __name__ == "__main__":
    main()
