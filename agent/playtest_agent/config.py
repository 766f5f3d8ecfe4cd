"""The run configuration (run.json): what to play, with which agent, and where to write.

Every field is documented in docs/agent-protocol.md ("Config"). Unknown keys are an error
so that a typo in the worker never silently changes a run.
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, field
from typing import Any

import vizdoom

VIZDOOM_DIR = os.path.dirname(vizdoom.__file__)
BUNDLED_IWAD = os.path.join(VIZDOOM_DIR, "freedoom2.wad")
SCENARIO_DIR = os.path.join(VIZDOOM_DIR, "scenarios")
PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
SHIPPED_CHECKPOINT_DIR = os.path.join(os.path.dirname(PACKAGE_DIR), "checkpoints")
DEFAULT_DQN_CHECKPOINT = os.path.join(SHIPPED_CHECKPOINT_DIR, "general.pt")
AGENTS = ("random", "explorer", "dqn", "navigator")
SCREENSHOT_EVENTS = ("death", "stuck", "milestone")  # screenshot_on: see evaluate.ScreenshotPolicy and Milestones
MAP_KEYS = {"wad", "pwads", "map", "scenario_cfg"}


class ConfigError(Exception):
    """The config is unusable; the message says which field and why."""


@dataclass
class EnvConfig:
    resolution: str = "160x120"
    screen_format: str = "GRAY8"  # GRAY8 or RGB24
    frame_skip: int = 4
    episode_timeout: int | None = None  # in tics (35 tics = 1 s); None keeps the scenario's or the map's
    skill: int = 3  # 1..5
    action_combinations: str | None = None  # e.g. "move_fb;move_lr;turn_lr;attack"
    depth: bool = False  # depth buffer (the explorer turns it on itself)
    labels: bool = False  # labels buffer and on-screen objects (the explorer turns it on itself)
    automap: bool = False
    objects_info: bool = False
    render_hud: bool = False
    watchdog_s: float = 30.0  # an engine call that takes longer than this is a hang: error and exit
    god_mode: bool = False  # a navigation-only test: the engine's `god` cheat after every new episode


@dataclass
class RunConfig:
    agent: str = "random"
    wad: str | None = None
    pwads: list[str] = field(default_factory=list)
    map: str | None = None
    scenario_cfg: str | None = None
    checkpoint: str | None = None
    episodes: int = 1
    iterations: int = 1000
    seed: int | None = None
    env: EnvConfig = field(default_factory=EnvConfig)
    telemetry_every: int = 1
    checkpoint_dir: str | None = None
    screenshot_dir: str | None = None
    demo_dir: str | None = None
    record_demos: bool = False
    screenshot_tics: list[int] = field(default_factory=list)
    screenshot_on: list[str] = field(default_factory=lambda: list(SCREENSHOT_EVENTS))
    stuck_tics: int = 350
    checkpoint_every: int = 10_000
    progress_every: int = 1_000
    resume_from: str | None = None
    torch_threads: int = 1
    dqn: dict[str, Any] = field(default_factory=dict)
    # train: several maps, one episode each in turn; each entry may set wad, pwads, map, scenario_cfg
    train_maps: list[dict[str, Any]] = field(default_factory=list)
    # the planner's route and walkable graph (docs/navigation.md); parsed into a Navigation
    navigation: dict[str, Any] | None = None

    def for_map(self, entry: dict[str, Any]) -> "RunConfig":
        """This config with one `train_maps` entry's wad, pwads, map and scenario_cfg."""
        return dataclasses.replace(self, **entry, train_maps=[])

    @property
    def iwad_path(self) -> str:
        return self.wad if self.wad else BUNDLED_IWAD

    @property
    def scenario_cfg_path(self) -> str | None:
        """The scenario .cfg path; a bare name such as "defend_the_center" means VizDoom's bundled one."""
        if self.scenario_cfg is None:
            return None
        value = self.scenario_cfg
        if os.sep not in value and not value.endswith(".cfg"):
            return os.path.join(SCENARIO_DIR, value + ".cfg")
        return value

    @property
    def map_name(self) -> str:
        return (self.map or "MAP01").upper()


def _build(cls: type, data: dict[str, Any], where: str) -> Any:
    if not isinstance(data, dict):
        raise ConfigError(f"{where or 'config'} must be a JSON object")
    known = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise ConfigError(f"unknown config key(s) {', '.join(where + k for k in unknown)}")
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name == "env":
            values[name] = _build(EnvConfig, value, "env.")
        else:
            values[name] = value
    return cls(**values)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ConfigError(message)


