// SPDX-License-Identifier: GPL-2.0
/* A pane's rows: filtered, then sorted by a column or in the pane's natural order. */
#include <errno.h>
#include <stdbool.h>
#include "../tap.h"
#include "records.h"
#include "views/filter.h"
#include "views/rows.h"
#include "views/session_values.h"

static struct model m;
static struct rowset rs;

static void reset(size_t rows)
{
	struct model_config c = small_config(rows);

	model_restart(&m, &c);
}

static struct fmt_ctx ctx(void)
{
	struct fmt_ctx f = {&m, 0, m.st.now_ns, m.st.first_ns};

	return f;
}

static int col(const struct pane *p, const char *name)
{
	int c = pane_column(p, name);

	if (c < 0)
		abort();
	return c;
}

/* Build p's rows sorted by column name (NULL: natural), filtered by expr (NULL: none). */
static int build(const struct pane *p, const char *name, bool desc, const char *expr)
{
	struct sort_spec s = {name ? col(p, name) : -1, desc};
	struct fmt_ctx f = ctx();
	struct filter flt;
	char err[128];

	if (expr && filter_parse(expr, &flt, err, sizeof(err)))
		abort();
	return rows_build(&rs, p, &m, NULL, expr ? &flt : NULL, &s, &f);
}

static const struct session *S(size_t i)
{
	return i < rs.n ? rs.rows[i] : NULL;
}

/* A closed session sid with tx bytes, ended at end. */
static void closed(uint64_t sid, uint64_t end, uint64_t tx, struct ts_conn c, const char *comm)
{
	struct ts_ev_close e =
	    rec_close(sid, end, end > 10 ? end - 10 : 1, c, owner(100, comm), tx, 0);

	APPLY(&m, e);
}

static struct ts_conn web(void)
{
	return conn4("10.0.0.1", 40000, "10.0.0.2", 80);
}

/* The sids of the rows, as "1 2 3"; rows are sessions, or log rows when logs. */
static const char *sids_of(bool logs)
{
	static char buf[512];
	size_t o = 0;

	buf[0] = 0;
	for (size_t i = 0; i < rs.n && o < sizeof(buf) - 24; i++) {
		uint64_t sid = logs ? ((const struct state_row *)rs.rows[i])->sid : S(i)->sid;

		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%llu", i ? " " : "",
				      (unsigned long long)sid);
	}
	return buf;
}
#define CHECK_SIDS(want) CHECK_STR(sids_of(false), want)

TEST(numeric_columns_sort_both_ways)
{
	reset(16);
	closed(1, 100, 5000, web(), "a");
	closed(2, 200, 100, web(), "a");
	closed(3, 300, 900000, web(), "a");
	closed(4, 400, 0, web(), "a");
	CHECK(build(&pane_lifespans, "TX_BYTES", false, NULL) == 0);
	CHECK_SIDS("4 2 1 3");
	CHECK(build(&pane_lifespans, "TX_BYTES", true, NULL) == 0);
	CHECK_SIDS("3 1 2 4");
	/* values wider than one byte of the radix, and above 2^32 */
	closed(5, 500, 1ULL << 40, web(), "a");
	closed(6, 600, (1ULL << 40) - 1, web(), "a");
	CHECK(build(&pane_lifespans, "TX_BYTES", true, NULL) == 0);
	CHECK_SIDS("5 6 3 1 2 4");
	CHECK(build(&pane_lifespans, "MS", false, NULL) == 0);
	CHECK_EQ_U64(rs.n, 6);
}

TEST(equal_keys_keep_the_natural_order)
{
	reset(16);
	/* closed sessions: natural order is newest first */
	closed(1, 100, 7, web(), "a");
	closed(2, 200, 9, web(), "a");
	closed(3, 300, 7, web(), "a");
	closed(4, 400, 9, web(), "a");
	closed(5, 500, 7, web(), "a");
	CHECK(build(&pane_lifespans, NULL, false, NULL) == 0);
	CHECK_SIDS("5 4 3 2 1");
	CHECK(build(&pane_lifespans, "RX_KB", false, NULL) == 0);
	CHECK_SIDS("5 4 3 2 1"); /* nothing received */
	CHECK(build(&pane_lifespans, "RX_KB", true, NULL) == 0);
	CHECK_SIDS("5 4 3 2 1");
	/* KB columns sort by the exact bytes, finer than they show */
	CHECK(build(&pane_lifespans, "TX_KB", false, NULL) == 0);
	CHECK_SIDS("5 3 1 4 2");
	CHECK(build(&pane_lifespans, "TX_BYTES", false, NULL) == 0);
	CHECK_SIDS("5 3 1 4 2");
	CHECK(build(&pane_lifespans, "TX_BYTES", true, NULL) == 0);
	CHECK_SIDS("4 2 5 3 1");
	CHECK(build(&pane_lifespans, "COMM", true, NULL) == 0);
	CHECK_SIDS("5 4 3 2 1");
}

