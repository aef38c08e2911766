// SPDX-License-Identifier: GPL-2.0
/*
 * rows_bench: how long the screen takes to turn the model into a pane of N
 * rows: filter, sort and format the visible rows (what tui/panerows.c and
 * tui/draw.c do at each refresh, minus curses).
 *
 *   rows_bench [-n ROWS] [-r RUNS] [-v VISIBLE] [-c CASE]
 *
 * The model is filled through model_apply with ROWS open sessions (a
 * connect, an established, then send/recv totals), so the rows are what a
 * live source would have made. Prints one line per case:
 *   case=NAME rows=N kept=N runs=R median_ms=F p90_ms=F min_ms=F
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "views/filter.h"
#include "views/model.h"
#include "views/pane.h"
#include "views/rows.h"
#include "views/text.h"

#define S_NS 1000000000ULL

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * S_NS + (uint64_t)ts.tv_nsec;
}

static void hdr(struct ts_hdr *h, unsigned kind, size_t size, uint64_t ts)
{
	h->kind = (uint16_t)kind;
	h->size = (uint16_t)size;
	h->ts_ns = ts;
}

/* A cheap, repeatable spread of values. */
static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

static void apply(struct model *m, void *ev)
{
	if (model_apply(m, ev)) {
		fprintf(stderr, "rows_bench: the model refused a record\n");
		exit(1);
	}
}

/* Session i: process i%500 (50 names) on 10.1.x.y connects to one of 64 servers. */
static void fill(struct model *m, size_t n)
{
	uint64_t t = 1000 * S_NS;

	for (size_t i = 0; i < n; i++) {
		uint64_t r = mix(i + 1);
		struct ts_conn c = {.family = 4,
				    .lport = (uint16_t)(1024 + i % 60000),
				    .rport = (uint16_t)(r & 1 ? 443 : 80),
				    .netns = 4026531840u};
		struct ts_owner o = {.pid = (uint32_t)(1000 + i % 500), .tid = 0};
		struct ts_ev_state st;
		struct ts_ev_tput tp;

		c.laddr[0] = 10, c.laddr[1] = 1, c.laddr[2] = (uint8_t)(i >> 8),
		c.laddr[3] = (uint8_t)i;
		c.raddr[0] = 192, c.raddr[1] = 168, c.raddr[3] = (uint8_t)(r >> 8 & 63);
		o.tid = o.pid;
		snprintf(o.comm, sizeof(o.comm), "worker-%zu", i % 50);
		t += 1000;

		memset(&st, 0, sizeof(st));
		hdr(&st.hdr, TS_K_STATE, sizeof(st), t);
		st.sid = i + 1;
		st.conn = c;
		st.owner = o;
		st.oldstate = TS_CLOSE;
		st.newstate = TS_SYN_SENT;
		st.dir = TS_DIR_CONNECT;
		st.flags = TS_F_OWNER_KNOWN;
		apply(m, &st);
		hdr(&st.hdr, TS_K_STATE, sizeof(st), t + 50000);
		st.oldstate = TS_SYN_SENT;
		st.newstate = TS_ESTABLISHED;
		st.dt_ns = 50000;
		apply(m, &st);

		memset(&tp, 0, sizeof(tp));
		hdr(&tp.hdr, TS_K_TPUT, sizeof(tp), t + 100000);
		tp.sid = i + 1;
		tp.conn = c;
		tp.owner = o;
		tp.start_ns = t;
		tp.app_tx = r >> 40; /* up to 16 MB */
		tp.app_rx = (r >> 20) & 0xfffff;
		tp.dir = TS_DIR_CONNECT;
		tp.flags = TS_F_OWNER_KNOWN | TS_F_ESTABLISHED;
		apply(m, &tp);
	}
}

static int by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Format the first `visible` rows' screen columns as draw.c does (put_cell). */
static size_t render(const struct pane *p, const struct rowset *rs, const struct fmt_ctx *f,
		     int visible)
{
	size_t bytes = 0;

	for (int line = 0; line < visible && (size_t)line < rs->n; line++)
		for (int k = 0; k < p->ncols; k++) {
			const struct column *c = &p->cols[k];
			char cell[512], out[1024];
			int w;

			if (!(c->flags & COL_SCREEN))
				continue;
			w = column_width(c, 0);
			c->format(f, c, rs->rows[line], cell, sizeof(cell));
			if (text_fit(out, sizeof(out), cell, w, c->flags & COL_NUM, 1)) {
				column_fit(c, cell, sizeof(cell), w);
				text_fit(out, sizeof(out), cell, w, c->flags & COL_NUM, 1);
			}
			bytes += strlen(out);
		}
	return bytes;
}

