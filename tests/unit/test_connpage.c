// SPDX-License-Identifier: GPL-2.0
/*
 * A connection's page as data (views/connpage.c), from records fed to the
 * model: the session while open and after it closed, its timeline of state
 * changes and events in the order they came (the older ones let go counted),
 * the same from the shared logs when its own log was let go, and the CSV `e`
 * exports.
 */
#include <stdlib.h>
#include "../tap.h"
#include "records.h"
#include "views/connpage.h"
#include "views/evkind.h"

static struct model m;
static char *buf;
static size_t len;

#define MS 1000000ULL

static struct ts_ev_sockev sockev(uint64_t sid, uint64_t ts, struct ts_conn c, uint8_t type)
{
	struct ts_ev_sockev e;

	memset(&e, 0, sizeof(e));
	rec_hdr(&e.hdr, TS_K_SOCKEV, sizeof(e), ts);
	e.sid = sid;
	e.conn = c;
	e.type = type;
	e.state = TS_ESTABLISHED;
	return e;
}

/* A connect to 10.2.0.2:5201 that lives from 1 s to 3 s with a loss and a full queue in it. */
static void a_connection(uint64_t sid, uint64_t base, bool close)
{
	struct ts_conn c = conn4("10.2.0.1", 41000, "10.2.0.2", 5201);
	struct ts_owner o = owner(4242, "client");
	struct ts_ev_state st;
	struct ts_ev_sockev se;
	struct ts_ev_retrans rt;
	struct ts_ev_close cl;

	st = rec_state(sid, base + 1000 * MS, TS_CLOSE, TS_SYN_SENT, c, o);
	APPLY(&m, st);
	st = rec_state(sid, base + 1001 * MS, TS_SYN_SENT, TS_ESTABLISHED, c, o);
	st.dt_ns = 1500000; /* 1.5 ms */
	APPLY(&m, st);
	rt = rec_retrans(sid, base + 1500 * MS, c, o, TS_RT_DATA, 3);
	APPLY(&m, rt);
	se = sockev(sid, base + 1600 * MS, c, TS_SE_CONG);
	se.ca_old = TS_CA_OPEN;
	se.ca_new = TS_CA_LOSS;
	APPLY(&m, se);
	se = sockev(sid, base + 1700 * MS, c, TS_SE_RCVQ_FULL);
	se.value = 65536;
	se.value2 = 131072;
	APPLY(&m, se);
	if (close) {
		cl = rec_close(sid, base + 3000 * MS, base + 1000 * MS, c, o, 1000, 2000);
		cl.dt_ns = 5 * MS;
		APPLY(&m, cl);
	}
}

static void restart(size_t logs)
{
	struct model_config c = small_config(64);

	c.max_connlogs = logs;
	model_restart(&m, &c);
}

TEST(an_open_connections_page)
{
	struct conn_page p = {0};

	restart(16);
	a_connection(5, 0, false);
	CHECK(!conn_page_build(&p, &m, 5));
	CHECK(p.found);
	CHECK(p.open);
	CHECK(p.log != NULL);
	CHECK(!p.shared);
	CHECK_EQ_U64(p.s.sid, 5);
	CHECK_EQ_U64(p.s.conn.rport, 5201);
	CHECK_EQ_U64(p.s.conn.lport, 41000);
	CHECK_EQ_U64(p.s.owner.pid, 4242);
	CHECK_EQ_U64(p.s.dir, TS_DIR_CONNECT);
	CHECK_EQ_U64(p.n, 5);
	CHECK_EQ_U64(p.let_go, 0);
	if (p.n == 5) {
		CHECK_STR(p.lines[0].type, "STATE");
		CHECK(p.lines[0].state);
		CHECK_EQ_U64(p.lines[0].new, TS_SYN_SENT);
		CHECK_STR(p.lines[1].type, "STATE");
		CHECK_EQ_U64(p.lines[1].old, TS_SYN_SENT);
		CHECK_EQ_U64(p.lines[1].new, TS_ESTABLISHED);
		CHECK_EQ_U64(p.lines[1].dt_ns, 1500000);
		CHECK_STR(p.lines[2].type, "RETRANS");
		CHECK_STR(p.lines[2].detail, "3 retransmitted so far");
		CHECK(!p.lines[2].bad);
		CHECK_STR(p.lines[3].type, "LOSS");
		CHECK_STR(p.lines[3].detail, "from Open");
		CHECK(p.lines[3].bad);
		CHECK_STR(p.lines[4].type, "RCVQ_FULL");
		CHECK(p.lines[4].bad);
		CHECK(strstr(p.lines[4].detail, "queued, rcvbuf") != NULL);
		for (size_t i = 1; i < p.n; i++)
			CHECK(p.lines[i - 1].ts_ns < p.lines[i].ts_ns);
	}
	/* another session's page is empty */
	CHECK(!conn_page_build(&p, &m, 6));
	CHECK(!p.found);
	CHECK_EQ_U64(p.n, 0);
	conn_page_free(&p);
}

