#!/bin/sh
# lint/sim agreement on generated designs with real misconfigurations
# (tests/agreement/run.py): every case with the normal build, every 8th
# with the sanitizer build (a sanitizer report is a disagreement).
#   tests/suites/agreement.sh BUILD_DIR
# Exit 0 pass, 77 skip (no python3 or no rrkit), else fail.
O=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
command -v python3 >/dev/null 2>&1 || { echo "agreement: skipped: no python3"; exit 77; }
[ -x "$O/rrkit" ] || { echo "agreement: skipped: no $O/rrkit"; exit 77; }
rc=0
python3 "$root/tests/agreement/test_compare.py" || rc=1
python3 "$root/tests/agreement/run.py" --rrkit "$O/rrkit" || rc=1
if [ -x "$O/asan/rrkit" ]; then
	echo "sanitizer build, every 8th case:"
	ASAN_OPTIONS=detect_leaks=1 python3 "$root/tests/agreement/run.py" \
		--rrkit "$O/asan/rrkit" --every 8 --quiet || rc=1
fi
exit $rc