TEST(equal_keys_keep_the_natural_order_among_open_sessions)
{
	struct ts_ev_state e;

	reset(16);
	/* A opens, B opens, A closes, C opens: C reuses A's slot in the open table */
	e = rec_state(1, 100, TS_CLOSE, TS_SYN_SENT, web(), owner(1, "a"));
	APPLY(&m, e);
	e = rec_state(2, 200, TS_CLOSE, TS_SYN_SENT, web(), owner(1, "a"));
	APPLY(&m, e);
	closed(1, 250, 0, web(), "a");
	e = rec_state(3, 300, TS_CLOSE, TS_SYN_SENT, web(), owner(1, "a"));
	APPLY(&m, e);
	CHECK(build(&pane_lifespans, NULL, false, NULL) == 0);
	CHECK_SIDS("2 3 1");
	CHECK(build(&pane_lifespans, "PID", false, NULL) == 0);
	CHECK_SIDS("2 3 1");
	CHECK(build(&pane_lifespans, "PID", true, NULL) == 0);
	CHECK_SIDS("2 3 1");
	CHECK(build(&pane_lifespans, "STATE", false, NULL) == 0);
	CHECK_SIDS("2 3 1"); /* SYN_SENT < CLOSE */
}

/*
 * Many open sessions whose places in the open table are not their start order
 * (closed ones leave slots that later ones take): a run of equal keys longer
 * than the short-run threshold must still come out in the natural order.
 */
TEST(long_runs_of_equal_keys_in_the_natural_order)
{
	static const void *natural[400];
	struct model_config c = small_config(1024);
	size_t n;

	c.max_open = 1024;
	model_restart(&m, &c);
	for (uint64_t sid = 1; sid <= 300; sid++) {
		struct ts_ev_state e =
		    rec_state(sid, 1000 + sid * 10, TS_CLOSE, TS_SYN_SENT, web(), owner(7, "a"));

		APPLY(&m, e);
		if (sid % 3 == 0)
			closed(sid - 1, 1000 + sid * 10 + 5, 0, web(), "a");
	}
	CHECK(build(&pane_lifespans, NULL, false, "state SYN_SENT") == 0);
	n = rs.n;
	CHECK(n == 200);
	memcpy(natural, rs.rows, n * sizeof(natural[0]));
	for (size_t i = 1; i < n; i++) /* and the table's order was not that already */
		CHECK(((const struct session *)natural[i - 1])->start_ns <
		      ((const struct session *)natural[i])->start_ns);
	CHECK(build(&pane_lifespans, "PID", false, "state SYN_SENT") == 0);
	CHECK(rs.n == n && !memcmp(rs.rows, natural, n * sizeof(natural[0])));
	CHECK(build(&pane_lifespans, "TX_BYTES", true, "state SYN_SENT") == 0);
	CHECK(rs.n == n && !memcmp(rs.rows, natural, n * sizeof(natural[0])));
	CHECK(build(&pane_lifespans, "COMM", false, "state SYN_SENT") == 0);
	CHECK(rs.n == n && !memcmp(rs.rows, natural, n * sizeof(natural[0])));
}

TEST(string_ties_beyond_eight_bytes_are_compared_fully)
{
	reset(16);
	closed(1, 100, 0, web(), "abcdefgh_mm");
	closed(2, 200, 0, web(), "abcdefgh_zz");
	closed(3, 300, 0, web(), "abcdefgh_aa");
	closed(4, 400, 0, web(), "abcdefgh");
	closed(5, 500, 0, web(), "abcdefgh_mm");
	closed(6, 600, 0, web(), "abc");
	CHECK(build(&pane_lifespans, "COMM", false, NULL) == 0);
	CHECK_SIDS("6 4 3 5 1 2");
	CHECK(build(&pane_lifespans, "COMM", true, NULL) == 0);
	CHECK_SIDS("2 5 1 3 4 6");
}

