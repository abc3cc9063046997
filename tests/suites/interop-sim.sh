#!/bin/sh
# rrkit sim against real FRR and BIRD topologies: the hand-written ones of
# tests/interop/topo/ (sim.sh), then the generated designs listed in
# tests/interop/generated.txt (generated.sh).
d=$(dirname "$0")/../interop
"$d/sim.sh" "$1/rrkit"
rc=$?
[ $rc = 77 ] && exit 77
"$d/generated.sh" "$1/rrkit" || rc=1
exit $rc
