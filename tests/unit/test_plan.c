// SPDX-License-Identifier: GPL-2.0
/*
 * The hook plan (bpf/plan.c): from a described kernel (which tracepoints,
 * functions, kprobes and types it has) to the flavour each job runs on, and
 * the fall back when a flavour does not load.
 */
#include <stdlib.h>
#include <string.h>
#include "../tap.h"
#include "bpf/plan.h"

/* A kernel described by what it has: "btf:", "tp:", "func:", "kprobe:", "enum:" names. */
struct kernel {
	const char *const *has;
	bool no_tracefs, no_kprobes;
};

static bool fake_has(void *ctx, enum hook_kind kind, const char *name, char *why, size_t n)
{
	static const char *const prefix[] = {
	    [HOOK_BTF_TP] = "btf:",    [HOOK_CLASSIC_TP] = "tp:", [HOOK_FUNC] = "func:",
	    [HOOK_KPROBE] = "kprobe:", [HOOK_ENUM] = "enum:",
	};
	const struct kernel *k = ctx;
	char want[160];

	if (kind == HOOK_CLASSIC_TP && k->no_tracefs) {
		snprintf(why, n, "tracefs is not mounted");
		return false;
	}
	if (kind == HOOK_KPROBE && k->no_kprobes) {
		snprintf(why, n, "this kernel has no kprobes (CONFIG_KPROBES)");
		return false;
	}
	snprintf(want, sizeof(want), "%s%s", prefix[kind], name);
	for (int i = 0; k->has[i]; i++)
		if (!strcmp(k->has[i], want))
			return true;
	return false;
}

/* The tracepoints every kernel in the matrix has. */
#define TPS                                                                                        \
	"btf:sock/inet_sock_set_state", "btf:raw_syscalls/sys_exit", "btf:tcp/tcp_retransmit_skb", \
	    "btf:tcp/tcp_retransmit_synack", "btf:skb/kfree_skb", "tp:sock/inet_sock_set_state",   \
	    "tp:syscalls/sys_exit_accept4", "tp:syscalls/sys_exit_accept",                         \
	    "tp:tcp/tcp_retransmit_skb", "tp:tcp/tcp_retransmit_synack", "tp:skb/kfree_skb"
/* Every kernel of the matrix has these (tcp_probe, resets, memory limits). */
#define EVENT_TPS                                                                                  \
	"btf:tcp/tcp_probe", "btf:tcp/tcp_send_reset", "btf:tcp/tcp_receive_reset",                \
	    "btf:sock/sock_exceed_buf_limit", "tp:tcp/tcp_probe", "tp:tcp/tcp_send_reset",         \
	    "tp:tcp/tcp_receive_reset", "tp:sock/sock_exceed_buf_limit"
/* ... and these from 5.19 (6.1 has them, 5.10 not) */
#define NEWER_TPS                                                                                  \
	"btf:tcp/tcp_cong_state_set", "btf:sock/inet_sk_error_report",                             \
	    "tp:tcp/tcp_cong_state_set", "tp:sock/inet_sk_error_report"
/* where 5.10 changes congestion states and reports errors */
#define CONG_FUNCS                                                                                 \
	"func:tcp_fastretrans_alert", "func:tcp_enter_loss", "func:tcp_enter_cwr",                 \
	    "func:sock_def_error_report"
#define CONG_KPROBES                                                                               \
	"kprobe:tcp_fastretrans_alert", "kprobe:tcp_enter_loss", "kprobe:tcp_enter_cwr",           \
	    "kprobe:sock_def_error_report"
#define LENGTH_TPS                                                                                 \
	"btf:sock/sock_send_length", "btf:sock/sock_recv_length", "tp:sock/sock_send_length",      \
	    "tp:sock/sock_recv_length"

/* This machine kind's 6.18: every tracepoint, no kprobes, fentry in BTF (it fails to load). */
static const char *const k618[] = {TPS,
				   EVENT_TPS,
				   NEWER_TPS,
				   LENGTH_TPS,
				   "func:tcp_sendmsg",
				   "func:tcp_recvmsg",
				   "enum:skb_drop_reason",
				   NULL};
/* Debian 12's 6.1: no send/recv length tracepoints; tcp_sendpage still there. */
static const char *const k61[] = {TPS,
				  EVENT_TPS,
				  NEWER_TPS,
				  CONG_FUNCS,
				  CONG_KPROBES,
				  "func:tcp_sendmsg",
				  "func:tcp_recvmsg",
				  "func:tcp_sendpage",
				  "kprobe:tcp_sendmsg",
				  "kprobe:tcp_recvmsg",
				  "kprobe:tcp_sendpage",
				  "enum:skb_drop_reason",
				  NULL};
