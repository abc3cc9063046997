#!/bin/sh
# Golden tests: tests/golden/<case>/cmd holds the rrkit arguments (one line,
# run from the repository root with sh word splitting); expected output is
# in out (stdout), err (stderr) and status (exit code).
#   tests/golden/run.sh [--update] RRKIT
# --update rewrites the expectations (review the diff like code).
update=0
if [ "${1:-}" = "--update" ]; then update=1; shift; fi
rrkit=${1:?usage: run.sh [--update] RRKIT}
case "$rrkit" in /*) ;; *) rrkit="$(pwd)/$rrkit" ;; esac
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 failn=0
for dir in tests/golden/*/; do
	case=$(basename "$dir")
	[ -f "$dir/cmd" ] || continue
	args=$(cat "$dir/cmd")
	# shellcheck disable=SC2086
	NO_COLOR=1 timeout 60 "$rrkit" $args >"$tmp/out" 2>"$tmp/err" </dev/null
	echo $? >"$tmp/status"
	if [ $update = 1 ]; then
		cp "$tmp/out" "$dir/out"
		cp "$tmp/err" "$dir/err"
		cp "$tmp/status" "$dir/status"
		echo "updated $case"
		continue
	fi
	ok=1
	for f in status out err; do
		if ! cmp -s "$dir/$f" "$tmp/$f"; then
			ok=0
			echo "FAIL $case: $f differs"
			diff -u "$dir/$f" "$tmp/$f" | head -30
		fi
	done
	if [ $ok = 1 ]; then pass=$((pass + 1)); else failn=$((failn + 1)); fi
done
[ $update = 1 ] && exit 0
echo "golden: $pass passed, $failn failed"
[ $failn = 0 ]
