"""Writes the "Faults" section of a results file (bench/results/cluster.md) from Tests/chaos/chaos.sh's report.

    faults_report.py REPORT.json RESULTS.md

The table of the run, then each scenario's checks and notes; the rest of RESULTS.md (the Load section) is kept.
"""

import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(REPO, "bench", "cluster"))
from chaos import table_markdown  # noqa: E402
from report import splice  # noqa: E402


def sh(command):
    try:
        return subprocess.run(command, shell=True, capture_output=True, text=True, cwd=REPO).stdout.strip()
    except OSError:
        return "?"


def flat(text):
    """One line, and markup-free: an nginx error page quoted in a note must not render as HTML."""
    return " ".join(str(text).split()).replace("<", "&lt;").replace(">", "&gt;")


def main():
    summary = json.load(open(sys.argv[1]))
    model = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
    dirty = " (uncommitted changes in the tree)" if sh("git status --porcelain --untracked-files=no") else ""
    lines = ["## Faults", "",
             f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {os.cpu_count()} cores ({model}), "
             f"commit {sh('git rev-parse --short HEAD')}{dirty}, load average {' '.join(open('/proc/loadavg').read().split()[:3])} "
             f"at the end. Command:", "", "```sh",
             "CHAOS_RESULTS=bench/results/cluster.md Tests/chaos/chaos.sh", "```", "",
             f"Light background load through nginx the whole time (3 users reading, starting 1-episode runs and "
             f"uploading small maps; a prober reading every 0.2 s). Failover window: {summary['failover_s']:.0f} s after "
             f"a process kill; for an engine down a while, from its kill until {summary['failover_s']:.0f} s after it is "
             f"back. 5xx and connection errors are counted from the fault to the next scenario's fault; GET "
             f"/api/v1/health is counted apart (its 503 is its verdict). Time to recover: from the fault until every "
             f"route that failed (asked at least 5 times in the scenario, and the uploads in the S3 one) answered "
             f"successfully again after its last failure; the slowest route is named.", "",
             table_markdown(summary), ""]
    for row in summary["rows"]:
        if row.get("skipped"):
            continue
        lines.append(f"**{row['scenario']}** ({row['fault']}):")
        lines.append("")
        for check in row["checks"]:
            mark = "ok" if check["ok"] else ("**FAIL**" if check["hard"] else "**not met**")
            lines.append(f"- {mark} {check['name']}: {flat(check['detail'])}")
        for note in row["notes"]:
            lines.append(f"- note: {flat(note)}")
        if row.get("statuses"):
            lines.append(f"- failed requests by route and status: {', '.join(row['statuses'])}")
        if row.get("failed_errors"):
            lines.append(f"- failed runs' errors: {'; '.join(row['failed_errors'])}")
        lines.append("")
    splice(sys.argv[2], "faults", "\n".join(lines))


if __name__ == "__main__":
    main()
