/* SPDX-License-Identifier: GPL-2.0 */
/* The running kernel's BTF, parsed for the plan and the names of its enums. */
#ifndef TCPSCOPE_VMLINUX_BTF_H
#define TCPSCOPE_VMLINUX_BTF_H

struct btf;

/* As btf__load_vmlinux_btf(), a copy fewer where the kernel lets it be mapped; NULL without. */
struct btf *vmlinux_btf_load(void);

#endif
