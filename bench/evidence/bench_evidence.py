"""Evidence cost: the time to replay an episode's demo at 640x480 and encode it to VP9, against the time
the agent took to play it and against the episode's game time; video size per minute; screenshot cost.

    cd /work/wt-evidence && /work/main/.venv/bin/python bench/evidence/bench_evidence.py [--seconds 45] [--steps 1,2,4]

Episodes (each played once by `python -m playtest_agent evaluate` with demos and full telemetry): the
explorer on Freedoom 2 MAP01 and MAP02 and Freedoom 1 E1M1 for --seconds of game time, and the random
agent on VizDoom's health_gathering scenario. Each is then turned into evidence by `python -m
playtest_agent evidence` once per video frame step in --steps (1 = 35 fps, 2 = 17.5 fps, 4 = 8.75 fps)
with 5 screenshots; the processes run one after the other (at most one engine and one ffmpeg at a
time). Writes bench/results/evidence.md (a table) and bench/results/evidence.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
AGENT = REPO / "agent"
sys.path.insert(0, str(AGENT))
from playtest_agent.config import VIZDOOM_DIR  # noqa: E402

RESULTS = REPO / "bench" / "results"


def episodes(seconds: int) -> list[tuple[str, dict[str, Any]]]:
    tics = seconds * 35
    explorer = {"agent": "explorer", "seed": 3, "env": {"episode_timeout": tics}}
    return [
        ("explorer MAP01", {**explorer, "map": "MAP01"}),
        ("explorer MAP02", {**explorer, "map": "MAP02"}),
        ("explorer E1M1", {**explorer, "wad": os.path.join(VIZDOOM_DIR, "freedoom1.wad"), "map": "E1M1"}),
        ("random health_gathering", {"agent": "random", "seed": 3, "scenario_cfg": "health_gathering",
                                     "env": {"episode_timeout": tics}}),
    ]


def run(args: list[str]) -> tuple[str, float]:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "playtest_agent", *args], cwd=REPO, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(AGENT)}, timeout=600)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{args[0]} failed ({result.returncode}): {result.stderr[-2000:]}")
    return result.stdout, wall


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()
    return f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; load average at the start {load[0]:.1f} (shared machine)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=45, help="game seconds per episode (default 45)")
    parser.add_argument("--steps", default="1,2,4", help="video frame steps in tics to measure (default 1,2,4)")
    parser.add_argument("--scan-step", type=int, default=2,
                        help="also measure this step with the scan for visual defects first, as the platform runs it (0: not)")
    options = parser.parse_args()
    steps = [int(s) for s in options.steps.split(",")]
    variants = [(step, False) for step in steps] + ([(options.scan_step, True)] if options.scan_step else [])
    command = "/work/main/.venv/bin/python bench/evidence/bench_evidence.py " + " ".join(sys.argv[1:])
    rows: list[dict[str, Any]] = []
    header = machine()
    with tempfile.TemporaryDirectory() as scratch:
        for name, base in episodes(options.seconds):
            directory = Path(scratch) / name.replace(" ", "_")
            directory.mkdir()
            config = {**base, "episodes": 1, "telemetry_every": 1, "record_demos": True, "demo_dir": str(directory / "demos")}
            config_path = directory / "run.json"
            config_path.write_text(json.dumps(config))
            transcript, play_process_s = run(["evaluate", "--config", str(config_path)])
            (directory / "run.jsonl").write_text(transcript)
            messages = [json.loads(line) for line in transcript.splitlines()]
            end = next(m for m in messages if m["type"] == "episode_end")
            play_s = next(m for m in messages if m["type"] == "done")["elapsed_s"]
            tics = end["tics"]
            shot_tics = ",".join(str(tics * k // 6) for k in range(1, 6))
            for step, scan in variants:
                out = directory / f"evidence_{step}{'_scan' if scan else ''}"
                stdout, process_s = run(["evidence", "--config", str(config_path), "--telemetry", str(directory / "run.jsonl"),
                                         "--out", str(out), "--tics", shot_tics, "--tic-step", str(step)] + (["--scan"] if scan else []))
                summary = json.loads(stdout)
                if summary.get("missing") or summary["video"].get("missing"):
                    raise SystemExit(f"{name}: evidence missing: {summary}")
                video = summary["video"]
                shots = summary["screenshots"]
                game_s = tics / 35
                visual = summary.get("visual") or {}
                # The scan runs before the replay, outside the replay's own wall_s.
                evidence_s = round(summary["wall_s"] + (visual.get("scan_s") or 0), 3)
                row = {
                    "episode": name, "tic_step": step, "scan": scan, "scan_s": visual.get("scan_s"),
                    "visual_findings": len(visual.get("findings", [])) if scan else None, "fps": video["fps"], "tics": tics, "end": end["reason"],
                    "game_s": round(game_s, 2), "play_s": play_s, "play_process_s": round(play_process_s, 2),
                    "evidence_s": evidence_s, "evidence_process_s": round(process_s, 2),
                    "replay_s": summary["replay_s"], "encode_wait_s": summary["encode_s"], "encode_cpu_s": summary["encode_cpu_s"],
                    "ratio_game": round(evidence_s / game_s, 3),
                    "ratio_play": round(evidence_s / play_s, 1) if play_s else None,
                    "ratio_play_process": round(process_s / play_process_s, 2),
                    "video_bytes": video["bytes"], "mb_per_min": round(video["bytes"] / 1e6 / (video["duration_s"] / 60), 2),
                    "screenshots": len(shots), "screenshot_ms": round(1000 * summary["screenshot_s"] / max(1, len(shots)), 1),
                    "screenshot_kb": round(sum(s["bytes"] for s in shots) / max(1, len(shots)) / 1000, 1),
                    "drift": summary["drift"],
                }
                rows.append(row)
                print(json.dumps(row), flush=True)
    date = datetime.date.today().isoformat()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "evidence.json").write_text(json.dumps({"date": date, "machine": header, "command": command, "rows": rows}, indent=1) + "\n")
    lines = [
        "# Evidence: replay at 640x480 and VP9 encode, per episode",
        "",
        f"- date: {date}",
        f"- machine: {header}",
        f"- command: `{command}`",
        "- play: the agent's own `done.elapsed_s` (160x120 grey, no HUD); evidence: the summary's `wall_s`"
        " (engine start, replay, encode, screenshots); process: the same with Python and engine start-up",
        "- ratio/game: evidence time per second of game; ratio/play: evidence time per second the agent took to play",
        "",
        "- scan: the pass for visual defects before the replay (320x240, depth and labels, the detector every 4th tic),"
        " which the platform's `run.evidence` job runs; its time is part of evidence s",
        "",
        "| episode | end | game s | fps | scan s (findings) | play s | evidence s | replay s | encode wait s | ffmpeg CPU s | ratio/game | ratio/play | ratio/play (processes) | video MB | MB per min | screenshot ms | screenshot kB | drift |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in rows:
        scanned = f"{r['scan_s']} ({r['visual_findings']})" if r["scan"] else "–"
        lines.append(f"| {r['episode']} | {r['end']} | {r['game_s']} | {r['fps']} | {scanned} | {r['play_s']} | {r['evidence_s']} | {r['replay_s']} | "
                     f"{r['encode_wait_s']} | {r['encode_cpu_s']} | {r['ratio_game']} | {r['ratio_play']} | {r['ratio_play_process']} | "
                     f"{r['video_bytes'] / 1e6:.2f} | {r['mb_per_min']} | {r['screenshot_ms']} | {r['screenshot_kb']} | "
                     f"{'none' if r['drift'] is None else r['drift']['tic']} |")
    lines += ["", "## Against the targets (\u2264 1.0x)", ""]
    for step, scan in variants:
        chosen = [r for r in rows if r["tic_step"] == step and r["scan"] == scan]
        game = [r["ratio_game"] for r in chosen]
        play = [r["ratio_play"] for r in chosen if r["ratio_play"] is not None]
        size = [r["mb_per_min"] for r in chosen]
        lines.append(f"- {35 / step:g} fps{' with the scan (what the platform runs)' if scan else ''}: against game time {min(game)}-{max(game)}x "
                     f"({'met' if max(game) <= 1.0 else 'missed'}); against the agent's play time {min(play)}-{max(play)}x "
                     f"({'met' if play and max(play) <= 1.0 else 'missed'}); video {min(size)}-{max(size)} MB per minute")
    (RESULTS / "evidence.md").write_text("\n".join(lines) + "\n")
    print(f"wrote {RESULTS / 'evidence.md'} and {RESULTS / 'evidence.json'}")


if __name__ == "__main__":
    main()
