"""The JSON schema of the run config (run.json), generated from its dataclasses.

`RunConfig` and `EnvConfig` (config.py) and `DqnHyperParams` (dqn.py) are the one definition of the config on the
Python side. This module turns them into `$defs.run_config`, `$defs.run_config_env` and `$defs.run_config_dqn` of
protocol.schema.json, which the Swift side (`AgentRunConfig`, `DQNParameter`) is tested against.

    python -m playtest_agent.config_schema --write   # after adding a field to one of the dataclasses
    python -m playtest_agent.config_schema --check   # exit 1 when protocol.schema.json is stale (the tests do this)
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import types
import typing
from pathlib import Path
from typing import Any

from .config import MAP_KEYS, EnvConfig, RunConfig
from .dqn import DqnHyperParams

SCHEMA_PATH = Path(__file__).resolve().parent / "protocol.schema.json"
DEFINITIONS = ("run_config", "run_config_env", "run_config_dqn")
# Fields whose schema is another definition rather than their Python type.
REFERENCES = {"env": "run_config_env", "dqn": "run_config_dqn"}
SCALARS = {int: "integer", float: "number", bool: "boolean", str: "string"}


def type_schema(annotation: Any) -> dict[str, Any]:
    """The JSON schema of a dataclass field's type annotation (a nested dataclass becomes a closed object)."""
    if annotation in SCALARS:
        return {"type": SCALARS[annotation]}
    if annotation is Any:
        return {}
    if dataclasses.is_dataclass(annotation):
        return dataclass_schema(annotation, (annotation.__doc__ or annotation.__name__).strip().splitlines()[0])
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        present = [a for a in arguments if a is not type(None)]
        if len(present) != 1:
            raise TypeError(f"unsupported union {annotation}")
        inner = type_schema(present[0])
        if "type" not in inner:
            return inner
        return {**inner, "type": [inner["type"], "null"]}
    if origin is list:
        return {"type": "array", "items": type_schema(arguments[0])}
    if origin is dict or annotation is dict:
        return {"type": "object"}
    raise TypeError(f"unsupported type {annotation}")


def dataclass_schema(cls: type, description: str) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    properties: dict[str, Any] = {}
    for field in dataclasses.fields(cls):
        if field.name in REFERENCES:
            properties[field.name] = {"$ref": f"#/$defs/{REFERENCES[field.name]}"}
            continue
        schema = type_schema(hints[field.name])
        if field.default is not dataclasses.MISSING:
            schema["default"] = field.default
        elif field.default_factory is not dataclasses.MISSING:  # type: ignore[misc]
            schema["default"] = field.default_factory()  # type: ignore[misc]
        properties[field.name] = schema
    return {"description": description, "type": "object", "properties": properties, "additionalProperties": False}


def config_schemas() -> dict[str, Any]:
    """The three definitions, as they belong in protocol.schema.json's `$defs`."""
    run = dataclass_schema(RunConfig, "run.json: what to play, with which agent, and where to write (docs/agent-protocol.md, Config)")
    run["properties"]["train_maps"]["items"] = {
        "type": "object",
        "properties": {key: {"type": ["string", "null"]} if key != "pwads" else {"type": "array", "items": {"type": "string"}} for key in sorted(MAP_KEYS)},
        "additionalProperties": False,
    }
    return {
        "run_config": run,
        "run_config_env": dataclass_schema(EnvConfig, "run.json `env`: the VizDoom environment"),
        "run_config_dqn": dataclass_schema(DqnHyperParams, "run.json `dqn`: DQN hyper-parameters, all optional"),
    }


def updated_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """protocol.schema.json with its config definitions regenerated."""
    return {**schema, "$defs": {**schema["$defs"], **config_schemas()}}


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m playtest_agent.config_schema", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", action="store_true", help="regenerate the config definitions in protocol.schema.json")
    group.add_argument("--check", action="store_true", help="exit 1 when protocol.schema.json is stale")
    args = parser.parse_args(argv)
    current = SCHEMA_PATH.read_text()
    fresh = render(updated_schema(json.loads(current)))
    if args.write:
        SCHEMA_PATH.write_text(fresh)
        return 0
    if current != fresh:
        print(f"{SCHEMA_PATH} is stale: run `python -m playtest_agent.config_schema --write`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
