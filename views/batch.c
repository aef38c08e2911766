// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "batch.h"
#include "csv.h"
#include "format.h"
#include "json.h"
#include "text.h"

struct layout {
	const struct pane *pane;
	bool show[PANE_MAX_COLS];
	int width[PANE_MAX_COLS];
	int last; /* the last column shown */
	int name_len;
};

struct batch {
	struct batch_opts o;
	struct layout layouts[P_MAX + 1];
	struct model *m;
	struct rowset rows;
	int npanes;
	/* the panes printed a line per row, for each model hook that brings rows */
	const struct pane *streamed[BATCH_KINDS][P_MAX];
	int nstreamed[BATCH_KINDS];
	unsigned unsaid_losses;	     /* bit per enum model_loss: only panes not printed show */
	uint64_t reported[LOSS_MAX]; /* losses already said */
	int err;
};

/* CSV and JSON lines: exact values, CSV's columns */
static bool exact(const struct batch *b)
{
	return b->o.csv || b->o.json;
}

static unsigned fmt_flags(const struct batch *b)
{
	return (exact(b) ? FMT_CSV : 0) | (b->o.wide ? FMT_WIDE : 0);
}

static struct fmt_ctx batch_fmt(const struct batch *b)
{
	struct fmt_ctx f = {
	    .m = b->m,
	    .flags = fmt_flags(b),
	    .now_ns = b->m->st.now_ns,
	    .t0_ns = b->m->st.first_ns,
	};

	return f;
}

/* Panes printed as a table per interval (the others print a line per row as it comes). */
static bool per_interval(const struct pane *p)
{
	return p->batch == BATCH_PER_INTERVAL;
}

/* Histograms (--view rtt) print through views/rttprint.c, neither rows nor tables. */
static bool histogram(const struct pane *p)
{
	return p->batch == BATCH_HISTOGRAM;
}

/* TIME and TIME(s) follow -T and -t; the rest follows the output kind. */
static bool visible(const struct batch *b, const struct pane *p, const struct column *c)
{
	if (c->flags & COL_CLOCK)
		return b->o.clock;
	if (c->flags & COL_REL)
		/* a CSV table per interval needs a time to tell intervals apart */
		return b->o.rel || (b->o.csv && per_interval(p) && !b->o.clock);
	if (!exact(b) && c->batch_when && c->batch_when(&b->o.popts))
		return true;
	return c->flags & (exact(b) ? COL_CSV : COL_BATCH);
}

static int width_of(const struct batch *b, const struct column *c)
{
	int w = column_width(c, fmt_flags(b)), nw = (int)strlen(c->name);

	return w > nw ? w : nw;
}

/* With more than one pane, each line says which it belongs to. */
static void prefix(struct batch *b, const struct pane *p)
{
	if (b->npanes > 1)
		fprintf(b->o.out, "%-10s ", p->name);
}

/* Which columns a pane shows and how wide: fixed for the run, worked out once. */
static const struct layout *layout_of(struct batch *b, const struct pane *p)
{
	struct layout *l = NULL;

	for (int i = 0; i < P_MAX; i++)
		if (b->layouts[i].pane == p || !b->layouts[i].pane) {
			l = &b->layouts[i];
			break;
		}
	if (!l) /* more panes than the list has: work it out each time */
		l = &b->layouts[P_MAX];
	else if (l->pane == p)
		return l;
	l->pane = p;
	l->last = -1;
	l->name_len = (int)strlen(p->name);
	for (int i = 0; i < p->ncols; i++) {
		l->show[i] = visible(b, p, &p->cols[i]);
		l->width[i] = width_of(b, &p->cols[i]);
		if (l->show[i])
			l->last = i;
	}
	return l;
}

/* room for every cell whole: cells are under 512 bytes, a pane has at most PANE_MAX_COLS */
struct linebuf {
	char s[PANE_MAX_COLS * 512 + 64];
	size_t n;
};

static void put(struct linebuf *lb, const char *s, size_t n)
{
	if (n > sizeof(lb->s) - lb->n)
		n = sizeof(lb->s) - lb->n;
	memcpy(lb->s + lb->n, s, n);
	lb->n += n;
}

static void pad(struct linebuf *lb, int n)
{
	while (n-- > 0 && lb->n < sizeof(lb->s))
		lb->s[lb->n++] = ' ';
}

static bool ascii(const char *s, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char all = 0;
	size_t i;

	for (i = 0; u[i]; i++)
		all |= u[i];
	*len = i;
	return all < 0x80;
}

/*
 * Text cells: numbers right-aligned and scaled to fit (units.h), text cut to
 * width (addresses never), no trailing blanks.
 */
