#!/bin/sh
# make fuzz: run every libFuzzer target in DIR for SECONDS each -- or, with
# FUZZ_EXECS=N in the environment, for N executions each (no time bound);
# print the executions, the rate and the crashes of each and a total.
# Crash inputs are kept in DIR/crashes/<target>/.  Exit 1 if any target
# crashed.  FUZZ_ONLY=name,... runs those targets only.
#   tests/fuzz/run.sh DIR SECONDS
dir=${1:-build/fuzz}
secs=${2:-60}
total=0 crashes=0
for t in "$dir"/fuzz_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	case ",${FUZZ_ONLY:-$name}," in *",$name,"*) ;; *) continue ;; esac
	corpus="$dir/corpus/$name"
	art="$dir/crashes/$name"
	mkdir -p "$corpus" "$art"
	# start the text parsers from the samples (the IOS and YAML files)
	case $name in
	fuzz_analyze)
		# a router and its cluster in one input: IOS, "---", YAML
		if [ -z "$(ls -A "$corpus")" ]; then
			root=$(cd "$(dirname "$0")/../.." && pwd)
			i=0
			for d in "$root"/samples/*/ "$root"/samples/broken/*/; do
				set -- "$d"*.ios
				[ -f "$1" ] || continue
				i=$((i + 1))
				{ cat "$1"; printf '\n---\n'; cat "$d"*.yaml; } \
					>"$corpus/sample-$i" 2>/dev/null
			done
		fi
		;;
	fuzz_rollout)
		# two states of a sample: as it is, and with the mesh or a
		# neighbor's line changed ("\n@@@\n" between them)
		if [ -z "$(ls -A "$corpus")" ]; then
			root=$(cd "$(dirname "$0")/../.." && pwd)
			i=0
			for d in "$root"/samples/*/ "$root"/samples/rollout/*/from/; do
				set -- "$d"*.ios
				[ -f "$1" ] || continue
				i=$((i + 1))
				{ cat "$1"; printf '\n---\n'; cat "$d"*.yaml; printf '\n@@@\n'
				  sed 's/ neighbor \([0-9.]*\) route-reflector-client/ neighbor \1 shutdown/' "$1"
				  printf '\n---\n'; sed 's/nodeToNodeMeshEnabled: false/nodeToNodeMeshEnabled: true/' "$d"*.yaml; } \
					>"$corpus/sample-$i" 2>/dev/null
			done
		fi
		;;
	fuzz_ios | fuzz_calico | fuzz_pipeline)
		if [ -z "$(ls -A "$corpus")" ]; then
			root=$(cd "$(dirname "$0")/../.." && pwd)
			i=0
			for f in "$root"/samples/*/*.ios "$root"/samples/*/*/*.ios \
				"$root"/samples/*/*.yaml "$root"/samples/*/*/*.yaml; do
				[ -f "$f" ] || continue
				i=$((i + 1))
				cp "$f" "$corpus/sample-$i"
			done
		fi
		;;
	fuzz_emit_calico)
		# router fields (file name, hostname, description, peer-group)
		# then the YAML to merge into
		if [ -z "$(ls -A "$corpus")" ]; then
			root=$(cd "$(dirname "$0")/../.." && pwd)
			i=0
			for f in "$root"/samples/*/*.yaml "$root"/samples/*/*/*.yaml; do
				[ -f "$f" ] || continue
				i=$((i + 1))
				{ printf 'r.ios\376rr1\376node-a\376clients\376'; cat "$f"; } \
					>"$corpus/sample-$i"
			done
		fi
		;;
	esac
	log="$dir/$name.log"
	if [ -n "${FUZZ_EXECS:-}" ]; then
		bound="-runs=$FUZZ_EXECS"
	else
		bound="-max_total_time=$secs"
	fi
	t0=$(date +%s)
	"$t" "$bound" -print_final_stats=1 \
		-artifact_prefix="$art/" "$corpus" >"$log" 2>&1
	rc=$?
	t=$(( $(date +%s) - t0 ))
	[ $t -gt 0 ] || t=1
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	[ -n "$execs" ] || execs=0
	n=$(find "$art" -type f | wc -l)
	if [ $rc != 0 ] && [ "$n" = 0 ]; then n=1; fi
	echo "$name: $execs execs in $t s ($((execs / t)) execs/s), $n crashes"
	[ "$n" != 0 ] && grep -m3 -E 'ERROR|SUMMARY' "$log"
	total=$((total + execs))
	crashes=$((crashes + n))
done
echo "fuzz: $total execs, $crashes crashes"
[ $crashes = 0 ]
