#!/bin/sh
# The command line as a user meets it: --help of every command (from the
# option tables, cli/commands.c), the man pages (docs/man/ must be what
# `rrkit help --man` writes, and lint clean with mandoc and groff), bash
# completion run for real (words typed, candidates asserted; every option
# of every --help completes), the zsh script parsed, version, --color with
# NO_COLOR/FORCE_COLOR, and make install/uninstall into a DESTDIR.
#   tests/suites/cli.sh BUILD_DIR
O=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
case "$O" in /*) ;; *) O="$(pwd)/$O" ;; esac
rrkit="$O/rrkit"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 failn=0
ok() { pass=$((pass + 1)); }
bad() { failn=$((failn + 1)); echo "FAIL $*"; }
cd "$root" || exit 2

cmds=$("$rrkit" help | sed -n 's/^  \([a-z]*\)  .*/\1/p')
[ -n "$cmds" ] || { echo "cli: 'rrkit help' lists no command"; exit 1; }

# ------------------------------------------------------------- --help
for c in $cmds; do
	if "$rrkit" "$c" --help >"$tmp/help.$c" 2>"$tmp/err" && [ ! -s "$tmp/err" ] &&
		head -1 "$tmp/help.$c" | grep -q "^usage: rrkit $c" &&
		grep -q '^options:' "$tmp/help.$c"; then ok; else bad "$c --help"; head -3 "$tmp/err"; fi
	kw=""
	[ "$c" = gen ] && kw=cisco # gen's first word is the target
	"$rrkit" "$c" $kw --no-such-option >/dev/null 2>"$tmp/err"
	if [ $? = 2 ] && grep -q "^rrkit: $c: unknown or ambiguous option '--no-such-option'" "$tmp/err" &&
		grep -q "^usage: rrkit $c" "$tmp/err"; then ok; else bad "$c --no-such-option"; cat "$tmp/err"; fi
	# every option documented in --help has a help text under it
	awk '/^  (-[a-zA-Z], )?--/ { opt = $0; getline; if ($0 !~ /^        [^ ]/) print "no help: " opt }' \
		"$tmp/help.$c" >"$tmp/nohelp"
	if [ ! -s "$tmp/nohelp" ]; then ok; else bad "$c --help:"; cat "$tmp/nohelp"; fi
done
"$rrkit" lint --format 2>"$tmp/err" >/dev/null
if [ $? = 2 ] && grep -q "'--format' needs an argument" "$tmp/err"; then ok; else bad "lint --format without argument"; cat "$tmp/err"; fi
"$rrkit" nope 2>"$tmp/err" >/dev/null
if [ $? = 2 ] && grep -q "'nope' is not an rrkit command" "$tmp/err"; then ok; else bad "unknown command"; fi
"$rrkit" >/dev/null 2>"$tmp/err"
if [ $? = 2 ] && grep -q '^usage: rrkit COMMAND' "$tmp/err"; then ok; else bad "no command"; fi

# ---------------------------------------------------------- man pages
n=0
for c in "" $cmds; do
	page=docs/man/rrkit${c:+-$c}.1
	n=$((n + 1))
	# shellcheck disable=SC2086
	if "$rrkit" help --man $c >"$tmp/man" && cmp -s "$tmp/man" "$page"; then ok; else
		bad "$page is not what 'rrkit help --man $c' writes (run: make man)"
	fi
	if command -v mandoc >/dev/null 2>&1; then
		if mandoc -Tlint -W warning "$page" >"$tmp/lint" 2>&1 && [ ! -s "$tmp/lint" ]; then ok; else
			bad "mandoc -Tlint $page"; head -5 "$tmp/lint"
		fi
	fi
	if command -v groff >/dev/null 2>&1; then
		if groff -man -ww -z "$page" >"$tmp/lint" 2>&1 && [ ! -s "$tmp/lint" ]; then ok; else
			bad "groff -ww $page"; head -5 "$tmp/lint"
		fi
	fi
