#!/bin/sh
# make check: run every suite, print each suite's result and its time, and
# one closing line "N passed, N failed" (suites counted).  Exit 1 if any
# failed.
#   RRKIT_QUICK=1   skip the suites that start real daemons (interop*,
#                   bird-accepts): a quick pass while developing; CI and
#                   `make check` run everything
#   RRKIT_SERIAL=1  run the real-daemon suites after the others instead of
#                   beside them
# The real-daemon suites spend their time waiting for timers (connect
# delays, hold times, convergence), not computing: they run in the
# background while the other suites run in the foreground (interop-sim
# beside the others, which run one after the other), and their output is
# printed, whole, once they are done.  They take /tmp/rrkit-netns.lock, so
# two checkouts on one machine never run them at the same time.
O=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
bg=
npm_bg=
trap '[ -n "$bg" ] && kill "$bg" 2>/dev/null; [ -n "$npm_bg" ] && kill "$npm_bg" 2>/dev/null; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
t_start=$(date +%s)

# suite NAME CMD...: run it, print its result line, count it in $work/count
suite() {
	name=$1; shift
	echo "== $name"
	t0=$(date +%s)
	"$@"
	rc=$?
	t=$(( $(date +%s) - t0 ))
	if [ $rc = 0 ]; then r=passed; echo "-- $name: ok (${t} s)";
	elif [ $rc = 77 ]; then r=skipped; echo "-- $name: skipped (${t} s)";
	else r=failed; echo "-- $name: FAILED (exit $rc, ${t} s)"; fi
	echo "$r" >>"$work/count.${count:-fg}"
}

netns=
others=
for s in "$here"/suites/*.sh; do
	[ -x "$s" ] || continue
	case $(basename "$s" .sh) in
	interop*|bird-accepts) netns="$netns $s" ;;
	*) others="$others $s" ;;
	esac
done

# the real-daemon suites in the background: interop-sim (the longest) beside
# the others, which run in order; every suite makes namespaces of its own
# (named after its PID), so two can share the machine. One lock for all of
# them: two checkouts never run them at the same time.
netns_run() {
	count=bg
	if [ -n "${RRKIT_QUICK:-}" ]; then
		for s in $netns; do
			name=$(basename "$s" .sh)
			echo "== $name"; echo "-- $name: skipped (RRKIT_QUICK)"
			echo skipped >>"$work/count.bg"
		done
		return
	fi
	exec 9>/tmp/rrkit-netns.lock
	flock 9
	par= seq=
	for s in $netns; do
		case $(basename "$s" .sh) in
		interop-sim) par="$par $s" ;;
		*) seq="$seq $s" ;;
		esac
	done
	(for s in $par; do suite "$(basename "$s" .sh)" "$s" "$O"; done) \
		>"$work/netns-par.log" 2>&1 </dev/null &
	par_pid=$!
	for s in $seq; do
		suite "$(basename "$s" .sh)" "$s" "$O"
	done
	wait "$par_pid"
	cat "$work/netns-par.log"
	exec 9>&-
}
# The npm packages some suites check their outputs with (SARIF, CI
# templates) install in the background from the start (tools/npm-deps.sh
# takes a lock per package set); the suites that need them run last.
(for set in "" ci multitool; do "$here/../tools/npm-deps.sh" "$O" $set; done) \
	>"$work/npm.log" 2>&1 </dev/null &
npm_bg=$!
case " $others " in *"/ci-templates.sh "*)
	others="$(echo "$others" | tr ' ' '\n' | grep -v '/ci-templates.sh$' | tr '\n' ' ') $here/suites/ci-templates.sh" ;;
esac
if [ -z "${RRKIT_SERIAL:-}" ]; then
	netns_run >"$work/netns.log" 2>&1 </dev/null &
	bg=$!
	echo "(the real-daemon suites run beside the others; their output follows theirs)"
fi

suite check-deps "$here/../tools/check-deps.sh"
suite unit "$here/run-unit.sh" "$O/tests"
suite unit-asan "$here/run-unit.sh" "$O/asan/tests"
for s in $others; do
	suite "$(basename "$s" .sh)" "$s" "$O"
done

if [ -n "$bg" ]; then
	wait "$bg"
	bg=
	cat "$work/netns.log"
else
	netns_run
fi

c() { cat "$work"/count.* 2>/dev/null | grep -c "^$1\$"; }
passed=$(c passed) failed=$(c failed) skipped=$(c skipped)
echo "check: $passed passed, $failed failed, $skipped skipped ($(( $(date +%s) - t_start )) s)"
[ "$failed" = 0 ]
