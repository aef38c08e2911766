// SPDX-License-Identifier: GPL-2.0
/*
 * Every number column of every pane, at every width the layout gives it on
 * the screen (panes 80 to 400 columns wide, normal and wide, sorted by any
 * column) and in batch text: values from 0 to UINT64_MAX show whole, scaled
 * where they must be, and say what the exact number says. Narrower panes
 * may cut the last column at their edge: never a digit of it.
 */
#include <stdlib.h>
#include "../tap.h"
#include "readback.h"
#include "records.h"
#include "views/colplan.h"
#include "views/pane.h"
#include "views/throughput.h"

#define MAXW 64

static struct model m;
static struct tput_row *sockets;
static size_t sockets_cap;

/* the panes of the list, and Lifespans summed up (g) */
#define NPANES (P_MAX + 1)

static const struct pane *pane_at(int id)
{
	return id < P_MAX ? pane_get((enum pane_id)id) : &pane_life_groups;
}

/* widths[pane][column][w]: the layout gives column w columns (screen or batch text) */
static bool widths[NPANES][PANE_MAX_COLS][MAXW];
/* the same, on panes narrower than 80 columns (the last column may be cut) */
static bool narrow[NPANES][PANE_MAX_COLS][MAXW];

static bool is_number(const struct column *c)
{
	return column_unit(c) != U_NONE;
}

/* The width of a column in batch text, as views/batch.c lays it out. */
static int batch_width(const struct column *c, unsigned fmt_flags)
{
	int w = column_width(c, fmt_flags), nw = (int)strlen(c->name);

	return w > nw ? w : nw;
}

TEST(numbers_are_never_cut_from_80_columns_up)
{
	int shown = 0;

	for (int id = 0; id < NPANES; id++) {
		const struct pane *p = pane_at(id);

		for (int pw = 40; pw <= 400; pw++)
			for (unsigned fl = 0; fl <= FMT_WIDE; fl += FMT_WIDE)
				for (int sort = -1; sort < p->ncols; sort++) {
					struct colplan cp;

					colplan_make(p, sort, fl, pw, &cp);
					for (int k = 0; k < cp.n; k++) {
						const struct column *c = &p->cols[cp.idx[k]];
						int nw = (int)strlen(c->name) + (cp.idx[k] == sort);
						int full = column_width(c, fl) > nw
							       ? column_width(c, fl)
							       : nw;

						if (!is_number(c) || cp.w[k] >= MAXW)
							continue;
						if (pw < 80) {
							narrow[id][cp.idx[k]][cp.w[k]] = true;
							continue;
						}
						widths[id][cp.idx[k]][cp.w[k]] = true;
						if (cp.w[k] < full && shown++ < 10) {
							printf("#   %s %s: %d of %d columns in a "
							       "pane %d wide\n",
							       p->name, c->name, cp.w[k], full, pw);
							tap_case_failed = 1;
						}
					}
				}
		for (int i = 0; i < p->ncols; i++)
			for (unsigned fl = 0; fl <= FMT_WIDE; fl += FMT_WIDE)
				if (is_number(&p->cols[i]))
					widths[id][i][batch_width(&p->cols[i], fl)] = true;
	}
}

