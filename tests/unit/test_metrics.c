// SPDX-License-Identifier: GPL-2.0
/* The metrics exposition (--serve) from a model fed synthetic records. */
#include "../tap.h"
#include "metrics_fixture.h"

/* Sessions of one client and one server: a connect to port 80, and its accepted end. */
static void session_pair(uint64_t sid, uint64_t ts, const char *client, uint64_t tx, uint64_t rx)
{
	struct ts_conn c = conn4("10.0.0.1", (uint16_t)(40000 + sid), "10.0.0.2", 80);
	struct ts_conn s = conn4("10.0.0.2", 80, "10.0.0.1", (uint16_t)(40000 + sid));
	struct ts_ev_state syn = rec_state(sid, ts, TS_CLOSE, TS_SYN_SENT, c, owner(7, client));
	struct ts_ev_state acc =
	    rec_state(sid + 1000, ts, TS_NEW_SYN_RECV, TS_SYN_RECV, s, nobody());
	struct ts_ev_close cc = rec_close(sid, ts + 100, ts, c, owner(7, client), tx, rx);
	struct ts_ev_close sc = rec_close(sid + 1000, ts + 100, ts, s, owner(9, "nginx"), rx, tx);

	sc.dir = TS_DIR_ACCEPT;
	APPLY(&m, syn);
	APPLY(&m, acc);
	APPLY(&m, cc);
	APPLY(&m, sc);
}

TEST(sessions_are_counted_at_both_ends_by_service_port)
{
	start(64, 100);
	session_pair(1, 1000, "curl", 100, 2000);
	session_pair(2, 2000, "curl", 100, 2000);
	CHECK(has("tcpscope_sessions_opened_total{direction=\"connect\",port=\"80\"} 2"));
	CHECK(has("tcpscope_sessions_opened_total{direction=\"accept\",port=\"80\"} 2"));
	CHECK(
	    has("tcpscope_sessions_closed_total{direction=\"connect\",status=\"ok\",comm=\"curl\","
		"port=\"80\",service=\"-\"} 2"));
	CHECK(
	    has("tcpscope_sessions_closed_total{direction=\"accept\",status=\"ok\",comm=\"nginx\","
		"port=\"80\",service=\"-\"} 2"));
	CHECK(
	    has("tcpscope_bytes_sent_total{direction=\"connect\",comm=\"curl\",port=\"80\"} 200"));
	CHECK(has("tcpscope_bytes_received_total{direction=\"connect\",comm=\"curl\",port=\"80\"} "
		  "4000"));
	CHECK(
	    has("tcpscope_bytes_sent_total{direction=\"accept\",comm=\"nginx\",port=\"80\"} 4000"));
	CHECK(has("tcpscope_sessions_open 0"));
	CHECK(has("tcpscope_build_info{version=\"" TCPSCOPE_VERSION "\"} 1"));
}

/* The rows a pane keeps go; the counters stay. */
TEST(counters_outlive_the_rows_kept)
{
	struct ts_ev_tick t = rec_tick(0);

	start(10, 100);
	for (uint64_t i = 1; i <= 50; i++) {
		session_pair(i, i * 1000, "curl", 1, 1);
		t = rec_tick(i * 1000 + 500);
		APPLY(&m, t);
	}
	CHECK(retain_count(&m.closed) <= 10);
	CHECK(
	    has("tcpscope_sessions_closed_total{direction=\"connect\",status=\"ok\",comm=\"curl\","
		"port=\"80\",service=\"-\"} 50"));
	CHECK(has("tcpscope_bytes_sent_total{direction=\"connect\",comm=\"curl\",port=\"80\"} 50"));
}

