"""Seeds the backup benchmark's finished test runs straight into SQL, the same rows on both engines.

Usage: seed.py RUNS SQLITE_FILE CSV_FOLDER BLOB_FOLDER...

One map (its WAD stored at maps/<sha[:2]>/<sha>.wad, as the map library stores it) and RUNS completed test runs on it,
each with 3 `run_episodes`, about 1,000 `run_steps` (333 + 333 + 334), 30 `run_events`, 2 screenshots (about 20 KB) and
1 demo (about 30 KB) in `artifacts`, whose blobs (random bytes behind a PNG or demo header) are written into every
BLOB_FOLDER under runs/<run_id>/…. The first half of the runs ended 120 days ago, the second half 5 days ago.
Rows go into the SQLite file (dates: REAL seconds since 1970) and into CSV files for PostgreSQL's COPY (dates: ISO
8601 with the zone) in CSV_FOLDER: maps.csv, runs.csv, run_episodes.csv, run_events.csv, run_steps.csv, artifacts.csv.
Prints one JSON line with what it wrote.
"""
import csv
import datetime
import hashlib
import json
import os
import random
import sqlite3
import sys
import time
import uuid

EPISODES = 3
STEPS = (333, 333, 334)
EVENTS_PER_EPISODE = 10
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x02\x80\x00\x00\x01\xe0\x08\x02\x00\x00\x00"
DEMO_HEADER = bytes([109, 2, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0])  # Doom 1.9 demo: version, skill, episode, map, …


def iso(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).isoformat()


def put_blob(folders, key, data):
    for folder in folders:
        path = os.path.join(folder, key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)


