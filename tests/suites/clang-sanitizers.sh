#!/bin/sh
# The unit tests, the golden cases and the short robustness sweep again,
# with rrkit built by clang under ASan and UBSan (in O/clang; the build
# stops at the first report, -fno-sanitize-recover=all). clang's UBSan
# reports what gcc's does not: an offset applied to a null pointer
# (&a[k] with a NULL, which fuzz_rollout found in rollout/), among others;
# and the build keeps the code free of what clang warns about.
O=${1:-build}
C=$O/clang
if ! command -v clang >/dev/null 2>&1; then
	echo "clang-sanitizers: no clang (tools/deps.sh check installs it)"
	exit 1
fi
units=$(for f in tests/unit/*.c; do
	n=${f#tests/unit/}
	printf '%s ' "$C/asan/tests/${n%.c}"
done)
# shellcheck disable=SC2086 # units: several targets
# its own -j: under `make check` this is no recursive make of the
# Makefile's, so it gets no jobserver
if ! ${MAKE:-make} --no-print-directory -j"$(nproc 2>/dev/null || echo 2)" \
	O="$C" CC=clang "$C/asan/rrkit" $units >"$C.log" 2>&1; then
	tail -20 "$C.log"
	echo "clang-sanitizers: the clang build failed (whole log: $C.log)"
	exit 1
fi
fail=0
tests/run-unit.sh "$C/asan/tests" || fail=1
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	tests/golden/run.sh "$C/asan/rrkit" || fail=1
python3 tests/robust/sweep.py --short --bin "$C/asan/rrkit" \
	--keep "$C/robust-failures" || fail=1
exit $fail
