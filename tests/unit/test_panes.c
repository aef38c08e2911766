// SPDX-License-Identifier: GPL-2.0
/* The panes: what each says of itself, its column table and the text of its cells. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <strings.h>
#include <time.h>
#include "../tap.h"
#include "records.h"
#include "views/format.h"
#include "views/pane.h"
#include "views/session_values.h"
#include "views/throughput.h"

static struct model m;

static void reset(void)
{
	struct model_config c = small_config(32);

	model_restart(&m, &c);
}

/* The names of p's columns that have all of flags, space-separated. */
static const char *names_with(const struct pane *p, unsigned flags)
{
	static char buf[512];
	size_t o = 0;

	buf[0] = 0;
	for (int i = 0; i < p->ncols; i++)
		if ((p->cols[i].flags & flags) == flags)
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s", o ? " " : "",
					      p->cols[i].name);
	return buf;
}

/* The text of column name for row, in text (csv false) or CSV form. */
static const char *cell_of(const struct pane *p, const char *name, const void *row, bool csv)
{
	static char buf[256];
	struct fmt_ctx f = {&m, csv ? FMT_CSV : 0, m.st.now_ns, m.st.first_ns};
	int c = pane_column(p, name);

	if (c < 0) {
		printf("#   %s has no column %s\n", p->name, name);
		tap_case_failed = 1;
		return "";
	}
	p->cols[c].format(&f, &p->cols[c], row, buf, sizeof(buf));
	return buf;
}
#define TEXT(p, name, row) cell_of((p), (name), (row), false)
#define CSV(p, name, row)  cell_of((p), (name), (row), true)

static const struct session *last_closed(void)
{
	size_t n = retain_count(&m.closed);

	return n ? retain_at(&m.closed, n - 1) : NULL;
}

static const struct state_row *last_state(void)
{
	size_t n = retain_count(&m.states);

	return n ? retain_at(&m.states, n - 1) : NULL;
}

static const struct event_row *last_event(void)
{
	size_t n = retain_count(&m.events);

	return n ? retain_at(&m.events, n - 1) : NULL;
}

TEST(column_tables_are_complete)
{
	for (int id = 0; id < P_MAX; id++) {
		const struct pane *p = pane_get((enum pane_id)id);

		CHECK(p != NULL);
		if (!p)
			continue;
		CHECK(p->name && p->title && p->cols && p->ncols > 0);
		CHECK(p->collect && p->count && p->fields && p->ts);
		CHECK(p->default_sort >= -1 && p->default_sort < p->ncols);
		CHECK(p->default_sort >= 0 || p->natural);
		for (int i = 0; i < p->ncols; i++) {
			const struct column *c = &p->cols[i];

			if (!c->name || !c->name[0] || !c->help || !c->format || !c->key ||
			    c->width <= 0 || c->wide < c->width ||
			    !(c->flags &
			      (COL_CSV | COL_SCREEN | COL_BATCH | COL_CLOCK | COL_REL))) {
				printf("#   %s column %d (%s) is incomplete\n", p->name, i,
				       c->name ? c->name : "?");
				tap_case_failed = 1;
			}
			for (int j = 0; j < i; j++)
				if (!strcasecmp(c->name, p->cols[j].name)) {
					printf("#   %s has two columns %s\n", p->name, c->name);
					tap_case_failed = 1;
				}
			CHECK(pane_column(p, c->name) == i);
		}
		/* exactly one TIME (-T) and one TIME(s) (-t) column */
		CHECK_STR(names_with(p, COL_CLOCK), "TIME");
		CHECK_STR(names_with(p, COL_REL), "TIME(s)");
	}
}

/* Say which pane lacks what, and fail. */
static void lacks(const struct pane *p, const char *what)
{
	printf("#   pane %s: %s\n", p->name ? p->name : "?", what);
	tap_case_failed = 1;
}

/* What every pane must say of itself: the list's and those their groupings show. */
static void check_described(const struct pane *p)
{
	if (!p->name || !p->name[0] || !p->title || !p->title[0])
		lacks(p, "a name and a title");
	if (!p->empty || !p->empty[0])
		lacks(p, "what it says while empty (.empty)");
	if (!p->cols || p->ncols <= 0 || p->ncols > PANE_MAX_COLS)
		lacks(p, "a column table of 1 to PANE_MAX_COLS columns");
	if (!p->collect || !p->count || !p->fields || !p->ts || !p->ident || !p->row_size)
		lacks(p, "a row source (collect, count, fields, ts, ident, row_size)");
	if (p->default_sort < -1 || p->default_sort >= p->ncols ||
	    (p->default_sort < 0 && !p->natural))
		lacks(p, "a default sort (a column, or -1 and a natural order)");
	if ((unsigned)p->batch >= BATCH_KINDS)
		lacks(p, "how batch mode prints it (.batch)");
	if (p->batch == BATCH_PER_INTERVAL && !p->table_note)
		lacks(p, "the note of its tables in batch mode (.table_note)");
	if (!p->jobs[0])
		lacks(p, "the kernel jobs that feed it (.jobs)");
}

