#!/bin/sh
# What a repository decides about lint's findings (cli/policy.h): the
# .rrkit.yaml found upward or named, rule severities and "off", excluded
# paths, inline suppressions (IOS comment, YAML comment before and at the
# end of a line, annotation; on either side of a finding; unused ones
# reported), the baseline (written, read, surviving lines moved, the
# same identity as the SARIF fingerprint, a new finding still reported).
# Each case runs rrkit lint on a copy of samples/broken/as-mismatch and
# asserts the exit status and the findings of its json report.
#   tests/suites/policy.sh BUILD_DIR
O=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
case "$O" in /*) ;; *) O="$(pwd)/$O" ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 failn=0
ok() { pass=$((pass + 1)); }
bad() { failn=$((failn + 1)); echo "FAIL $*"; }

src="$root/samples/broken/as-mismatch"
# fresh: a new repository with the broken design in in/
fresh() {
	rm -rf "$tmp/repo"
	mkdir -p "$tmp/repo/in" "$tmp/repo/sub/dir"
	cp "$src/router.ios" "$src/calico.yaml" "$tmp/repo/in/"
}
# lint_case NAME WANT_STATUS "WANT_RULES" [--in DIR] ARGS...: rules of the
# json findings, sorted and space separated ("-" for none)
lint_case() {
	name=$1 want=$2 rules=$3
	shift 3
	dir="$tmp/repo"
	if [ "$1" = --in ]; then dir=$2; shift 2; fi
	for bin in "$O/rrkit" "$O/asan/rrkit"; do
		[ -x "$bin" ] || continue
		(cd "$dir" && NO_COLOR=1 timeout 30 "$bin" lint --format json="$tmp/out.json" \
			--format text "$@" >"$tmp/out.txt" 2>"$tmp/err.txt" </dev/null)
		st=$?
		got=$(python3 -c 'import json,sys
try:
    f = json.load(open(sys.argv[1]))["findings"]
except Exception:
    print("(no report)"); sys.exit()
print(" ".join(sorted(x["rule"] + ":" + x["severity"] for x in f)) or "-")' "$tmp/out.json" 2>/dev/null)
		rm -f "$tmp/out.json"
		if [ "$st" = "$want" ] && [ "$got" = "$rules" ]; then ok; else
			bad "$name ($(basename "$(dirname "$bin")")/rrkit): exit $st, findings [$got]; want $want, [$rules]"
			head -5 "$tmp/err.txt"
		fi
		if grep -q Sanitizer "$tmp/err.txt"; then bad "$name: sanitizer report"; fi
	done
}
has() { # NAME FILE REGEX
	if grep -Eq -- "$3" "$2"; then ok; else bad "$1: no /$3/ in $(basename "$2")"; sed 's/^/  /' "$2" | head -5; fi
}

cd "$root" || exit 2
fresh
lint_case "no configuration" 1 "as-mismatch:error" in
# ------------------------------------------------------- .rrkit.yaml
printf 'rules:\n  as-mismatch: warning\n' >"$tmp/repo/.rrkit.yaml"
lint_case "severity warning" 0 "as-mismatch:warning" in
lint_case "found from a subdirectory" 0 "as-mismatch:warning" --in "$tmp/repo/sub/dir" ../../in
printf 'rules:\n  as-mismatch: warning\nstrict: true\n' >"$tmp/repo/.rrkit.yaml"
lint_case "strict from the file" 1 "as-mismatch:warning" in
printf 'rules:\n  as-mismatch: off\n' >"$tmp/repo/.rrkit.yaml"
lint_case "rule off" 0 "-" in
printf 'rules:\n  cluster-id-missing: error\n' >"$tmp/repo/other.yaml"
lint_case "--config wins over the file found" 1 "as-mismatch:error" --config other.yaml in
printf 'rules:\n  as-mismach: off\n' >"$tmp/repo/.rrkit.yaml"
lint_case "unknown rule id" 2 "(no report)" in
has "unknown rule id" "$tmp/err.txt" '\.rrkit\.yaml:2:3: error: unknown rule .as-mismach.'
printf 'rules:\n  as-mismatch: loud\n' >"$tmp/repo/.rrkit.yaml"
lint_case "bad severity" 2 "(no report)" in
has "bad severity" "$tmp/err.txt" '\.rrkit\.yaml:2:16: error:'
lint_case "--config missing" 2 "(no report)" --config nope.yaml in
has "--config missing" "$tmp/err.txt" "cannot read the configuration 'nope.yaml'"
# exclude: the router file is not read, so only Calico is left
printf 'exclude:\n  - "*.ios"\n' >"$tmp/repo/.rrkit.yaml"
lint_case "exclude a pattern" 1 "nothing-analysed:error" in
printf 'exclude:\n  - in/router.ios\n' >"$tmp/repo/.rrkit.yaml"
lint_case "exclude a path" 1 "nothing-analysed:error" in
printf 'exclude: [in]\n' >"$tmp/repo/.rrkit.yaml"
lint_case "exclude everything" 2 "(no report)" in
rm -f "$tmp/repo/.rrkit.yaml"
# --list-rules shows what the file makes of the rules, as text or json
printf 'rules:\n  as-mismatch: off\n  cluster-id-missing: error\n' >"$tmp/repo/.rrkit.yaml"
(cd "$tmp/repo" && "$O/rrkit" lint --list-rules >"$tmp/l.txt" && "$O/rrkit" lint --list-rules --format json >"$tmp/l.json")
has "--list-rules off" "$tmp/l.txt" '^as-mismatch +off '
has "--list-rules severity" "$tmp/l.txt" '^cluster-id-missing +error '
if python3 -c 'import json,sys
r = {x["id"]: x for x in json.load(open(sys.argv[1]))["rules"]}
assert r["as-mismatch"]["enabled"] is False and r["cluster-id-missing"]["severity"] == "error"
assert all(set(x) == {"id", "severity", "family", "summary", "enabled", "retired"} for x in r.values())' "$tmp/l.json"; then ok; else bad "--list-rules --format json"; fi
rm -f "$tmp/repo/.rrkit.yaml"

# ------------------------------------------------------ suppressions
# the finding is at router.ios:33 (remote-as) with a note at calico.yaml:11
fresh
sed -i '33i ! rrkit: disable=as-mismatch' "$tmp/repo/in/router.ios"
lint_case "IOS comment on the line before" 0 "-" in
fresh
sed -i '33i ! rrkit: disable=port-mismatch,as-mismatch\n! another comment' "$tmp/repo/in/router.ios"
lint_case "IOS comments stack; unused item reported" 0 "-" in
has "unused suppression" "$tmp/out.txt" "router.ios:33:1: warning: suppression of 'port-mismatch' suppresses nothing"
fresh
sed -i '32i ! rrkit: disable=as-mismatch' "$tmp/repo/in/router.ios"
lint_case "IOS comment two lines above covers nothing" 1 "as-mismatch:error" in
has "unused suppression reported" "$tmp/out.txt" "router.ios:32:1: warning: suppression of 'as-mismatch' suppresses nothing"
fresh
sed -i '11s/$/  # rrkit: disable=as-mismatch/' "$tmp/repo/in/calico.yaml"
lint_case "YAML comment at the end of the other side's line" 0 "-" in
fresh
sed -i '11i \  # rrkit: disable=all' "$tmp/repo/in/calico.yaml"
lint_case "YAML comment line before, all" 0 "-" in
fresh
sed -i '7a\  annotations:\n    rrkit.io/disable: "as-mismatch"' "$tmp/repo/in/calico.yaml"
lint_case "annotation on the resource" 0 "-" in
fresh
sed -i '7a\  annotations:\n    rrkit.io/disable: cluster-id-missing' "$tmp/repo/in/calico.yaml"
lint_case "annotation of another rule" 1 "as-mismatch:error" in
has "unused annotation" "$tmp/out.txt" "calico.yaml:9:1: warning: suppression of 'cluster-id-missing' suppresses nothing"
fresh
sed -i '33i ! rrkit: disable=no-such-rule' "$tmp/repo/in/router.ios"
lint_case "unknown rule in a suppression" 1 "as-mismatch:error" in
has "unknown rule in a suppression" "$tmp/out.txt" "suppression of unknown rule 'no-such-rule'"
fresh
sed -i '33i ! rrkit: disable=as-mismatch' "$tmp/repo/in/router.ios"
lint_case "a suppressed rule that did not run is not reported" 0 "-" --disable as-mismatch in
if grep -q "suppresses nothing" "$tmp/out.txt"; then bad "suppression of a disabled rule reported as unused"; else ok; fi

# ---------------------------------------------------------- baseline
fresh
lint_case "write the baseline" 0 "(no report)" --baseline base.txt --write-baseline in
has "baseline written" "$tmp/repo/base.txt" '^[0-9a-f]{16}:1 as-mismatch in/router.ios: neighbor 192.168.1.11'
lint_case "read the baseline" 0 "-" --baseline base.txt in
has "summary on stderr" "$tmp/err.txt" 'not reported: 0 suppressed in the inputs, 1 in the baseline'
# the SARIF fingerprint is the baseline's identity
(cd "$tmp/repo" && "$O/rrkit" lint --format sarif="$tmp/b.sarif" in >/dev/null 2>&1)
fp=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["runs"][0]["results"][0]["partialFingerprints"]["rrkit/v2"])' "$tmp/b.sarif")
if grep -q "^$fp " "$tmp/repo/base.txt"; then ok; else bad "baseline identity is not the SARIF fingerprint ($fp)"; fi
sed -i '1i ! two lines above\n!' "$tmp/repo/in/router.ios"
lint_case "lines moved: still accepted" 0 "-" --baseline base.txt in
sed -i 's/remote-as 64513/remote-as 64514/' "$tmp/repo/in/router.ios"
lint_case "another AS: a new finding" 1 "as-mismatch:error" --baseline base.txt in
has "stale entry" "$tmp/err.txt" '1 baseline entry matches nothing any more'
printf 'baseline: base.txt\n' >"$tmp/repo/.rrkit.yaml"
fresh_keep() { cp "$src/router.ios" "$tmp/repo/in/"; }
fresh_keep
lint_case "baseline from the file" 0 "-" in
lint_case "baseline unreadable" 2 "(no report)" --baseline nope in
has "baseline unreadable" "$tmp/err.txt" "cannot read the baseline 'nope'"
rm -f "$tmp/repo/.rrkit.yaml"
lint_case "--write-baseline without a file" 2 "(no report)" --write-baseline in

echo "policy: $pass passed, $failn failed"
[ $failn = 0 ]
