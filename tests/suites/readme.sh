#!/bin/sh
# The examples in README.md are real: every `$ rrkit ...` transcript must be
# what rrkit prints now (tools/readme-examples.py; --update rewrites them),
# and docs/rules.md must be what tools/gen-rules-doc.py writes (its examples
# are rrkit's output on samples/broken).
O=${1:-build}
command -v python3 >/dev/null 2>&1 || { echo "readme: skipped: no python3"; exit 77; }
d=$(dirname "$0")/../..
RRKIT=$O/rrkit python3 "$d/tools/gen-rules-doc.py" --check || exit 1
exec python3 "$d/tools/readme-examples.py" "$O"