/* Its place on the screen, its grouping and its name, for a pane of the list. */
static void check_listed(int id, const struct pane *p, int *weights)
{
	const struct pane_grouping *g = p->grouping;

	check_described(p);
	*weights += p->weight;
	if (p->weight <= 0)
		lacks(p, "its share of the lines when the panes are stacked (.weight)");
	if (p->grid.row < 0 || p->grid.col < 0 || p->grid.col > 1)
		lacks(p, "a cell on wide screens (.grid: a row, column 0 or 1)");
	for (int j = 0; j < id; j++) {
		const struct pane *q = pane_get((enum pane_id)j);

		if (q->grid.row == p->grid.row && q->grid.col == p->grid.col)
			lacks(p, "a cell of its own on wide screens: another pane has it");
		if (!strcasecmp(q->name, p->name))
			lacks(p, "a name of its own");
	}
	if (pane_by_name(p->name) != p)
		lacks(p, "to be found by its name");
	if (g && (g->modes <= 0 || !g->name || !g->get || !g->set || !g->said))
		lacks(p, "a whole grouping (modes, name, get, set, said)");
	for (int mode = 0; g && g->modes > 0 && g->name && g->get && g->set && mode < g->modes;
	     mode++) {
		struct pane_opts o = {0};

		g->set(&o, mode);
		if (g->get(&o) != mode || pane_grouping_parse(g, g->name(mode)) != mode)
			lacks(p, "grouping modes that read back by value and by name");
	}
	if (g && g->summed)
		check_described(g->summed);
}

TEST(every_pane_is_described_whole)
{
	int weights = 0;

	for (int id = 0; id < P_MAX; id++)
		check_listed(id, pane_get((enum pane_id)id), &weights);
	CHECK_EQ_U64(weights, 100);
}

TEST(panes_by_name_and_id)
{
	CHECK(pane_get(P_LIFESPANS) == &pane_lifespans);
	CHECK(pane_get(P_THROUGHPUT) == &pane_throughput);
	CHECK(pane_get(P_STATES) == &pane_states);
	CHECK(pane_get(P_EVENTS) == &pane_events);
	CHECK(pane_get(P_MAX) == NULL);
	CHECK(pane_by_name("lifespans") == &pane_lifespans);
	CHECK(pane_by_name("THROUGHPUT") == &pane_throughput);
	CHECK(pane_by_name("States") == &pane_states);
	CHECK(pane_by_name("events") == &pane_events);
	CHECK(pane_by_name("event") == NULL);
	CHECK(pane_by_name("") == NULL);
	CHECK(pane_column(&pane_lifespans, "tx_kb") == pane_column(&pane_lifespans, "TX_KB"));
	CHECK(pane_column(&pane_lifespans, "nope") == -1);
}

TEST(batch_columns_follow_the_bcc_tools)
{
	/* tcplife */
	CHECK_STR(names_with(&pane_lifespans, COL_BATCH),
		  "PID COMM IP LADDR LPORT RADDR RPORT TX_KB RX_KB MS");
	/* tcpstates (without its SKADDR) */
	CHECK_STR(names_with(&pane_states, COL_BATCH),
		  "PID COMM LADDR LPORT RADDR RPORT OLDSTATE -> NEWSTATE MS");
	/* tcptop */
	CHECK_STR(names_with(&pane_throughput, COL_BATCH), "PID COMM LADDR RADDR RX_KB TX_KB");
}

TEST(csv_columns_carry_exact_values)
{
	const char *l = names_with(&pane_lifespans, COL_CSV);
	const char *t;

	CHECK(strstr(l, "TX_BYTES RX_BYTES") != NULL);
	CHECK(strstr(l, "PID COMM IP LADDR LPORT RADDR RPORT TX_KB RX_KB") != NULL);
	CHECK(strstr(l, " MS ") != NULL);
	CHECK(strstr(l, "STATUS") != NULL);
	t = names_with(&pane_throughput, COL_CSV);
	CHECK(strstr(t, "RX_BYTES TX_BYTES") != NULL);
	CHECK(strstr(t, "RX_TOT_BYTES TX_TOT_BYTES") != NULL);
	/* the arrow is decoration: not a CSV field */
	CHECK(strstr(names_with(&pane_states, COL_CSV), "->") == NULL);
	CHECK(strstr(names_with(&pane_states, COL_CSV), "OLDSTATE NEWSTATE") != NULL);
}