done
if [ "$(ls docs/man/*.1 | wc -l)" = "$n" ]; then ok; else bad "docs/man has pages of no command: $(ls docs/man)"; fi
# every option of every command's --help is in its man page, and every
# option of a man page is in --help
for c in $cmds; do
	sed -n 's/^  \(-[a-zA-Z], \)\{0,1\}--\([a-z-]*\).*/\2/p' "$tmp/help.$c" | sort -u >"$tmp/hopts"
	sed -n 's/.*\\fB\\-\\-\([a-z\\-]*\)\\fR.*/\1/p' "docs/man/rrkit-$c.1" | sed 's/\\-/-/g' | sort -u >"$tmp/mopts"
	if { [ -s "$tmp/hopts" ] || [ "$c" != lint ]; } && cmp -s "$tmp/hopts" "$tmp/mopts"; then ok; else
		bad "rrkit-$c.1 and '$c --help' list different options: $(diff "$tmp/hopts" "$tmp/mopts" | grep '^[<>]' | tr '\n' ' ')"
	fi
done

# ---------------------------------------------------- bash completion
"$rrkit" completion bash >"$tmp/rrkit.bash" || bad "completion bash"
# complete WORDS...: the candidates bash offers for the last word, sorted,
# one per line; '=' is a word of its own, as COMP_WORDBREAKS makes it
complete_words() {
	bash -c '
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_rrkit
		printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$tmp/rrkit.bash" rrkit "$@"
}
# expect_completion "WANT (space separated)" WORDS...
expect_completion() {
	want=$(printf '%s\n' $1 | sort)
	shift
	got=$(complete_words "$@")
	if [ "$got" = "$want" ]; then ok; else
		bad "completion of 'rrkit $*': got [$(echo $got)], want [$(echo $want)]"
	fi
}
expect_completion "gen" g
expect_completion "sim show" s
expect_completion "--format" lint --form
expect_completion "text json junit github sarif" lint --format ""
expect_completion "sarif" lint --format s
expect_completion "sarif" lint --format = s
expect_completion "sarif" lint -f s
expect_completion "auto always never" sim --color = ""
expect_completion "always" show --color = al
expect_completion "as-mismatch" lint --disable as-m
expect_completion "as-mismatch,cluster-id-missing" lint --only as-mismatch,cluster-id-m
expect_completion "cisco calico" gen c
expect_completion "bash" completion b
expect_completion "samples/seed/router.ios" lint samples/seed/ro
expect_completion "neighbor" gen cisco --style ne
expect_completion "4 6" gen bird --family ""
# every option of every command's --help completes
for c in $cmds; do
	for o in $(sed -n 's/^  \(-[a-zA-Z], \)\{0,1\}--\([a-z-]*\).*/\2/p' "$tmp/help.$c"); do
		if complete_words "$c" "--" | grep -qx -- "--$o"; then ok; else bad "bash: 'rrkit $c --' does not offer --$o"; fi
	done
done

# ------------------------------------------------------ zsh completion
"$rrkit" completion zsh >"$tmp/_rrkit" || bad "completion zsh"
if head -1 "$tmp/_rrkit" | grep -qx '#compdef rrkit'; then ok; else bad "zsh: no #compdef line"; fi
if command -v zsh >/dev/null 2>&1; then
	if zsh -n "$tmp/_rrkit" 2>"$tmp/err"; then ok; else bad "zsh -n _rrkit"; cat "$tmp/err"; fi
	# loaded the way compinit loads it, then asked for lint's options
	cat >"$tmp/z.zsh" <<'Z'
fpath=("$1" $fpath)
autoload -Uz compinit && compinit -u -d "$2/zcompdump"
autoload -Uz _rrkit
(( $+functions[_rrkit] )) || { print "not autoloadable"; exit 1 }
_arguments() { print -l -- "$@" }
_describe() { print -l -- "${(P)${@[-1]}}" }
words=(rrkit lint --) CURRENT=3
_rrkit
Z
	if zsh -f "$tmp/z.zsh" "$tmp" "$tmp" >"$tmp/zout" 2>"$tmp/err"; then
		for o in $(sed -n 's/^  \(-[a-zA-Z], \)\{0,1\}--\([a-z-]*\).*/\2/p' "$tmp/help.lint"); do
			if grep -q -- "--$o[=[]" "$tmp/zout"; then ok; else bad "zsh: lint spec lacks --$o"; fi
		done
	else
		bad "zsh: _rrkit did not run"; head -5 "$tmp/err"
	fi
