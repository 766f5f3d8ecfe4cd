#!/usr/bin/env bash
# Says which integration tests `make test` will skip on this machine, and why.
missing=()
[ -n "${PLAYTEST_TEST_DATABASE_URL:-}" ] || missing+=("PostgreSQL (job queue on PostgreSQL, cross-process races): PLAYTEST_TEST_DATABASE_URL is not set")
[ -n "${PLAYTEST_TEST_REDIS_URL:-}" ] || missing+=("Redis (RedisClient, RedisLiveStore conformance): PLAYTEST_TEST_REDIS_URL is not set")
[ -n "${PLAYTEST_TEST_S3_ENDPOINT:-}" ] || missing+=("S3 (S3BlobStore against moto): PLAYTEST_TEST_S3_ENDPOINT is not set")
if [ ${#missing[@]} -gt 0 ]; then
  echo "Skipping integration tests that need engines not configured here:"
  for m in "${missing[@]}"; do echo "  - $m"; done
  echo "  Start them with: eval \"\$(scripts/test-services.sh start)\"   (needs postgresql, redis-server, moto[server])"
  if [ "${CI:-}" = true ]; then echo "CI must run every integration test; refusing to skip." >&2; exit 1; fi
fi
exit 0