/* Debian 11's 5.10: no drop reasons either; tcp_drop() frees TCP's drops. */
static const char *const k510[] = {TPS,
				   EVENT_TPS,
				   CONG_FUNCS,
				   CONG_KPROBES,
				   "func:tcp_sendmsg",
				   "func:tcp_recvmsg",
				   "func:tcp_sendpage",
				   "func:tcp_drop",
				   "kprobe:tcp_sendmsg",
				   "kprobe:tcp_recvmsg",
				   "kprobe:tcp_sendpage",
				   "kprobe:tcp_drop",
				   NULL};

/* A kernel with every hook of every flavour, to reach every program. */
static const char *const kall[] = {TPS,
				   EVENT_TPS,
				   NEWER_TPS,
				   CONG_FUNCS,
				   CONG_KPROBES,
				   LENGTH_TPS,
				   "func:tcp_sendmsg",
				   "func:tcp_recvmsg",
				   "func:tcp_sendpage",
				   "func:tcp_drop",
				   "kprobe:tcp_sendmsg",
				   "kprobe:tcp_recvmsg",
				   "kprobe:tcp_sendpage",
				   "kprobe:tcp_drop",
				   NULL};

static struct plan p;
static struct kernel kern;

static void probe(const char *const *has, enum tier first, bool all)
{
	memset(&p, 0, sizeof(p));
	kern = (struct kernel){.has = has};
	for (int j = 0; j < JOB_MAX; j++)
		p.want[j] = all || j == JOB_STATE || j == JOB_TRAFFIC || j == JOB_ITER;
	plan_probe(&p, &(struct kernel_hooks){.has = fake_has, .ctx = &kern}, first);
}