else
	echo "cli: zsh not installed, the zsh script is only checked for its header"
fi

# ------------------------------------------------------------ version
"$rrkit" version >"$tmp/v1"
"$rrkit" --version >"$tmp/v2"
"$rrkit" -V >"$tmp/v3"
if cmp -s "$tmp/v1" "$tmp/v2" && cmp -s "$tmp/v1" "$tmp/v3"; then ok; else bad "version, --version and -V differ"; fi
if grep -Eq '^rrkit [0-9]+\.[0-9]+\.[0-9]+$' "$tmp/v1" &&
	grep -Eq '^built: +[0-9]{4}-[0-9]{2}-[0-9]{2}$' "$tmp/v1" &&
	grep -Eq '^models: Calico v[0-9]+\.[0-9]+ ' "$tmp/v1"; then ok; else bad "version lines"; cat "$tmp/v1"; fi
if head=$(git rev-parse --short=12 HEAD 2>/dev/null); then
	# the binary under test was built from this checkout: its commit is
	# HEAD, or was HEAD when it was built (a later commit is fine)
	c=$(sed -n 's/^commit: *\([0-9a-f]*\).*/\1/p' "$tmp/v1")
	if [ -n "$c" ] && git merge-base --is-ancestor "$c" HEAD 2>/dev/null; then ok; else
		bad "version: commit '$c' is not in this checkout's history"
	fi
fi

# -------------------------------------------------------------- color
b=samples/broken/as-mismatch
esc=$(printf '\033')
color_case() { # NAME WANT(0|1) ENV... -- ARGS...
	name=$1 want=$2
	shift 2
	env -u NO_COLOR -u FORCE_COLOR "$@" >"$tmp/c.out" 2>&1
	if grep -q "$esc" "$tmp/c.out"; then got=1; else got=0; fi
	if [ $got = "$want" ]; then ok; else bad "color $name: coloured=$got, want $want"; fi
}
color_case "pipe" 0 "$rrkit" lint $b
color_case "--color=always" 1 "$rrkit" lint --color=always $b
color_case "--color" 1 "$rrkit" lint --color $b
color_case "FORCE_COLOR=1" 1 env FORCE_COLOR=1 "$rrkit" lint $b
color_case "FORCE_COLOR= (empty)" 0 env FORCE_COLOR= "$rrkit" lint $b
color_case "NO_COLOR beats FORCE_COLOR" 0 env NO_COLOR=1 FORCE_COLOR=1 "$rrkit" lint $b
color_case "--color=always beats NO_COLOR" 1 env NO_COLOR=1 "$rrkit" lint --color=always $b
color_case "--color=never beats FORCE_COLOR" 0 env FORCE_COLOR=1 "$rrkit" lint --color=never $b
color_case "sim --color=always" 1 "$rrkit" sim --color=always $b
"$rrkit" lint --color=sometimes $b >/dev/null 2>"$tmp/err"
if [ $? = 2 ] && grep -q "auto, always or never" "$tmp/err"; then ok; else bad "--color=sometimes"; fi
# a report written to a file is never coloured
env FORCE_COLOR=1 "$rrkit" lint --format text="$tmp/r.txt" $b >/dev/null 2>&1
if [ -f "$tmp/r.txt" ] && ! grep -q "$esc" "$tmp/r.txt"; then ok; else bad "FORCE_COLOR coloured a report file"; fi

