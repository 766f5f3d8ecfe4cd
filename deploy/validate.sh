#!/usr/bin/env bash
# Checks the packaging files without a container engine or a cluster: the Dockerfile and .dockerignore, both compose
# files (docker-compose config plus structure), the compose nginx configs (nginx -t), the Kubernetes manifests
# (parsed, cross-referenced, kustomize-rendered), the Grafana dashboard (every query's metric names against the list
# below, PromQL parsed by promtool) and the Prometheus configs. Exits 1 when anything is wrong, 2 when a required
# tool is missing.
#
#   deploy/validate.sh
#
# Required: docker-compose (Debian: apt-get install -y docker-compose) and Python 3 with PyYAML (the repository's
# .venv has it). Used when installed, skipped with a note otherwise: nginx (nginx-light), openssl, promtool
# (prometheus), kubectl (kustomize), yamllint.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 2
repo=$(pwd)
tmp=$(mktemp -d /tmp/playtest-validate.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

problems=0
ok()      { printf '  ok    %s\n' "$*"; }
bad()     { printf '  FAIL  %s\n' "$*"; problems=$((problems + 1)); }
skipped() { printf '  skip  %s\n' "$*"; }
section() { printf '\n== %s\n' "$*"; }
# ok when FILE has a line matching the extended regular expression PATTERN.
has()     { if grep -qE -- "$2" "$3"; then ok "$1"; else bad "$1"; fi; }
# Runs a checker that prints ok/FAIL lines itself and exits with its number of failures.
counted() { "$@"; local n=$?; problems=$((problems + n)); }

# Every series the dashboard may read: what `serve` and `worker` export (docs/operations.md, "Metrics"). Histograms
# are listed by base name; their _bucket, _sum and _count series are allowed.
COUNTERS_AND_GAUGES="
playtest_http_requests_total
playtest_queue_jobs_count
playtest_workers_alive_count
playtest_runs_finished_total
playtest_jobs_finished_total
playtest_agent_steps_total
playtest_ingest_rows_total
playtest_analysis_cache_reads_count
playtest_player_progress_cache_hit_ratio
playtest_player_progress_active_players_count
playtest_player_progress_rollup_backlog_events
"
HISTOGRAMS="
playtest_http_request_duration_seconds
playtest_run_duration_seconds
playtest_queue_wait_seconds
playtest_engine_duration_seconds
playtest_player_progress_write_duration_seconds
"
export COUNTERS_AND_GAUGES HISTOGRAMS

section "tools"
if ! command -v docker-compose >/dev/null; then
  echo "  docker-compose is required and not installed: apt-get install -y docker-compose" >&2
  exit 2
fi
ok "docker-compose $(docker-compose version --short 2>/dev/null)"
python=
for candidate in "$repo/.venv/bin/python" python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import yaml' 2>/dev/null; then python=$candidate; break; fi
done
if [ -z "$python" ]; then
  echo "  Python with PyYAML is required: make venv (the repository's .venv), or apt-get install -y python3-yaml" >&2
  exit 2
fi
ok "python with PyYAML: $python"
for tool in nginx openssl promtool kubectl yamllint shellcheck; do
  if command -v "$tool" >/dev/null; then ok "$tool: $(command -v "$tool")"; else skipped "$tool not installed: its checks are skipped"; fi
done

# ---------------------------------------------------------------------------------------------------------------
section "Dockerfile and .dockerignore"
counted "$python" - <<'PY'
import fnmatch, json, os, re, sys
failures = 0
def ok(m): print(f"  ok    {m}")
def bad(m):
    global failures; failures += 1; print(f"  FAIL  {m}")

text = open("Dockerfile").read()
# Join continuation lines, drop comments.
lines, buf = [], ""
for raw in text.splitlines():
    if raw.lstrip().startswith("#") and not buf: continue
    if raw.rstrip().endswith("\\"):
        buf += raw.rstrip()[:-1] + " "; continue
    lines.append((buf + raw).strip()); buf = ""
instructions = [(l.split(None, 1)[0].upper(), l.split(None, 1)[1] if " " in l else "") for l in lines if l]

args = {}
stages, current = [], None
for ins, rest in instructions:
    if ins == "ARG" and current is None:
        name, _, default = rest.partition("="); args[name.strip()] = default.strip()
    if ins == "FROM":
        m = re.match(r"(\S+)(?:\s+AS\s+(\S+))?$", rest, re.I)
        if not m: bad(f"FROM line not understood: {rest}"); continue
        image, name = m.group(1), m.group(2)
        ref = re.fullmatch(r"\$\{?(\w+)\}?", image)
        if ref:
            if ref.group(1) not in args or not args[ref.group(1)]:
                bad(f"FROM {image}: no ARG {ref.group(1)} with a default before the first FROM")
            image = args.get(ref.group(1), image)
        current = {"name": name, "image": image, "ins": []}
        stages.append(current)
    elif current is not None:
        current["ins"].append((ins, rest))

names = [s["name"] for s in stages]
print(f"  info  stages: " + ", ".join(f"{s['name']} ({s['image']})" for s in stages))
for wanted in ("builder", "agent-venv", "runtime"):
    (ok if wanted in names else bad)(f"stage {wanted} present")
if stages and stages[-1]["name"] == "runtime": ok("the last stage (what `docker build .` ships) is runtime")
else: bad("the last stage is not runtime")
by_name = {s["name"]: s for s in stages}

b = by_name.get("builder")
if b:
    (ok if re.match(r"swift:6\.\d+", b["image"]) else bad)(f"builder is a Swift 6.x image ({b['image']})")
    runs = " ".join(r for i, r in b["ins"] if i == "RUN")
    (ok if "swift build -c release --product playtest" in runs else bad)("builder runs `swift build -c release --product playtest`")
v = by_name.get("agent-venv")
if v:
    runs = " ".join(r for i, r in v["ins"] if i == "RUN")
    (ok if "-m venv /opt/playtest/venv" in runs else bad)("agent-venv makes /opt/playtest/venv")
    (ok if "-r /tmp/requirements.txt" in runs or "agent/requirements.txt" in runs else bad)("agent-venv installs agent/requirements.txt")
    (ok if "extra-index-url" in runs else bad)("agent-venv passes an --extra-index-url (torch's CPU wheels)")
r = by_name.get("runtime")
if r:
    ins = r["ins"]
    def last(kind):
        found = [rest for i, rest in ins if i == kind]
        return found[-1] if found else None
    if v and v["image"] != r["image"]: bad(f"agent-venv ({v['image']}) and runtime ({r['image']}) differ: the venv's interpreter link would break")
    else: ok("agent-venv and runtime share one base image (the venv's python3 link holds)")
    entry, cmd = last("ENTRYPOINT"), last("CMD")
    try: entry_j = json.loads(entry) if entry else None
    except ValueError: entry_j = None
    (ok if entry_j == ["playtest"] else bad)(f'ENTRYPOINT ["playtest"] in exec form (found {entry})')
    try: cmd_j = json.loads(cmd) if cmd else None
    except ValueError: cmd_j = None
    (ok if cmd_j == ["serve", "--host", "0.0.0.0"] else bad)(f'CMD ["serve","--host","0.0.0.0"] (found {cmd})')
    user = last("USER")
    (ok if user and user not in ("root", "0", "0:0") else bad)(f"runs as a non-root user (USER {user})")
    hc = last("HEALTHCHECK") or ""
    (ok if "/api/v1/health/ready" in hc else bad)("HEALTHCHECK asks /api/v1/health/ready")
    (ok if any(i == "EXPOSE" and "8080" in rest.split() for i, rest in ins) else bad)("EXPOSE 8080")
    env = " ".join(rest for i, rest in ins if i == "ENV")
    for var in ("PLAYTEST_PYTHON=/opt/playtest/venv/bin/python", "PLAYTEST_AGENT_DIR=/opt/playtest/agent"):
        (ok if var in env else bad)(f"ENV {var}")
    wd = last("WORKDIR")
    copies = [rest for i, rest in ins if i == "COPY"]
    public_dest = [c for c in copies if c.split()[0] == "Public"]
    if wd and public_dest and public_dest[0].split()[-1].rstrip("/") == wd.rstrip("/") + "/Public":
        ok(f"Public/ lands in the working directory ({wd}), where Vapor's FileMiddleware looks")
    else: bad(f"Public/ must be copied to <WORKDIR>/Public (WORKDIR {wd}, COPY {public_dest})")
    (ok if any(re.search(r"/usr/local/bin/?$", c) and "--from=builder" in c for c in copies) else bad)("the binary is copied to /usr/local/bin")
    runs = " ".join(rest for i, rest in ins if i == "RUN")
    for pkg in ("freedoom", "ca-certificates", "libsqlite3-0", "ffmpeg", "python3"):
        (ok if re.search(rf"(^|\s){re.escape(pkg)}(\s|$)", runs) else bad)(f"runtime installs {pkg}")

# Every COPY: --from names an earlier stage; a context path exists and is not excluded by .dockerignore.
ignore = [l.strip() for l in open(".dockerignore") if l.strip() and not l.startswith("#")]
def ignored(path):
    for pat in ignore:
        pat = pat.rstrip("/")
        if fnmatch.fnmatch(path, pat) or path.startswith(pat + "/"): return True
        if pat.startswith("**/") and (fnmatch.fnmatch(os.path.basename(path), pat[3:])): return True
    return False
seen = []
for s in stages:
    for i, rest in s["ins"]:
        if i != "COPY": continue
        parts = [p for p in rest.split() if not p.startswith("--")]
        frm = re.search(r"--from=(\S+)", rest)
        if frm:
            (ok if frm.group(1) in seen else bad)(f"COPY --from={frm.group(1)} names an earlier stage")
            continue
        for src in parts[:-1]:
            if "[" in src:   # an optional file as a glob (Package.resolve[d])
                continue
            exists = os.path.exists(src)
            (ok if exists and not ignored(src) else bad)(f"COPY {src}: " + ("in the build context" if exists and not ignored(src) else "missing or excluded by .dockerignore"))
    seen.append(s["name"])
for needed in ("Package.swift", "Sources", "Tests", "bench", "agent", "Public"):
    (ok if not ignored(needed) else bad)(f".dockerignore keeps {needed}")
for gone in (".build", ".venv", "data", "test-artifacts", ".git", "bench/results"):
    (ok if ignored(gone) else bad)(f".dockerignore drops {gone}")
sys.exit(failures)
PY

# ---------------------------------------------------------------------------------------------------------------
section "docker-compose.yml (development)"
if docker-compose -f docker-compose.yml config -q 2>"$tmp/dev.err"; then ok "docker-compose config -q"; else bad "docker-compose config: $(cat "$tmp/dev.err")"; fi
docker-compose -f docker-compose.yml config >"$tmp/dev.yml" 2>/dev/null

section "deploy/compose/docker-compose.prod.yml"
# Example inputs: the env file's committed example, and throwaway secret files (compose wants them to exist).
mkdir -p "$tmp/secrets"
for f in postgres_password minio_root_user minio_root_password; do printf 'example' >"$tmp/secrets/$f"; done
export PLAYTEST_ENV_FILE=playtest.env.example PLAYTEST_SECRETS_DIR="$tmp/secrets" PLAYTEST_TLS_DIR="$tmp/tls"
if docker-compose -f deploy/compose/docker-compose.prod.yml config -q 2>"$tmp/prod.err"; then ok "docker-compose config -q (with playtest.env.example)"; else bad "docker-compose config: $(cat "$tmp/prod.err")"; fi
docker-compose -f deploy/compose/docker-compose.prod.yml config >"$tmp/prod.yml" 2>/dev/null

counted "$python" - "$tmp/dev.yml" "$tmp/prod.yml" <<'PY'
import os, sys, yaml
failures = 0
def ok(m): print(f"  ok    {m}")
def bad(m):
    global failures; failures += 1; print(f"  FAIL  {m}")
dev, prod = (yaml.safe_load(open(p)) or {} for p in sys.argv[1:3])
ONE_SHOT = {"migrate", "static-files"}
for label, doc in (("dev", dev), ("prod", prod)):
    services = doc.get("services", {})
    if not services: bad(f"{label}: no services (config failed?)"); continue
    for name in ("postgres", "redis", "minio", "migrate", "backend", "worker", "frontend"):
        (ok if name in services else bad)(f"{label}: service {name}")
    for name, s in services.items():
        if name in ONE_SHOT: continue
        hc = s.get("healthcheck", {})
        (ok if hc.get("test") and not hc.get("disable") else bad)(f"{label}: {name} has a healthcheck")
    redis = " ".join(map(str, services.get("redis", {}).get("command", [])))
    (ok if "--appendonly yes" in redis else bad)(f"{label}: redis runs with --appendonly yes")
    backend = services.get("backend", {}).get("command", [])
    (ok if backend[:3] == ["serve", "--workers", "0"] else bad)(f"{label}: backend is `serve --workers 0` ({backend})")
    worker = services.get("worker", {}).get("command", [])
    (ok if worker[:1] == ["worker"] and "--metrics-port" in worker and "9101" in worker else bad)(f"{label}: worker has --metrics-port 9101 ({worker})")
    (ok if "--metrics-host" in worker and worker[worker.index("--metrics-host") + 1] == "0.0.0.0" else bad)(f"{label}: worker --metrics-host 0.0.0.0 (reachable from other containers)")
    wtest = " ".join(services.get("worker", {}).get("healthcheck", {}).get("test", []))
    (ok if ":9101/health" in wtest else bad)(f"{label}: the worker's healthcheck asks :9101/health, not the image's serve check")
    for name in ("backend", "worker"):
        cond = services.get(name, {}).get("depends_on", {}).get("migrate", {}).get("condition")
        (ok if cond == "service_completed_successfully" else bad)(f"{label}: {name} starts after migrate completed")
    # Every bind-mounted file or folder exists (the TLS folder is an input the operator provides).
    for name, s in services.items():
        for vol in s.get("volumes", []):
            src = vol.get("source") if isinstance(vol, dict) else str(vol).split(":")[0]
            vtype = vol.get("type") if isinstance(vol, dict) else ("bind" if src.startswith(("/", ".")) else "volume")
            if vtype != "bind" or src.startswith("/tmp/playtest-validate"): continue
            (ok if os.path.exists(src) else bad)(f"{label}: {name} mounts {src}")
p = prod.get("services", {})
for name, n in (("backend", 2), ("worker", 4)):
    got = p.get(name, {}).get("deploy", {}).get("replicas")
    (ok if got == n else bad)(f"prod: {name} replicas {got} (want {n})")
for name, s in p.items():
    if name in ("migrate", "static-files"): continue
    (ok if s.get("restart") in ("always", "unless-stopped", "on-failure") else bad)(f"prod: {name} restart policy ({s.get('restart')})")
    lim = s.get("deploy", {}).get("resources", {}).get("limits", {})
    (ok if lim.get("cpus") and lim.get("memory") else bad)(f"prod: {name} has deploy.resources.limits ({lim})")
ports = [str(x.get("published") if isinstance(x, dict) else x).split(":")[0] for x in p.get("frontend", {}).get("ports", [])]
(ok if {"80", "443"} <= set(ports) else bad)(f"prod: frontend publishes 80 and 443 ({ports})")
w = p.get("worker", {})
grace = w.get("command", [])
g = int(grace[grace.index("--grace") + 1]) if "--grace" in grace else 10
stop = str(w.get("stop_grace_period", "10s"))
stop_s = int(stop[:-1]) * (60 if stop.endswith("m") else 1) if stop[-1] in "sm" else int(stop)
(ok if stop_s > g else bad)(f"prod: worker stop_grace_period {stop} > --grace {g}s")
env = w.get("environment", {})
(ok if env.get("DATABASE_URL", "").startswith("postgres") else bad)("prod: env_file gives the workers DATABASE_URL")
sys.exit(failures)
PY

# ---------------------------------------------------------------------------------------------------------------
section "nginx -t on deploy/compose/nginx.*.conf"
if command -v nginx >/dev/null && command -v openssl >/dev/null; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
    -keyout "$tmp/privkey.pem" -out "$tmp/fullchain.pem" >/dev/null 2>&1
  for conf in deploy/compose/nginx.dev.conf deploy/compose/nginx.prod.conf; do
    name=$(basename "$conf" .conf)
    prefix="$tmp/nginx-$name"
    mkdir -p "$prefix/logs" "$prefix/temp"
    # Outside compose the service name `backend` does not resolve and nginx -t would fail on it, so a temporary copy
    # points the upstream at 127.0.0.1 and the certificate paths at a throwaway self-signed pair. Nothing else changes.
    sed -e 's/server backend:8080/server 127.0.0.1:8080/' \
        -e "s#/etc/nginx/tls/#$tmp/#" "$conf" >"$prefix/site.conf"
    cat >"$prefix/nginx.conf" <<EOF
pid $prefix/nginx.pid;
error_log $prefix/logs/error.log;
events {}
http {
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path $prefix/temp/body;
    proxy_temp_path $prefix/temp/proxy;
    fastcgi_temp_path $prefix/temp/fastcgi;
    uwsgi_temp_path $prefix/temp/uwsgi;
    scgi_temp_path $prefix/temp/scgi;
    include $prefix/site.conf;
}
EOF
    if nginx -t -q -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/logs/error.log" 2>"$prefix/t.err"; then
      ok "$conf: nginx -t ($(nginx -v 2>&1 | sed 's/.*: //'))"
    else
      bad "$conf: nginx -t: $(grep -v '^$' "$prefix/t.err" | tail -n 3 | tr '\n' ' ')"
    fi
  done
else
  skipped "nginx or openssl not installed (apt-get install -y nginx-light openssl)"
fi
has "prod nginx: client_max_body_size 110m" 'client_max_body_size 110m;' deploy/compose/nginx.prod.conf
has "prod nginx: port 80 redirects to https" 'return 301 https://' deploy/compose/nginx.prod.conf
has "prod nginx: TLS on 443" 'listen 443 ssl' deploy/compose/nginx.prod.conf
has "prod nginx: WebSocket upgrade headers" 'proxy_set_header Upgrade [$]http_upgrade' deploy/compose/nginx.prod.conf

# ---------------------------------------------------------------------------------------------------------------
section "deploy/k8s"
counted "$python" - <<'PY'
import glob, os, sys, yaml
failures = 0
def ok(m): print(f"  ok    {m}")
def bad(m):
    global failures; failures += 1; print(f"  FAIL  {m}")
base = "deploy/k8s"
objects = []
for path in sorted(glob.glob(f"{base}/*.yaml")):
    if os.path.basename(path) == "kustomization.yaml": continue
    try:
        docs = [d for d in yaml.safe_load_all(open(path)) if d]
    except yaml.YAMLError as e:
        bad(f"{path}: YAML: {e}"); continue
    for d in docs:
        if not all(k in d for k in ("apiVersion", "kind")) or not d.get("metadata", {}).get("name"):
            bad(f"{path}: an object without apiVersion, kind or metadata.name"); continue
        objects.append((path, d))
ok(f"{len(objects)} objects parsed: " + ", ".join(f"{d['kind']}/{d['metadata']['name']}" for _, d in objects))

kust = yaml.safe_load(open(f"{base}/kustomization.yaml"))
listed = kust.get("resources", [])
for r in listed:
    (ok if os.path.exists(os.path.join(base, r)) else bad)(f"kustomization lists {r}")
for path in sorted(set(p for p, _ in objects)):
    (ok if os.path.basename(path) in listed else bad)(f"{os.path.basename(path)} is listed in kustomization.yaml")

ns = [d["metadata"]["name"] for _, d in objects if d["kind"] == "Namespace"]
for path, d in objects:
    if d["kind"] != "Namespace" and d["metadata"].get("namespace") not in ns:
        bad(f"{d['kind']}/{d['metadata']['name']}: namespace {d['metadata'].get('namespace')} is not one of {ns}")

def pod_spec(d):
    if d["kind"] in ("Deployment", "StatefulSet", "DaemonSet", "Job"):
        return d["spec"]["template"]
    if d["kind"] == "CronJob":
        return d["spec"]["jobTemplate"]["spec"]["template"]
    return None

configmaps = {d["metadata"]["name"] for _, d in objects if d["kind"] == "ConfigMap"}
secrets = {d["metadata"]["name"] for _, d in objects if d["kind"] == "Secret"}
workloads = [(p, d) for p, d in objects if pod_spec(d)]
pods = []  # (labels, container ports {name: number, str(number): number})
for path, d in workloads:
    name = f"{d['kind']}/{d['metadata']['name']}"
    tmpl = pod_spec(d)
    labels = tmpl.get("metadata", {}).get("labels", {})
    containers = tmpl["spec"].get("containers", [])
    ports = {}
    for c in containers:
        for p in c.get("ports", []):
            ports[p.get("name", str(p["containerPort"]))] = p["containerPort"]; ports[str(p["containerPort"])] = p["containerPort"]
    pods.append((d["metadata"]["name"], labels, ports))
    sc = tmpl["spec"].get("securityContext", {})
    (ok if sc.get("runAsNonRoot") else bad)(f"{name}: runAsNonRoot")
    for c in containers:
        cname = f"{name} container {c['name']}"
        res = c.get("resources", {})
        (ok if res.get("requests") and res.get("limits", {}).get("memory") else bad)(f"{cname}: resource requests and limits")
        for ref in c.get("envFrom", []):
            if "configMapRef" in ref: (ok if ref["configMapRef"]["name"] in configmaps else bad)(f"{cname}: ConfigMap {ref['configMapRef']['name']} exists")
            if "secretRef" in ref: (ok if ref["secretRef"]["name"] in secrets else bad)(f"{cname}: Secret {ref['secretRef']['name']} exists")
        if d["kind"] in ("Job", "CronJob"): continue
        for probe in ("readinessProbe", "livenessProbe"):
            pr = c.get(probe)
            if not pr: bad(f"{cname}: no {probe}"); continue
            hg = pr.get("httpGet", {})
            port = hg.get("port")
            (ok if str(port) in ports else bad)(f"{cname}: {probe} httpGet {hg.get('path')} on port {port} (a declared container port)")
    if d["kind"] == "Deployment":
        sel = d["spec"].get("selector", {}).get("matchLabels", {})
        (ok if sel and all(labels.get(k) == v for k, v in sel.items()) else bad)(f"{name}: selector {sel} matches the template labels")

by_name = {d["metadata"]["name"]: d for _, d in workloads}
srv = by_name.get("playtest-server")
if srv:
    c = srv["spec"]["template"]["spec"]["containers"][0]
    (ok if srv["spec"].get("replicas") == 2 else bad)(f"playtest-server: 2 replicas ({srv['spec'].get('replicas')})")
    for probe, path in (("readinessProbe", "/api/v1/health/ready"), ("livenessProbe", "/api/v1/health/live")):
        (ok if c.get(probe, {}).get("httpGet", {}).get("path") == path else bad)(f"playtest-server: {probe} on {path}")
    (ok if c.get("args", [])[:3] == ["serve", "--workers", "0"] else bad)("playtest-server: serve --workers 0")
wrk = by_name.get("playtest-worker")
if wrk:
    spec = wrk["spec"]["template"]["spec"]; c = spec["containers"][0]; args = c.get("args", [])
    for probe in ("readinessProbe", "livenessProbe"):
        hg = c.get(probe, {}).get("httpGet", {})
        (ok if hg.get("path") == "/health" and hg.get("port") in (9101, "metrics") else bad)(f"playtest-worker: {probe} on :9101/health")
    grace = int(args[args.index("--grace") + 1]) if "--grace" in args else 10
    tgps = spec.get("terminationGracePeriodSeconds", 30)
    (ok if tgps > grace else bad)(f"playtest-worker: terminationGracePeriodSeconds {tgps} > --grace {grace}")
    (ok if "--metrics-port" in args and "9101" in args else bad)("playtest-worker: --metrics-port 9101")
    (ok if "--metrics-host" in args and args[args.index("--metrics-host") + 1] == "0.0.0.0" else bad)("playtest-worker: --metrics-host 0.0.0.0 (the kubelet probes the pod's address)")
job = by_name.get("playtest-migrate")
(ok if job and job["spec"]["template"]["spec"]["containers"][0].get("args") == ["migrate"] else bad)("Job playtest-migrate runs `playtest migrate`")

services = {}
for _, d in objects:
    if d["kind"] != "Service": continue
    name = d["metadata"]["name"]; sel = d["spec"].get("selector", {})
    matching = [p for p in pods if sel and all(p[1].get(k) == v for k, v in sel.items())]
    (ok if matching else bad)(f"Service/{name}: selector {sel} matches pods of {[p[0] for p in matching]}")
    sports = {}
    for sp in d["spec"].get("ports", []):
        tp = str(sp.get("targetPort", sp["port"]))
        (ok if all(tp in p[2] for p in matching) else bad)(f"Service/{name}: port {sp['port']} -> targetPort {tp} exists on those pods")
        sports[sp.get("name", str(sp["port"]))] = sp["port"]; sports[str(sp["port"])] = sp["port"]
    services[name] = sports
for _, d in objects:
    if d["kind"] != "Ingress": continue
    name = d["metadata"]["name"]
    (ok if d["spec"].get("ingressClassName") == "nginx" else bad)(f"Ingress/{name}: ingressClassName nginx")
    (ok if d["spec"].get("tls") and all(t.get("secretName") for t in d["spec"]["tls"]) else bad)(f"Ingress/{name}: TLS with a secretName")
    for rule in d["spec"].get("rules", []):
        for path in rule.get("http", {}).get("paths", []):
            be = path["backend"]["service"]; port = be["port"].get("name") or str(be["port"].get("number"))
            (ok if be["name"] in services and port in services[be["name"]] else bad)(f"Ingress/{name}: {path['path']} -> Service {be['name']} port {port} exists")
ann = {k: v for _, d in objects if d["kind"] == "Ingress" for k, v in d["metadata"].get("annotations", {}).items()}
(ok if ann.get("nginx.ingress.kubernetes.io/proxy-body-size") == "110m" else bad)("Ingress: proxy-body-size 110m")
ws = [d for _, d in objects if d["kind"] == "Ingress" and any(p["path"] == "/ws" for r in d["spec"]["rules"] for p in r["http"]["paths"])]
(ok if ws and int(ws[0]["metadata"].get("annotations", {}).get("nginx.ingress.kubernetes.io/proxy-read-timeout", "60")) >= 3600 else bad)("Ingress for /ws: proxy-read-timeout >= 3600")
for _, d in objects:
    if d["kind"] == "HorizontalPodAutoscaler":
        t = d["spec"]["scaleTargetRef"]["name"]
        (ok if t in by_name else bad)(f"HorizontalPodAutoscaler/{d['metadata']['name']}: targets Deployment {t}")
    if d["kind"] == "PodDisruptionBudget":
        sel = d["spec"]["selector"]["matchLabels"]
        (ok if any(all(p[1].get(k) == v for k, v in sel.items()) for p in pods) else bad)(f"PodDisruptionBudget/{d['metadata']['name']}: selects pods")
sys.exit(failures)
PY
if command -v kubectl >/dev/null; then
  if kubectl kustomize deploy/k8s >"$tmp/k8s.yaml" 2>"$tmp/k8s.err"; then
    ok "kubectl kustomize deploy/k8s renders $(grep -c '^kind:' "$tmp/k8s.yaml") objects"
  else
    bad "kubectl kustomize: $(cat "$tmp/k8s.err")"
  fi
else
  skipped "kubectl not installed: kustomize rendering not checked"
fi

# ---------------------------------------------------------------------------------------------------------------
section "deploy/grafana/playtest-dashboard.json"
counted "$python" - "$tmp/rules.yml" <<'PY'
import json, os, re, sys, yaml
failures = 0
def ok(m): print(f"  ok    {m}")
def bad(m):
    global failures; failures += 1; print(f"  FAIL  {m}")
known = set(os.environ["COUNTERS_AND_GAUGES"].split())
for h in os.environ["HISTOGRAMS"].split():
    known |= {h + "_bucket", h + "_sum", h + "_count"}
try:
    d = json.load(open("deploy/grafana/playtest-dashboard.json"))
except ValueError as e:
    bad(f"JSON: {e}"); sys.exit(failures)
ok("parses as JSON")
(ok if d.get("schemaVersion", 0) >= 36 else bad)(f"schemaVersion {d.get('schemaVersion')} >= 36")
(ok if any(i.get("name") == "DS_PROMETHEUS" and i.get("pluginId") == "prometheus" for i in d.get("__inputs", [])) else bad)("__inputs has the DS_PROMETHEUS datasource")
panels = []
for p in d.get("panels", []):
    panels.append(p); panels.extend(p.get("panels", []))
ids = [p.get("id") for p in panels]
(ok if len(ids) == len(set(ids)) else bad)(f"{len(panels)} panels with distinct ids")
exprs = []
for p in panels:
    if p.get("type") == "row": continue
    title = p.get("title", "?")
    if p.get("datasource", {}).get("uid") != "${DS_PROMETHEUS}": bad(f"panel {title!r}: datasource is not ${{DS_PROMETHEUS}}")
    gp = p.get("gridPos", {})
    if not all(k in gp for k in ("h", "w", "x", "y")) or gp["x"] + gp["w"] > 24: bad(f"panel {title!r}: gridPos {gp}")
    if not p.get("targets"): bad(f"panel {title!r}: no queries")
    for t in p.get("targets", []):
        exprs.append((title, t.get("expr", "")))
for v in d.get("templating", {}).get("list", []):
    q = v.get("query"); q = q.get("query") if isinstance(q, dict) else q
    if q: exprs.append((f"variable ${v['name']}", q))
used = set()
for title, e in exprs:
    names = set(re.findall(r"\bplaytest_[a-z0-9_]+\b", e))
    if not names: bad(f"{title!r}: query reads no playtest_ metric: {e}")
    for n in sorted(names - known): bad(f"{title!r}: unknown metric {n}")
    used |= names
ok(f"{len(exprs)} queries read only known metrics ({len(used)} distinct series)")
for wanted in ("playtest_http_requests_total", "playtest_http_request_duration_seconds_bucket", "playtest_queue_jobs_count",
               "playtest_workers_alive_count", "playtest_runs_finished_total", "playtest_run_duration_seconds_bucket",
               "playtest_queue_wait_seconds_bucket", "playtest_agent_steps_total", "playtest_ingest_rows_total",
               "playtest_engine_duration_seconds_bucket"):
    (ok if wanted in used else bad)(f"a panel reads {wanted}")
# For promtool: every panel query as a recording rule, Grafana's variables replaced by plain values.
rules = [{"record": f"playtest:dashboard:q{i}", "expr": e.replace("$__rate_interval", "5m").replace("$route", ".*")}
         for i, (title, e) in enumerate(exprs) if not e.startswith("label_values(")]
yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}, open(sys.argv[1], "w"))
sys.exit(failures)
PY
if command -v promtool >/dev/null; then
  if promtool check rules "$tmp/rules.yml" >"$tmp/rules.out" 2>&1; then
    ok "promtool parses every panel query as PromQL"
  else
    bad "promtool check rules: $(grep -v '^$' "$tmp/rules.out" | tail -n 5 | tr '\n' ' ')"
  fi
