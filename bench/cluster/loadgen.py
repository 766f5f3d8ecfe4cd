"""Load on a Playtest cluster through nginx (bench/cluster/load.sh drives it).

    loadgen.py setup   --url URL --ca CERT --state STATE.json               accounts, maps and finished runs to read
    loadgen.py step    --url URL --ca CERT --state STATE.json --users U --seconds S --label L --out OUT.jsonl
                       [--cluster-dir DIR] [--warmup W] [--think T]
    loadgen.py fanout  --url URL --ca CERT --state STATE.json --cluster-dir DIR --subscribers N --out OUT.jsonl

`step` runs U virtual users for W + S seconds (only requests that start in the last S seconds count) and appends one
JSON line: per endpoint the requests, requests/s, p50/p90/p99/max and errors; the test runs started and how they
ended; the WebSocket subscribers and which upstream served each (nginx's access log); CPU per cluster process.

A virtual user is a signed-in person on the site, one keep-alive connection, a think time between actions (exponential,
mean T seconds), and this mix: list runs and maps, open a map, a run's results and artifacts, the HTML pages, the
health probe, upload a WAD (VizDoom's basic.wad as is: deduplicated by sha256; basic.wad with a random extra lump: a
new map; rarely Freedoom Phase 2, 28 MB, deduplicated after the first), start a short test run (1 episode of the
random agent on the built-in VizDoom basic map, 2 s of game time) when it has none going, then poll its status about
once a second and follow it on a WebSocket (`/ws?run_id=…`) until it ends, and now and then sign in again (bcrypt
cost 12). Besides the users, `--watchers` subscribers to every run's status changes (`/ws?run_id=*`) listen for the
whole step.

`fanout` starts one longer run (60 episodes), connects N subscribers to it through nginx (least_conn spreads them over
the servers), and reports, per upstream, how many of them got its progress and its end.
"""

import argparse
import asyncio
import glob
import json
import os
import random
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ptclient import FINAL, Api, Recorder, Watcher, nginx_ws_upstreams, percentile, wad_with_nonce  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
ACCOUNTS = 8
PASSWORD = "load-password-{}"


def basic_wad():
    paths = sorted(glob.glob(os.path.join(REPO, ".venv/lib/python3*/site-packages/vizdoom/scenarios/basic.wad")))
    if not paths:
        sys.exit("loadgen: no VizDoom basic.wad under .venv")
    return paths[0]


BIG_WAD = "/usr/share/games/doom/freedoom2.wad"
# The load measures the API and the runs; each run's colour replay (docs/evidence.md) is background work it leaves out.
NO_EVIDENCE = {"evidence": False}


# ---- setup -------------------------------------------------------------------------------------------------------

async def setup(args):
    recorder = Recorder()
    admin = Api(args.url, args.ca, recorder)
    if not await admin.login(args.admin_email, args.admin_password):
        sys.exit(f"loadgen: cannot sign in as {args.admin_email}: {recorder.rows[-1]}")
    tokens = []
    for index in range(1, ACCOUNTS + 1):
        email = f"load{index}@playtest.test"
        response = await admin.post_json("POST /users", "/api/v1/users",
                                         {"email": email, "password": PASSWORD.format(index), "role": "user"},
                                         expect=(201, 409))
        if response is None or response.status not in (201, 409):
            sys.exit(f"loadgen: cannot create {email}: {recorder.rows[-1]}")
        user = Api(args.url, args.ca, recorder)
        if not await user.login(email, PASSWORD.format(index)):
            sys.exit(f"loadgen: cannot sign in as {email}: {recorder.rows[-1]}")
        tokens.append(user.token)
        user.close()
    # The built-in VizDoom basic map (the test runs), and the uploads to read.
    maps = (await admin.get("GET /maps", "/api/v1/maps?limit=500")).json()["maps"]
    scenario = next(m["id"] for m in maps if m["filename"] == "basic.wad" and m["builtin"])
    uploaded = await admin.upload("basic.wad", open(basic_wad(), "rb").read(), name="load: basic")
    map_ids = [scenario, uploaded.json()["id"]] + [m["id"] for m in maps if m["builtin"]][:6]
    # A few finished runs for the results and run pages.
    run_ids = []
    for _ in range(4):
        run_ids.append(await admin.start_test(scenario, episodes=2, episode_time=2, extra=NO_EVIDENCE))
    deadline = time.monotonic() + 120
    for run_id in run_ids:
        while time.monotonic() < deadline:
            status = (await admin.get("GET /testing/{id}/status", f"/api/v1/testing/{run_id}/status")).json()
            if status["status"] in FINAL:
                break
            await asyncio.sleep(0.5)
    admin.close()
    state = {"tokens": tokens, "scenario_map": scenario, "map_ids": map_ids, "run_ids": run_ids,
             "admin_token": admin.token, "created": time.time()}
    with open(args.state, "w") as handle:
        json.dump(state, handle)
    print(f"loadgen: setup done: {len(tokens)} accounts, maps {len(map_ids)}, runs {run_ids}")


