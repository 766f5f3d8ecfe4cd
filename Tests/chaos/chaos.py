"""The chaos driver of Tests/chaos/chaos.sh: faults on a live cluster (deploy/cluster.sh) under light load.

    chaos.py --url URL --ca CERT --cluster CLUSTER_SH --cluster-dir DIR --deadline SECONDS --report OUT.json

Background load for the whole run: CHAOS_USERS (3) signed-in users who read (runs, maps, a map, results), start a
short test run when they have none going (1 episode of the random agent on VizDoom basic, 2 s of game time) and poll
it, and now and then upload a small new map; plus a prober that reads GET /api/v1/runs or /maps every 0.2 s, so
the timeline of answers around each fault has a fine grain. Every request is kept (time, route, status).

Scenarios, one after the other, each with its fault time t0 (every time below is relative to it):

  serve-kill   4 uploads of a 27 MB WAD paced at 4 MB/s (started first, so that least_conn spreads them over both
               servers) and 6 subscribers /ws?run_id=* through nginx; cluster.sh kill serve-1 (SIGKILL) while the
               uploads are in flight. The subscribers that were on serve-1 must reconnect (nginx sends them to
               serve-2) and get the status changes of a run started after the kill. serve-1 restarts later.
  worker-kill  a run of many short episodes; once a few are stored, SIGKILL to the worker playing it. The run must
               be rescued (lease expiry, rescuer, retry) onto the other worker and complete with episodes 1..N once.
  redis        a run plays with subscribers on it and on every run; SIGKILL to Redis, 3 s, cluster.sh restart
               redis. The run completes and the live messages come again.
  postgres     the same with PostgreSQL (postmaster and backends SIGKILLed, 3 s, restart). The pools reconnect; the
               run (and every other) completes or fails with an error message.
  s3           a run that finishes during the outage; the S3 server (moto) is killed for 30 s, then restarted (it
               replays every recorded write first). Uploads meanwhile must get 503 with Retry-After; the run's
               artifacts must be stored once S3 is back (or the run fail honestly).

A process is brought back with `cluster.sh restart NAME`, not `up`: `up` sometimes stops a healthy process (its
`known` check loses a SIGPIPE race under `set -o pipefail`), which the report counts. After each scenario
`cluster.sh status` must show every process up.

At the end: every run started during the test (background and scenarios) must reach a final status (else it is
lost); every run's episode numbers must be unique (a completed run's exactly 1..N); every uploaded map row's file
must download with its sha256 (no row without its blob).

Hard expectations (exit 1 when one fails): runs lost 0, episodes duplicated 0, no half-stored upload, no 5xx (nor
connection error) outside the failover window, the killed server's WebSocket subscribers reconnect and get later
updates, every process up after each scenario, and every scenario run (none skipped for lack of time). The failover window is FAILOVER_S (10 s) after a process is killed, and, for an engine that is down for a
while (Redis, PostgreSQL, S3), from its kill until FAILOVER_S after it is back up. GET /api/v1/health is left out
of the 5xx counts (its 503 names an engine that is down: that is its job) and is reported on its own line. The other
expectations (Retry-After on 503, artifacts stored after an S3 outage, live updates resuming after Redis, the
rescued run completing) are reported as checks; CHAOS_STRICT=1 makes them hard too.
"""

import argparse
import asyncio
import glob
import hashlib
import json
import os
import random
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "bench", "cluster"))
from ptclient import FINAL, Api, HttpClient, HttpError, Recorder, Watcher, nginx_ws_upstreams, wad_with_nonce  # noqa: E402

FAILOVER_S = float(os.environ.get("CHAOS_FAILOVER_S", "10"))
USERS = int(os.environ.get("CHAOS_USERS", "3"))
STRICT = os.environ.get("CHAOS_STRICT", "0") == "1"
PASSWORD = "chaos-password-{}"
BIG_WAD = "/usr/share/games/doom/freedoom1.wad"


def log(message):
    print(f"[chaos {time.strftime('%H:%M:%S')}] {message}", flush=True)


class Check:
    def __init__(self, name, ok, detail, hard):
        self.name, self.ok, self.detail, self.hard = name, ok, detail, hard


class Scenario:
    def __init__(self, name, fault):
        self.name, self.fault = name, fault
        self.t0 = None          # the fault (recorder clock)
        self.back = None        # the engine or process is back (recorder clock), if it was down for a while
        self.end = None
        self.window_end = None
        self.checks = []
        self.notes = []
        self.runs = []          # run ids started during this scenario (victims and background)
        self.skipped = None
        self.resumed = None     # words: when the victim run (or the subscribers) carried on, seconds after t0

    def check(self, name, ok, detail, hard=False):
        self.checks.append(Check(name, bool(ok), detail, hard or STRICT))
        log(f"  {'ok  ' if ok else ('FAIL' if (hard or STRICT) else 'NOT MET')} {self.name}: {name}: {detail}")

    def note(self, text):
        self.notes.append(text)
        log(f"  note {self.name}: {text}")


