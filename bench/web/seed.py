"""Seeds a running embedded `playtest serve` for the web benchmark: 100 real WADs uploaded through
the API (single maps copied out of Freedoom 2 and FreeDM, each with a marker lump so every copy is a
distinct file), one real test run played by the embedded worker (the run page's subject), and 1,000
runs inserted straight into the SQLite file the way RunStore stores them.

Usage: seed.py URL DATA_DIR  → prints JSON {"map_id", "map_name", "run_id"} for the timed pages."""

from __future__ import annotations

import json
import os
import random
import sqlite3
import sys
import time
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "Tests" / "web"))
from wads import FREEDM, FREEDOOM2, extract_map, map_names  # noqa: E402


# The key bench/web/run.sh made for the server's administrator.
KEY = {"x-api-key": os.environ["PLAYTEST_API_KEY"]} if os.environ.get("PLAYTEST_API_KEY") else {}


def upload(url: str, name: str, data: bytes) -> dict:
    boundary = "PlaytestBench" + uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}.wad\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(url + "/api/v1/maps/upload", data=body, method="POST",
                                     headers={"content-type": f"multipart/form-data; boundary={boundary}", **KEY})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


def api(url: str, method: str, path: str, body: dict | None = None) -> dict:
    request = urllib.request.Request(url + path, data=None if body is None else json.dumps(body).encode(), method=method,
                                     headers={"content-type": "application/json", **KEY})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def main() -> None:
    url, data_dir = sys.argv[1], Path(sys.argv[2])
    sources = [(FREEDOOM2, name) for name in map_names(FREEDOOM2)] + [(FREEDM, name) for name in map_names(FREEDM)]
    maps = []
    for index in range(100):
        source, name = sources[index % len(sources)]
        record = upload(url, f"bench_{index:03d}_{source.stem}_{name}", extract_map(source, name, marker=f"bench {index}"))
        maps.append((record["id"], record["maps"][0]["name"]))

    # One real run, played by the embedded worker, for the run page.
    map_id, map_name = maps[0]
    started = api(url, "POST", "/api/v1/testing/start",
                  {"map_id": map_id, "map": map_name, "agent": "explorer", "episodes": 3, "params": {"episode_time": 10}})
    run_id = started["test_id"]
    deadline = time.monotonic() + 300
    while api(url, "GET", f"/api/v1/testing/{run_id}/status")["status"] not in ("completed", "failed", "stopped"):
        if time.monotonic() > deadline:
            raise SystemExit(f"the seeded run {run_id} did not finish in 300 s")
        time.sleep(0.5)

    # 1,000 more runs, as rows.
    database = sqlite3.connect(data_dir / "playtest.sqlite", timeout=30)
    rng = random.Random(7)
    statuses = ["completed"] * 6 + ["failed", "stopped", "running", "pending"]
    now = time.time()
    summary = json.dumps({"episodes": 5, "mean_kills": 3.2, "survival_rate": 0.6, "exit_rate": 0.2})
    rows = []
    for index in range(1000):
        kind = "testing" if index % 4 else "training"
        wad, name = maps[rng.randrange(len(maps))]
        created = now - 86400 * 7 + index * 600
        status = statuses[rng.randrange(len(statuses))]
        plan = {"map_name": name, "agent": "explorer" if kind == "testing" else "dqn", "skill": 3, "dqn": {},
                "record_demos": True, "screenshots": True, "screenshot_tics": [35], "checkpoint_every": 10000,
                "progress_every": 1000, "telemetry_every": 1}
        rows.append((f"{'test' if kind == 'testing' else 'train'}_bench{index:05d}", kind, status, wad.upper(), name,
                     plan["agent"], "{}", json.dumps(plan), 5 if kind == "testing" else 50000,
                     5 if status == "completed" else 2, summary if status == "completed" else None,
                     "agent exited with status 1: bench row" if status == "failed" else None,
                     created, created + 2, created + 300 if status in ("completed", "failed", "stopped") else None, created + 300))
    database.executemany("""INSERT INTO runs (id, kind, status, map_id, map_name, agent, params, plan, target, progress, summary,
        error, created_at, started_at, completed_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""", rows)
    database.commit()
    database.close()
    print(json.dumps({"map_id": map_id, "map_name": map_name, "run_id": run_id}))


if __name__ == "__main__":
    main()
