#!/bin/sh
# rrkit sim against real daemons.  Every topology under tests/interop/topo/
# (IOS router configs + Calico manifests, addresses in 10.213.50.0/24) runs
# twice: once for real -- FRR bgpd standing in for each IOS router, fed
# `rrkit gen frr`, and BIRD 1.6 for each Calico node, fed `rrkit gen bird`
# (the config calico-node would write) -- in network namespaces made here
# on one bridge (each FRR with its zebra, so bgpd knows the router's
# connected subnets), and once in `rrkit sim`.  Then the session states and the
# best routes of every speaker are compared (tests/interop/simcmp.py), with
# the multipath sets: FRR's, and each node's ECMP kernel routes (BIRD's
# merge paths) against sim's *m paths.
#
#   tests/interop/sim.sh RRKIT [CASE...]
#
# A CASE is a name under tests/interop/topo/ or a directory path.  When a
# topology holds `.frr/HOSTNAME.conf` (a hidden directory rrkit does not
# read), that file is the router's FRR config instead of `rrkit gen frr`:
# the agreement generator's direct translation of its design, which
# carries what rrkit does not model (tests/agreement, generated.sh);
# `.frr/routes` lines "SPEAKER PREFIX GATEWAY" are static routes added in
# that speaker's namespace (what a BGPPeer's reachableBy installs); a
# `.frr/unfit` file says why the real run cannot stand in for the design (FRR
# for IOS: a hold time of 1 or 2 s, HSRP, a connection to an address other
# than the update-source; BIRD alone for calico-node: two nodes with one
# address): the case is skipped, and said so.  A node with
# an IPv6 address runs bird6 beside bird, as calico-node does.
#
# A topology's `fault` file (`fail NODE@S`) stops that node's BIRD with
# SIGSTOP S seconds after the start: no NOTIFICATION, no FIN; the router
# notices by its hold timer, as in `rrkit sim --fail NODE@S`.
# Needs root, `ip netns`, bird, bgpd, birdc, vtysh and python3; exits 77
# with the reason when one is missing.  Daemons are stopped by PID, waits
# are bounded, namespaces deleted on exit; no packet leaves them.
set -u
RRKIT=${1:?usage: sim.sh RRKIT [CASE...]}
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
case $RRKIT in /*) ;; *) RRKIT=$(pwd)/$RRKIT ;; esac

skip() { echo "interop-sim: skipped: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
command -v ip >/dev/null 2>&1 || skip "no 'ip' command (iproute2)"
BIRD=/usr/sbin/bird BIRD6=/usr/sbin/bird6 BGPD=/usr/lib/frr/bgpd ZEBRA=/usr/lib/frr/zebra
[ -x $BIRD ] || skip "no $BIRD (Debian package bird)"
[ -x $BIRD6 ] || skip "no $BIRD6 (Debian package bird)"
[ -x $BGPD ] || skip "no $BGPD (Debian package frr)"
[ -x $ZEBRA ] || skip "no $ZEBRA (Debian package frr)"
command -v birdc >/dev/null 2>&1 || skip "no birdc"
command -v birdc6 >/dev/null 2>&1 || skip "no birdc6"
command -v vtysh >/dev/null 2>&1 || skip "no vtysh (Debian package frr)"
command -v python3 >/dev/null 2>&1 || skip "no python3"
[ -x "$RRKIT" ] || skip "no $RRKIT (build it first)"
"$RRKIT" help | grep -q '^  sim ' || skip "this rrkit has no 'sim'"
tag=rks$$
ip netns add $tag-probe 2>/dev/null || skip "cannot create network namespaces"
ip netns del $tag-probe

tmp=$(mktemp -d /tmp/rrkit-simtopo.XXXXXX)
chmod 755 "$tmp"
pids="" nss=""
stop_all() {
	for pid in $pids; do kill -CONT "$pid" 2>/dev/null; kill "$pid" 2>/dev/null; done
	for pid in $pids; do
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1; i=$((i + 1))
		done
		kill -9 "$pid" 2>/dev/null
		# bgpd leaves a per-PID state directory behind
		rm -rf "/var/tmp/frr/bgpd.$pid" "/var/tmp/frr/zebra.$pid"
	done
	for ns in $nss; do ip netns del "$ns" 2>/dev/null; done
	pids="" nss=""
}
cleanup() {
	stop_all
	[ -n "${RRKIT_INTEROP_KEEP:-}" ] && echo "interop-sim: kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 2' HUP INT PIPE TERM

pass=0 failn=0 skipn=0

# speakers.txt: "kind name address/len..." from rrkit show
speakers() {
	"$RRKIT" show --format json "$1" 2>/dev/null | python3 -c '
import json, sys
for s in json.load(sys.stdin)["speakers"]:
    print(s["kind"], s["name"], " ".join(s["addresses"]))'
}

# run_case DIR: the real run, the sim, the comparison
run_case() {
	dir=$1 name=$(basename "$1")
	# a generated design the real run cannot stand in for (FRR for
	# IOS, BIRD alone for calico-node: tests/agreement design.py,
	# .frr/unfit): say why, compare nothing
	if [ -f "$dir/.frr/unfit" ]; then
		echo "skip $name: the real run cannot stand in for this design: $(cat "$dir/.frr/unfit")"
		skipn=$((skipn + 1))
		return 0
	fi
	w="$tmp/$name"
	mkdir -p "$w"
	chmod 755 "$w"
	speakers "$dir" >"$w/speakers.txt" || { echo "FAIL $name: rrkit show"; stop_all; return 1; }
	br=$tag-br
	ip netns add $br && nss="$nss $br"
	ip -n $br link set lo up
	ip -n $br link add br0 type bridge
	ip -n $br link set br0 up
	i=0
	while read -r kind sname addrs; do
		i=$((i + 1))
		ns=$tag-$i
		ip netns add $ns && nss="$nss $ns"
		ip -n $ns link set lo up
		ip link add e0 netns $ns type veth peer name p$i netns $br
		ip -n $br link set p$i master br0
		ip -n $br link set p$i up
		for a in $addrs; do
			case $a in
			*/32 | */128) ip -n $ns addr add "$a" dev lo ;;
			# no duplicate address detection: a tentative address
			# cannot be bound, and a BIRD starting on one waits
			*:*) ip -n $ns addr add "$a" dev e0 nodad ;;
			*) ip -n $ns addr add "$a" dev e0 ;;
			esac
		done
		ip -n $ns link set e0 up
		# static routes a generated design asks for (.frr/routes)
		[ -f "$dir/.frr/routes" ] &&
			awk -v n="$sname" '$1 == n {print $2, $3}' "$dir/.frr/routes" |
			while read -r dst gw; do
				ip -n $ns route add "$dst" via "$gw" ||
					echo "interop-sim: $name: no route $dst via $gw in $sname"
			done
		echo "$ns $kind $sname" >>"$w/ns.txt"
		d="$w/$sname"
		mkdir -p "$d"
		chmod 777 "$d"
		if [ "$kind" = ios-router ] && [ -f "$dir/.frr/$sname.conf" ]; then
			cp "$dir/.frr/$sname.conf" "$d/frr.conf"
		elif [ "$kind" = ios-router ]; then
			f=$(grep -l "^hostname $sname\$" "$dir"/*.ios | head -1)
			"$RRKIT" gen frr --output "$d/frr.conf" "$f" 2>"$d/gen.err" ||
				{ echo "FAIL $name: gen frr $sname"; cat "$d/gen.err"; stop_all; return 1; }
		fi
		if [ "$kind" = ios-router ]; then
			# zebra gives bgpd the router's connected subnets, as a
			# router has them: FRR then keeps a third-party next hop
			# toward an eBGP peer on the shared subnet (RFC 4271
			# 5.1.3), as IOS does; bgpd installs nothing (-n)
			: >"$d/zebra.conf"
			ip netns exec $ns $ZEBRA -f "$d/zebra.conf" -i "$d/zebra.pid" \
				-z "$d/zserv.api" --vty_socket "$d" -P 0 \
				-u frr -g frr >"$d/zebra.out" 2>&1 &
			pids="$pids $!"
			i2=0
			while [ ! -S "$d/zserv.api" ] && [ $i2 -lt 50 ]; do
				sleep 0.1; i2=$((i2 + 1))
			done
			ip netns exec $ns $BGPD -f "$d/frr.conf" -i "$d/bgpd.pid" \
				-z "$d/zserv.api" --vty_socket "$d" -n -S -P 0 \
				-u root -g root >"$d/bgpd.out" 2>&1 &
			pids="$pids $!"
			echo "$! $sname" >>"$w/pids.txt"
		else
			if ! "$RRKIT" gen bird --node "$sname" --secrets --output "$d/bird.cfg" \
				"$dir" 2>"$d/gen.err"; then
				# a node calico-node runs no BIRD on (no router
				# id): it stays silent, as in the cluster
				if grep -q 'BIRD cannot start' "$d/gen.err"; then
					echo "  $name: $sname runs no BIRD: $(grep -o "error: .*" "$d/gen.err" | head -1)"
					continue
				fi
				echo "FAIL $name: gen bird $sname"; cat "$d/gen.err"; stop_all; return 1
			fi
			ip netns exec $ns $BIRD -f -c "$d/bird.cfg" -s "$d/bird.ctl" \
				-P "$d/bird.pid" >"$d/bird.out" 2>&1 &
			pids="$pids $!"
			echo "$! $sname" >>"$w/pids.txt"
			# an IPv6 address: calico-node runs bird6 beside bird,
			# fed the IPv6 half of the configuration (bird6.cfg)
			case " $addrs" in
			*:*)
				"$RRKIT" gen bird --node "$sname" --family 6 --secrets \
					--output "$d/bird6.cfg" "$dir" 2>"$d/gen6.err" ||
					{ echo "FAIL $name: gen bird --family 6 $sname"; cat "$d/gen6.err"; stop_all; return 1; }
				ip netns exec $ns $BIRD6 -f -c "$d/bird6.cfg" -s "$d/bird6.ctl" \
					-P "$d/bird6.pid" >"$d/bird6.out" 2>&1 &
				pids="$pids $!"
				echo "$! $sname" >>"$w/pids.txt"
				;;
			esac
		fi
	done <"$w/speakers.txt"
	start=$(date +%s)
	simargs=""
	until_s=""
	if [ -f "$dir/fault" ]; then
		read -r what arg <"$dir/fault"
		victim=${arg%@*} at=${arg#*@}
		simargs="--$what $arg"
		sleep "$at"
		# both BIRDs of a dual-stack node
		for vpid in $(awk -v n="$victim" '$2 == n {print $1}' "$w/pids.txt"); do
			kill -STOP "$vpid"
		done
		# the router's hold time (30 s with timers bgp 10 30) and margin
		until_s=$((at + 40))
		sleep 40
	fi
	# sim first: the sessions it says come up are what the real run is
	# waited for
	[ -n "$until_s" ] && simargs="$simargs --until $until_s"
	# shellcheck disable=SC2086
	"$RRKIT" sim --format json --routes $simargs "$dir" >"$w/sim.json" 2>"$w/sim.err"
	rc=$?
	if [ $rc -gt 1 ]; then
		echo "FAIL $name: rrkit sim exit $rc"; head -5 "$w/sim.err"; stop_all; return 1
	fi
	# converge: a snapshot every 3 s from 3 s on; done when two in a row
	# are equal and every session sim has Established is up at both real
	# ends, or when nothing has changed for 36 s (a session sim has up
	# that the daemons do not bring up: BIRD's error wait grows to 30 s
	# between attempts), at most 120 s. A fixed wait compared too early
	# under load: a BIRD whose first connection was refused waits 5 s
	# and more (error wait time 5,30) before it tries again.
	prev="" n=0 same=0
	while [ $n -lt 40 ]; do
		sleep 3
		n=$((n + 1))
		snap "$w"
		out=$(python3 "$root/tests/interop/simcmp.py" --snapshot "$w/ns.txt" \
			"$w/snap" "$w/real.json" "$w/sim.json")
		cur=$(echo "$out" | sed -n 1p)
		pending=$(echo "$out" | sed -n 's/^pending //p')
		[ -n "${RRKIT_INTEROP_DEBUG:-}" ] &&
			echo "  snapshot $n at $(( $(date +%s) - start )) s: $(echo "$cur" | md5sum | cut -c1-8), ${pending:-?} sessions pending"
		if [ $n -ge 2 ] && [ "$cur" = "$prev" ]; then
			same=$((same + 1))
		else
			same=0
		fi
		[ $same -ge 1 ] && [ "${pending:-1}" = 0 ] && break
		[ $same -ge 12 ] && break
		prev=$cur
	done
	elapsed=$(( $(date +%s) - start ))
	communities "$w"
	python3 "$root/tests/interop/simcmp.py" --snapshot "$w/ns.txt" \
		"$w/snap" "$w/real.json" >/dev/null
	if python3 "$root/tests/interop/simcmp.py" "$w/real.json" "$w/sim.json" \
		"$name" >"$w/cmp.txt" 2>&1; then
		echo "ok   $name: $(tail -1 "$w/cmp.txt") (real run ${elapsed}s)"
		[ -n "${RRKIT_INTEROP_VERDICTS:-}" ] && verdicts "$dir" "$w"
		pass=$((pass + 1))
	else
		echo "FAIL $name: real daemons and rrkit sim differ:"
		sed 's/^/  /' "$w/cmp.txt" | head -40
		[ -n "${RRKIT_INTEROP_VERDICTS:-}" ] && verdicts "$dir" "$w"
		failn=$((failn + 1))
	fi
	stop_all
}

# verdicts DIR W: the real delivery, sim's and lint's verdicts side by side
# (RRKIT_INTEROP_VERDICTS=1; tests/interop/generated.sh sets it)
verdicts() {
	"$RRKIT" lint --format json "$1" >"$2/lint.json" 2>/dev/null
	errs=$(python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
r = sorted({f["rule"] for f in d["findings"] if f["severity"] == "error"})
print("%d error(s)%s" % (d["summary"]["errors"], " [%s]" % ", ".join(r) if r else ""))' "$2/lint.json" 2>/dev/null)
	echo "     $(grep '^real:' "$2/cmp.txt"); lint: ${errs:-?}"
}

# snap W: what every daemon reports now, raw, under W/snap/ (parsed into
# W/real.json by simcmp.py --snapshot, one python run per snapshot)
snap() {
	w=$1
	rm -rf "$w/snap"
	mkdir -p "$w/snap"
	while read -r ns kind sname; do
		d="$w/$sname" o="$w/snap/$sname"
		if [ "$kind" = ios-router ]; then
			timeout 5 ip netns exec $ns vtysh --vty_socket "$d" \
				-c 'show bgp ipv4 unicast summary json' >"$o.summary" 2>/dev/null
			timeout 5 ip netns exec $ns vtysh --vty_socket "$d" \
				-c 'show bgp ipv4 unicast json' >"$o.routes" 2>/dev/null
			timeout 5 ip netns exec $ns vtysh --vty_socket "$d" \
				-c 'show bgp ipv6 unicast summary json' >"$o.summary6" 2>/dev/null
			timeout 5 ip netns exec $ns vtysh --vty_socket "$d" \
				-c 'show bgp ipv6 unicast json' >"$o.routes6" 2>/dev/null
		else
			timeout 5 ip netns exec $ns birdc -s "$d/bird.ctl" \
				show protocols all >"$o.protocols" 2>/dev/null
			timeout 5 ip netns exec $ns birdc -s "$d/bird.ctl" \
				show route all >"$o.routes" 2>/dev/null
			# the kernel routes BIRD installed (merge paths on:
			# one route with a nexthop per equal path)
			timeout 5 ip -n $ns -j route show proto bird \
				>"$o.kernel" 2>/dev/null
			[ -S "$d/bird6.ctl" ] || continue
			timeout 5 ip netns exec $ns birdc6 -s "$d/bird6.ctl" \
				show protocols all >"$o.protocols6" 2>/dev/null
			timeout 5 ip netns exec $ns birdc6 -s "$d/bird6.ctl" \
				show route all >"$o.routes6" 2>/dev/null
			timeout 5 ip -6 -n $ns -j route show proto bird \
				>"$o.kernel6" 2>/dev/null
		fi
	done <"$w/ns.txt"
}

# communities W: each FRR router's best paths one prefix at a time (the
# table's JSON has no communities), into W/snap/NAME.detail
communities() {
	w=$1
	while read -r ns kind sname; do
		[ "$kind" = ios-router ] || continue
		d="$w/$sname" o="$w/snap/$sname"
		for p in $(python3 -c 'import json, sys
for f in sys.argv[1:]:
    try: print(" ".join(json.load(open(f))["routes"]))
    except Exception: pass' "$o.routes" "$o.routes6"); do
			case $p in *:*) af=ipv6 ;; *) af=ipv4 ;; esac
			timeout 5 ip netns exec $ns vtysh --vty_socket "$d" \
				-c "show bgp $af unicast $p json" 2>/dev/null
		done >"$o.detail"
	done <"$w/ns.txt"
}

cases=""
if [ $# -gt 0 ]; then
	for c in "$@"; do
		case $c in
		*/*) cases="$cases $(cd "$c" && pwd)" ;;
		*) cases="$cases $root/tests/interop/topo/$c" ;;
		esac
	done
else
	cases=$(ls -d "$root"/tests/interop/topo/*/)
fi
for c in $cases; do
	run_case "${c%/}" || failn=$((failn + 1))
done
echo "interop-sim: $pass passed, $failn failed$( [ $skipn = 0 ] || echo ", $skipn skipped")"
[ $failn = 0 ]