else
  skipped "promtool not installed: PromQL syntax not checked"
fi

# ---------------------------------------------------------------------------------------------------------------
section "deploy/prometheus.yml, deploy/prometheus-k8s.yml"
for f in deploy/prometheus.yml deploy/prometheus-k8s.yml; do
  if "$python" -c 'import sys, yaml; d = yaml.safe_load(open(sys.argv[1])); assert d["scrape_configs"]' "$f" 2>"$tmp/p.err"; then
    ok "$f parses ($("$python" -c 'import sys, yaml; print(", ".join(j["job_name"] for j in yaml.safe_load(open(sys.argv[1]))["scrape_configs"]))' "$f"))"
  else
    bad "$f: $(tail -n 1 "$tmp/p.err")"
  fi
done
has "prometheus.yml scrapes servers on 8080" 'port: 8080' deploy/prometheus.yml
has "prometheus.yml scrapes workers on 9101" 'port: 9101' deploy/prometheus.yml
if command -v promtool >/dev/null; then
  # --syntax-only: the bearer-token file named in the config exists only on the Prometheus host.
  if promtool check config --syntax-only deploy/prometheus.yml >"$tmp/pc.out" 2>&1; then ok "promtool check config deploy/prometheus.yml"
  else bad "promtool: $(grep FAILED "$tmp/pc.out" | head -n 2 | tr '\n' ' ')"; fi
  if promtool check config --syntax-only deploy/prometheus-k8s.yml >"$tmp/pk.out" 2>&1; then ok "promtool check config deploy/prometheus-k8s.yml"
  elif grep -q 'field kubernetes_sd_configs not found' "$tmp/pk.out"; then
    skipped "promtool check config deploy/prometheus-k8s.yml: this promtool is built without Kubernetes discovery (Debian's is)"
  else bad "promtool: $(grep FAILED "$tmp/pk.out" | head -n 2 | tr '\n' ' ')"; fi
