#!/bin/sh
# make fuzz: run every libFuzzer target in DIR for SECONDS each -- or, with
# FUZZ_EXECS=N in the environment, for N executions each (no time bound);
# print for each the executions, the rate per CPU-second (user+sys: the
# machine may be shared; run it under nice), the coverage (edges and
# features at the end), the inputs it added to its corpus and the crashes,
# then a total.  Crash inputs are kept in DIR/crashes/<target>/ (a run
# counts the crash-, leak-, timeout- and oom- inputs it wrote; slow-unit-
# ones are reported apart).  Exit 1
# if any target crashed.  FUZZ_ONLY=name,... runs those targets only;
# FUZZ_ARGS adds libFuzzer options (e.g. -jobs=N, -entropic=1); with
# -jobs=N the executions and new inputs are the workers' sums (each
# worker runs FUZZ_EXECS or SECONDS itself).  A target with seeds in
# tests/fuzz/seeds/<target>/ starts from them when its corpus is empty.
#   tests/fuzz/run.sh DIR SECONDS
#
# Two settings make the runs 2-10x cheaper without losing a check:
# - -entropic=0: libFuzzer 14's entropic scheduler keeps every feature seen
#   fewer than 256 times as "rare" and, for each such feature a run hits,
#   scans that list linearly; at these targets' 40,000-70,000 features
#   this was 70-90% of the CPU (fuzz_rollout: 25 ms a run, 2.5 ms
#   without).  The classic scheduler still keeps every input that finds
#   a feature (see libFuzzer's FuzzerCorpus.h, UpdateFeatureFrequency).
# - ASan's quarantine of freed memory at 16 MiB, not 256: a run allocates
#   and frees a few hundred KiB, and a 256 MiB quarantine hands out fresh
#   pages to clear on every run (a third of the CPU was page faults).  A
#   use after free is still caught while the block is among the last
#   16 MiB freed -- i.e. within the same run.
dir=${1:-build/fuzz}
secs=${2:-60}
total=0 crashes=0
ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=16}
export ASAN_OPTIONS
# children's user+sys CPU so far, in hundredths of a second (times must
# run in this shell: a subshell's children are not this shell's)
cpu() {
	times >"$dir/.times.$$"
	awk 'NR == 2 {
		n = 0
		for (i = 1; i <= 2; i++) {
			split($i, a, "m"); sub("s", "", a[2])
			n += a[1] * 60 + a[2]
		}
		printf "%d\n", n * 100
	}' "$dir/.times.$$"
}
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
	fuzz_ios | fuzz_calico | fuzz_pipeline | fuzz_yaml)
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
	# the targets that read no sample start from their seeds in the repo;
	# a crash found once (regress-*) joins every corpus, so each run
	# replays it first
	seeds="$(dirname "$0")/seeds/$name"
	if [ -d "$seeds" ] && [ -z "$(ls -A "$corpus")" ]; then
		cp "$seeds"/* "$corpus/"
	elif [ -d "$seeds" ]; then
		for f in "$seeds"/regress-*; do
			[ -f "$f" ] && cp "$f" "$corpus/"
		done
	fi
	log="$dir/$name.log"
	# -jobs=N / -workers=N: each worker writes fuzz-<i>.log in the
	# current directory; run there, and count what every worker did
	jobs="$dir/jobs/$name"
	rm -rf "$jobs"
	mkdir -p "$jobs"
	# the longest input a target reads (libFuzzer's default is the
	# largest corpus input or 4096): fuzz_pcap reads 24 records of at
	# most 6 bytes, and mutations past them changed nothing;
	# fuzz_rollout returns at once on more than 8192 bytes (seeds of
	# two sample states run to 10 KB, and are cut there)
	case $name in
	fuzz_pcap) maxlen=-max_len=144 ;;
	fuzz_rollout) maxlen=-max_len=8192 ;;
	*) maxlen= ;;
	esac
	if [ -n "${FUZZ_EXECS:-}" ]; then
		bound="-runs=$FUZZ_EXECS"
	else
		bound="-max_total_time=$secs"
	fi
	cpu >"$dir/.c0.$$"
	: >"$dir/.t0.$$" # what this run finds is newer
	t0=$(date +%s)
	abs=$(cd "$dir" && pwd)
	# shellcheck disable=SC2086 # FUZZ_ARGS: several options
	(cd "$jobs" && exec "$abs/$name" "$bound" -entropic=0 $maxlen \
		${FUZZ_ARGS:-} -print_final_stats=1 \
		-artifact_prefix="$abs/crashes/$name/" "$abs/corpus/$name") \
		>"$log" 2>&1
	rc=$?
	cpu >"$dir/.c1.$$"
	t=$(( $(date +%s) - t0 )) c=$(( $(cat "$dir/.c1.$$") - $(cat "$dir/.c0.$$") ))
	[ $t -gt 0 ] || t=1
	[ $c -gt 0 ] || c=1
	set -- "$jobs"/fuzz-*.log
	[ -f "$1" ] || set -- "$log"
	# each process's final stats, summed; the widest coverage of any
	execs=$(cat "$@" | awk '/^stat::number_of_executed_units:/ { n += $2 }
		END { print n + 0 }')
	new=$(cat "$@" | awk '/^stat::new_units_added:/ { n += $2 }
		END { print n + 0 }')
	cov=$(for f; do
		sed -n 's/.*\(cov: [0-9]* ft: [0-9]*\).*/\1/p' "$f" | tail -1
	done | sort -t' ' -k4,4n | tail -1)
	# this run's crashes, leaks, timeouts and out-of-memory inputs; a
	# slow-unit-* (an input that took over 10 s, on a loaded machine
	# too) is reported apart, not a crash
	n=$(find "$art" -type f -newer "$dir/.t0.$$" \( -name 'crash-*' -o \
		-name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
	slow=$(find "$art" -type f -newer "$dir/.t0.$$" -name 'slow-unit-*' | wc -l)
	if [ $rc != 0 ] && [ "$n" = 0 ]; then n=1; fi
	# a sanitizer that reports and goes on (a build without
	# -fno-sanitize-recover) writes no crash input: its report counts
	if [ "$n" = 0 ] && grep -q 'runtime error:' "$@"; then n=1; fi
	echo "$name: $execs execs in $t s, $((c / 100)).$((c / 10 % 10)) s CPU" \
		"($((execs * 100 / c)) execs/CPU-s), ${cov:-cov: ?}," \
		"${new:-0} new inputs, $n crashes$([ "$slow" = 0 ] ||
			echo ", $slow slow inputs (>10 s) in $art")"
	[ "$n" != 0 ] && grep -h -m3 -E 'ERROR|SUMMARY' "$@"
	total=$((total + execs))
	crashes=$((crashes + n))
done
rm -f "$dir/.times.$$" "$dir/.c0.$$" "$dir/.c1.$$" "$dir/.t0.$$"
echo "fuzz: $total execs, $crashes crashes"
[ $crashes = 0 ]