# ---- the virtual user --------------------------------------------------------------------------------------------

class Shared:
    def __init__(self, args, state, recorder):
        self.args, self.state, self.recorder = args, state, recorder
        self.basic = open(basic_wad(), "rb").read()
        self.big = open(BIG_WAD, "rb").read() if os.path.exists(BIG_WAD) else None
        self.map_ids = list(state["map_ids"])
        self.run_ids = list(state["run_ids"])
        self.stop = False
        self.runs = []          # dicts: id, user, started_t, ended_t, status, watcher, episodes
        self.watchers = []
        self.ws_base = args.url.replace("https://", "wss://").replace("http://", "ws://")
        self.serial = 0

    def name(self, prefix):
        self.serial += 1
        return f"{self.args.tag}-{prefix}{self.serial}"


ACTIONS = [  # (weight, name)
    (15, "list_runs"), (10, "list_maps"), (8, "get_map"), (8, "run_results"), (4, "run_artifacts"), (3, "get_run"),
    (4, "page_dashboard"), (4, "page_runs"), (2, "page_run"), (3, "page_map"), (2, "health"),
    (1.5, "upload_same"), (1.5, "upload_new"), (0.15, "upload_big"), (4, "start_test"), (0.5, "login"),
]
TOTAL_WEIGHT = sum(weight for weight, _ in ACTIONS)


def pick():
    point = random.uniform(0, TOTAL_WEIGHT)
    for weight, name in ACTIONS:
        point -= weight
        if point <= 0:
            return name
    return ACTIONS[-1][1]


