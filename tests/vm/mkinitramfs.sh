#!/bin/sh
# The guest's root file system, as a cpio archive (cloud kernels have no 9p,
# so everything the tests run is in here): a static busybox for the little
# init needs, this machine's own binaries for what the test scripts call
# (dash as sh, mawk as awk, coreutils, iproute2, nft, tmux, ...) with the
# libraries ldd names, and tcpscope, its test tools and test scripts from a
# built checkout. The kernel modules are another archive (mkmodules.sh),
# appended to this one.
# usage: tests/vm/mkinitramfs.sh CHECKOUT OUT.cpio
set -eu
src=$1 out=$2
vm=$(cd "$(dirname "$0")" && pwd)
for f in tcpscope .output/tests/tools/tcpgen tests/lib.sh; do
	[ -e "$src/$f" ] || { echo "mkinitramfs: $src/$f is missing: build it (make test-bins)" >&2; exit 1; }
done
stage=$(mktemp -d)
trap 'rm -rf "$stage" "$stage.bins"' EXIT

# Debian's merged /usr, as on the host, so the paths ldd prints resolve
mkdir -p "$stage/usr/bin" "$stage/usr/sbin" "$stage/usr/lib" "$stage/usr/lib64" \
	"$stage/proc" "$stage/sys" "$stage/dev" "$stage/tmp" "$stage/run" "$stage/root" \
	"$stage/etc" "$stage/var"
for d in bin sbin lib lib64; do ln -s "usr/$d" "$stage/$d"; done
ln -s ../run "$stage/var/run"
ln -s ../tmp "$stage/var/tmp"

# put FILE [DEST]: FILE's content at DEST (default: FILE's own path, in /usr
# when it is under a merged directory); one process a file, as there are hundreds
put() {
	case ${2:-$1} in
	/bin/* | /sbin/* | /lib/* | /lib64/*) dest=/usr${2:-$1} ;;
	*) dest=${2:-$1} ;;
	esac
	if [ -e "$stage$dest" ]; then return 0; fi
	[ -d "$stage${dest%/*}" ] || mkdir -p "$stage${dest%/*}"
	cp -L "$1" "$stage$dest"
}
# bin FILE [DEST]: an executable (placed as put places it); its shared
# libraries come at the end, for all executables at once (ldd is slow)
bin() {
	put "$1" "${2:-}"
	echo "$1" >>"$stage.bins"
}
# cmd NAME...: the host's commands of these names, found on PATH
cmd() {
	for c; do
		p=$(command -v "$c") || { echo "mkinitramfs: no command $c on this machine" >&2; exit 1; }
		bin "$p"
	done
}

put /bin/busybox
cmd dash mawk grep sed ip tc nft ss nstat ps pgrep pkill sysctl mount umount unshare setsid setpriv \
	kmod tmux diff cmp gzip find xargs
bin /bin/sh
put "$(command -v mawk)" /usr/bin/awk
ln -sf kmod "$stage/usr/bin/modprobe"
ln -sf ../bin/kmod "$stage/usr/sbin/modprobe"
ln -sf kmod "$stage/usr/bin/lsmod"
# all of coreutils: the scripts use many of its commands, and it is small
for b in $(dpkg -L coreutils | grep '^/usr/bin/\|^/bin/'); do
	if [ -f "$b" ]; then bin "$b"; fi
done

# tmux's terminals and a UTF-8 locale, for the screen tests
for t in xterm xterm-256color tmux tmux-256color screen screen-256color vt100 linux dumb; do
	for d in /lib/terminfo /usr/share/terminfo; do
		f=$d/$(echo "$t" | cut -c1)/$t
		# where the guest's ncurses looks, wherever the host keeps it
		if [ -e "$f" ]; then put "$f" "/usr/share/terminfo/${f#"$d"/}" && break; fi
	done
done
mkdir -p "$stage/usr/lib/locale"
cp -r /usr/lib/locale/C.utf8 "$stage/usr/lib/locale/"

cat >"$stage/etc/passwd" <<-PW
	root:x:0:0:root:/root:/bin/sh
	nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
PW
printf 'root:x:0:\nnogroup:x:65534:\n' >"$stage/etc/group"
for f in /etc/protocols /etc/services; do
	if [ -e "$f" ]; then put "$f"; fi
done

# tcpscope, its test tools and scripts, laid out as in the checkout (lib.sh
# finds the binary and tools from its own place)
t=$stage/t
mkdir -p "$t/.output/tests/tools" "$t/tests"
bin "$src/tcpscope" /t/tcpscope
for tool in "$src"/.output/tests/tools/*; do
	if [ -f "$tool" ] && [ -x "$tool" ]; then
		bin "$tool" "/t/.output/tests/tools/$(basename "$tool")"
	fi
done
cp "$src/tests/lib.sh" "$t/tests/"
for d in kernel tui golden; do
	[ -d "$src/tests/$d" ] && cp -r "$src/tests/$d" "$t/tests/"
done

# shellcheck disable=SC2046
ldd $(cat "$stage.bins") 2>/dev/null |
	awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && NF == 2 { print $1 }' | sort -u |
	while read -r lib; do put "$lib"; done
cp "$vm/init" "$stage/init"
chmod 755 "$stage/init"
(cd "$stage" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) >"$out"
