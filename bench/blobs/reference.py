"""Reference side of bench/blobs: the same file moved by standard tools, best of N.

  python3 reference.py folder <file> <repeats>          dd with 64 KiB blocks and fsync, both ways
  python3 reference.py s3 <endpoint> <file> <repeats>   boto3 single PUT (upload_file, no multipart) and download_file
Prints one JSON object like BlobBench's.
"""
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid


def best(repeats: int, work) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def dd(source: str, target: str) -> None:
    subprocess.run(["dd", f"if={source}", f"of={target}", "bs=64k", "conv=fsync", "status=none"], check=True)


def main() -> None:
    mode = sys.argv[1]
    repeats = int(sys.argv[-1])
    scratch = tempfile.mkdtemp(prefix="blobbench-ref-")
    if mode == "folder":
        source = sys.argv[2]
        stored, copy = os.path.join(scratch, "stored.bin"), os.path.join(scratch, "copy.bin")
        put = best(repeats, lambda: dd(source, stored))
        download = best(repeats, lambda: dd(stored, copy))
        engine = "dd"
    else:
        import boto3
        from boto3.s3.transfer import TransferConfig

        endpoint, source = sys.argv[2], sys.argv[3]
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="bench", aws_secret_access_key="bench-secret")
        bucket = "blobbench-ref-" + uuid.uuid4().hex[:12]
        s3.create_bucket(Bucket=bucket)
        single = TransferConfig(multipart_threshold=1 << 40, use_threads=False)
        copy = os.path.join(scratch, "copy.bin")
        put = best(repeats, lambda: s3.upload_file(source, bucket, "bench/ref.bin", Config=single))
        download = best(repeats, lambda: s3.download_file(bucket, "bench/ref.bin", copy, Config=single))
        engine = "boto3"
    size = os.path.getsize(source)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"engine": engine, "bytes": size, "put_seconds": put, "download_seconds": download,
                      "peak_rss_bytes": peak}))
    subprocess.run(["rm", "-rf", scratch], check=True)


if __name__ == "__main__":
    main()
