/* SPDX-License-Identifier: GPL-2.0 */
/* What the running kernel offers to hook: asked of its BTF, tracefs and kallsyms. */
#ifndef TCPSCOPE_KERNEL_HOOKS_H
#define TCPSCOPE_KERNEL_HOOKS_H

#include "plan.h"

struct btf;

struct kernel_probe {
	const struct btf *btf;
	int kprobes; /* -1: not looked yet, then 0 or 1 */
	char *ksyms; /* "\nname\nname\n...": the text symbols, read once if kprobes are asked */
	size_t ksyms_len;
};

/* A kernel_hooks that asks the running kernel; kernel_probe_free() after use. */
struct kernel_hooks kernel_probe_init(struct kernel_probe *kp, const struct btf *vmlinux);
void kernel_probe_free(struct kernel_probe *kp);

#endif
