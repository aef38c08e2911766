// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "plan.h"

/* A program and what it attaches to; optional ones load only where the kernel has the target. */
struct hook {
	const char *prog;
	const char *target;
	bool optional;
};

struct job_def {
	const char *name;
	const char *feeds;
	const char *cost; /* what running it costs, where that is worth a word (-v, help) */
	bool on_demand;	  /* only for a pane that shows it; the others every session needs */
	struct hook hooks[TIER_MAX][PLAN_PROGS]; /* per tier; an empty tier is skipped */
};

#define SEND_LENGTH    "sock/sock_send_length"
#define RECV_LENGTH    "sock/sock_recv_length"
#define RETRANS_SKB    "tcp/tcp_retransmit_skb"
#define RETRANS_SYNACK "tcp/tcp_retransmit_synack"
#define SEND_RESET     "tcp/tcp_send_reset"
#define RECEIVE_RESET  "tcp/tcp_receive_reset"
#define CONG_STATE     "tcp/tcp_cong_state_set"

static const struct job_def jobs[JOB_MAX] =
    {
	[JOB_STATE] =
	    {
		.name = "state",
		.feeds = "lifespans and states",
		.hooks =
		    {
			[TIER_BTF] = {{.prog = "state_btf", .target = "sock/inet_sock_set_state"}},
			[TIER_RAW] = {{.prog = "state_raw", .target = "sock/inet_sock_set_state"}},
			[TIER_TP] = {{.prog = "state_tp", .target = "sock/inet_sock_set_state"}},
		    },
	    },
	[JOB_TRAFFIC] =
	    {
		.name = "traffic",
		.feeds = "throughput, and owners learned from send/recv",
		.hooks =
		    {
			[TIER_BTF] = {{.prog = "send_btf", .target = SEND_LENGTH},
				      {.prog = "recv_btf", .target = RECV_LENGTH}},
			[TIER_RAW] = {{.prog = "send_raw", .target = SEND_LENGTH},
				      {.prog = "recv_raw", .target = RECV_LENGTH}},
			[TIER_TP] = {{.prog = "send_tp", .target = SEND_LENGTH},
				     {.prog = "recv_tp", .target = RECV_LENGTH}},
			/* sendfile() reaches TCP through tcp_sendpage on kernels that have it */
			[TIER_FENTRY] = {{.prog = "send_fexit", .target = "tcp_sendmsg"},
					 {.prog = "recv_fexit", .target = "tcp_recvmsg"},
					 {.prog = "sendpage_fexit",
					  .target = "tcp_sendpage",
					  .optional = true}},
			[TIER_KPROBE] = {{.prog = "send_kprobe", .target = "tcp_sendmsg"},
					 {.prog = "send_kretprobe", .target = "tcp_sendmsg"},
					 {.prog = "recv_kprobe", .target = "tcp_recvmsg"},
					 {.prog = "recv_kretprobe", .target = "tcp_recvmsg"},
					 {.prog = "sendpage_kprobe",
					  .target = "tcp_sendpage",
					  .optional = true},
					 {.prog = "sendpage_kretprobe",
					  .target = "tcp_sendpage",
					  .optional = true}},
		    },
	    },
	[JOB_ACCEPT] =
	    {
		.name = "accept",
		.feeds = "owners of accepted sockets at accept()",
		.hooks =
		    {
			[TIER_BTF] = {{.prog = "accept_btf", .target = "raw_syscalls/sys_exit"}},
			[TIER_RAW] = {{.prog = "accept_raw", .target = "raw_syscalls/sys_exit"}},
			/* classic syscall tracepoints are per syscall */
			[TIER_TP] = {{.prog = "accept4_tp", .target = "syscalls/sys_exit_accept4"},
				     {.prog = "accept_tp", .target = "syscalls/sys_exit_accept"}},
		    },
	    },
	[JOB_RETRANS] =
	    {
		.name = "retrans",
		.feeds = "retransmits",
		.on_demand = true,
		.hooks =
		    {
			[TIER_BTF] = {{.prog = "retrans_btf", .target = RETRANS_SKB},
				      {.prog = "synack_btf", .target = RETRANS_SYNACK}},
			[TIER_RAW] = {{.prog = "retrans_raw", .target = RETRANS_SKB},
				      {.prog = "synack_raw", .target = RETRANS_SYNACK}},
			[TIER_TP] = {{.prog = "retrans_tp", .target = RETRANS_SKB},
				     {.prog = "synack_tp", .target = RETRANS_SYNACK}},
		    },
	    },
	[JOB_DROPS] =
	    {
		.name = "drops",
		.feeds = "drops",
		.on_demand = true,
		.hooks =
		    {
			[TIER_BTF] = {{.prog = "drop_btf", .target = "skb/kfree_skb"}},
			[TIER_RAW] = {{.prog = "drop_raw", .target = "skb/kfree_skb"}},
			[TIER_TP] = {{.prog = "drop_tp", .target = "skb/kfree_skb"}},
		    },
	    },
	/*
	 * Before the kernel named drop reasons, TCP freed what it dropped in
	 * tcp_drop() without kfree_skb's tracepoint (as bcc's tcpdrop hooks it).
	 */
	[JOB_TCPDROP] =
	    {
		.name = "tcpdrop",
		.feeds = "drops inside TCP on kernels without drop reasons",
		.hooks =
		    {
			[TIER_FENTRY] = {{.prog = "tcpdrop_fentry", .target = "tcp_drop"}},
			[TIER_KPROBE] = {{.prog = "tcpdrop_kprobe", .target = "tcp_drop"}},
		    },
	    },
	[JOB_ITER] =
	    {
		.name = "iter",
		.feeds = "sessions open before tracing began",
		.hooks = {[TIER_ITER] = {{.prog = "existing", .target = "tcp"}}},
	    },
	[JOB_RTT] =
	    {
		.name = "rtt",
		.feeds = "RTT histograms and each session's RTT and windows, full receive queues",
		/* make bench: 2-3.7% of a loopback bulk transfer's CPU (bench/README.md) */
		.cost = "runs for every segment received, 0.2-0.4 us each (a bulk transfer pays "
			"most): --without rtt if that matters",
		.on_demand = true,
		.hooks =
		    {
			/* sock_now: run by user space for the page of an open connection */
			[TIER_BTF] = {{.prog = "probe_btf", .target = "tcp/tcp_probe"},
				      {.prog = "sock_now", .target = "tcp/tcp_probe"}},
			[TIER_RAW] = {{.prog = "probe_raw", .target = "tcp/tcp_probe"},
				      {.prog = "sock_now", .target = "tcp/tcp_probe"}},
			/* before 6.10 its record has no socket: histograms only (and sock_now) */
			[TIER_TP] = {{.prog = "probe_tp", .target = "tcp/tcp_probe"},
				     {.prog = "sock_now", .target = "tcp/tcp_probe"}},
		    },
	    },
	[JOB_RESETS] =
	    {
		.name = "resets",
		.feeds = "resets sent and received",
		.on_demand = true,
		.hooks =
		    {
			[TIER_BTF] = {{.prog = "rst_sent_btf", .target = SEND_RESET},
				      {.prog = "rst_recv_btf", .target = RECEIVE_RESET}},
			[TIER_RAW] = {{.prog = "rst_sent_raw", .target = SEND_RESET},
				      {.prog = "rst_recv_raw", .target = RECEIVE_RESET}},
			[TIER_TP] = {{.prog = "rst_sent_tp", .target = SEND_RESET},
				     {.prog = "rst_recv_tp", .target = RECEIVE_RESET}},
		    },
	    },
	/*
	 * Before tcp_cong_state_set (5.19), the functions that change the
	 * state: inline tcp_set_ca_state is out of reach.
	 */
	[JOB_CONG] =
	    {
		.name = "cong",
		.feeds = "congestion states (CWR, Recovery, Loss, and back)",
		.on_demand = true,
		.hooks =
		    {
			[TIER_BTF] = {{.prog = "cong_btf", .target = CONG_STATE}},
			[TIER_RAW] = {{.prog = "cong_raw", .target = CONG_STATE}},
			[TIER_TP] = {{.prog = "cong_tp", .target = CONG_STATE}},
			[TIER_FENTRY] = {{.prog = "cong_alert_fexit",
					  .target = "tcp_fastretrans_alert"},
					 {.prog = "cong_loss_fexit", .target = "tcp_enter_loss"},
					 {.prog = "cong_cwr_fexit", .target = "tcp_enter_cwr"}},
			[TIER_KPROBE] =
			    {{.prog = "cong_alert_kprobe", .target = "tcp_fastretrans_alert"},
			     {.prog = "cong_alert_kretprobe", .target = "tcp_fastretrans_alert"},
			     {.prog = "cong_loss_kprobe", .target = "tcp_enter_loss"},
			     {.prog = "cong_loss_kretprobe", .target = "tcp_enter_loss"},
			     {.prog = "cong_cwr_kprobe", .target = "tcp_enter_cwr"},
			     {.prog = "cong_cwr_kretprobe", .target = "tcp_enter_cwr"}},
		    },
	    },
	/* (its record names no socket: no classic tracepoint flavour) */
	[JOB_MEMORY] =
	    {
		.name = "memory",
		.feeds = "socket memory refused at TCP's limit",
		.on_demand = true,
		.hooks =
		    {
			[TIER_BTF] = {{.prog = "memlimit_btf",
				       .target = "sock/sock_exceed_buf_limit"}},
			[TIER_RAW] = {{.prog = "memlimit_raw",
				       .target = "sock/sock_exceed_buf_limit"}},
		    },
	    },
	[JOB_ERRORS] =
	    {
		.name = "errors",
		.feeds = "socket errors (ECONNRESET, ETIMEDOUT...)",
		.on_demand = true,
		.hooks =
		    {
			[TIER_BTF] = {{.prog = "skerr_btf", .target = "sock/inet_sk_error_report"}},
			[TIER_RAW] = {{.prog = "skerr_raw", .target = "sock/inet_sk_error_report"}},
			[TIER_FENTRY] = {{.prog = "skerr_fentry",
					  .target = "sock_def_error_report"}},
			[TIER_KPROBE] = {{.prog = "skerr_kprobe",
					  .target = "sock_def_error_report"}},
		    },
	    },
	/*
	 * Run by user space on each listening socket each interval, attached to
	 * nothing; the state hook keeps the table of listeners it reads.
	 */
	[JOB_LISTEN] =
	    {
		.name = "listen",
		.feeds = "listeners' queues, sampled each interval",
		.on_demand = true,
		.hooks = {[TIER_RAW] = {{.prog = "listen_sample",
					 .target = "sock/inet_sock_set_state"}}},
	    },
};

