"""Subscribes to a test run on /ws and notes when each episode's `testing_progress` arrives; then pairs them with the
agent's `episode_end` times from agent_tap.py's log and prints the latency percentiles.

Usage: ws_latency.py <base ws url> <test id> <episodes> <tap log>
"""

import asyncio
import json
import os
import statistics
import sys
import time

import websockets


async def watch(url: str, test_id: str, episodes: int) -> dict[int, float]:
    arrivals: dict[int, float] = {}
    # The key run.sh made for the server's administrator (the hub refuses anonymous clients).
    headers = {"X-API-Key": os.environ["PLAYTEST_API_KEY"]} if os.environ.get("PLAYTEST_API_KEY") else {}
    async with websockets.connect(f"{url}/ws?run_id={test_id}", additional_headers=headers) as socket:
        async for frame in socket:
            now = time.time()
            message = json.loads(frame)
            kind = message.get("type")
            if kind == "testing_progress":
                done = message["episodes_completed"]
                if done not in arrivals and done > 0:
                    arrivals[done] = now  # episodes_completed = k means episode k-1 just ended
            if kind in ("testing_completed", "run_failed", "run_stopped") or len(arrivals) >= episodes:
                return arrivals
    return arrivals


def main() -> None:
    url, test_id, episodes, log_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    arrivals = asyncio.run(watch(url, test_id, episodes))
    ended = {}
    with open(log_path) as log:
        for line in log:
            episode, at = line.split()
            ended.setdefault(int(episode), float(at))
    latencies = sorted((arrivals[k] - ended[k - 1]) * 1000 for k in arrivals if k - 1 in ended)
    if not latencies:
        print("no episode was matched", file=sys.stderr)
        sys.exit(1)
    p = lambda q: latencies[min(len(latencies) - 1, int(round(q * (len(latencies) - 1))))]
    print(json.dumps({"episodes": len(latencies), "p50_ms": round(p(0.5), 1), "p99_ms": round(p(0.99), 1),
                      "max_ms": round(latencies[-1], 1), "mean_ms": round(statistics.mean(latencies), 1)}))


if __name__ == "__main__":
    main()
