// SPDX-License-Identifier: GPL-2.0
/*
 * A connection's log (views/connlog.c): its timeline keeps the newest
 * CONNLOG_ITEMS in the order they came and counts those let go; its
 * intervals likewise; and the logs are bounded: a full table lets go of the
 * log of the session closed longest ago, a plain one before one with events,
 * never an open one's.
 */
#include <stdlib.h>
#include "../tap.h"
#include "views/connlog.h"
#include "views/model.h"

static struct event_row ev(uint8_t type, uint64_t ts, uint32_t n)
{
	struct event_row r;

	memset(&r, 0, sizeof(r));
	r.type = type;
	r.ts_ns = ts;
	r.count = n;
	r.state = TS_ESTABLISHED;
	return r;
}

TEST(timeline_keeps_the_order_items_came_in)
{
	struct connlogs c;
	struct connlog *l;
	struct event_row r = ev(EV_RETRANS, 20, 1);

	CHECK(!connlogs_init(&c, 4));
	l = connlog_get(&c, 7, true);
	CHECK(l != NULL);
	if (!l) {
		connlogs_free(&c);
		return;
	}
	connlog_state(l, 10, TS_SYN_SENT, TS_ESTABLISHED, 5);
	connlog_event(l, &r);
	connlog_state(l, 30, TS_ESTABLISHED, TS_FIN_WAIT1, 20);
	CHECK_EQ_U64(connlog_kept_items(l), 3);
	CHECK_EQ_U64(l->items, 3);
	CHECK_EQ_U64(connlog_item(l, 0)->ts_ns, 10);
	CHECK_EQ_U64(connlog_item(l, 0)->kind, TL_STATE);
	CHECK_EQ_U64(connlog_item(l, 0)->new, TS_ESTABLISHED);
	CHECK_EQ_U64(connlog_item(l, 0)->a, 5);
	CHECK_EQ_U64(connlog_item(l, 1)->kind, EV_RETRANS);
	CHECK_EQ_U64(connlog_item(l, 1)->b, 1);
	CHECK_EQ_U64(connlog_item(l, 2)->ts_ns, 30);
	CHECK_EQ_U64(connlog_item(l, 2)->old, TS_ESTABLISHED);
	/* only an event or an interval makes a log notable */
	CHECK(l->notable);
	CHECK(connlog_get(&c, 7, false) == l);
	CHECK(connlog_find(&c, 7) == l);
	CHECK(connlog_find(&c, 8) == NULL);
	connlogs_free(&c);
}

TEST(timeline_keeps_the_newest_and_counts_those_let_go)
{
	struct connlogs c;
	struct connlog *l;
	const int extra = 10;

	CHECK(!connlogs_init(&c, 2));
	l = connlog_get(&c, 1, true);
	if (!l) {
		CHECK(l != NULL);
		connlogs_free(&c);
		return;
	}
	for (int i = 0; i < CONNLOG_ITEMS + extra; i++)
		connlog_state(l, 1000 + (uint64_t)i, TS_ESTABLISHED, TS_ESTABLISHED, (uint64_t)i);
	CHECK_EQ_U64(connlog_kept_items(l), CONNLOG_ITEMS);
	CHECK_EQ_U64(l->items - connlog_kept_items(l), extra);
	/* oldest first: the first kept is the first not let go */
	for (size_t i = 0; i < connlog_kept_items(l); i++)
		CHECK_EQ_U64(connlog_item(l, i)->ts_ns, 1000 + extra + i);
	CHECK(!l->notable);
	connlogs_free(&c);
}

