"""`evaluate`: plays N episodes with one agent and reports everything on stdout.

Per episode: episode_start, a `step` message every `telemetry_every` steps, screenshots
(`artifact`, kind screenshot) at the requested tics, on death, when the player has not
moved for `stuck_tics` and at milestones (Milestones: a kill count reaching 1, 10, 25, 50 or 100,
a secret found, a key picked up, the last frame of an episode ended by the exit or by the timeout),
an episode_end with the engine's totals, and the recorded demo
(`artifact`, kind demo) when `record_demos` is on. A demo of an episode that reached the exit is
replayed in a second engine to check that it reaches the exit at the same tic (replay.py); the
artifact carries the result as `replay`. An agent adds what it knows to every step message: the
confidence of its decision (dqn, navigator) as `confidence`, the keys it holds (navigator) as `keys`,
its current goal (navigator) as `goal`, which episode_end carries too. SIGTERM ends the current
episode with reason "stopped", then `done`.
"""

from __future__ import annotations

import json
import math
import os

from . import env as E
from .agents import make_agent
from .config import RunConfig
from .env import DoomEnv
from .png import write_png
from .protocol import format_step, step_extra
from .replay import DemoReplayer
from .session import EpisodeTracker, Session, episode_end_fields

STUCK_RADIUS = 16.0  # map units: moving less than this counts as "no movement"
KILL_MILESTONES = (1, 10, 25, 50, 100)  # kill counts the platform awards a milestone for
MILESTONE_SHOTS = 16  # milestone screenshots per episode at most (a map full of secrets)


class ScreenshotPolicy:
    """Decides when to save a screenshot: requested tics, death, and no movement for stuck_tics."""

    def __init__(self, config: RunConfig, episode: int) -> None:
        self.directory = config.screenshot_dir
        self.tics = sorted(config.screenshot_tics)
        self.on_death = "death" in config.screenshot_on and self.directory is not None
        self.on_stuck = "stuck" in config.screenshot_on and self.directory is not None
        self.stuck_tics = config.stuck_tics
        self.episode = episode
        self._next = 0
        self._anchor: tuple[float, float, int] | None = None

    def due(self, tic: int, x: float, y: float) -> list[str]:
        """Reasons to take a screenshot now ("tic", "stuck")."""
        reasons = []
        while self._next < len(self.tics) and self.tics[self._next] <= tic:
            self._next += 1
            if "tic" not in reasons:
                reasons.append("tic")
        if self.on_stuck:
            if self._anchor is None or math.hypot(x - self._anchor[0], y - self._anchor[1]) > STUCK_RADIUS:
                self._anchor = (x, y, tic)
            elif tic - self._anchor[2] >= self.stuck_tics:
                reasons.append("stuck")
                self._anchor = (x, y, tic)  # once per stuck_tics of standing still
        return reasons


class Milestones:
    """Spots the steps where an engine counter behind a milestone changes: the kill count reaching one of
    KILL_MILESTONES, the secret count rising, a key new among those the agent holds (`keys_json`, when the
    agent knows its keys). One screenshot a step at most, MILESTONE_SHOTS an episode; the last is kept for
    the episode's end (the exit or the timeout reached alive), the milestone most worth a picture."""

    def __init__(self, values: list[float], keys_json: str | None) -> None:
        self.kills, self.secrets = values[E.KILLS], values[E.SECRETS]
        self.keys_json = keys_json
        self.keys = set(json.loads(keys_json)) if keys_json is not None else set()
        self.left = MILESTONE_SHOTS

    def reached(self, values: list[float], keys_json: str | None) -> bool:
        """Whether this step's counters (and keys) make a milestone; a few comparisons when none changed."""
        reached = False
        kills, secrets = values[E.KILLS], values[E.SECRETS]
        if kills != self.kills:
            reached = any(self.kills < count <= kills for count in KILL_MILESTONES)
            self.kills = kills
        if secrets != self.secrets:
            reached = reached or secrets > self.secrets
            self.secrets = secrets
        if keys_json != self.keys_json:
            keys = set(json.loads(keys_json)) if keys_json is not None else set()
            reached = reached or bool(keys - self.keys)
            self.keys_json, self.keys = keys_json, keys
        return reached

    def take(self, at_end: bool = False) -> bool:
        """Whether a milestone screenshot may be taken now (one is always left for the end)."""
        if self.left > (0 if at_end else 1):
            self.left -= 1
            return True
        return False


