#!/usr/bin/env bash
# Progression planner benchmark: plans Freedoom Phase 1 (E1M1–E4M9) and Phase 2 (MAP01–MAP32), VizDoom's copies,
# at skill 2 with a release build of PlannerBench, and writes bench/results/progression.md: per map the verdict,
# the steps, the states searched and the milliseconds; the totals (completable maps against the 95% target, total
# planning time against the 2 s target, one map after another and all side by side on every core, time per phase). A planner has no reference implementation to run beside
# it, so the reference side is the previous run: the figures the file held before (its commit is named) are
# compared map by map.
#
#   bench/progression/run.sh
# Env: PLANNERBENCH (a PlannerBench binary; default: build one with swift build -c release --product PlannerBench),
#      PYTHON (default .venv/bin/python, for the vizdoom package's WADs), SKILL (default 2),
#      OUT (default bench/results/progression.md), COMMIT (what to call the code measured; default the checkout's
#      commit, with "+changes" when the tree differs from it).
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON="${PYTHON:-.venv/bin/python}"
SKILL="${SKILL:-2}"
OUT="${OUT:-bench/results/progression.md}"
if [ -z "${PLANNERBENCH:-}" ]; then
    swift build -c release --product PlannerBench >&2
    PLANNERBENCH=.build/release/PlannerBench
fi
[ -x "$PLANNERBENCH" ] || { echo "PlannerBench not found at $PLANNERBENCH" >&2; exit 2; }
vizdoom="$("$PYTHON" -c 'import os, vizdoom; print(os.path.dirname(vizdoom.__file__))')"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
load="$(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f '%U %S %e' -o "$work/time" "$PLANNERBENCH" "$SKILL" "$vizdoom/freedoom1.wad" "$vizdoom/freedoom2.wad" > "$work/plans.jsonl"
commit="${COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo '+changes')}"
python3 - "$work/plans.jsonl" "$work/time" "$OUT" "$commit" "$load" "$SKILL" "$(nproc)" <<'PY'
import json, sys, re, datetime, os
plans_path, time_path, out, commit, load, skill, cores = sys.argv[1:8]
rows = [json.loads(line) for line in open(plans_path)]
maps = [r for r in rows if "map" in r]
summary = next(r for r in rows if "summary" in r)
user, system, wall = (float(x) for x in open(time_path).read().split())
completable = sum(1 for m in maps if m["verdict"] == "completable")
total_ms = sum(m["ms"] for m in maps)
target_maps = -(-95 * len(maps) // 100)   # 95%, rounded up
phases = {}
for m in maps:
    for name, ms in m["phases"].items():
        phases[name] = phases.get(name, 0) + ms

# The previous figures: the table and the totals this file held before.
previous, previous_commit, previous_total, previous_count = {}, None, None, None
if os.path.exists(out):
    text = open(out).read()
    found = re.search(r"^Code: commit `([^`]+)`", text, re.M)
    previous_commit = found.group(1) if found else None
    found = re.search(r"^\| completable \| (\d+) of \d+", text, re.M)
    previous_count = int(found.group(1)) if found else None
    found = re.search(r"^\| planning time, sum over the maps \| ([0-9.]+) s", text, re.M)
    previous_total = float(found.group(1)) if found else None
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 8 and re.fullmatch(r"(E\dM\d|MAP\d\d)", cells[0]):
            previous[cells[0]] = {"verdict": cells[1], "steps": cells[2], "ms": cells[6]}

def short(reason, n=150):
    reason = reason.replace("|", "/")
    return reason if len(reason) <= n else reason[: n - 1] + "…"

lines = []
lines.append("# Progression planner benchmark")
lines.append("")
lines.append(f"Machine: {cores}-core box shared with other engineers' builds (load average {load} when the run began, so")
lines.append("the times are noisy: CPU time is given beside the wall time). Date: " + datetime.date.today().isoformat() + ".")
lines.append(f"Code: commit `{commit}`. Command: `bench/progression/run.sh` (release PlannerBench, skill {skill}, VizDoom's")
lines.append("freedoom1.wad and freedoom2.wad; one process plans the maps one after the other, then all of them again side by side).")
lines.append("")
lines.append("## Totals")
lines.append("")
lines.append("| figure | this run | target | previous run" + (f" (`{previous_commit}`)" if previous_commit else "") + " |")
lines.append("| --- | --- | --- | --- |")
lines.append(f"| completable | {completable} of {len(maps)} ({100 * completable / len(maps):.0f}%) | ≥ {target_maps} (95%, all were finished by people) | "
             + (f"{previous_count} of {len(maps)}" if previous_count is not None else "none recorded") + " |")
lines.append(f"| planning time, sum over the maps | {total_ms / 1000:.2f} s | ≤ 2 s | "
             + (f"{previous_total:.2f} s" if previous_total is not None else "none recorded") + " |")
lines.append(f"| all the maps side by side on {summary['batch_concurrency']} cores (as `playtest plan <wad>` does), wall | "
             f"{summary['batch_seconds']:.2f} s | ≤ 2 s | |")
lines.append(f"| the whole process (both passes) | {wall:.2f} s wall, {user + system:.2f} s CPU (reading the WADs included) | | |")
lines.append("")
lines.append("Time per phase, summed over the maps: " + ", ".join(f"{name} {ms / 1000:.2f} s" for name, ms in
             sorted(phases.items(), key=lambda kv: -kv[1])) + ".")
lines.append("(geometry: sector polygons and the point-in-sector grid; model: line specials; graph: the walkable graph;")
lines.append("world: the planner's tables; search: the search over states; finish: cutting the route and narrating it, or")
lines.append("the diagnosis of a blocked map.)")
lines.append("")
changed = [m for m in maps if m["map"] in previous and previous[m["map"]]["verdict"] != m["verdict"]]
if previous:
    lines.append("Verdicts that changed since the previous run: "
                 + (", ".join(f"{m['map']} {previous[m['map']]['verdict']} → {m['verdict']}" for m in changed) if changed else "none") + ".")
    lines.append("")
lines.append("## Per map")
lines.append("")
lines.append("| map | verdict | steps | states | nodes | edges | ms | previous | why (when not completable) |")
lines.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |")
for m in maps:
    p = previous.get(m["map"])
    before = f"{p['verdict']}, {p['steps']} steps, {p['ms']} ms" if p else ""
    why = "" if m["verdict"] == "completable" else short(m["reason"])
    lines.append(f"| {m['map']} | {m['verdict']} | {m['steps']} | {m['states']} | {m['nodes']} | {m['edges']} | {m['ms']:.0f} | {before} | {why} |")
open(out, "w").write("\n".join(lines) + "\n")
print(f"completable {completable}/{len(maps)} (target {target_maps}); planning time {total_ms / 1000:.2f} s, side by side "
      f"{summary['batch_seconds']:.2f} s wall (target 2 s); "
      f"process {wall:.2f} s wall, {user + system:.2f} s CPU; wrote {out}")
PY
