#!/bin/sh
# Golden cases with the ASan+UBSan build (same expectations).
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	exec "$(dirname "$0")/../golden/run.sh" "$1/asan/rrkit"
