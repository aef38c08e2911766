// SPDX-License-Identifier: GPL-2.0
/* Lifespans summed up: counts per grouping, failures, percentiles, rates, the column table. */
#include <errno.h>
#include <stdlib.h>
#include <strings.h>
#include "../tap.h"
#include "records.h"
#include "views/lifegroups.h"
#include "views/pane.h"
#include "views/rows.h"

#define MS 1000000ULL

static struct model m;
static uint64_t next_sid = 1;

static void reset(void)
{
	struct model_config c = small_config(64);

	c.max_open = 256;
	model_restart(&m, &c);
	next_sid = 1;
}

/*
 * A session of process pid/comm with remote host 10.0.0.<host>: accepted on
 * port (the service), or connected to it; closed after dur_ns with err,
 * moving tx and rx bytes. Returns its sid.
 */
static uint64_t session(uint32_t pid, const char *comm, bool accepted, uint16_t port, int host,
			uint64_t start, uint64_t dur_ns, uint32_t err, uint64_t tx, uint64_t rx)
{
	char raddr[32];
	struct ts_conn c;
	struct ts_ev_close e;
	uint64_t sid = next_sid++;

	snprintf(raddr, sizeof(raddr), "10.0.0.%d", host);
	c = accepted ? conn4("10.1.1.1", port, raddr, (uint16_t)(40000 + sid % 20000))
		     : conn4("10.1.1.1", (uint16_t)(40000 + sid % 20000), raddr, port);
	e = rec_close(sid, start + dur_ns, start, c, owner(pid, comm), tx, rx);
	e.dir = accepted ? TS_DIR_ACCEPT : TS_DIR_CONNECT;
	e.err = err;
	APPLY(&m, e);
	return sid;
}

/* An open session (its first transition only). */
static void open_session(uint32_t pid, const char *comm, uint16_t port, int host, uint64_t start)
{
	char raddr[32];
	struct ts_ev_state e;
	uint64_t sid = next_sid++;

	snprintf(raddr, sizeof(raddr), "10.0.0.%d", host);
	e = rec_state(sid, start, TS_CLOSE, TS_SYN_SENT,
		      conn4("10.1.1.1", (uint16_t)(40000 + sid), raddr, port), owner(pid, comm));
	APPLY(&m, e);
}

static void tick(uint64_t ts)
{
	struct ts_ev_tick e = rec_tick(ts);

	APPLY(&m, e);
}

static struct rowset rs;

/* The rows grouped by g, sorted by SESSIONS (most first), through the pane. */
static size_t rows_by(enum life_group g)
{
	struct pane_opts o = {.life_group = g};
	struct fmt_ctx f = {&m, 0, m.st.now_ns, m.st.first_ns};
	struct sort_spec s;

	sort_default(&pane_life_groups, &s);
	if (rows_build(&rs, &pane_life_groups, &m, &o, NULL, &s, &f))
		abort();
	return rs.n;
}

static const struct life_row *row(size_t i)
{
	return rs.rows[i];
}

/* The row of this process (pid 0: any) and port (0: any) and host (0: any). */
static const struct life_row *find(uint32_t pid, uint16_t port, int host)
{
	for (size_t i = 0; i < rs.n; i++) {
		const struct life_row *r = row(i);

		if ((!pid || r->key.pid == pid) && (!port || r->key.port == port) &&
		    (!host || r->key.raddr[3] == host))
			return r;
	}
	return NULL;
}

static const char *cell(const char *col, const struct life_row *r, bool csv)
{
	static char buf[128];
	struct fmt_ctx f = {&m, csv ? FMT_CSV : 0, m.st.now_ns, m.st.first_ns};
	int c = pane_column(&pane_life_groups, col);

	if (c < 0 || !r)
		return "?";
	pane_life_groups.cols[c].format(&f, &pane_life_groups.cols[c], r, buf, sizeof(buf));
	return buf;
}

static bool within(uint64_t got, uint64_t want, double rel)
{
	double d = (double)got - (double)want;

	return (d < 0 ? -d : d) <= rel * (double)want;
}

