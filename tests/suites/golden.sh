#!/bin/sh
# Golden cases with the normal build.
exec "$(dirname "$0")/../golden/run.sh" "$1/rrkit"
