#!/bin/sh
# make bench: figures, each next to a baseline measured in the same run.
# Times are the best of 3 runs; peak RSS is the process's ru_maxrss.
# bench_parse rows time CPU (user + system) of the measured part.
O=${1:-build}
B=$O/bench
N=${BENCH_NODES:-5000}
mkdir -p "$B"
"$B/bench_gen" calico "$N" 2 >"$B/cluster-$N.yaml"
"$B/bench_gen" ios "$N" 1 >"$B/rr-$N.ios"
"$B/bench_gen" ios "$N" 2 >"$B/rr2-$N.ios"
best() { # best of 3: prints "ms rss count"
	b=""
	for _ in 1 2 3; do
		r=$("$B/bench_parse" "$@") || return 1
		ms=${r%% *}
		if [ -z "$b" ] || awk "BEGIN{exit !($ms < ${b%% *})}"; then b=$r; fi
	done
	echo "$b"
}
ratio() { awk "BEGIN{ if ($2 > 0) printf \"%.1fx\", $1/$2; else print \"-\" }"; }
size() { wc -c <"$1" | awk '{printf "%.1f MB", $1/1e6}'; }

echo "== rrkit bench ($N nodes; $(nproc) cores; $(date -u +%F))"
y=$(best calico "$B/cluster-$N.yaml"); ys=$(best yamlscan "$B/cluster-$N.yaml")
set -- $y; yms=$1 yrss=$2 ysess=$3
set -- $ys; sms=$1 srss=$2 sev=$3
echo "calico parse+resolve $(size "$B/cluster-$N.yaml"): ${yms} ms CPU, peak ${yrss} KiB, $ysess sessions"
echo "  baseline libyaml event scan: ${sms} ms CPU ($sev events), peak ${srss} KiB; ratio $(ratio "$yms" "$sms")"
i=$(best ios "$B/rr-$N.ios"); l=$(best lines "$B/rr-$N.ios")
set -- $i; ims=$1 irss=$2 isess=$3
set -- $l; lms=$1 lrss=$2 lines=$3
echo "ios parse $(size "$B/rr-$N.ios"): ${ims} ms CPU, peak ${irss} KiB, $isess neighbors"
echo "  baseline line count: ${lms} ms CPU ($lines lines), peak ${lrss} KiB; ratio $(ratio "$ims" "$lms")"
b=$(best both "$B/rr-$N.ios" "$B/rr2-$N.ios" "$B/cluster-$N.yaml")
set -- $b
echo "2 reflectors + $N nodes, parse + resolve: $1 ms CPU, peak $2 KiB, $3 sessions"
bms=$1
b=$(best lint "$B/rr-$N.ios" "$B/rr2-$N.ios" "$B/cluster-$N.yaml")
set -- $b
echo "2 reflectors + $N nodes, lint (parse + resolve + every rule): $1 ms CPU, peak $2 KiB, $3 findings"
echo "  baseline both sides + resolve: ${bms} ms CPU; ratio $(ratio "$1" "$bms")"
b=$(best analyze "$B/rr-$N.ios" "$B/rr2-$N.ios" "$B/cluster-$N.yaml")
set -- $b
echo "  of which the analysis alone (sessions, $3 (node, block) routes): $1 ms CPU"
# the whole `rrkit lint` process, CPU (user + sys) and peak RSS, best of 3,
# next to a `cat` of the same files in the same run
whole() { # prints "cpu_ms wall_ms rss_kib"
	b=""
	for _ in 1 2 3; do
		r=$(/usr/bin/time -f '%U %S %e %M' "$@" 2>&1 >/dev/null | tail -1 |
			awk '{printf "%.0f %.0f %d", ($1 + $2) * 1000, $3 * 1000, $4}')
		if [ -z "$b" ] || [ "${r%% *}" -lt "${b%% *}" ]; then b=$r; fi
	done
	echo "$b"
}
if [ -x /usr/bin/time ]; then
	set -- $(whole "$O/rrkit" lint "$B/rr-$N.ios" "$B/rr2-$N.ios" "$B/cluster-$N.yaml")
	lc=$1 lw=$2 lr=$3
	set -- $(whole cat "$B/rr-$N.ios" "$B/rr2-$N.ios" "$B/cluster-$N.yaml")
	echo "rrkit lint, 2 reflectors + $N nodes, whole process: ${lc} ms CPU, ${lw} ms wall, peak ${lr} KiB (goal 100 ms, 64 MB)"
	echo "  baseline cat of the same files: ${1} ms CPU, ${2} ms wall, peak ${3} KiB"