TEST(a_closed_connections_page_stays_readable)
{
	struct conn_page p = {0};

	restart(16);
	a_connection(5, 0, true);
	CHECK(!conn_page_build(&p, &m, 5));
	CHECK(p.found);
	CHECK(!p.open);
	CHECK_EQ_U64(p.s.end_ns, 3000 * MS);
	CHECK_EQ_U64(p.s.tx_bytes, 1000);
	CHECK_EQ_U64(p.n, 6);
	if (p.n == 6) {
		CHECK_EQ_U64(p.lines[5].new, TS_CLOSE);
		CHECK_EQ_U64(p.lines[5].old, TS_LAST_ACK);
		CHECK_EQ_U64(p.lines[5].dt_ns, 5 * MS);
	}
	conn_page_free(&p);
}

/* More than the log keeps: the newest, and how many older ones were let go. */
TEST(a_long_timeline_says_what_it_let_go)
{
	struct conn_page p = {0};
	struct ts_conn c = conn4("10.2.0.1", 41000, "10.2.0.2", 5201);

	restart(16);
	a_connection(5, 0, false);
	for (int i = 0; i < CONNLOG_ITEMS; i++) {
		struct ts_ev_sockev se = sockev(5, 2000 * MS + (uint64_t)i, c, TS_SE_CONG);

		se.ca_old = i % 2 ? TS_CA_RECOVERY : TS_CA_OPEN;
		se.ca_new = i % 2 ? TS_CA_OPEN : TS_CA_RECOVERY;
		APPLY(&m, se);
	}
	CHECK(!conn_page_build(&p, &m, 5));
	CHECK_EQ_U64(p.n, CONNLOG_ITEMS);
	CHECK_EQ_U64(p.let_go, 5);
	if (p.n == CONNLOG_ITEMS) {
		CHECK_STR(p.lines[0].type, "RECOVERY");
		CHECK_STR(p.lines[CONNLOG_ITEMS - 1].type, "OPEN");
	}
	conn_page_free(&p);
}

/* No log of its own (none kept): the shared state and event logs, merged by time. */
TEST(without_its_log_the_shared_logs_in_time_order)
{
	struct conn_page p = {0};

	restart(0);
	a_connection(5, 0, true);
	a_connection(7, 10 * MS, true); /* another, interleaved: not on this page */
	CHECK(!conn_page_build(&p, &m, 5));
	CHECK(p.found);
	CHECK(p.log == NULL);
	CHECK(p.shared);
	CHECK_EQ_U64(p.n, 6);
	if (p.n == 6) {
		CHECK_STR(p.lines[0].type, "STATE");
		CHECK_STR(p.lines[1].type, "STATE");
		CHECK_STR(p.lines[2].type, "RETRANS");
		CHECK_STR(p.lines[3].type, "LOSS");
		CHECK_STR(p.lines[4].type, "RCVQ_FULL");
		CHECK_STR(p.lines[5].type, "STATE");
		CHECK_EQ_U64(p.lines[5].new, TS_CLOSE);
	}
	conn_page_free(&p);
}

TEST(the_timeline_as_csv)
{
	struct conn_page p = {0};
	FILE *f;

	restart(16);
	a_connection(5, 0, true);
	CHECK(!conn_page_build(&p, &m, 5));
	f = open_memstream(&buf, &len);
	conn_page_csv(f, &m, &p);
	fclose(f);
	/* no wall clock (no META): seconds since the first record; MS to the microsecond */
	CHECK_STR(buf, "TIME,TYPE,STATE,FROM,TO,MS,DETAIL\n"
		       "0.000000,STATE,,CLOSE,SYN_SENT,,\n"
		       "0.001000,STATE,,SYN_SENT,ESTABLISHED,1.500,\n"
		       "0.500000,RETRANS,ESTABLISHED,,,,3 retransmitted so far\n"
		       "0.600000,LOSS,ESTABLISHED,,,,from Open\n"
		       "0.700000,RCVQ_FULL,ESTABLISHED,,,,\"64K queued, rcvbuf 128K\"\n"
		       "2.000000,STATE,,LAST_ACK,CLOSE,5.000,\n");
	free(buf);
	buf = NULL;
	conn_page_free(&p);
}

int main(void)
{
	RUN(an_open_connections_page);
	RUN(a_closed_connections_page_stays_readable);
	RUN(a_long_timeline_says_what_it_let_go);
	RUN(without_its_log_the_shared_logs_in_time_order);
	RUN(the_timeline_as_csv);
	model_free(&m);
	TAP_DONE();
}
