"""Reads `wrk --latency` output on stdin and prints "p50_ms p99_ms requests_per_s"; fails on any non-2xx/3xx answer,
unless `--floor` (a floor measured on purpose with a 404), and on any request that timed out (its latency is not in
wrk's figures: a run where every request timed out reads 0 ms).

    wrk -t2 -c16 -d10s --latency URL | python3 bench/wrk_summary.py [--floor]
"""

import re
import sys

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def main() -> None:
    text = sys.stdin.read()
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if bad and "--floor" not in sys.argv[1:]:
        sys.exit(f"{bad.group(1)} non-2xx answers")
    timeouts = re.search(r"Socket errors: .*timeout (\d+)", text)
    if timeouts and int(timeouts.group(1)) > 0:
        sys.exit(f"{timeouts.group(1)} requests timed out (wrk gives up after 2 s)")
    percentiles = {int(p): float(v) * UNITS[u] for p, v, u in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)}
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    print(f"{percentiles[50]:.2f} {percentiles[99]:.2f} {rps:.0f}")


if __name__ == "__main__":
    main()
