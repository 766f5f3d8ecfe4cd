"""Markdown for bench/results/cluster.md from bench/cluster/load.sh's figures.

    report.py load RESULTS.jsonl META.json          prints the "Load" section
    report.py splice FILE SECTION < TEXT            replaces the section <!-- SECTION:begin --> … <!-- SECTION:end -->
                                                    of FILE with TEXT (adds it when absent; keeps the rest)

Saturation, per topology: the first step, in increasing users, where the p99 of the reads (every GET and page: the
flows' bulk; uploads of 28 MB and bcrypt sign-ins are slow by nature) passes 1 s, or more than 1 % of all requests
fail, or all requests/s grow by less than 10 % although the users doubled. The step before it is the last one the
cluster carried.
"""

import json
import math
import os
import re
import sys

P99_LIMIT_MS = 1000.0
ERROR_LIMIT = 0.01
GAIN_LIMIT = 1.10


def fmt(value, digits=0):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.{digits}f}"


def saturation(steps):
    """(index of the saturating step or None, why)"""
    previous = None
    for index, step in enumerate(steps):
        everything = step["endpoints"]["ALL"]
        reads = step["endpoints"].get("READS", everything)
        error_rate = everything["errors"] / max(1, everything["requests"])
        if reads["p99_ms"] > P99_LIMIT_MS:
            return index, f"reads' p99 {reads['p99_ms']:.0f} ms > {P99_LIMIT_MS:.0f} ms"
        if error_rate > ERROR_LIMIT:
            return index, f"errors {error_rate * 100:.1f} % > {ERROR_LIMIT * 100:.0f} %"
        if previous is not None and everything["rps"] < previous["endpoints"]["ALL"]["rps"] * GAIN_LIMIT \
                and step["users"] >= 2 * previous["users"]:
            return index, (f"{everything['rps']:.0f} req/s, under +10 % over {previous['users']} users' "
                           f"{previous['endpoints']['ALL']['rps']:.0f} req/s")
        previous = step
    return None, "not reached"