TEST(lifespan_cells)
{
	struct ts_ev_close e;
	const struct session *s;

	reset();
	e = rec_close(1, 1000 + 12345678, 1000, conn4("10.1.2.3", 40000, "192.0.2.9", 443),
		      owner(4242, "curl"), 3071, 1023);
	e.lat_ns = 1500000;
	e.srtt_us = 250;
	e.retrans = 3;
	APPLY(&m, e);
	s = last_closed();
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_STR(TEXT(&pane_lifespans, "PID", s), "4242");
	CHECK_STR(TEXT(&pane_lifespans, "COMM", s), "curl");
	CHECK_STR(TEXT(&pane_lifespans, "IP", s), "4");
	CHECK_STR(TEXT(&pane_lifespans, "LADDR", s), "10.1.2.3");
	CHECK_STR(TEXT(&pane_lifespans, "LPORT", s), "40000");
	CHECK_STR(TEXT(&pane_lifespans, "RADDR", s), "192.0.2.9");
	CHECK_STR(TEXT(&pane_lifespans, "RPORT", s), "443");
	CHECK_STR(TEXT(&pane_lifespans, "TX_KB", s), "2"); /* 3071 / 1024 */
	CHECK_STR(TEXT(&pane_lifespans, "RX_KB", s), "0");
	CHECK_STR(TEXT(&pane_lifespans, "TX_BYTES", s), "3071");
	CHECK_STR(TEXT(&pane_lifespans, "RX_BYTES", s), "1023");
	CHECK_STR(TEXT(&pane_lifespans, "MS", s), "12.35");
	CHECK_STR(CSV(&pane_lifespans, "MS", s), "12.35");
	CHECK_STR(TEXT(&pane_lifespans, "STATE", s), "CLOSE");
	CHECK_STR(TEXT(&pane_lifespans, "DIR", s), "connect");
	CHECK_STR(TEXT(&pane_lifespans, "STATUS", s), "ok");
	CHECK_STR(TEXT(&pane_lifespans, "LAT_MS", s), "1.500");
	CHECK_STR(TEXT(&pane_lifespans, "RTT_MS", s), "0.250");
	CHECK_STR(TEXT(&pane_lifespans, "RETRANS", s), "3");
	/* KB are whole kibibytes, rounded down */
	e = rec_close(2, 5000, 1000, conn4("10.1.2.3", 1, "10.1.2.4", 2), owner(1, "a"), 1024,
		      1048575);
	APPLY(&m, e);
	s = last_closed();
	CHECK_STR(TEXT(&pane_lifespans, "TX_KB", s), "1");
	CHECK_STR(TEXT(&pane_lifespans, "RX_KB", s), "1023");
	CHECK_STR(TEXT(&pane_lifespans, "LAT_MS", s), "-");
	CHECK_STR(CSV(&pane_lifespans, "LAT_MS", s), "");
	CHECK_STR(TEXT(&pane_lifespans, "MS", s), "0.00");
}

TEST(lifespan_of_ipv6_and_wide_addresses)
{
	struct ts_ev_close e;
	const struct session *s;

	reset();
	e = rec_close(1, 2000, 1000,
		      conn6("2001:db8::1", 443, "2001:db8:ffff:ffff:ffff:ffff:ffff:fffe", 5555),
		      owner(1, "nginx"), 0, 0);
	APPLY(&m, e);
	s = last_closed();
	CHECK_STR(TEXT(&pane_lifespans, "IP", s), "6");
	CHECK_STR(TEXT(&pane_lifespans, "LADDR", s), "2001:db8::1");
	CHECK_STR(TEXT(&pane_lifespans, "RADDR", s), "2001:db8:ffff:ffff:ffff:ffff:ffff:fffe");
}

