#!/bin/sh
# Interop: rrkit probe against real BIRD 1.6 and FRR bgpd (and OpenBGPD and
# GoBGP, two more implementations a router or a route server may run), and
# a capture of a real BIRD<->FRR session whose every BGP message must
# decode and re-encode to the same bytes.
#
#   tests/interop/run.sh RRKIT [BUILD_DIR]
#
# Needs root, `ip netns`, /usr/sbin/bird, /usr/lib/frr/bgpd, dumpcap and a
# C compiler; exits 77 with the reason when one is missing (OpenBGPD's
# /usr/sbin/bgpd and GoBGP's gobgpd are optional: without them their
# probes are skipped, the reason printed).  Everything
# runs in network namespaces made here, joined by veth pairs with
# addresses in 10.213.0.0/16; no packet leaves them.  Each daemon runs in
# the foreground of its namespace with its own config, socket and pid file
# in a temporary directory, and is stopped by PID.  Every wait is bounded.
#
#   P (probe)  10.213.1.1, .3-.8 --- 10.213.1.2  B (bird)
#   P          10.213.2.1, .3-.8 --- 10.213.2.2  F (frr)
# .1 good, .3 unknown to the daemon, .4 MD5, .5 wrong AS, .6/.7 bad hold,
# .8 same router id
#   B          10.213.3.1             --- 10.213.3.2  F   (captured)
#   P          fd00:213:2::1, ::4 --- fd00:213:2::2  F (IPv6)
#   P          10.213.4.1, .3-.9 --- 10.213.4.2  O (openbgpd)
#   P          10.213.5.1, .3-.9 --- 10.213.5.2  G (gobgp)
#   B          10.213.6.1        --- 10.213.6.2  O   (captured)
#   B          10.213.7.1        --- 10.213.7.2  G   (captured)
set -u
RRKIT=${1:?usage: run.sh RRKIT [BUILD_DIR]}
O=${2:-$(dirname "$RRKIT")}
root=$(cd "$(dirname "$0")/../.." && pwd)
case $RRKIT in /*) ;; *) RRKIT=$(pwd)/$RRKIT ;; esac
case $O in /*) ;; *) O=$(pwd)/$O ;; esac

skip() { echo "interop: skipped: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
command -v ip >/dev/null 2>&1 || skip "no 'ip' command (iproute2)"
BIRD=/usr/sbin/bird BGPD=/usr/lib/frr/bgpd
[ -x $BIRD ] || skip "no $BIRD (Debian package bird)"
[ -x $BGPD ] || skip "no $BGPD (Debian package frr)"
[ -x "$RRKIT" ] || skip "no $RRKIT (build it first)"
command -v dumpcap >/dev/null 2>&1 || skip "no dumpcap (Debian package tshark)"
CC=${CC:-cc}
command -v "$CC" >/dev/null 2>&1 || skip "no C compiler"
[ -f "$O/librrkit.a" ] || skip "no $O/librrkit.a"
OPENBGPD=/usr/sbin/bgpd GOBGPD=$(command -v gobgpd 2>/dev/null)
have_obgp=0 have_gobgp=0
# OpenBGPD's, not FRR's (which is /usr/lib/frr/bgpd): it names itself
[ -x $OPENBGPD ] && $OPENBGPD -V 2>&1 | grep -qi openbgpd && have_obgp=1
[ -n "$GOBGPD" ] && have_gobgp=1
tag=rrk$$
P=$tag-p B=$tag-b F=$tag-f OB=$tag-o G=$tag-g
ip netns add $P 2>/dev/null || skip "cannot create network namespaces"
ip netns del $P

tmp=$(mktemp -d /tmp/rrkit-interop.XXXXXX)
chmod 755 "$tmp"
pids=""
cleanup() {
	for pid in $pids; do
		kill "$pid" 2>/dev/null
	done
	for pid in $pids; do
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1; i=$((i + 1))
		done
		kill -9 "$pid" 2>/dev/null
		# bgpd leaves a per-PID state directory behind
		rm -rf "/var/tmp/frr/bgpd.$pid"
	done
	# OpenBGPD's engines are children of the PID we have: whatever still
	# runs in our namespaces goes too
	for ns in $OB $G; do
		for pid in $(ip netns pids $ns 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
	done
	for ns in $P $B $F $OB $G; do ip netns del $ns 2>/dev/null; done
	[ -n "${RRKIT_INTEROP_KEEP:-}" ] && echo "interop: kept $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 2' HUP INT PIPE TERM

# ------------------------------------------------------------ topology
set -e
for ns in $P $B $F $OB $G; do
	ip netns add $ns
	ip -n $ns link set lo up
done
ip link add po0 netns $P type veth peer name op0 netns $OB
ip link add pg0 netns $P type veth peer name gp0 netns $G
for h in 1 3 4 5 8 9; do ip -n $P addr add 10.213.4.$h/24 dev po0; done
for h in 1 3 4 5 8 9; do ip -n $P addr add 10.213.5.$h/24 dev pg0; done
ip -n $OB addr add 10.213.4.2/24 dev op0
ip -n $G addr add 10.213.5.2/24 dev gp0
ip link add bo0 netns $B type veth peer name ob0 netns $OB
ip link add bg0 netns $B type veth peer name gb0 netns $G
ip -n $B addr add 10.213.6.1/24 dev bo0
ip -n $OB addr add 10.213.6.2/24 dev ob0
ip -n $B addr add 10.213.7.1/24 dev bg0
ip -n $G addr add 10.213.7.2/24 dev gb0
for l in "$P po0" "$P pg0" "$OB op0" "$G gp0" "$B bo0" "$OB ob0" "$B bg0" "$G gb0"; do
	set -- $l
	ip -n $1 link set $2 up
done
ip link add pb0 netns $P type veth peer name bp0 netns $B
ip link add pf0 netns $P type veth peer name fp0 netns $F
ip link add bf0 netns $B type veth peer name fb0 netns $F
# one source address per negative test: after an error BIRD waits
# (`error wait time 5,30`) before it accepts that neighbor again
for h in 1 3 4 5 6 7 8 9; do ip -n $P addr add 10.213.1.$h/24 dev pb0; done
for h in 1 3 4 5 6 8 9; do ip -n $P addr add 10.213.2.$h/24 dev pf0; done
ip -n $B addr add 10.213.1.2/24 dev bp0
ip -n $B addr add 10.213.3.1/24 dev bf0
ip -n $F addr add 10.213.2.2/24 dev fp0
# IPv6 between the probe and FRR (no DAD: usable at once)
for h in 1 4; do ip -n $P addr add fd00:213:2::$h/64 dev pf0 nodad; done
ip -n $F addr add fd00:213:2::2/64 dev fp0 nodad
ip -n $F addr add 10.213.3.2/24 dev fb0
for l in "$P pb0" "$P pf0" "$B bp0" "$B bf0" "$F fp0" "$F fb0"; do
	set -- $l
	ip -n $1 link set $2 up
done
set +e

# ------------------------------------------------------------- daemons
# BIRD 1.6 with calico-node's template (confd's bird.cfg.template); the
# probe neighbors are passive so BIRD never dials the probe side.
cat >"$tmp/bird.conf" <<EOF
router id 10.213.1.2;
log "$tmp/bird.log" all;
protocol device { scan time 10; }
protocol static { route 10.244.1.0/26 blackhole; }
template bgp bgp_template {
  local as 64512;
  gateway recursive;
  add paths on;
  graceful restart;
  connect delay time 2;
  connect retry time 5;
  error wait time 5,30;
  import all;
  export all;
}
protocol bgp Node_probe from bgp_template {
  neighbor 10.213.1.1 as 64512;
  passive on;
}
protocol bgp Node_badas from bgp_template {
  neighbor 10.213.1.5 as 64512;
  passive on;
}
protocol bgp Node_hold2 from bgp_template {
  neighbor 10.213.1.6 as 64512;
  passive on;
}
protocol bgp Node_hold1 from bgp_template {
  neighbor 10.213.1.7 as 64512;
  passive on;
}
protocol bgp Node_sameid from bgp_template {
  neighbor 10.213.1.8 as 64512;
  passive on;
}
protocol bgp Node_grtime from bgp_template {
  neighbor 10.213.1.9 as 64512;
  passive on;
  graceful restart time 5000;
}
protocol bgp Node_md5 from bgp_template {
  neighbor 10.213.1.4 as 64512;
  password "rrkit-secret";
  passive on;
}
protocol bgp Node_openbgpd from bgp_template {
  neighbor 10.213.6.2 as 64512;
  source address 10.213.6.1;
}
protocol bgp Node_gobgp from bgp_template {
  neighbor 10.213.7.2 as 64512;
  source address 10.213.7.1;
}
protocol bgp Node_frr from bgp_template {
  neighbor 10.213.3.2 as 64512;
  source address 10.213.3.1;
  ttl security off;
  multihop;
}
EOF
# FRR as the route reflector (IOS-like configuration)
cat >"$tmp/frr.conf" <<EOF
frr defaults traditional
hostname rrkit-frr
log file $tmp/frr.log debugging
!
router bgp 64512
 bgp router-id 10.213.2.2
 no bgp ebgp-requires-policy
 no bgp network import-check
 timers bgp 10 30
 neighbor 10.213.2.1 remote-as 64512
 neighbor 10.213.2.1 passive
 neighbor 10.213.2.4 remote-as 64512
 neighbor 10.213.2.4 passive
 neighbor 10.213.2.4 password rrkit-secret
 neighbor 10.213.2.5 remote-as 64512
 neighbor 10.213.2.5 passive
 neighbor 10.213.2.6 remote-as 64512
 neighbor 10.213.2.6 passive
 neighbor 10.213.2.8 remote-as 64512
 neighbor 10.213.2.8 passive
 neighbor 10.213.3.1 remote-as 64512
 neighbor 10.213.2.9 remote-as 64512
 neighbor 10.213.2.9 passive
 neighbor fd00:213:2::1 remote-as 64512
 neighbor fd00:213:2::1 passive
 neighbor fd00:213:2::4 remote-as 64512
 neighbor fd00:213:2::4 passive
 neighbor fd00:213:2::4 password rrkit-secret
 !
 address-family ipv4 unicast
  network 10.244.2.0/26
  neighbor 10.213.2.1 route-reflector-client
  neighbor 10.213.3.1 route-reflector-client
  no neighbor 10.213.2.9 activate
 exit-address-family
 address-family ipv6 unicast
  network fd00:244:2::/64
  neighbor fd00:213:2::1 activate
  neighbor fd00:213:2::4 activate
  neighbor 10.213.2.9 activate
 exit-address-family
!
EOF
mkdir -p "$tmp/frrvty"
# the capture of the BIRD<->FRR link starts before the daemons
ip netns exec $B dumpcap -q -P -i bf0 -f "tcp port 179" -w "$tmp/bgp.pcap" \
	>"$tmp/dumpcap.log" 2>&1 &
pids="$pids $!"
dumpcap_pid=$!
i=0
while [ ! -s "$tmp/bgp.pcap" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
# and BIRD's sessions with OpenBGPD and GoBGP: their UPDATEs too
caps=""
for c in "openbgpd bo0 $have_obgp" "gobgp bg0 $have_gobgp"; do
	set -- $c
	[ "$3" = 1 ] || continue
	ip netns exec $B dumpcap -q -P -i $2 -f "tcp port 179" -w "$tmp/bgp-$1.pcap" \
		>"$tmp/dumpcap-$1.log" 2>&1 &
	pids="$pids $!"
	caps="$caps $1:$!"
	i=0
	while [ ! -s "$tmp/bgp-$1.pcap" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
done

ip netns exec $B $BIRD -f -c "$tmp/bird.conf" -s "$tmp/bird.ctl" \
	-P "$tmp/bird.pid" >"$tmp/bird.out" 2>&1 &
pids="$pids $!"
ip netns exec $F $BGPD -f "$tmp/frr.conf" -i "$tmp/bgpd.pid" \
	-z "$tmp/zserv.api" --vty_socket "$tmp/frrvty" -Z -n \
	-S -P 0 >"$tmp/bgpd.out" 2>&1 &
pids="$pids $!"

# OpenBGPD 7 (portable), every probe address a neighbor of its own: after
# a session ends it holds that neighbor Idle a while and closes what
# connects meanwhile.  It chroots its engines to /run/openbgpd, the
# directory its package's service unit makes.
cat >"$tmp/openbgpd.conf" <<EOF
AS 64512
router-id 10.213.4.2
listen on 10.213.4.2
listen on 10.213.6.2
socket "$tmp/openbgpd.sock"
network 10.244.4.0/26
group probes {
	remote-as 64512
	passive
	holdtime 30
	neighbor 10.213.4.1
	neighbor 10.213.4.5
	neighbor 10.213.4.8
	neighbor 10.213.4.9
	neighbor 10.213.4.4 {
		tcp md5sig password rrkit-secret
	}
}
neighbor 10.213.6.1 {
	remote-as 64512
	local-address 10.213.6.2
}
# what no rule allows, OpenBGPD neither takes nor announces
allow from any
allow to any
EOF
chmod 600 "$tmp/openbgpd.conf"
if [ $have_obgp = 1 ]; then
	mkdir -p /run/openbgpd
	ip netns exec $OB $OPENBGPD -d -f "$tmp/openbgpd.conf" \
		>"$tmp/openbgpd.out" 2>&1 &
	pids="$pids $!"
fi
# GoBGP 3, the same; its gRPC API on the namespace's own loopback
cat >"$tmp/gobgp.toml" <<EOF
[global.config]
  as = 64512
  router-id = "10.213.5.2"
  port = 179
  local-address-list = ["10.213.5.2", "10.213.7.2"]
[[neighbors]]
  [neighbors.config]
    neighbor-address = "10.213.7.1"
    peer-as = 64512
  [neighbors.transport.config]
    local-address = "10.213.7.2"
EOF
for h in 1 5 8 9 4; do
	pw=
	[ $h = 4 ] && pw='auth-password = "rrkit-secret"'
	cat >>"$tmp/gobgp.toml" <<EOF
[[neighbors]]
  [neighbors.config]
    neighbor-address = "10.213.5.$h"
    peer-as = 64512
    $pw
  [neighbors.transport.config]
    passive-mode = true
  [neighbors.timers.config]
    hold-time = 30
EOF
done
if [ $have_gobgp = 1 ]; then
	ip netns exec $G $GOBGPD -f "$tmp/gobgp.toml" -t toml \
		--api-hosts 127.0.0.1:50051 >"$tmp/gobgp.out" 2>&1 &
	pids="$pids $!"
	# a route for BIRD (bounded: the API is up within 10 s)
	i=0
	while ! ip netns exec $G gobgp -u 127.0.0.1 -p 50051 global rib add \
		10.244.5.0/26 >/dev/null 2>&1 && [ $i -lt 100 ]; do
		sleep 0.1; i=$((i + 1))
	done
fi

# both listening (bounded: 10 s)
listening() { ip netns exec "$1" ss -Hltn 'sport = :179' | grep -q .; }
i=0
while ! { listening $B && listening $F; } && [ $i -lt 100 ]; do
	sleep 0.1; i=$((i + 1))
done
if ! listening $B || ! listening $F; then
	echo "interop: FAIL: daemons did not start"
	tail -5 "$tmp/bird.out" "$tmp/bgpd.out" "$tmp/bird.log" "$tmp/frr.log" 2>/dev/null
	exit 1
fi

# ------------------------------------------------------------- probes
pass=0 failn=0
printf 'rrkit-secret\n' >"$tmp/good.pw"
printf 'wrong-secret\n' >"$tmp/bad.pw"
chmod 600 "$tmp/good.pw" "$tmp/bad.pw"
# probe NAME WANT_EXIT REGEX... -- ARGS
probe() {
	name=$1 want=$2
	shift 2
	res=""
	while [ "$1" != "--" ]; do res="$res$1
"; shift; done
	shift
	ip netns exec $P timeout 20 "$RRKIT" probe --format json "$@" \
		>"$tmp/out.json" 2>"$tmp/err"
	got=$?
	ok=1
	[ "$got" = "$want" ] || ok=0
	printf '%s' "$res" >"$tmp/res"
	while IFS= read -r re; do
		[ -n "$re" ] || continue
		tr -d '\n ' <"$tmp/out.json" | grep -Eq -- "$re" || { ok=0; echo "  missing: $re"; }
	done <"$tmp/res"
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
		echo "ok   $name: exit $got, $(tr -d '\n ' <"$tmp/out.json" | cut -c1-140)"
	else
		failn=$((failn + 1))
		echo "FAIL $name: exit $got (want $want)"
		cat "$tmp/out.json" "$tmp/err"
	fi
}

T="--timeout 5"
probe "bird accepts" 0 '"result":"established"' '"as":64512' \
	'"router_id":"10.213.1.2"' '"negotiated_hold":240' \
	'"name":"graceful-restart"' '"name":"add-path"' \
	-- --as 64512 --peer 10.213.1.2 --source 10.213.1.1 $T
cp "$tmp/out.json" "$tmp/bird-open.json"
probe "bird text format" 0 'peer10.213.1.2:179:established' \
	'peerOPEN:AS64512,hold240,routerid10.213.1.2' \
	'capabilityadd-pathipv4-unicast:send/receive' 'negotiatedhold240,keepalive80' \
	-- --as 64512 --peer 10.213.1.2 --source 10.213.1.1 --format text $T
probe "bird hold 30" 0 '"negotiated_hold":30' '"negotiated_keepalive":10' \
	-- --as 64512 --peer 10.213.1.2 --source 10.213.1.1 --hold 30 $T
probe "bird wrong AS" 1 '"result":"notification"' '"code":2,"subcode":2' \
	'"direction":"received"' \
	-- --as 64999 --peer 10.213.1.2 --source 10.213.1.5 $T
probe "bird hold 2" 1 '"code":2,"subcode":6' \
	-- --as 64512 --peer 10.213.1.2 --source 10.213.1.6 --hold 2 $T
probe "bird hold 1" 1 '"code":2,"subcode":6' \
	-- --as 64512 --peer 10.213.1.2 --source 10.213.1.7 --hold 1 $T
probe "bird same router id" 1 '"code":2,"subcode":3' \
	-- --as 64512 --peer 10.213.1.2 --source 10.213.1.8 \
	--router-id 10.213.1.2 $T
# a BGPPeer's maxRestartTime 5000s: BIRD writes it in 16 bits over the
# flags and the 12-bit time, as the sim's OPEN does (test_open_profiles)
probe "bird graceful restart time" 0 '"value":"restart-time904ipv4-unicast"' \
	-- --as 64512 --peer 10.213.1.2 --source 10.213.1.9 $T
probe "bird unknown neighbor" 1 '"result":"(closed|refused)"' \
	'"peer_open":null' \
	-- --as 64512 --peer 10.213.1.2 --source 10.213.1.3 $T
# what the user is told beside the result (standard error)
errhas() { # NAME TEXT: the last probe's standard error says TEXT
	if grep -qF -- "$2" "$tmp/err"; then pass=$((pass + 1)); echo "ok   $1: says why"
	else failn=$((failn + 1)); echo "FAIL $1: standard error lacks: $2"; cat "$tmp/err"; fi
}
errhas "bird unknown neighbor" "closed the connection before its OPEN, without a NOTIFICATION: it has no neighbor for this source address"
probe "bird md5 right" 0 '"result":"established"' \
	-- --as 64512 --peer 10.213.1.2 --source 10.213.1.4 \
	--password-file "$tmp/good.pw" $T
probe "bird md5 wrong" 2 '"result":"timeout"' \
	-- --as 64512 --peer 10.213.1.2 --source 10.213.1.4 \
	--password-file "$tmp/bad.pw" --timeout 3
probe "bird md5 missing" 2 '"result":"timeout"' \
	-- --as 64512 --peer 10.213.1.2 --source 10.213.1.4 --timeout 3
errhas "bird md5 missing" "within 3 s (a TCP MD5 key that differs or is missing"
probe "bird closed port" 1 '"result":"refused"' \
	-- --as 64512 --peer 10.213.1.2:1179 --source 10.213.1.1 $T
errhas "bird closed port" "refused the connection (TCP reset): nothing listens there"

probe "frr accepts" 0 '"result":"established"' '"router_id":"10.213.2.2"' \
	'"negotiated_hold":30' '"negotiated_keepalive":10' \
	'"negotiated_families":\["ipv4-unicast"\]' \
	-- --as 64512 --peer 10.213.2.2 --source 10.213.2.1 $T
cp "$tmp/out.json" "$tmp/frr-open.json"
probe "frr wrong AS" 1 '"code":2,"subcode":2' '"direction":"received"' \
	-- --as 64999 --peer 10.213.2.2 --source 10.213.2.5 $T
probe "frr hold 2" 1 '"code":2,"subcode":6' \
	-- --as 64512 --peer 10.213.2.2 --source 10.213.2.6 --hold 2 $T
probe "frr same router id" 1 '"code":2,"subcode":3' \
	-- --as 64512 --peer 10.213.2.2 --source 10.213.2.8 \
	--router-id 10.213.2.2 $T
probe "frr unknown neighbor" 1 '"result":"(closed|refused)"' \
	'"peer_open":null' \
	-- --as 64512 --peer 10.213.2.2 --source 10.213.2.3 $T
probe "frr md5 right" 0 '"result":"established"' \
	-- --as 64512 --peer 10.213.2.2 --source 10.213.2.4 \
	--password-file "$tmp/good.pw" $T
probe "frr md5 wrong" 2 '"result":"timeout"' \
	-- --as 64512 --peer 10.213.2.2 --source 10.213.2.4 \
	--password-file "$tmp/bad.pw" --timeout 3

# over IPv6: the OPEN offers ipv6-unicast (calico-node's bird6 does); the
# router id is given (an IPv6 connection has no IPv4 address to take)
probe "frr ipv6 accepts" 0 '"result":"established"' '"peer":"\[fd00:213:2::2\]:179"' \
	'"name":"multiprotocol","value":"ipv6-unicast"' '"negotiated_hold":30' \
	'"negotiated_families":\["ipv6-unicast"\]' \
	-- --as 64512 --peer fd00:213:2::2 --source fd00:213:2::1 \
	--router-id 10.213.2.1 $T
probe "frr ipv6 md5 wrong" 2 '"result":"timeout"' \
	-- --as 64512 --peer '[fd00:213:2::2]:179' --source fd00:213:2::4 \
	--router-id 10.213.2.4 --password-file "$tmp/bad.pw" --timeout 3
probe "frr ipv6 md5 right" 0 '"result":"established"' \
	-- --as 64512 --peer '[fd00:213:2::2]:179' --source fd00:213:2::4 \
	--router-id 10.213.2.4 --password-file "$tmp/good.pw" $T

# an IPv4 neighbor activated for IPv6 only: FRR's OPEN offers ipv6-unicast,
# ours ipv4-unicast -- no family in common, 2/7 (whichever side says it)
probe "frr no family in common" 1 '"code":2,"subcode":7' \
	'"negotiated_families":\[\]' \
	-- --as 64512 --peer 10.213.2.2 --source 10.213.2.9 $T

# OpenBGPD and GoBGP: listening (bounded: 10 s), then the same probes
others=""
[ $have_obgp = 1 ] && others="$others openbgpd:$OB:4"
[ $have_gobgp = 1 ] && others="$others gobgp:$G:5"
[ $have_obgp = 1 ] || echo "skip openbgpd: no OpenBGPD ($OPENBGPD; Debian package openbgpd)"
[ $have_gobgp = 1 ] || echo "skip gobgp: no gobgpd (Debian package gobgpd)"
for o in $others; do
	d=${o%%:*} ns=${o#*:}
	ns=${ns%:*} n=${o##*:}
	i=0
	while ! listening $ns && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	if ! listening $ns; then
		echo "FAIL $d: did not start"; tail -5 "$tmp/$d.out"
		failn=$((failn + 1))
		continue
	fi
	# MD5 first: a wrong key never reaches the daemon (the kernel drops
	# the segments), so the neighbor still waits for the right one
	probe "$d md5 wrong" 2 '"result":"timeout"' \
		-- --as 64512 --peer 10.213.$n.2 --source 10.213.$n.4 \
		--password-file "$tmp/bad.pw" --timeout 3
	probe "$d md5 right" 0 '"result":"established"' \
		-- --as 64512 --peer 10.213.$n.2 --source 10.213.$n.4 \
		--password-file "$tmp/good.pw" $T
	probe "$d accepts" 0 '"result":"established"' '"as":64512' \
		"\"router_id\":\"10.213.$n.2\"" '"negotiated_hold":30' \
		'"negotiated_keepalive":10' \
		'"name":"multiprotocol","value":"ipv4-unicast"' \
		-- --as 64512 --peer 10.213.$n.2 --source 10.213.$n.1 $T
	cp "$tmp/out.json" "$tmp/$d-open.json"
	probe "$d text format" 0 "peer10.213.$n.2:179:established" \
		"peerOPEN:AS64512,hold30,routerid10.213.$n.2" \
		'capabilitymultiprotocolipv4-unicast' 'negotiatedhold30,keepalive10' \
		-- --as 64512 --peer 10.213.$n.2 --source 10.213.$n.9 --format text $T
	probe "$d wrong AS" 1 '"result":"notification"' '"code":2,"subcode":2' \
		'"direction":"received"' \
		-- --as 64999 --peer 10.213.$n.2 --source 10.213.$n.5 $T
	probe "$d same router id" 1 '"code":2,"subcode":3' \
		-- --as 64512 --peer 10.213.$n.2 --source 10.213.$n.8 \
		--router-id 10.213.$n.2 $T
	probe "$d unknown neighbor" 1 '"result":"(closed|refused)"' \
		'"peer_open":null' \
		-- --as 64512 --peer 10.213.$n.2 --source 10.213.$n.3 $T
done

echo "observed OPENs (capabilities):"
for d in bird frr $(for o in $others; do echo "${o%%:*}"; done); do
	printf '  %s:' $d
	tr -d '\n ' <"$tmp/$d-open.json" | grep -o '"name":"[^"]*","value":[^}]*' |
		sed 's/"name":"\([^"]*\)","value":/ \1=/; s/"//g' | tr '\n' ' '
	echo
done

# --------------------------------------------------------------- capture
# wait (15 s at most) until BIRD has the routes of FRR (and OpenBGPD's
# 10.244.4.0/26, GoBGP's 10.244.5.0/26), then a little longer for
# keepalives, and stop the captures
want="10.244.2.0/26"
[ $have_obgp = 1 ] && want="$want 10.244.4.0/26"
[ $have_gobgp = 1 ] && want="$want 10.244.5.0/26"
i=0
while [ $i -lt 150 ]; do
	ip netns exec $B birdc -s "$tmp/bird.ctl" show route >"$tmp/routes" 2>/dev/null
	n=0
	for w in $want; do grep -q "^$w" "$tmp/routes" || n=$((n + 1)); done
	[ $n = 0 ] && break
	sleep 0.1; i=$((i + 1))
done
sleep 1
for pid in $dumpcap_pid $(for c in $caps; do echo "${c#*:}"; done); do
	kill -INT $pid 2>/dev/null
	i=0
	while kill -0 $pid 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
done
"$CC" -std=c11 -D_DEFAULT_SOURCE -I"$root" -o "$tmp/pcap_roundtrip" \
	"$root/tests/interop/pcap_roundtrip.c" "$O/librrkit.a" 2>"$tmp/cc.err"
if [ ! -x "$tmp/pcap_roundtrip" ]; then
	echo "FAIL capture: cannot build pcap_roundtrip"; cat "$tmp/cc.err"
	failn=$((failn + 1))
elif out=$("$tmp/pcap_roundtrip" "$tmp/bgp.pcap" 2>&1); then
	pass=$((pass + 1))
	echo "ok   capture: $out"
else
	failn=$((failn + 1))
	echo "FAIL capture: $out"
fi
# OpenBGPD's and GoBGP's messages to BIRD: every one decodes and
# re-encodes to the same bytes, and their route came in an UPDATE
for c in $caps; do
	d=${c%%:*} r=10.244.4.0/26
	[ $d = gobgp ] && r=10.244.5.0/26
	if [ -x "$tmp/pcap_roundtrip" ] && grep -q "^$r" "$tmp/routes" &&
		out=$("$tmp/pcap_roundtrip" "$tmp/bgp-$d.pcap" 2>&1) &&
		echo "$out" | grep -q 'UPDATE [1-9]'; then
		pass=$((pass + 1))
		echo "ok   capture $d: $out"
	else
		failn=$((failn + 1))
		echo "FAIL capture $d: ${out:-no capture}"
		grep -A3 "^Node_$d" "$tmp/routes" 2>/dev/null
	fi
done

# the daemons must still be ours and alive (nothing crashed them)
for pid in $pids; do
	case " $dumpcap_pid $caps " in *[\ :]"$pid "*) continue ;; esac
	kill -0 "$pid" 2>/dev/null || { echo "FAIL daemon $pid died"; failn=$((failn + 1)); }
done
if [ $failn != 0 ]; then
	echo "--- bird.log"; tail -20 "$tmp/bird.log" 2>/dev/null
	echo "--- frr.log"; tail -20 "$tmp/frr.log" 2>/dev/null
	for d in openbgpd gobgp; do
		[ -f "$tmp/$d.out" ] && { echo "--- $d.out"; tail -20 "$tmp/$d.out"; }
	done
fi
echo "interop: $pass passed, $failn failed"
[ $failn = 0 ]
