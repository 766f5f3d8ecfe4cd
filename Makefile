# Playtest: `make run` starts the whole platform on this machine; `make test` runs every test.
SHELL := /bin/bash
VENV ?= .venv
PYTHON ?= python3
SWIFT_BUILD_FLAGS ?=
PIP_FLAGS := $(if $(wildcard /opt/wheels),--find-links /opt/wheels,)

.PHONY: run build venv test test-swift test-python test-web test-maps-crosscheck services services-stop clean help

help:
	@echo "make run    set up what is missing (Python venv, build) and start 'playtest serve' on the embedded default"
	@echo "make test   run every test (swift test and pytest); integration tests run when PLAYTEST_TEST_* are set"
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

test: venv test-swift test-python test-maps-crosscheck test-web

test-swift:
	@scripts/report-skipped-integration.sh
	swift test $(SWIFT_BUILD_FLAGS)

test-python: venv
	$(VENV)/bin/python -m pytest agent/tests -q

# The web app in headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against a real `playtest serve`.
# Screenshots of every page land in test-artifacts/web/.
test-web: venv
	swift build $(SWIFT_BUILD_FLAGS) --product playtest
	$(VENV)/bin/python -m pytest Tests/web -q

# Map element counts of every freedoom/freedm/VizDoom map against omgifol (a second WAD reader).
test-maps-crosscheck: venv
	SWIFT_TEST_ARGS="$(SWIFT_BUILD_FLAGS)" scripts/maps/crosscheck.sh

services:
	@scripts/test-services.sh start

services-stop:
	@scripts/test-services.sh stop

clean:
	rm -rf .build data