TEST(a_histogram_is_within_its_bound)
{
	struct loghist h = {0};
	const struct loghist *parts[1] = {&h};
	uint64_t p50, p99;

	CHECK_EQ_U64(loghist_quantile(parts, 1, 0.5), 0);
	for (uint64_t v = 1; v <= 1000; v++)
		loghist_add(&h, v * MS / 10); /* 0.1 to 100 ms */
	p50 = loghist_quantile(parts, 1, 0.5);
	p99 = loghist_quantile(parts, 1, 0.99);
	CHECK(within(p50, 50 * MS, 0.0625));
	CHECK(within(p99, 99 * MS, 0.0625));
	CHECK(within(loghist_quantile(parts, 1, 1.0), 100 * MS, 0.0625));
	CHECK(within(loghist_quantile(parts, 1, 0.001), MS / 10, 0.0625));
	/* every value in its bucket: the quantile of one value is within the bound of it */
	for (uint64_t v = 1024; v < (1ULL << 44); v = v * 3 / 2 + 7) {
		struct loghist one = {0};
		const struct loghist *p1[1] = {&one};

		loghist_add(&one, v);
		if (!within(loghist_quantile(p1, 1, 0.5), v, 0.0625)) {
			printf("#   %llu ns reads as %llu\n", (unsigned long long)v,
			       (unsigned long long)loghist_quantile(p1, 1, 0.5));
			tap_case_failed = 1;
			break;
		}
	}
}

TEST(histograms_taken_together)
{
	struct loghist fast = {0}, slow = {0};
	const struct loghist *both[2] = {&fast, &slow};

	for (int i = 0; i < 90; i++)
		loghist_add(&fast, 2 * MS);
	for (int i = 0; i < 10; i++)
		loghist_add(&slow, 800 * MS);
	CHECK(within(loghist_quantile(both, 2, 0.5), 2 * MS, 0.0625));
	CHECK(within(loghist_quantile(both, 2, 0.9), 2 * MS, 0.0625));
	CHECK(within(loghist_quantile(both, 2, 0.91), 800 * MS, 0.0625));
	CHECK(within(loghist_quantile(both, 2, 0.99), 800 * MS, 0.0625));
}

TEST(a_full_bucket_halves_and_keeps_the_shape)
{
	struct loghist h = {0};
	const struct loghist *parts[1] = {&h};

	loghist_add(&h, 5 * MS);
	for (int i = 0; i < 3; i++)
		loghist_add(&h, 900 * MS);
	/* as if 2^32 - 1 values of 5 ms had come */
	for (unsigned b = 0; b < LOGHIST_BUCKETS; b++)
		if (h.count[b] == 1)
			h.count[b] = UINT32_MAX;
	h.n = UINT32_MAX + 3ULL;
	loghist_add(&h, 5 * MS);
	CHECK(h.n < UINT32_MAX);
	CHECK(within(loghist_quantile(parts, 1, 0.5), 5 * MS, 0.0625));
	CHECK(within(loghist_quantile(parts, 1, 1.0), 900 * MS, 0.0625));
}

/* 3 processes, 2 ports, 4 hosts; both directions; the counts are known. */
static void traffic(void)
{
	uint64_t t = 1000 * MS;

	for (int i = 0; i < 40; i++)
		session(100, "nginx", true, 443, 1 + i % 4, t += MS, 10 * MS, 0, 1000, 100);
	for (int i = 0; i < 12; i++)
		session(100, "nginx", false, 5432, 9, t += MS, 3 * MS, 0, 50, 5000);
	for (int i = 0; i < 7; i++)
		session(200, "curl", false, 443, 1, t += MS, 40 * MS, 0, 10, 20);
	session(200, "curl", false, 443, 2, t += MS, MS, ECONNREFUSED, 0, 0);
	session(200, "curl", false, 443, 2, t += MS, MS, ECONNRESET, 0, 0);
	session(200, "curl", false, 5432, 3, t += MS, MS, ETIMEDOUT, 0, 0);
	session(300, "psql", false, 5432, 9, t += MS, MS, EHOSTUNREACH, 0, 0);
	open_session(300, "psql", 5432, 9, t += MS);
	open_session(300, "psql", 5432, 9, t += MS);
}

