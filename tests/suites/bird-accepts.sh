#!/bin/sh
# Real BIRD 1.6 accepts what `rrkit gen bird` writes: for the node of every
# case of Calico's confd corpus, both families (bird -p / bird6 -p parse the
# config and exit), and every node of samples/seed, samples/gen and the
# service and BGPFilter designs.
#   tests/suites/bird-accepts.sh BUILD_DIR
O=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
R=$O/rrkit
case $R in /*) ;; *) R=$(pwd)/$R ;; esac
command -v bird >/dev/null 2>&1 && command -v bird6 >/dev/null 2>&1 ||
	{ echo "bird-accepts: skipped: no bird/bird6 (Debian package bird)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 failn=0 tunnel=0
check() { # check LABEL NODE FAMILY FILES... (env CALICO_ROUTER_ID may be set)
	label=$1 node=$2 fam=$3
	shift 3
	if ! "$R" gen bird --node "$node" --family "$fam" --secrets \
		--output "$tmp/b.cfg" "$@" 2>"$tmp/gen.err"; then
		echo "FAIL $label: gen bird --node $node --family $fam:"
		head -3 "$tmp/gen.err"
		failn=$((failn + 1))
		return
	fi
	if [ "$fam" = 4 ]; then b=bird; else b=bird6; fi
	# krt_tunnel (BIRD programs IPIP routes) exists in Calico's BIRD fork
	# only: the rest of such a config is checked without it
	if grep -q 'krt_tunnel=' "$tmp/b.cfg"; then
		sed -i 's/if (defined(bgp_next_hop)&&(bgp_next_hop ~ [^)]*)) then krt_tunnel=""; else krt_tunnel="tunl0"; //; s/krt_tunnel="tunl0"; //' "$tmp/b.cfg"
		tunnel=$((tunnel + 1))
	fi
	if $b -p -c "$tmp/b.cfg" >"$tmp/bird.err" 2>&1; then
		pass=$((pass + 1))
	else
		echo "FAIL $label ($b): $(head -2 "$tmp/bird.err")"
		failn=$((failn + 1))
	fi
}
cd "$root" || exit 2
for d in samples/seed samples/gen/*/ samples/services samples/broken/service-multipath-missing samples/bgpfilter; do
	for n in $("$R" show --format json "$d" 2>/dev/null | python3 -c '
import json, sys
for s in json.load(sys.stdin)["speakers"]:
    if s["kind"] == "calico-node": print(s["name"])'); do
		check "$d $n" "$n" 4 "$d"
		check "$d $n" "$n" 6 "$d"
	done
done
C=${RRKIT_SHARED:-$root/../shared}/corpus/calico-confd
if [ -f "$C/cases.tsv" ]; then
	tail -n +2 "$C/cases.tsv" | while IFS="$(printf '\t')" read -r case node aff env apply rest; do
		files=""
		[ "$aff" = standard ] && files="$C/fixtures/block_affinities.reconstructed.yaml"
		for a in $(echo "$apply" | tr ';' ' '); do
			case $a in DELETE:*) continue ;; esac # applied before: fine for parsing
			files="$files $C/scenarios/$a"
		done
		rid=
		case $env in CALICO_ROUTER_ID=*) rid=${env#CALICO_ROUTER_ID=} ;; esac
		for fam in 4 6; do
			# shellcheck disable=SC2086
			CALICO_ROUTER_ID=$rid check "confd $case" "$node" $fam $files
		done
		echo "$pass $failn $tunnel" >"$tmp/counts"
	done
	[ -f "$tmp/counts" ] && read -r pass failn tunnel <"$tmp/counts"
else
	echo "bird-accepts: confd corpus not found ($C): samples only"
fi
[ "$tunnel" != 0 ] && echo "bird-accepts: $tunnel config(s) set krt_tunnel (Calico's BIRD fork only): checked without it"
echo "bird-accepts: $pass passed, $failn failed"
[ "$failn" = 0 ]