/* Rows of every pane whose numbers are all v (as far as their fields hold it). */
static int rows_of(uint64_t v, const struct pane **panes, const void **rows)
{
	struct model_config cfg = small_config(16);
	struct ts_conn c = conn4("10.0.0.1", (uint16_t)v, "10.0.0.2", (uint16_t)(v >> 16));
	struct ts_owner o = owner((uint32_t)v ? (uint32_t)v : 1, "a");
	uint64_t end = v < UINT64_MAX ? v + 1 : v;
	struct ts_ev_tick k = rec_tick(1);
	struct ts_ev_existing x;
	struct ts_ev_close e;
	struct ts_ev_state st;
	struct ts_ev_retrans rt;
	struct ts_ev_tput t;
	int n = 0;

	model_restart(&m, &cfg);
	APPLY(&m, k); /* time starts at 1 ns */
	x = rec_existing(2, 1, conn4("10.0.0.3", 1, "10.0.0.4", 2), v, v);
	APPLY(&m, x);
	t = rec_tput(3, 1, c, o, v, v);
	APPLY(&m, t);
	k = rec_tick(2);
	k.interval_ns = 1000000000;
	APPLY(&m, k);
	for (int g = 0; g < G_MAX; g++) {
		size_t pos = 0;

		panes[n] = &pane_throughput;
		rows[n++] = g == G_SOCKET && tput_socket_rows(&m, true, &sockets, &sockets_cap)
				? sockets
				: table_next(&m.groups[g], &pos);
	}
	panes[n] = &pane_lifespans, rows[n++] = model_find_open(&m, 2);
	st = rec_state(1, end, TS_SYN_SENT, TS_ESTABLISHED, c, o);
	st.dt_ns = v;
	APPLY(&m, st);
	panes[n] = &pane_states, rows[n++] = retain_at(&m.states, retain_count(&m.states) - 1);
	rt = rec_retrans(1, end, c, o, TS_RT_DATA, (uint32_t)v);
	APPLY(&m, rt);
	panes[n] = &pane_events, rows[n++] = retain_at(&m.events, retain_count(&m.events) - 1);
	e = rec_close(1, end, 1, c, o, v, v);
	e.lat_ns = v;
	e.srtt_us = (uint32_t)v;
	e.retrans = (uint32_t)v;
	APPLY(&m, e);
	panes[n] = &pane_lifespans, rows[n++] = retain_at(&m.closed, retain_count(&m.closed) - 1);
	m.st.now_ns = v; /* the open session's duration */
	for (int g = LG_PROC_PORT_HOST; g < LG_MAX; g++) {
		struct pane_opts po = {.life_group = (enum life_group)g};
		const void *one[4];

		panes[n] = &pane_life_groups;
		rows[n++] = pane_life_groups.collect(&m, &po, one, 4) ? one[0] : NULL;
	}
	return n;
}

/* Every number cell of row at every width it may get; prints the first few that fail. */
static int row_fails(const struct pane *p, const void *row)
{
	static int shown;
	struct fmt_ctx f = {&m, 0, m.st.now_ns, m.st.first_ns};
	int id = 0, bad = 0;

	while (pane_at(id) != p)
		id++;
	for (int i = 0; i < p->ncols; i++) {
		const struct column *c = &p->cols[i];
		char exact[512], got[512];

		if (!is_number(c))
			continue;
		c->format(&f, c, row, exact, sizeof(exact));
		for (int w = 1; w < MAXW; w++) {
			bool hashes, ok;

			if (!widths[id][i][w] && !narrow[id][i][w])
				continue;
			snprintf(got, sizeof(got), "%s", exact);
			column_fit(c, got, sizeof(got), w);
			hashes = got[0] == '#' && strspn(got, "#") == strlen(got);
			if ((int)strlen(exact) <= w)
				ok = !strcmp(got, exact);
			else if (!read_back(U_NONE, exact[0] == '>' ? exact + 1 : exact,
					    &(double){0}, &(double){0}))
				ok = false; /* text in a number column must fit as it is */
			else if (hashes)
				ok = !widths[id][i][w] && (int)strlen(got) == w;
			else
				ok = (int)strlen(got) <= w && says(column_unit(c), got, exact);
			if (!ok && shown++ < 20)
				printf("#   %s %s \"%s\" in %d columns: \"%s\"\n", p->name, c->name,
				       exact, w, got);
			bad += !ok;
		}
	}
	return bad;
}

/* Every row of value v; a throughput row is made only once bytes moved. */
static int value_fails(uint64_t v)
{
	const struct pane *panes[24];
	const void *rows[24];
	int n = rows_of(v, panes, rows), bad = 0;

	for (int i = 0; i < n; i++)
		if (rows[i])
			bad += row_fails(panes[i], rows[i]);
		else
			bad += v || panes[i] != &pane_throughput;
	return bad;
}

TEST(every_number_fits_its_column)
{
	int bad = 0;

	for (int s = 0; s < 64; s++)
		bad += value_fails((1ULL << s) - 1) + value_fails(1ULL << s) +
		       value_fails((1ULL << s) + 1);
	for (uint64_t p = 10; p; p = p <= UINT64_MAX / 10 ? p * 10 : 0)
		bad += value_fails(p - 1) + value_fails(p / 2 + p * 95 / 100);
	bad += value_fails(UINT64_MAX);
	CHECK_EQ_U64(bad, 0);
}

int main(void)
{
	RUN(numbers_are_never_cut_from_80_columns_up);
	RUN(every_number_fits_its_column);
	model_free(&m);
	free(sockets);
	TAP_DONE();
}