/* An open session's handshake is known once it is established, before its close says it. */
TEST(open_session_handshake)
{
	struct ts_conn c = conn4("10.0.0.1", 40000, "10.0.0.2", 80);
	struct ts_ev_state st;
	struct ts_ev_close e;
	const struct session *s;

	reset();
	st = rec_state(5, 1000, TS_CLOSE, TS_SYN_SENT, c, owner(9, "curl"));
	APPLY(&m, st);
	s = model_find_open(&m, 5);
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_STR(TEXT(&pane_lifespans, "LAT_MS", s), "-");
	st = rec_state(5, 1000 + 2500000, TS_SYN_SENT, TS_ESTABLISHED, c, owner(9, "curl"));
	st.dt_ns = 2500000;
	APPLY(&m, st);
	CHECK_STR(TEXT(&pane_lifespans, "LAT_MS", s), "2.500");
	CHECK_STR(CSV(&pane_lifespans, "LAT_MS", s), "2.500");
	/* the close's own (the kernel's) wins */
	e = rec_close(5, 9000000, 1000, c, owner(9, "curl"), 10, 10);
	e.lat_ns = 2400000;
	APPLY(&m, e);
	s = last_closed();
	CHECK(s != NULL);
	if (s)
		CHECK_STR(TEXT(&pane_lifespans, "LAT_MS", s), "2.400");
}

TEST(sessions_open_before_tracing)
{
	struct ts_ev_existing x;
	struct ts_ev_owner o;
	struct ts_ev_close e;
	const struct session *s;

	reset();
	x = rec_existing(2, 100, conn4("10.0.0.1", 6379, "10.0.0.2", 50000), 1000, 2000);
	APPLY(&m, x);
	o = rec_owner(2, 150, owner(7, "redis"));
	APPLY(&m, o);
	s = model_find_open(&m, 2);
	CHECK(s != NULL);
	if (!s)
		return;
	m.st.now_ns = 100 + 4000000;
	CHECK_STR(TEXT(&pane_lifespans, "MS", s), ">4.00");
	CHECK_STR(CSV(&pane_lifespans, "MS", s), "4.00");
	CHECK_STR(TEXT(&pane_lifespans, "STATUS", s), "open");
	CHECK_STR(TEXT(&pane_lifespans, "STATE", s), "ESTABLISHED");
	CHECK_STR(TEXT(&pane_lifespans, "DIR", s), "before");
	CHECK_STR(TEXT(&pane_lifespans, "TX_BYTES", s), "1000");
	e = rec_close(2, 100 + 2500000, 0, x.conn, nobody(), 9000, 8000);
	e.dir = TS_DIR_UNKNOWN;
	APPLY(&m, e);
	s = last_closed();
	CHECK_STR(TEXT(&pane_lifespans, "MS", s), ">2.50");
	CHECK_STR(CSV(&pane_lifespans, "MS", s), "2.50");
	CHECK_STR(TEXT(&pane_lifespans, "DIR", s), "before");
	CHECK_STR(TEXT(&pane_lifespans, "COMM", s), "redis");
	CHECK_STR(TEXT(&pane_lifespans, "TX_BYTES", s), "9000");
	CHECK_STR(TEXT(&pane_lifespans, "RX_BYTES", s), "8000");
	CHECK_STR(TEXT(&pane_lifespans, "STATUS", s), "ok");
}

static const char *status_after(uint32_t err, uint8_t flags)
{
	struct ts_ev_close e =
	    rec_close(1, 2000, 1000, conn4("10.0.0.1", 1, "10.0.0.2", 2), owner(1, "a"), 0, 0);

	e.err = err;
	e.flags = flags;
	APPLY(&m, e);
	return TEXT(&pane_lifespans, "STATUS", last_closed());
}

TEST(status_words)
{
	struct ts_ev_state st;
	struct ts_ev_gone g;

	reset();
	CHECK_STR(status_after(ECONNREFUSED, TS_F_FAILED), "refused");
	CHECK_STR(status_after(ETIMEDOUT, TS_F_FAILED), "timeout");
	CHECK_STR(status_after(ECONNRESET, TS_F_ESTABLISHED), "reset");
	CHECK_STR(status_after(EPIPE, TS_F_ESTABLISHED), "reset");
	CHECK_STR(status_after(EHOSTUNREACH, TS_F_FAILED), "unreach");
	CHECK_STR(status_after(ENETUNREACH, TS_F_FAILED), "unreach");
	CHECK_STR(status_after(0, TS_F_ESTABLISHED), "ok");
	CHECK_STR(status_after(0, TS_F_FAILED), "failed");
	CHECK_STR(status_after(EIO, TS_F_ESTABLISHED), "err5");
	st = rec_state(9, 100, TS_CLOSE, TS_SYN_SENT, conn4("10.0.0.1", 1, "10.0.0.2", 2),
		       owner(1, "a"));
	APPLY(&m, st);
	CHECK_STR(TEXT(&pane_lifespans, "STATUS", model_find_open(&m, 9)), "open");
	g = rec_gone(9, 200);
	APPLY(&m, g);
	CHECK_STR(TEXT(&pane_lifespans, "STATUS", last_closed()), "lost");
	CHECK_STR(TEXT(&pane_lifespans, "STATE", last_closed()), "CLOSE");
}