# ------------------------------------------- stdin, templates, scripts
# '-' is standard input, named <stdin> where a diagnostic points into it
"$rrkit" lint samples/broken/as-mismatch/router.ios - <samples/broken/as-mismatch/calico.yaml >"$tmp/o" 2>&1
if [ $? = 1 ] && grep -q '^<stdin>:11:13: note: ' "$tmp/o"; then ok; else bad "lint FILE - <calico.yaml"; head -3 "$tmp/o"; fi
cat samples/seed/calico.yaml | "$rrkit" lint --format json samples/seed/router.ios - >"$tmp/o" 2>&1
if [ $? = 0 ] && grep -q '"files": 2' "$tmp/o"; then ok; else bad "lint FILE - (a pipe)"; fi
"$rrkit" show - </dev/null >/dev/null 2>"$tmp/o"
if [ $? = 2 ] && grep -q "'<stdin>' is empty" "$tmp/o"; then ok; else bad "show - </dev/null"; cat "$tmp/o"; fi
# a Helm template and a script next to the manifests: skipped with a
# warning each, never fatal
mkdir -p "$tmp/repo"
cp samples/seed/router.ios samples/seed/calico.yaml "$tmp/repo/"
printf 'apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: {{ .Values.peer }}\nspec:\n  peerIP: 192.168.1.1\n' >"$tmp/repo/peer.yaml"
printf '#!/bin/sh\nkubectl apply -f - <<EOF\napiVersion: v1\nkind: Node\n  broken: [\nEOF\n' >"$tmp/repo/apply.sh"
"$rrkit" lint "$tmp/repo" >"$tmp/o" 2>&1
if [ $? = 0 ] && grep -q "peer.yaml:4:9: warning: a template ('{{ ... }}')" "$tmp/o" &&
	grep -q "apply.sh:1:1: warning: a script ('#!')" "$tmp/o" &&
	grep -q ': 0 errors, 0 warnings in 2 files$' "$tmp/o"; then ok; else bad "template and script skipped"; cat "$tmp/o"; fi
"$rrkit" lint "$tmp/repo/peer.yaml" >"$tmp/o" 2>&1
if [ $? = 2 ] && grep -q "no IOS config or Calico YAML found" "$tmp/o"; then ok; else bad "only a template"; cat "$tmp/o"; fi

# ---------------------------------------------------- install, uninstall
if command -v make >/dev/null 2>&1 && command -v strip >/dev/null 2>&1; then
	d="$tmp/dest"
	# in a copy of the build: another PREFIX changes the documentation path
	# the binary holds (tools/version.sh), so make relinks rrkit -- which
	# must not happen under the suites that run $O/rrkit beside this one
	ob="$tmp/build"
	mkdir "$ob" && (cd "$O" && tar cf - --exclude=./asan --exclude=./tests --exclude='./npm*' --exclude=./fuzz .) |
		(cd "$ob" && tar xpf -)
	if make -s -C "$root" O="$ob" DESTDIR="$d" PREFIX=/opt/rr install >"$tmp/inst" 2>&1; then ok; else
		bad "make install"; tail -5 "$tmp/inst"
	fi
	for f in bin/rrkit share/bash-completion/completions/rrkit share/zsh/site-functions/_rrkit \
		share/man/man1/rrkit.1 share/man/man1/rrkit-lint.1 share/man/man1/rrkit-sim.1; do
		if [ -s "$d/opt/rr/$f" ]; then ok; else bad "make install: no $f"; fi
	done
	if [ -x "$d/opt/rr/bin/rrkit" ] && "$d/opt/rr/bin/rrkit" version >/dev/null &&
		! readelf -S "$d/opt/rr/bin/rrkit" | grep -q '\.symtab'; then ok; else bad "installed binary: not runnable, or not stripped"; fi
	if MANPATH="$d/opt/rr/share/man" man -w rrkit-lint 2>/dev/null | grep -q "$d"; then ok; else
		bad "man finds no rrkit-lint under the install"
	fi
	if make -s -C "$root" O="$ob" DESTDIR="$d" PREFIX=/opt/rr uninstall >"$tmp/inst" 2>&1 &&
		[ -z "$(find "$d" -type f)" ]; then ok; else
		bad "make uninstall left: $(find "$d" -type f | head -5)"
	fi
else
	echo "cli: make or strip missing: install not checked"
fi

echo "cli: $pass passed, $failn failed"
[ $failn = 0 ]
