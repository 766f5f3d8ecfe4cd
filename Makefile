# Playtest: `make run` starts the whole platform on this machine; `make test` runs every test.
SHELL := /bin/bash
VENV ?= .venv
PYTHON ?= python3
SWIFT_BUILD_FLAGS ?=
PIP_FLAGS := $(if $(wildcard /opt/wheels),--find-links /opt/wheels,)

.PHONY: run build venv test test-swift test-layering test-python test-web test-api test-maps-crosscheck test-deploy test-chaos services services-stop clean help

help:
	@echo "make run    set up what is missing (Python venv, build) and start 'playtest serve' on the embedded default"
	@echo "make test   run every test (layering, swift test, pytest, maps cross-check, browser, API contract); integration tests run when PLAYTEST_TEST_* are set"
	@echo "make services / services-stop   start/stop throwaway PostgreSQL, Redis and moto S3 for integration tests"

# The agent runtime's venv; reinstalled when a requirements file changes.
venv: $(VENV)/.installed
$(VENV)/.installed: agent/requirements.txt requirements-dev.txt
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet $(PIP_FLAGS) -r agent/requirements.txt -r requirements-dev.txt
	@touch $@

build:
	swift build $(SWIFT_BUILD_FLAGS) --product playtest

run: venv build
	.build/debug/playtest serve

test: venv test-layering test-swift test-python test-maps-crosscheck test-web test-api test-deploy test-chaos

# Every `import` under Sources/ against docs/architecture.md's "Allowed imports".
test-layering:
	python3 scripts/check-layering.py

# swift test, then the tests it skipped, counted and named.
test-swift:
	@scripts/report-skipped-integration.sh
	scripts/swift-test.sh $(SWIFT_BUILD_FLAGS)

test-python: venv
	$(VENV)/bin/python -m pytest agent/tests -q

# The web app in headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against a real `playtest serve`.
# Screenshots of every page land in test-artifacts/web/.
test-web: venv
	swift build $(SWIFT_BUILD_FLAGS) --product playtest
	$(VENV)/bin/python -m pytest Tests/web -q

# schemathesis over every operation of GET /api/v1/openapi.json against a live `playtest serve`: no 5xx, nothing the
# document does not describe.
test-api: venv
	swift build $(SWIFT_BUILD_FLAGS) --product playtest
	PLAYTEST_BIN="$$(swift build $(SWIFT_BUILD_FLAGS) --show-bin-path)/playtest" scripts/api-contract.sh

# Map element counts of every freedoom/freedm/VizDoom map against omgifol (a second WAD reader).
test-maps-crosscheck: venv
	SWIFT_TEST_ARGS="$(SWIFT_BUILD_FLAGS)" scripts/maps/crosscheck.sh

# The packaging files checked (deploy/validate.sh: Dockerfile, compose files, Kubernetes manifests, nginx configs,
# Grafana), then the scale-out shape run for real on loopback (deploy/cluster.sh: PostgreSQL, Redis, S3, 2 servers,
# 2 workers, nginx with TLS) and used end to end through nginx (Tests/cluster/smoke.sh).
# Faults under light load on the loopback cluster (Tests/chaos/chaos.sh, ≤ 7 min): kill -9 of a server and of a
# worker, Redis and PostgreSQL restarted, S3 down for 30 s; fails when a run is lost, an episode duplicated, an upload
# half-stored, a 5xx falls outside the failover window or the S3 outage loses a run's files.
test-chaos: venv
	swift build $(SWIFT_BUILD_FLAGS) --product playtest
	PLAYTEST_BIN="$$(swift build $(SWIFT_BUILD_FLAGS) --show-bin-path)/playtest" Tests/chaos/chaos.sh

test-deploy: venv
	swift build $(SWIFT_BUILD_FLAGS) --product playtest
	deploy/validate.sh
	PLAYTEST_BIN="$$(swift build $(SWIFT_BUILD_FLAGS) --show-bin-path)/playtest" Tests/cluster/smoke.sh

services:
	@scripts/test-services.sh start

services-stop:
	@scripts/test-services.sh stop

clean:
	rm -rf .build data
