#!/bin/sh
# rrkit sim's machine outputs are read by the real tools: every sample's
# --format dot is accepted by Graphviz `dot`, and its --pcap by tshark as
# BGP with zero malformed packets and exactly the messages the run
# exchanged (the `N messages` of the text header).  At scale (1,000
# generated nodes, 2 reflectors, one node with the wrong AS): the text
# summary stays small and names the exception, the DOT picture groups the
# nodes and renders, output files appear whole; a mesh too large to build
# exits 3.
#   tests/suites/sim-outputs.sh BUILD_DIR
O=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
R=$O/rrkit
case $R in /*) ;; *) R=$(pwd)/$R ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 failn=0 skipped=""
cd "$root" || exit 2
have_dot=1 have_tshark=1
command -v dot >/dev/null 2>&1 || { have_dot=0; skipped="$skipped dot(graphviz)"; }
command -v tshark >/dev/null 2>&1 || { have_tshark=0; skipped="$skipped tshark"; }
for d in samples/seed samples/broken/*/ samples/gen/*/; do
	d=${d%/}
	n=$(echo "$d" | tr / _)
	"$R" sim --format dot --pcap "$tmp/$n.pcap" "$d" >"$tmp/$n.dot" 2>"$tmp/$n.err"
	rc=$?
	if [ $rc = 2 ]; then
		pass=$((pass + 1)) # invalid input: nothing to draw (sim.sh checks why)
		continue
	fi
	if [ $have_dot = 1 ]; then
		if dot -Tsvg "$tmp/$n.dot" >/dev/null 2>"$tmp/$n.doterr"; then
			pass=$((pass + 1))
		else
			echo "FAIL $d: dot refuses the graph: $(head -2 "$tmp/$n.doterr")"
			failn=$((failn + 1))
		fi
	fi
	if [ $have_tshark = 1 ]; then
		msgs=$("$R" sim "$d" 2>/dev/null | sed -n 's/.* \([0-9,][0-9,]*\) messages.*/\1/p' | tr -d , | head -1)
		# one tshark pass: per frame its BGP message types, its expert
		# severities (error is 0x800000) and any malformed mark
		tshark -r "$tmp/$n.pcap" -T fields -E separator=/t -e bgp.type \
			-e _ws.expert.severity -e _ws.malformed >"$tmp/$n.fields" 2>/dev/null
		set -- $(awk -F '\t' '{
			if ($1 != "") got += split($1, t, ",")
			k = split($2, sev, ",")
			for (i = 1; i <= k; i++) if (sev[i] + 0 >= 8388608) { bad++; next }
			if ($3 != "") bad++
		} END { print bad + 0, got + 0 }' "$tmp/$n.fields")
		bad=$1 got=$2
		if [ "$bad" = 0 ] && [ "$got" = "$msgs" ]; then
			pass=$((pass + 1))
		else
			echo "FAIL $d: pcap: $bad malformed, $got BGP messages (sim: $msgs)"
			failn=$((failn + 1))
		fi
	fi
done
# check NAME COMMAND...: a shell condition
check() {
	name=$1
	shift
	if "$@"; then
		pass=$((pass + 1))
		echo "ok   $name"
	else
		failn=$((failn + 1))
		echo "FAIL $name"
	fi
}
gen=$tmp/bench_gen
if ${CC:-cc} -O2 -o "$gen" bench/bench_gen.c 2>"$tmp/gen.err"; then
	S=$tmp/scale O2=$tmp/scale-out
	mkdir -p "$S" "$O2"
	"$gen" calico 1000 2 >"$S/cluster.yaml"
	"$gen" ios 1000 1 >"$S/rr1.ios"
	# node-00500 (10.0.1.254) gets the wrong AS on rr2
	"$gen" ios 1000 2 | sed 's/^ neighbor 10.0.1.254 remote-as 64512$/ neighbor 10.0.1.254 remote-as 64999/' >"$S/rr2.ios"
	"$R" sim "$S" >"$O2/text" 2>"$O2/err"
	rc=$?
	check "scale: 1,000 nodes, exit 1" [ $rc = 1 ]
	check "scale: text summary under 8 KB ($(wc -c <"$O2/text") bytes)" [ "$(wc -c <"$O2/text")" -lt 8192 ]
	check "scale: the exception is named" grep -q '^999 nodes: 2/2 BGP peers Established' "$O2/text"
	check "scale: node-00500 alone" sh -c "grep -A1 '^1 node: 1/2 BGP peers Established, 999 routes received; 10.0.0.2 (node specific) start Idle Received: Bad peer AS\$' '$O2/text' | grep -qx '  node-00500'"
	check "scale: the cause, located" grep -q "rr2.ios:[0-9]*:[0-9]*: error: neighbor 10.0.1.254 of 'rr2' expects AS 64999, but node 'node-00500' announces AS 64512.*\[as-mismatch\]" "$O2/text"
	check "scale: rr2 lists its refused neighbor" grep -q '^10.0.1.254 .* 64999 .* Idle$' "$O2/text"
	"$R" sim --format dot="$O2/g.dot" --format json="$O2/j.json" --format text --output "$O2/t.txt" "$S" >"$O2/stdout" 2>"$O2/err"
	check "scale: --format F=FILE writes nothing to stdout" [ ! -s "$O2/stdout" ]
	check "scale: text and FILE outputs agree" cmp -s "$O2/text" "$O2/t.txt"
	"$R" sim --progress "$S" 2>"$O2/progress" >/dev/null
	check "scale: --progress on a pipe: whole lines on stderr" grep -Eq '^rrkit sim: [0-9]+\.[0-9]{3} s simulated, [0-9,]+ messages, [0-9,]+/2,000 sessions up$' "$O2/progress"
	check "scale: no progress unless asked, stderr not a terminal" [ ! -s "$O2/err" ]
	check "scale: no temporary file left" [ -z "$(ls "$O2" | grep tmp)" ]
	check "scale: dot groups the nodes ($(wc -l <"$O2/g.dot") lines)" [ "$(wc -l <"$O2/g.dot")" -lt 30 ]
	check "scale: dot draws node-00500 alone" grep -q '"node-00500' "$O2/g.dot"
	check "scale: dot counts the group's sessions" grep -q 'label="999 Established"' "$O2/g.dot"
	if [ $have_dot = 1 ]; then
		check "scale: dot renders" sh -c "timeout 60 dot -Tsvg '$O2/g.dot' >'$O2/g.svg' && grep -q '999 nodes' '$O2/g.svg'"
	fi
	check "scale: json parses, 4000 sessions" python3 -c "
