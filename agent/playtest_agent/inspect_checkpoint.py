"""`python -m playtest_agent inspect --checkpoint PATH`: what a checkpoint plays with.

Prints one JSON object, so that the worker and the launcher can check that a checkpoint fits a
requested action set without loading torch themselves:

    {"format", "action_combinations", "action_count", "buttons", "scenario", "iteration",
     "recurrent", "frame_height", "frame_width"}

`agent/checkpoints/manifest.json` holds this object for every shipped checkpoint (name -> object);
`write_manifest` regenerates it.
"""

from __future__ import annotations

import json
import os
from typing import Any

from .dqn import load_checkpoint


def describe(payload: dict[str, Any]) -> dict[str, Any]:
    """The summary of a loaded checkpoint (see the module docstring)."""
    action_set = payload.get("action_set") or {}
    hparams = payload.get("hparams") or {}
    env = payload.get("env") or {}
    buttons = [str(b) for b in action_set.get("buttons", [])]
    actions = action_set.get("actions", [])
    combinations = action_set.get("combinations")
    return {
        "format": payload.get("format"),
        "action_combinations": combinations if isinstance(combinations, str) else None,
        "action_count": len(actions),
        "buttons": buttons,
        "scenario": _scenario_name(env.get("scenario_cfg") if isinstance(env, dict) else None),
        "iteration": int(payload.get("iteration", 0)),
        "recurrent": bool(hparams.get("recurrent", False)),
        "frame_height": int(hparams.get("frame_height", 0)),
        "frame_width": int(hparams.get("frame_width", 0)),
    }


def _scenario_name(scenario_cfg: Any) -> str | None:
    """`defend_the_center`, `scenarios/defend_the_center.cfg` -> `defend_the_center`; None for plain maps."""
    if not isinstance(scenario_cfg, str) or not scenario_cfg:
        return None
    name = os.path.basename(scenario_cfg)
    return name[:-4] if name.endswith(".cfg") else name


def inspect_checkpoint(path: str) -> dict[str, Any]:
    """Loads `path` (ValueError when it is not a playtest_agent checkpoint) and describes it."""
    if not os.path.isfile(path):
        raise FileNotFoundError(f"checkpoint not found: {path}")
    return describe(load_checkpoint(path))


def write_manifest(checkpoint_dir: str) -> dict[str, Any]:
    """Describes every `*.pt` in `checkpoint_dir` into `<checkpoint_dir>/manifest.json`."""
    manifest = {}
    for name in sorted(os.listdir(checkpoint_dir)):
        if name.endswith(".pt"):
            manifest[name[:-3]] = inspect_checkpoint(os.path.join(checkpoint_dir, name))
    with open(os.path.join(checkpoint_dir, "manifest.json"), "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=2, sort_keys=True)
        handle.write("\n")
    return manifest


if __name__ == "__main__":
    # Regenerate the shipped manifest: python -m playtest_agent.inspect_checkpoint
    write_manifest(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "checkpoints"))
