# shellcheck shell=bash
# Sourced by the scripts that drive deploy/cluster.sh (Tests/cluster/smoke.sh, Tests/chaos/chaos.sh,
# bench/cluster/load.sh): each is bounded in time. Past LIMIT seconds the script is interrupted wherever it is (a
# `wait` on a background driver returns at the signal), says so with its own `say`, and exits 124; its EXIT trap still
# tears the cluster down. The watchdog's pid is in $watchdog for that trap to stop it.
bound_in_time() {
  local limit=$1
  # shellcheck disable=SC2064  # the limit is fixed now, on purpose
  trap "say 'interrupted (or over the ${limit}s limit)'; exit 124" INT TERM
  ( trap 'kill $nap 2>/dev/null; exit 0' TERM; sleep "$limit" & nap=$!; wait $nap && kill -TERM $$ ) 2>/dev/null &
  # shellcheck disable=SC2034  # read by the sourcing script's EXIT trap
  watchdog=$!
}
