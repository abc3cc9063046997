#!/bin/sh
# make check: run every suite, print each suite's result and its time, and
# one closing line "N passed, N failed" (suites counted).  Exit 1 if any
# failed.
#   RRKIT_QUICK=1   skip the suites that start real daemons (interop*,
#                   bird-accepts): a quick pass while developing; CI and
#                   `make check` run everything
# Suites that create network namespaces take /tmp/rrkit-netns.lock, so two
# checkouts on one machine never run them at the same time.
O=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
passed=0 failed=0 skipped=0
suite() {
	name=$1; shift
	echo "== $name"
	t0=$(date +%s)
	"$@"
	rc=$?
	t=$(( $(date +%s) - t0 ))
	if [ $rc = 0 ]; then passed=$((passed + 1)); echo "-- $name: ok (${t} s)";
	elif [ $rc = 77 ]; then skipped=$((skipped + 1)); echo "-- $name: skipped (${t} s)";
	else failed=$((failed + 1)); echo "-- $name: FAILED (exit $rc, ${t} s)"; fi
}
suite check-deps "$here/../tools/check-deps.sh"
suite unit "$here/run-unit.sh" "$O/tests"
suite unit-asan "$here/run-unit.sh" "$O/asan/tests"
for s in "$here"/suites/*.sh; do
	[ -x "$s" ] || continue
	name=$(basename "$s" .sh)
	case $name in
	interop*|bird-accepts)
		if [ -n "${RRKIT_QUICK:-}" ]; then
			echo "== $name"; echo "-- $name: skipped (RRKIT_QUICK)"
			skipped=$((skipped + 1)); continue
		fi
		suite "$name" flock /tmp/rrkit-netns.lock "$s" "$O" ;;
	*)	suite "$name" "$s" "$O" ;;
	esac
done
echo "check: $passed passed, $failed failed, $skipped skipped"
[ $failed = 0 ]