const char *job_name(enum job j)
{
	return jobs[j].name;
}

const char *job_feeds(enum job j)
{
	return jobs[j].feeds;
}

const char *job_cost(enum job j)
{
	return jobs[j].cost;
}

bool job_on_demand(enum job j)
{
	return jobs[j].on_demand;
}

const char *tier_name(enum tier t)
{
	static const char *const names[TIER_MAX] = {
	    [TIER_OFF] = "off",	      [TIER_BTF] = "tp_btf",	[TIER_RAW] = "raw_tp",
	    [TIER_TP] = "tracepoint", [TIER_FENTRY] = "fentry", [TIER_KPROBE] = "kprobe",
	    [TIER_ITER] = "iter",
	};

	return t < TIER_MAX ? names[t] : "?";
}

int job_parse(const char *s)
{
	for (int j = 0; j < JOB_MAX; j++)
		if (!strcmp(s, jobs[j].name))
			return j;
	return -1;
}

int tier_parse(const char *s)
{
	static const struct {
		const char *name;
		enum tier t;
	} names[] = {
	    {.name = "btf", .t = TIER_BTF},	  {.name = "tp_btf", .t = TIER_BTF},
	    {.name = "raw", .t = TIER_RAW},	  {.name = "raw_tp", .t = TIER_RAW},
	    {.name = "tp", .t = TIER_TP},	  {.name = "tracepoint", .t = TIER_TP},
	    {.name = "fentry", .t = TIER_FENTRY}, {.name = "fexit", .t = TIER_FENTRY},
	    {.name = "kprobe", .t = TIER_KPROBE},
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i].name))
			return names[i].t;
	return -1;
}

