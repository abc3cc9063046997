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
run lint samples/seed
run lint samples/broken/as-mismatch
run gen cisco samples/seed/calico.yaml
run gen calico samples/seed/router.ios
run sim samples/seed
run sim --node node-b samples/broken/as-mismatch
echo
echo "More: samples/broken/<rule>/ (one per lint rule), docs/rules.md, README.md."
exit 0
