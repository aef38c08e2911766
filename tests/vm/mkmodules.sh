#!/bin/sh
# The kernel modules the tests need, with what they depend on, as a cpio
# archive to append to the guest's initramfs. Compressed modules (.ko.xz,
# .ko.zst) are unpacked here, so the guest's modprobe needs no decompressor.
# usage: tests/vm/mkmodules.sh KERNEL_TREE OUT.cpio
#   KERNEL_TREE: a Debian linux-image package unpacked (fetch-kernel.sh)
set -eu
tree=$1 out=$2
# veth for the namespace pairs; nf_tables and numgen for the loss rules;
# tcp_diag for ss (without it ss reads /proc/net/tcp, where a listener's
# Send-Q is 0, not its backlog); sch_netem for a path with a known delay
# (rtt.sh: this machine's own kernel has none)
want=${VM_MODULES:-veth nf_tables nft_numgen tcp_diag sch_netem}
kver=$(ls "$tree/lib/modules")
mods=$tree/lib/modules/$kver
# the package has no modules.dep (its postinst makes it)
[ -s "$mods/modules.dep" ] || depmod -b "$tree" "$kver"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
# the wanted modules and everything they need, by following modules.dep
paths=$(awk -v want="$want" '
	function name(p) { sub(/.*\//, "", p); sub(/\.ko(\.[a-z]+)?$/, "", p); gsub(/-/, "_", p); return p }
	{ sub(/:$/, "", $1); path[name($1)] = $1; line[name($1)] = $0 }
	function add(m,    n, i, f) {
		if (m in seen) return
		seen[m] = 1
		if (!(m in path)) { missing = missing " " m; return }
		print path[m]
		n = split(line[m], f, " ")
		for (i = 2; i <= n; i++) add(name(f[i]))
	}
	END {
		n = split(want, w, " ")
		for (i = 1; i <= n; i++) add(w[i])
		if (missing != "") { print "mkmodules: not in this kernel:" missing > "/dev/stderr"; exit 1 }
	}' "$mods/modules.dep")
dst=$stage/lib/modules/$kver
mkdir -p "$dst"
for p in $paths; do
	mkdir -p "$dst/$(dirname "$p")"
	case $p in
	*.ko.xz) xz -dc "$mods/$p" >"$dst/${p%.xz}" ;;
	*.ko.zst) zstd -q -dc "$mods/$p" >"$dst/${p%.zst}" ;;
	*.ko.gz) gzip -dc "$mods/$p" >"$dst/${p%.gz}" ;;
	*) cp "$mods/$p" "$dst/$p" ;;
	esac
done
# modprobe reads modules.builtin to know what needs no loading
cp "$mods"/modules.builtin* "$mods/modules.order" "$dst/" 2>/dev/null || true
depmod -b "$stage" "$kver"
(cd "$stage" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) >"$out"
