// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "load.h"
#include "kernel_names.h"
#include "tcpscope.skel.h"
#include "tcpscope_na.skel.h"

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
		const char *const *names = plan_programs(p, (enum job)j);

		for (int i = 0; names && names[i]; i++)
			if (!strcmp(names[i], prog))
				return (enum job)j;
	}
	return JOB_MAX;
}

/*
 * The parameters of a tracepoint's prototype (btf_trace_NAME: its first is
 * the context) or of a function (FUNC NAME); -1 when BTF lacks it.
 */
static int proto_params(const struct btf *btf, const char *name, bool tracepoint)
{
	char full[128];
	const struct btf_type *t;
	int id;

	snprintf(full, sizeof(full), "%s%s", tracepoint ? "btf_trace_" : "", name);
	id = btf__find_by_name_kind(btf, full, tracepoint ? BTF_KIND_TYPEDEF : BTF_KIND_FUNC);
	if (id <= 0 || !(t = btf__type_by_id(btf, btf__type_by_id(btf, id)->type)))
		return -1;
	if (tracepoint && (!btf_is_ptr(t) || !(t = btf__type_by_id(btf, t->type))))
		return -1;
	return btf_is_func_proto(t) ? btf_vlen(t) : -1;
}

/*
 * Whether the verifier takes compare-and-swap (BPF atomics, 5.12): the
 * socket table's slots are claimed with it. A kernel without gets the hash
 * map alone; the code that uses the slots is never reached there, and the
 * verifier skips what it cannot reach.
 */
