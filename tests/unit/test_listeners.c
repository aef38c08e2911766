// SPDX-License-Identifier: GPL-2.0
/*
 * The model's listening addresses (views/listeners.c) and the Listeners
 * pane: rows from listen() as it happens and from each interval's samples,
 * accepts from the handshakes and the queue, overflows, refused connects,
 * SYN-ACK retransmits on the row of the address they reached, closes, and
 * the bounds.
 */
#include "../tap.h"
#include "records.h"
#include "views/filter.h"
#include "views/listeners.h"
#include "views/pane.h"

#define SEC	      1000000000ULL
#define TCP_SYN	      0x02
#define TCP_ACK	      0x10
#define R_NO_SOCKET   3
#define R_OVERFLOW    40
#define R_UNSPECIFIED 2

static struct model m;

static struct listen_row *row_at(const char *addr, uint16_t port)
{
	struct ts_conn k = conn4(addr, port, "0.0.0.0", 0);

	k.rport = 0;
	return table_find(&m.listeners, &k);
}

static void fresh(void)
{
	struct model_config c = small_config(64);
	struct ts_ev_reason r1 = rec_reason(R_NO_SOCKET, "NO_SOCKET"),
			    r2 = rec_reason(R_OVERFLOW, "TCP_LISTEN_OVERFLOW"),
			    r3 = rec_reason(R_UNSPECIFIED, "NOT_SPECIFIED");

	c.max_listeners = 8;
	model_restart(&m, &c);
	APPLY(&m, r1);
	APPLY(&m, r2);
	APPLY(&m, r3);
}

static void tick(uint64_t ts)
{
	struct ts_ev_tick t = rec_tick(ts);

	APPLY(&m, t);
}

TEST(listen_shows_at_once_with_its_backlog)
{
	struct ts_ev_listen l = rec_listen(SEC, TS_LISTEN, conn4("0.0.0.0", 8080, "0.0.0.0", 0),
					   owner(42, "nginx"), 511, 1);
	struct listen_row *r;

	fresh();
	APPLY(&m, l);
	r = row_at("0.0.0.0", 8080);
	CHECK(r && r->state == LS_LISTEN);
	if (!r)
		return;
	CHECK_EQ_U64(r->backlog, 511);
	CHECK_EQ_U64(r->owner.pid, 42);
	CHECK_EQ_U64(r->socks, 1);
	CHECK(!r->sampled);
}

TEST(accepts_are_handshakes_less_the_queue)
{
	struct ts_conn c = conn4("0.0.0.0", 7000, "0.0.0.0", 0);
	struct ts_ev_listen l = rec_listen(SEC, TS_LISTEN, c, owner(7, "srv"), 2, 1);
	struct ts_ev_listener s1 = rec_listener(2 * SEC, c, owner(7, "srv"), 3, 2, 3);
	struct ts_ev_listener s2 = rec_listener(3 * SEC, c, owner(7, "srv"), 1, 2, 10);
	struct listen_row *r;

	fresh();
	APPLY(&m, l);
	/* three handshakes, all still queued: nothing accepted */
	APPLY(&m, s1);
	tick(2 * SEC);
	r = row_at("0.0.0.0", 7000);
	CHECK(r && r->sampled);
	if (!r)
		return;
	CHECK_EQ_U64(r->accepts, 0);
	CHECK_EQ_U64(r->queue, 3);
	CHECK_EQ_U64(r->qmax, 3);
	/* ten handshakes, one waiting: nine accepted, all in this interval */
	APPLY(&m, s2);
	tick(3 * SEC);
	r = row_at("0.0.0.0", 7000);
	CHECK_EQ_U64(r->accepts, 9);
	CHECK_EQ_U64(r->last_accepts, 9);
	CHECK_EQ_U64(r->queue, 1);
}