struct bench_case {
	const char *name;
	const char *filter;	 /* filter language */
	const char *sort;	 /* COLUMN[:asc|desc], NULL: natural */
	enum life_group grouped; /* Lifespans summed up (g) */
};

static const struct bench_case cases[] = {
    /* the target: a filter every row passes (the sort sees them all) and a numeric sort */
    {.name = "filter+sort_TX_KB+render", .filter = "ip 4 port 1-65535", .sort = "TX_KB:desc"},
    {.name = "natural_order+render", .filter = ""},
    {.name = "filter+sort_COMM+render", .filter = "ip 4 port 1-65535", .sort = "COMM"},
    {.name = "filter+sort_RADDR+render", .filter = "ip 4 port 1-65535", .sort = "RADDR"},
    {.name = "narrow_filter+sort_MS+render", .filter = "comm worker-7 port 443", .sort = "MS:desc"},
    /* summed up: every session is looked up in a table of its group's row at each refresh */
    {.name = "grouped_by_process+port+host+render",
     .filter = "",
     .sort = "SESSIONS:desc",
     .grouped = LG_PROC_PORT_HOST},
    {.name = "grouped_by_port+render", .filter = "", .sort = "SESSIONS:desc", .grouped = LG_PORT},
};

int main(int argc, char **argv)
{
	size_t nrows = 100000;
	int runs = 101, visible = 50, c;
	const char *only = NULL;
	struct model_config cfg;
	struct model m;
	volatile size_t sink = 0;

	while ((c = getopt(argc, argv, "n:r:v:c:")) != -1) {
		switch (c) {
		case 'n':
			nrows = strtoul(optarg, NULL, 10);
			break;
		case 'r':
			runs = atoi(optarg);
			break;
		case 'v':
			visible = atoi(optarg);
			break;
		case 'c':
			only = optarg;
			break;
		default:
			fprintf(stderr,
				"usage: rows_bench [-n ROWS] [-r RUNS] [-v VISIBLE] [-c CASE]\n");
			return 2;
		}
	}
	if (!nrows || runs < 1 || visible < 1)
		return 2;
	model_config_default(&cfg);
	if (cfg.max_open < nrows)
		cfg.max_open = nrows;
	if (model_init(&m, &cfg)) {
		fprintf(stderr, "rows_bench: out of memory\n");
		return 1;
	}
	fill(&m, nrows);
	if (table_count(&m.open) != nrows) {
		fprintf(stderr, "rows_bench: %zu open sessions, want %zu\n", table_count(&m.open),
			nrows);
		return 1;
	}
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		const struct bench_case *bc = &cases[k];
		struct pane_opts po = {.life_group = bc->grouped};
		const struct pane *p = pane_shown(P_LIFESPANS, &po);
		struct fmt_ctx f = {&m, 0, m.st.now_ns, m.st.first_ns};
		struct rowset rs = {0};
		struct sort_spec s;
		struct filter flt;
		char err[256];
		double *ms;

		if (only && strcmp(only, bc->name))
			continue;
		ms = calloc((size_t)runs, sizeof(*ms));
		if (!ms || filter_parse(bc->filter, &flt, err, sizeof(err))) {
			fprintf(stderr, "rows_bench: filter '%s': %s\n", bc->filter, err);
			return 1;
		}
		s.col = -1;
		s.desc = false;
		if (bc->sort && sort_parse(p, bc->sort, &s, err, sizeof(err))) {
			fprintf(stderr, "rows_bench: %s\n", err);
			return 1;
		}
		/* one untimed build: the screen keeps its rowset between refreshes */
		if (rows_build(&rs, p, &m, &po, &flt, &s, &f))
			return 1;
		for (int r = 0; r < runs; r++) {
			uint64_t t0 = mono_ns();

			if (rows_build(&rs, p, &m, &po, &flt, &s, &f))
				return 1;
			sink += render(p, &rs, &f, visible);
			ms[r] = (mono_ns() - t0) / 1e6;
		}
		qsort(ms, (size_t)runs, sizeof(*ms), by_double);
		printf("case=%s rows=%zu kept=%zu runs=%d median_ms=%.3f p90_ms=%.3f min_ms=%.3f\n",
		       bc->name, rs.total, rs.n, runs, ms[runs / 2], ms[runs * 9 / 10], ms[0]);
		rows_free(&rs);
		free(ms);
	}
	model_free(&m);
	return sink ? 0 : 1;
}
