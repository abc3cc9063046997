#!/bin/sh
# Layering check (README "Layout"): model <- {parsers, resolve, analyze, validate,
# emitters, bgp <- bgpsim} <- cli.  model, resolve, analyze, validate, bgp and
# bgpsim use libc only; bgpsim may include bgp/ and analyze/ (its verdict's
# causes), validate may include resolve/ and analyze/; libyaml only in
# parsers/ and emitters/; pcre2 only in parsers/; libxml2 only in cli/
# (reports).
fail=0
bad() { echo "check-deps: $*" >&2; fail=1; }
inc() { grep -Hn '#include' $1 2>/dev/null | grep -E "$2"; }
for m in model parsers resolve analyze validate emitters bgp bgpsim; do
	for other in parsers resolve analyze validate emitters bgp bgpsim rollout cli; do
		[ "$other" = analyze ] && { [ "$m" = validate ] || [ "$m" = bgpsim ]; } && continue
		[ "$m" = "$other" ] && continue
		[ "$m/$other" = bgpsim/bgp ] && continue
		[ "$m/$other" = validate/resolve ] && continue
		hits=$(inc "$m/*.[ch]" "\"$other/")
		[ -n "$hits" ] && bad "$m must not include $other/: $hits"
	done
done
# rollout (rrkit rollout's engine) may include model/, bgp/ and bgpsim/
for other in parsers resolve analyze validate emitters cli; do
	hits=$(inc "rollout/*.[ch]" "\"$other/")
	[ -n "$hits" ] && bad "rollout must not include $other/: $hits"
done
for m in model resolve analyze validate bgp bgpsim rollout; do
	hits=$(inc "$m/*.[ch]" '<(yaml|pcre2|libxml)')
	[ -n "$hits" ] && bad "$m must use libc only: $hits"
done
hits=$(inc "model/*.[ch] analyze/*.[ch] validate/*.[ch] bgp/*.[ch] bgpsim/*.[ch] cli/*.[ch]" '<yaml')
[ -n "$hits" ] && bad "libyaml only in parsers/ and emitters/: $hits"
hits=$(inc "model/*.[ch] analyze/*.[ch] validate/*.[ch] bgp/*.[ch] bgpsim/*.[ch] emitters/*.[ch] cli/*.[ch]" 'pcre2')
[ -n "$hits" ] && bad "pcre2 only in parsers/: $hits"
hits=$(grep -Hn '#include "cli/' */*.[ch] 2>/dev/null | grep -v '^cli/')
[ -n "$hits" ] && bad "nothing includes cli/: $hits"
[ $fail = 0 ] && echo "check-deps: layering ok"
exit $fail
