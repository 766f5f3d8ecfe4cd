"""Captures the sample transcripts in agent/tests/data/ from real runs (for the Swift tests).

    cd /work/main && .venv/bin/python agent/tests/make_transcripts.py

The good transcripts are real stdout of real runs; the bad_* ones are derived from them,
each with exactly one defect the Swift side must reject.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import DATA_DIR, run_agent  # noqa: E402

VIZDOOM_SCENARIOS = Path(__import__("vizdoom").__file__).parent / "scenarios"


def capture(name: str, command: str, config: dict, work: Path, **kwargs) -> list[str]:  # type: ignore[no-untyped-def]
    run = run_agent(command, config, work, **kwargs)
    (DATA_DIR / f"{name}.jsonl").write_text("".join(run.raw_lines))
    print(f"{name}: {len(run.raw_lines)} lines, exit {run.returncode}")
    return run.raw_lines


def main() -> None:
    DATA_DIR.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="playtest-transcripts-"))
    evaluate = capture("evaluate_random_defend_the_center", "evaluate", {
        "agent": "random", "scenario_cfg": "defend_the_center", "episodes": 1, "seed": 7, "telemetry_every": 1,
        "screenshot_dir": str(work / "shots"), "screenshot_tics": [40], "record_demos": True, "demo_dir": str(work / "demos"),
    }, work)
    capture("evaluate_explorer_map01", "evaluate", {
        "agent": "explorer", "map": "MAP01", "episodes": 2, "seed": 3, "telemetry_every": 10,
        "env": {"episode_timeout": 700}, "screenshot_dir": str(work / "shots2"), "stuck_tics": 140,
    }, work)
    capture("train_defend_the_center", "train", {
        "agent": "dqn", "scenario_cfg": "defend_the_center", "iterations": 300, "seed": 1,
        "env": {"action_combinations": "turn_lr;attack"}, "checkpoint_dir": str(work / "ck"), "checkpoint_every": 150,
        "progress_every": 50, "dqn": {"learning_starts": 50, "replay_size": 1000, "frame_height": 30, "frame_width": 40},
    }, work)
    capture("stopped_evaluate_sigterm", "evaluate", {"agent": "random", "map": "MAP01", "episodes": 5, "telemetry_every": 5},
            work, stop_when=lambda m: m["type"] == "step" and m["step"] == 50)
    capture("error_missing_map", "evaluate", {"agent": "random", "map": "MAP99"}, work)
    broken = work / "broken.wad"
    broken.write_bytes((VIZDOOM_SCENARIOS / "defend_the_center.wad").read_bytes()[:3000])
    capture("error_broken_wad", "evaluate", {"agent": "random", "pwads": [str(broken)]}, work)

    # Bad transcripts: each takes the real evaluate transcript and breaks one thing.
    good = evaluate[:8] + [evaluate[-1]]
    step_index = next(i for i, line in enumerate(good) if '"type":"step"' in line)

    def bad(name: str, index: int, replacement: str) -> None:
        lines = list(good)
        lines[index] = replacement
        (DATA_DIR / f"bad_{name}.jsonl").write_text("".join(lines))

    bad("truncated_line", step_index, good[step_index][: len(good[step_index]) // 2] + "\n")
    unknown = json.loads(good[step_index])
    unknown["type"] = "teleport"
    bad("unknown_type", step_index, json.dumps(unknown, separators=(",", ":")) + "\n")
    missing = json.loads(good[step_index])
    del missing["health"]
    bad("missing_field", step_index, json.dumps(missing, separators=(",", ":")) + "\n")
    version = json.loads(good[step_index])
    version["v"] = 2
    bad("wrong_version", step_index, json.dumps(version, separators=(",", ":")) + "\n")
    print(f"bad transcripts derived from lines of evaluate_random_defend_the_center (step line {step_index})")


if __name__ == "__main__":
    main()
