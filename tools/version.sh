#!/bin/sh
# The build's version stamp for cli/version.c, on standard output:
# the commit (git, or $RRKIT_COMMIT when building outside a checkout) and
# the build date (SOURCE_DATE_EPOCH when set, for reproducible builds),
# and $DOCDIR, where make install puts the documentation.
cd "$(dirname "$0")/.." || exit 1
commit=${RRKIT_COMMIT:-}
if [ -z "$commit" ]; then
	commit=$(git rev-parse --short=12 HEAD 2>/dev/null) || commit=unknown
	if [ "$commit" != unknown ] && ! git diff --quiet HEAD -- 2>/dev/null; then
		commit="$commit-modified"
	fi
fi
if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
	date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d 2>/dev/null) || date=unknown
else
	date=$(date -u +%Y-%m-%d)
fi
echo "#define RRKIT_COMMIT \"$commit\""
echo "#define RRKIT_BUILD_DATE \"$date\""
# where make install puts the documentation (SARIF's helpUri points there)
echo "#define RRKIT_DOCDIR \"${DOCDIR:-/usr/local/share/doc/rrkit}\""