def load_section(results_path, meta_path):
    records = [json.loads(line) for line in open(results_path) if line.strip()]
    meta = json.load(open(meta_path))
    steps = [r for r in records if not r.get("fanout") and "endpoints" in r]
    fanouts = [r for r in records if r.get("fanout")]
    by_servers = {}
    for step in steps:
        by_servers.setdefault(step["servers"], []).append(step)
    for value in by_servers.values():
        value.sort(key=lambda s: s["users"])
    two, one = by_servers.get(2, []), by_servers.get(1, [])
    one_at = {s["users"]: s for s in one}
    out = []
    add = out.append
    add("## Load")
    add("")
    add(f"Run {meta['date']} on {meta['machine']}. Commit {meta['commit']} (binary `{meta['binary']}`, built "
        f"{meta['binary_time']}). Load average {meta['load_before']} before, {meta['load_after']} after.")
    add("")
    add("Command:")
    add("")
    add("```sh")
    add(meta["command"])
    add("```")
    add("")
    add(f"The cluster of `deploy/cluster.sh` (PostgreSQL, Redis with AOF, moto S3, `serve --workers 0` × 2, "
        f"`worker --concurrency 1` × 2, nginx with TLS), everything on this one box, rate limits off "
        f"(`PLAYTEST_RATE_LIMIT=0 PLAYTEST_RATE_LIMIT_IP=0`, sign-in limit 10000) so the figures are the servers', not "
        f"the limiter's; bcrypt cost 12 as shipped. Every request goes through nginx over TLS "
        f"(`{meta['url']}`). Each step: {meta['users_steps']} virtual users, {meta['warmup']} s warm-up then "
        f"{meta['seconds']} s measured, think time exponential with mean {meta['think']} s; the same step is run with 2 "
        f"servers and then, right after (`PLAYTEST_CLUSTER_SERVERS=1 cluster.sh up`, which stops serve-2 and reloads "
        f"nginx with one upstream), with 1 server, so both see the same box. The client is "
        f"`bench/cluster/loadgen.py` (asyncio, one keep-alive TLS connection per user, standard library + `websockets`); "
        f"its own CPU is in the CPU table (a few % of one core), so it is not what saturates.")
    add("")
    add("A virtual user's mix (weights): list runs 15, list maps 10, a map 8, a run's results 8, its artifacts 4, a "
        "run 3, pages `/` 4, `/runs` 4, `/runs/{id}` 2, `/maps/{id}` 3, health 2, upload basic.wad as is 1.5 "
        "(deduplicated by sha256: 200 `duplicate`), upload basic.wad with a random extra lump 1.5 (a new map each "
        "time: 201), upload Freedoom Phase 2 (28 MB, deduplicated after its first upload, but streamed and hashed "
        "every time) 0.15, start a test run 4 (only when the user has none going: 1 episode of the random agent on "
        "the built-in VizDoom basic map, 2 s of game time; the user then polls its status about once a second, "
        "follows it on a WebSocket `/ws?run_id=…` and reads its results when it ends), sign in again 0.5. Besides "
        f"the users, {meta['watchers']} subscribers to `/ws?run_id=*` per step.")
    add("")
    add("### Throughput and latency, all requests")
    add("")
    add("| users | 2 servers req/s | p50 ms | p99 ms | reads p99 ms | errors | 1 server req/s | p50 ms | p99 ms | "
        "reads p99 ms | errors | req/s ratio 2:1 | load avg (1 min) after 2 / 1 |")
    add("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for step in two:
        a = step["endpoints"]["ALL"]
        a_reads = step["endpoints"].get("READS", {})
        other = one_at.get(step["users"])
        b = other["endpoints"]["ALL"] if other else None
        b_reads = other["endpoints"].get("READS", {}) if other else {}
        ratio = a["rps"] / b["rps"] if b and b["rps"] else None
        add(f"| {step['users']} | {fmt(a['rps'], 1)} | {fmt(a['p50_ms'])} | {fmt(a['p99_ms'])} | "
            f"{fmt(a_reads.get('p99_ms'))} | {a['errors']}/{a['requests']} | {fmt(b and b['rps'], 1)} | "
            f"{fmt(b and b['p50_ms'])} | {fmt(b and b['p99_ms'])} | {fmt(b_reads.get('p99_ms'))} | "
            f"{b and b['errors']}/{b and b['requests']} | {fmt(ratio, 2)} | "
            f"{step['load_avg_after'][0]:.1f} / {other and other['load_avg_after'][0]:.1f} |")
    add("")
    sat_two, why_two = saturation(two)
    sat_one, why_one = saturation(one)

    def said(group, index, why):
        if index is None:
            return f"not reached up to {group[-1]['users']} users ({group[-1]['endpoints']['ALL']['rps']:.0f} req/s)" \
                if group else "no data"
        carried = group[index - 1] if index > 0 else None
        text = f"at **{group[index]['users']} users** ({why})"
        if carried:
            text += (f"; the last step carried was {carried['users']} users at "
                     f"{carried['endpoints']['ALL']['rps']:.0f} req/s, p99 {carried['endpoints']['ALL']['p99_ms']:.0f} ms")
        return text

    add(f"**Saturation** (first step with the reads' p99 > 1 s, > 1 % errors, or < +10 % req/s for twice the users): 2 servers "
        f"{said(two, sat_two, why_two)}; 1 server {said(one, sat_one, why_one)}.")
    add("")
    # Per endpoint at the saturating step of 2 servers (or the biggest), and the step before it.
    chosen = []
    if two:
        index = sat_two if sat_two is not None else len(two) - 1
        if index > 0:
            chosen.append(two[index - 1])
        chosen.append(two[index])
    for step in chosen:
        other = one_at.get(step["users"])
        add(f"### Per endpoint, {step['users']} users")
        add("")
        add("| endpoint | 2 servers req/s | p50 ms | p99 ms | errors | 1 server req/s | p50 ms | p99 ms | errors | "
            "req/s ratio |")
        add("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        names = sorted(set(step["endpoints"]) | set(other["endpoints"] if other else []),
                       key=lambda n: (n in ("READS", "ALL"), n == "ALL", n))
        for name in names:
            a = step["endpoints"].get(name)
            b = other["endpoints"].get(name) if other else None
            ratio = a["rps"] / b["rps"] if a and b and b["rps"] else None
            cells = []
            for entry in (a, b):
                if entry:
                    cells += [fmt(entry["rps"], 1), fmt(entry["p50_ms"]), fmt(entry["p99_ms"]),
                              f"{entry['errors']}/{entry['requests']}"]
                else:
                    cells += ["–"] * 4
            label = {"ALL": "**all**", "READS": "**reads** (GETs and pages)"}.get(name, f"`{name}`")
            add(f"| {label} | " + " | ".join(cells) + f" | {fmt(ratio, 2)} |")
        add("")
    add("<details><summary>Per endpoint, every step</summary>")
    add("")
    for step in two + one:
        add(f"**{step['servers']} server(s), {step['users']} users** ({step['time']}, {step['seconds']} s):")
        add("")
        add("| endpoint | req/s | p50 ms | p90 ms | p99 ms | max ms | errors | statuses |")
        add("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        for name, entry in sorted(step["endpoints"].items(),
                                  key=lambda item: (item[0] in ("READS", "ALL"), item[0] == "ALL", item[0])):
            statuses = ", ".join(f"{k}: {v}" for k, v in sorted(entry.get("statuses", {}).items()))
            add(f"| {({'ALL': 'all', 'READS': 'reads'}).get(name, name)} | {fmt(entry['rps'], 1)} | {fmt(entry['p50_ms'])} | "
                f"{fmt(entry['p90_ms'])} | {fmt(entry['p99_ms'])} | {fmt(entry['max_ms'])} | {entry['errors']} | "
                f"{statuses} |")
        samples = [s for entry in step["endpoints"].values() for s in entry.get("error_samples", [])]
        if samples:
            add("")
            add("Errors seen: " + "; ".join(f"`{s}`" for s in samples[:6]))
        add("")
    add("</details>")
    add("")
    add("### Test runs and live progress during the steps")
    add("")
    add("| servers | users | runs started | completed | failed | stopped at step end | not final | start → end p50 / p99 s "
        "| episodes duplicated | run subscribers per upstream: followed / got progress / got the end |")
    add("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |")
    for step in two + one:
        runs = step["runs"]
        status = runs["by_status"]
        ws = "; ".join(f"{upstream}: {e['runs']} / {e['got_progress']} / {e['got_final']}"
                       for upstream, e in sorted(step["ws_run_subscribers"].items()))
        add(f"| {step['servers']} | {step['users']} | {runs['started']} | {status.get('completed', 0)} | "
            f"{status.get('failed', 0)} | {runs.get('stopped_at_step_end', 0)} | {len(runs.get('not_final', []))} | "
            f"{fmt(runs['p50_s'], 1)} / {fmt(runs['p99_s'], 1)} | {len(runs['duplicated_episodes'])} | {ws} |")
    add("")
    add("A run's WebSocket is opened right after its start answers 202, so a run that ends before the subscription "
        "(seconds at low load) shows no progress, only its final status in `subscribed`; \"got the end\" counts that "
        "too. The worker pool (2 × concurrency 1) is what bounds runs per second; beyond it runs queue and the users "
        "poll longer.")
    add("")
    failures = [(step, f) for step in two + one for f in step.get("health_failures", [])]
    if failures:
        add("Health probe failures (the admin's `GET /api/v1/health` once a second during each step):")
        add("")
        for step, failure in failures[:12]:
            add(f"- {step['servers']} server(s), {step['users']} users, {failure['t']} UTC: {failure['status']} "
                f"(X-Request-Id {failure['request_id']}): `{failure['body'][:400]}`")
        add("")
    add("`/ws?run_id=*` subscribers (every run's status changes), per step and upstream (subscribers, messages):")
    add("")
    for step in two + one:
        text = "; ".join(f"{upstream}: {e['subscribers']} subscribers, {e['messages']} messages, "
                         f"{e['reconnects']} reconnects" for upstream, e in sorted(step["ws_star_subscribers"].items()))
        add(f"- {step['servers']} server(s), {step['users']} users: {text}")
    add("")
    for fan in fanouts:
        add(f"### Progress fan-out to both servers")
        add("")
        add(f"One run ({fan['test_id']}: {fan['episodes']} episodes of the random agent on VizDoom basic, "
            f"ended `{fan['status']}`) followed by {sum(e['subscribers'] for e in fan['per_upstream'].values())} "
            f"subscribers `/ws?run_id={fan['test_id']}` through nginx, connected before it played; which upstream "
            f"served each is nginx's access log (`upstream=`), matched by a `client=` tag in the URL.")
        add("")
        add("| upstream | subscribers | got progress | got the end | progress messages | most episodes seen |")
        add("| --- | ---: | ---: | ---: | ---: | ---: |")
        for upstream, e in sorted(fan["per_upstream"].items()):
            add(f"| {upstream} | {e['subscribers']} | {e['with_progress']} | {e['with_final']} | "
                f"{e['progress_messages']} | {e['episodes_seen_max']} |")
        add("")
    if meta.get("wrk"):
        add("### One endpoint alone: `wrk` ceiling")
        add("")
        add("`wrk -t2 -c32 -d10s --latency` (C, no think time), `GET /api/v1/runs?limit=20` with a bearer token through "
            "nginx, no runs playing. A cross-check of the Python client's figures without the mix.")
        add("")
        add("| servers | req/s | p50 ms | p99 ms |")
        add("| ---: | ---: | ---: | ---: |")
        for row in meta["wrk"]:
            add(f"| {row['servers']} | {row['rps']} | {row['p50']} | {row['p99']} |")
        add("")
    add("### CPU per process during each step (% of one core)")
    add("")
    names = sorted({name for step in steps for name in step["cpu_percent"]})
    add("| servers | users | " + " | ".join(names) + " |")
    add("| ---: | ---: | " + " | ".join("---:" for _ in names) + " |")
    for step in two + one:
        add(f"| {step['servers']} | {step['users']} | " +
            " | ".join(fmt(step["cpu_percent"].get(name), 0) for name in names) + " |")
    add("")
    add("(A worker's figure includes its agents and their VizDoom engines; postgres, its backends.)")
    add("")
    if meta.get("notes"):
        add("### Reading it")
        add("")
        add(meta["notes"])
        add("")
    return "\n".join(out)


def splice(path, section, text):
    begin, end = f"<!-- {section}:begin -->", f"<!-- {section}:end -->"
    block = f"{begin}\n{text.rstrip()}\n{end}"
    if os.path.exists(path):
        current = open(path).read()
    else:
        current = ("# Cluster: load and faults\n\nThe scale-out shape of `deploy/cluster.sh` on one box, measured for "
                   "real: `bench/cluster/load.sh` writes the Load section, `Tests/chaos/chaos.sh` the Faults section "
                   "(each replaces only its own).\n")
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    if pattern.search(current):
        current = pattern.sub(lambda _: block, current)
    else:
        current = current.rstrip() + "\n\n" + block + "\n"
    with open(path, "w") as handle:
        handle.write(current if current.endswith("\n") else current + "\n")


def main():
    if sys.argv[1] == "load":
        print(load_section(sys.argv[2], sys.argv[3]))
    elif sys.argv[1] == "splice":
        splice(sys.argv[2], sys.argv[3], sys.stdin.read())
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
