#!/usr/bin/env bash
# Blob store benchmarks, ours and a reference side by side in one run:
#  1. FolderBlobStore put(fileAt:) + download(toFile:) of a FOLDER_MB file vs dd (64 KiB blocks, fsync);
#  2. S3BlobStore against an S3-compatible server vs boto3 (single PUT, no multipart) on the same
#     server, when PLAYTEST_TEST_S3_ENDPOINT is set (e.g. moto_server -p 5055).
# Both also report how much peak memory grew: the stores stream, so it stays far below the file size.
#
#   bench/blobs/run.sh
# Env: BLOBBENCH (the BlobBench binary, built with -c release; default .build/release/BlobBench),
#      PYTHON (default python3, needs boto3 for the S3 part), REPEATS (default 3),
#      FOLDER_MB (default 200), S3_MB (default 64).
set -euo pipefail
cd "$(dirname "$0")/../.."
BLOBBENCH="${BLOBBENCH:-.build/release/BlobBench}"
PYTHON="${PYTHON:-python3}"
REPEATS="${REPEATS:-3}"
FOLDER_MB="${FOLDER_MB:-200}"
S3_MB="${S3_MB:-64}"
[ -x "$BLOBBENCH" ] || { echo "BlobBench not found at $BLOBBENCH: build it with swift build -c release --product BlobBench" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

compare() {  # compare <label> <ours-json> <reference-json>
    "$PYTHON" - "$1" "$2" "$3" <<'PY'
import json, sys
label, ours, ref = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
mb = ours["bytes"] / 1e6
for op in ("put", "download"):
    o, r = ours[f"{op}_seconds"], ref[f"{op}_seconds"]
    print(f"{label} {op:8s}: ours {mb / o:8.1f} MB/s   {ref['engine']} {mb / r:8.1f} MB/s   ratio ours/ref {r / o:.2f}")
print(f"{label} peak RSS growth while moving {mb:.0f} MB: {ours['peak_rss_growth_after_first_put_bytes'] / 1e6:.1f} MB after the first put, "
      f"{ours['peak_rss_growth_bytes'] / 1e6:.1f} MB after all puts and downloads")
PY
}

dd if=/dev/urandom of="$work/folder.bin" bs=1M count="$FOLDER_MB" status=none
echo "folder: $FOLDER_MB MB file, best of $REPEATS"
ours="$("$BLOBBENCH" folder "$work/folder.bin" "$REPEATS")"
reference="$("$PYTHON" bench/blobs/reference.py folder "$work/folder.bin" "$REPEATS")"
compare "folder" "$ours" "$reference"

if [ -n "${PLAYTEST_TEST_S3_ENDPOINT:-}" ]; then
    dd if=/dev/urandom of="$work/s3.bin" bs=1M count="$S3_MB" status=none
    echo "s3 ($PLAYTEST_TEST_S3_ENDPOINT): $S3_MB MB file, best of $REPEATS"
    ours="$("$BLOBBENCH" s3 "$PLAYTEST_TEST_S3_ENDPOINT" "$work/s3.bin" "$REPEATS")"
    reference="$("$PYTHON" bench/blobs/reference.py s3 "$PLAYTEST_TEST_S3_ENDPOINT" "$work/s3.bin" "$REPEATS")"
    compare "s3" "$ours" "$reference"
else
    echo "s3: skipped (PLAYTEST_TEST_S3_ENDPOINT is not set)"
fi
