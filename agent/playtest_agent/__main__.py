"""Command line: `python -m playtest_agent {evaluate|train} --config run.json`.

`python -m playtest_agent evidence --config run.json --telemetry run.jsonl --episode N --out DIR`
replays the episode's demo at 640x480 with the HUD into a WebM video and screenshots, checked against
the transcript's positions, and prints one JSON summary line (evidence.py); it exits 0 whenever it
printed one, even for missing evidence.

stdout carries protocol messages only (docs/agent-protocol.md); logs go to stderr.
Exit status: 0 completed or stopped by SIGTERM, 2 bad config, 3 bad WAD or map,
4 engine hang (watchdog), 5 engine failure, 1 internal error.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import platform
import sys
import traceback

import vizdoom

from . import __version__
from .config import ConfigError, RunConfig, load_config
from .protocol import PROTOCOL_VERSION, Emitter
from .session import Session, log
from .wadcheck import WadError

EXIT_CONFIG, EXIT_WAD, EXIT_ENGINE, EXIT_INTERNAL = 2, 3, 5, 1
VIZDOOM_ERRORS = tuple(getattr(vizdoom, name) for name in dir(vizdoom) if name.endswith("Exception"))
CAPABILITIES = ["evaluate", "train", "resume", "demos", "screenshots", "drqn", "depth", "labels", "objects_info", "sigterm",
                "navigator", "god_mode", "replay_check", "confidence", "keys", "milestones"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m playtest_agent", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["evaluate", "train", "export", "inspect", "evidence"])
    parser.add_argument("--config", help="run.json (evaluate, train)")
    parser.add_argument("--checkpoint", help="export: the training checkpoint to slim down; inspect: the checkpoint to describe")
    parser.add_argument("--out", help="export: where to write the slim checkpoint; evidence: the folder for the video and screenshots")
    parser.add_argument("--telemetry", help="evidence: the run's transcript (the agent's stdout, JSON lines)")
    parser.add_argument("--episode", type=int, default=0, help="evidence: the episode (default 0)")
    parser.add_argument("--demo", help="evidence: the episode's demo (default <demo_dir>/episode_<NNNN>.lmp)")
    parser.add_argument("--tics", default="", help="evidence: more screenshot tics, comma-separated (findings' tics)")
    parser.add_argument("--tic-step", type=int, default=None, help="evidence: a video frame every K tics (default 2: 17.5 fps)")
    parser.add_argument("--no-video", action="store_true", help="evidence: screenshots only")
    parser.add_argument("--scan", action="store_true",
                        help="evidence: first look for visual defects in the episode (replay_scan.py); their tics get screenshots")
    args = parser.parse_args(argv)
    if args.command == "export":
        from .export import export_checkpoint

        if not args.checkpoint or not args.out:
            parser.error("export needs --checkpoint and --out")
        size = export_checkpoint(args.checkpoint, args.out)
        log(f"wrote {args.out} ({size} bytes)")
        return 0
    if args.command == "inspect":
        import json

        from .inspect_checkpoint import inspect_checkpoint

        if not args.checkpoint:
            parser.error("inspect needs --checkpoint")
        try:
            summary = inspect_checkpoint(args.checkpoint)
        except (ValueError, FileNotFoundError) as error:
            log(f"error: {error}")
            return EXIT_CONFIG
        print(json.dumps(summary, sort_keys=True))
        return 0
    if not args.config:
        parser.error(f"{args.command} needs --config")
    if args.command == "evidence":
        return run_evidence(args, parser)

    emitter = Emitter()
    session = Session(emitter)
    session.install_signal_handlers()  # first thing: a SIGTERM during engine start-up is honoured too

    def fail(code: str, message: str, status: int) -> int:
        log(f"error ({code}): {message}")
        emitter.emit("error", code=code, message=message, fatal=True)
        emitter.emit("done", reason="error", episodes=None, iterations=None, elapsed_s=session.elapsed_s)
        return status

    try:
        config: RunConfig = load_config(args.config)
    except ConfigError as error:
        emit_hello(emitter, args.command, None)
        return fail("config_invalid", str(error), EXIT_CONFIG)
    if args.command == "train" or config.agent == "dqn":
        import torch  # only where needed: importing torch costs about a second

        torch.set_num_threads(config.torch_threads)
    emit_hello(emitter, args.command, config.agent)
    try:
        if args.command == "train":
            from .train import train

            return train(config, session)
        from .evaluate import evaluate

        return evaluate(config, session)
    except ConfigError as error:
        return fail("config_invalid", str(error), EXIT_CONFIG)
    except WadError as error:
        return fail(error.code, error.message, EXIT_WAD)
    except (ValueError, FileNotFoundError) as error:
        return fail("checkpoint_invalid" if "checkpoint" in str(error) else "invalid_input", str(error), EXIT_CONFIG)
    except VIZDOOM_ERRORS as error:
        return fail("engine_failed", f"the engine failed ({type(error).__name__}): {error}", EXIT_ENGINE)
    except Exception as error:  # noqa: BLE001 - report anything else as an internal error, with a trace on stderr
        traceback.print_exc()
        return fail("internal", f"{type(error).__name__}: {error}", EXIT_INTERNAL)
    finally:
        session.watchdog.stop()


def run_evidence(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    import json

    from .evidence import DEFAULT_TIC_STEP, make_evidence, read_telemetry

    if not args.out:
        parser.error("evidence needs --out")
    try:
        tics = [int(t) for t in args.tics.split(",") if t.strip()]
    except ValueError:
        parser.error("--tics must be comma-separated integers")
    summary: dict
    try:
        config = load_config(args.config)
        demo = args.demo or (os.path.join(config.demo_dir, f"episode_{args.episode:04d}.lmp") if config.demo_dir else None)
        positions: dict = {}
        if args.telemetry:
            positions, events = read_telemetry(args.telemetry, args.episode)
            tics += events
        if demo is None:
            summary = {"missing": True, "reason": "no demo: give --demo or a config with demo_dir", "episode": args.episode}
        else:
            scan = scan_episode(config, demo) if args.scan else None
            tics += [finding["tic"] for finding in (scan or {}).get("findings", [])]
            summary = make_evidence(config, demo, args.out, positions, tics, episode=args.episode,
                                    tic_step=args.tic_step or DEFAULT_TIC_STEP, video=not args.no_video)
            if scan is not None:
                summary["visual"] = trusted(scan, summary)
    except (ConfigError, OSError, ValueError) as error:
        summary = {"missing": True, "reason": f"{type(error).__name__}: {error}", "episode": args.episode}
    print(json.dumps(summary, sort_keys=True), flush=True)
    return 0


def scan_episode(config: RunConfig, demo: str) -> dict:
    from .evidence import demo_problem
    from .replay_scan import scan_demo
    from .watchdog import Watchdog

    problem = demo_problem(demo)
    if problem is not None:
        return {"error": problem}
    watchdog = Watchdog(Emitter(sys.stderr))
    try:
        return scan_demo(config, demo, watchdog)
    finally:
        watchdog.stop()


def trusted(scan: dict, summary: dict) -> dict:
    """The scan's findings up to where the evidence replay agreed with the telemetry: a demo that drifts
    shows a different game after the drift, and no evidence replay at all leaves nothing checked."""
    if summary.get("missing"):
        return {**scan, "findings": [], "dropped": len(scan.get("findings", [])), "reason": "the replay could not be checked"}
    drift = summary.get("drift")
    if drift is None:
        return scan
    kept = [f for f in scan.get("findings", []) if f["tic"] is not None and f["tic"] < drift["tic"]]
    return {**scan, "findings": kept, "dropped": len(scan.get("findings", [])) - len(kept),
            "reason": f"after the replay drifted at tic {drift['tic']}"}


def emit_hello(emitter: Emitter, command: str, agent: str | None) -> None:
    emitter.emit(
        "hello",
        protocol=PROTOCOL_VERSION,
        runtime="playtest_agent",
        version=__version__,
        command=command,
        agent=agent,
        vizdoom=vizdoom.__version__,
        torch=importlib.metadata.version("torch"),
        python=platform.python_version(),
        pid=os.getpid(),
        capabilities=CAPABILITIES,
    )


if __name__ == "__main__":
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Everything is written and the engine is closed: skip the interpreter's slow teardown
    # (torch takes about half a second) so that SIGTERM ends the process well within 2 s.
    os._exit(status)
