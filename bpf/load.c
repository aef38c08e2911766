// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "load.h"
#include "kernel_names.h"
#include "tcpscope.skel.h"

static char failed_prog[64];
static bool verbose_libbpf;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[1024];
	const char *p;
	va_list copy;

	va_copy(copy, ap);
	vsnprintf(line, sizeof(line), fmt, copy);
	va_end(copy);
	p = strstr(line, "prog '");
	if (p && (strstr(line, "failed") || strstr(line, "error"))) {
		size_t len = strcspn(p + 6, "'");

		if (len < sizeof(failed_prog)) {
			memcpy(failed_prog, p + 6, len);
			failed_prog[len] = 0;
		}
	}
	if (verbose_libbpf && level != LIBBPF_DEBUG)
		vfprintf(stderr, fmt, ap);
	return 0;
}

static enum job job_of_prog(const struct plan *p, const char *prog)
{
	for (int j = 0; j < JOB_MAX; j++) {
		const char *const *names = plan_programs((enum job)j, p->tier[j]);

		for (int i = 0; names && names[i]; i++)
			if (!strcmp(names[i], prog))
				return (enum job)j;
	}
	return JOB_MAX;
}

/* Settings the kernel programs read as constants. */
static void configure(const struct live_opts *o, const struct btf *btf, struct tcpscope_bpf *s,
		      char *reasons[DROP_REASON_MAX])
{
	const struct btf_type *t;
	uint32_t bits;
	int id;

	s->rodata->cfg_pid = o->pid;
	s->rodata->cfg_family = o->family;
	s->rodata->cfg_all_states = o->all_states;
	s->rodata->cfg_lport_filter = o->lport_filter;
	s->rodata->cfg_rport_filter = o->rport_filter;
	memcpy((void *)s->rodata->cfg_lports, o->lports, sizeof(o->lports));
	memcpy((void *)s->rodata->cfg_rports, o->rports, sizeof(o->rports));
	s->rodata->cfg_nr_accept = SYS_accept;
	s->rodata->cfg_nr_accept4 = SYS_accept4;
	/* tracepoint arguments added in later kernels: count the prototype's parameters */
	id = btf__find_by_name_kind(btf, "btf_trace_tcp_retransmit_skb", BTF_KIND_TYPEDEF);
	if (id > 0 && (t = btf__type_by_id(btf, btf__type_by_id(btf, id)->type)) && btf_is_ptr(t) &&
	    (t = btf__type_by_id(btf, t->type)) && btf_is_func_proto(t))
		s->rodata->cfg_retrans_has_err = btf_vlen(t) >= 4;
	id = btf__find_by_name_kind(btf, "btf_trace_kfree_skb", BTF_KIND_TYPEDEF);
	if (id > 0 && (t = btf__type_by_id(btf, btf__type_by_id(btf, id)->type)) && btf_is_ptr(t) &&
	    (t = btf__type_by_id(btf, t->type)) && btf_is_func_proto(t))
		s->rodata->cfg_drop_has_rx_sk = btf_vlen(t) >= 5;
	for (int r = 0; r < DROP_REASON_MAX; r++) {
		if (reasons[r] && drop_reason_is_drop(reasons[r]))
			((uint8_t *)s->rodata->cfg_drop_reasons)[r >> 3] |= (uint8_t)(1 << (r & 7));
		if (reasons[r] && drop_reason_is_teardown(reasons[r]))
			((uint8_t *)s->rodata->cfg_drop_teardown)[r >> 3] |=
			    (uint8_t)(1 << (r & 7));
	}
	bpf_map__set_max_entries(s->maps.events, (uint32_t)o->ringbuf_bytes);
	/*
	 * A quarter of the sockets (a power of two) get the direct-mapped
	 * slots, the rest the hash map: --max-sockets stays the most tracked.
	 */
	bits = 8;
	while ((2ul << bits) <= o->max_sockets / 4)
		bits++;
	s->rodata->cfg_slot_bits = bits;
	bpf_map__set_max_entries(s->maps.slots, 1u << bits);
	bpf_map__set_max_entries(s->maps.socks, (uint32_t)(o->max_sockets - (1ul << bits)));
}