async def user(index, shared):
    recorder, args = shared.recorder, shared.args
    api = Api(args.url, args.ca, recorder, token=shared.state["tokens"][index % len(shared.state["tokens"])])
    account = index % len(shared.state["tokens"]) + 1
    run = None
    last_poll = 0.0
    # Users do not start in lockstep.
    await asyncio.sleep(random.uniform(0, args.think))
    while not shared.stop:
        # A run of this user's that is going: poll its status about once a second.
        if run is not None and time.monotonic() - last_poll >= 1.0:
            last_poll = time.monotonic()
            response = await api.get("GET /testing/{id}/status", f"/api/v1/testing/{run['id']}/status")
            if response is not None and response.status == 200:
                status = response.json()["status"]
                run["status"] = status
                if status in FINAL:
                    run["ended_t"] = recorder.now()
                    results = await api.get("GET /testing/{id}/results", f"/api/v1/testing/{run['id']}/results")
                    if results is not None and results.status == 200:
                        run["episodes"] = [e["episode_num"] for e in results.json()["episodes"]]
                    # Give the WebSocket a moment for the final message, then close it.
                    asyncio.ensure_future(close_later(run["watcher"], 2.0))
                    if status == "completed":
                        shared.run_ids.append(run["id"])
                    run = None
        action = pick()
        map_id = random.choice(shared.map_ids)
        run_id = random.choice(shared.run_ids[-50:])
        if action == "list_runs":
            await api.get("GET /runs", "/api/v1/runs?limit=20")
        elif action == "list_maps":
            await api.get("GET /maps", "/api/v1/maps?limit=50")
        elif action == "get_map":
            await api.get("GET /maps/{id}", f"/api/v1/maps/{map_id}")
        elif action == "run_results":
            await api.get("GET /testing/{id}/results", f"/api/v1/testing/{run_id}/results")
        elif action == "run_artifacts":
            await api.get("GET /runs/{id}/artifacts", f"/api/v1/runs/{run_id}/artifacts")
        elif action == "get_run":
            await api.get("GET /runs/{id}", f"/api/v1/runs/{run_id}")
        elif action == "page_dashboard":
            await api.get("page /", "/", accept="text/html")
        elif action == "page_runs":
            await api.get("page /runs", "/runs", accept="text/html")
        elif action == "page_run":
            await api.get("page /runs/{id}", f"/runs/{run_id}", accept="text/html")
        elif action == "page_map":
            await api.get("page /maps/{id}", f"/maps/{map_id}", accept="text/html")
        elif action == "health":
            await api.get("GET /health", "/api/v1/health", expect=(200,))
        elif action == "upload_same":
            await api.upload("basic.wad", shared.basic, name="load: basic", label="POST /maps/upload (duplicate)")
        elif action == "upload_new":
            response = await api.upload("basic-variant.wad", wad_with_nonce(shared.basic), name="load: basic variant",
                                        label="POST /maps/upload (new)")
            if response is not None and response.status == 201:
                shared.map_ids.append(response.json()["id"])
        elif action == "upload_big":
            if shared.big:
                await api.upload("freedoom2.wad", shared.big, name="load: freedoom2", label="POST /maps/upload (28 MB)")
        elif action == "start_test":
            if run is None:
                started = recorder.now()
                test_id = await api.start_test(shared.state["scenario_map"], episodes=1, episode_time=2, extra=NO_EVIDENCE)
                if test_id:
                    watcher = Watcher(shared.name("run"), shared.ws_base, args.ca, lambda: api.token, test_id,
                                      recorder, reconnect=False).start()
                    run = {"id": test_id, "user": index, "started_t": started, "ended_t": None, "status": "pending",
                           "watcher": watcher, "episodes": None}
                    shared.runs.append(run)
                    last_poll = time.monotonic()
        elif action == "login":
            await api.login(f"load{account}@playtest.test", PASSWORD.format(account))
        await asyncio.sleep(random.expovariate(1.0 / args.think))
    api.close()


async def prober(shared, failures):
    """The admin's health probe once a second (its answer names each engine's error): the failures are kept."""
    api = Api(shared.args.url, shared.args.ca, shared.recorder, token=shared.state["admin_token"])
    while not shared.stop:
        response = await api.get("GET /health (admin probe)", "/api/v1/health")
        if response is None or response.status != 200:
            body = response.body.decode(errors="replace") if response is not None else shared.recorder.rows[-1][4]
            failures.append({"t": time.strftime("%H:%M:%S", time.gmtime()), "status": response and response.status,
                             "request_id": response and response.header("x-request-id"), "body": body[:1500]})
        await asyncio.sleep(1.0)
    api.close()


async def close_later(watcher, delay):
    await asyncio.sleep(delay)
    await watcher.stop()


# ---- CPU accounting ----------------------------------------------------------------------------------------------

TICKS = os.sysconf("SC_CLK_TCK")


def children_of():
    table = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
                table.setdefault(int(fields[1]), []).append(int(entry))
            except (OSError, IndexError):
                pass
    return table


def tree_cpu(pid, table):
    total = 0.0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            total += sum(int(value) for value in fields[11:15]) / TICKS
        except (OSError, IndexError):
            continue
        stack.extend(table.get(current, []))
    return total


def cluster_cpu(cluster_dir):
    """CPU seconds so far of each cluster process with everything it started, and of this client."""
    found = {}
    if cluster_dir:
        table = children_of()
        pidfiles = glob.glob(os.path.join(cluster_dir, "run", "*.pid"))
        for path in pidfiles:
            name = os.path.basename(path)[:-4]
            if name == "postgres":
                path = os.path.join(cluster_dir, "pg", "data", "postmaster.pid")
            try:
                pid = int(open(path).readline().strip())
            except (OSError, ValueError):
                continue
            found[name] = tree_cpu(pid, table)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    found["load client"] = usage.ru_utime + usage.ru_stime
    return found


def box_cpu():
    with open("/proc/stat") as handle:
        fields = [int(value) for value in handle.readline().split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) / TICKS, idle / TICKS


# ---- a step ------------------------------------------------------------------------------------------------------

