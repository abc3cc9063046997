#!/bin/sh
# rrkit sim against real FRR and BIRD topologies (tests/interop/sim.sh).
exec "$(dirname "$0")/../interop/sim.sh" "$1/rrkit"
