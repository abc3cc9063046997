#!/bin/sh
# make check: rrkit probe against real BIRD 1.6 and FRR in network
# namespaces, and a captured BIRD<->FRR session round-tripped through the
# codec (tests/interop/run.sh).  Exit 77 (skipped, reason printed) without
# root, `ip netns`, the daemons or dumpcap.
#   tests/suites/interop.sh BUILD_DIR
O=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
exec timeout 120 "$here/../interop/run.sh" "$O/rrkit" "$O"
