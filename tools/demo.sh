#!/bin/sh
# make demo: run rrkit on the reference topology (samples/seed).
rrkit=${1:-build/rrkit}
cd "$(dirname "$0")/.." || exit 2
run() {
	echo
	echo "\$ rrkit $*"
	"$rrkit" "$@"
	echo "(exit $?)"
}
echo "rrkit demo: a Cisco IOS route reflector (samples/seed/router.ios) and"
echo "a three-node Calico cluster (samples/seed/calico.yaml)."
run show samples/seed/router.ios samples/seed/calico.yaml
for job in lint gen sim; do
	if "$rrkit" help | grep -q "^  $job "; then
		case $job in
		lint) run lint samples/seed ;;
		gen) run gen cisco samples/seed/calico.yaml ;;
		sim) run sim samples/seed ;;
		esac
	fi
done
exit 0
