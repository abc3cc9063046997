#!/bin/sh
# The simulator's caches change nothing (bgpsim/cache.c): every sim golden
# case, every sample design and a generated cluster run with the caches
# (as rrkit runs) and plain (RRKIT_SIM_PLAIN=1: every cache off), and the
# two give the same output, exit status and pcap byte for byte.
#   tests/suites/sim-plain.sh BUILD_DIR
# Exit 0 pass, 77 skip (no rrkit), else fail.
O=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
rrkit=$O/rrkit
case "$rrkit" in /*) ;; *) rrkit="$(pwd)/$rrkit" ;; esac
[ -x "$rrkit" ] || { echo "sim-plain: skipped: no $rrkit"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root" || exit 2
pass=0 failn=0

# both NAME rrkit-args...: cached and plain agree on stdout, stderr, status
both() {
	name=$1
	shift
	NO_COLOR=1 timeout 120 "$rrkit" "$@" >"$tmp/c.out" 2>"$tmp/c.err" </dev/null
	echo $? >"$tmp/c.st"
	NO_COLOR=1 RRKIT_SIM_PLAIN=1 timeout 120 "$rrkit" "$@" \
		>"$tmp/p.out" 2>"$tmp/p.err" </dev/null
	echo $? >"$tmp/p.st"
	for f in out err st; do
		if ! cmp -s "$tmp/c.$f" "$tmp/p.$f"; then
			echo "FAIL $name: $f differs with RRKIT_SIM_PLAIN=1"
			diff -u "$tmp/c.$f" "$tmp/p.$f" | head -20
			failn=$((failn + 1))
			return
		fi
	done
	pass=$((pass + 1))
}

for dir in tests/golden/sim-*/; do
	[ -f "$dir/cmd" ] || continue
	# shellcheck disable=SC2046
	both "$(basename "$dir")" $(cat "$dir/cmd")
done
for d in samples/*/; do
	case $d in samples/broken/ | samples/gen/) continue ;; esac
	both "sample $d" sim --format json "$d"
	rm -f "$tmp/c.pcap" "$tmp/p.pcap"
	"$rrkit" sim --pcap "$tmp/c.pcap" "$d" >/dev/null 2>&1
	RRKIT_SIM_PLAIN=1 "$rrkit" sim --pcap "$tmp/p.pcap" "$d" >/dev/null 2>&1
	if [ -s "$tmp/c.pcap" ] && cmp -s "$tmp/c.pcap" "$tmp/p.pcap"; then
		pass=$((pass + 1))
	else
		echo "FAIL sample $d: the pcap differs with RRKIT_SIM_PLAIN=1"
		failn=$((failn + 1))
	fi
done
# faults on the seed
both "seed fail+restore" sim --fail rr1@40 --cut node-a,rr1@10 \
	--restore node-a,rr1@25 --format json samples/seed
# a generated cluster: 60 nodes, two reflectors
if [ -x "$O/bench/bench_gen" ]; then
	"$O/bench/bench_gen" calico 60 2 >"$tmp/c.yaml"
	"$O/bench/bench_gen" ios 60 1 >"$tmp/r1.ios"
	"$O/bench/bench_gen" ios 60 2 >"$tmp/r2.ios"
	both "generated 60 nodes" sim --format json --routes --all \
		"$tmp/r1.ios" "$tmp/r2.ios" "$tmp/c.yaml"
	# faults while the tables are sent: sessions down and up again in
	# the middle of an update group's batches
	both "generated 60 nodes, faults" sim --format json --routes --all \
		--cut node-00009,rr1@0.010 --restore node-00009,rr1@0.5 \
		--fail node-00011@0.03 --fail rr2@20 \
		"$tmp/r1.ios" "$tmp/r2.ios" "$tmp/c.yaml"
fi
echo "sim-plain: $pass passed, $failn failed"
[ $failn = 0 ]
