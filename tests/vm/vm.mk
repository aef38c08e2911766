# Other kernels: the real-kernel tests in QEMU on Debian's 5.10, 6.1 and 6.12
# cloud kernels (tests/vm/run.sh), one guest at a time, emulated (no KVM):
# about a quarter of an hour. KERNELS=6.1 picks some; TCPSCOPE_CHECKOUT tests
# another built checkout; packages are cached in TCPSCOPE_KERNEL_CACHE.

# QEMU; the guest's init and module loading (busybox, kmod); the initramfs
# (cpio); unpacking modules (xz, zstd); the keys of Debian 11's archive
VM_PKGS := qemu-system-x86 busybox-static kmod cpio xz-utils zstd debian-archive-keyring
KERNELS ?= 5.10 6.1 6.12

test-kernels: test-deps
	$(Q)./.ci/deps.sh "test on other kernels" $(VM_PKGS)
	$(Q)$(MAKE) --no-print-directory test-bins
	$(Q)tests/vm/run.sh $(KERNELS)

.PHONY: test-kernels
