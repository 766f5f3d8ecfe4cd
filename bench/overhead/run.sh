#!/usr/bin/env bash
# Worker overhead: end-to-end agent steps per second of `playtest test` (the agent subprocess, every
# stdout line decoded and validated, events and metrics derived, every step, episode, event,
# screenshot and demo persisted in SQLite and the folder blob store) versus the agent runtime alone
# with the same config and its stdout thrown away (> /dev/null), side by side in alternating rounds.
# The random agent with a fixed seed on defend_the_center plays the same steps both ways.
#
# Usage: bench/overhead/run.sh [episodes] [rounds]
#   PLAYTEST=path/to/playtest   the binary to measure (default: .build/release/playtest, built here
#                               unless SKIP_BUILD=1)
set -euo pipefail
cd "$(dirname "$0")/../.."
episodes=${1:-800}
rounds=${2:-3}
playtest=${PLAYTEST:-.build/release/playtest}
if [ -z "${SKIP_BUILD:-}" ] && [ -z "${PLAYTEST:-}" ]; then swift build -c release --product playtest >/dev/null; fi
python=.venv/bin/python
vizdoom=$($python -c 'import os, vizdoom; print(os.path.dirname(vizdoom.__file__))')
work=$(mktemp -d /tmp/ptb-XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/shots" "$work/demos"
# Exactly the run.json the worker writes for this run (RunWorkspace / AgentConfig), minus its temp paths.
cat > "$work/ref.json" <<JSON
{"agent":"random","scenario_cfg":"defend_the_center","pwads":["$vizdoom/scenarios/defend_the_center.wad"],"map":"MAP01",
 "episodes":$episodes,"seed":5,"telemetry_every":1,"screenshot_dir":"$work/shots","screenshot_tics":[35],
 "screenshot_on":["death","stuck"],"record_demos":true,"demo_dir":"$work/demos","env":{"skill":3}}
JSON
# Wall seconds, and CPU seconds of the process and every child it waited for (agent, VizDoom engine).
timed() { /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" >/dev/null 2>&1; awk '{print $1, $2 + $3}' "$work/time"; }
ref_steps=$(PYTHONPATH=agent $python -m playtest_agent evaluate --config "$work/ref.json" 2>/dev/null | grep -c '"type":"step"')
echo "defend_the_center, random agent, seed 5, $episodes episodes ($ref_steps steps), $rounds rounds (alternating)"
ours=(); ref=()
for r in $(seq "$rounds"); do
  ref+=("$(PYTHONPATH=agent timed $python -m playtest_agent evaluate --config "$work/ref.json")")
  rm -rf "$work/data"
  ours+=("$(PLAYTEST_DATA_DIR="$work/data" timed "$playtest" test defend_the_center --agent random --episodes "$episodes" --seed 5 --format json)")
  stored=$(sqlite3 "$work/data/playtest.sqlite" "SELECT COUNT(*) FROM run_steps")
  [ "$stored" = "$ref_steps" ] || { echo "round $r: stored $stored steps, the agent alone played $ref_steps" >&2; exit 1; }
done
# Wall-clock rates swing with the machine's load; steps per CPU-second (ours: the worker, the agent and
# its engine together) swing less, so both are shown. The load also drifts between rounds, so each
# round's pair (the agent alone, then ours right after it) gives a ratio too.
python3 - "$ref_steps" "$(IFS=,; echo "${ours[*]}")" "$(IFS=,; echo "${ref[*]}")" <<'PY'
import statistics, sys
steps = int(sys.argv[1])
ours = [tuple(map(float, x.split())) for x in sys.argv[2].split(",")]
ref = [tuple(map(float, x.split())) for x in sys.argv[3].split(",")]
def rates(rounds, index): return [steps / r[index] for r in rounds]
for label, index in (("wall", 0), ("CPU", 1)):
    o, r = rates(ours, index), rates(ref, index)
    mo, mr = statistics.median(o), statistics.median(r)
    unit = "steps/s" if index == 0 else "steps/CPU-s"
    print(f"{label:4} playtest test (all telemetry stored): {mo:7.0f} {unit}  (rounds: {', '.join(f'{x:.0f}' for x in o)})")
    print(f"{label:4} agent alone, stdout to /dev/null    : {mr:7.0f} {unit}  (rounds: {', '.join(f'{x:.0f}' for x in r)})")
    pairs = sorted(a / b for a, b in zip(o, r))
    print(f"{label:4} ratio of the medians                : {mo/mr:7.2f}   (target >= 0.85)")
    print(f"{label:4} ratio per round (ours / the agent alone right before it): median {statistics.median(pairs):.2f}"
          f"  (rounds: {', '.join(f'{x:.2f}' for x in pairs)})")
PY
