#!/bin/sh
# Install the Debian packages a make target needs, and only the missing ones.
# Usage: tools/deps.sh build|check|fuzz
# Exit 0 when everything is present (or was installed), 2 when packages are
# missing and we are not root (the list is printed so the user can install it).
set -u
build="gcc make pkg-config libc6-dev libyaml-dev libpcre2-dev libxml2-dev"
check="$build libcmocka-dev bird frr openbgpd gobgpd tshark iproute2 graphviz libxml2-utils python3 python3-jsonschema clang libclang-rt-14-dev binutils groff-base mandoc zsh python3-yaml rsync"
fuzz="$build clang libclang-rt-14-dev"
case "${1:-build}" in
build) want=$build ;;
check) want=$check ;;
fuzz) want=$fuzz ;;
*) echo "usage: tools/deps.sh build|check|fuzz" >&2; exit 2 ;;
esac
missing=""
for p in $want; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
	case "$st" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "rrkit: missing Debian packages:$missing" >&2
	echo "rrkit: run as root, or: sudo apt-get install$missing" >&2
	exit 2
fi
echo "rrkit: installing missing Debian packages:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || { echo "rrkit: apt-get update failed" >&2; exit 2; }
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
	{ echo "rrkit: apt-get install failed" >&2; exit 2; }
echo "rrkit: installed:$missing"
