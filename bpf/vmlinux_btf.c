// SPDX-License-Identifier: GPL-2.0
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/btf.h>
#include "vmlinux_btf.h"

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"

/*
 * Kernels since 6.16 let the file be mapped read-only: libbpf 1.1 reads it
 * into a buffer and copies that again, and on a host where first touching
 * memory is slow the copy it saves is most of the parse. NULL where it
 * cannot be mapped.
 */
static struct btf *mapped(void)
{
	int fd = open(VMLINUX_BTF, O_RDONLY | O_CLOEXEC);
	struct btf *btf = NULL;
	struct stat st;
	void *data;

	if (fd < 0)
		return NULL;
	if (!fstat(fd, &st) && st.st_size > 0) {
		data = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (data != MAP_FAILED) {
			btf = btf__new(data, (__u32)st.st_size); /* a copy: the mapping can go */
			munmap(data, (size_t)st.st_size);
		}
	}
	close(fd);
	return btf;
}

struct btf *vmlinux_btf_load(void)
{
	struct btf *btf = mapped();

	return btf ? btf : btf__load_vmlinux_btf();
}