static void set_autoload(const struct plan *p, struct tcpscope_bpf *s)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, s->obj)
	{
		enum job j = job_of_prog(p, bpf_program__name(prog));

		bpf_program__set_autoload(prog, j != JOB_MAX);
	}
	bpf_program__set_autoattach(s->progs.existing, false); /* run once, by list_existing() */
}

static int attach_job(const struct plan *p, struct tcpscope_bpf *skel, enum job j, char *why,
		      size_t n)
{
	const char *const *names = plan_programs(j, p->tier[j]);

	if (j == JOB_ITER)
		return 0; /* run once at start, not attached */
	for (int i = 0; names && names[i]; i++) {
		struct bpf_program *prog = bpf_object__find_program_by_name(skel->obj, names[i]);
		struct bpf_link *link = prog ? bpf_program__attach(prog) : NULL;

		if (!link) {
			snprintf(why, n, "failed to attach %s: %s", names[i], strerror(errno));
			return -errno;
		}
		bpf_link__destroy(link); /* only probing which job fails */
	}
	return 0;
}

static const char *privilege_hint(int err)
{
	if (err != -EPERM && err != -EACCES)
		return "";
	return " (tcpscope needs root, or CAP_BPF and CAP_PERFMON: run it with sudo, or "
	       "grant them: sudo setcap cap_bpf,cap_perfmon,cap_sys_resource+ep tcpscope)";
}

struct tcpscope_bpf *load_programs(struct plan *p, const struct live_opts *o, const struct btf *btf,
				   char *err, size_t errlen)
{
	struct tcpscope_bpf *skel = NULL;
	char *reasons[DROP_REASON_MAX];
	int rc = 0;

	drop_reasons_load(btf, reasons);
	for (int attempt = 0; attempt < JOB_MAX * 4; attempt++) {
		struct tcpscope_bpf *s = tcpscope_bpf__open();
		int j;

		if (!s) {
			rc = -errno;
			snprintf(err, errlen, "cannot open the BPF programs: %s", strerror(errno));
			break;
		}
		configure(o, btf, s, reasons);
		skel = s;
		set_autoload(p, s);
		failed_prog[0] = 0;
		rc = tcpscope_bpf__load(s);
		if (rc) {
			j = failed_prog[0] ? job_of_prog(p, failed_prog) : JOB_MAX;
			/* the verifier says EACCES too: only a named program means "this hook" */
			if (j == JOB_MAX) {
				snprintf(err, errlen, "cannot load the BPF programs: %s%s",
					 strerror(-rc), privilege_hint(rc));
				tcpscope_bpf__destroy(s);
				skel = NULL;
				break;
			}
			char why[96];

			snprintf(why, sizeof(why), "failed to load: %s", strerror(-rc));
			plan_fall_back(p, (enum job)j, why);
			tcpscope_bpf__destroy(s);
			skel = NULL;
			continue;
		}
		rc = tcpscope_bpf__attach(s);
		if (rc) {
			/* find the job that failed to attach, drop back, try again */
			int failed = JOB_MAX;
			char why[160];

			tcpscope_bpf__detach(s);
			for (j = 0; j < JOB_MAX && failed == JOB_MAX; j++)
				if (p->tier[j] && attach_job(p, s, (enum job)j, why, sizeof(why)))
					failed = j;
			tcpscope_bpf__destroy(s);
			skel = NULL;
			if (failed == JOB_MAX) {
				snprintf(err, errlen, "cannot attach the BPF programs: %s%s",
					 strerror(-rc), privilege_hint(rc));
				break;
			}
			plan_fall_back(p, (enum job)failed, why);
			continue;
		}
		rc = 0;
		break;
	}
	drop_reasons_free(reasons);
	if (!skel && !err[0])
		snprintf(err, errlen, "cannot load the BPF programs: %s",
			 strerror(rc ? -rc : EINVAL));
	return skel;
}

void load_quiet_unless(bool verbose)
{
	verbose_libbpf = verbose;
	libbpf_set_print(libbpf_print);
}