TEST(addresses_sort_by_family_then_every_byte)
{
	reset(16);
	closed(1, 100, 0, conn6("::1", 1, "2001:db8::5", 2), "a");
	closed(2, 200, 0, conn4("10.0.0.1", 1, "10.0.0.9", 2), "a");
	closed(3, 300, 0, conn6("::1", 1, "2001:db8::1:0", 2), "a");
	closed(4, 400, 0, conn6("::1", 1, "2001:db8::3", 2), "a");
	closed(5, 500, 0, conn4("10.0.0.1", 1, "9.255.255.255", 2), "a");
	closed(6, 600, 0, conn6("::1", 1, "2001:db8::3", 2), "a");
	closed(7, 700, 0, conn6("::1", 1, "fe80::1", 2), "a");
	closed(8, 800, 0, conn6("::1", 1, "2001:db8:0:0:1::", 2), "a");
	CHECK(build(&pane_lifespans, "RADDR", false, NULL) == 0);
	CHECK_SIDS("5 2 6 4 1 3 8 7");
	CHECK(build(&pane_lifespans, "RADDR", true, NULL) == 0);
	CHECK_SIDS("7 8 3 1 6 4 2 5");
	CHECK(build(&pane_lifespans, "LADDR", false, NULL) == 0);
	CHECK_SIDS("5 2 8 7 6 4 3 1"); /* v4 first, then all ::1 in natural order */
}

TEST(natural_order_open_by_start_then_closed_newest_first)
{
	struct ts_ev_state e;
	struct ts_ev_tput t;

	reset(16);
	e = rec_state(1, 3000, TS_CLOSE, TS_SYN_SENT, web(), owner(1, "a"));
	APPLY(&m, e);
	e = rec_state(2, 1000, TS_CLOSE, TS_SYN_SENT, web(), owner(1, "a"));
	APPLY(&m, e);
	/* first seen late, but the kernel says it started before the others */
	t = rec_tput(3, 4000, web(), owner(1, "a"), 10, 10);
	t.start_ns = 500;
	APPLY(&m, t);
	e = rec_state(4, 2000, TS_CLOSE, TS_SYN_SENT, web(), owner(1, "a"));
	APPLY(&m, e);
	closed(10, 10000, 0, web(), "a");
	closed(11, 30000, 0, web(), "a");
	closed(12, 20000, 0, web(), "a");
	CHECK(build(&pane_lifespans, NULL, false, NULL) == 0);
	CHECK_SIDS("3 2 4 1 11 12 10");
	/* the direction of a natural order is the pane's */
	CHECK(build(&pane_lifespans, NULL, true, NULL) == 0);
	CHECK_SIDS("3 2 4 1 11 12 10");
	/* hiding closed sessions leaves the open ones */
	{
		struct pane_opts o = {.hide_closed = true};
		struct sort_spec s = {-1, false};
		struct fmt_ctx f = ctx();

		CHECK(rows_build(&rs, &pane_lifespans, &m, &o, NULL, &s, &f) == 0);
		CHECK_SIDS("3 2 4 1");
	}
}

TEST(the_filter_applies_before_the_sort)
{
	reset(16);
	closed(1, 100, 300, conn4("10.0.0.1", 1, "10.0.0.2", 80), "a");
	closed(2, 200, 100, conn4("10.0.0.1", 1, "10.0.0.2", 22), "a");
	closed(3, 300, 200, conn4("10.0.0.1", 1, "10.0.0.2", 80), "a");
	closed(4, 400, 999, conn4("10.0.0.1", 1, "10.0.0.2", 443), "a");
	closed(5, 500, 50, conn4("10.0.0.1", 1, "10.0.0.2", 80), "a");
	CHECK(build(&pane_lifespans, "TX_BYTES", true, "port 80") == 0);
	CHECK_EQ_U64(rs.total, 5);
	CHECK_EQ_U64(rs.n, 3);
	CHECK_SIDS("1 3 5");
	CHECK(build(&pane_lifespans, "TX_BYTES", true, "!port 80") == 0);
	CHECK_SIDS("4 2");
	CHECK(build(&pane_lifespans, "TX_BYTES", true, "port 8080") == 0);
	CHECK_EQ_U64(rs.n, 0);
	CHECK_EQ_U64(rs.total, 5);
}