fi
# a repository's decisions (cli/policy.h) at scale: one finding per
# neighbor (an unknown command) and an inline suppression beside each that
# covers nothing, so every finding is tested against every suppression and
# each one is reported; next to the same findings without suppressions
if [ -x /usr/bin/time ]; then
	awk '/^ neighbor .* remote-as/{print " bgp bench-unknown"; print " ! rrkit: disable=all"; print "!"} {print}' \
		"$B/rr-$N.ios" >"$B/rr-$N-supp.ios"
	awk '/^ neighbor .* remote-as/{print " bgp bench-unknown"} {print}' "$B/rr-$N.ios" >"$B/rr-$N-find.ios"
	set -- $(whole "$O/rrkit" lint "$B/rr-$N-supp.ios" "$B/rr2-$N.ios" "$B/cluster-$N.yaml")
	sc=$1 sw=$2 sr=$3
	set -- $(whole "$O/rrkit" lint "$B/rr-$N-find.ios" "$B/rr2-$N.ios" "$B/cluster-$N.yaml")
	echo "rrkit lint, $N findings and $N inline suppressions (none covering): ${sc} ms CPU, ${sw} ms wall, peak ${sr} KiB"
	echo "  baseline the same $N findings, no suppression: ${1} ms CPU, ${2} ms wall, peak ${3} KiB"
fi
# IOS maximum-prefix between the two reflectors (iBGP, distinct
# cluster-ids): the analysis counts what each sends the other (every
# node's block) before it decides the sessions; next to the plain lint
if [ -x /usr/bin/time ]; then
	for k in 1 2; do
		o=$((3 - k))
		sed -e "s/^ bgp cluster-id 1\$/ bgp cluster-id $k/" \
		    -e "s/^ timers bgp 10 30\$/ timers bgp 10 30\n neighbor 10.0.0.$o remote-as 64512/" \
		    -e "s/^ address-family ipv4\$/ address-family ipv4\n  neighbor 10.0.0.$o activate\n  neighbor 10.0.0.$o maximum-prefix 1000/" \
			"$B/$( [ $k = 1 ] && echo rr || echo rr2 )-$N.ios" >"$B/rr$k-$N-mp.ios"
	done
	set -- $(whole "$O/rrkit" lint "$B/rr1-$N-mp.ios" "$B/rr2-$N-mp.ios" "$B/cluster-$N.yaml")
	echo "rrkit lint, maximum-prefix 1000 between the reflectors (each sends the other $N prefixes: the session goes down): ${1} ms CPU, ${2} ms wall, peak ${3} KiB"
	echo "  baseline the plain lint above: ${lc} ms CPU"
fi
for w in "$B"/bench_wire; do
	[ -x "$w" ] && "$w"
done
# rrkit sim at scale, 2 reflectors: the whole command (parse, simulate,
# write the output) in text and json, next to baselines measured in the same
# run: the engine alone (bench_sim: simulation without parsing or output),
# the same UPDATEs encoded+decoded without the simulator, and `cat` of the
# inputs.  Wall times of one run each (the machine may be shared).
whole() { # whole ARGS...: prints "ms MB bytes"
	python3 - "$@" <<'PY'
import resource, subprocess, sys, time
t = time.monotonic()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
n = 0
while True:
    b = p.stdout.read(1 << 16)
    if not b:
        break
    n += len(b)
p.wait()
ms = (time.monotonic() - t) * 1000
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print("%.0f %.0f %d" % (ms, rss, n))
PY
}
kb() { awk "BEGIN{ printf \"%.0f kB\", $1/1000 }"; }
if [ -x "$B/bench_sim" ] && command -v python3 >/dev/null 2>&1; then
	echo "rrkit sim, 2 reflectors: whole command (wall, peak RSS, output) | baselines in the same run"
	printf '  %-6s %-26s %-26s | %-22s %-14s %s\n' nodes "text" "json" "engine alone" "codec alone" "cat inputs"
	for n in 500 1000 2000 ${BENCH_SIM_NODES:-5000}; do
		f="$B/sim-$n.yaml $B/sim-rr1-$n.ios $B/sim-rr2-$n.ios"
		"$B/bench_gen" calico "$n" 2 >"$B/sim-$n.yaml"
		"$B/bench_gen" ios "$n" 1 >"$B/sim-rr1-$n.ios"
		"$B/bench_gen" ios "$n" 2 >"$B/sim-rr2-$n.ios"
		# shellcheck disable=SC2086
		set -- $(whole "$O/rrkit" sim --format text $f)
		t="$1 ms, $2 MB, $(kb "$3")"
		# shellcheck disable=SC2086
		set -- $(whole "$O/rrkit" sim --format json $f)
		j="$1 ms, $2 MB, $(kb "$3")"
		set -- $("$B/bench_sim" "$n" 2 --raw)
		e="$1 ms, $(awk "BEGIN{printf \"%.0f\", $2/1024}") MB"
		c="$4 ms"
		# shellcheck disable=SC2086
		set -- $(whole cat $f)
		printf '  %-6s %-26s %-26s | %-22s %-14s %s\n' "$n" "$t" "$j" "$e" "$c" "$1 ms"
	done
