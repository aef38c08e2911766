// SPDX-License-Identifier: GPL-2.0
/*
 * The metrics that came with resets, RTT, listeners and services: counted
 * as records are applied, so they only grow, whatever the rows kept.
 */
#include "../tap.h"
#include "metrics_fixture.h"

/* Whether the exposition has a line starting with this. */
static bool has_start(const char *start)
{
	const char *s = render();

	for (const char *at = strstr(s, start); at; at = strstr(at + 1, start))
		if (at == s || at[-1] == '\n')
			return true;
	return false;
}

static void tick(uint64_t ts)
{
	struct ts_ev_tick t = rec_tick(ts);

	APPLY(&m, t);
}

/*
 * A connect to a closed port: the client's SYN_SENT socket receives the
 * reset, the server's side sends it for no socket; and a reset sent by an
 * established server. Each counts once, by the service port, whatever the
 * events kept.
 */
TEST(resets_are_counted_both_ways_by_service_port)
{
	start(4, 100);
	for (uint64_t i = 1; i <= 30; i++) {
		uint16_t eph = (uint16_t)(40000 + i);
		struct ts_conn c = conn4("10.0.0.1", eph, "10.0.0.2", 9999);
		struct ts_conn srv = conn4("10.0.0.2", 9999, "10.0.0.1", eph);
		struct ts_ev_state syn =
		    rec_state(i, i * 100, TS_CLOSE, TS_SYN_SENT, c, owner(7, "curl"));
		struct ts_ev_sockev in =
		    rec_sockev(i, i * 100 + 1, TS_SE_RST_RECV, c, owner(7, "curl"), TS_SYN_SENT);
		struct ts_ev_sockev out =
		    rec_sockev(0, i * 100 + 1, TS_SE_RST_SENT, srv, nobody(), 0);

		APPLY(&m, syn);
		APPLY(&m, out);
		APPLY(&m, in);
	}
	CHECK(retain_count(&m.events) <= 4);
	CHECK(has("tcpscope_resets_total{direction=\"received\",comm=\"curl\",port=\"9999\"} 30"));
	CHECK(has("tcpscope_resets_total{direction=\"sent\",comm=\"\",port=\"9999\"} 30"));
	{
		struct ts_conn s = conn4("10.0.0.2", 443, "10.0.0.1", 50000);
		struct ts_ev_state acc =
		    rec_state(100, 5000, TS_NEW_SYN_RECV, TS_SYN_RECV, s, owner(9, "nginx"));
		struct ts_ev_sockev out =
		    rec_sockev(100, 5001, TS_SE_RST_SENT, s, owner(9, "nginx"), TS_ESTABLISHED);
		struct ts_ev_sockev cong =
		    rec_sockev(100, 5002, TS_SE_CONG, s, owner(9, "nginx"), TS_ESTABLISHED);

		acc.dir = TS_DIR_ACCEPT;
		APPLY(&m, acc);
		APPLY(&m, out);
		APPLY(&m, cong);
		CHECK(
		    has("tcpscope_resets_total{direction=\"sent\",comm=\"nginx\",port=\"443\"} 1"));
	}
	/* ephemeral ports are never labels: a reset between two of them has none */
	{
		struct ts_conn e = conn4("10.0.0.2", 45000, "10.0.0.1", 50001);
		struct ts_ev_sockev out = rec_sockev(0, 6000, TS_SE_RST_SENT, e, nobody(), 0);

		APPLY(&m, out);
		CHECK(
		    has("tcpscope_resets_total{direction=\"sent\",comm=\"\",port=\"unknown\"} 1"));
		CHECK(strstr(render(), "45000") == NULL);
	}
	CHECK(has("# TYPE tcpscope_resets_total counter"));
}