def summarize(rows, window_start, seconds):
    endpoints = {}
    for name, start, duration, status, error, *_ in rows:
        if start < window_start:
            continue
        entry = endpoints.setdefault(name, {"latencies": [], "errors": 0, "statuses": {}, "error_samples": []})
        entry["latencies"].append(duration)
        entry["statuses"][str(status)] = entry["statuses"].get(str(status), 0) + 1
        if error:
            entry["errors"] += 1
            if len(entry["error_samples"]) < 3:
                entry["error_samples"].append(error[:160])
    table = {}
    for name, entry in sorted(endpoints.items()):
        latencies = entry["latencies"]
        table[name] = {
            "requests": len(latencies), "rps": len(latencies) / seconds,
            "p50_ms": percentile(latencies, 0.50) * 1000, "p90_ms": percentile(latencies, 0.90) * 1000,
            "p99_ms": percentile(latencies, 0.99) * 1000, "max_ms": max(latencies) * 1000,
            "errors": entry["errors"], "statuses": entry["statuses"], "error_samples": entry["error_samples"],
        }
    # Reads: every GET and page, the flows' bulk; uploads and sign-ins are slow by nature (28 MB bodies, bcrypt), so
    # the saturation criterion looks at these.
    reads = [row for row in rows if row[1] >= window_start and (row[0].startswith("GET") or row[0].startswith("page"))]
    latencies = [row[2] for row in reads]
    table["READS"] = {"requests": len(reads), "rps": len(reads) / seconds,
                      "p50_ms": percentile(latencies, 0.5) * 1000, "p90_ms": percentile(latencies, 0.9) * 1000,
                      "p99_ms": percentile(latencies, 0.99) * 1000,
                      "max_ms": max(latencies) * 1000 if latencies else float("nan"),
                      "errors": sum(1 for row in reads if row[4])}
    everything = [duration for name, start, duration, *_ in rows if start >= window_start]
    total_errors = sum(1 for row in rows if row[1] >= window_start and row[4])
    table["ALL"] = {"requests": len(everything), "rps": len(everything) / seconds,
                    "p50_ms": percentile(everything, 0.5) * 1000, "p90_ms": percentile(everything, 0.9) * 1000,
                    "p99_ms": percentile(everything, 0.99) * 1000,
                    "max_ms": max(everything) * 1000 if everything else float("nan"), "errors": total_errors}
    return table