TEST(intervals_keep_the_newest_points)
{
	struct connlogs c;
	struct connlog *l;

	CHECK(!connlogs_init(&c, 1));
	l = connlog_get(&c, 3, true);
	if (!l) {
		CHECK(l != NULL);
		connlogs_free(&c);
		return;
	}
	CHECK_EQ_U64(connlog_kept_points(l), 0);
	for (uint64_t i = 0; i < CONNLOG_POINTS + 5; i++) {
		struct tl_point p = {
		    .ts_ns = i, .tx = i * 10, .rx = i, .srtt_us = 100 + (uint32_t)i};

		connlog_point(l, &p);
	}
	CHECK_EQ_U64(connlog_kept_points(l), CONNLOG_POINTS);
	CHECK_EQ_U64(connlog_point_at(l, 0)->ts_ns, 5);
	CHECK_EQ_U64(connlog_point_at(l, CONNLOG_POINTS - 1)->ts_ns, CONNLOG_POINTS + 4);
	CHECK_EQ_U64(connlog_point_at(l, CONNLOG_POINTS - 1)->tx, (CONNLOG_POINTS + 4) * 10);
	CHECK(l->notable);
	connlogs_free(&c);
}

/* What a timeline item keeps of an event is what the page reads back. */
TEST(an_item_gives_back_its_event)
{
	struct connlogs c;
	struct connlog *l;
	struct event_row in[3], out;

	CHECK(!connlogs_init(&c, 1));
	l = connlog_get(&c, 9, true);
	if (!l) {
		CHECK(l != NULL);
		connlogs_free(&c);
		return;
	}
	in[0] = ev(EV_RETRANS, 1, 4);
	in[0].reason = TS_RT_SYN;
	in[1] = ev(EV_DROP, 2, 0);
	in[1].location = 0xffffffff81234567ULL;
	in[1].len = 1448;
	in[1].reason = 5;
	in[1].ingress = 1;
	in[1].tcp_flags = 0x18;
	in[2] = ev(EV_SOCK, 3, 0);
	in[2].sock_type = TS_SE_CONG;
	in[2].ca_old = TS_CA_OPEN;
	in[2].ca_new = TS_CA_RECOVERY;
	in[2].value = 123456;
	in[2].value2 = 65536;
	for (int i = 0; i < 3; i++)
		connlog_event(l, &in[i]);
	for (int i = 0; i < 3; i++) {
		connlog_event_row(connlog_item(l, (size_t)i), &out);
		CHECK_EQ_U64(out.ts_ns, in[i].ts_ns);
		CHECK_EQ_U64(out.type, in[i].type);
		CHECK_EQ_U64(out.state, in[i].state);
		CHECK_EQ_U64(out.reason, in[i].reason);
		CHECK_EQ_U64(out.count, in[i].count);
		CHECK_EQ_U64(out.location, in[i].location);
		CHECK_EQ_U64(out.len, in[i].len);
		CHECK_EQ_U64(out.ingress, in[i].ingress);
		CHECK_EQ_U64(out.tcp_flags, in[i].tcp_flags);
		CHECK_EQ_U64(out.sock_type, in[i].sock_type);
		CHECK_EQ_U64(out.ca_old, in[i].ca_old);
		CHECK_EQ_U64(out.ca_new, in[i].ca_new);
		CHECK_EQ_U64(out.value, in[i].value);
		CHECK_EQ_U64(out.value2, in[i].value2);
	}
	connlogs_free(&c);
}

/* Full: the closed plain log goes first, then the closed notable one; open ones stay. */
TEST(a_full_table_lets_go_of_closed_logs_oldest_plain_first)
{
	struct connlogs c;
	struct connlog *a, *b, *d;
	struct event_row r = ev(EV_RETRANS, 5, 1);

	CHECK(!connlogs_init(&c, 3));
	a = connlog_get(&c, 1, true); /* notable, closed first */
	b = connlog_get(&c, 2, true); /* plain, closed after */
	d = connlog_get(&c, 3, true); /* open */
	if (!a || !b || !d) {
		CHECK(a && b && d);
		connlogs_free(&c);
		return;
	}
	connlog_event(a, &r);
	connlog_closed(&c, a);
	connlog_closed(&c, b);
	connlog_closed(&c, b); /* twice: still one place in the ring */
	CHECK(connlog_get(&c, 4, true) != NULL);
	CHECK(connlog_find(&c, 2) == NULL);
	CHECK(connlog_find(&c, 1) != NULL);
	CHECK_EQ_U64(c.let_go, 1);
	CHECK(connlog_get(&c, 5, true) != NULL);
	CHECK(connlog_find(&c, 1) == NULL);
	CHECK_EQ_U64(c.let_go, 2);
	/* only open logs left: a new session finds none, and is counted */
	CHECK(connlog_get(&c, 6, true) == NULL);
	CHECK_EQ_U64(c.not_kept, 1);
	CHECK(connlog_find(&c, 3) != NULL);
	CHECK(connlog_find(&c, 4) != NULL);
	CHECK(connlog_find(&c, 5) != NULL);
	/* no sid, or no table: no log */
	CHECK(connlog_get(&c, 0, true) == NULL);
	connlogs_free(&c);
	CHECK(!connlogs_init(&c, 0));
	CHECK(connlog_get(&c, 1, true) == NULL);
	CHECK(connlog_find(&c, 1) == NULL);
	connlogs_free(&c);
}