def evaluate(config: RunConfig, session: Session) -> int:
    emit = session.emitter.emit
    agent = make_agent(config)
    env = DoomEnv(config, session.watchdog, features=agent.features, action_set=agent.action_set)
    for directory in (config.screenshot_dir, config.demo_dir):
        if directory:
            os.makedirs(directory, exist_ok=True)
    buttons_json = [json.dumps(env.action_set.pressed(i)) for i in range(len(env.action_set))]
    emitter = session.emitter
    every = config.telemetry_every
    episodes_done = 0
    pending_demo: tuple[str, int, int, str, bool] | None = None  # path, episode, tic, end reason, tic exact
    replayer = DemoReplayer(config, session.watchdog, env.action_set)

    def screenshot(screen, reason: str, episode: int, tic: int) -> None:  # type: ignore[no-untyped-def]
        path = os.path.join(config.screenshot_dir or ".", f"episode_{episode:04d}_tic_{tic:06d}_{reason}.png")
        write_png(path, screen)
        emit("artifact", kind="screenshot", path=path, reason=reason, episode=episode, tic=tic)

    def report_demo() -> None:
        nonlocal pending_demo
        if pending_demo is not None and os.path.isfile(pending_demo[0]):
            path, episode, tic, end, exact = pending_demo
            extra = {}
            if end == "exit" and not session.stop_requested:
                replay = replayer.check(path, tic, exact, stop=lambda: session.stop_requested)
                if replay is not None:  # None: stopped by SIGTERM first
                    extra["replay"] = replay
            emit("artifact", kind="demo", path=path, reason="episode", episode=episode, tic=tic, **extra)
        pending_demo = None

    for episode in range(config.episodes):
        if session.stop_requested:
            break
        demo_path = os.path.join(config.demo_dir, f"episode_{episode:04d}.lmp") if config.record_demos and config.demo_dir else None
        env.reset(demo_path)
        report_demo()  # the previous episode's demo is complete once a new episode starts
        agent.begin_episode(env)
        emit("episode_start", episode=episode, map=env.map_name, scenario=env.scenario, seed=config.seed, demo_path=demo_path)
        tracker = EpisodeTracker()
        tracker.visit(env.variables)
        shots = ScreenshotPolicy(config, episode)
        last_screen = env.state.screen_buffer if env.state is not None else None
        step = 0
        reason = None
        # The hot loop: engine calls and methods bound to locals, one step line per `every` steps.
        is_finished, episode_time = env.game.is_episode_finished, env.game.get_episode_time
        act, play, add, emit_step = agent.act, env.step, tracker.add, emitter.emit_step_line
        want_shots = config.screenshot_dir is not None
        # What the agent knows beyond the engine's variables (the navigator all three, dqn its confidence).
        has_goal, has_keys, has_confidence = hasattr(agent, "goal_json"), hasattr(agent, "keys_json"), hasattr(agent, "confidence")
        has_extra = has_goal or has_keys or has_confidence
        milestones = None
        if want_shots and "milestone" in config.screenshot_on:
            milestones = Milestones(env.variables.tolist(), agent.keys_json if has_keys else None)  # type: ignore[attr-defined]
        milestone_at_end = False  # a milestone on the step that ended the episode (no screen of its own)
        while not is_finished():
            if session.stop_requested:
                reason = "stopped"
                break
            action = act(env)
            reward = play(action)
            values = env.variables.tolist()
            x, y = values[E.X], values[E.Y]
            add(x, y, reward)
            step += 1
            tic = episode_time() or env.tic  # the engine says 0 once the level is left
            if every and step % every == 0:
                extra = step_extra(agent.confidence if has_confidence else None,  # type: ignore[attr-defined]
                                   agent.keys_json if has_keys else None,  # type: ignore[attr-defined]
                                   agent.goal_json if has_goal else None) if has_extra else ""  # type: ignore[attr-defined]
                emit_step(format_step(episode, step, tic, values, action, buttons_json[action], reward, extra))
            state = env.state
            milestone = milestones is not None and milestones.reached(values, agent.keys_json if has_keys else None)  # type: ignore[attr-defined]
            if state is not None:
                last_screen = state.screen_buffer
                if want_shots:
                    for why in shots.due(tic, x, y):
                        screenshot(last_screen, why, episode, tic)
                    if milestone and milestones.take():  # type: ignore[union-attr]
                        screenshot(last_screen, "milestone", episode, tic)
            elif milestone:
                milestone_at_end = True  # e.g. the kill that ends the scenario: shot with the last frame below
        if reason is None:
            reason = env.end_reason()
            survived = reason in ("exit", "timeout")
            if milestones is not None and (survived or milestone_at_end) and last_screen is not None and milestones.take(at_end=True):
                screenshot(last_screen, "milestone", episode, env.tic)
            if reason == "death" and shots.on_death and last_screen is not None:
                screenshot(last_screen, "death", episode, env.tic)
        end = episode_end_fields(env, tracker, episode, reason)
        if has_goal and agent.goal_json is not None:  # type: ignore[attr-defined]
            end["goal"] = json.loads(agent.goal_json)  # type: ignore[attr-defined]
        if getattr(agent, "unanswered_presses", None):
            end["unanswered_presses"] = agent.unanswered_presses
        emit("episode_end", **end)
        episodes_done += 1
        if demo_path is not None:
            pending_demo = (demo_path, episode, env.tic, reason, env.exit_tic_exact)
    env.close()  # finishes the last demo file
    report_demo()
    replayer.close()
    emit("done", reason="stopped" if session.stop_requested else "completed", episodes=episodes_done,
         iterations=None, elapsed_s=session.elapsed_s)
    return 0