async def step(args):
    state = json.load(open(args.state))
    recorder = Recorder()
    shared = Shared(args, state, recorder)
    # `*` subscribers for the whole step: least_conn spreads them over the servers.
    for index in range(args.watchers):
        shared.watchers.append(Watcher(shared.name("all"), shared.ws_base, args.ca,
                                       lambda: state["tokens"][0], "*", recorder).start())
    tasks = [asyncio.ensure_future(user(index, shared)) for index in range(args.users)]
    health_failures = []
    tasks.append(asyncio.ensure_future(prober(shared, health_failures)))
    await asyncio.sleep(args.warmup)
    window_start = recorder.now()
    cpu_before, box_before = cluster_cpu(args.cluster_dir), box_cpu()
    load_before = os.getloadavg()
    await asyncio.sleep(args.seconds)
    cpu_after, box_after = cluster_cpu(args.cluster_dir), box_cpu()
    window = recorder.now() - window_start
    load_after = os.getloadavg()
    shared.stop = True
    # In-flight requests finish (bounded), so every started request has its row.
    done, pending = await asyncio.wait(tasks, timeout=30)
    for task in pending:
        task.cancel()
    # Runs still going: they get --drain seconds to end (the queue empties at the workers' pace), then the rest are
    # stopped (POST /testing/stop {} as the admin), so the next step starts on an empty queue.
    api = Api(args.url, args.ca, Recorder(), token=state["admin_token"])
    stopped_by_bench = []

    async def wait_final(seconds):
        deadline = time.monotonic() + seconds
        for run in shared.runs:
            while run["status"] not in FINAL and time.monotonic() < deadline:
                response = await api.get("status", f"/api/v1/testing/{run['id']}/status")
                if response is not None and response.status == 200:
                    run["status"] = response.json()["status"]
                    if run["status"] in FINAL:
                        run["ended_t"] = recorder.now()
                        break
                await asyncio.sleep(0.5)

    await wait_final(args.drain)
    if any(run["status"] not in FINAL for run in shared.runs):
        response = await api.post_json("stop", "/api/v1/testing/stop", {})
        if response is not None and response.status == 200:
            stopped_by_bench = response.json().get("test_ids", [])
        await wait_final(15)
    await asyncio.sleep(1.0)
    for run in shared.runs:
        await run["watcher"].stop()
    for watcher in shared.watchers:
        await watcher.stop()
    api.close()
    await asyncio.sleep(1.5)  # nginx writes a WebSocket's access-log line when it closes
    upstream_of = nginx_ws_upstreams(os.path.join(args.cluster_dir, "logs", "nginx-access.log")) if args.cluster_dir else {}

    table = summarize(recorder.rows, window_start, window)
    runs = shared.runs
    ended = [r for r in runs if r["status"] in FINAL]
    by_status = {}
    for r in runs:
        by_status[r["status"]] = by_status.get(r["status"], 0) + 1
    durations = [r["ended_t"] - r["started_t"] for r in runs if r["ended_t"] is not None]
    ws_runs = {}
    for r in runs:
        watcher = r["watcher"]
        upstream = (upstream_of.get(watcher.name) or [("?", "?")])[0][0]
        entry = ws_runs.setdefault(upstream, {"runs": 0, "got_progress": 0, "got_final": 0, "ended_runs": 0})
        entry["runs"] += 1
        if r["status"] in FINAL:
            entry["ended_runs"] += 1
        if any(m.get("type") == "testing_progress" for _, m in watcher.messages):
            entry["got_progress"] += 1
        if watcher.final_seen():
            entry["got_final"] += 1
    star = {}
    for watcher in shared.watchers:
        upstream = (upstream_of.get(watcher.name) or [("?", "?")])[0][0]
        entry = star.setdefault(upstream, {"subscribers": 0, "messages": 0, "reconnects": 0})
        entry["subscribers"] += 1
        entry["messages"] += len(watcher.messages)
        entry["reconnects"] += max(0, len(watcher.connections) - 1)
    duplicated = [r["id"] for r in runs if r["episodes"] and len(r["episodes"]) != len(set(r["episodes"]))]
    cpu = {name: (cpu_after.get(name, 0) - cpu_before.get(name, 0)) / window * 100 for name in cpu_after}
    box_total = box_after[0] - box_before[0]
    record = {
        "label": args.label, "users": args.users, "think_s": args.think, "seconds": round(window, 2),
        "servers": args.servers, "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "load_avg_before": load_before, "load_avg_after": load_after,
        "box_busy_percent": round((1 - (box_after[1] - box_before[1]) / box_total) * 100, 1) if box_total else None,
        "cpu_percent": {k: round(v, 1) for k, v in sorted(cpu.items())},
        "endpoints": table,
        "runs": {"started": len(runs), "ended": len(ended), "by_status": by_status,
                 "stopped_at_step_end": len(stopped_by_bench),
                 "not_final": [r["id"] for r in runs if r["status"] not in FINAL],
                 "p50_s": percentile(durations, 0.5), "p99_s": percentile(durations, 0.99),
                 "duplicated_episodes": duplicated},
        "ws_run_subscribers": ws_runs, "ws_star_subscribers": star, "health_failures": health_failures[:10],
    }
    with open(args.out, "a") as handle:
        handle.write(json.dumps(record) + "\n")
    if args.raw:
        with open(args.raw, "a") as handle:
            for name, start, duration, status, error, _, request_id in recorder.rows:
                handle.write(json.dumps({"label": args.label, "users": args.users, "name": name,
                                         "t": round(recorder.wall0 + start, 3), "ms": round(duration * 1000, 1),
                                         "status": status, "error": error, "rid": request_id}) + "\n")
    everything = table["ALL"]
    print(f"loadgen: {args.label} users={args.users}: {everything['rps']:.1f} req/s, p50 {everything['p50_ms']:.0f} ms, "
          f"p99 {everything['p99_ms']:.0f} ms, errors {everything['errors']}/{everything['requests']}, runs "
          f"{len(ended)}/{len(runs)} ended {by_status}, box busy {record['box_busy_percent']}%, "
          f"ws upstreams {sorted(ws_runs)} star {star}")
    # Keep the finished runs for the next step's reads.
    state["run_ids"] = (state["run_ids"] + [r["id"] for r in runs if r["status"] == "completed"])[-200:]
    state["map_ids"] = shared.map_ids[:8] + shared.map_ids[8:][-50:]
    with open(args.state, "w") as handle:
        json.dump(state, handle)


