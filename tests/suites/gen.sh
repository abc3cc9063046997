#!/bin/sh
# rrkit gen, end to end, with the normal and the ASan+UBSan build:
#  - fixed point: gen(parse(gen(parse(x)))) == gen(parse(x)) byte for byte,
#    both directions: gen cisco on its own output (alone, and merged with
#    the same manifests), gen calico on its own output (alone, and merged
#    with the same router config), for every sample and every style;
#  - consistency: rrkit lint finds no error in (generated router config +
#    the Calico input) nor in (router input + generated Calico), for every
#    sample that lints clean (passwords filled in from secret.value);
#  - the IOS output reads back with zero parse-warning findings;
#  - a real router accepts it: Debian FRR's bgpd -C (config check) loads
#    every `gen frr` output with no message;
#  - bad input: exit 2, an existing --output file untouched, no temp file.
#   tests/suites/gen.sh BUILD_DIR
O=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
case "$O" in /*) ;; *) O="$root/$O" ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root" || exit 2
pass=0 failn=0
BGPD=/usr/lib/frr/bgpd
frr=1
if [ ! -x "$BGPD" ]; then
	frr=0
	echo "gen: no $BGPD (Debian package frr): FRR acceptance skipped"
fi

ok() { pass=$((pass + 1)); }
bad() { failn=$((failn + 1)); echo "FAIL $*"; }

# run NAME CMD...: stdout to $tmp/o, stderr to $tmp/e, status in $rc
run() {
	NO_COLOR=1 timeout 30 "$@" >"$tmp/o" 2>"$tmp/e" </dev/null
	rc=$?
	if grep -q 'Sanitizer\|runtime error' "$tmp/e"; then
		bad "sanitizer: $*"
		head -20 "$tmp/e"
	fi
}

# same A B WHAT: files A and B are byte for byte equal
same() {
	if cmp -s "$1" "$2"; then ok; else
		bad "fixed point: $3"
		diff -u "$1" "$2" | head -20
	fi
}

# lint_clean WHAT FILES...: rrkit lint exits 0
lint_clean() {
	what=$1
	shift
	# port-mismatch: the node's BGPPeer with a port stays (gen calico says
	# to delete it), and a listen range never dials: that session is down
	case $what in samples/broken/port-mismatch:*) set -- --disable port-mismatch "$@" ;; esac
	run "$R" lint "$@"
	if [ $rc = 0 ]; then ok; else
		bad "lint not clean ($rc): $what"
		grep -E 'error' "$tmp/o" | head -5
	fi
}

# parse_clean WHAT FILE: the IOS reads back with no parse-warning
parse_clean() {
	run "$R" lint --only parse-warning "$2"
	if [ $rc = 0 ] && grep -q ' 0 errors, 0 warnings' "$tmp/o"; then ok
	else bad "parse-warning: $1"; head -5 "$tmp/o"; fi
}

# bgpd_check FILE OUT: FRR's config check; OUT gets what it said, less
# what is about the machine rather than the config: zebra not running
# (-Z: a network statement cannot register its next hop) and the crash-log
# directory under /var/tmp/frr (bgpd leaves bgpd.PID behind, so a reused
# PID finds it taken).  The directory of our own PID is removed.  A
# config check ends by itself: no timeout (it would hide bgpd's PID).
bgpd_check() {
	mkdir -p "$tmp/frr"
	"$BGPD" -C -f "$1" -S -Z -p 0 -i "$tmp/frr/bgpd.pid" \
		--vty_socket "$tmp/frr" >"$tmp/frr/raw" 2>&1 </dev/null &
	bpid=$!
	wait $bpid
	brc=$?
	rmdir "/var/tmp/frr/bgpd.$bpid" 2>/dev/null
	grep -v -e 'zclient_send_message() failed' \
		-e 'failed to mkdir "/var/tmp/frr/' \
		-e 'crashlog and per-thread log buffering unavailable' \
		-e 'Graceful restart configuration changed' \
		"$tmp/frr/raw" >"$2"
	return $brc
}

# frr_ok WHAT FILE: bgpd -C loads it without a word
# The same bytes are checked once: the ASan build writes what the normal
# build wrote (a bgpd start costs more than the rest of a sample).
frr_ok() {
	[ $frr = 1 ] || return 0
	sum=$(cksum <"$2" | tr ' ' _)
	if [ -e "$tmp/frr-ok/$sum" ]; then ok; return 0; fi
	bgpd_check "$2" "$tmp/frr/out"
	r=$?
	if [ $r = 0 ] && [ ! -s "$tmp/frr/out" ]; then ok
		mkdir -p "$tmp/frr-ok" && : >"$tmp/frr-ok/$sum"
	else
		bad "FRR bgpd -C refused ($r): $1"
		head -5 "$tmp/frr/out"
	fi
}

# fill FILE SAMPLE: the password placeholder replaced by the sample's secret
fill() {
	if [ -f "$2/secret.value" ]; then
		sed "s/<FILL-IN>/$(cat "$2/secret.value")/" "$1" >"$1.filled"
	else
		cp "$1" "$1.filled"
	fi
}

# splice ROUTER GEN OUT: the router config with its `router bgp` section
# replaced by the generated one -- what the router runs once the engineer
# pastes it (the generated text is the BGP section only; the route-maps,
# prefix-lists and interfaces it refers to stay in the router's config)
splice() {
	awk -v gen="$2" '
	function genblock(   l, on) {
		while ((getline l < gen) > 0) {
			if (l ~ /^router bgp /) on = 1
			else if (on && l ~ /^[^ !]/) break
			if (on) print l
		}
	}
	/^router bgp / { genblock(); skip = 1; next }
	skip && /^[^ !]/ { skip = 0 }
	!skip { print }' "$1" >"$3"
}

# nodes_only IN OUT: the manifests without BGPPeer and BGPConfiguration
nodes_only() {
	awk 'function flush() { if (doc != "" && doc !~ /\nkind: (BGPPeer|BGPConfiguration)\n/) printf "---\n%s", doc; doc = "\n" }
	     BEGIN { doc = "\n" }
	     /^---/ { flush(); next }
	     { doc = doc $0 "\n" }
	     END { flush() }' "$1" >"$2"
}

# secrets Y SAMPLE OUT: a Secret for every secretKeyRef of Y
secrets() {
	: >"$3"
	[ -f "$2/secret.value" ] || return 0
	awk '/secretKeyRef:/ { ref = 1; next }
	     ref && /name:/ { n = $2 } ref && /key:/ { print n, $2; ref = 0 }' "$1" |
		sort -u | while read -r n k; do
			printf -- '---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: %s\n  namespace: calico-system\nstringData:\n  %s: %s\n' \
				"$n" "$k" "$(cat "$2/secret.value")" >>"$3"
		done
}

sample() {
	S=$1
	name=$(echo "$S" | tr / -)
	[ -f "$S/router.ios" ] && [ -f "$S/calico.yaml" ] || return 0
	run "$R" lint "$S"
	[ $rc = 0 ] || return 0 # only samples that lint clean
	K=$S/calico.yaml
	RT=$S/router.ios
	args=$(cat "$S/gen.args" 2>/dev/null)
	if [ -z "$args" ]; then
		# several routers: name the sample's own (its router id)
		run "$R" gen cisco "$K"
		if [ $rc = 2 ] && grep -q -- '--router' "$tmp/e"; then
			run "$R" gen cisco "$RT"
			args="--router $(sed -n 's/^ bgp router-id //p' "$tmp/o")"
		fi
	fi
	t=$tmp/$name
	mkdir -p "$t"

	# cisco from the manifests alone, and merged into the router config
	for mode in alone merged; do
		if [ $mode = alone ]; then in="$K"; else in="$RT $K"; fi
		# shellcheck disable=SC2086
		run "$R" gen cisco $args $in
		if [ $rc != 0 ]; then bad "$S: gen cisco $mode ($rc)"; head -3 "$tmp/e"; continue; fi
		cp "$tmp/o" "$t/c.ios"
		# shellcheck disable=SC2086
		run "$R" gen cisco $args "$t/c.ios" "$K"
		same "$t/c.ios" "$tmp/o" "$S: cisco $mode -> parse -> cisco"
		fill "$t/c.ios" "$S"
		if [ $mode = merged ]; then
			splice "$RT" "$t/c.ios.filled" "$t/c.ios.spliced"
			mv "$t/c.ios.spliced" "$t/c.ios.filled"
		fi
		lint_clean "$S: generated router ($mode) + calico" "$t/c.ios.filled" "$K"
		parse_clean "$S: cisco $mode" "$t/c.ios"
		# shellcheck disable=SC2086
		run "$R" gen frr $args $in
		cp "$tmp/o" "$t/f.conf"
		frr_ok "$S: frr $mode" "$t/f.conf"
	done
	for st in neighbor peer-group listen-range; do
		# shellcheck disable=SC2086
		run "$R" gen cisco $args --style $st "$K"
		if [ $rc != 0 ]; then
			if [ $st = listen-range ] && grep -q 'maps to one peer-group' "$tmp/e"; then
				ok # mixed settings in one subnet: refused, as it must be
			else
				bad "$S: gen cisco --style $st ($rc)"; head -3 "$tmp/e"
			fi
			continue
		fi
		cp "$tmp/o" "$t/s.ios"
		# shellcheck disable=SC2086
		run "$R" gen cisco $args "$t/s.ios" "$K"
		same "$t/s.ios" "$tmp/o" "$S: cisco --style $st -> parse -> cisco"
		fill "$t/s.ios" "$S"
		lint_clean "$S: --style $st router + calico" "$t/s.ios.filled" "$K"
		parse_clean "$S: --style $st" "$t/s.ios"
		# shellcheck disable=SC2086
		run "$R" gen frr $args --style $st "$K"
		cp "$tmp/o" "$t/s.conf"
		frr_ok "$S: frr --style $st" "$t/s.conf"
	done
	# the router config alone: printed canonically, a fixed point
	run "$R" gen cisco "$RT"
	cp "$tmp/o" "$t/p.ios"
	run "$R" gen cisco "$t/p.ios"
	same "$t/p.ios" "$tmp/o" "$S: router -> cisco -> parse -> cisco"
	parse_clean "$S: router printed" "$t/p.ios"

	# calico from the router with the nodes, and merged into the manifests
	nodes_only "$K" "$t/nodes.yaml"
	run "$R" gen calico "$RT" "$t/nodes.yaml"
	if [ $rc != 0 ]; then bad "$S: gen calico ($rc)"; head -3 "$tmp/e"; return; fi
	cp "$tmp/o" "$t/y.yaml"
	run "$R" gen calico "$RT" "$t/nodes.yaml" "$t/y.yaml"
	same "$t/y.yaml" "$tmp/o" "$S: calico -> parse -> calico"
	secrets "$t/y.yaml" "$S" "$t/sec.yaml"
	sec=
	[ -s "$t/sec.yaml" ] && sec=$t/sec.yaml
	# a router serving some nodes only (marker file `partial`): the
	# others peer with routers not given, so they have no session here
	dis=
	[ -f "$S/partial" ] && dis="--disable node-isolated"
	# shellcheck disable=SC2086
	lint_clean "$S: router + generated calico" $dis "$RT" "$t/nodes.yaml" "$t/y.yaml" $sec
	run "$R" gen calico "$RT" "$K"
	cp "$tmp/o" "$t/y2.yaml"
	run "$R" gen calico "$RT" "$K" "$t/y2.yaml"
	same "$t/y2.yaml" "$tmp/o" "$S: calico merged -> parse -> calico"
	lint_clean "$S: router + merged calico" "$RT" "$K" "$t/y2.yaml"
	# the manifests alone: printed canonically, a fixed point
	run "$R" gen calico "$t/y2.yaml"
	cp "$tmp/o" "$t/q.yaml"
	run "$R" gen calico "$t/q.yaml"
	same "$t/q.yaml" "$tmp/o" "$S: calico alone -> parse -> calico"
}

badinput() {
	out=$tmp/keep.ios
	printf 'apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: x\nspec:\n  peerIP: [1.2.3.4\n' >"$tmp/bad.yaml"
	sed 's/nodeSelector: all()/nodeSelector: "has(rack) \&\& "/' samples/seed/calico.yaml >"$tmp/badsel.yaml"
	for tgt in cisco frr calico; do
		for input in "$tmp/bad.yaml" "$tmp/missing.yaml" "$tmp/badsel.yaml"; do
			printf 'precious\n' >"$out"
			run "$R" gen $tgt --output "$out" "$input"
			leftover=$(ls "$tmp" | grep -c 'keep.ios.tmp')
			if [ $rc = 2 ] && [ "$(cat "$out")" = precious ] && [ "$leftover" = 0 ]; then ok; else
				bad "bad input $tgt $input: exit $rc, output $(head -c 20 "$out"), $leftover temp files"
			fi
		done
	done
	printf 'precious\n' >"$out"
	# two routers and no --router: refused, nothing written
	run "$R" gen cisco --output "$out" samples/gen/subset/calico.yaml
	if [ $rc = 2 ] && [ "$(cat "$out")" = precious ] && grep -q -- '--router' "$tmp/e"; then ok
	else bad "two routers without --router: exit $rc"; fi
	# a good run replaces the file atomically
	run "$R" gen cisco --output "$out" samples/seed/calico.yaml
	if [ $rc = 0 ] && grep -q '^router bgp 64512' "$out" && [ ! -s "$tmp/o" ]; then ok
	else bad "gen cisco --output: exit $rc"; fi
	run "$R" gen cisco --style bogus samples/seed
	if [ $rc = 2 ] && grep -q "unknown style 'bogus'" "$tmp/e"; then ok; else bad "bad --style: exit $rc"; fi
}

# every router config of the IOS corpus (../shared/corpus/ios) that rrkit
# reads without an error: printed canonically, a fixed point, no
# parse-warning, and FRR loads its gen frr (zebra is not running: bgpd -Z
# says so when a network statement registers a next hop; AS 65535 in a
# corpus file is refused by FRR, as it should be)
corpus() {
	dir=$root/../shared/corpus/ios
	if [ ! -d "$dir" ]; then
		echo "gen: no $dir: corpus checks skipped"
		return 0
	fi
	mkdir -p "$tmp/corpus"
	for f in "$dir"/*; do
		case $f in *README* | *LICENSE*) continue ;; esac
		run "$R" gen cisco "$f"
		[ $rc = 0 ] || continue
		cp "$tmp/o" "$tmp/corpus/a.ios"
		run "$R" gen cisco "$tmp/corpus/a.ios"
		same "$tmp/corpus/a.ios" "$tmp/o" "corpus $(basename "$f")"
		parse_clean "corpus $(basename "$f")" "$tmp/corpus/a.ios"
		[ $frr = 1 ] || continue
		run "$R" gen frr "$f"
		grep -q '^router bgp \(65535\|4294967295\)' "$tmp/o" && continue
		cp "$tmp/o" "$tmp/corpus/a.conf"
		frr_ok "corpus $(basename "$f")" "$tmp/corpus/a.conf"
	done
}

for R in "$O/rrkit" "$O/asan/rrkit"; do
	[ -x "$R" ] || continue
	export ASAN_OPTIONS=detect_leaks=1
	for S in samples/seed samples/gen/* samples/broken/*; do
		sample "$S"
	done
	# a hold time of 2 s: IOS offers it, FRR refuses the line; gen frr
	# leaves it out with a warning, and bgpd loads the rest without a word
	run "$R" gen frr samples/broken/hold-time-invalid
	if [ $rc = 0 ] && grep -q 'FRR refuses a hold time of 1 or 2 s' "$tmp/e" &&
		! grep -q 'timers bgp 10 2' "$tmp/o"; then ok
	else bad "gen frr samples/broken/hold-time-invalid ($rc): the hold time of 2 s"; fi
	cp "$tmp/o" "$tmp/hold.conf"
	frr_ok "gen frr samples/broken/hold-time-invalid" "$tmp/hold.conf"
	badinput
	corpus
done
echo "gen: $pass passed, $failn failed"
[ $failn = 0 ]