TEST(unknown_owners)
{
	struct ts_ev_close e;

	reset();
	e = rec_close(1, 2000, 1000, conn4("10.0.0.1", 1, "10.0.0.2", 2), nobody(), 0, 0);
	APPLY(&m, e);
	CHECK_STR(TEXT(&pane_lifespans, "PID", last_closed()), "-");
	CHECK_STR(TEXT(&pane_lifespans, "COMM", last_closed()), "[unknown]");
	CHECK_STR(CSV(&pane_lifespans, "PID", last_closed()), ""); /* a number, or nothing */
	/* a comm left in the record without a pid is not believed */
	e = rec_close(2, 2000, 1000, conn4("10.0.0.1", 1, "10.0.0.2", 2), nobody(), 0, 0);
	memcpy(e.owner.comm, "ghost", 5);
	APPLY(&m, e);
	CHECK_STR(TEXT(&pane_lifespans, "COMM", last_closed()), "[unknown]");
}

TEST(hostile_names_are_escaped)
{
	struct ts_ev_close e;

	reset();
	e = rec_close(1, 2000, 1000, conn4("10.0.0.1", 1, "10.0.0.2", 2),
		      owner(1, "a\x1b]0;x\x07\xc2\x9b"), 0, 0);
	APPLY(&m, e);
	CHECK_STR(TEXT(&pane_lifespans, "COMM", last_closed()), "a\\x1b]0;x\\x07\\x9b");
	/* all 16 bytes of a comm, no terminator */
	e = rec_close(2, 2000, 1000, conn4("10.0.0.1", 1, "10.0.0.2", 2),
		      owner(1, "0123456789abcdef"), 0, 0);
	APPLY(&m, e);
	CHECK_STR(TEXT(&pane_lifespans, "COMM", last_closed()), "0123456789abcdef");
}

TEST(time_columns)
{
	struct ts_ev_meta meta;
	struct ts_ev_close e;
	const struct session *s;

	reset();
	e = rec_close(1, 5000001000ULL, 1000, conn4("10.0.0.1", 1, "10.0.0.2", 2), owner(1, "a"), 0,
		      0);
	APPLY(&m, e);
	s = last_closed();
	/* without the recording's clock there is no wall time */
	CHECK_STR(TEXT(&pane_lifespans, "TIME", s), "-");
	/* 1700000000 is 2023-11-14 22:13:20 UTC */
	meta = rec_meta(1000, 1700000000);
	APPLY(&m, meta);
	CHECK_STR(TEXT(&pane_lifespans, "TIME", s), "22:13:25");
	/* TIME(s) counts from the first record */
	m.st.first_ns = 1000;
	CHECK_STR(TEXT(&pane_lifespans, "TIME(s)", s), "5.000000");
}

TEST(state_cells)
{
	struct ts_ev_state e;
	const struct state_row *r;

	reset();
	e = rec_state(0xabc, 1000, TS_SYN_SENT, TS_ESTABLISHED,
		      conn4("10.0.0.1", 40000, "10.0.0.2", 80), owner(42, "curl"));
	e.dt_ns = 2500000;
	APPLY(&m, e);
	r = last_state();
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_STR(TEXT(&pane_states, "OLDSTATE", r), "SYN_SENT");
	CHECK_STR(TEXT(&pane_states, "->", r), "->");
	CHECK_STR(TEXT(&pane_states, "NEWSTATE", r), "ESTABLISHED");
	CHECK_STR(TEXT(&pane_states, "MS", r), "2.500");
	CHECK_STR(TEXT(&pane_states, "SID", r), "abc");
	CHECK_STR(TEXT(&pane_states, "COMM", r), "curl");
	CHECK_STR(TEXT(&pane_states, "LPORT", r), "40000");
	CHECK_STR(TEXT(&pane_states, "RADDR", r), "10.0.0.2");
}