TEST(group_counts_are_the_sessions_made)
{
	const struct life_row *r;
	uint64_t total = 0;

	reset();
	traffic();
	/* by process, port and host: nginx 443 has four hosts of 10 each */
	CHECK_EQ_U64(rows_by(LG_PROC_PORT_HOST), 4 + 1 + 1 + 1 + 1 + 1);
	for (size_t i = 0; i < rs.n; i++)
		total += row(i)->sessions;
	CHECK_EQ_U64(total, 40 + 12 + 7 + 4 + 2);
	r = find(100, 443, 3);
	CHECK(r && r->sessions == 10 && r->open == 0 && r->tx == 10000 && r->rx == 1000);
	r = find(300, 5432, 9);
	CHECK(r && r->sessions == 3 && r->open == 2 && r->fails == 1);
	/* by process */
	CHECK_EQ_U64(rows_by(LG_PROC), 3);
	CHECK_EQ_U64(row(0)->sessions, 52); /* nginx first: the most sessions */
	CHECK_EQ_U64(row(0)->key.pid, 100);
	r = find(200, 0, 0);
	CHECK(r && r->sessions == 10 && r->fails == 3 && r->refused == 1 && r->reset == 1 &&
	      r->timeout == 1);
	/* by service port: both directions of 443 are one row */
	CHECK_EQ_U64(rows_by(LG_PORT), 2);
	r = find(0, 443, 0);
	CHECK(r && r->sessions == 40 + 7 + 2 && r->key.pid == 0 && r->key.family == 0);
	r = find(0, 5432, 0);
	CHECK(r && r->sessions == 12 + 1 + 3 && r->open == 2);
	CHECK_STR(cell("PID", r, false), "*");
	CHECK_STR(cell("COMM", r, false), "*");
	CHECK_STR(cell("RADDR", r, false), "*");
	CHECK_STR(cell("PORT", r, false), "5432");
	CHECK_STR(cell("FAILS", r, false), "2");
}

TEST(percentiles_of_known_durations)
{
	uint64_t t = 1000 * MS;
	const struct life_row *r;

	reset();
	/* 1..100 ms to host 1, and 100 sessions of 500 ms to host 2, all on port 80 */
	for (int i = 1; i <= 100; i++)
		session(7, "app", false, 80, 1, t += MS, (uint64_t)i * MS, 0, 1, 1);
	for (int i = 1; i <= 100; i++)
		session(7, "app", false, 80, 2, t += MS, 500 * MS, 0, 1, 1);
	rows_by(LG_PROC_PORT_HOST);
	r = find(7, 80, 1);
	CHECK(r && within(r->p50_ns, 50 * MS, 0.0625) && within(r->p99_ns, 99 * MS, 0.0625));
	CHECK(r && r->timed == 100);
	r = find(7, 80, 2);
	CHECK(r && within(r->p50_ns, 500 * MS, 0.0625) && within(r->p99_ns, 500 * MS, 0.0625));
	/* by port the two are taken together: the median is the 100th of 200 values */
	rows_by(LG_PORT);
	r = find(0, 80, 0);
	CHECK(r && within(r->p50_ns, 100 * MS, 0.0625) && within(r->p99_ns, 500 * MS, 0.0625));
	CHECK(r && r->timed == 200);
}

TEST(sessions_opened_in_the_last_interval)
{
	uint64_t t0 = 1000 * MS, s = 1000 * MS;
	const struct life_row *r;

	reset();
	tick(t0);
	/* the interval [1 s, 2 s): 30 closed in it, 5 still open, 10 that opened in it close after
	 */
	for (int i = 0; i < 30; i++)
		session(9, "w", true, 8080, 1, t0 + 10 * MS * (uint64_t)i, MS, 0, 0, 0);
	for (int i = 0; i < 5; i++)
		open_session(9, "w", 8080, 1, t0 + 500 * MS);
	tick(t0 + s);
	for (int i = 0; i < 10; i++)
		session(9, "w", true, 8080, 1, t0 + 900 * MS, 300 * MS, 0, 0, 0);
	/* and some opened after it: not counted */
	session(9, "w", true, 8080, 1, t0 + s + 10 * MS, MS, 0, 0, 0);
	rows_by(LG_PROC_PORT_HOST);
	r = find(9, 0, 0);
	CHECK(r && r->opened == 45);
	CHECK_STR(cell("NEW/s", r, false), "45.0");
	CHECK(r && r->sessions == 46 && r->open == 5);
}

TEST(a_filter_the_grouping_cannot_show_picks_one_that_can)
{
	struct filter f;
	char err[128];

	CHECK(!filter_parse("port 80", &f, err, sizeof(err)));
	CHECK_EQ_U64(life_group_for(LG_PROC, &f), LG_PROC_PORT_HOST);
	CHECK_EQ_U64(life_group_for(LG_PORT, &f), LG_PORT);
	CHECK(!filter_parse("comm nginx", &f, err, sizeof(err)));
	CHECK_EQ_U64(life_group_for(LG_PORT, &f), LG_PROC_PORT_HOST);
	CHECK_EQ_U64(life_group_for(LG_PROC, &f), LG_PROC);
	CHECK(!filter_parse("addr 10.0.0.0/8", &f, err, sizeof(err)));
	CHECK_EQ_U64(life_group_for(LG_PROC, &f), LG_PROC_PORT_HOST);
	CHECK_EQ_U64(life_group_for(LG_SOCKET, &f), LG_SOCKET);
	CHECK_EQ_U64(life_group_parse("process+port+host"), LG_PROC_PORT_HOST);
	CHECK_EQ_U64(life_group_parse("socket"), LG_SOCKET);
	CHECK(life_group_parse("hosts") < 0);
	CHECK_STR(life_group_name(LG_PORT), "port");
}