/* tcprtt's log2 slots as cumulative buckets, in seconds at each slot's upper bound. */
TEST(rtt_is_a_cumulative_histogram_of_every_connection)
{
	static const uint32_t first[] = {0, 1, 3, 100, 100, 127, 128, 5000};
	static const uint32_t second[] = {100, 200000000};
	static const uint32_t by_addr[] = {100, 100, 100};
	static const uint32_t ms[] = {2};
	struct ts_ev_rtt a = rec_rtt_all(100, 0, first, 8);
	struct ts_ev_rtt b = rec_rtt_all(2000, 0, second, 2);
	struct ts_ev_rtt r = rec_rtt_all(2000, 0, by_addr, 3);
	struct ts_ev_rtt c = rec_rtt_all(3000, 1, ms, 1);

	start(64, 100);
	CHECK(has("# TYPE tcpscope_rtt_seconds histogram"));
	CHECK(has("tcpscope_rtt_seconds_bucket{le=\"+Inf\"} 0"));
	CHECK(has("tcpscope_rtt_seconds_count 0"));
	APPLY(&m, a);
	/* [0, 2): 0 and 1; [2, 4): 3; [64, 128): 100, 100, 127; [128, 256): 128; [4096, 8192) */
	CHECK(has("tcpscope_rtt_seconds_bucket{le=\"0.000002\"} 2"));
	CHECK(has("tcpscope_rtt_seconds_bucket{le=\"0.000004\"} 3"));
	CHECK(has("tcpscope_rtt_seconds_bucket{le=\"0.000064\"} 3"));
	CHECK(has("tcpscope_rtt_seconds_bucket{le=\"0.000128\"} 6"));
	CHECK(has("tcpscope_rtt_seconds_bucket{le=\"0.000256\"} 7"));
	CHECK(has("tcpscope_rtt_seconds_bucket{le=\"0.004096\"} 7"));
	CHECK(has("tcpscope_rtt_seconds_bucket{le=\"0.008192\"} 8"));
	CHECK(has("tcpscope_rtt_seconds_bucket{le=\"134.217728\"} 8"));
	CHECK(has("tcpscope_rtt_seconds_bucket{le=\"+Inf\"} 8"));
	CHECK(has("tcpscope_rtt_seconds_count 8"));
	CHECK(has("tcpscope_rtt_seconds_sum 0.005459"));
	/* intervals add up; another scope is not every connection's */
	tick(1000);
	r.key.scope = TS_RTT_RADDR;
	r.key.family = 4;
	APPLY(&m, b);
	APPLY(&m, r);
	CHECK(has("tcpscope_rtt_seconds_bucket{le=\"0.000128\"} 7"));
	CHECK(has("tcpscope_rtt_seconds_bucket{le=\"134.217728\"} 9"));
	CHECK(has("tcpscope_rtt_seconds_bucket{le=\"+Inf\"} 10"));
	CHECK(has("tcpscope_rtt_seconds_count 10"));
	CHECK(has("tcpscope_rtt_seconds_sum 200.005559"));
	/* milliseconds (-m): 2 ms is 2000-2999 us, in [2048, 4096) */
	APPLY(&m, c);
	CHECK(has("tcpscope_rtt_seconds_bucket{le=\"0.002048\"} 8"));
	CHECK(has("tcpscope_rtt_seconds_bucket{le=\"0.004096\"} 9"));
	CHECK(has("tcpscope_rtt_seconds_count 11"));
	CHECK(has("tcpscope_rtt_seconds_sum 200.007559"));
}

static struct ts_ev_listener sample(uint64_t ts, uint32_t netns, uint32_t queue, uint32_t backlog,
				    uint64_t clones, uint64_t drops)
{
	struct ts_conn c = conn4("127.0.0.1", 8080, "0.0.0.0", 0);
	struct ts_ev_listener e = rec_listener(ts, c, owner(9, "nginx"), queue, backlog, clones);

	e.conn.netns = netns;
	e.drops = drops;
	e.start_ns = 1;
	return e;
}

/*
 * A listener's queue and backlog are the last interval's samples (one
 * address in two namespaces adds up); its accepts and overflows only grow,
 * across a close and a new listen() and the row's eviction.
 */