# ---- fan-out check -----------------------------------------------------------------------------------------------

async def fanout(args):
    state = json.load(open(args.state))
    recorder = Recorder()
    api = Api(args.url, args.ca, recorder, token=state["admin_token"])
    ws_base = args.url.replace("https://", "wss://")
    test_id = await api.start_test(state["scenario_map"], episodes=args.episodes, episode_time=2, extra=NO_EVIDENCE)
    watchers = [Watcher(f"{args.tag}-fan{i}", ws_base, args.ca, lambda: api.token, test_id, recorder,
                        reconnect=False).start() for i in range(args.subscribers)]
    for watcher in watchers:
        try:
            await asyncio.wait_for(watcher.connected.wait(), 10)
        except asyncio.TimeoutError:
            pass
    subscribed_t = recorder.now()
    status = None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        response = await api.get("status", f"/api/v1/testing/{test_id}/status")
        if response is not None and response.status == 200:
            status = response.json()
            if status["status"] in FINAL:
                break
        await asyncio.sleep(0.5)
    await asyncio.sleep(2)
    for watcher in watchers:
        await watcher.stop()
    api.close()
    await asyncio.sleep(1.5)
    upstream_of = nginx_ws_upstreams(os.path.join(args.cluster_dir, "logs", "nginx-access.log"))
    per = {}
    for watcher in watchers:
        upstream = (upstream_of.get(watcher.name) or [("?", "?")])[0][0]
        entry = per.setdefault(upstream, {"subscribers": 0, "with_progress": 0, "with_final": 0,
                                          "progress_messages": 0, "episodes_seen_max": 0})
        entry["subscribers"] += 1
        progress = [m for _, m in watcher.messages if m.get("type") == "testing_progress"]
        entry["progress_messages"] += len(progress)
        if progress:
            entry["with_progress"] += 1
            entry["episodes_seen_max"] = max(entry["episodes_seen_max"],
                                             max(m.get("episodes_completed") or 0 for m in progress))
        if watcher.final_seen():
            entry["with_final"] += 1
    record = {"fanout": True, "test_id": test_id, "status": status and status["status"],
              "episodes": args.episodes, "subscribed_before_s": subscribed_t, "per_upstream": per}
    with open(args.out, "a") as handle:
        handle.write(json.dumps(record) + "\n")
    print(f"loadgen: fan-out of {test_id} ({status and status['status']}) to {args.subscribers} subscribers: {per}")
    ok = len(per) >= 2 and all(e["with_progress"] == e["subscribers"] and e["with_final"] == e["subscribers"]
                               for e in per.values()) and "?" not in per
    return 0 if ok else 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["setup", "step", "fanout"])
    parser.add_argument("--url", required=True)
    parser.add_argument("--ca", required=True)
    parser.add_argument("--state", required=True)
    parser.add_argument("--admin-email", default=os.environ.get("PLAYTEST_ADMIN_EMAIL"))
    parser.add_argument("--admin-password", default=os.environ.get("PLAYTEST_ADMIN_PASSWORD"))
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--drain", type=float, default=45)
    parser.add_argument("--think", type=float, default=0.2)
    parser.add_argument("--watchers", type=int, default=4)
    parser.add_argument("--label", default="")
    parser.add_argument("--servers", type=int, default=0)
    parser.add_argument("--tag", default="load")
    parser.add_argument("--out", default="/dev/null")
    parser.add_argument("--raw", default="", help="append every request as a JSON line here")
    parser.add_argument("--cluster-dir", default="")
    parser.add_argument("--subscribers", type=int, default=6)
    parser.add_argument("--episodes", type=int, default=60)
    args = parser.parse_args()
    if args.mode == "setup":
        asyncio.run(setup(args))
        return 0
    if args.mode == "step":
        asyncio.run(step(args))
        return 0
    return asyncio.run(fanout(args))


if __name__ == "__main__":
    sys.exit(main())
