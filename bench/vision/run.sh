#!/usr/bin/env bash
# Frame-vision benchmark (issue 14): precision/recall per kind on the planted suite, the static WAD check
# side by side, findings on Freedoom Phase 1 and 2 (sampled and aimed views), detector cost per frame.
#
#   bench/vision/run.sh [extra bench_vision.py arguments, e.g. --views 8 --maps MAP01,E1M1]
# Env: PYTHON (default .venv/bin/python). Needs /usr/share/games/doom/freedoom{1,2}.wad (apt-get install freedoom).
# Writes bench/results/vision-<date>.json and bench/results/vision.md; about 6 minutes on the 2-core box.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON="${PYTHON:-.venv/bin/python}"
exec "$PYTHON" bench/vision/bench_vision.py --views 40 --targeted 6 "$@"