static void put_text(struct linebuf *lb, const struct column *c, int w, const char *s, bool first,
		     bool last)
{
	char cell[512];
	size_t len;

	if (!first)
		pad(lb, 1);
	if (ascii(s, &len)) { /* a column a byte: no width lookups */
		if ((int)len > w && column_unit(c) != U_NONE) {
			fmt_str(cell, sizeof(cell), s);
			column_fit(c, cell, sizeof(cell), w);
			s = cell;
			len = strlen(cell);
		}
		if ((c->flags & COL_NOCUT) && (int)len > w)
			w = (int)len;
		if ((int)len > w) {
			put(lb, s, (size_t)w);
		} else if (c->flags & COL_NUM) {
			pad(lb, w - (int)len);
			put(lb, s, len);
		} else {
			put(lb, s, len);
			if (!last)
				pad(lb, w - (int)len);
		}
		return;
	}
	if ((c->flags & COL_NOCUT) && text_width(s) > w)
		w = text_width(s);
	if (last && !(c->flags & COL_NUM) && text_width(s) <= w) {
		put(lb, s, strlen(s));
		return;
	}
	text_fit(cell, sizeof(cell), s, w, c->flags & COL_NUM, 0);
	put(lb, cell, strlen(cell));
}

/* A header (r NULL) or a row: CSV through csv_pane_line, text padded to the column widths. */
static void line(struct batch *b, const struct pane *p, const void *r)
{
	struct fmt_ctx f = batch_fmt(b);
	const struct layout *l = layout_of(b, p);
	struct linebuf lb;
	bool first = true;
	char cell[512];

	if (b->o.json) { /* each object names its view */
		json_pane_line(b->o.out, p, l->show, &f, r);
		return;
	}
	lb.n = 0;
	if (b->npanes > 1) { /* as prefix() */
		put(&lb, p->name, (size_t)l->name_len);
		pad(&lb, (l->name_len < 10 ? 10 - l->name_len : 0) + 1);
	}
	if (b->o.csv) {
		fwrite(lb.s, 1, lb.n, b->o.out);
		csv_pane_line(b->o.out, p, l->show, &f, r);
		return;
	}
	for (int i = 0; i < p->ncols; i++) {
		const struct column *c = &p->cols[i];

		if (!l->show[i])
			continue;
		if (r)
			c->format(&f, c, r, cell, sizeof(cell));
		put_text(&lb, c, l->width[i], r ? cell : c->name, first, i == l->last);
		first = false;
	}
	/* a line longer than that would be cut, never split */
	if (lb.n == sizeof(lb.s))
		lb.n--;
	lb.s[lb.n++] = '\n';
	fwrite(lb.s, 1, lb.n, b->o.out);
}

static void header(struct batch *b, const struct pane *p)
{
	line(b, p, NULL);
}

static void row(struct batch *b, const struct pane *p, const void *r)
{
	line(b, p, r);
}

static bool wants(const struct batch *b, const struct pane *p, const void *r)
{
	struct row_fields rf;

	if (!b->o.filter || !b->o.filter->n)
		return true;
	p->fields(r, &rf);
	return filter_match(b->o.filter, &rf);
}

static bool on(const struct batch *b, enum pane_id id)
{
	return b->o.panes & (1u << id);
}

/* A row the model took in: a line in each pane printed as such rows come, if it passes. */
static void stream(struct batch *b, enum pane_batch kind, const void *r)
{
	for (int i = 0; i < b->nstreamed[kind]; i++)
		if (wants(b, b->streamed[kind][i], r))
			row(b, b->streamed[kind][i], r);
}

static void on_closed(void *ctx, const struct session *s)
{
	stream(ctx, BATCH_AT_CLOSE, s);
}

static void on_state(void *ctx, const struct state_row *r)
{
	stream(ctx, BATCH_AT_STATE, r);
}

static void on_event(void *ctx, const struct event_row *r)
{
	stream(ctx, BATCH_AT_EVENT, r);
}

/* Each kind of loss, once per interval it grew: what it means and what to do. */
static void report_lost(struct batch *b)
{
	uint64_t now[LOSS_MAX];

	model_losses(b->m, now);
	for (int i = 0; i < LOSS_MAX; i++) {
		/* a pane's own losses (its table was full) matter only where it is printed */
		if (b->unsaid_losses & (1u << i))
			continue;
		if (i == LOSS_RTT && !b->o.rtt)
			continue;
		if (now[i] > b->reported[i])
			fprintf(b->o.err, "tcpscope: %llu %s; %s\n",
				(unsigned long long)(now[i] - b->reported[i]),
				model_loss_what((enum model_loss)i),
				model_loss_advice((enum model_loss)i));
		b->reported[i] = now[i];
	}
}

