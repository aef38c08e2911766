#!/bin/sh
# Install the Debian packages tcpscope needs, if any are missing.
# usage: deps.sh WHAT PKG...   (WHAT names the purpose in messages)
set -eu
what=$1
shift
missing=""
for p in "$@"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1 || [ ! -r /etc/debian_version ]; then
	echo "tcpscope: to $what, install these packages (Debian names):$missing" >&2
	exit 1
fi
if [ "$(id -u)" != 0 ]; then
	echo "tcpscope: to $what, these packages are missing:$missing" >&2
	echo "tcpscope: run as root, or: sudo apt-get install$missing" >&2
	exit 1
fi
echo "tcpscope: installing for $what:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >&2