fi

# ---------------------------------------------------------------------------------------------------------------
section "YAML style and shell scripts"
if command -v yamllint >/dev/null; then
  if yamllint -f parsable -d '{extends: relaxed, rules: {line-length: disable}}' docker-compose.yml deploy/compose/*.yml deploy/k8s/*.yaml deploy/prometheus*.yml >"$tmp/yl.out" 2>&1 \
     && ! grep -q '\[error\]' "$tmp/yl.out"; then
    ok "yamllint (relaxed): no errors"
  else
    bad "yamllint: $(grep '\[error\]' "$tmp/yl.out" | head -n 5 | tr '\n' ' ')"
  fi
else
  skipped "yamllint not installed"
fi
for script in deploy/validate.sh deploy/podman-smoke.sh; do
  if bash -n "$script" 2>"$tmp/sh.err"; then ok "bash -n $script"; else bad "bash -n $script: $(cat "$tmp/sh.err")"; fi
done
if command -v shellcheck >/dev/null; then
  if shellcheck -S warning deploy/validate.sh deploy/podman-smoke.sh >"$tmp/sc.out" 2>&1; then ok "shellcheck -S warning"; else bad "shellcheck: $(head -n 10 "$tmp/sc.out")"; fi
fi

echo
if [ "$problems" -gt 0 ]; then
  echo "validate: $problems problem(s)"
  exit 1
fi
echo "validate: all checks passed"