static bool bpf_has_cmpxchg(void)
{
	static int known = -1;

	const struct bpf_insn insns[] = {
	    {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
	    {.code = BPF_STX | BPF_MEM | BPF_DW,
	     .dst_reg = BPF_REG_10,
	     .src_reg = BPF_REG_0,
	     .off = -8},
	    {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_1, .imm = 1},
	    {.code = BPF_STX | BPF_ATOMIC | BPF_DW,
	     .dst_reg = BPF_REG_10,
	     .src_reg = BPF_REG_1,
	     .off = -8,
	     .imm = BPF_CMPXCHG},
	    {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
	    {.code = BPF_JMP | BPF_EXIT},
	};
	int fd;

	if (known >= 0)
		return known;
	fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, NULL, "GPL", insns,
			   sizeof(insns) / sizeof(insns[0]), NULL);
	if (fd >= 0)
		close(fd);
	known = fd >= 0;
	return known;
}

/* tcp_drop's caller, for the fentry program: kernel text outside tcp_drop. */
static void configure_tcp_drop(struct tcpscope_bpf *s)
{
	struct ksyms *k = ksyms_load();
	uint64_t start, end;

	if (!ksyms_extent(k, "_stext", &start, &end))
		s->rodata->cfg_text_start = start;
	if (!ksyms_extent(k, "_etext", &start, &end))
		s->rodata->cfg_text_end = start;
	if (!ksyms_extent(k, "tcp_drop", &start, &end)) {
		s->rodata->cfg_tcp_drop_start = start;
		s->rodata->cfg_tcp_drop_end = end;
	}
	ksyms_free(k);
}

/* Settings the kernel programs read as constants. */
static void configure(const struct plan *p, const struct live_opts *o, const struct btf *btf,
		      struct tcpscope_bpf *s, char *reasons[DROP_REASON_MAX])
{
	uint32_t bits;

	s->rodata->cfg_pid = o->pid;
	s->rodata->cfg_family = o->family;
	s->rodata->cfg_all_states = o->all_states;
	s->rodata->cfg_lport_filter = o->lport_filter;
	s->rodata->cfg_rport_filter = o->rport_filter;
	memcpy((void *)s->rodata->cfg_lports, o->lports, sizeof(o->lports));
	memcpy((void *)s->rodata->cfg_rports, o->rports, sizeof(o->rports));
	s->rodata->cfg_listeners = p->want[JOB_LISTEN];
	s->rodata->cfg_cgroup = o->cgroups;
	bpf_map__set_max_entries(s->maps.listen_socks, (uint32_t)o->max_listeners);
	bpf_map__set_max_entries(s->maps.listen_addrs, (uint32_t)o->max_listeners);
	s->rodata->cfg_nr_accept = SYS_accept;
	s->rodata->cfg_nr_accept4 = SYS_accept4;
	/* arguments that came and went between kernels: count the prototype's parameters */
	s->rodata->cfg_retrans_has_err = proto_params(btf, "tcp_retransmit_skb", true) >= 4;
	s->rodata->cfg_drop_has_reason = proto_params(btf, "kfree_skb", true) >= 4;
	s->rodata->cfg_drop_has_rx_sk = proto_params(btf, "kfree_skb", true) >= 5;
	s->rodata->cfg_recv_has_nonblock = proto_params(btf, "tcp_recvmsg", false) == 6;
	s->rodata->cfg_rst_has_reason = proto_params(btf, "tcp_send_reset", true) >= 4;
	s->rodata->cfg_rtt_scopes = o->rtt_scopes;
	s->rodata->cfg_rtt_div = o->rtt_div ? o->rtt_div : 1;
	memcpy((void *)&s->rodata->cfg_laddr, &o->laddr, sizeof(o->laddr));
	memcpy((void *)&s->rodata->cfg_raddr, &o->raddr, sizeof(o->raddr));
	bpf_map__set_max_entries(s->maps.rtt_hist0, (uint32_t)o->max_rtt_keys);
	bpf_map__set_max_entries(s->maps.rtt_hist1, (uint32_t)o->max_rtt_keys);
	for (int r = 0; r < DROP_REASON_MAX; r++) {
		if (reasons[r] && drop_reason_is_drop(reasons[r]))
			((uint8_t *)s->rodata->cfg_drop_reasons)[r >> 3] |= (uint8_t)(1 << (r & 7));
		if (reasons[r] && drop_reason_is_teardown(reasons[r]))
			((uint8_t *)s->rodata->cfg_drop_teardown)[r >> 3] |=
			    (uint8_t)(1 << (r & 7));
	}
	/*
	 * Without reasons, a free at a socket's teardown (its queued FIN, at
	 * sk_stream_kill_queues) looks like any drop: count only those that
	 * throw payload away, as for the teardown reasons of later kernels.
	 */
	if (!s->rodata->cfg_drop_has_reason)
		((uint8_t *)s->rodata->cfg_drop_teardown)[DROP_REASON_UNKNOWN >> 3] |=
		    (uint8_t)(1 << (DROP_REASON_UNKNOWN & 7));
	if (p->tier[JOB_TCPDROP] == TIER_FENTRY)
		configure_tcp_drop(s);
	bpf_map__set_max_entries(s->maps.events, (uint32_t)o->ringbuf_bytes);
	s->rodata->cfg_wake_bytes = o->ringbuf_bytes / 4;
	if (o->exclude_self)
		memcpy((void *)&s->rodata->cfg_self, &o->self_conn, sizeof(o->self_conn));
	/*
	 * A quarter of the sockets (a power of two) get the direct-mapped
	 * slots, the rest the hash map: --max-sockets stays the most tracked.
	 */
	bits = 8;
	while ((2ul << bits) <= o->max_sockets / 4)
		bits++;
	if (!bpf_has_cmpxchg())
		bits = 0; /* one slot, never used */
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
	bpf_program__set_autoattach(s->progs.listen_sample, false); /* run by listen_sample_all() */
	bpf_program__set_autoattach(s->progs.sock_now, false);	    /* run by live.c's tick */
}

static int attach_job(const struct plan *p, struct tcpscope_bpf *skel, enum job j, char *why,
		      size_t n)
{
	const char *const *names = plan_programs(p, j);

	if (j == JOB_ITER || j == JOB_LISTEN)
		return 0; /* run by user space, not attached */
	for (int i = 0; names && names[i]; i++) {
		struct bpf_program *prog = bpf_object__find_program_by_name(skel->obj, names[i]);
		struct bpf_link *link;

		if (prog && !bpf_program__autoattach(prog))
			continue; /* run by user space */
		link = prog ? bpf_program__attach(prog) : NULL;
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
	/* kernels before 5.11 count BPF maps against RLIMIT_MEMLOCK, which libbpf raises */
	return " (tcpscope needs root, or CAP_BPF and CAP_PERFMON, and CAP_SYS_RESOURCE before "
	       "Linux 5.11: run it with sudo, or grant them: sudo setcap "
	       "cap_bpf,cap_perfmon,cap_sys_resource+ep tcpscope)";
}

/*
 * The skeleton; where the verifier takes no BPF atomics, with the bytes of
 * the object built without them (the build checks the two share a layout).
 */
static struct tcpscope_bpf *skel_open(void)
{
	struct tcpscope_bpf *s;
	int err;

	if (bpf_has_cmpxchg())
		return tcpscope_bpf__open();
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	err = tcpscope_bpf__create_skeleton(s);
	if (!err) {
		s->skeleton->data = (void *)tcpscope_na_bpf__elf_bytes(&s->skeleton->data_sz);
		err = bpf_object__open_skeleton(s->skeleton, NULL);
	}
	if (err) {
		tcpscope_bpf__destroy(s);
		errno = -err;
		return NULL;
	}
	return s;
}

struct tcpscope_bpf *load_programs(struct plan *p, const struct live_opts *o, const struct btf *btf,
				   char *err, size_t errlen)
{
	struct tcpscope_bpf *skel = NULL;
	char *reasons[DROP_REASON_MAX];
	int rc = 0;

	drop_reasons_load(btf, reasons);
	for (int attempt = 0; attempt < JOB_MAX * 4; attempt++) {
		struct tcpscope_bpf *s = skel_open();
		int j;

		if (!s) {
			rc = -errno;
			snprintf(err, errlen, "cannot open the BPF programs: %s", strerror(errno));
			break;
		}
		configure(p, o, btf, s, reasons);
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
