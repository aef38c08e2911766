// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include "kernel_hooks.h"

static const char *tracefs(void)
{
	static const char *const roots[] = {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"};

	for (size_t i = 0; i < 2; i++) {
		char path[128];

		snprintf(path, sizeof(path), "%s/events", roots[i]);
		if (!access(path, F_OK))
			return roots[i];
	}
	return NULL;
}

static bool btf_has(const struct btf *btf, const char *name, int kind)
{
	return btf && btf__find_by_name_kind(btf, name, kind) > 0;
}

/* The kernel's text symbols, one a line, for kprobe targets: read once. */
static void read_ksyms(struct kernel_probe *kp)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[256], type, name[200];
	size_t cap = 0;

	kp->ksyms_len = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		size_t len;

		if (sscanf(line, "%*s %c %199s", &type, name) != 2 || (type != 't' && type != 'T'))
			continue;
		len = strlen(name);
		if (kp->ksyms_len + len + 3 > cap) {
			char *more = realloc(kp->ksyms, cap = cap ? cap * 2 : 1 << 20);

			if (!more)
				break;
			kp->ksyms = more;
		}
		if (!kp->ksyms_len)
			kp->ksyms[kp->ksyms_len++] = '\n';
		memcpy(kp->ksyms + kp->ksyms_len, name, len);
		kp->ksyms_len += len;
		kp->ksyms[kp->ksyms_len++] = '\n';
		kp->ksyms[kp->ksyms_len] = 0;
	}
	fclose(f);
}

static bool has_kprobe(struct kernel_probe *kp, const char *fn, char *why, size_t n)
{
	char key[160];

	if (kp->kprobes < 0) {
		/* libbpf attaches through the kprobe PMU, or tracefs' kprobe_events on old kernels
		 */
		const char *root = tracefs();
		char path[160] = "";

		if (root)
			snprintf(path, sizeof(path), "%s/kprobe_events", root);
		kp->kprobes = !access("/sys/bus/event_source/devices/kprobe/type", F_OK) ||
			      (path[0] && !access(path, F_OK));
		if (kp->kprobes)
			read_ksyms(kp);
	}
	if (!kp->kprobes) {
		snprintf(why, n, "%s", "this kernel has no kprobes (CONFIG_KPROBES)");
		return false;
	}
	snprintf(key, sizeof(key), "\n%s\n", fn);
	return kp->ksyms && strstr(kp->ksyms, key);
}

static bool has(void *ctx, enum hook_kind kind, const char *name, char *why, size_t n)
{
	struct kernel_probe *kp = ctx;
	const char *slash = strchr(name, '/');
	char path[256];
	const char *root;

	switch (kind) {
	case HOOK_BTF_TP:
		snprintf(path, sizeof(path), "btf_trace_%s", slash ? slash + 1 : name);
		return btf_has(kp->btf, path, BTF_KIND_TYPEDEF);
	case HOOK_CLASSIC_TP:
		root = tracefs();
		if (!root) {
			snprintf(why, n, "%s", "tracefs is not mounted");
			return false;
		}
		snprintf(path, sizeof(path), "%s/events/%s/id", root, name);
		return !access(path, F_OK);
	case HOOK_FUNC:
		return btf_has(kp->btf, name, BTF_KIND_FUNC);
	case HOOK_KPROBE:
		return has_kprobe(kp, name, why, n);
	case HOOK_ENUM:
		return btf_has(kp->btf, name, BTF_KIND_ENUM) ||
		       btf_has(kp->btf, name, BTF_KIND_ENUM64);
	}
	return false;
}

struct kernel_hooks kernel_probe_init(struct kernel_probe *kp, const struct btf *vmlinux)
{
	memset(kp, 0, sizeof(*kp));
	kp->btf = vmlinux;
	kp->kprobes = -1;
	return (struct kernel_hooks){.has = has, .ctx = kp};
}

void kernel_probe_free(struct kernel_probe *kp)
{
	free(kp->ksyms);
	kp->ksyms = NULL;
}