TEST(overflows_and_syn_ack_retransmits_reach_the_wildcard_listener)
{
	struct ts_conn c = conn4("0.0.0.0", 7000, "0.0.0.0", 0);
	struct ts_ev_listener s = rec_listener(SEC, c, owner(7, "srv"), 3, 2, 3);
	struct ts_ev_drop ovf = rec_drop(0, SEC, conn4("127.0.0.1", 7000, "127.0.0.1", 40000),
					 nobody(), R_OVERFLOW, TCP_ACK);
	struct ts_ev_retrans rt = rec_retrans(0, SEC, conn4("127.0.0.1", 7000, "127.0.0.1", 40000),
					      nobody(), TS_RT_SYNACK, 1);
	struct listen_row *r;

	fresh();
	s.flags |= TS_LF_HIST;
	s.hist[0] = 1; /* queues of 0, 1 and 2 at the three handshakes */
	s.hist[1] = 2;
	APPLY(&m, s);
	for (int i = 0; i < 5; i++)
		APPLY(&m, ovf);
	APPLY(&m, rt);
	APPLY(&m, rt);
	r = row_at("0.0.0.0", 7000);
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_EQ_U64(r->ack_overflows, 5);
	CHECK_EQ_U64(r->synack_rt, 2);
	/* an overflow found the queue one past the backlog: 3, slot 1 */
	CHECK_EQ_U64(r->hist[1] + r->hist_overflows[1], 7);
	CHECK(row_at("127.0.0.1", 7000) == NULL);
}

TEST(an_ipv6_wildcard_listener_takes_ipv4)
{
	struct ts_conn c6 = conn6("::", 9000, "::", 0);
	struct ts_ev_listener s = rec_listener(SEC, c6, owner(7, "srv"), 0, 128, 0);
	struct ts_ev_retrans rt = rec_retrans(0, SEC, conn4("10.0.0.1", 9000, "10.0.0.2", 40000),
					      nobody(), TS_RT_SYNACK, 1);
	struct listen_row *r;

	fresh();
	APPLY(&m, s);
	APPLY(&m, rt);
	c6.rport = 0;
	r = table_find(&m.listeners, &c6);
	CHECK(r && r->synack_rt == 1);
}

TEST(refused_connects_make_a_row_for_the_port)
{
	struct ts_ev_drop syn = rec_drop(0, SEC, conn4("127.0.0.1", 7001, "127.0.0.1", 40000),
					 nobody(), R_NO_SOCKET, TCP_SYN);
	struct ts_ev_drop ack = syn, out = syn;
	struct listen_row *r;

	fresh();
	ack.tcp_flags = TCP_SYN | TCP_ACK; /* a SYN-ACK nobody wanted: not a connect */
	out.ingress = 0;
	for (int i = 0; i < 4; i++)
		APPLY(&m, syn);
	APPLY(&m, ack);
	APPLY(&m, out);
	r = row_at("127.0.0.1", 7001);
	CHECK(r && r->state == LS_NONE);
	if (r)
		CHECK_EQ_U64(r->refused, 4);
	/* kept while refusals come; gone a while after the last */
	for (int i = 0; i < 62; i++)
		tick((uint64_t)(2 + i) * SEC);
	CHECK(row_at("127.0.0.1", 7001) == NULL);
}

TEST(without_drop_reasons_a_lone_syn_freed_without_a_socket_is_refused)
{
	struct model_config c = small_config(64);
	struct ts_ev_reason r0 = rec_reason(0, "NOT_SPECIFIED");
	struct ts_ev_drop syn =
	    rec_drop(0, SEC, conn4("127.0.0.1", 7001, "127.0.0.1", 40000), nobody(), 0, TCP_SYN);
	struct listen_row *r;

	model_restart(&m, &c);
	APPLY(&m, r0);
	APPLY(&m, syn);
	r = row_at("127.0.0.1", 7001);
	CHECK(r && r->refused == 1);
	/* where the kernel names reasons, NOT_SPECIFIED is not a refusal */
	fresh();
	syn.reason = R_UNSPECIFIED;
	APPLY(&m, syn);
	CHECK(row_at("127.0.0.1", 7001) == NULL);
}

TEST(a_close_shows_for_its_interval_then_goes)
{
	struct ts_conn c = conn4("0.0.0.0", 7000, "0.0.0.0", 0);
	struct ts_ev_listen l = rec_listen(SEC, TS_LISTEN, c, owner(7, "srv"), 2, 1);
	struct ts_ev_listener s = rec_listener(SEC, c, owner(7, "srv"), 2, 2, 5);
	struct ts_ev_listen cl = rec_listen(2 * SEC, TS_CLOSE, c, owner(7, "srv"), 2, 0);
	struct listen_row *r;

	fresh();
	APPLY(&m, l);
	APPLY(&m, s);
	tick(SEC);
	/* five handshakes, two left queued and thrown away at the close: three accepted */
	cl.clones = 5;
	cl.discarded = 2;
	cl.queue = 2;
	APPLY(&m, cl);
	r = row_at("0.0.0.0", 7000);
	CHECK(r && r->state == LS_CLOSED);
	if (r)
		CHECK_EQ_U64(r->accepts, 3);
	tick(2 * SEC);
	CHECK(row_at("0.0.0.0", 7000) != NULL); /* in the table of the interval it closed in */
	tick(3 * SEC);
	CHECK(row_at("0.0.0.0", 7000) == NULL);
}