const char *const *plan_programs(const struct plan *p, enum job j)
{
	return p->tier[j] ? p->progs[j] : NULL;
}

static enum hook_kind kind_of(enum tier t)
{
	switch (t) {
	case TIER_TP:
		return HOOK_CLASSIC_TP;
	case TIER_FENTRY:
		return HOOK_FUNC;
	case TIER_KPROBE:
		return HOOK_KPROBE;
	default:
		return HOOK_BTF_TP;
	}
}

static bool has(const struct plan *p, enum hook_kind kind, const char *name, char *why, size_t n)
{
	why[0] = 0;
	if (p->k.has(p->k.ctx, kind, name, why, n))
		return true;
	if (!why[0]) {
		static const char *const what[] = {
		    [HOOK_BTF_TP] = "no tracepoint %s in BTF",
		    [HOOK_CLASSIC_TP] = "no tracepoint %s",
		    [HOOK_FUNC] = "no function %s in BTF",
		    [HOOK_KPROBE] = "no kprobe on %s",
		    [HOOK_ENUM] = "no enum %s in BTF",
		};

		snprintf(why, n, what[kind], name);
	}
	return false;
}

/* Whether the kernel has every hook job j needs at tier t; if so, the plan takes them. */
static bool tier_fits(struct plan *p, enum job j, enum tier t, char *why, size_t n)
{
	const struct hook *h = jobs[j].hooks[t];
	int k = 0;

	for (int i = 0; i < PLAN_PROGS && h[i].prog; i++)
		if (!h[i].optional && t != TIER_ITER && !has(p, kind_of(t), h[i].target, why, n))
			return false;
	for (int i = 0; i < PLAN_PROGS && h[i].prog; i++) {
		char skip[160];

		if (h[i].optional && !has(p, kind_of(t), h[i].target, skip, sizeof(skip)))
			continue;
		p->progs[j][k++] = h[i].prog;
	}
	p->progs[j][k] = NULL;
	return true;
}

