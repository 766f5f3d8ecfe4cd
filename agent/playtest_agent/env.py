"""DoomEnv: a headless VizDoom game on any WAD and map, with an Arnold-style action set.

It checks every WAD's directory and the map's presence before the engine starts (VizDoom
crashes on a truncated WAD and hangs on a missing map), guards every engine call with the
watchdog, and returns the game variables of every step in a fixed order (VARIABLES).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import vizdoom as vzd

from .actions import ActionSet, one_hot_actions, parse_combinations
from .config import ConfigError, RunConfig
from .wadcheck import WadDirectory, WadError, check_map_present, read_wad_directory
from .watchdog import Watchdog

# The game variables read every step, in this order (indexes below).
VARIABLES = (
    "POSITION_X", "POSITION_Y", "POSITION_Z", "ANGLE", "HEALTH", "ARMOR", "SELECTED_WEAPON_AMMO",
    "SELECTED_WEAPON", "KILLCOUNT", "ITEMCOUNT", "SECRETCOUNT", "DAMAGE_TAKEN", "DAMAGECOUNT",
    "HITCOUNT", "DEAD",
)
X, Y, Z, ANGLE, HEALTH, ARMOR, AMMO, WEAPON, KILLS, ITEMS, SECRETS, DAMAGE_TAKEN, DAMAGE_COUNT, HITS, DEAD = range(len(VARIABLES))
DEFAULT_COMBINATIONS = "move_fb;move_lr;turn_lr;attack"
DEFAULT_USER_MAP_TIMEOUT = 2100  # tics (60 s) when neither the config nor a scenario sets one


@dataclass(frozen=True)
class EnvFeatures:
    """Extra buffers an agent needs (the explorer needs depth and labels; the navigator also sectors)."""

    depth: bool = False
    labels: bool = False
    automap: bool = False
    objects_info: bool = False
    sectors_info: bool = False
    # The world only: no weapon, messages or flashes over the view (they read as depth 0, docs/visual-defects.md).
    clean_view: bool = False


def _read_cfg_keys(path: str) -> dict[str, str]:
    keys: dict[str, str] = {}
    with open(path, encoding="utf-8", errors="replace") as handle:
        for raw in handle:
            line = raw.split("#", 1)[0].strip()
            if "=" in line:
                key, value = line.split("=", 1)
                keys[key.strip().lower()] = value.strip()
    return keys


def _resolution(text: str) -> vzd.ScreenResolution:
    name = "RES_" + text.upper().replace(" ", "")
    if not hasattr(vzd.ScreenResolution, name):
        raise ConfigError(f"env.resolution {text!r} is not a VizDoom resolution (e.g. 160x120, 320x240, 640x480)")
    return getattr(vzd.ScreenResolution, name)


class DoomEnv:
    def __init__(self, config: RunConfig, watchdog: Watchdog, features: EnvFeatures = EnvFeatures(),
                 action_set: ActionSet | None = None) -> None:
        """`action_set` overrides the config's (a checkpoint brings its own)."""
        self.config = config
        self.watchdog = watchdog
        env = config.env
        game = vzd.DoomGame()
        directories: list[WadDirectory] = []
        cfg_path = config.scenario_cfg_path
        map_name = config.map
        timeout = env.episode_timeout
        if cfg_path is not None:
            if not os.path.isfile(cfg_path):
                raise WadError("scenario_not_found", f"scenario config not found: {cfg_path}")
            keys = _read_cfg_keys(cfg_path)
            scenario = keys.get("doom_scenario_path")
            if scenario:
                scenario_path = os.path.join(os.path.dirname(cfg_path), scenario) if not os.path.isabs(scenario) else scenario
                directories.append(read_wad_directory(scenario_path))
            map_name = map_name or keys.get("doom_map")
            game.load_config(cfg_path)
        directories.extend(read_wad_directory(p) for p in config.pwads)
        iwad = read_wad_directory(config.iwad_path)
        directories.append(iwad)
        self.map_name = (map_name or "MAP01").upper()
        self.scenario = os.path.splitext(os.path.basename(cfg_path))[0] if cfg_path else None
        check_map_present(directories, self.map_name)
        self.wads = directories

        game.set_doom_game_path(config.iwad_path)
        if config.pwads:
            if cfg_path is None:
                game.set_doom_scenario_path(config.pwads[0])
                extra = config.pwads[1:]
            else:
                extra = config.pwads
            if extra:
                game.add_game_args("-file " + " ".join(extra))
        game.set_doom_map(self.map_name)
        game.set_screen_resolution(_resolution(env.resolution))
        game.set_screen_format(vzd.ScreenFormat.GRAY8 if env.screen_format == "GRAY8" else vzd.ScreenFormat.RGB24)
        game.set_window_visible(False)
        game.set_sound_enabled(False)
        game.set_mode(vzd.Mode.PLAYER)
        game.set_doom_skill(env.skill)
        game.set_render_hud(env.render_hud)
        if cfg_path is None:
            game.set_render_screen_flashes(False)
        if timeout is None and cfg_path is None:
            timeout = DEFAULT_USER_MAP_TIMEOUT
        if timeout is not None:
            game.set_episode_timeout(timeout)
        if config.seed is not None:
            game.set_seed(config.seed)
        self.god_mode = env.god_mode
        if env.god_mode:
            game.add_game_args("+sv_cheats 1")  # cheats are refused on nightmare (skill 5) without it
        if features.clean_view:
            game.set_render_weapon(False)
            game.set_render_screen_flashes(False)
            game.add_game_args("+cl_showsecretmessage 0 +show_messages 0")
        if action_set is not None:
            if env.action_combinations is not None and env.action_combinations != action_set.combinations:
                raise ConfigError(
                    f"env.action_combinations {env.action_combinations!r} differs from the checkpoint's "
                    f"action set {action_set.combinations or ' '.join(action_set.buttons)!r}; leave it out"
                )
            self.action_set = action_set
        elif env.action_combinations is not None:
            try:
                self.action_set = parse_combinations(env.action_combinations)
            except ValueError as error:
                raise ConfigError(f"env.action_combinations: {error}") from error
        elif cfg_path is not None and game.get_available_buttons():
            self.action_set = one_hot_actions([str(b).split(".")[-1] for b in game.get_available_buttons()])
        else:
            self.action_set = parse_combinations(DEFAULT_COMBINATIONS)
        game.set_available_buttons(self.action_set.vizdoom_buttons())
        game.set_available_game_variables([getattr(vzd.GameVariable, v) for v in VARIABLES])
        game.set_depth_buffer_enabled(env.depth or features.depth)
        game.set_labels_buffer_enabled(env.labels or features.labels)
        game.set_automap_buffer_enabled(env.automap or features.automap)
        game.set_objects_info_enabled(env.objects_info or features.objects_info)
        game.set_sectors_info_enabled(features.sectors_info)
        self._actions = [list(a) for a in self.action_set.actions]
        self.frame_skip = env.frame_skip
        self.episode_timeout = game.get_episode_timeout()
        self.game = game
        self.state: vzd.GameState | None = None
        self.variables = np.zeros(len(VARIABLES), dtype=np.float64)
        self.stopped = False
        # Tic accounting: after a level exit the engine reports an episode time of 0, so the last
        # known time is kept. With `precise_tics` on (an agent sets it when an exit is near), a step
        # plays its frame_skip tics one engine call each, so the exit tic is exact.
        self.precise_tics = False
        self._last_tic = 0
        self.exit_tic_exact = False
        self._guard("init()", game.init)

    def _guard(self, what: str, call, *args):  # type: ignore[no-untyped-def]
        self.watchdog.arm(what, self.config.env.watchdog_s)
        try:
            return call(*args)
        finally:
            self.watchdog.disarm()

    def reset(self, demo_path: str | None = None) -> None:
        """Starts a new episode, recording a demo to `demo_path` when given."""
        if demo_path is None:
            self._guard(f"new_episode() on {self.map_name}", self.game.new_episode)
        else:
            self._guard(f"new_episode() on {self.map_name}", self.game.new_episode, demo_path)
        if self.god_mode:
            # Executed on the next tic, and recorded in the demo (a replay keeps it).
            self.game.send_game_command("god")
        self.precise_tics = False
        self.exit_tic_exact = False
        self._last_tic = int(self.game.get_episode_time())
        self._read_state()

    def replay(self, demo_path: str) -> None:
        """Replays a recorded demo to its end (same config as when it was recorded); the final game
        variables are then in `variables`."""
        self._guard(f"replay_episode({os.path.basename(demo_path)})", self.game.replay_episode, demo_path)
        self._read_state()
        while not self.game.is_episode_finished():
            self.watchdog.arm("advance_action()", self.config.env.watchdog_s)
            self.game.advance_action()
            self.watchdog.disarm()
            if not self.game.is_episode_finished():
                self._read_state()
        self._read_state()

    def step(self, action: int) -> float:
        """Plays `action` for frame_skip tics and returns the reward."""
        # The state just acted on is let go before the engine runs: freeing it (thousands of engine
        # objects with a sectors info) is cheaper now, its memory still warm, than after the engine's
        # tics and the next state's reading (the agent lets go of its own references in act).
        self.state = None
        self.watchdog.arm("make_action()", self.config.env.watchdog_s)
        game = self.game
        if self.precise_tics:
            reward = 0.0
            for _ in range(self.frame_skip):
                before = game.get_episode_time()
                reward += game.make_action(self._actions[action], 1)
                if game.is_episode_finished():
                    self._last_tic = int(before) + 1
                    self.exit_tic_exact = True
                    break
        else:
            reward = game.make_action(self._actions[action], self.frame_skip)
        self.watchdog.disarm()
        self._read_state()
        return reward

    def _read_state(self) -> None:
        state = self.game.get_state()
        self.state = state
        if state is not None and state.game_variables is not None:
            self.variables = state.game_variables  # float64, a new array for every state
            self._last_tic = state.tic if state.tic else self._last_tic
        else:
            # The episode is over: the engine still answers for the final values.
            game = self.game
            self.variables = np.array([game.get_game_variable(getattr(vzd.GameVariable, v)) for v in VARIABLES])
        # With no weapon in hand (my_way_home, health_gathering, take_cover give the player none) the engine says -1
        # for the ammo and the slot; the protocol says 0: nothing loaded, no slot.
        if self.variables[AMMO] < 0 or self.variables[WEAPON] < 0:
            self.variables[AMMO] = max(0.0, self.variables[AMMO])
            self.variables[WEAPON] = max(0.0, self.variables[WEAPON])

    @property
    def finished(self) -> bool:
        return self.game.is_episode_finished()

    @property
    def tic(self) -> int:
        """Tics since the episode started; after a level exit, the exit's tic (exact when the agent
        had `precise_tics` on, else the last tic seen plus at most frame_skip)."""
        time = int(self.game.get_episode_time())
        if time == 0 and self.game.is_episode_finished() and not self.game.is_player_dead():
            return self._last_tic if self.exit_tic_exact else self._last_tic + self.frame_skip
        return time

    @property
    def wad_paths(self) -> list[str]:
        """The WADs in the engine's load order (the IWAD first; a later one overrides a map)."""
        return [self.wads[-1].path] + [d.path for d in self.wads[:-1]]

    def end_reason(self) -> str:
        """death | timeout | exit for a finished episode."""
        if self.game.is_player_dead():
            return "death"
        if self.episode_timeout and self.game.get_episode_time() >= self.episode_timeout:
            return "timeout"
        return "exit"

    def close(self) -> None:
        try:
            self.game.close()
        except Exception:  # noqa: BLE001 - closing a dead engine must not mask the real error
            pass
