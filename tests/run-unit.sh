#!/bin/sh
# Run every cmocka unit test binary in $1; print "unit: N passed, N failed".
dir=$1
pass=0 failn=0
for t in "$dir"/test_*; do
	[ -x "$t" ] || continue
	if out=$("$t" 2>&1); then
		pass=$((pass + 1))
	else
		failn=$((failn + 1))
		echo "$out" | tail -40
		echo "FAILED: $t"
	fi
	# oracle tests' tallies ("confd: 90/90 cases equal"): a log then
	# says how much of a corpus agreed, not only that the floor held
	echo "$out" | grep -E '^[a-z-]+( [a-z]+)?: [0-9]+/[0-9]+ ' | sed 's|^|    |'
done
echo "unit($dir): $pass passed, $failn failed"
[ $failn = 0 ]