/* The job's programs, space-separated. */
static const char *progs(enum job j)
{
	static char buf[256];
	const char *const *names = plan_programs(&p, j);
	size_t o = 0;

	buf[0] = 0;
	for (int i = 0; names && names[i]; i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s", i ? " " : "", names[i]);
	return buf;
}

TEST(kernel_with_every_tracepoint_uses_them)
{
	probe(k618, TIER_BTF, true);
	CHECK_STR(
	    plan_line(&p),
	    "state=tp_btf traffic=tp_btf accept=tp_btf retrans=tp_btf drops=tp_btf "
	    "tcpdrop=off iter=iter rtt=tp_btf resets=tp_btf cong=tp_btf memory=tp_btf errors=tp_btf listen=raw_tp");
	CHECK_STR(progs(JOB_TRAFFIC), "send_btf recv_btf");
	CHECK_STR(progs(JOB_RESETS), "rst_sent_btf rst_recv_btf");
	CHECK_STR(progs(JOB_RETRANS), "retrans_btf synack_btf");
	CHECK(strstr(p.why[JOB_TCPDROP], "kfree_skb gives the drop reason"));
}

TEST(without_length_tracepoints_traffic_takes_fexit)
{
	probe(k61, TIER_BTF, true);
	CHECK_STR(plan_line(&p),
		  "state=tp_btf traffic=fentry accept=tp_btf retrans=tp_btf drops=tp_btf "
		  "tcpdrop=off iter=iter rtt=tp_btf resets=tp_btf cong=tp_btf memory=tp_btf "
		  "errors=tp_btf listen=raw_tp");
	CHECK_STR(progs(JOB_TRAFFIC), "send_fexit recv_fexit sendpage_fexit");
	/* -v and the help say why it is not on its first flavour */
	CHECK_STR(
	    p.why[JOB_TRAFFIC],
	    "no tracepoint sock/sock_send_length in BTF; no tracepoint sock/sock_send_length");
	CHECK_STR(p.why[JOB_STATE], "");
}

TEST(sendpage_only_where_the_kernel_has_it)
{
	static const char *const k[] = {TPS, "func:tcp_sendmsg", "func:tcp_recvmsg", NULL};

	probe(k, TIER_BTF, false);
	CHECK_EQ_U64(p.tier[JOB_TRAFFIC], TIER_FENTRY);
	CHECK_STR(progs(JOB_TRAFFIC), "send_fexit recv_fexit");
}

TEST(without_drop_reasons_tcp_drop_is_hooked_too)
{
	probe(k510, TIER_BTF, true);
	CHECK_STR(plan_line(&p),
		  "state=tp_btf traffic=fentry accept=tp_btf retrans=tp_btf drops=tp_btf "
		  "tcpdrop=fentry iter=iter rtt=tp_btf resets=tp_btf cong=fentry memory=tp_btf "
		  "errors=fentry listen=raw_tp");
	CHECK_STR(progs(JOB_TCPDROP), "tcpdrop_fentry");
	/* and not when the view needs no drops */
	probe(k510, TIER_BTF, false);
	CHECK_EQ_U64(p.tier[JOB_TCPDROP], TIER_OFF);
	CHECK(strstr(p.why[JOB_TCPDROP], "not needed for this view"));
}

/*
 * 5.10 lacks tcp_cong_state_set and inet_sk_error_report: the functions
 * that change the state and report errors, by fexit, else kprobes; memory
 * limits have no classic tracepoint flavour (its record names no socket).
 */
TEST(older_kernels_get_congestion_and_errors_from_functions)
{
	probe(k510, TIER_BTF, true);
	CHECK_STR(progs(JOB_CONG), "cong_alert_fexit cong_loss_fexit cong_cwr_fexit");
	CHECK_STR(progs(JOB_ERRORS), "skerr_fentry");
	CHECK(strstr(p.why[JOB_CONG], "no tracepoint tcp/tcp_cong_state_set in BTF"));
	plan_fall_back(&p, JOB_CONG, "failed to load: Operation not permitted");
	CHECK_STR(progs(JOB_CONG), "cong_alert_kprobe cong_alert_kretprobe cong_loss_kprobe "
				   "cong_loss_kretprobe cong_cwr_kprobe cong_cwr_kretprobe");
	probe(k510, TIER_TP, true);
	CHECK_EQ_U64(p.tier[JOB_MEMORY], TIER_BTF);
	CHECK_EQ_U64(p.tier[JOB_RESETS], TIER_TP);
	/* without kprobes or fexit: off, saying why */
	kern.no_kprobes = true;
	probe(k618, TIER_BTF, true);
	plan_fall_back(&p, JOB_CONG, "failed to attach cong_btf: Invalid argument");
	CHECK_EQ_U64(p.tier[JOB_CONG], TIER_RAW);
}

TEST(fexit_that_does_not_load_falls_back_to_kprobes)
{
	probe(k510, TIER_BTF, true);
	plan_fall_back(&p, JOB_TRAFFIC, "failed to load: Operation not permitted");
	CHECK_EQ_U64(p.tier[JOB_TRAFFIC], TIER_KPROBE);
	CHECK_STR(progs(JOB_TRAFFIC), "send_kprobe send_kretprobe recv_kprobe recv_kretprobe "
				      "sendpage_kprobe sendpage_kretprobe");
	CHECK(strstr(p.why[JOB_TRAFFIC], "fentry failed to load"));
	plan_fall_back(&p, JOB_TCPDROP, "failed to attach tcpdrop_fentry: No such device");
	CHECK_EQ_U64(p.tier[JOB_TCPDROP], TIER_KPROBE);
	CHECK_STR(progs(JOB_TCPDROP), "tcpdrop_kprobe");
	/* the last flavour failing turns the job off, saying why */
	plan_fall_back(&p, JOB_TRAFFIC, "failed to attach send_kprobe: Invalid argument");
	CHECK_EQ_U64(p.tier[JOB_TRAFFIC], TIER_OFF);
	CHECK(strstr(p.why[JOB_TRAFFIC], "kprobe failed to attach send_kprobe"));
	CHECK(!plan_programs(&p, JOB_TRAFFIC));
}

TEST(no_kprobes_and_fexit_refused_is_off_with_both_reasons)
{
	probe(k618, TIER_FENTRY, false);
	kern.no_kprobes = true;
	CHECK_EQ_U64(p.tier[JOB_TRAFFIC], TIER_FENTRY);
	CHECK_EQ_U64(p.tier[JOB_STATE], TIER_BTF); /* no fentry flavour: its first */
	plan_fall_back(&p, JOB_TRAFFIC, "failed to load: Operation not permitted");
	CHECK_EQ_U64(p.tier[JOB_TRAFFIC], TIER_OFF);
	CHECK_STR(p.why[JOB_TRAFFIC], "fentry failed to load: Operation not permitted; this "
				      "kernel has no kprobes (CONFIG_KPROBES)");
}

TEST(nothing_for_traffic_says_what_was_missing)
{
	static const char *const k[] = {TPS, NULL};

	probe(k, TIER_BTF, false);
	kern.no_kprobes = true;
	plan_probe(&p, &(struct kernel_hooks){.has = fake_has, .ctx = &kern}, TIER_BTF);
	CHECK_EQ_U64(p.tier[JOB_TRAFFIC], TIER_OFF);
	CHECK_STR(p.why[JOB_TRAFFIC], "no tracepoint sock/sock_send_length in BTF; this kernel "
				      "has no kprobes (CONFIG_KPROBES)");
}

TEST(hooks_flag_starts_jobs_that_have_the_flavour)
{
	probe(k61, TIER_KPROBE, true);
	CHECK_STR(plan_line(&p),
		  "state=tp_btf traffic=kprobe accept=tp_btf retrans=tp_btf drops=tp_btf "
		  "tcpdrop=off iter=iter rtt=tp_btf resets=tp_btf cong=kprobe memory=tp_btf "
		  "errors=kprobe listen=raw_tp");
	probe(k618, TIER_RAW, true);
	CHECK_STR(plan_line(&p),
		  "state=raw_tp traffic=raw_tp accept=raw_tp retrans=raw_tp drops=raw_tp "
		  "tcpdrop=off iter=iter rtt=raw_tp resets=raw_tp cong=raw_tp memory=raw_tp "
		  "errors=raw_tp listen=raw_tp");
	CHECK_STR(progs(JOB_ACCEPT), "accept_raw");
}

TEST(classic_tracepoints_need_tracefs)
{
	probe(k618, TIER_TP, true);
	CHECK_STR(progs(JOB_ACCEPT), "accept4_tp accept_tp");
	CHECK_EQ_U64(p.tier[JOB_STATE], TIER_TP);
	kern.no_tracefs = true;
	plan_probe(&p, &(struct kernel_hooks){.has = fake_has, .ctx = &kern}, TIER_TP);
	CHECK_EQ_U64(p.tier[JOB_STATE], TIER_OFF);
	CHECK_STR(p.why[JOB_STATE], "tracefs is not mounted");
}

TEST(without_flag_acts_as_a_kernel_without_the_hooks)
{
	memset(&p, 0, sizeof(p));
	kern = (struct kernel){.has = k618};
	for (int j = 0; j < JOB_MAX; j++)
		p.want[j] = true;
	p.absent[JOB_TRAFFIC] = p.absent[JOB_DROPS] = true;
	plan_probe(&p, &(struct kernel_hooks){.has = fake_has, .ctx = &kern}, TIER_BTF);
	CHECK_EQ_U64(p.tier[JOB_TRAFFIC], TIER_OFF);
	CHECK_EQ_U64(p.tier[JOB_DROPS], TIER_OFF);
	CHECK(strstr(p.why[JOB_DROPS], "--without"));
	CHECK_EQ_U64(p.tier[JOB_STATE], TIER_BTF);
}

/* Every job is named, says what it feeds, and has programs; no program serves two jobs. */
TEST(every_job_is_described)
{
	struct {
		const char *prog;
		int job;
	} seen[96];
	int nseen = 0;

	for (int t = TIER_BTF; t < TIER_MAX; t++) {
		probe(kall, (enum tier)t, true);
		for (int j = 0; j < JOB_MAX; j++) {
			const char *const *names = plan_programs(&p, (enum job)j);

			CHECK(job_name((enum job)j)[0] && job_feeds((enum job)j)[0]);
			CHECK_EQ_U64(job_parse(job_name((enum job)j)), j);
			CHECK(names && names[0]);
			for (int i = 0; names && names[i]; i++) {
				int s = 0;

				while (s < nseen && strcmp(seen[s].prog, names[i]))
					s++;
				if (s < nseen)
					CHECK_EQ_U64(seen[s].job, j);
				else if (nseen < 96)
					seen[nseen++] = (typeof(seen[0])){names[i], j};
			}
		}
	}
	CHECK_EQ_U64(nseen, 63); /* every program of the object, each reached by some plan */
	for (int t = TIER_BTF; t < TIER_ITER; t++)
		CHECK_EQ_U64(tier_parse(tier_name((enum tier)t)), t);
	CHECK(tier_parse("fexit") == TIER_FENTRY);
	CHECK(tier_parse("kprobes") == -1);
	CHECK(job_parse("nosuch") == -1);
}

int main(void)
{
	RUN(kernel_with_every_tracepoint_uses_them);
	RUN(without_length_tracepoints_traffic_takes_fexit);
	RUN(sendpage_only_where_the_kernel_has_it);
	RUN(without_drop_reasons_tcp_drop_is_hooked_too);
	RUN(older_kernels_get_congestion_and_errors_from_functions);
	RUN(fexit_that_does_not_load_falls_back_to_kprobes);
	RUN(no_kprobes_and_fexit_refused_is_off_with_both_reasons);
	RUN(nothing_for_traffic_says_what_was_missing);
	RUN(hooks_flag_starts_jobs_that_have_the_flavour);
	RUN(classic_tracepoints_need_tracefs);
	RUN(without_flag_acts_as_a_kernel_without_the_hooks);
	RUN(every_job_is_described);
	TAP_DONE();
}
