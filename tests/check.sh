#!/bin/sh
# make check: run every suite, print each suite's result and one closing
# line "N passed, N failed" (suites counted).  Exit 1 if any failed.
O=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
passed=0 failed=0 skipped=0
suite() {
	name=$1; shift
	echo "== $name"
	"$@"
	rc=$?
	if [ $rc = 0 ]; then passed=$((passed + 1));
	elif [ $rc = 77 ]; then skipped=$((skipped + 1)); echo "-- $name: skipped";
	else failed=$((failed + 1)); echo "-- $name: FAILED (exit $rc)"; fi
}
suite check-deps "$here/../tools/check-deps.sh"
suite unit "$here/run-unit.sh" "$O/tests"
suite unit-asan "$here/run-unit.sh" "$O/asan/tests"
for s in "$here"/suites/*.sh; do
	[ -x "$s" ] || continue
	suite "$(basename "$s" .sh)" "$s" "$O"
done
echo "check: $passed passed, $failed failed, $skipped skipped"
[ $failed = 0 ]
