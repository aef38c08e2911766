#!/bin/sh
# Fetch the newest Debian cloud kernel of a series and unpack it, cached.
# usage: tests/vm/fetch-kernel.sh 5.10|6.1|6.12
# Prints the unpacked tree's directory; its file "package" says which
# package and version it is. The cache: $TCPSCOPE_KERNEL_CACHE
# (default /var/cache/tcpscope/kernels).
set -eu
series=$1
cache=${TCPSCOPE_KERNEL_CACHE:-/var/cache/tcpscope/kernels}
mkdir -p "$cache/debs" "$cache/trees"
# downloads land in root-owned directories: apt's _apt user could not write them
apt="-o APT::Sandbox::User=root"
case $series in
5.10)
	pattern='^linux-image-5\.10\.0-[0-9]+-cloud-amd64-unsigned$'
	# Debian 11 through a list and state of its own: the machine's sources stay as they are
	a=$cache/apt-bullseye
	mkdir -p "$a/lists/partial" "$a/cache/archives/partial"
	key=/usr/share/keyrings/debian-archive-keyring.gpg
	cat >"$a/sources.list" <<-SRC
		deb [signed-by=$key] http://deb.debian.org/debian bullseye main
		deb [signed-by=$key] http://deb.debian.org/debian-security bullseye-security main
	SRC
	apt="$apt -o Dir::Etc::sourcelist=$a/sources.list -o Dir::Etc::sourceparts=-
		-o Dir::State::Lists=$a/lists -o Dir::Cache=$a/cache"
	# shellcheck disable=SC2086
	apt-get -qq $apt update >&2 ||
		echo "fetch-kernel: bullseye lists not updated, using those cached" >&2
	;;
6.1) pattern='^linux-image-6\.1\.0-[0-9]+-cloud-amd64-unsigned$' ;;
6.12) pattern='^linux-image-6\.12\.[0-9]+\+deb12-cloud-amd64-unsigned$' ;;
*)
	echo "fetch-kernel: no series '$series' (5.10, 6.1 or 6.12)" >&2
	exit 2
	;;
esac

# every version of every package of the series (one ABI per name), newest first
# shellcheck disable=SC2086
for p in $(apt-cache $apt search --names-only "$pattern" | cut -d' ' -f1); do
	apt-cache $apt madison "$p" | awk -F' *[|] *' '{ print $2, $1 }'
done | sed 's/^ *//' >"$cache/.candidates.$$"
# dpkg orders Debian versions (~, epochs) as apt does
newest_first() {
	left=$(cat)
	while [ -n "$left" ]; do
		top=""
		for v in $(echo "$left" | cut -d' ' -f1); do
			if [ -z "$top" ] || dpkg --compare-versions "$v" gt "$top"; then top=$v; fi
		done
		echo "$left" | awk -v v="$top" '$1 == v'
		left=$(echo "$left" | awk -v v="$top" '$1 != v')
	done
}
candidates=$(newest_first <"$cache/.candidates.$$")
rm -f "$cache/.candidates.$$"
if [ -z "$candidates" ]; then
	echo "fetch-kernel: no package matches $pattern in the lists" >&2
	exit 1
fi

# The newest that the archive serves: a mirror can list a version whose file
# it no longer (or not yet) has. Each one skipped is said.
deb="" newest=""
while read -r ver pkg; do
	newest=${newest:-"$pkg $ver"}
	name=${pkg}_$(echo "$ver" | sed 's/:/%3a/')
	if [ -s "$cache/debs/${name}_amd64.deb" ]; then
		deb=$cache/debs/${name}_amd64.deb
		break
	fi
	tmp=$(mktemp -d "$cache/debs/.get.XXXXXX")
	# shellcheck disable=SC2086
	if (cd "$tmp" && apt-get -qq $apt download "$pkg=$ver" >&2); then
		mv "$tmp"/*.deb "$cache/debs/${name}_amd64.deb"
		rm -rf "$tmp"
		deb=$cache/debs/${name}_amd64.deb
		break
	fi
	rm -rf "$tmp"
	echo "fetch-kernel: $series: cannot download $pkg $ver, trying the next older" >&2
done <<LIST
$candidates
LIST
if [ -z "$deb" ]; then
	echo "fetch-kernel: $series: no package of the series could be downloaded (stale apt lists? apt-get update)" >&2
	exit 1
fi
[ "$newest" = "$pkg $ver" ] || echo "fetch-kernel: $series: NOT the newest listed ($newest): its file is not on the mirror" >&2
echo "fetch-kernel: $series: $pkg $ver" >&2
tree=$cache/trees/$name
if [ ! -e "$tree/package" ]; then
	rm -rf "$tree" "$tree.tmp"
	dpkg-deb -x "$deb" "$tree.tmp"
	echo "$pkg $ver" >"$tree.tmp/package"
	mv "$tree.tmp" "$tree"
fi
# the series' older packages go: the cache holds one of each
for f in "$cache"/debs/*.deb "$cache"/trees/*; do
	n=${f##*/}
	if echo "${n%%_*}" | grep -Eq "$pattern" && [ "$n" != "${name}_amd64.deb" ] && [ "$n" != "$name" ]; then
		rm -rf "$f"
	fi
done
echo "$tree"