TEST(a_listener_missing_from_the_samples_closed_unseen)
{
	struct ts_conn a = conn4("0.0.0.0", 7000, "0.0.0.0", 0),
		       b = conn4("0.0.0.0", 7002, "0.0.0.0", 0);
	struct ts_ev_listener sa = rec_listener(SEC, a, owner(7, "srv"), 0, 2, 0);
	struct ts_ev_listener sb = rec_listener(SEC, b, owner(7, "srv"), 0, 2, 0);

	fresh();
	APPLY(&m, sa);
	APPLY(&m, sb);
	tick(SEC);
	APPLY(&m, sb);
	tick(2 * SEC);
	CHECK(row_at("0.0.0.0", 7000) && row_at("0.0.0.0", 7000)->state == LS_CLOSED);
	CHECK(row_at("0.0.0.0", 7002) && row_at("0.0.0.0", 7002)->state == LS_LISTEN);
}

TEST(the_tables_are_bounded_and_say_what_did_not_fit)
{
	uint64_t lost[LOSS_MAX];

	fresh();
	for (int i = 0; i < 12; i++) {
		struct ts_ev_listener s =
		    rec_listener(SEC, conn4("0.0.0.0", (uint16_t)(1000 + i), "0.0.0.0", 0),
				 owner(7, "srv"), 0, 2, 0);

		APPLY(&m, s);
	}
	CHECK_EQ_U64(table_count(&m.listeners), 8);
	model_losses(&m, lost);
	CHECK_EQ_U64(lost[LOSS_LISTENERS], 4);
	/* a port scan's refusals take at most half the table */
	fresh();
	for (int i = 0; i < 12; i++) {
		struct ts_ev_drop syn =
		    rec_drop(0, SEC, conn4("127.0.0.1", (uint16_t)(2000 + i), "127.0.0.1", 40000),
			     nobody(), R_NO_SOCKET, TCP_SYN);

		APPLY(&m, syn);
	}
	CHECK_EQ_U64(table_count(&m.listeners), 4);
}

TEST(the_pane_has_the_columns_csv_promises_and_filters_by_service)
{
	static const char *const want[] = {"LADDR",	"LPORT",   "QUEUE",  "BACKLOG", "ACCEPTS",
					   "OVERFLOWS", "SYNQ",	   "QMAX",   "ACC/s",	"SYNACK_RT",
					   "ACK_OVF",	"REFUSED", "SERVICE"};
	struct ts_conn c = conn4("0.0.0.0", 80, "0.0.0.0", 0);
	struct ts_ev_listener s = rec_listener(SEC, c, owner(7, "nginx"), 0, 511, 0);
	struct ts_ev_cgroup cg = rec_cgroup(99, "/system.slice/nginx.service");
	struct row_fields rf;
	struct filter f;
	char err[128];

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		int col = pane_column(&pane_listeners, want[i]);

		CHECK(col >= 0 && (pane_listeners.cols[col].flags & COL_CSV));
	}
	fresh();
	s.cgroup_id = 99;
	APPLY(&m, cg);
	APPLY(&m, s);
	pane_listeners.fields(row_at("0.0.0.0", 80), &rf);
	CHECK(!filter_parse("service nginx lport 80", &f, err, sizeof(err)));
	CHECK(filter_match(&f, &rf));
	CHECK(!filter_parse("service sshd", &f, err, sizeof(err)));
	CHECK(!filter_match(&f, &rf));
}

int main(void)
{
	RUN(listen_shows_at_once_with_its_backlog);
	RUN(accepts_are_handshakes_less_the_queue);
	RUN(overflows_and_syn_ack_retransmits_reach_the_wildcard_listener);
	RUN(an_ipv6_wildcard_listener_takes_ipv4);
	RUN(refused_connects_make_a_row_for_the_port);
	RUN(without_drop_reasons_a_lone_syn_freed_without_a_socket_is_refused);
	RUN(a_close_shows_for_its_interval_then_goes);
	RUN(a_listener_missing_from_the_samples_closed_unseen);
	RUN(the_tables_are_bounded_and_say_what_did_not_fit);
	RUN(the_pane_has_the_columns_csv_promises_and_filters_by_service);
	model_free(&m);
	TAP_DONE();
}