TEST(states_and_events_newest_first_by_default)
{
	struct sort_spec s;
	struct fmt_ctx f;

	reset(16);
	for (uint64_t i = 1; i <= 5; i++) {
		struct ts_ev_state e =
		    rec_state(i, 1000 * (i % 3), TS_CLOSE, TS_SYN_SENT, web(), owner(1, "a"));
		struct ts_ev_retrans r =
		    rec_retrans(i, 1000 * (i % 3), web(), owner(1, "a"), TS_RT_DATA, 1);

		APPLY(&m, e);
		APPLY(&m, r);
	}
	f = ctx();
	sort_default(&pane_states, &s);
	CHECK(rows_build(&rs, &pane_states, &m, NULL, NULL, &s, &f) == 0);
	/* times 1000 2000 0 1000 2000: ties keep the log's order */
	CHECK_STR(sids_of(true), "2 5 1 4 3");
	sort_default(&pane_events, &s);
	CHECK(rows_build(&rs, &pane_events, &m, NULL, NULL, &s, &f) == 0);
	CHECK_EQ_U64(((const struct event_row *)rs.rows[0])->sid, 2);
	CHECK_EQ_U64(((const struct event_row *)rs.rows[1])->sid, 5);
	CHECK_EQ_U64(((const struct event_row *)rs.rows[4])->sid, 3);
	s.desc = false;
	CHECK(rows_build(&rs, &pane_states, &m, NULL, NULL, &s, &f) == 0);
	CHECK_STR(sids_of(true), "3 1 4 2 5");
}

TEST(throughput_rows_sort_by_interval_bytes)
{
	struct sort_spec s;
	struct fmt_ctx f;
	struct ts_ev_tick t = rec_tick(1000);
	static const char *const comms[] = {"", "sshd", "curl", "wget", "nginx"};
	static const char *const by_comm[] = {"curl", "nginx", "sshd", "wget"};
	static const uint64_t tx[] = {0, 3000, 1000, 5000, 1000};

	reset(16);
	for (uint32_t i = 1; i <= 4; i++) {
		struct ts_ev_tput e = rec_tput(i, 10, web(), owner(i, comms[i]), tx[i], 10 * i);

		APPLY(&m, e);
	}
	APPLY(&m, t);
	f = ctx();
	sort_default(&pane_throughput, &s);
	CHECK(rows_build(&rs, &pane_throughput, &m, NULL, NULL, &s, &f) == 0);
	CHECK_EQ_U64(rs.n, 4);
	{
		const struct tput_row *r0 = rs.rows[0], *r3 = rs.rows[3];

		CHECK_EQ_U64(r0->key.pid, 3);
		CHECK_EQ_U64(r3->last_tx, 1000);
	}
	s.col = col(&pane_throughput, "COMM");
	s.desc = false;
	CHECK(rows_build(&rs, &pane_throughput, &m, NULL, NULL, &s, &f) == 0);
	for (size_t i = 0; i < rs.n; i++) {
		const struct tput_row *r = rs.rows[i];

		CHECK_STR(r->key.comm, by_comm[i]);
	}
	s.col = col(&pane_throughput, "RX_KB");
	CHECK(rows_build(&rs, &pane_throughput, &m, NULL, NULL, &s, &f) == 0);
	CHECK_EQ_U64(rs.n, 4);
}

TEST(the_rowset_grows_and_shrinks)
{
	reset(5000);
	closed(1, 100, 1, web(), "a");
	CHECK(build(&pane_lifespans, "TX_BYTES", false, NULL) == 0);
	CHECK_EQ_U64(rs.n, 1);
	for (uint64_t i = 2; i <= 3000; i++)
		closed(i, 100 * i, 3001 - i, web(), "a");
	CHECK(build(&pane_lifespans, "TX_BYTES", false, NULL) == 0);
	CHECK_EQ_U64(rs.n, 3000);
	CHECK_EQ_U64(S(0)->sid, 3000);
	CHECK_EQ_U64(S(2999)->sid, 2);
	CHECK(build(&pane_lifespans, "TX_BYTES", false, "port 1") == 0);
	CHECK_EQ_U64(rs.n, 0);
	reset(5000);
	CHECK(build(&pane_lifespans, "TX_BYTES", false, NULL) == 0);
	CHECK_EQ_U64(rs.n, 0);
	CHECK_EQ_U64(rs.total, 0);
}

/* ---- many rows against a reference sort ---- */

struct ref {
	const void *row;
	size_t pos; /* natural position */
	uint64_t key;
};

static const struct column *ref_col;
static int ref_sign;
static struct fmt_ctx ref_ctx;