def parse_config(data: dict[str, Any]) -> RunConfig:
    config = _build(RunConfig, data, "")
    env = config.env
    _require(config.agent in AGENTS, f"agent must be one of {', '.join(AGENTS)}, got {config.agent!r}")
    _require(isinstance(config.pwads, list) and all(isinstance(p, str) for p in config.pwads), "pwads must be a list of paths")
    _require(isinstance(config.episodes, int) and config.episodes >= 1, "episodes must be an integer >= 1")
    _require(isinstance(config.iterations, int) and config.iterations >= 1, "iterations must be an integer >= 1")
    _require(config.seed is None or isinstance(config.seed, int), "seed must be an integer or null")
    _require(isinstance(config.telemetry_every, int) and config.telemetry_every >= 0, "telemetry_every must be an integer >= 0 (0 = no step messages)")
    _require(isinstance(config.checkpoint_every, int) and config.checkpoint_every >= 1, "checkpoint_every must be an integer >= 1")
    _require(isinstance(config.progress_every, int) and config.progress_every >= 1, "progress_every must be an integer >= 1")
    _require(isinstance(config.stuck_tics, int) and config.stuck_tics >= 1, "stuck_tics must be an integer >= 1")
    _require(all(isinstance(t, int) and t >= 0 for t in config.screenshot_tics), "screenshot_tics must be a list of tics >= 0")
    _require(isinstance(config.screenshot_on, list) and set(config.screenshot_on) <= set(SCREENSHOT_EVENTS),
             f"screenshot_on may contain only {', '.join(json.dumps(e) for e in SCREENSHOT_EVENTS)}")
    _require(isinstance(config.torch_threads, int) and config.torch_threads >= 1, "torch_threads must be an integer >= 1")
    _require(isinstance(config.dqn, dict), "dqn must be an object of hyper-parameters")
    _require(isinstance(config.train_maps, list), "train_maps must be a list of objects")
    for entry in config.train_maps:
        _require(isinstance(entry, dict) and set(entry) <= MAP_KEYS, f"each train_maps entry may only set {', '.join(sorted(MAP_KEYS))}")
    _require(env.screen_format in ("GRAY8", "RGB24"), "env.screen_format must be GRAY8 or RGB24")
    _require(isinstance(env.frame_skip, int) and env.frame_skip >= 1, "env.frame_skip must be an integer >= 1")
    _require(env.episode_timeout is None or (isinstance(env.episode_timeout, int) and env.episode_timeout >= 1), "env.episode_timeout must be a number of tics >= 1 or null")
    _require(isinstance(env.skill, int) and 1 <= env.skill <= 5, "env.skill must be 1..5")
    _require(env.watchdog_s > 0, "env.watchdog_s must be > 0")
    _require(isinstance(env.god_mode, bool), "env.god_mode must be true or false")
    if config.navigation is not None:
        from .navigation import parse_navigation  # here: navigation.py imports ConfigError from this module

        config.navigation = parse_navigation(config.navigation)
        wanted = config.map_name if config.scenario_cfg is None else None
        if wanted is not None and config.navigation.map != wanted:
            raise ConfigError(f"navigation.map {config.navigation.map} does not match the map to play ({wanted})")
        if config.navigation.skill and config.navigation.skill != env.skill:
            raise ConfigError(f"navigation.skill {config.navigation.skill} does not match env.skill {env.skill}: "
                              "the plan's things (keys, monsters) depend on the skill")
    if config.agent == "navigator":
        _require(env.action_combinations is None, "the navigator plays with its own action set (exact turns); "
                 "leave env.action_combinations out")
        _require(config.navigation is not None, "agent navigator needs a navigation object (the planner's route and "
                 "graph, docs/navigation.md); the platform computes it for every map")
    if config.record_demos:
        _require(config.demo_dir is not None, "record_demos needs demo_dir")
    if config.screenshot_tics:
        _require(config.screenshot_dir is not None, "screenshot_tics needs screenshot_dir")
    return config


def load_config(path: str) -> RunConfig:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError as error:
        raise ConfigError(f"config file not found: {path}") from error
    except json.JSONDecodeError as error:
        raise ConfigError(f"config file {path} is not valid JSON: {error}") from error
    except TypeError as error:
        raise ConfigError(f"config file {path}: {error}") from error
    try:
        return parse_config(data)
    except TypeError as error:
        raise ConfigError(f"config file {path}: {error}") from error