/* Bytes of an open session are counted as they move, not at its close. */
TEST(bytes_grow_while_a_session_is_open)
{
	struct ts_conn c = conn4("10.0.0.1", 40001, "10.0.0.9", 5432);
	struct ts_ev_tput a = rec_tput(1, 100, c, owner(5, "psql"), 1000, 10);
	struct ts_ev_tput b = rec_tput(1, 200, c, owner(5, "psql"), 2500, 10);
	struct ts_ev_close e = rec_close(1, 300, 100, c, owner(5, "psql"), 3000, 20);

	start(64, 100);
	APPLY(&m, a);
	CHECK(has("tcpscope_bytes_sent_total{direction=\"connect\",comm=\"psql\",port=\"5432\"} "
		  "1000"));
	CHECK(has("tcpscope_sessions_open 1"));
	APPLY(&m, b);
	CHECK(has("tcpscope_bytes_sent_total{direction=\"connect\",comm=\"psql\",port=\"5432\"} "
		  "2500"));
	APPLY(&m, e);
	CHECK(has("tcpscope_bytes_sent_total{direction=\"connect\",comm=\"psql\",port=\"5432\"} "
		  "3000"));
	CHECK(has("tcpscope_bytes_received_total{direction=\"connect\",comm=\"psql\","
		  "port=\"5432\"} 20"));
}

TEST(failures_retransmits_and_drops)
{
	struct ts_conn c = conn4("10.0.0.1", 40001, "10.0.0.9", 443);
	struct ts_ev_state syn = rec_state(1, 100, TS_CLOSE, TS_SYN_SENT, c, owner(5, "wget"));
	struct ts_ev_close e = rec_close(1, 300, 100, c, owner(5, "wget"), 0, 0);
	struct ts_ev_retrans r = rec_retrans(1, 200, c, owner(5, "wget"), TS_RT_SYN, 1);
	struct ts_ev_reason name = rec_reason(5, "TCP_CSUM");
	struct ts_ev_drop d1 = rec_drop(0, 250, c, nobody(), 5, 0x02);
	struct ts_ev_drop d2 = rec_drop(0, 260, c, nobody(), 77, 0x02);

	start(64, 100);
	e.err = 111; /* ECONNREFUSED */
	e.flags = TS_F_FAILED;
	APPLY(&m, name);
	APPLY(&m, syn);
	APPLY(&m, r);
	APPLY(&m, r);
	APPLY(&m, d1);
	APPLY(&m, d2);
	APPLY(&m, e);
	CHECK(has("tcpscope_sessions_closed_total{direction=\"connect\",status=\"refused\","
		  "comm=\"wget\",port=\"443\",service=\"-\"} 1"));
	CHECK(has("tcpscope_retransmits_total{direction=\"connect\",kind=\"syn\",comm=\"wget\","
		  "port=\"443\"} 2"));
	CHECK(has("tcpscope_drops_total{reason=\"TCP_CSUM\"} 1"));
	CHECK(has("tcpscope_drops_total{reason=\"reason_77\"} 1"));
	CHECK(has("tcpscope_lost_records_total{kind=\"records\"} 0"));
	CHECK(has("tcpscope_lost_records_total{kind=\"closes\"} 0"));
}

/* Any process name makes one valid label value, and different names different ones. */
TEST(hostile_process_names_are_escaped_one_to_one)
{
	struct ts_conn c = conn4("10.0.0.1", 40001, "10.0.0.9", 443);
	struct ts_ev_close a = rec_close(1, 300, 100, c, owner(5, "a\"b\\c\nd\xff"), 1, 1);
	struct ts_ev_close b = rec_close(2, 300, 100, c, owner(5, "\xc2\x85"), 1, 1);
	struct ts_ev_close d = rec_close(3, 300, 100, c, owner(5, "\x85"), 1, 1);
	struct ts_ev_close u = rec_close(4, 300, 100, c, owner(5, "caf\xc3\xa9"), 1, 1);

	start(64, 100);
	APPLY(&m, a);
	APPLY(&m, b);
	APPLY(&m, d);
	APPLY(&m, u);
	CHECK(has("tcpscope_sessions_closed_total{direction=\"connect\",status=\"ok\","
		  "comm=\"a\\\"b\\\\\\\\c\\\\x0ad\\\\xff\",port=\"443\",service=\"-\"} 1"));
	CHECK(has("tcpscope_sessions_closed_total{direction=\"connect\",status=\"ok\","
		  "comm=\"\\\\xc2\\\\x85\",port=\"443\",service=\"-\"} 1"));
	CHECK(has("tcpscope_sessions_closed_total{direction=\"connect\",status=\"ok\","
		  "comm=\"\\\\x85\",port=\"443\",service=\"-\"} 1"));
	CHECK(has("tcpscope_sessions_closed_total{direction=\"connect\",status=\"ok\","
		  "comm=\"caf\xc3\xa9\",port=\"443\",service=\"-\"} 1"));
}

