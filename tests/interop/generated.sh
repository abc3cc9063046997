#!/bin/sh
# Generated designs (tests/agreement) against real daemons: each case of
# tests/interop/generated.txt (or the case ids given) is written with its
# routers' FRR translations (.frr/) and run by tests/interop/sim.sh -- FRR
# for the routers, BIRD 1.6 fed `rrkit gen bird` for the nodes, in network
# namespaces -- and compared with `rrkit sim`; the real delivery of pod
# blocks, sim's verdict and lint's errors are printed side by side.
#
#   tests/interop/generated.sh [--open] RRKIT [CASE-ID...]
#
# --open runs the `open` lines of generated.txt instead (cases where sim
# differs from the real daemons today).
#
# RRKIT_GEN_SEED=N builds the cases of seed N (run.py --seed; default 1,
# the seed generated.txt's verdicts are for): other instances of the same
# designs, for a sweep.
#
# Exit status: sim.sh's (0 all agree, 77 skipped, else a difference).
set -u
which=plain
[ "${1:-}" = --open ] && { which=open; shift; }
RRKIT=${1:?usage: generated.sh [--open] RRKIT [CASE-ID...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
command -v python3 >/dev/null 2>&1 || { echo "interop-generated: skipped: no python3"; exit 77; }
if [ $# = 0 ]; then
	if [ $which = open ]; then
		set -- $(sed -n -e 's/#.*//' -e 's/^open //p' "$here/generated.txt")
	else
		set -- $(sed -e 's/#.*//' -e '/^open /d' "$here/generated.txt")
	fi
fi
[ $# = 0 ] && { echo "interop-generated: no $which cases"; exit 0; }
tmp=$(mktemp -d /tmp/rrkit-gencases.XXXXXX)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
dirs=""
for id in "$@"; do
	d="$tmp/$(echo "$id" | tr / _)"
	python3 "$here/../agreement/run.py" --seed "${RRKIT_GEN_SEED:-1}" --case "$id" --keep "$d" --frr \
		--rrkit "$RRKIT" --no-samples >/dev/null ||
		{ echo "interop-generated: cannot build case $id"; exit 2; }
	dirs="$dirs $d"
done
# shellcheck disable=SC2086
RRKIT_INTEROP_VERDICTS=1 "$here/sim.sh" "$RRKIT" $dirs