TEST(event_cells)
{
	struct ts_ev_state st;
	struct ts_ev_retrans rt;
	struct ts_ev_drop d;
	struct ts_ev_reason rn;
	struct ts_ev_symbol sy;
	const struct event_row *r;
	struct ts_conn c = conn4("10.0.0.1", 40000, "10.0.0.2", 80);

	reset();
	st = rec_state(5, 100, TS_CLOSE, TS_SYN_SENT, c, owner(42, "curl"));
	APPLY(&m, st);
	/* a retransmit from softirq: the owner comes from the session */
	rt = rec_retrans(5, 200, c, nobody(), TS_RT_DATA, 4);
	APPLY(&m, rt);
	r = last_event();
	CHECK_STR(TEXT(&pane_events, "TYPE", r), "RETRANS");
	CHECK_STR(TEXT(&pane_events, "PID", r), "42");
	CHECK_STR(TEXT(&pane_events, "COMM", r), "curl");
	CHECK_STR(TEXT(&pane_events, "DIR", r), "->");
	CHECK_STR(TEXT(&pane_events, "REASON", r), "-");
	CHECK_STR(TEXT(&pane_events, "FLAGS", r), "-");
	CHECK_STR(TEXT(&pane_events, "COUNT", r), "4");
	CHECK_STR(TEXT(&pane_events, "STATE", r), "ESTABLISHED");
	rt.kind = TS_RT_SYN;
	APPLY(&m, rt);
	CHECK_STR(TEXT(&pane_events, "TYPE", last_event()), "RETRANS_SYN");
	rt.kind = TS_RT_SYNACK;
	APPLY(&m, rt);
	CHECK_STR(TEXT(&pane_events, "TYPE", last_event()), "RETRANS_SYNACK");

	/* a drop with no socket: the kernel's own */
	d = rec_drop(0, 300, conn4("203.0.113.5", 80, "198.51.100.7", 1234), nobody(), 2, 0x12);
	d.location = 0xffffffff81abcdefULL;
	APPLY(&m, d);
	r = last_event();
	CHECK_STR(TEXT(&pane_events, "TYPE", r), "DROP");
	CHECK_STR(TEXT(&pane_events, "PID", r), "-");
	CHECK_STR(TEXT(&pane_events, "COMM", r), "[kernel]");
	CHECK_STR(TEXT(&pane_events, "DIR", r), "<-");
	CHECK_STR(TEXT(&pane_events, "STATE", r), "-");
	CHECK_STR(TEXT(&pane_events, "FLAGS", r), "SYN|ACK");
	CHECK_STR(TEXT(&pane_events, "REASON", r), "reason_2");
	CHECK_STR(TEXT(&pane_events, "LOCATION", r), "0xffffffff81abcdef");
	/* names come from the recording kernel */
	rn = rec_reason(2, "NO_SOCKET");
	APPLY(&m, rn);
	sy = rec_symbol(0xffffffff81abcdefULL, "tcp_v4_rcv+0x1a");
	APPLY(&m, sy);
	CHECK_STR(TEXT(&pane_events, "REASON", r), "NO_SOCKET");
	CHECK_STR(TEXT(&pane_events, "LOCATION", r), "tcp_v4_rcv+0x1a");
	rn = rec_reason(2, "EVIL\x1b[2J");
	APPLY(&m, rn);
	CHECK_STR(TEXT(&pane_events, "REASON", r), "EVIL\\x1b[2J");
	d.reason = 511;
	d.location = 0;
	d.tcp_flags = 0;
	d.ingress = 0;
	APPLY(&m, d);
	r = last_event();
	CHECK_STR(TEXT(&pane_events, "REASON", r), "reason_511");
	CHECK_STR(TEXT(&pane_events, "LOCATION", r), "-");
	CHECK_STR(TEXT(&pane_events, "FLAGS", r), "");
	CHECK_STR(TEXT(&pane_events, "DIR", r), "->");
	d.tcp_flags = 0xff;
	APPLY(&m, d);
	CHECK_STR(TEXT(&pane_events, "FLAGS", last_event()), "FIN|SYN|RST|PSH|ACK|URG|ECE|CWR");
	d.tcp_flags = 0x04;
	APPLY(&m, d);
	CHECK_STR(TEXT(&pane_events, "FLAGS", last_event()), "RST");
}

static struct tput_row *sockets;
static size_t sockets_cap;

/* The first row of grouping g (by socket: made from the sessions, open ones too). */
static const struct tput_row *group_row(enum tput_group g)
{
	size_t pos = 0;

	if (g == G_SOCKET)
		return tput_socket_rows(&m, true, &sockets, &sockets_cap) ? sockets : NULL;
	return table_next(&m.groups[g], &pos);
}