TEST(grouped_rows_are_filtered_by_their_fields)
{
	struct pane_opts o = {.life_group = LG_PROC_PORT_HOST};
	struct fmt_ctx fc = {&m, 0, 0, 0};
	struct sort_spec s;
	struct filter f;
	char err[128];

	reset();
	traffic();
	sort_default(&pane_life_groups, &s);
	CHECK(!filter_parse("port 5432 !comm psql", &f, err, sizeof(err)));
	CHECK(!rows_build(&rs, &pane_life_groups, &m, &o, &f, &s, &fc));
	CHECK_EQ_U64(rs.n, 2); /* nginx and curl to 5432 */
	CHECK(!filter_parse("addr 10.0.0.2", &f, err, sizeof(err)));
	CHECK(!rows_build(&rs, &pane_life_groups, &m, &o, &f, &s, &fc));
	CHECK_EQ_U64(rs.n, 2); /* nginx and curl with host 2 */
}

TEST(the_column_table_is_complete)
{
	const struct pane *p = &pane_life_groups;

	CHECK(p->collect && p->count && p->fields && p->ts && p->ident);
	CHECK(p->default_sort >= 0 && !strcmp(p->cols[p->default_sort].name, "SESSIONS"));
	for (int i = 0; i < p->ncols; i++) {
		const struct column *c = &p->cols[i];

		if (!c->name || !c->help || !c->format || !c->key || c->width <= 0 ||
		    c->wide < c->width) {
			printf("#   column %d (%s) is incomplete\n", i, c->name ? c->name : "?");
			tap_case_failed = 1;
		}
		CHECK(pane_column(p, c->name) == i);
	}
	CHECK(pane_shown(P_LIFESPANS, &(struct pane_opts){.life_group = LG_PORT}) == p);
	CHECK(pane_shown(P_LIFESPANS, &(struct pane_opts){0}) == &pane_lifespans);
	CHECK(pane_shown(P_THROUGHPUT, &(struct pane_opts){.life_group = LG_PORT}) ==
	      &pane_throughput);
}

TEST(csv_cells_are_exact)
{
	const struct life_row *r;

	reset();
	traffic();
	rows_by(LG_PROC);
	r = find(100, 0, 0);
	CHECK_STR(cell("TX_BYTES", r, true), "40600");
	CHECK_STR(cell("RX_BYTES", r, true), "64000");
	CHECK_STR(cell("PORT", r, true), "*");
	/* 10 ms is in the bucket 9.44 to 10.49 ms: its middle */
	CHECK_STR(cell("P50_MS", r, false), "9.96");
	r = find(300, 0, 0);
	CHECK_STR(cell("PID", r, true), "300");
	CHECK_STR(cell("COMM", r, true), "psql");
}

TEST(a_full_summary_table_is_counted)
{
	struct model_config c = small_config(64);
	uint64_t t = 1000 * MS;

	c.max_summaries = 4;
	model_restart(&m, &c);
	for (int h = 1; h <= 6; h++)
		session(1, "x", false, 80, h, t += MS, MS, 0, 0, 0);
	CHECK_EQ_U64(table_count(&m.summaries), 4);
	CHECK_EQ_U64(m.st.dropped_summaries, 2);
	CHECK_EQ_U64(model_loss_total(&m), 2);
}

int main(void)
{
	RUN(a_histogram_is_within_its_bound);
	RUN(histograms_taken_together);
	RUN(a_full_bucket_halves_and_keeps_the_shape);
	RUN(group_counts_are_the_sessions_made);
	RUN(percentiles_of_known_durations);
	RUN(sessions_opened_in_the_last_interval);
	RUN(a_filter_the_grouping_cannot_show_picks_one_that_can);
	RUN(grouped_rows_are_filtered_by_their_fields);
	RUN(the_column_table_is_complete);
	RUN(csv_cells_are_exact);
	RUN(a_full_summary_table_is_counted);
	rows_free(&rs);
	model_free(&m);
	TAP_DONE();
}