def main():
    runs, sqlite_file, csv_folder, blob_folders = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
    rng = random.Random(36)
    now = time.time()
    db = sqlite3.connect(sqlite_file)
    db.execute("PRAGMA foreign_keys = ON")
    out = {name: open(os.path.join(csv_folder, name + ".csv"), "w", newline="")
           for name in ("maps", "runs", "run_episodes", "run_events", "run_steps", "artifacts")}
    writers = {name: csv.writer(f) for name, f in out.items()}

    # The map: a PWAD of 256 KiB.
    wad = b"PWAD" + (11).to_bytes(4, "little") + (262132).to_bytes(4, "little") + rng.randbytes(262144 - 12)
    sha = hashlib.sha256(wad).hexdigest()
    map_key = f"maps/{sha[:2]}/{sha}.wad"
    put_blob(blob_folders, map_key, wad)
    map_id = uuid.UUID(int=rng.getrandbits(128), version=4)
    uploaded = now - 200 * 86400
    summaries = json.dumps([{"name": "MAP01", "format": "doom", "things": 212, "linedefs": 1894, "sectors": 301, "vertices": 1702}])
    db.execute("INSERT INTO maps (id, name, filename, blob_key, size_bytes, sha256, wad_kind, formats, summaries, builtin, scenario, "
               "uploaded_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
               (str(map_id).upper(), "backup_bench", "backup_bench.wad", map_key, len(wad), sha, "PWAD", "doom", summaries, 0, None, uploaded))
    writers["maps"].writerow([map_id, "backup_bench", "backup_bench.wad", map_key, len(wad), sha, "PWAD", "doom", summaries, "f", "", iso(uploaded)])

    blob_bytes = len(wad)
    totals = {"runs": 0, "run_episodes": 0, "run_events": 0, "run_steps": 0, "artifacts": 0}
    event_types = ["kill", "damage_taken", "pickup", "door", "weapon_fired", "secret"]
    for index in range(runs):
        old = index < runs // 2
        completed = now - (120 if old else 5) * 86400 + index * 30
        created = completed - 900
        run_id = f"test_{rng.getrandbits(64):016x}"
        params = json.dumps({"episodes": EPISODES, "skill": 3, "god_mode": False, "max_steps": 5000, "agent": "navigator"})
        plan = json.dumps({"map_name": "MAP01", "episodes": EPISODES})
        summary = json.dumps({"episodes": EPISODES, "completion_rate": round(rng.random(), 3), "kills": rng.randrange(60),
                              "deaths": rng.randrange(3), "mean_duration_seconds": round(rng.uniform(60, 280), 1)})
        run_row = (run_id, "testing", "completed", map_id, "MAP01", "navigator", params, plan, EPISODES, EPISODES, summary,
                   created, created + 2, completed, completed)
        db.execute("INSERT INTO runs (id, kind, status, map_id, map_name, agent, params, plan, target, progress, summary, "
                   "created_at, started_at, completed_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                   (run_row[0], run_row[1], run_row[2], str(map_id).upper()) + run_row[4:])
        writers["runs"].writerow(list(run_row[:11]) + [iso(t) for t in run_row[11:]])
        totals["runs"] += 1

        episodes, events, artifacts = [], [], []
        for episode in range(1, EPISODES + 1):
            steps = STEPS[episode - 1]
            x, y, angle, health, ammo, kills = rng.uniform(-2000, 2000), rng.uniform(-2000, 2000), 90.0, 100, 50, 0
            rows = []
            for step in range(steps):
                x += rng.uniform(-16, 16)
                y += rng.uniform(-16, 16)
                angle = (angle + rng.choice((0.0, 0.0, 5.625, -5.625))) % 360
                if step % 37 == 36:
                    health = max(1, health - rng.randrange(3, 20))
                    kills += 1
                    ammo = max(0, ammo - 3)
                rows.append((run_id, episode, step, step * 4, round(x, 3), round(y, 3), angle, health, 0, ammo, 2, kills,
                             rng.randrange(8), round(rng.uniform(-0.1, 1.0), 4)))
            db.executemany("INSERT INTO run_steps VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
            writers["run_steps"].writerows(rows)
            totals["run_steps"] += steps

            episode_events = []
            for seq in range(EVENTS_PER_EPISODE):
                frame = (seq + 1) * steps * 4 // (EVENTS_PER_EPISODE + 1)
                kind = event_types[rng.randrange(len(event_types))]
                data = json.dumps({"health": rng.randrange(1, 100), "target": "imp" if kind == "kill" else None})
                event = (run_id, episode, seq, frame, round(frame / 35, 3), kind, round(rng.uniform(-2000, 2000), 2),
                         round(rng.uniform(-2000, 2000), 2), data)
                events.append(event)
                episode_events.append({"type": kind, "frame": frame, "x": event[6], "y": event[7]})
            duration = round(steps * 4 / 35, 2)
            exited = rng.random() < 0.5
            metrics = {"episode_num": episode, "kills": kills, "deaths": 0 if exited else 1, "duration_seconds": duration,
                       "health_lost": 100 - health, "ammo_used": 50 - ammo, "final_health": health, "exit_reached": exited,
                       "coverage": round(rng.random(), 3), "end_reason": "exit" if exited else "death", "secrets_found": 0,
                       "items_collected": rng.randrange(20), "events": []}
            log = {"episode_num": episode, "duration_seconds": duration, "frames": steps * 4, "events": episode_events,
                   "health_timeline": [{"tic": t * 40, "health": max(1, 100 - t * 3)} for t in range(steps * 4 // 40)],
                   "stuck_spots": [], "out_of_bounds": []}
            at = created + episode * 280
            episodes.append((run_id, episode, json.dumps(metrics), json.dumps(log), at, exited, duration, kills,
                             metrics["deaths"], metrics["health_lost"], metrics["coverage"]))

            if episode <= 2:  # two screenshots per run, in its first two episodes
                tic = rng.randrange(100, steps * 4)
                reason = "death" if episode == 1 else "milestone"
                key = f"runs/{run_id}/screenshots/episode_{episode:04d}_tic_{tic:06d}_{reason}.png"
                data = PNG_HEADER + rng.randbytes(rng.randrange(18_000, 22_000))
                put_blob(blob_folders, key, data)
                artifacts.append((f"art_{rng.getrandbits(64):016x}", run_id, "screenshot", episode, tic, reason, key, len(data), "image/png", at))
            if episode == EPISODES:  # and the demo of the last one
                key = f"runs/{run_id}/demos/episode_{episode:04d}.lmp"
                data = DEMO_HEADER + rng.randbytes(rng.randrange(28_000, 32_000))
                put_blob(blob_folders, key, data)
                artifacts.append((f"art_{rng.getrandbits(64):016x}", run_id, "demo", episode, steps * 4, "episode", key, len(data),
                                  "application/x-doom-demo", at))

        db.executemany("INSERT INTO run_episodes (run_id, episode_num, metrics, log, created_at, exit_reached, duration_seconds, kills, "
                       "deaths, health_lost, coverage) VALUES (?,?,?,?,?,?,?,?,?,?,?)", episodes)
        writers["run_episodes"].writerows([e[:4] + (iso(e[4]), "t" if e[5] else "f") + e[6:] for e in episodes])
        db.executemany("INSERT INTO run_events VALUES (?,?,?,?,?,?,?,?,?)", events)
        writers["run_events"].writerows(events)
        db.executemany("INSERT INTO artifacts (id, run_id, kind, episode, tic, reason, blob_key, bytes, content_type, created_at) "
                       "VALUES (?,?,?,?,?,?,?,?,?,?)", artifacts)
        writers["artifacts"].writerows([a[:9] + (iso(a[9]),) for a in artifacts])
        totals["run_episodes"] += len(episodes)
        totals["run_events"] += len(events)
        totals["artifacts"] += len(artifacts)
        blob_bytes += sum(a[7] for a in artifacts)
    db.commit()
    db.close()
    for f in out.values():
        f.close()
    print(json.dumps(dict(totals, blobs=totals["artifacts"] + 1, blob_bytes=blob_bytes, map_id=str(map_id))))


if __name__ == "__main__":
    main()
