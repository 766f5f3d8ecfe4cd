#!/usr/bin/env bash
# Says which integration tests `make test` will skip on this machine, and why: whole suites and tests that need an
# engine (swift-test.sh names them again after the run, as Swift Testing reports them), and the tests that run over
# every engine configured here (`arguments: TestDatabase.available`, `RunHarness.databases`,
# `LiveStoreEngine.available`), which lose their PostgreSQL or Redis case without a word from Swift Testing: those
# are counted and named here.
cd "$(dirname "$0")/.."
missing=()
[ -n "${PLAYTEST_TEST_DATABASE_URL:-}" ] || missing+=("PostgreSQL (job queue on PostgreSQL, cross-process races): PLAYTEST_TEST_DATABASE_URL is not set")
[ -n "${PLAYTEST_TEST_REDIS_URL:-}" ] || missing+=("Redis (RedisClient, RedisLiveStore conformance): PLAYTEST_TEST_REDIS_URL is not set")
[ -n "${PLAYTEST_TEST_S3_ENDPOINT:-}" ] || missing+=("S3 (S3BlobStore against moto): PLAYTEST_TEST_S3_ENDPOINT is not set")
if [ ${#missing[@]} -gt 0 ]; then
  echo "Skipping integration tests that need engines not configured here:"
  for m in "${missing[@]}"; do echo "  - $m"; done
  # Tests parameterized over the configured engines: which case each one loses.
  python3 - "${PLAYTEST_TEST_DATABASE_URL:-}" "${PLAYTEST_TEST_REDIS_URL:-}" <<'PY'
import pathlib, re, sys
postgres, redis = sys.argv[1], sys.argv[2]
lost = {"PostgreSQL": [] if postgres else ["TestDatabase.available", "RunHarness.databases"],
        "Redis": [] if redis else ["LiveStoreEngine.available"]}
test = re.compile(r'@Test\((?:"((?:[^"\\]|\\.)*)")?.*arguments: ([A-Za-z.]+)\)')
for engine, lists in lost.items():
    names = []
    for path in sorted(pathlib.Path("Tests").rglob("*.swift")):
        for line in path.read_text().splitlines():
            match = test.search(line)
            if match and match.group(2) in lists:
                names.append(f"{path.relative_to('Tests')}: {match.group(1) or '(unnamed)'}")
    if names:
        print(f"  {len(names)} tests run without their {engine} case (they run on the engines that are configured):")
        for name in names:
            print(f"    - {name}")
PY
  echo "  Start them with: eval \"\$(scripts/test-services.sh start)\"   (needs postgresql, redis-server, moto[server])"
  if [ "${CI:-}" = true ]; then echo "CI must run every integration test; refusing to skip." >&2; exit 1; fi
fi
exit 0