/* A table per interval: a line of totals, the header, the rows (CSV: the rows alone). */
static void interval_table(struct batch *b, enum pane_id id)
{
	struct fmt_ctx f = batch_fmt(b);
	const struct pane *p = pane_shown(id, &b->o.popts);
	const struct model *m = b->m;
	char when[16], note[200] = "";

	if (rows_build(&b->rows, p, m, &b->o.popts, b->o.filter, &b->o.sort[id], &f)) {
		b->err = ENOMEM;
		return;
	}
	if (!exact(b)) {
		fmt_clock(&f, m->st.last_tick_ns, when, sizeof(when));
		prefix(b, p);
		fprintf(b->o.out, "\n");
		prefix(b, p);
		if (p->table_note)
			p->table_note(m, &b->o.popts, note, sizeof(note));
		fprintf(b->o.out, "%s  interval %.2fs  rows %zu%s%s\n", when,
			m->st.interval_ns / 1e9, b->rows.n, note[0] ? "  " : "", note);
		header(b, p);
	}
	for (size_t i = 0; i < b->rows.n; i++)
		row(b, p, b->rows.rows[i]);
}

static void on_tick(void *ctx)
{
	struct batch *b = ctx;

	for (int i = 0; i < P_MAX; i++)
		if (on(b, (enum pane_id)i) &&
		    per_interval(pane_shown((enum pane_id)i, &b->o.popts)))
			interval_table(b, (enum pane_id)i);
	if (b->o.rtt && b->o.rtt->per_interval)
		rtt_print(b->o.out, b->m, b->o.rtt, RTT_LAST);
	report_lost(b);
	if (fflush(b->o.out) || ferror(b->o.out))
		b->err = errno ? errno : EIO;
}

struct batch *batch_new(struct model *m, const struct batch_opts *o)
{
	struct batch *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->o = *o;
	b->m = m;
	/* rows grouped so that they show what the filter looks at (ports: by socket) */
	b->o.popts = pane_opts_for_filter(&o->popts, o->filter);
	for (int i = 0; i < P_MAX; i++) {
		const struct pane *list = pane_get((enum pane_id)i);
		const struct pane *p = pane_shown_for(list, &b->o.popts);

		/* losses of a pane, or of the one its grouping shows, go unsaid unless printed */
		b->unsaid_losses |= list->losses;
		if (list->grouping && list->grouping->summed)
			b->unsaid_losses |= list->grouping->summed->losses;
		if (!on(b, (enum pane_id)i))
			continue;
		b->npanes++;
		if (!per_interval(p) && !histogram(p))
			b->streamed[p->batch][b->nstreamed[p->batch]++] = p;
	}
	for (int i = 0; i < P_MAX; i++)
		if (on(b, (enum pane_id)i))
			b->unsaid_losses &= ~pane_shown((enum pane_id)i, &b->o.popts)->losses;
	m->hooks.ctx = b;
	m->hooks.closed = on_closed;
	m->hooks.state = on_state;
	m->hooks.event = on_event;
	m->hooks.tick = on_tick;
	return b;
}

void batch_start(struct batch *b)
{
	for (int i = 0; i < P_MAX; i++) {
		const struct pane *p = pane_shown((enum pane_id)i, &b->o.popts);

		/* a table per interval has its header with each table (in CSV, once here) */
		if (on(b, (enum pane_id)i) && (!per_interval(p) || b->o.csv) && !histogram(p))
			header(b, p);
	}
	if (b->o.rtt)
		rtt_print_start(b->o.out, b->o.rtt);
	fflush(b->o.out);
}

void batch_flush(struct batch *b)
{
	if (fflush(b->o.out) && !b->err)
		b->err = errno ? errno : EIO;
}

int batch_error(const struct batch *b)
{
	return b->err || ferror(b->o.out);
}

/* Rows printed as they come are all out; what the model kept for a screen is said if asked. */
static void report_let_go(struct batch *b)
{
	const struct model *m = b->m;

	fprintf(b->o.err,
		"tcpscope: kept within --max-rows (each flow its newest %zu), let go: %llu closed "
		"sessions, %llu state rows, %llu events\n",
		m->cfg.keep_per_flow, (unsigned long long)m->closed.let_go,
		(unsigned long long)m->states.let_go, (unsigned long long)m->events.let_go);
}

int batch_finish(struct batch *b)
{
	/* tcprtt prints once at the end; with -i, what the last interval had so far */
	if (b->o.rtt)
		rtt_print(b->o.out, b->m, b->o.rtt,
			  b->o.rtt->per_interval ? RTT_CURRENT : RTT_TOTAL);
	report_lost(b);
	if (b->o.verbose)
		report_let_go(b);
	if (fflush(b->o.out) || ferror(b->o.out))
		b->err = errno ? errno : EIO;
	return b->err;
}

void batch_free(struct batch *b)
{
	if (!b)
		return;
	rows_free(&b->rows);
	free(b);
}
