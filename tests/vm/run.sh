#!/bin/sh
# The real-kernel tests on other kernels: each of Debian's cloud kernels
# (fetch-kernel.sh) boots in QEMU, emulated (no KVM needed), one at a time,
# with an initramfs of this machine's tools and a built checkout's tcpscope,
# test tools and scripts (mkinitramfs.sh, mkmodules.sh); its init (init) runs
# the test scripts. Prints their TAP as it comes, each kernel's time and
# "N passed, N failed", and last the sum. A kernel that cannot be fetched or
# booted is a failure.
# usage: tests/vm/run.sh [SERIES...]   (default: 5.10 6.1 6.12)
#   TCPSCOPE_CHECKOUT      the built checkout to test (default: this one)
#   TCPSCOPE_KERNEL_CACHE  packages and logs (default /var/cache/tcpscope/kernels);
#                          each kernel's logs in logs/CHECKOUT/SERIES: tap.log,
#                          console.log (the kernel's), verbose.log (tcpscope -v)
#   VM_TESTS    scripts under tests/, without .sh, comma-separated (then no
#               kernel's own extras, below)
#   VM_TIMEOUT  seconds a script may take in the guest
#   VM_SCALE    how many times longer the scripts' bounded waits are
set -u
vm=$(cd "$(dirname "$0")" && pwd)
checkout=$(cd "${TCPSCOPE_CHECKOUT:-$vm/../..}" && pwd)
cache=${TCPSCOPE_KERNEL_CACHE:-/var/cache/tcpscope/kernels}
series=${*:-5.10 6.1 6.12}
tests=${VM_TESTS:-kernel/lifespans,kernel/states,kernel/throughput,kernel/events,kernel/before,kernel/refused,kernel/owners,kernel/hooks,kernel/churn,kernel/lifegroups,kernel/resets,kernel/listeners,tui/screen}
timeout=${VM_TIMEOUT:-150}
scale=${VM_SCALE:-1}
# the boot and the tcpscope -v run before the tests, and a margin
boot=${VM_BOOT_TIMEOUT:-180}

# each checkout its own logs: two matrices at once must not write each other's
logs=$cache/logs/$(basename "$checkout")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0 failures="" t0=$(date +%s)
echo "# checkout $checkout; tests $tests (and each kernel's extras); $timeout s each, waits x$scale"
if ! "$vm/mkinitramfs.sh" "$checkout" "$work/root.cpio"; then
	echo "not ok - the guests' root file system"
	echo "0 passed, 1 failed"
	exit 1
fi
# Scripts run on one kernel only, where its hooks differ most from this
# machine's, so the matrix stays within about a quarter of an hour: 5.10's
# congestion states come through fexit, and its page's values from
# tcp_probe's oldest record; netem (which this machine's kernel lacks)
# gives rtt.sh a path of known delay on 5.10 and 6.1.
extra_tests() {
	[ -n "${VM_TESTS:-}" ] && return
	case $1 in
	5.10) echo ",kernel/rtt,kernel/congestion,tui/page_ss" ;;
	6.1) echo ",kernel/rtt" ;;
	esac
}

for s in $series; do
	echo "== kernel $s"
	log=$logs/$s
	rm -rf "$log"
	mkdir -p "$log"
	if ! tree=$("$vm/fetch-kernel.sh" "$s") || ! "$vm/mkmodules.sh" "$tree" "$work/modules.cpio"; then
		echo "not ok - kernel $s: fetched and unpacked"
		echo "$s: 0 passed, 1 failed"
		failed=$((failed + 1)) failures="$failures $s"
		continue
	fi
	echo "# kernel $s: $(cat "$tree/package")"
	cat "$work/root.cpio" "$work/modules.cpio" >"$work/initrd"
	start=$(date +%s)
	# ttyS0 the kernel's console, ttyS1 the TAP (here, live), ttyS2 tcpscope -v;
	# no network device: the tests use loopback and namespaces inside
	kt=$tests$(extra_tests "$s")
	ntests=$(echo "$kt" | tr , '\n' | grep -c .)
	hard=$((boot + ntests * (timeout + 15)))
	{
		timeout -k 10 $hard qemu-system-x86_64 -nodefaults -no-user-config -display none -monitor none \
			-cpu max -smp 2 -m 2048 -no-reboot -nic none \
			-kernel "$tree"/boot/vmlinuz-* -initrd "$work/initrd" \
			-append "console=ttyS0 panic=-1 vm_tests=$kt vm_timeout=$timeout vm_scale=$scale vm_ci=${CI:-}" \
			-serial "file:$log/console.log" -serial stdio -serial "file:$log/verbose.log" \
			</dev/null 2>"$log/qemu.err"
		echo $? >"$work/qemu.rc"
	} | sed -u 's/\r$//' | tee "$log/tap.log"
	wall=$(($(date +%s) - start))
	[ "$(cat "$work/qemu.rc")" = 124 ] && echo "# QEMU ran out of its $hard s and was stopped"
	# what the guest's lines do not say: a script that crashed or ran out of
	# time without a failing case, a guest that stopped midway or never booted
	res=$(awk -v s="$s" -v wall="$wall" '
		function out(msg) { print msg > "/dev/stderr" }
		/^# guest: / { booted = 1; sub(/ s of uptime/, ""); boot = $NF }
		/^# tcpscope -b -v / { diag += $(NF - 1) / 1000 }
		/^== done/ { done = 1; next }
		/^== .*: exit [0-9]+, [0-9]+ ms$/ {
			rc = $(NF - 2); sub(/,/, "", rc)
			times = times sprintf(" %s %.0f s,", cur, $(NF - 1) / 1000)
			if (rc != 0 && !nf) {
				f++
				out("not ok - " cur " exited with status " rc (rc == 124 ? " (out of time)" : ""))
			}
			if (rc != 0 || nf)
				bad = bad " " cur
			cur = ""
			next
		}
		/^== / { cur = substr($0, 4); nf = 0; next }
		/^ok / { p++ }
		/^not ok / { f++; nf++ }
		END {
			if (!booted) {
				f++
				out("not ok - kernel " s " booted (see its console.log)")
			} else if (cur != "") {
				f++
				bad = bad " " cur
				out("not ok - " cur " finished (the guest stopped during it)")
			} else if (!done) {
				f++
				out("not ok - the guest powered off after the tests")
			}
			out(sprintf("# %s: boot %.1f s to init, tcpscope -v %.1f s,%s QEMU %d s in all",
				s, boot, diag, times, wall))
			if (bad != "")
				out("# " s ": failed in:" bad)
			print p + 0, f + 0
		}' "$log/tap.log" 2>"$work/res")
	cat "$work/res"
	[ -s "$log/verbose.log" ] && "$vm/rejected.sh" "$log/verbose.log"
	# the kernel's complaints, and why a guest did not come up
	grep -m5 -E 'Kernel panic|BUG:|Oops|WARNING:' "$log/console.log" | sed 's/^/# console: /'
	if ! grep -q '^# guest: ' "$log/tap.log"; then
		sed 's/^/# qemu: /' "$log/qemu.err"
		tail -n 5 "$log/console.log" | sed 's/^/# console: /'
	fi
	echo "$s: ${res% *} passed, ${res#* } failed"
	passed=$((passed + ${res% *})) failed=$((failed + ${res#* }))
	[ "${res#* }" != 0 ] && failures="$failures $s"
done
echo "# the matrix took $(($(date +%s) - t0)) s; logs in $logs"
[ -n "$failures" ] && echo "failed on:$failures"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