/* Through the model: a session's states, events and intervals reach its log. */
TEST(the_model_fills_a_sessions_log)
{
	struct model m;
	struct model_config cfg;
	struct ts_ev_state st = {0};
	struct ts_ev_sockev se = {0};
	struct ts_ev_tick t = {0};
	const struct connlog *l;

	model_config_default(&cfg);
	cfg.max_connlogs = 4;
	if (model_init(&m, &cfg))
		abort();
	st.hdr.kind = TS_K_STATE;
	st.hdr.size = sizeof(st);
	st.hdr.ts_ns = 100;
	st.sid = 42;
	st.conn.family = 4;
	st.conn.lport = 5000;
	st.conn.rport = 80;
	st.oldstate = TS_CLOSE;
	st.newstate = TS_SYN_SENT;
	st.dir = TS_DIR_CONNECT;
	CHECK(!model_apply(&m, (union ts_event *)&st));
	st.hdr.ts_ns = 200;
	st.oldstate = TS_SYN_SENT;
	st.newstate = TS_ESTABLISHED;
	st.dt_ns = 100;
	CHECK(!model_apply(&m, (union ts_event *)&st));
	se.hdr.kind = TS_K_SOCKEV;
	se.hdr.size = sizeof(se);
	se.hdr.ts_ns = 300;
	se.sid = 42;
	se.conn = st.conn;
	se.type = TS_SE_RCVQ_FULL;
	se.state = TS_ESTABLISHED;
	se.value = 4096;
	se.value2 = 8192;
	CHECK(!model_apply(&m, (union ts_event *)&se));
	t.hdr.kind = TS_K_TICK;
	t.hdr.size = sizeof(t);
	t.hdr.ts_ns = 1000;
	t.interval_ns = 1000;
	CHECK(!model_apply(&m, (union ts_event *)&t));
	l = connlog_find(&m.logs, 42);
	CHECK(l != NULL);
	if (l) {
		CHECK_EQ_U64(connlog_kept_items(l), 3);
		CHECK_EQ_U64(connlog_item(l, 0)->new, TS_SYN_SENT);
		CHECK_EQ_U64(connlog_item(l, 1)->new, TS_ESTABLISHED);
		CHECK_EQ_U64(connlog_item(l, 1)->a, 100);
		CHECK_EQ_U64(connlog_item(l, 2)->kind, EV_SOCK);
		CHECK_EQ_U64(connlog_item(l, 2)->sock_type, TS_SE_RCVQ_FULL);
		CHECK_EQ_U64(connlog_item(l, 2)->a, 4096);
		CHECK_EQ_U64(connlog_kept_points(l), 1);
		CHECK_EQ_U64(connlog_point_at(l, 0)->ts_ns, 1000);
	}
	model_free(&m);
}

int main(void)
{
	RUN(timeline_keeps_the_order_items_came_in);
	RUN(timeline_keeps_the_newest_and_counts_those_let_go);
	RUN(intervals_keep_the_newest_points);
	RUN(an_item_gives_back_its_event);
	RUN(a_full_table_lets_go_of_closed_logs_oldest_plain_first);
	RUN(the_model_fills_a_sessions_log);
	TAP_DONE();
}
