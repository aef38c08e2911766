/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names the running kernel gives to numbers: drop reasons (from its BTF,
 * since they differ between versions) and code addresses (/proc/kallsyms).
 */
#ifndef TCPSCOPE_KERNEL_NAMES_H
#define TCPSCOPE_KERNEL_NAMES_H

#include <stddef.h>
#include <stdint.h>

struct btf;

#define DROP_REASON_MAX 512

/* Drops on kernels without drop reasons (before 5.17) carry this one, "NOT_SPECIFIED". */
#define DROP_REASON_UNKNOWN 0

/*
 * names[v] for each value v < max of the kernel's enum type (NULL where it has
 * none), prefix taken off; the count, or -ENOENT without the type.
 */
int kernel_enum_names(const struct btf *vmlinux, const char *type, const char *prefix, char **names,
		      int max);

/* The kernel's reasons for the resets it sends (6.10), as kernel_enum_names gives them. */
#define RST_REASON_MAX 64

/*
 * Fill names[] (NULL where the kernel has none) from enum skb_drop_reason;
 * count or -errno. A kernel without the enum gets DROP_REASON_UNKNOWN alone (count 0).
 */
int drop_reasons_load(const struct btf *vmlinux, char *names[DROP_REASON_MAX]);
void drop_reasons_free(char *names[DROP_REASON_MAX]);
/* Whether a reason is a real drop, not a normal free (consumed, not dropped). */
int drop_reason_is_drop(const char *name);
/* Whether a socket's normal teardown uses the reason too (then only payload counts). */
int drop_reason_is_teardown(const char *name);

struct ksyms;
struct ksyms *ksyms_load(void);
void ksyms_free(struct ksyms *k);
/* "function+0xoff" for addr, into buf; 0, or -ENOENT. */
int ksyms_name(const struct ksyms *k, uint64_t addr, char *buf, size_t n);
/* Where the text symbol name starts and where the next one does; 0, or -ENOENT. */
int ksyms_extent(const struct ksyms *k, const char *name, uint64_t *start, uint64_t *end);

#endif
