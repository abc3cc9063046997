#!/bin/sh
# make check: what real BIRD 1.6 and FRR do during a change
# (tests/interop/rollout.sh): the steps of each case under
# tests/interop/rollout/ applied for real in network namespaces, each
# node's loss windows recorded and, when this rrkit has `rollout`, compared
# with the rehearsal of the same steps.  Exit 77 (skipped, reason printed)
# without root, `ip netns` or the daemons.
#   tests/suites/interop-rollout.sh BUILD_DIR
O=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
exec timeout 700 "$here/../interop/rollout.sh" "$O/rrkit"