/* Past the bound, new label sets are summed up as "other", and the overflow is counted. */
TEST(label_sets_are_bounded)
{
	start(64, 3);
	for (uint16_t i = 0; i < 10; i++) {
		struct ts_conn c = conn4("10.0.0.1", 40001, "10.0.0.9", (uint16_t)(1000 + i));
		struct ts_ev_close e = rec_close(i + 1, 300, 100, c, owner(5, "scan"), 0, 0);

		e.app_tx = e.app_rx = 0;
		APPLY(&m, e);
	}
	/* each close counts its session closed, then opened: three sets in all */
	CHECK(has("tcpscope_series 3"));
	CHECK(has("tcpscope_series_limit 3"));
	CHECK(
	    has("tcpscope_sessions_closed_total{direction=\"connect\",status=\"ok\",comm=\"scan\","
		"port=\"1001\",service=\"-\"} 1"));
	CHECK(has("tcpscope_sessions_opened_total{direction=\"connect\",port=\"1000\"} 1"));
	CHECK(has("tcpscope_sessions_opened_total{direction=\"connect\",port=\"other\"} 9"));
	CHECK(has("tcpscope_sessions_closed_total{direction=\"connect\",status=\"ok\","
		  "comm=\"other\",port=\"other\",service=\"other\"} 8"));
	CHECK(has("tcpscope_series_overflow_total 17"));
}

/* Sessions open before tracing: the lower port is the service, unless it is ephemeral. */
TEST(ephemeral_ports_are_never_labels)
{
	struct ts_ev_existing a =
	    rec_existing(1, 100, conn4("10.0.0.1", 22, "10.0.0.9", 50123), 0, 0);
	struct ts_ev_existing b =
	    rec_existing(2, 100, conn4("10.0.0.1", 45000, "10.0.0.9", 50123), 0, 0);

	start(64, 100);
	APPLY(&m, a);
	APPLY(&m, b);
	CHECK(has("tcpscope_sessions_opened_total{direction=\"before\",port=\"22\"} 1"));
	CHECK(has("tcpscope_sessions_opened_total{direction=\"before\",port=\"unknown\"} 1"));
	CHECK(strstr(render(), "50123") == NULL);
	CHECK(strstr(render(), "45000") == NULL);
}

TEST(openmetrics_names_counter_families_without_total_and_ends_in_eof)
{
	struct metrics_text om = {0};

	start(64, 100);
	session_pair(1, 1000, "curl", 100, 2000);
	render();
	CHECK(metrics_openmetrics(&om, text.s, text.len) == 0);
	metrics_text_put(&om, "", 1);
	CHECK(strstr(om.s, "# TYPE tcpscope_sessions_closed counter\n") != NULL);
	CHECK(strstr(om.s, "# HELP tcpscope_sessions_closed TCP") != NULL);
	CHECK(strstr(om.s, "\ntcpscope_sessions_closed_total{direction=\"connect\"") != NULL);
	CHECK(strstr(om.s, "# TYPE tcpscope_sessions_open gauge\n") != NULL);
	CHECK(strstr(om.s, "# TYPE tcpscope_build_info gauge\n") != NULL);
	CHECK_EQ_U64(strlen(om.s) >= 6, 1);
	CHECK_STR(om.s + strlen(om.s) - 6, "# EOF\n");
	CHECK(metrics_wants_openmetrics("application/openmetrics-text;version=1.0.0,text/plain;"
					"version=0.0.4;q=0.5"));
	CHECK(!metrics_wants_openmetrics("text/plain"));
	CHECK(!metrics_wants_openmetrics(NULL));
	metrics_text_free(&om);
}

int main(void)
{
	RUN(sessions_are_counted_at_both_ends_by_service_port);
	RUN(counters_outlive_the_rows_kept);
	RUN(bytes_grow_while_a_session_is_open);
	RUN(failures_retransmits_and_drops);
	RUN(hostile_process_names_are_escaped_one_to_one);
	RUN(label_sets_are_bounded);
	RUN(ephemeral_ports_are_never_labels);
	RUN(openmetrics_names_counter_families_without_total_and_ends_in_eof);
	model_free(&m);
	tally_free(&tally);
	metrics_text_free(&text);
	TAP_DONE();
}
