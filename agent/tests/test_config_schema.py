"""The run config's schema (protocol.schema.json `$defs.run_config*`) is generated from the config dataclasses; the
Swift side is tested against the same definitions (AgentConfigSchemaTests), so the two cannot drift apart."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import jsonschema

from conftest import SCHEMA_PATH
from playtest_agent.config import EnvConfig, RunConfig, parse_config
from playtest_agent.config_schema import config_schemas, dataclass_schema, main
from playtest_agent.dqn import DqnHyperParams


def definition(name: str) -> dict:
    schema = json.loads(SCHEMA_PATH.read_text())
    return {"$defs": schema["$defs"], **schema["$defs"][name]}


def test_the_committed_schema_is_generated_from_the_dataclasses() -> None:
    assert main(["--check"]) == 0, "run `python -m playtest_agent.config_schema --write` and commit protocol.schema.json"


def test_every_dataclass_field_is_in_the_schema_and_nothing_else() -> None:
    schemas = config_schemas()
    for cls, name in [(RunConfig, "run_config"), (EnvConfig, "run_config_env"), (DqnHyperParams, "run_config_dqn")]:
        assert set(schemas[name]["properties"]) == {f.name for f in dataclasses.fields(cls)}, name


def test_the_defaults_validate_and_parse() -> None:
    config = dataclasses.asdict(RunConfig())
    config["dqn"] = dataclasses.asdict(DqnHyperParams())
    config["train_maps"] = [{"map": "MAP01", "pwads": ["a.wad"]}]
    jsonschema.Draft202012Validator(definition("run_config")).validate(config)
    assert parse_config(json.loads(json.dumps(config))).dqn["gamma"] == DqnHyperParams().gamma


def test_a_typo_is_refused_by_the_schema_and_by_the_parser() -> None:
    validator = jsonschema.Draft202012Validator(definition("run_config"))
    assert not validator.is_valid({"agnet": "random"})
    assert not validator.is_valid({"env": {"frame_skp": 4}})
    assert not validator.is_valid({"dqn": {"gamm": 0.9}})
    try:
        parse_config({"agnet": "random"})
    except Exception as error:  # noqa: BLE001 - any refusal will do; ConfigError in practice
        assert "agnet" in str(error)
    else:
        raise AssertionError("parse_config accepted an unknown key")



@dataclasses.dataclass
class _Section:
    """A nested section.

    More words."""
    graph: dict[str, Any] = dataclasses.field(default_factory=dict)
    steps: list[int] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class _Extended:
    section: _Section | None = None
    anything: Any = None
    flag: bool = False


def test_a_new_optional_field_of_any_shape_gets_a_schema() -> None:
    """What a new config section (a nested dataclass, a free-form value, an optional flag) turns into."""
    schema = dataclass_schema(_Extended, "extended")["properties"]
    assert schema["section"]["description"] == "A nested section."
    assert schema["section"]["type"] == ["object", "null"] and schema["section"]["additionalProperties"] is False
    assert schema["section"]["properties"]["graph"] == {"type": "object", "default": {}}
    assert schema["anything"] == {"default": None}
    assert schema["flag"] == {"type": "boolean", "default": False}