static int ref_cmp(const void *x, const void *y)
{
	const struct ref *a = x, *b = y;
	int d = a->key < b->key ? -1 : a->key > b->key;

	if (!d && ref_col->cmp)
		d = ref_col->cmp(&ref_ctx, ref_col, a->row, b->row);
	if (d)
		return d * ref_sign;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static uint32_t rnd_state = 2463534242u;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

#define MANY 100000

TEST(many_rows_match_a_reference_sort)
{
	static struct ref ref[MANY];
	static const void *natural[MANY];
	const struct pane *p = &pane_lifespans;
	struct model_config c = small_config(MANY);
	int failed_cols = 0;

	model_restart(&m, &c);
	for (uint64_t i = 1; i <= MANY; i++) {
		char comm[16];
		struct ts_conn cn;
		struct ts_ev_close e;

		/* few distinct values: long runs of equal keys */
		snprintf(comm, sizeof(comm), "worker-%08u", rnd() % 50);
		if (rnd() % 3) {
			char a[64];

			snprintf(a, sizeof(a), "2001:db8::%x:%x", rnd() % 4, rnd() % 4);
			cn = conn6("::1", (uint16_t)rnd(), a, (uint16_t)(rnd() % 8));
		} else {
			char a[32];

			snprintf(a, sizeof(a), "10.0.%u.%u", rnd() % 3, rnd() % 3);
			cn = conn4("10.0.0.1", (uint16_t)rnd(), a, (uint16_t)(rnd() % 8));
		}
		e = rec_close(i, 1000 + i * 10 + rnd() % 5, 1000 + rnd() % 100000, cn,
			      owner(rnd() % 1000, comm), (uint64_t)(rnd() % 64) << (rnd() % 40),
			      rnd() % 100);
		e.err = rnd() % 4 == 0 ? 111 : 0;
		e.lat_ns = rnd() % 3 ? 0 : rnd();
		APPLY(&m, e);
	}
	CHECK_EQ_U64(retain_count(&m.closed), MANY);
	ref_ctx = ctx();
	/* the natural order, to break ties */
	CHECK(build(p, NULL, false, NULL) == 0);
	CHECK_EQ_U64(rs.n, MANY);
	memcpy(natural, rs.rows, sizeof(natural));
	for (int ci = 0; ci < p->ncols; ci++) {
		for (int desc = 0; desc < 2; desc++) {
			struct sort_spec s = {ci, desc};
			size_t bad = MANY;

			ref_col = &p->cols[ci];
			ref_sign = desc ? -1 : 1;
			for (size_t i = 0; i < MANY; i++) {
				ref[i].row = natural[i];
				ref[i].pos = i;
				ref[i].key = ref_col->key(&ref_ctx, ref_col, natural[i]);
			}
			qsort(ref, MANY, sizeof(ref[0]), ref_cmp);
			if (rows_build(&rs, p, &m, NULL, NULL, &s, &ref_ctx) || rs.n != MANY) {
				bad = 0;
			} else {
				for (size_t i = 0; i < MANY && bad == MANY; i++)
					if (rs.rows[i] != ref[i].row)
						bad = i;
			}
			if (bad != MANY && failed_cols++ < 5) {
				printf("#   %s %s: row %zu differs from the reference\n",
				       ref_col->name, desc ? "desc" : "asc", bad);
				tap_case_failed = 1;
			}
		}
	}
	/* and by the meaning of a few columns, not only their keys */
	CHECK(build(p, "RADDR", false, NULL) == 0);
	for (size_t i = 1; i < rs.n; i++) {
		const struct session *a = S(i - 1), *b = S(i);

		if (a->conn.family > b->conn.family ||
		    (a->conn.family == b->conn.family &&
		     memcmp(a->conn.raddr, b->conn.raddr, 16) > 0)) {
			printf("#   RADDR rows %zu and %zu out of order\n", i - 1, i);
			tap_case_failed = 1;
			break;
		}
	}
	CHECK(build(p, "COMM", true, NULL) == 0);
	for (size_t i = 1; i < rs.n; i++) {
		if (strncmp(S(i - 1)->owner.comm, S(i)->owner.comm, 16) < 0) {
			printf("#   COMM rows %zu and %zu out of order\n", i - 1, i);
			tap_case_failed = 1;
			break;
		}
	}
	CHECK(build(p, "TX_BYTES", true, "rport 3") == 0);
	CHECK(rs.n > 0 && rs.n < MANY);
	for (size_t i = 0; i < rs.n; i++) {
		if ((i && session_tx(S(i - 1)) < session_tx(S(i))) || S(i)->conn.rport != 3) {
			printf("#   filtered TX_BYTES row %zu wrong\n", i);
			tap_case_failed = 1;
			break;
		}
	}
}

/* ---- sort specs ---- */

TEST(sort_parse_names_and_directions)
{
	struct sort_spec s;
	char err[256];

	CHECK(sort_parse(&pane_lifespans, "TX_KB", &s, err, sizeof(err)) == 0);
	CHECK(s.col == col(&pane_lifespans, "TX_KB") && s.desc); /* bytes: biggest first */
	CHECK(sort_parse(&pane_lifespans, "tx_kb:asc", &s, err, sizeof(err)) == 0);
	CHECK(s.col == col(&pane_lifespans, "TX_KB") && !s.desc);
	CHECK(sort_parse(&pane_lifespans, "PID", &s, err, sizeof(err)) == 0);
	CHECK(s.col == col(&pane_lifespans, "PID") && !s.desc);
	CHECK(sort_parse(&pane_lifespans, "pid:DESC", &s, err, sizeof(err)) == 0);
	CHECK(s.desc);
	CHECK(sort_parse(&pane_states, "time(s)", &s, err, sizeof(err)) == 0);
	CHECK(s.col == col(&pane_states, "TIME(s)"));
	CHECK(sort_parse(&pane_throughput, "RX_KB:asc", &s, err, sizeof(err)) == 0);
	CHECK(s.col == col(&pane_throughput, "RX_KB") && !s.desc);
}

TEST(sort_parse_errors)
{
	struct sort_spec s = {-7, true};
	char err[256], tiny[16];
	char longname[100];

	CHECK(sort_parse(&pane_lifespans, "nope", &s, err, sizeof(err)) == -EINVAL);
	CHECK(strstr(err, "lifespans") && strstr(err, "'nope'") && strstr(err, "try:"));
	CHECK(strstr(err, " TX_KB") != NULL);
	CHECK(strchr(err, '\n') == NULL);
	CHECK(s.col == -7); /* untouched */
	CHECK(sort_parse(&pane_lifespans, "TX_KB:up", &s, err, sizeof(err)) == -EINVAL);
	CHECK(strstr(err, "'up'") && strstr(err, "asc or desc"));
	CHECK(sort_parse(&pane_lifespans, "TX_KB:", &s, err, sizeof(err)) == -EINVAL);
	CHECK(sort_parse(&pane_lifespans, "", &s, err, sizeof(err)) == -EINVAL);
	CHECK(sort_parse(&pane_lifespans, ":asc", &s, err, sizeof(err)) == -EINVAL);
	memset(longname, 'A', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	CHECK(sort_parse(&pane_lifespans, longname, &s, err, sizeof(err)) == -EINVAL);
	CHECK(strstr(err, "too long") != NULL);
	/* the list of columns is cut, never overflows */
	memset(tiny, 'Z', sizeof(tiny));
	CHECK(sort_parse(&pane_lifespans, "nope", &s, tiny, 10) == -EINVAL);
	CHECK(strlen(tiny) == 9 && tiny[10] == 'Z');
}

TEST(sort_defaults)
{
	struct sort_spec s;

	sort_default(&pane_lifespans, &s);
	CHECK(s.col == -1 && !s.desc);
	sort_default(&pane_states, &s);
	CHECK(s.col == col(&pane_states, "TIME") && s.desc);
	sort_default(&pane_events, &s);
	CHECK(s.col == col(&pane_events, "TIME") && s.desc);
	sort_default(&pane_throughput, &s);
	CHECK(s.col == col(&pane_throughput, "TX_KB") && s.desc);
}

int main(void)
{
	RUN(numeric_columns_sort_both_ways);
	RUN(equal_keys_keep_the_natural_order);
	RUN(equal_keys_keep_the_natural_order_among_open_sessions);
	RUN(long_runs_of_equal_keys_in_the_natural_order);
	RUN(string_ties_beyond_eight_bytes_are_compared_fully);
	RUN(addresses_sort_by_family_then_every_byte);
	RUN(natural_order_open_by_start_then_closed_newest_first);
	RUN(the_filter_applies_before_the_sort);
	RUN(states_and_events_newest_first_by_default);
	RUN(throughput_rows_sort_by_interval_bytes);
	RUN(the_rowset_grows_and_shrinks);
	RUN(many_rows_match_a_reference_sort);
	RUN(sort_parse_names_and_directions);
	RUN(sort_parse_errors);
	RUN(sort_defaults);
	rows_free(&rs);
	model_free(&m);
	TAP_DONE();
}
