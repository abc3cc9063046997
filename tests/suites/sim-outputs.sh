#!/bin/sh
# rrkit sim's machine outputs are read by the real tools: every sample's
# --format dot is accepted by Graphviz `dot`, and its --pcap by tshark as
# BGP with zero malformed packets and exactly the messages the run
# exchanged (the `N messages` of the text header).
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
		msgs=$("$R" sim "$d" 2>/dev/null | sed -n 's/.* \([0-9][0-9]*\) messages.*/\1/p' | head -1)
		bad=$(tshark -r "$tmp/$n.pcap" -Y '_ws.malformed || _ws.expert.severity >= error' 2>/dev/null | wc -l)
		got=$(tshark -r "$tmp/$n.pcap" -Y bgp -T fields -e bgp.type 2>/dev/null |
			tr ',' '\n' | grep -c .)
		if [ "$bad" = 0 ] && [ "$got" = "$msgs" ]; then
			pass=$((pass + 1))
		else
			echo "FAIL $d: pcap: $bad malformed, $got BGP messages (sim: $msgs)"
			failn=$((failn + 1))
		fi
	fi
done
echo "sim-outputs: $pass passed, $failn failed"
[ $failn = 0 ] || exit 1
[ -z "$skipped" ] || { echo "sim-outputs: skipped checks, missing:$skipped"; exit 77; }
exit 0