TEST(throughput_cells_per_grouping)
{
	struct ts_ev_tput t;
	struct ts_ev_tick k = rec_tick(1000000000);
	const struct tput_row *r;

	reset();
	t = rec_tput(1, 100, conn6("2001:db8::1", 443, "2001:db8::2", 50000), owner(9, "nginx"),
		     2048, 5120);
	APPLY(&m, t);
	APPLY(&m, k);
	r = group_row(G_PROC_HOSTS);
	CHECK_STR(TEXT(&pane_throughput, "PID", r), "9");
	CHECK_STR(TEXT(&pane_throughput, "COMM", r), "nginx");
	CHECK_STR(TEXT(&pane_throughput, "LADDR", r), "2001:db8::1");
	CHECK_STR(TEXT(&pane_throughput, "TX_KB", r), "2");
	CHECK_STR(TEXT(&pane_throughput, "RX_KB", r), "5");
	CHECK_STR(TEXT(&pane_throughput, "TX_BYTES", r), "2048");
	CHECK_STR(TEXT(&pane_throughput, "TX_KBS", r), "2.0");
	CHECK_STR(TEXT(&pane_throughput, "RX_KBS", r), "5.0");
	CHECK_STR(TEXT(&pane_throughput, "CONNS", r), "1");
	CHECK_STR(TEXT(&pane_throughput, "IP", r), "6");
	r = group_row(G_HOSTS);
	CHECK_STR(TEXT(&pane_throughput, "PID", r), "*");
	CHECK_STR(TEXT(&pane_throughput, "COMM", r), "*");
	CHECK_STR(TEXT(&pane_throughput, "RADDR", r), "2001:db8::2");
	r = group_row(G_PROC);
	CHECK_STR(TEXT(&pane_throughput, "LADDR", r), "*");
	CHECK_STR(TEXT(&pane_throughput, "RADDR", r), "*");
	CHECK_STR(TEXT(&pane_throughput, "IP", r), "*");
	CHECK_STR(TEXT(&pane_throughput, "COMM", r), "nginx");
	r = group_row(G_SOCKET);
	CHECK_STR(TEXT(&pane_throughput, "LADDR", r), "[2001:db8::1]:443");
	CHECK_STR(TEXT(&pane_throughput, "RADDR", r), "[2001:db8::2]:50000");
	/* a half-second interval doubles the rate */
	k = rec_tick(1500000000);
	k.interval_ns = 500000000;
	t.app_tx += 1024;
	APPLY(&m, t);
	APPLY(&m, k);
	r = group_row(G_PROC_HOSTS);
	CHECK_STR(TEXT(&pane_throughput, "TX_KBS", r), "2.0");
	CHECK_STR(TEXT(&pane_throughput, "TX_TOT_BYTES", r), "3072");
	CHECK_STR(TEXT(&pane_throughput, "TX_TOT_KB", r), "3");
	t = rec_tput(2, 100, conn4("10.0.0.1", 40000, "10.0.0.2", 80), owner(3, "curl"), 1, 1);
	APPLY(&m, t);
	APPLY(&m, k);
	for (size_t i = 0, n = tput_socket_rows(&m, true, &sockets, &sockets_cap); i < n; i++)
		if (sockets[i].key.sid == 2)
			CHECK_STR(TEXT(&pane_throughput, "LADDR", &sockets[i]), "10.0.0.1:40000");
}

