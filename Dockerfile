# syntax=docker/dockerfile:1
#
# The `playtest` image: one binary for every role (serve, worker, migrate, user, ...) plus the Python agent runtime.
#
#   docker build -t playtest:dev .
#   docker run --rm -p 8080:8080 playtest:dev                      # embedded default: SQLite, one embedded worker
#   docker run --rm playtest:dev worker --concurrency 2 --metrics-port 9101
#
# Stages: `builder` (Swift release build), `agent-venv` (the agent runtime's venv), `runtime` (what ships).
# The venv is built on the same Debian release as the runtime stage, at the same path, so its interpreter link
# (/usr/bin/python3) and its compiled wheels match. deploy/README.md ("Packaging") describes the whole set.

ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG DEBIAN_IMAGE=debian:bookworm-slim

# ---------------------------------------------------------------------------------------------------------------
FROM ${SWIFT_IMAGE} AS builder
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libsqlite3-dev libxml2-dev zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Manifest first, so the dependency checkout is cached while only sources change. Package.resolve[d] is a glob so a
# checkout without the lock file still builds.
COPY Package.swift Package.resolve[d] ./
# SwiftPM loads every target of the manifest, so the test and bench target folders must exist too.
COPY Sources ./Sources
COPY Tests ./Tests
COPY bench ./bench
RUN --mount=type=cache,target=/src/.build \
    swift build -c release --product playtest --static-swift-stdlib \
 && mkdir -p /out \
 && bin="$(swift build -c release --show-bin-path)" \
 && cp "$bin/playtest" /out/playtest \
 && find "$bin" -maxdepth 1 -name '*.resources' -exec cp -R {} /out/ \; \
 && /out/playtest --help >/dev/null

# ---------------------------------------------------------------------------------------------------------------
FROM ${DEBIAN_IMAGE} AS agent-venv
# torch's CPU-only wheels live on the PyTorch index; agent/requirements.txt pins the +cpu local version.
ARG PIP_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cpu
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 python3-venv \
 && rm -rf /var/lib/apt/lists/*
COPY agent/requirements.txt /tmp/requirements.txt
RUN python3 -m venv /opt/playtest/venv \
 && /opt/playtest/venv/bin/pip install --no-cache-dir --upgrade pip \
 && /opt/playtest/venv/bin/pip install --no-cache-dir --extra-index-url "${PIP_EXTRA_INDEX_URL}" -r /tmp/requirements.txt \
 && /opt/playtest/venv/bin/python -c "import vizdoom, numpy, torch, cv2"

# ---------------------------------------------------------------------------------------------------------------
FROM ${DEBIAN_IMAGE} AS runtime
# freedoom: /usr/share/games/doom/freedoom2.wad, the IWAD textures user maps are checked against when the venv's
# vizdoom copy is absent. ffmpeg: run videos. python3: the venv's interpreter. curl: the HEALTHCHECK.
# postgresql-client: pg_dump and pg_restore for `playtest backup`/`restore` (15 on bookworm: at least the server's).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates curl tzdata libsqlite3-0 libxml2 zlib1g libstdc++6 libgomp1 \
      python3 freedoom ffmpeg postgresql-client \
 && rm -rf /var/lib/apt/lists/*

# A fixed uid/gid so volumes and Kubernetes' securityContext (runAsUser 10001) agree.
RUN groupadd --system --gid 10001 playtest \
 && useradd --system --uid 10001 --gid playtest --home-dir /var/lib/playtest --shell /usr/sbin/nologin playtest \
 && install -d -o playtest -g playtest -m 0750 /var/lib/playtest \
 && install -d -o playtest -g playtest -m 0755 /opt/playtest

COPY --from=builder /out/ /usr/local/bin/
COPY --from=agent-venv /opt/playtest/venv /opt/playtest/venv
COPY agent /opt/playtest/agent
# Vapor's FileMiddleware serves `<working directory>/Public/` at `/` (/app.css, /app.js).
COPY Public /opt/playtest/Public

# /opt/playtest is the working directory: Public/ is found there, and the agent runs with the folder above
# PLAYTEST_AGENT_DIR as its working directory, where VizDoom writes _vizdoom.ini (hence owned by playtest).
WORKDIR /opt/playtest
ENV PLAYTEST_PYTHON=/opt/playtest/venv/bin/python \
    PLAYTEST_AGENT_DIR=/opt/playtest/agent \
    PLAYTEST_DATA_DIR=/var/lib/playtest \
    PLAYTEST_LOG_FORMAT=json \
    HOST=0.0.0.0 \
    PORT=8080 \
    HOME=/var/lib/playtest
USER playtest
VOLUME ["/var/lib/playtest"]
EXPOSE 8080

# For `serve`. The worker answers on --metrics-port instead; compose and Kubernetes override this check for it.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${PORT}/api/v1/health/ready" >/dev/null || exit 1

ENTRYPOINT ["playtest"]
CMD ["serve", "--host", "0.0.0.0"]