/*
 * The first tier from t on where the kernel has all job j needs; why says
 * what was missing at the tiers passed over (empty when none was).
 */
static enum tier available(struct plan *p, enum job j, enum tier t, char *why, size_t n)
{
	char first[160] = "", last[160] = "";
	enum tier found = TIER_OFF;

	for (; t < TIER_MAX && !found; t++) {
		char miss[160];

		if (!jobs[j].hooks[t][0].prog)
			continue;
		if (tier_fits(p, j, t, miss, sizeof(miss))) {
			found = t;
			break;
		}
		snprintf(first[0] ? last : first, 160, "%s", miss);
	}
	if (!last[0] || !strcmp(first, last))
		snprintf(why, n, "%s", first);
	else
		snprintf(why, n, "%.70s; %.80s", first, last);
	return found;
}

/* --hooks T: jobs that have hooks of flavour T start there, the others at their first. */
static enum tier start_of(enum job j, enum tier first)
{
	if (first > TIER_OFF && first < TIER_MAX && jobs[j].hooks[first][0].prog)
		return first;
	return TIER_BTF;
}

void plan_probe(struct plan *p, const struct kernel_hooks *k, enum tier first)
{
	char why[160];

	p->k = *k;
	/* tcp_drop is only wanted where kfree_skb cannot say which drops are TCP's own */
	p->want[JOB_TCPDROP] = p->want[JOB_DROPS];
	if (p->want[JOB_DROPS] && has(p, HOOK_ENUM, "skb_drop_reason", why, sizeof(why)))
		p->want[JOB_TCPDROP] = false;
	for (int j = 0; j < JOB_MAX; j++) {
		p->why[j][0] = 0;
		p->tier[j] = TIER_OFF;
		p->progs[j][0] = NULL;
		if (!p->want[j]) {
			snprintf(p->why[j], sizeof(p->why[j]), "%s",
				 j == JOB_ACCEPT ? "optional (--with accept): send, recv and close "
						   "name owners; this adds accept(), at a cost to "
						   "every syscall"
				 : j == JOB_TCPDROP && p->want[JOB_DROPS]
				     ? "not needed: kfree_skb gives the drop reason on this kernel"
				     : "not needed for this view");
			continue;
		}
		if (p->absent[j]) {
			snprintf(p->why[j], sizeof(p->why[j]),
				 "its hooks are absent (--without: as on a kernel without them)");
			continue;
		}
		p->tier[j] = available(p, (enum job)j, start_of((enum job)j, first), p->why[j],
				       sizeof(p->why[j]));
	}
}

void plan_fall_back(struct plan *p, enum job j, const char *why)
{
	enum tier next = TIER_OFF;
	char rest[160] = "";

	if (p->tier[j] >= TIER_BTF && p->tier[j] < TIER_ITER)
		next = available(p, j, p->tier[j] + 1, rest, sizeof(rest));
	if (!rest[0])
		snprintf(p->why[j], sizeof(p->why[j]), "%s %s", tier_name(p->tier[j]), why);
	else
		snprintf(p->why[j], sizeof(p->why[j]), "%s %.80s; %.60s", tier_name(p->tier[j]),
			 why, rest);
	p->tier[j] = next;
}

const char *plan_line(struct plan *p)
{
	size_t o = 0;

	for (int j = 0; j < JOB_MAX; j++)
		o += (size_t)snprintf(p->line + o, sizeof(p->line) - o, "%s%s=%s", j ? " " : "",
				      jobs[j].name, tier_name(p->tier[j]));
	return p->line;
}
