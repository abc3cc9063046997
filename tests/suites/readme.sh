#!/bin/sh
# The examples in README.md are real: every `$ rrkit ...` transcript must be
# what rrkit prints now (tools/readme-examples.py; --update rewrites them).
O=${1:-build}
command -v python3 >/dev/null 2>&1 || { echo "readme: skipped: no python3"; exit 77; }
exec python3 "$(dirname "$0")/../../tools/readme-examples.py" "$O"
