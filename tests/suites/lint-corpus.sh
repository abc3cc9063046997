#!/bin/sh
# rrkit lint on every real IOS config of ../shared/corpus, each alone: no
# crash, no sanitizer report, exit 0 or 1, and no finding about Calico
# (there is none in the input: a rule that fires anyway invents it).
#   tests/suites/lint-corpus.sh BUILD_DIR
O=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
corpus=${RRKIT_SHARED:-$root/../shared}/corpus
if [ ! -d "$corpus/ios" ]; then
	echo "lint-corpus: skipped: $corpus/ios not found (run beside ../shared)"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 failn=0 files=0 findings=0
calico_rules='node-isolated|node-without-neighbor|neighbor-without-node|mesh-not-disabled|pool-|calico-invalid|selector-yaml-tag|peer-address-unknown|rr-client-missing'
for f in "$corpus"/ios/* "$corpus"/ios-lab/*show_running-config*; do
	[ -f "$f" ] || continue
	case "$f" in *.md | *.txt.gz | */LICENSE*) continue ;; esac
	for bin in "$O/rrkit" "$O/asan/rrkit"; do
		[ -x "$bin" ] || continue
		NO_COLOR=1 timeout 30 "$bin" lint --format json "$f" >"$tmp/out" 2>"$tmp/err" </dev/null
		rc=$?
		if [ $rc -gt 2 ] || grep -q Sanitizer "$tmp/err"; then
			echo "FAIL $(basename "$f") ($bin): exit $rc"; head -5 "$tmp/err"
			failn=$((failn + 1)); continue
		fi
		if [ $rc = 2 ] && ! grep -Eq ':[0-9]+:[0-9]+: error:' "$tmp/err"; then
			echo "FAIL $(basename "$f"): exit 2 without a located message"; head -3 "$tmp/err"
			failn=$((failn + 1)); continue
		fi
		if grep -Eq "\"rule\": \"($calico_rules)" "$tmp/out"; then
			echo "FAIL $(basename "$f"): a Calico finding without Calico input:"
			grep -E "\"rule\": \"($calico_rules)" "$tmp/out" | head -3
			failn=$((failn + 1)); continue
		fi
		pass=$((pass + 1))
	done
	files=$((files + 1))
	n=$(grep -c '"rule":' "$tmp/out")
	findings=$((findings + n))
done
echo "lint-corpus: $files configs, $findings findings (IOS-only rules)"
echo "lint-corpus: $pass passed, $failn failed"
[ $failn = 0 ]