/* Every cell of every row of every pane, into buffers of every small size. */
TEST(cells_fit_any_buffer)
{
	struct ts_conn c6 = conn6("2001:db8:ffff:ffff:ffff:ffff:ffff:fffe", 65535,
				  "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", 65535);
	struct ts_ev_close e;
	struct ts_ev_state st;
	struct ts_ev_drop d;
	struct ts_ev_tput t;
	struct ts_ev_tick k = rec_tick(1000000000);
	const void *rows[P_MAX + G_MAX];
	const struct pane *panes[P_MAX + G_MAX];
	int n = 0;

	reset();
	st = rec_state(
	    1, 100, TS_SYN_SENT, TS_ESTABLISHED, c6,
	    owner(4294967295u, "\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b"));
	st.dt_ns = ~0ULL;
	APPLY(&m, st);
	t = rec_tput(1, 200, c6, st.owner, ~0ULL >> 1, ~0ULL >> 1);
	APPLY(&m, t);
	APPLY(&m, k);
	/* the rows by socket are made from the open session: take them before it closes */
	for (int g = 0; g < G_MAX; g++)
		panes[n] = &pane_throughput, rows[n++] = group_row((enum tput_group)g);
	d = rec_drop(1, 300, c6, nobody(), 400, 0xff);
	d.location = ~0ULL;
	APPLY(&m, d);
	e = rec_close(1, ~0ULL >> 1, 1, c6, st.owner, ~0ULL, ~0ULL);
	e.err = 4000000000u;
	e.lat_ns = ~0ULL;
	e.srtt_us = ~0u;
	e.retrans = ~0u;
	APPLY(&m, e);
	panes[n] = &pane_lifespans, rows[n++] = last_closed();
	panes[n] = &pane_states, rows[n++] = last_state();
	panes[n] = &pane_events, rows[n++] = last_event();
	for (int i = 0; i < n; i++) {
		const struct pane *p = panes[i];

		CHECK(rows[i] != NULL);
		if (!rows[i])
			continue;
		for (int ci = 0; ci < p->ncols; ci++) {
			const struct column *c = &p->cols[ci];

			for (unsigned flags = 0; flags <= FMT_CSV; flags++) {
				struct fmt_ctx f = {&m, flags, m.st.now_ns, 0};
				char full[512];

				c->format(&f, c, rows[i], full, sizeof(full));
				for (const unsigned char *q = (const unsigned char *)full; *q; q++)
					if (*q < 0x20 || *q == 0x7f) {
						printf("#   %s %s: control byte\n", p->name,
						       c->name);
						tap_case_failed = 1;
						break;
					}
				for (size_t size = 1; size < 24; size++) {
					char buf[40];

					memset(buf, 'Z', sizeof(buf));
					c->format(&f, c, rows[i], buf, size);
					if (strnlen(buf, size) == size || buf[size] != 'Z') {
						printf("#   %s %s into %zu bytes overflows\n",
						       p->name, c->name, size);
						tap_case_failed = 1;
						break;
					}
				}
			}
		}
	}
}

/* In CSV, number columns hold numbers (or nothing), so a spreadsheet can add them up. */
TEST(csv_numbers_are_numbers)
{
	struct ts_ev_close e;
	struct ts_ev_existing x;
	const struct session *rows[2];

	reset();
	e = rec_close(1, 5000000, 1000, conn4("10.0.0.1", 1, "10.0.0.2", 2), owner(5, "a"), 10, 20);
	APPLY(&m, e);
	rows[0] = last_closed();
	x = rec_existing(2, 100, conn4("10.0.0.1", 3, "10.0.0.2", 4), 1, 2);
	APPLY(&m, x);
	e = rec_close(2, 9000000, 0, x.conn, owner(6, "b"), 10, 20);
	APPLY(&m, e);
	rows[1] = last_closed();
	for (int i = 0; i < 2; i++)
		for (int ci = 0; ci < pane_lifespans.ncols; ci++) {
			const struct column *c = &pane_lifespans.cols[ci];
			const char *v;
			char *end;

			if (!(c->flags & COL_NUM) || !(c->flags & COL_CSV))
				continue;
			v = CSV(&pane_lifespans, c->name, rows[i]);
			if (!*v)
				continue;
			strtod(v, &end);
			if (*end) {
				printf("#   %s in CSV is \"%s\"\n", c->name, v);
				tap_case_failed = 1;
			}
		}
}

TEST(state_names)
{
	CHECK_STR(state_name(TS_ESTABLISHED), "ESTABLISHED");
	CHECK_STR(state_name(TS_NEW_SYN_RECV), "NEW_SYN_RECV");
	CHECK_STR(state_name(0), "UNKNOWN");
	CHECK_STR(state_name(200), "UNKNOWN");
	for (int s = 1; s < TS_STATE_MAX; s++)
		CHECK(state_parse(state_name((unsigned)s)) == s);
	CHECK(state_parse("tcp_time_wait") == TS_TIME_WAIT);
	CHECK(state_parse("UNKNOWN") == -1);
	CHECK(state_parse("") == -1);
	CHECK(state_parse("TCP_") == -1);
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	RUN(column_tables_are_complete);
	RUN(every_pane_is_described_whole);
	RUN(panes_by_name_and_id);
	RUN(batch_columns_follow_the_bcc_tools);
	RUN(csv_columns_carry_exact_values);
	RUN(lifespan_cells);
	RUN(lifespan_of_ipv6_and_wide_addresses);
	RUN(open_session_handshake);
	RUN(sessions_open_before_tracing);
	RUN(status_words);
	RUN(unknown_owners);
	RUN(hostile_names_are_escaped);
	RUN(time_columns);
	RUN(state_cells);
	RUN(event_cells);
	RUN(throughput_cells_per_grouping);
	RUN(cells_fit_any_buffer);
	RUN(csv_numbers_are_numbers);
	RUN(state_names);
	model_free(&m);
	TAP_DONE();
}
