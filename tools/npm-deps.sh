#!/bin/sh
# Install the npm packages the tests need into BUILD_DIR/npm (never
# globally), and only when they are missing:
#   ajv-cli + ajv + ajv-formats  validate rrkit's SARIF output against the
#                                SARIF 2.1.0 JSON schema (tests/schemas/)
#   @microsoft/sarif-multitool   (with "multitool") Microsoft's SARIF
#                                validator with GitHub's ingestion rules,
#                                into BUILD_DIR/npm-multitool
#   @action-validator/cli,       (with "ci") the GitHub workflow schema
#   gitlab-ci-local              check, and GitLab's CI schema check and
#                                shell runner (tests/suites/ci-templates.sh),
#                                into BUILD_DIR/npm-ci
# Usage: tools/npm-deps.sh [BUILD_DIR] [multitool|ci]   (default: build)
# Exit 0 when everything is present (or was installed); 1 when npm or the
# registry is unavailable (the reason is printed; the suites that need
# these packages then skip).  Versions are pinned so runs are repeatable.
set -u
O=${1:-build}
prefix="$O/npm"
pkgs="ajv-cli@5.0.0 ajv@8.17.1 ajv-formats@3.0.1"
bin=ajv
if [ "${2:-}" = multitool ]; then
	prefix="$O/npm-multitool"
	pkgs="@microsoft/sarif-multitool@5.7.0 @microsoft/sarif-multitool-linux@5.7.0"
	bin=sarif-multitool
elif [ "${2:-}" = ci ]; then
	prefix="$O/npm-ci"
	# gitlab-ci-local 4.56 runs on the Node.js of Debian 12 and 13 (later
	# releases need Node 22)
	pkgs="@action-validator/cli@0.6.0 gitlab-ci-local@4.56.2"
	bin=gitlab-ci-local
fi

# "$prefix/.pinned" names the packages of the last install that finished:
# an install interrupted half way (a package.json written, a native
# module such as gitlab-ci-local's re2 not yet built) is not "present"
present() {
	[ "$(cat "$prefix/.pinned" 2>/dev/null)" = "$pkgs" ] || return 1
	for p in $pkgs; do
		name=${p%@*} want=${p##*@}
		f="$prefix/node_modules/$name/package.json"
		[ -f "$f" ] || return 1
		got=$(grep -o '"version": *"[^"]*"' "$f" | head -1 | sed 's/.*"\([^"]*\)"$/\1/')
		[ "$got" = "$want" ] || return 1
	done
	[ -x "$prefix/node_modules/.bin/$bin" ]
}

present && exit 0
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
	echo "npm-deps: npm/node not installed (Debian: nodejs npm)" >&2
	exit 1
fi
mkdir -p "$prefix" || exit 1
# One install per prefix at a time (make check starts them early in the
# background; a suite asking meanwhile waits for it, then finds it present)
exec 9>"$prefix.lock"
flock 9
present && exit 0
failed="$prefix.failed"
if [ -n "$(find "$failed" -mmin -30 2>/dev/null)" ]; then
	echo "npm-deps: the install into $prefix failed $(cat "$failed") (retried after 30 minutes; remove $failed to retry now)" >&2
	exit 1
fi
# An unreachable registry is found out once per build directory (for half
# an hour), in at most 20 s, not once per suite after a long install try.
mark="$O/npm-unreachable"
if [ -n "$(find "$mark" -mmin -30 2>/dev/null)" ]; then
	echo "npm-deps: the npm registry was unreachable $(cat "$mark") (retried after 30 minutes; remove $mark to retry now)" >&2
	exit 1
fi
if ! timeout 20 npm ping --no-update-notifier >/dev/null 2>&1; then
	date '+at %H:%M' >"$mark"
	echo "npm-deps: the npm registry is unreachable (npm ping)" >&2
	exit 1
fi
echo "npm-deps: installing into $prefix: $pkgs"
rm -f "$prefix/.pinned"
# Bounded: a registry that answers but stalls fails after ten minutes
# (gitlab-ci-local's re2 compiles from source when no prebuilt binary can
# be fetched: minutes on a loaded machine).
# shellcheck disable=SC2086
if ! timeout 600 npm install --prefix "$prefix" --no-audit --no-fund \
	--no-update-notifier --loglevel=error --fetch-retries=1 \
	--fetch-timeout=30000 --save-exact $pkgs >"$prefix/install.log" 2>&1; then
	date '+at %H:%M' >"$failed"
	echo "npm-deps: npm install failed (offline or registry unavailable?):" >&2
	tail -5 "$prefix/install.log" >&2
	exit 1
fi
echo "$pkgs" >"$prefix/.pinned"
present || { echo "npm-deps: installed packages are not the pinned versions" >&2; exit 1; }
echo "npm-deps: installed: $pkgs"
