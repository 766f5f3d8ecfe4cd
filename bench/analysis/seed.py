"""Seeds a running `playtest serve` for the analysis benchmark: 1,000 maps (one real upload, copied as rows) and
100,000 finished test episodes in 20,000 runs over the last 30 days, written straight into its SQLite file.

    python bench/analysis/seed.py <url> <data dir> <api key>   → prints {"map_id": …} (the busiest map)
"""

from __future__ import annotations

import json
import random
import sqlite3
import sys
import time
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "Tests" / "web"))
from wads import FREEDOOM2, extract_map  # noqa: E402

MAPS, RUNS, EPISODES_PER_RUN = 1000, 20_000, 5


def upload(url: str, key: str, name: str, data: bytes) -> dict:
    boundary = "PlaytestBench" + uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}.wad\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(url + "/api/v1/maps/upload", data=body, method="POST",
                                     headers={"content-type": f"multipart/form-data; boundary={boundary}", "x-api-key": key})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


def main() -> None:
    url, data_dir, key = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    first = upload(url, key, "analysis_bench_map01", extract_map(FREEDOOM2, "MAP01", marker="analysis bench"))
    database = sqlite3.connect(data_dir / "playtest.sqlite", timeout=30)
    columns = [row[1] for row in database.execute("PRAGMA table_info(maps)")]
    source = database.execute(f"SELECT {', '.join(columns)} FROM maps WHERE id = ?", (first["id"].upper(),)).fetchone()
    rng = random.Random(11)
    map_ids = [first["id"].upper()]
    copies = []
    for index in range(1, MAPS):
        row = dict(zip(columns, source))
        row["id"] = str(uuid.uuid4()).upper()
        row["sha256"] = f"{index:064x}"
        row["name"] = f"analysis_bench_{index:04d}"
        map_ids.append(row["id"])
        copies.append(tuple(row[c] for c in columns))
    database.executemany(f"INSERT INTO maps ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", copies)

    now = time.time()
    runs, episodes = [], []
    weights = [1.0 / (rank + 1) for rank in range(MAPS)]  # a few busy maps, a long tail
    for index in range(RUNS):
        map_id = rng.choices(map_ids, weights)[0]
        created = now - rng.random() * 30 * 86400
        skill = rng.choice([1, 2, 3, 3, 4, 5])
        agent = rng.choice(["navigator", "navigator", "explorer", "random"])
        params = json.dumps({"skill": skill, "god_mode": rng.random() < 0.2})
        run_id = f"test_analysis{index:06d}"
        runs.append((run_id, "testing", "completed", map_id, "MAP01", agent, params, json.dumps({"map_name": "MAP01"}),
                     EPISODES_PER_RUN, EPISODES_PER_RUN, created, created + 1, created + 600, created + 600))
        for episode in range(1, EPISODES_PER_RUN + 1):
            exited = rng.random() < (0.6 - skill * 0.08)
            deaths = 0 if exited or rng.random() < 0.4 else 1
            metrics = {"episode_num": episode, "kills": rng.randrange(0, 30), "deaths": deaths,
                       "duration_seconds": round(rng.uniform(20, 600), 2), "health_lost": rng.randrange(0, 200),
                       "ammo_used": rng.randrange(0, 300), "final_health": rng.randrange(0, 100), "exit_reached": exited,
                       "coverage": round(rng.random(), 3), "end_reason": "exit" if exited else ("death" if deaths else "timeout"),
                       "secrets_found": 0, "items_collected": rng.randrange(0, 20), "events": []}
            episodes.append((run_id, episode, json.dumps(metrics), "{}", created + episode * 100, exited, metrics["duration_seconds"],
                             metrics["kills"], deaths, metrics["health_lost"], metrics["coverage"]))
    database.executemany("""INSERT INTO runs (id, kind, status, map_id, map_name, agent, params, plan, target, progress, created_at,
        started_at, completed_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)""", runs)
    database.executemany("""INSERT INTO run_episodes (run_id, episode_num, metrics, log, created_at, exit_reached, duration_seconds, kills,
        deaths, health_lost, coverage) VALUES (?,?,?,?,?,?,?,?,?,?,?)""", episodes)
    database.commit()
    busiest = database.execute("SELECT map_id, COUNT(*) FROM runs GROUP BY map_id ORDER BY 2 DESC LIMIT 1").fetchone()
    database.close()
    print(json.dumps({"map_id": busiest[0].lower(), "runs_on_it": busiest[1], "episodes": len(episodes)}))


if __name__ == "__main__":
    main()
