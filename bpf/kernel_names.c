// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "kernel_names.h"

int kernel_enum_names(const struct btf *btf, const char *type, const char *prefix, char **names,
		      int max)
{
	const struct btf_type *t;
	const struct btf_enum *e;
	int id, n = 0;

	memset(names, 0, sizeof(char *) * (size_t)max);
	if (!btf)
		return -ENOENT;
	id = btf__find_by_name_kind(btf, type, BTF_KIND_ENUM);
	if (id < 0)
		return -ENOENT;
	t = btf__type_by_id(btf, id);
	e = btf_enum(t);
	for (int i = 0; i < btf_vlen(t); i++, e++) {
		const char *name = btf__name_by_offset(btf, e->name_off);

		if (e->val < 0 || e->val >= max || !name)
			continue;
		if (!strncmp(name, prefix, strlen(prefix)))
			name += strlen(prefix);
		free(names[e->val]);
		names[e->val] = strdup(name);
		n++;
	}
	return n;
}

int drop_reasons_load(const struct btf *btf, char *names[DROP_REASON_MAX])
{
	int n =
	    kernel_enum_names(btf, "skb_drop_reason", "SKB_DROP_REASON_", names, DROP_REASON_MAX);

	if (n == -ENOENT && btf) {
		/* a kernel before drop reasons: its drops are all reason 0, unnamed */
		names[DROP_REASON_UNKNOWN] = strdup("NOT_SPECIFIED");
		return 0;
	}
	return n;
}

void drop_reasons_free(char *names[DROP_REASON_MAX])
{
	for (int i = 0; i < DROP_REASON_MAX; i++) {
		free(names[i]);
		names[i] = NULL;
	}
}

int drop_reason_is_teardown(const char *name)
{
	return !strcmp(name, "QUEUE_PURGE") || !strcmp(name, "SOCKET_CLOSE");
}

int drop_reason_is_drop(const char *name)
{
	/* bookkeeping values, not reasons */
	static const char *const not_drops[] = {"SKB_NOT_DROPPED_YET", "SKB_CONSUMED", "MAX",
						"SUBSYS_MASK", NULL};

	for (int i = 0; not_drops[i]; i++)
		if (!strcmp(name, not_drops[i]))
			return 0;
	return 1;
}

struct ksym {
	uint64_t addr;
	uint32_t name; /* offset into the string pool */
};

struct ksyms {
	struct ksym *syms;
	size_t n;
	char *pool;
	size_t pool_len;
};

static int ksym_cmp(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static void shrink(struct ksyms *k)
{
	struct ksym *s = realloc(k->syms, k->n * sizeof(*s));
	char *p = realloc(k->pool, k->pool_len);

	if (s)
		k->syms = s;
	if (p)
		k->pool = p;
}

/* Only text symbols: drop locations are code addresses. */
struct ksyms *ksyms_load(void)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	struct ksyms *k = calloc(1, sizeof(*k));
	size_t cap = 0, pcap = 0;
	char line[512];

	if (!f || !k) {
		if (f)
			fclose(f);
		free(k);
		return NULL;
	}
	while (fgets(line, sizeof(line), f)) {
		/* "ffffffff81000000 T name [module]": parsed by hand, 150k lines at start */
		char *end, *name;
		unsigned long long addr = strtoull(line, &end, 16);
		size_t len;
		char type;

		if (!addr || *end != ' ' || !end[1] || end[2] != ' ')
			continue;
		type = end[1];
		if (type != 't' && type != 'T')
			continue;
		name = end + 3;
		name[strcspn(name, " \t\n")] = 0;
		len = strlen(name) + 1;
		if (k->n == cap) {
			struct ksym *s;

			cap = cap ? cap * 2 : 65536;
			s = realloc(k->syms, cap * sizeof(*s));
			if (!s)
				break;
			k->syms = s;
		}
		if (k->pool_len + len > pcap) {
			char *p;

			pcap = pcap ? pcap * 2 : 1 << 20;
			p = realloc(k->pool, pcap);
			if (!p)
				break;
			k->pool = p;
		}
		memcpy(k->pool + k->pool_len, name, len);
		k->syms[k->n].addr = addr;
		k->syms[k->n].name = (uint32_t)k->pool_len;
		k->pool_len += len;
		k->n++;
	}
	fclose(f);
	if (!k->n) { /* addresses hidden (kptr_restrict) or no access */
		ksyms_free(k);
		return NULL;
	}
	qsort(k->syms, k->n, sizeof(*k->syms), ksym_cmp);
	/* kept for the whole run: give back the growth's slack and the copies it left */
	shrink(k);
	malloc_trim(0);
	return k;
}

void ksyms_free(struct ksyms *k)
{
	if (!k)
		return;
	free(k->syms);
	free(k->pool);
	free(k);
}

int ksyms_name(const struct ksyms *k, uint64_t addr, char *buf, size_t n)
{
	size_t lo = 0, hi;

	if (!k || !k->n || addr < k->syms[0].addr)
		return -ENOENT;
	hi = k->n;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (k->syms[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	snprintf(buf, n, "%s+0x%llx", k->pool + k->syms[lo].name,
		 (unsigned long long)(addr - k->syms[lo].addr));
	return 0;
}

int ksyms_extent(const struct ksyms *k, const char *name, uint64_t *start, uint64_t *end)
{
	for (size_t i = 0; k && i < k->n; i++) {
		if (strcmp(k->pool + k->syms[i].name, name))
			continue;
		*start = *end = k->syms[i].addr;
		for (size_t j = i + 1; j < k->n && *end == *start; j++)
			*end = k->syms[j].addr;
		return 0;
	}
	return -ENOENT;
}
