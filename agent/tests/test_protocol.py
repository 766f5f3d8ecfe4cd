"""The protocol: the schema accepts the real transcripts and rejects each bad one for its one defect."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import jsonschema
import pytest

from conftest import DATA_DIR, SCHEMA_PATH, VALIDATOR
from playtest_agent.protocol import MESSAGE_TYPES, Emitter

GOOD = sorted(p for p in DATA_DIR.glob("*.jsonl") if not p.name.startswith("bad_"))


def parse_transcript(path: Path) -> list[dict]:
    """What the Swift side does: each line must be JSON, match the schema and have v == 1."""
    messages = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        try:
            message = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"line {number}: not JSON ({error})") from error
        errors = sorted(VALIDATOR.iter_errors(message), key=str)
        if errors:
            raise ValueError(f"line {number}: {errors[0].message}")
        messages.append(message)
    return messages


def test_schema_is_a_valid_json_schema() -> None:
    schema = json.loads(SCHEMA_PATH.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    messages = [name for name in schema["$defs"] if not name.startswith("run_config")]
    assert sorted(messages) == sorted(MESSAGE_TYPES)


@pytest.mark.parametrize("path", GOOD, ids=[p.stem for p in GOOD])
def test_real_transcripts_validate(path: Path) -> None:
    messages = parse_transcript(path)
    assert messages[0]["type"] == "hello"
    assert messages[-1]["type"] == "done"
    assert all(m["v"] == 1 for m in messages)


def test_transcripts_cover_every_message_type() -> None:
    seen = {m["type"] for path in GOOD for m in parse_transcript(path)}
    assert seen == set(MESSAGE_TYPES)


@pytest.mark.parametrize("name, words", [
    ("bad_truncated_line", "not JSON"),
    ("bad_unknown_type", "teleport"),
    ("bad_missing_field", "health"),
    ("bad_wrong_version", "1 was expected"),
])
def test_bad_transcripts_are_rejected(name: str, words: str) -> None:
    path = DATA_DIR / f"{name}.jsonl"
    with pytest.raises(ValueError) as raised:
        parse_transcript(path)
    assert "line 3" in str(raised.value)
    if name != "bad_unknown_type":
        assert words in str(raised.value)
    # every other line of a bad transcript is fine: exactly one defect
    lines = path.read_text().splitlines()
    assert sum(1 for line in lines if _valid(line)) == len(lines) - 1


def _valid(line: str) -> bool:
    try:
        return not list(VALIDATOR.iter_errors(json.loads(line)))
    except json.JSONDecodeError:
        return False


def test_emitter_writes_one_compact_line_per_message_and_nulls_nan() -> None:
    out = io.StringIO()
    emitter = Emitter(out)
    emitter.emit("done", reason="completed", episodes=1, iterations=None, elapsed_s=float("nan"))
    line = out.getvalue()
    assert line.endswith("\n") and line.count("\n") == 1
    assert json.loads(line) == {"v": 1, "type": "done", "reason": "completed", "episodes": 1, "iterations": None, "elapsed_s": None}
    with pytest.raises(ValueError):
        emitter.emit("teleport")


class _Writes(io.StringIO):
    """Counts the write calls that reach the stream (each one is a reader wake-up on a pipe)."""

    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)


def test_emitter_batches_steps_starts_and_artifacts_and_sends_an_episode_end_at_once() -> None:
    out = _Writes()
    emitter = Emitter(out, flush_every=64, max_delay_s=60)
    emitter.emit("episode_start", episode=0, map="MAP01", scenario=None, seed=1, demo_path=None)
    for step in range(10):
        emitter.emit("step", episode=0, step=step)
    emitter.emit("artifact", kind="screenshot", episode=0, tic=35, reason="tic", path="/x.png")
    assert out.writes == 0 and out.getvalue() == ""
    emitter.emit("episode_end", episode=0, reason="death")
    assert out.writes == 1
    types = [json.loads(line)["type"] for line in out.getvalue().splitlines()]
    assert types == ["episode_start"] + ["step"] * 10 + ["artifact", "episode_end"]


def test_emitter_writes_a_full_batch_and_a_batch_that_waited_too_long() -> None:
    out = _Writes()
    emitter = Emitter(out, flush_every=4, max_delay_s=60)
    for step in range(9):
        emitter.emit("step", episode=0, step=step)
    assert out.writes == 2 and len(out.getvalue().splitlines()) == 8
    late = _Writes()
    emitter = Emitter(late, flush_every=64, max_delay_s=0.01)
    emitter.emit("step", episode=0, step=0)
    time.sleep(0.02)
    emitter.emit("step", episode=0, step=1)
    assert late.writes == 1 and len(late.getvalue().splitlines()) == 2
