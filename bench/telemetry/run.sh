#!/usr/bin/env bash
# Builds TelemetryBench in release mode in a scratch package (a copy of the real sources, so Package.swift is not
# touched and edits during the build do not break it) and runs it on the agent's real transcript, with VizDoom's
# freedoom2.wad when the .venv has it.
#
#   bench/telemetry/run.sh [lines]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
scratch="${TELEMETRY_BENCH_DIR:-/tmp/playtest-telemetry-bench}"
mkdir -p "$scratch/Sources"
for target in "Sources/PlaytestCore" "bench/telemetry/TelemetryBench"; do
    destination="$scratch/Sources/$(basename "$target")"
    rm -rf "$destination"
    cp -a "$root/$target" "$destination"
done
cat > "$scratch/Package.swift" <<'SWIFT'
// swift-tools-version:6.0
import PackageDescription
let package = Package(
    name: "TelemetryBench",
    platforms: [.macOS(.v14)],
    targets: [
        .target(name: "PlaytestCore", swiftSettings: [.enableUpcomingFeature("ExistentialAny")]),
        .executableTarget(name: "TelemetryBench", dependencies: ["PlaytestCore"]),
    ]
)
SWIFT
(cd "$scratch" && nice swift build -c release --product TelemetryBench >&2)
wad="$(ls "$root"/.venv/lib/python*/site-packages/vizdoom/freedoom2.wad 2>/dev/null | head -1 || true)"
wad="${wad:-/usr/share/games/doom/freedoom2.wad}"
cd "$root"
"$scratch/.build/release/TelemetryBench" agent/tests/data/evaluate_random_defend_the_center.jsonl "${1:-200000}" "$wad"