TEST(listeners_gauges_and_counters)
{
	struct ts_ev_listener s1 = sample(100, 1, 3, 7, 10, 2);
	struct ts_ev_listener s2 = sample(1100, 1, 1, 7, 25, 5);
	struct ts_ev_listener other_ns = sample(1100, 2, 2, 128, 4, 0);
	struct ts_ev_listener again = sample(4100, 1, 0, 16, 6, 1);
	struct ts_ev_listen closed;

	start(64, 100);
	APPLY(&m, s1);
	/* gauges come at the interval's end */
	CHECK(!has_start("tcpscope_listen_backlog{"));
	tick(1000);
	/* accepts: handshakes completed, less those still queued */
	CHECK(has("tcpscope_listen_queue{laddr=\"127.0.0.1\",port=\"8080\"} 3"));
	CHECK(has("tcpscope_listen_backlog{laddr=\"127.0.0.1\",port=\"8080\"} 7"));
	CHECK(has("tcpscope_listen_accepts_total{laddr=\"127.0.0.1\",port=\"8080\"} 7"));
	CHECK(has("tcpscope_listen_overflows_total{laddr=\"127.0.0.1\",port=\"8080\"} 2"));
	APPLY(&m, s2);
	APPLY(&m, other_ns);
	tick(2000);
	CHECK(has("tcpscope_listen_queue{laddr=\"127.0.0.1\",port=\"8080\"} 3"));
	CHECK(has("tcpscope_listen_backlog{laddr=\"127.0.0.1\",port=\"8080\"} 135"));
	CHECK(has("tcpscope_listen_accepts_total{laddr=\"127.0.0.1\",port=\"8080\"} 26"));
	CHECK(has("tcpscope_listen_overflows_total{laddr=\"127.0.0.1\",port=\"8080\"} 5"));
	/* both close: no gauges without samples, the counters stay */
	closed = rec_listen(2100, TS_CLOSE, s2.conn, owner(9, "nginx"), 7, 0);
	closed.clones = 25;
	APPLY(&m, closed);
	closed.conn.netns = 2;
	closed.clones = 4;
	APPLY(&m, closed);
	tick(3000);
	tick(4000);
	CHECK(!has_start("tcpscope_listen_queue{"));
	CHECK(!has_start("tcpscope_listen_backlog{"));
	CHECK(has("tcpscope_listen_accepts_total{laddr=\"127.0.0.1\",port=\"8080\"} 29"));
	/* a new listener there: its counts add to the old ones' */
	APPLY(&m, again);
	tick(5000);
	CHECK(has("tcpscope_listen_backlog{laddr=\"127.0.0.1\",port=\"8080\"} 16"));
	CHECK(has("tcpscope_listen_accepts_total{laddr=\"127.0.0.1\",port=\"8080\"} 35"));
	CHECK(has("tcpscope_listen_overflows_total{laddr=\"127.0.0.1\",port=\"8080\"} 6"));
	CHECK(has("# TYPE tcpscope_listen_overflows_total counter"));
	CHECK(has("# TYPE tcpscope_listen_queue gauge"));
}

/* Listening addresses past the bound are summed up as laddr="other", port="other". */
TEST(listening_addresses_are_bounded)
{
	start(64, 2);
	for (uint16_t i = 0; i < 5; i++) {
		char addr[16];
		struct ts_conn c;

		snprintf(addr, sizeof(addr), "::%u", i + 1);
		c = conn6(addr, (uint16_t)(7000 + i), "::", 0);
		struct ts_ev_listener e = rec_listener(100, c, owner(9, "srv"), 1, 10, 0);

		APPLY(&m, e);
	}
	tick(1000);
	CHECK(has("tcpscope_listen_backlog{laddr=\"::1\",port=\"7000\"} 10"));
	CHECK(has("tcpscope_listen_backlog{laddr=\"::2\",port=\"7001\"} 10"));
	CHECK(has("tcpscope_listen_backlog{laddr=\"other\",port=\"other\"} 30"));
	CHECK(has("tcpscope_listen_queue{laddr=\"other\",port=\"other\"} 3"));
	CHECK(has("tcpscope_series 2"));
}

/* The service label is what the SERVICE column shows: the unit's name, "-" when unknown. */
TEST(sessions_closed_by_service)
{
	struct ts_ev_cgroup cg = rec_cgroup(42, "/system.slice/nginx.service");
	struct ts_conn c = conn4("10.0.0.2", 80, "10.0.0.1", 40001);
	struct ts_ev_close a = rec_close(1, 300, 100, c, owner(9, "nginx"), 1, 1);
	struct ts_ev_close b = rec_close(2, 400, 100, c, owner(9, "nginx"), 1, 1);
	struct ts_ev_close u = rec_close(3, 500, 100, c, owner(9, "nginx"), 1, 1);

	start(64, 100);
	a.dir = b.dir = u.dir = TS_DIR_ACCEPT;
	a.cgroup_id = b.cgroup_id = 42;
	APPLY(&m, cg);
	APPLY(&m, a);
	APPLY(&m, b);
	APPLY(&m, u);
	CHECK(has("tcpscope_sessions_closed_total{direction=\"accept\",status=\"ok\","
		  "comm=\"nginx\",port=\"80\",service=\"nginx.service\"} 2"));
	CHECK(has("tcpscope_sessions_closed_total{direction=\"accept\",status=\"ok\","
		  "comm=\"nginx\",port=\"80\",service=\"-\"} 1"));
}

int main(void)
{
	RUN(resets_are_counted_both_ways_by_service_port);
	RUN(rtt_is_a_cumulative_histogram_of_every_connection);
	RUN(listeners_gauges_and_counters);
	RUN(listening_addresses_are_bounded);
	RUN(sessions_closed_by_service);
	model_free(&m);
	tally_free(&tally);
	metrics_text_free(&text);
	TAP_DONE();
}