fi
# rrkit rollout at scale: adding a second reflector to N nodes (two
# changes: the Calico manifest with the second BGPPeer, rr2's config), one
# rehearsal (--order given) and the search of the orders (4 rehearsals),
# each with the end state's sim; baseline in the same run: rrkit sim of the
# target files
if [ -x "$B/bench_gen" ] && command -v python3 >/dev/null 2>&1; then
	echo "rrkit rollout, a second reflector added (wall, peak RSS) | baseline in the same run"
	printf '  %-6s %-22s %-22s | %s\n' nodes "one rehearsal" "search (4 orders)" "rrkit sim of the target"
	for n in 1000 ${BENCH_ROLLOUT_NODES:-5000}; do
		r="$B/rollout-$n"
		mkdir -p "$r/from" "$r/to"
		"$B/bench_gen" calico "$n" 1 >"$r/from/calico.yaml"
		"$B/bench_gen" ios "$n" 1 >"$r/from/rr1.ios"
		"$B/bench_gen" calico "$n" 2 >"$r/to/calico.yaml"
		cp "$r/from/rr1.ios" "$r/to/rr1.ios"
		"$B/bench_gen" ios "$n" 2 >"$r/to/rr2.ios"
		set -- $(whole "$O/rrkit" rollout --order given --from "$r/from" --to "$r/to")
		o="$1 ms, $2 MB"
		set -- $(whole "$O/rrkit" rollout --from "$r/from" --to "$r/to")
		a="$1 ms, $2 MB"
		set -- $(whole "$O/rrkit" sim "$r/to")
		printf '  %-6s %-22s %-22s | %s\n' "$n" "$o" "$a" "$1 ms, $2 MB"
	done
	# the worst loss: the only reflector's cluster-id changed, every node
	# loses every block at once (N x N intervals); baseline in the same
	# run: the lossless rehearsal above of the same cluster size
	echo "rrkit rollout, the only reflector's cluster-id changed: every node loses every block (wall, peak RSS) | baseline in the same run"
	printf '  %-6s %-22s | %s\n' nodes "one rehearsal" "rrkit sim of the target"
	for n in 1000 ${BENCH_ROLLOUT_NODES:-5000}; do
		r="$B/rollout-cid-$n"
		mkdir -p "$r/from" "$r/to"
		"$B/bench_gen" calico "$n" 1 >"$r/from/calico.yaml"
		"$B/bench_gen" ios "$n" 1 >"$r/from/rr1.ios"
		cp "$r/from/calico.yaml" "$r/to/calico.yaml"
		sed 's/^ bgp cluster-id 1$/ bgp cluster-id 3/' "$r/from/rr1.ios" >"$r/to/rr1.ios"
		set -- $(whole "$O/rrkit" rollout --order given --from "$r/from" --to "$r/to")
		o="$1 ms, $2 MB"
		set -- $(whole "$O/rrkit" sim "$r/to")
		printf '  %-6s %-22s | %s\n' "$n" "$o" "$1 ms, $2 MB"
	done
fi
topo=$(cd "$(dirname "$0")/.." && pwd)/tests/interop/topo/seed
t0=$(date +%s%N)
"$O/rrkit" sim "$topo" >/dev/null 2>&1
t1=$(date +%s%N)
sim_ms=$(( (t1 - t0) / 1000000 ))
real=$("$(dirname "$0")/../tests/interop/sim.sh" "$O/rrkit" seed 2>/dev/null | sed -n 's/.*(real run \([0-9]*\)s).*/\1/p')
if [ -n "$real" ]; then
	echo "seed topology, real FRR + 3 BIRD in netns: converged and compared in ${real} s; rrkit sim of the same files: ${sim_ms} ms (whole command); ratio $(ratio "$((real * 1000))" "$sim_ms")"
else
	echo "seed topology: rrkit sim ${sim_ms} ms; the real-daemon run needs root and network namespaces (skipped)"
fi
exit 0