import json; d = json.load(open('$O2/j.json'))
assert len(d['sessions']) == 4000 and d['routes'] is None
assert d['verdict']['causes'][0]['sessions'] == 1, d['verdict']['causes']
"
	# an unwritable output: exit 2, nothing left behind, the old file kept
	echo old >"$O2/keep.json"
	"$R" sim --format json="$O2/keep.json" --pcap "$O2/none/x.pcap" "$S" >/dev/null 2>"$O2/err"
	check "scale: unwritable --pcap exits 2" [ $? = 2 ]
	check "scale: message names the path" grep -q "cannot create '$O2/none/x.pcap'" "$O2/err"
	check "scale: the other output is left as it was" grep -qx old "$O2/keep.json"
	"$R" sim "$S" >/dev/full 2>"$O2/err"
	check "scale: a full stdout exits 2" [ $? = 2 ]
	# the mesh on with 400 nodes: too large to build, exit 3
	"$gen" calico 400 1 | sed 's/nodeToNodeMeshEnabled: false/nodeToNodeMeshEnabled: true/' >"$tmp/mesh.yaml"
	"$gen" ios 400 1 >"$tmp/mesh-rr.ios"
	"$R" sim "$tmp/mesh.yaml" "$tmp/mesh-rr.ios" >"$tmp/mesh.out" 2>/dev/null
	check "mesh too large: exit 3" [ $? = 3 ]
	check "mesh too large: said so" grep -q 'NOT SIMULATED (a limit of rrkit, exit 3)' "$tmp/mesh.out"
	"$R" sim --format json "$tmp/mesh.yaml" "$tmp/mesh-rr.ios" >"$tmp/mesh.json" 2>/dev/null
	check "mesh too large: json" python3 -c "
import json; d = json.load(open('$tmp/mesh.json'))
assert d['verdict']['complete'] is False and d['run']['mesh_simulated'] is False
assert d['run']['mesh_sessions'] == 79800
"
	# a node with the wrong AS besides: the network is broken, exit 1
	sed 's/^ neighbor 10.0.0.10 remote-as 64512$/ neighbor 10.0.0.10 remote-as 64999/' "$tmp/mesh-rr.ios" >"$tmp/mesh-rr2.ios"
	"$R" sim "$tmp/mesh.yaml" "$tmp/mesh-rr2.ios" >/dev/null 2>&1
	check "mesh too large and a session refused: exit 1" [ $? = 1 ]
else
	echo "sim-outputs: cannot build bench/bench_gen.c: $(head -1 "$tmp/gen.err")"
	failn=$((failn + 1))
fi
# communities in the pcap, as tshark decodes them: samples/bgpfilter's
# nodes tag their blocks 64512:100 (the BGPFilter's addCommunity) and the
# load-balancer range 64512:200 (prefixAdvertisements); nothing else
if [ $have_tshark = 1 ]; then
	"$R" sim --pcap "$tmp/bf.pcap" samples/bgpfilter >/dev/null 2>&1
	got=$(tshark -r "$tmp/bf.pcap" -T fields \
		-e bgp.update.path_attribute.community_as \
		-e bgp.update.path_attribute.community_value \
		-e bgp.prefix_length 2>/dev/null |
		awk -F '\t' '$1 != "" { print $1 ":" $2 "/" $3 }' | sort -u | tr '\n' ' ')
	if [ "$got" = "64512:100/26 64512:200/24 " ]; then
		pass=$((pass + 1))
	else
		echo "FAIL samples/bgpfilter: pcap communities (community/prefix length) '$got'"
		failn=$((failn + 1))
	fi
fi
echo "sim-outputs: $pass passed, $failn failed"
[ $failn = 0 ] || exit 1
[ -z "$skipped" ] || { echo "sim-outputs: skipped checks, missing:$skipped"; exit 77; }
exit 0
