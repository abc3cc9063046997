#!/bin/sh
# Bad input never crashes rrkit: each case must exit with the documented
# status and print a located message.  Runs the normal and the ASan build.
#   tests/suites/badinput.sh BUILD_DIR
O=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 failn=0

# expect NAME STATUS REGEX rrkit-args...   (REGEX matched against stderr)
expect() {
	name=$1 want=$2 re=$3
	shift 3
	for bin in "$O/rrkit" "$O/asan/rrkit"; do
		[ -x "$bin" ] || continue
		NO_COLOR=1 timeout 20 "$bin" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
		got=$?
		if [ "$got" != "$want" ] || ! grep -Eq -- "$re" "$tmp/err"; then
			echo "FAIL $name ($bin): exit $got (want $want), stderr:"
			head -5 "$tmp/err"
			failn=$((failn + 1))
		else
			pass=$((pass + 1))
		fi
		if grep -q 'Sanitizer' "$tmp/err"; then
			echo "FAIL $name: sanitizer report"; failn=$((failn + 1))
		fi
	done
	echo "ok   $name: $(head -1 "$tmp/err" | cut -c1-110)"
}

cd "$root" || exit 2
expect missing-file 2 "cannot open '$tmp/nope.yaml': No such file" show "$tmp/nope.yaml"
expect no-args 2 'no input files' show
expect bad-format-flag 2 "unknown format 'xml'" show --format xml samples/seed

printf 'apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: x\nspec:\n  peerIP: [1.2.3.4\n' >"$tmp/trunc.yaml"
expect truncated-yaml 2 "trunc.yaml:[0-9]+:[0-9]+: error:" show "$tmp/trunc.yaml"

{
	echo 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'
	prev=a
	for n in b c d e f g h i j k l m; do
		echo "$n: &$n [*$prev,*$prev,*$prev,*$prev,*$prev,*$prev,*$prev,*$prev,*$prev]"
		prev=$n
	done
	echo 'apiVersion: v1'
	echo 'kind: List'
} >"$tmp/bomb.yaml"
expect yaml-bomb 2 "bomb.yaml:[0-9]+:[0-9]+: error:.*(alias|bomb|too many)" show "$tmp/bomb.yaml"

python3 -c "
import sys
d=''.join('  '*i+'- x:\n' for i in range(2000))
open(sys.argv[1],'w').write('apiVersion: v1\nkind: List\nitems:\n'+d)" "$tmp/deep.yaml"
expect yaml-deep 2 "deep.yaml:[0-9]+:[0-9]+: error:.*(deep|nesting|depth)" show "$tmp/deep.yaml"

head -c 2048 /dev/urandom >"$tmp/junk.bin"
printf '\000\001\002' >>"$tmp/junk.bin"
expect binary-junk 2 "junk.bin.*(binary|NUL)" show "$tmp/junk.bin"

truncate -s 100M "$tmp/huge.yaml"
expect file-100mb 2 "huge.yaml.*(64 MiB)" show "$tmp/huge.yaml"

printf 'no idea what this is\n' >"$tmp/what.txt"
expect unknown-format 2 "cannot tell what" show "$tmp/what.txt"

: >"$tmp/empty.yaml"
expect empty-file 2 "is empty" show "$tmp/empty.yaml"

sed 's/nodeSelector: all()/nodeSelector: "has(rack) \&\& "/' samples/seed/calico.yaml >"$tmp/badsel.yaml"
expect selector-syntax 2 "badsel.yaml:[0-9]+:[0-9]+: error: .*selector.*\[calico-invalid\]" show "$tmp/badsel.yaml" samples/seed/router.ios

sed 's/^ bgp log-neighbor-changes/ bgp log-neighbour-changes/' samples/seed/router.ios >"$tmp/typo.ios"
expect ios-unknown-command 0 "typo.ios:28:6: warning: .*\[parse-warning\]" show "$tmp/typo.ios" samples/seed/calico.yaml

# a secret never reaches the output, even in a quoted source line
for fmt in text json junit github sarif; do
	"$O/rrkit" lint --format $fmt samples/broken/password-mismatch >"$tmp/pw" 2>&1
	if grep -q s3cret "$tmp/pw"; then
		echo "FAIL secret-masked ($fmt): the password text is in the output"
		failn=$((failn + 1))
	else
		pass=$((pass + 1))
	fi
done
echo "ok   secret-masked: no format prints the password"

echo "badinput: $pass passed, $failn failed"
[ $failn = 0 ]
