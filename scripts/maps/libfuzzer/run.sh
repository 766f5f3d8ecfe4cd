#!/usr/bin/env bash
# Optional libFuzzer run over the map reader (the bounded fuzz test in CI is MapFuzzTests).
#
#   scripts/maps/libfuzzer/run.sh [seconds] [corpus-dir]
#
# Builds the Maps sources and FuzzEntry.swift into one binary with -sanitize=fuzzer,address, seeds the
# corpus with single-map PWADs cut from the Debian WADs (when installed), and fuzzes for the given time
# (default 60 s). Crashing inputs are written as crash-* files in the current directory.
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
seconds="${1:-60}"
corpus="${2:-$(mktemp -d -t map-corpus.XXXXXX)}"
work="$(mktemp -d -t map-fuzz.XXXXXX)"
mapfile -t sources < <(find "$root/Sources/PlaytestCore/Maps" -name '*.swift' | sort)
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name MapFuzz \
    "${sources[@]}" "$root/scripts/maps/libfuzzer/FuzzEntry.swift" -o "$work/map-fuzz"
python3 "$root/scripts/maps/libfuzzer/split_maps.py" "$corpus" /usr/share/games/doom/*.wad || true
"$work/map-fuzz" -max_total_time="$seconds" -max_len=262144 -timeout=10 "$corpus"