class Chaos:
    def __init__(self, args):
        self.args = args
        self.recorder = Recorder()
        self.deadline = time.monotonic() + args.deadline
        self.stop_load = False
        self.runs = {}          # run id -> {"t": start, "scenario": name, "kind": "background"|"victim", "episodes"}
        self.scenario = None
        self.ws_base = args.url.replace("https://", "wss://")
        self.task_of = {}       # run id -> its queue job's id
        self.cluster_sh_stops = []      # (t, command, name): processes `cluster.sh up` stopped by mistake
        self.cluster_sh_refusals = []   # (t, command): `kill`/`restart` refusing a known name
        self.uploads = []       # {"label", "sha256", "size", "status", "error", "map_id", "t", "scenario"}
        self.basic = open(sorted(glob.glob(os.path.join(
            REPO, ".venv/lib/python3*/site-packages/vizdoom/scenarios/basic.wad")))[0], "rb").read()

    def now(self):
        return self.recorder.now()

    def left(self):
        return self.deadline - time.monotonic()

    # ---- the cluster ---------------------------------------------------------------------------------------------

    async def cluster(self, *words, timeout=90):
        """Runs deploy/cluster.sh WORDS; its whole output goes to cluster-commands.log in the artifacts.

        `kill` and `restart` are retried when cluster.sh refuses the name ("kill what?"): its `known` check
        (`names | grep -qx` under `set -o pipefail`) fails now and then when grep exits before `names` has written
        everything (SIGPIPE, status 141). The same race makes `up` stop a healthy process "beyond
        PLAYTEST_CLUSTER_SERVERS"; that is why the scenarios bring a process back with `restart NAME`, and why every
        such stop is reported (`cluster_sh_stops`)."""
        for attempt in range(3):
            started = self.now()
            process = await asyncio.create_subprocess_exec(
                self.args.cluster, *words, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
            try:
                output, _ = await asyncio.wait_for(process.communicate(), timeout)
            except asyncio.TimeoutError:
                process.kill()
                output = b"(timed out)"
            text = output.decode(errors="replace").strip()
            with open(os.path.join(self.args.artifacts, "cluster-commands.log"), "a") as handle:
                handle.write(f"=== {time.strftime('%H:%M:%S')} +{started:.1f}s cluster.sh {' '.join(words)} -> "
                             f"{process.returncode}\n{text}\n")
            log(f"cluster.sh {' '.join(words)} -> {process.returncode} in {self.now() - started:.1f}s"
                + (f": {text.splitlines()[-1]}" if text else ""))
            for line in text.splitlines():
                match = re.search(r"stopping (\S+) \(beyond PLAYTEST_CLUSTER_SERVERS", line)
                if match:
                    self.cluster_sh_stops.append((round(self.now(), 1), " ".join(words), match.group(1)))
                    log(f"WARNING: cluster.sh {' '.join(words)} stopped {match.group(1)}, which it should not have "
                        f"(its `known` check lost the SIGPIPE race); bringing it back")
            if process.returncode != 0 and re.search(r"(kill|restart) what\?", text):
                self.cluster_sh_refusals.append((round(self.now(), 1), " ".join(words)))
                log(f"cluster.sh refused a known name ({' '.join(words)}): the `known` race; again")
                continue
            return process.returncode, text
        return process.returncode, text

    async def restore(self, name):
        """Brings one process back (`restart NAME`: unlike `up`, it touches no other process)."""
        code, text = await self.cluster("restart", name, timeout=180)
        return code

    def pid_of(self, name):
        path = os.path.join(self.args.cluster_dir, "run", f"{name}.pid")
        try:
            return int(open(path).readline().strip())
        except (OSError, ValueError):
            return None

    # ---- setup and background load -------------------------------------------------------------------------------

    async def setup(self):
        self.admin = Api(self.args.url, self.args.ca, self.recorder)
        if not await self.admin.login(os.environ["PLAYTEST_ADMIN_EMAIL"], os.environ["PLAYTEST_ADMIN_PASSWORD"]):
            raise SystemExit(f"chaos: cannot sign in as the admin: {self.recorder.rows[-1]}")
        self.tokens = []
        for index in range(1, USERS + 1):
            email = f"chaos{index}@playtest.test"
            response = await self.admin.post_json("POST /users", "/api/v1/users", {
                "email": email, "password": PASSWORD.format(index), "role": "user"}, expect=(201, 409))
            if response is None or response.status not in (201, 409):
                raise SystemExit(f"chaos: cannot create {email}: {self.recorder.rows[-1]}")
            user = Api(self.args.url, self.args.ca, self.recorder)
            if not await user.login(email, PASSWORD.format(index)):
                raise SystemExit(f"chaos: cannot sign in as {email}: {self.recorder.rows[-1]}")
            self.tokens.append(user.token)
            user.close()
        maps = (await self.admin.get("GET /maps", "/api/v1/maps?limit=500")).json()["maps"]
        self.basic_map = next(m["id"] for m in maps if m["filename"] == "basic.wad" and m["builtin"])
        self.read_maps = [m["id"] for m in maps][:8]
        # The setup's own requests are not part of any scenario.
        self.recorder.rows.clear()

    def register_run(self, run_id, kind):
        self.runs[run_id] = {"t": self.now(), "scenario": self.scenario.name if self.scenario else "warm-up",
                             "kind": kind}
        if self.scenario:
            self.scenario.runs.append(run_id)

    async def user(self, index):
        api = Api(self.args.url, self.args.ca, self.recorder, token=self.tokens[index], timeout=20)
        run = None
        last_poll = 0.0
        while not self.stop_load:
            try:
                if run and time.monotonic() - last_poll > 1.0:
                    last_poll = time.monotonic()
                    response = await api.get("GET /testing/{id}/status", f"/api/v1/testing/{run}/status")
                    if response is not None and response.status == 200 and response.json()["status"] in FINAL:
                        await api.get("GET /testing/{id}/results", f"/api/v1/testing/{run}/results")
                        run = None
                    elif response is not None and response.status == 401:
                        await api.login(f"chaos{index + 1}@playtest.test", PASSWORD.format(index + 1))
                roll = random.random()
                if roll < 0.25:
                    await api.get("GET /runs", "/api/v1/runs?limit=20")
                elif roll < 0.45:
                    await api.get("GET /maps", "/api/v1/maps?limit=50")
                elif roll < 0.60:
                    await api.get("GET /maps/{id}", f"/api/v1/maps/{random.choice(self.read_maps)}")
                elif roll < 0.75 and self.runs:
                    some = random.choice(list(self.runs)[-30:])
                    await api.get("GET /testing/{id}/results", f"/api/v1/testing/{some}/results")
                elif roll < 0.80:
                    await api.get("page /runs", "/runs", accept="text/html")
                elif roll < 0.95:
                    if run is None:
                        # Load, not a subject: no evidence, so the replays of a hundred tiny runs do not queue up
                        # behind the scenarios' runs (the victims keep theirs and make it under the faults).
                        test_id = await api.start_test(self.basic_map, episodes=1, episode_time=2, extra={"evidence": False})
                        if test_id:
                            run = test_id
                            self.register_run(test_id, "background")
                            last_poll = time.monotonic()
                else:
                    content = wad_with_nonce(self.basic)
                    response = await api.upload("chaos-small.wad", content, name="chaos: small",
                                                label="POST /maps/upload", timeout=30)
                    self.note_upload("background", content, response)
            except Exception as error:  # noqa: BLE001 - the load goes on whatever happens
                log(f"user {index}: {type(error).__name__}: {error}")
            await asyncio.sleep(random.expovariate(1 / 0.5))
        api.close()

    async def prober(self):
        api = Api(self.args.url, self.args.ca, self.recorder, token=self.tokens[0], timeout=10)
        count = 0
        while not self.stop_load:
            count += 1
            if count % 5 == 0:
                # The health verdict once a second, apart from the 5xx counts (a 503 there names an engine down).
                await api.get("probe GET /health", "/api/v1/health")
            elif count % 2:
                await api.get("probe GET /runs", "/api/v1/runs?limit=5")
            else:
                await api.get("probe GET /maps", "/api/v1/maps?limit=5")
            await asyncio.sleep(0.2)
        api.close()

    def note_upload(self, label, content, response):
        entry = {"label": label, "sha256": hashlib.sha256(content).hexdigest(), "size": len(content),
                 "status": response.status if response is not None else 0, "t": self.now(),
                 "scenario": self.scenario.name if self.scenario else "warm-up",
                 "retry_after": response.header("retry-after") if response is not None else None,
                 "body": (response.body[:300].decode(errors="replace") if response is not None else
                          self.recorder.rows[-1][4]),
                 "map_id": None}
        if response is not None and response.status in (200, 201):
            entry["map_id"] = response.json().get("id")
        self.uploads.append(entry)
        return entry

    # ---- helpers -------------------------------------------------------------------------------------------------

    async def status(self, run_id):
        response = await self.admin.get("chaos GET status", f"/api/v1/testing/{run_id}/status", timeout=10)
        if response is not None and response.status == 200:
            return response.json()
        if response is not None and response.status == 401:
            await self.admin.login(os.environ["PLAYTEST_ADMIN_EMAIL"], os.environ["PLAYTEST_ADMIN_PASSWORD"])
        return None

    async def wait_status(self, run_id, predicate, seconds):
        deadline = time.monotonic() + min(seconds, max(1, self.left()))
        last = None
        while time.monotonic() < deadline:
            last = await self.status(run_id) or last
            if last and predicate(last):
                return last
            await asyncio.sleep(0.3)
        return last

    async def start_victim(self, episodes, episode_time=10, extra=None):
        test_id = await self.admin.start_test(self.basic_map, episodes=episodes, episode_time=episode_time,
                                              extra=extra)
        if not test_id:
            raise RuntimeError(f"cannot start the victim run: {self.recorder.rows[-1]}")
        self.register_run(test_id, "victim")
        self.task_of[test_id] = self.admin.last_start.get("task_id")
        return test_id

    async def job_of(self, run_id):
        task = self.task_of.get(run_id)
        if not task:
            return None
        response = await self.admin.get("chaos GET /jobs/{id}", f"/api/v1/jobs/{task}", timeout=10)
        if response is None or response.status != 200:
            return None
        body = response.json()
        return body.get("job", body)

    def worker_name_of(self, locked_by):
        # Worker ids are host-pid-random.
        match = re.match(r".*-(\d+)-[0-9a-f]+$", locked_by or "")
        if not match:
            return None
        pid = int(match.group(1))
        for index in (1, 2, 3, 4):
            if self.pid_of(f"worker-{index}") == pid:
                return f"worker-{index}"
        return None

    def failures(self, start, end):
        """Requests that ended in [start, end) with a 5xx or no answer, health left out: (t end, name, status, error).
        By the end: an upload started before a kill fails after it."""
        rows = []
        for name, t, duration, status, error, _phase, _rid in self.recorder.rows:
            if start <= t + duration < end and (status >= 500 or status == 0) and "health" not in name:
                rows.append((t + duration, name, status, error, t))
        return rows

    def recovery(self, failures, t0, until, also=lambda name: False):
        """Seconds from t0 until each route that failed answered successfully again after its last failure; the
        slowest route decides: (seconds or None when it never did before `until`, that route). Routes asked fewer
        than 5 times (one-offs: a paced upload, a rare background upload) are left out unless `also` names them."""
        last = {}
        for t, name, *_ in failures:
            last[name] = max(last.get(name, 0), t)
        worst = (None, None)
        for name, t_last in last.items():
            asked = [(t + d, status) for n, t, d, status, *_ in self.recorder.rows if n == name and t0 - 1 <= t < until]
            if len(asked) < 5 and not also(name):
                continue
            ok = [t for t, status in asked if t >= t_last and 200 <= status < 400]
            if not ok:
                return None, name
            seconds = min(ok) - t0
            if worst[0] is None or seconds > worst[0]:
                worst = (seconds, name)
        return worst

    # ---- scenarios -----------------------------------------------------------------------------------------------

    async def serve_kill(self, sc):
        # Uploads of a 27 MB WAD (each with its own extra lump: a new map), paced so that they are in flight when
        # the server dies. They start before the subscribers connect, so that least_conn spreads them over both
        # servers (the subscribers' long connections would otherwise steer them all to one).
        # Freedoom Phase 1 (27 MB) when it is installed, else VizDoom's basic.wad with a 26 MB lump of random bytes.
        uploads = 4
        if os.path.exists(BIG_WAD):
            big = open(BIG_WAD, "rb").read()
            contents = [wad_with_nonce(big) for _ in range(uploads)]
        else:
            contents = [wad_with_nonce(self.basic, os.urandom(26_000_000)) for _ in range(uploads)]
        api_uploads = [Api(self.args.url, self.args.ca, self.recorder, token=self.tokens[i % len(self.tokens)])
                       for i in range(uploads)]

        async def upload(i):
            response = await api_uploads[i].upload(f"chaos-big-{i}.wad", contents[i], name=f"chaos: big {i}",
                                                   label="POST /maps/upload (27 MB, paced)", timeout=90,
                                                   send_rate=4_000_000)
            return self.note_upload(f"big {i}", contents[i], response)

        upload_tasks = [asyncio.ensure_future(upload(i)) for i in range(uploads)]
        await asyncio.sleep(0.3)
        watchers = [Watcher(f"chaos-all{i}", self.ws_base, self.args.ca, lambda: self.tokens[0], "*",
                            self.recorder).start() for i in range(6)]
        for watcher in watchers:
            try:
                await asyncio.wait_for(watcher.connected.wait(), 10)
            except asyncio.TimeoutError:
                pass
        await asyncio.sleep(max(0.0, 2.0 - 0.3))
        sc.t0 = self.now()
        code, _ = await self.cluster("kill", "serve-1")
        if code != 0:
            sc.check("kill serve-1", False, "cluster.sh kill serve-1 failed", hard=True)
        results = await asyncio.gather(*upload_tasks)
        for api in api_uploads:
            api.close()
        for entry in results:
            body = " ".join(str(entry["body"]).split())
            sc.note(f"upload {entry['label']} ({entry['size'] / 1e6:.1f} MB) -> {entry['status']} at "
                    f"+{entry['t'] - sc.t0:.1f}s" + ("" if entry["status"] in (200, 201) else f": {body[:120]}"))
        # Subscribers that lost their connection after the kill reconnect; a run started now must reach all of them.
        await asyncio.sleep(3.0)
        probe_run = await self.admin.start_test(self.basic_map, episodes=1, episode_time=2)
        if probe_run:
            self.register_run(probe_run, "victim")
        probe_t = self.now()
        final = await self.wait_status(probe_run, lambda s: s["status"] in FINAL, 40) if probe_run else None
        await asyncio.sleep(2.0)
        # serve-1 back.
        await self.restore("serve-1")
        sc.back = self.now()
        for watcher in watchers:
            await watcher.stop()
        await asyncio.sleep(1.5)
        upstreams = nginx_ws_upstreams(os.path.join(self.args.cluster_dir, "logs", "nginx-access.log"))
        killed_port = os.environ.get("CHAOS_SERVE1", "")
        on_killed = []
        for watcher in watchers:
            connections = upstreams.get(watcher.name, [])
            if connections and connections[0][0].endswith(":" + killed_port):
                on_killed.append((watcher, connections))
        sc.note(f"{len(on_killed)} of {len(watchers)} subscribers were on serve-1 (127.0.0.1:{killed_port}) before "
                f"the kill: " + ", ".join(f"{w.name} {[c[0] for c in conns]}" for w, conns in on_killed))
        good = 0
        for watcher, connections in on_killed:
            again = [t for t in watcher.subscribed_at if t > sc.t0]
            got = [m for t, m in watcher.messages if t > sc.t0 and m.get("run_id") == probe_run
                   and m.get("type") == "run_status" and m.get("status") in FINAL]
            moved = len(connections) >= 2 and not connections[1][0].endswith(":" + killed_port)
            if again and got and moved:
                good += 1
            sc.note(f"{watcher.name}: re-subscribed at " + (f"+{again[0] - sc.t0:.1f}s" if again else "never")
                    + f", later connection(s) on {[c[0] for c in connections[1:]]}, got the final status of the "
                      f"run started after the kill: {bool(got)}")
        again_times = [min([t for t in w.subscribed_at if t > sc.t0] or [float("nan")]) - sc.t0 for w, _ in on_killed]
        if again_times:
            sc.resumed = f"subscribers re-subscribed +{max(again_times):.1f} s"
        sc.check("WebSocket subscribers on the killed server reconnect through nginx and get later updates",
                 on_killed and good == len(on_killed),
                 f"{good}/{len(on_killed)} (a run started at +{probe_t - sc.t0:.1f}s ended "
                 f"{final and final['status']})", hard=True)
        others = [w for w in watchers if w not in [x for x, _ in on_killed]]
        sc.check("subscribers on the surviving server stay connected",
                 all(len(w.connections) == 1 for w in others),
                 f"{sum(1 for w in others if len(w.connections) == 1)}/{len(others)} kept one connection")
        completed_uploads = [e for e in results if e["status"] in (200, 201)]
        sc.check("an upload was in flight on the killed server (it failed) while others completed",
                 len(completed_uploads) < len(results),
                 f"{len(completed_uploads)} completed, {len(results) - len(completed_uploads)} failed "
                 f"({', '.join(str(e['status']) for e in results)}); every map row's blob is checked at the end")

    async def worker_kill(self, sc):
        run_id = await self.start_victim(episodes=int(os.environ.get("CHAOS_WORKER_EPISODES", "400")), episode_time=10)
        status = await self.wait_status(run_id, lambda s: s["status"] == "running"
                                        and (s["progress"] or {}).get("current_episode", 0) >= 3, 60)
        job = await self.job_of(run_id)
        name = self.worker_name_of(job and job.get("locked_by"))
        if not name:
            sc.check("find the worker playing the run", False, f"job {job}", hard=True)
            return
        before = (status or {}).get("progress", {}).get("current_episode")
        sc.t0 = self.now()
        await self.cluster("kill", name)
        sc.note(f"killed {name} (job {job['id']}, attempt {job['attempt']}) while the run was at episode {before}")
        # Rescue: the lease (30 s) expires, the other worker's rescuer puts the job back, it is claimed again.
        rescued_t = None
        other = None
        deadline = time.monotonic() + min(100, self.left() - 60)
        while time.monotonic() < deadline:
            job = await self.job_of(run_id)
            if job and job.get("attempt", 1) >= 2 and job.get("state") == "running" and job.get("locked_by"):
                rescued_t = self.now()
                other = self.worker_name_of(job.get("locked_by"))
                break
            if job and job.get("state") in ("completed", "discarded", "cancelled"):
                break
            await asyncio.sleep(0.5)
        sc.note(f"rescued at +{rescued_t - sc.t0:.1f}s by {other} (attempt {job and job.get('attempt')})"
                if rescued_t else f"not claimed again; job now {job and job.get('state')}")
        if rescued_t:
            sc.resumed = f"run claimed again +{rescued_t - sc.t0:.1f} s"
        # The killed worker comes back now (the rescued attempt is already on the other one).
        await self.restore(name)
        sc.back = self.now()
        final = await self.wait_status(run_id, lambda s: s["status"] in FINAL, min(120, self.left() - 50))
        if final and final["status"] in FINAL:
            sc.resumed = (sc.resumed or "") + f", ended {final['status']} +{self.now() - sc.t0:.1f} s"
        sc.check("the run is rescued onto the other worker and completes",
                 final and final["status"] == "completed" and other and other != name,
                 f"ended {final and final['status']} at +{self.now() - sc.t0:.1f}s on {other} "
                 f"(error: {final and final.get('error')})")
        sc.victim = run_id

    async def engine_outage(self, sc, engine, down_seconds, watch=True):
        run_id = await self.start_victim(episodes=int(os.environ.get("CHAOS_ENGINE_EPISODES", "600")), episode_time=10)
        watchers = []
        stars = []
        if watch:
            # Subscribers to the run (its progress) and to every run's status changes (the background runs keep
            # starting and ending, so these must hear of them again after the outage whatever the run does).
            watchers = [Watcher(f"chaos-{engine}{i}", self.ws_base, self.args.ca, lambda: self.tokens[0], run_id,
                                self.recorder).start() for i in range(4)]
            stars = [Watcher(f"chaos-{engine}-all{i}", self.ws_base, self.args.ca, lambda: self.tokens[0], "*",
                             self.recorder).start() for i in range(4)]
        status = await self.wait_status(run_id, lambda s: s["status"] == "running"
                                        and (s["progress"] or {}).get("current_episode", 0) >= 2, 60)
        sc.note(f"run {run_id} at episode {(status or {}).get('progress', {}).get('current_episode')} when "
                f"{engine} is killed")
        sc.t0 = self.now()
        await self.cluster("kill", engine)
        await asyncio.sleep(down_seconds)
        await self.restore(engine)
        sc.back = self.now()
        final = await self.wait_status(run_id, lambda s: s["status"] in FINAL, min(150, self.left() - 50))
        honest = final and (final["status"] == "completed" or (final["status"] == "failed" and final.get("error")))
        sc.check(f"the run playing during the {engine} outage ends (completed, or failed with an error)",
                 honest, f"ended {final and final['status']} at +{self.now() - sc.t0:.1f}s"
                 + (f", error: {final.get('error')}" if final and final.get("error") else ""))
        sc.check(f"the run playing during the {engine} outage completes", final and final["status"] == "completed",
                 f"{final and final['status']}")
        ended_t = self.now()
        # A few more background runs end after the run, for the `*` subscribers.
        await asyncio.sleep(max(1.5, 8 - (self.now() - sc.back)))
        for watcher in watchers + stars:
            await watcher.stop()
        if watchers:
            live = ("testing_progress", "testing_completed", "run_status", "agent_state", "run_failed")
            first_after = sorted(t for w in watchers + stars for t, m in w.messages
                                 if t > sc.back and m.get("type") in live)
            sc.resumed = (f"first live message +{first_after[0] - sc.back:.1f} s after {engine} was back"
                          if first_after else "no live message after the outage")
            if final and final["status"] in FINAL:
                sc.resumed += f"; run ended {final['status']} +{ended_t - sc.t0:.1f} s after the fault"
            played_after = final and final["status"] in FINAL and ended_t - sc.back > 2
            resumed = []
            for watcher in watchers:
                after = [t for t, m in watcher.messages if t > sc.back and m.get("type") in live]
                before = [t for t, m in watcher.messages if t < sc.t0 and m.get("type") == "testing_progress"]
                resumed.append((watcher, before, after))
            star_after = [(w, [t for t, m in w.messages if t > sc.back and m.get("type") == "run_status"])
                          for w in stars]
            sc.check("every-run subscribers (`*`) get status changes again after the outage",
                     all(after for _, after in star_after),
                     "; ".join(f"{w.name}: {len(a)} after it was back"
                               + (f" (first +{a[0] - sc.back:.1f}s)" if a else "")
                               + f", {len(w.connections)} connection(s)" for w, a in star_after))
            detail = "; ".join(f"{w.name}: {len(b)} progress before, {len(a)} messages after it was back"
                               + (f" (first +{a[0] - sc.back:.1f}s after)" if a else "")
                               + f", {len(w.connections)} connection(s)" for w, b, a in resumed)
            if played_after:
                sc.check("the run's own subscribers get its progress again after the outage",
                         all(after for _, _, after in resumed), detail)
            else:
                sc.note(f"the run ended within 2 s of {engine} coming back (or not at all), so its own progress "
                        f"after the outage is not judged: {detail}")
        sc.victim = run_id
        return final

    async def redis(self, sc):
        await self.engine_outage(sc, "redis", 3)

    async def postgres(self, sc):
        await self.engine_outage(sc, "postgres", 3)

    async def s3(self, sc):
        # A run that finishes while S3 is down: its screenshots and demo are uploaded at the end.
        run_id = await self.start_victim(episodes=int(os.environ.get("CHAOS_S3_EPISODES", "120")), episode_time=10,
                                         extra={"record_demos": True})
        await self.wait_status(run_id, lambda s: s["status"] == "running", 60)
        sc.t0 = self.now()
        await self.cluster("kill", "s3")
        outage = float(os.environ.get("CHAOS_S3_DOWN_S", "30"))

        # Uploads during the outage, each on its own connection, started at +2, +8 and +14 s.
        async def upload(delay, index):
            await asyncio.sleep(delay)
            api = Api(self.args.url, self.args.ca, self.recorder, token=self.tokens[index % len(self.tokens)])
            content = wad_with_nonce(self.basic)
            started = self.now()
            response = await api.upload("chaos-outage.wad", content, name="chaos: during the S3 outage",
                                        label="POST /maps/upload", timeout=40)
            api.close()
            entry = self.note_upload("during the S3 outage", content, response)
            entry["started"] = started
            return entry

        tasks = [asyncio.ensure_future(upload(delay, i)) for i, delay in enumerate((2, 8, 14))]
        run_seen = []

        async def watch_run():
            while self.now() - sc.t0 < outage:
                state = await self.status(run_id)
                if state and state["status"] in FINAL:
                    run_seen.append((self.now() - sc.t0, state["status"]))
                    return
                await asyncio.sleep(0.5)

        watcher = asyncio.ensure_future(watch_run())
        remaining = outage - (self.now() - sc.t0)
        if remaining > 0:
            await asyncio.sleep(remaining)
        watcher.cancel()
        await self.restore("s3")
        sc.back = self.now()
        answers = await asyncio.gather(*tasks)
        for entry in answers:
            sc.note(f"upload started at +{entry['started'] - sc.t0:.1f}s -> {entry['status']} at "
                    f"+{entry['t'] - sc.t0:.1f}s, Retry-After {entry['retry_after']!r}, body {entry['body'][:200]}")
        sc.note(f"run {run_id}: " + (f"{run_seen[0][1]} at +{run_seen[0][0]:.1f}s, while S3 was still down"
                                     if run_seen else "not ended while S3 was down"))
        api = Api(self.args.url, self.args.ca, self.recorder, token=self.tokens[0])
        ok_503 = all(e["status"] == 503 and e["retry_after"] for e in answers)
        sc.check("uploads while S3 is down get 503 with Retry-After", ok_503,
                 ", ".join(f"{e['status']} Retry-After={e['retry_after']}" for e in answers), hard=True)
        # After S3 is back an upload works again, for a client that honours Retry-After: the servers' S3 client may
        # still be backing off its reconnection for a few seconds (a 503 with Retry-After, inside the window).
        content = wad_with_nonce(self.basic)
        tries = []
        for _ in range(2):
            response = await api.upload("chaos-after.wad", content, name="chaos: after the S3 outage",
                                        label="POST /maps/upload", timeout=30)
            entry = self.note_upload("after the S3 outage", content, response)
            tries.append(f"{entry['status']} at +{entry['t'] - sc.t0:.1f}s")
            if entry["status"] != 503 or not entry["retry_after"]:
                break
            await asyncio.sleep(min(30.0, float(entry["retry_after"])))
        sc.check("an upload after S3 is back succeeds (honouring Retry-After once)", entry["status"] in (200, 201),
                 ", then ".join(tries))
        api.close()
        final = await self.wait_status(run_id, lambda s: s["status"] in FINAL, min(120, self.left() - 45))
        detail = f"ended {final and final['status']} at +{self.now() - sc.t0:.1f}s"
        if final and final.get("error"):
            detail += f", error: {final['error']}"
        artifacts = await self.admin.get("chaos GET artifacts", f"/api/v1/runs/{run_id}/artifacts")
        stored = missing = 0
        listed = artifacts.json()["artifacts"] if artifacts is not None and artifacts.status == 200 else []
        for artifact in listed:
            if await self.download_ok(artifact["url"], None, artifact.get("bytes")):
                stored += 1
            else:
                missing += 1
        job = await self.job_of(run_id)
        detail += (f"; {len(listed)} artifacts listed, {stored} downloadable, {missing} not; job attempt "
                   f"{job and job.get('attempt')}, errors {[e.get('message', '')[:120] for e in (job or {}).get('errors', [])]}")
        sc.resumed = (f"run ended {final and final['status']} (+{self.now() - sc.t0:.1f} s at the latest), "
                      f"{stored}/{len(listed)} artifacts stored")
        honest = final and ((final["status"] == "completed" and listed and missing == 0)
                            or (final["status"] == "failed" and final.get("error")))
        sc.check("the run that ends during the outage keeps its artifacts once S3 is back, or fails honestly",
                 honest, detail, hard=True)
        sc.victim = run_id

    # ---- final checks --------------------------------------------------------------------------------------------

    async def download_ok(self, url, sha256, size):
        """GET url through nginx (a redirect to a presigned S3 URL is followed); True when the bytes match."""
        response = await self.admin.get("chaos GET file", url, expect=(200, 302, 303, 307), accept="*/*", timeout=60)
        if response is None:
            return False
        body = response.body
        if response.status in (302, 303, 307):
            location = response.header("location")
            target = HttpClient(location.split("/", 3)[0] + "//" + location.split("/", 3)[2], timeout=60)
            try:
                path = "/" + location.split("/", 3)[3]
                answer = await target.request("GET", path)
            except HttpError:
                return False
            finally:
                target.close()
            if answer.status != 200:
                return False
            body = answer.body
        elif response.status != 200:
            return False
        if size is not None and len(body) != size:
            return False
        return sha256 is None or hashlib.sha256(body).hexdigest() == sha256

    async def check_maps(self):
        """Every uploaded map row has its blob with the row's sha256; every 201/200 upload has its row."""
        response = await self.admin.get("chaos GET /maps", "/api/v1/maps?limit=500", timeout=30)
        rows = [m for m in response.json()["maps"] if not m["builtin"]] if response is not None and \
            response.status == 200 else None
        if rows is None:
            return None, ["cannot list the maps"]
        problems = []
        for row in rows:
            if not await self.download_ok(row["file_url"], row["sha256"], row["size_bytes"]):
                problems.append(f"map {row['id']} ({row['name']}, {row['size_bytes']} bytes): its file is missing or "
                                f"differs from sha256 {row['sha256'][:12]}…")
        by_sha = {row["sha256"]: row for row in rows}
        for upload in self.uploads:
            if upload["status"] in (200, 201) and upload["sha256"] not in by_sha:
                problems.append(f"upload {upload['label']} answered {upload['status']} but no map row has its sha256")
        failed_with_row = [u for u in self.uploads if u["status"] not in (200, 201) and u["sha256"] in by_sha]
        return {"rows": len(rows), "failed_uploads_with_row": len(failed_with_row)}, problems

    async def check_runs(self):
        """Waits (bounded) for every run to end; returns {run id: (status, error, episodes list)}."""
        states = {}
        deadline = time.monotonic() + max(10, self.left() - 25)
        pending = list(self.runs)
        while pending and time.monotonic() < deadline:
            still = []
            for run_id in pending:
                status = await self.status(run_id)
                if status and status["status"] in FINAL:
                    states[run_id] = status
                else:
                    still.append(run_id)
            pending = still
            if pending:
                await asyncio.sleep(1.0)
        result = {}
        for run_id in self.runs:
            status = states.get(run_id) or await self.status(run_id) or {"status": "unknown"}
            results = await self.admin.get("chaos GET results", f"/api/v1/testing/{run_id}/results", timeout=30)
            episodes = [e["episode_num"] for e in results.json()["episodes"]] if results is not None and \
                results.status == 200 else None
            result[run_id] = {"status": status["status"], "error": status.get("error"), "episodes": episodes,
                              "total": (status.get("progress") or {}).get("total_episodes")}
        return result

    # ---- the run -------------------------------------------------------------------------------------------------

    async def run(self):
        await self.setup()
        log(f"setup done: {USERS} users, VizDoom basic map {self.basic_map}; background load starts")
        load = [asyncio.ensure_future(self.user(i)) for i in range(USERS)] + [asyncio.ensure_future(self.prober())]
        await asyncio.sleep(4)
        plan = [("serve-kill", "kill -9 serve-1 (nginx fails over)", self.serve_kill, 40),
                ("worker-kill", "kill -9 the worker playing a run", self.worker_kill, 110),
                ("redis", "Redis killed, up again 3 s later", self.redis, 45),
                ("postgres", "PostgreSQL killed, up again 3 s later", self.postgres, 50),
                ("s3", "S3 (moto) killed for 30 s", self.s3, 75)]
        only = [name for name in os.environ.get("CHAOS_ONLY", "").split(",") if name]
        self.scenarios = []
        for name, fault, function, needs in plan:
            sc = Scenario(name, fault)
            self.scenarios.append(sc)
            if only and name not in only:
                sc.skipped = "not in CHAOS_ONLY"
                continue
            if self.left() < needs + 40:
                sc.skipped = f"out of time ({self.left():.0f}s left, needs about {needs + 40}s)"
                log(f"SKIP {name}: {sc.skipped}")
                continue
            self.scenario = sc
            log(f"== {name}: {fault}")
            started = self.now()
            try:
                await asyncio.wait_for(function(sc), max(30, self.left() - 40))
            except asyncio.TimeoutError:
                sc.check("scenario finished in time", False, f"cut off after {self.now() - started:.0f}s", hard=True)
            except Exception as error:  # noqa: BLE001
                sc.check("scenario ran", False, f"{type(error).__name__}: {error}", hard=True)
            # Every process must be up again after a scenario; one that is down was not brought back (or died of
            # something else): say so, and bring it up so that the next scenario starts from a whole cluster.
            code, text = await self.cluster("status", timeout=60)
            down = [line.split()[0] for line in text.splitlines()[1:] if len(line.split()) > 3
                    and line.split()[3] == "down"]
            if down:
                sc.check("every process is up after the scenario", False,
                         f"down: {', '.join(down)} (cluster.sh status: {' | '.join(text.splitlines()[1:])})", hard=True)
                for name in down:
                    await self.restore(name)
            # Let the background settle a few seconds after each scenario (and count its tail in the scenario).
            await asyncio.sleep(3)
            sc.end = self.now()
            if sc.t0 is None:
                sc.t0 = started
            self.scenario = None
        log("== final checks: every run ends, episodes once, every map row's blob")
        self.stop_load = True
        await asyncio.wait(load, timeout=25)
        run_states = await self.check_runs()
        map_summary, map_problems = await self.check_maps()
        self.report(run_states, map_summary, map_problems)

    def report(self, run_states, map_summary, map_problems):
        rows = []
        hard_failed = []
        soft_failed = []
        for index, sc in enumerate(self.scenarios):
            if sc.skipped:
                rows.append({"scenario": sc.name, "fault": sc.fault, "skipped": sc.skipped})
                if "CHAOS_ONLY" not in sc.skipped:
                    hard_failed.append(f"{sc.name}: skipped ({sc.skipped})")
                continue
            next_start = next((s.t0 for s in self.scenarios[index + 1:] if s.t0 is not None and not s.skipped),
                              self.now())
            window_end = (sc.back if sc.back is not None and sc.name not in ("serve-kill", "worker-kill")
                          else sc.t0) + FAILOVER_S
            failures = self.failures(sc.t0 - 0.5, next_start)
            inside = [f for f in failures if f[0] <= window_end]
            outside = [f for f in failures if f[0] > window_end]
            fivexx = [f for f in failures if f[2] >= 500]
            conn = [f for f in failures if f[2] == 0]
            # Uploads while S3 is down are expected to be refused (503); they are counted but not a failure.
            health = [r for r in self.recorder.rows if sc.t0 - 0.5 <= r[1] + r[2] < next_start and "health" in r[0]
                      and r[3] >= 500]
            if not failures:
                recover = "no failed request"
            else:
                seconds, route = self.recovery(failures, sc.t0, next_start + 60,
                                               also=lambda name: sc.name == "s3" and "upload" in name)
                if route is None:
                    recover = "– (only one-off requests failed)"
                elif seconds is None:
                    recover = f"`{route}` never succeeded again"
                else:
                    recover = f"{seconds:.1f} s (`{route}`)"
            runs = sc.runs
            lost = [r for r in runs if run_states.get(r, {}).get("status") not in FINAL]
            failed = [r for r in runs if run_states.get(r, {}).get("status") == "failed"]
            dishonest = [r for r in failed if not run_states[r].get("error")]
            duplicated = []
            for run_id in runs:
                state = run_states.get(run_id, {})
                episodes = state.get("episodes") or []
                if len(episodes) != len(set(episodes)):
                    duplicated.append(run_id)
                elif state.get("status") == "completed" and state.get("total") and \
                        sorted(episodes) != list(range(1, state["total"] + 1)):
                    duplicated.append(run_id)
            dup_episodes = sum(len(run_states[r]["episodes"]) - len(set(run_states[r]["episodes"]))
                               for r in duplicated if run_states.get(r, {}).get("episodes"))
            sc.check("runs lost (not final at the end)", not lost, f"{len(lost)} of {len(runs)}: {lost[:5]}",
                     hard=True)
            sc.check("episodes duplicated (or a completed run's episodes not exactly 1..N)", not duplicated,
                     f"{len(duplicated)} runs: " + "; ".join(
                         f"{r}: {sorted(run_states[r]['episodes'] or [])[:20]}… of {run_states[r]['total']}"
                         for r in duplicated[:3]), hard=True)
            sc.check("failed runs say why", not dishonest, f"{len(failed)} failed, {len(dishonest)} without an error",
                     hard=True)
            expected_refusals = [f for f in outside if sc.name == "s3" and "upload" in f[1] and f[2] == 503]
            real_outside = [f for f in outside if f not in expected_refusals]
            sc.check(f"no 5xx or connection error outside the failover window (fault … "
                     f"{'engine back + ' if sc.back is not None and sc.name not in ('serve-kill', 'worker-kill') else ''}"
                     f"{FAILOVER_S:.0f} s)", not real_outside,
                     f"{len(real_outside)} outside: " + "; ".join(
                         f"+{f[0] - sc.t0:.1f}s {f[1]} {f[2]} {(f[3] or '')[:80]}" for f in real_outside[:4]),
                     hard=True)
            row = {
                "scenario": sc.name, "fault": sc.fault, "t0": round(sc.t0, 1),
                "back_s": round(sc.back - sc.t0, 1) if sc.back is not None else None,
                "runs": len(runs), "runs_lost": len(lost), "runs_failed": len(failed),
                "failed_errors": sorted({(run_states[r].get("error") or "")[:160] for r in failed}),
                "episodes_duplicated": dup_episodes, "runs_with_bad_episodes": len(duplicated),
                "fivexx": len(fivexx), "conn_errors": len(conn),
                "first_fail_s": round(min(f[0] for f in failures) - sc.t0, 1) if failures else None,
                "last_fail_s": round(max(f[0] for f in failures) - sc.t0, 1) if failures else None,
                "outside_window": len(real_outside), "health_503": len(health),
                "window_s": round(window_end - sc.t0, 1),
                "recover": recover,
                "health_window": (f"+{min(r[1] + r[2] for r in health) - sc.t0:.1f} … "
                                  f"+{max(r[1] + r[2] for r in health) - sc.t0:.1f} s") if health else None,
                "resumed": sc.resumed,
                "statuses": sorted({f"{f[1]} {f[2]}" for f in failures}),
                "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail, "hard": c.hard} for c in sc.checks],
                "notes": sc.notes,
            }
            rows.append(row)
            for c in sc.checks:
                if not c.ok:
                    (hard_failed if c.hard else soft_failed).append(f"{sc.name}: {c.name}: {c.detail}")
        uploads_ok = not map_problems
        if not uploads_ok:
            hard_failed.extend(f"uploads: {p}" for p in map_problems)
        all_lost = [r for r, s in run_states.items() if s["status"] not in FINAL]
        summary = {
            "cluster_sh_stops": self.cluster_sh_stops, "cluster_sh_refusals": self.cluster_sh_refusals,
            "rows": rows, "hard_failed": hard_failed, "soft_failed": soft_failed, "maps": map_summary,
            "map_problems": map_problems, "runs_total": len(run_states), "runs_lost_total": len(all_lost),
            "uploads": self.uploads and [{k: v for k, v in u.items() if k != "body"} | {"body": u["body"][:200]}
                                         for u in self.uploads],
            "requests": len(self.recorder.rows), "failover_s": FAILOVER_S, "strict": STRICT,
            "duration_s": round(self.now(), 1),
        }
        with open(self.args.report, "w") as handle:
            json.dump(summary, handle, indent=1)
        print_table(summary)


def print_table(summary):
    print()
    print(table_markdown(summary))
    print()


def table_markdown(summary):
    lines = ["| scenario | fault | restored at | runs started | lost | failed (honest) | episodes duplicated | "
             "5xx | conn. errors | first … last failure | outside window | time to recover | runs/live resumed | "
             "health 503 | checks |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- | --- | --- | --- |"]
    for row in summary["rows"]:
        if row.get("skipped"):
            lines.append(f"| {row['scenario']} | {row['fault']} | – | – | – | – | – | – | – | – | – | – | – | – | "
                         f"skipped: {row['skipped']} |")
            continue
        failed_checks = [c for c in row["checks"] if not c["ok"]]
        checks = "all ok" if not failed_checks else "; ".join(
            ("**FAIL** " if c["hard"] else "not met: ") + c["name"] for c in failed_checks)
        window = (f"+{row['first_fail_s']} … +{row['last_fail_s']} s" if row["first_fail_s"] is not None else "none")
        lines.append(
            f"| {row['scenario']} | {row['fault']} | {row['back_s'] if row['back_s'] is not None else '–'} s | "
            f"{row['runs']} | {row['runs_lost']} | {row['runs_failed']} | {row['episodes_duplicated']} | "
            f"{row['fivexx']} | {row['conn_errors']} | {window} | {row['outside_window']} (window {row['window_s']} s) | "
            f"{row['recover']} | {row.get('resumed') or '–'} | {row['health_503']}"
            f"{' (' + row['health_window'] + ')' if row.get('health_window') else ''} | {checks} |")
    lines.append("")
    maps = summary.get("maps") or {}
    lines.append(f"Uploads: {len(summary.get('uploads') or [])} attempted; {maps.get('rows', '?')} uploaded map rows "
                 f"checked, each file downloaded and hashed: "
                 + ("all match their sha256" if not summary["map_problems"] else
                    "PROBLEMS: " + "; ".join(summary["map_problems"][:5]))
                 + f"; failed uploads that still have a row: {maps.get('failed_uploads_with_row', '?')}.")
    lines.append(f"Runs: {summary['runs_total']} started during the test, {summary['runs_lost_total']} not final at "
                 f"the end. Requests: {summary['requests']}. Duration {summary['duration_s']} s.")
    stops = summary.get("cluster_sh_stops") or []
    refusals = summary.get("cluster_sh_refusals") or []
    if stops or refusals:
        lines.append(f"deploy/cluster.sh's `known` race (not the product): `up` stopped a healthy process "
                     f"{len(stops)} time(s) ({'; '.join(f'+{t}s {c}: {n}' for t, c, n in stops)}), `kill`/`restart` "
                     f"refused a known name {len(refusals)} time(s) (retried).")
    verdict = "PASS" if not summary["hard_failed"] else "FAIL"
    lines.append(f"Verdict: **{verdict}** ({len(summary['hard_failed'])} hard expectation(s) failed, "
                 f"{len(summary['soft_failed'])} other check(s) not met).")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--ca", required=True)
    parser.add_argument("--cluster", required=True)
    parser.add_argument("--cluster-dir", required=True)
    parser.add_argument("--deadline", type=float, default=300)
    parser.add_argument("--report", required=True)
    parser.add_argument("--artifacts", default=os.environ.get("CHAOS_ARTIFACTS", "/tmp/playtest-chaos-last"))
    parser.add_argument("--table", action="store_true", help="print the table of an existing --report and exit")
    args = parser.parse_args()
    if args.table:
        print(table_markdown(json.load(open(args.report))))
        return 0
    chaos = Chaos(args)
    asyncio.run(chaos.run())
    summary = json.load(open(args.report))
    for line in summary["hard_failed"]:
        log(f"HARD FAIL {line}")
    for line in summary["soft_failed"]:
        log(f"not met   {line}")
    return 1 if summary["hard_failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
