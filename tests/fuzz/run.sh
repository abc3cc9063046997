#!/bin/sh
# make fuzz: run every libFuzzer target in DIR for SECONDS each; print the
# executions and crashes of each and a total.  Crash inputs are kept in
# DIR/crashes/<target>/.  Exit 1 if any target crashed.
#   tests/fuzz/run.sh DIR SECONDS
dir=${1:-build/fuzz}
secs=${2:-60}
total=0 crashes=0
for t in "$dir"/fuzz_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
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
	esac
	log="$dir/$name.log"
	"$t" -max_total_time="$secs" -print_final_stats=1 \
		-artifact_prefix="$art/" "$corpus" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	[ -n "$execs" ] || execs=0
	n=$(find "$art" -type f | wc -l)
	if [ $rc != 0 ] && [ "$n" = 0 ]; then n=1; fi
	echo "$name: $execs execs, $n crashes ($secs s)"
	[ "$n" != 0 ] && grep -m3 -E 'ERROR|SUMMARY' "$log"
	total=$((total + execs))
	crashes=$((crashes + n))
done
echo "fuzz: $total execs, $crashes crashes"
[ $crashes = 0 ]
