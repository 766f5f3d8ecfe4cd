#!/usr/bin/env bash
# Assembles bench/RESULTS.md from the per-area result files in bench/results/.
set -euo pipefail
cd "$(dirname "$0")"
{
  echo "# Benchmark results"
  echo
  echo "Every benchmark measures ours and its reference side by side in one run (see each area's"
  echo "\`bench/<area>/run.sh\`). Machine: the 2-core, 24 GiB CI box, often shared with builds and"
  echo "training runs while these were taken, so absolute figures are noisy; the ratios are what count."
  echo "Regenerate this file with \`bench/collect-results.sh\` after updating \`bench/results/*.md\`."
  echo
  for area in queue redis blobs maps telemetry agent navigator completion progression hardness vision evidence findings ingest overhead runs-api web accounts analysis live progress api-contract backup cluster; do
    [ -f "results/$area.md" ] || continue
    echo
    # One level down: each area's title becomes a section of this file.
    sed 's/^#/##/' "results/$area.md"
  done
} > RESULTS.md
echo "wrote bench/RESULTS.md"
