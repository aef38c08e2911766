// SPDX-License-Identifier: GPL-2.0
/*
 * Drawing: everything goes into curses' virtual screen, and doupdate()
 * sends only the cells that changed, which keeps slow SSH links usable.
 * Nothing here changes the ui state.
 */
#define NCURSES_WIDECHAR 1
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <curses.h>
#include "term.h"
#include "ui.h"
#include "views/format.h"
#include "views/lifegroups.h"
#include "views/session_view.h"
#include "views/text.h"
#include "views/throughput.h"

#define MAXCOLS 32

struct colplan {
	int n;
	int idx[MAXCOLS];
	int w[MAXCOLS];
};

/* Put s at (y, x), cut or padded to exactly w columns. */
static void put(int y, int x, int w, const char *s, int attr, bool right)
{
	char buf[1024];

	if (w <= 0)
		return;
	text_fit(buf, sizeof(buf), s, w, right, 1);
	attron(attr);
	mvaddstr(y, x, buf);
	attroff(attr);
}

static bool shrinkable(const struct column *c)
{
	return !(c->flags & COL_NUM) && strcmp(c->name, "->");
}

static int min_width(const struct column *c)
{
	int n = (int)strlen(c->name);

	if (!shrinkable(c))
		return c->width > n ? c->width : n;
	return n > 6 ? n : 6;
}

/*
 * Which columns fit in width, and how wide: drop the highest priority numbers
 * first, then cut text columns down to a minimum, then grow text columns
 * (names, addresses) into what is left.
 */
static void plan_columns(const struct ui *ui, const struct pane_view *v, int width,
			 struct colplan *cp)
{
	const struct pane *p = v->p;
	int total = -1;

	cp->n = 0;
	for (int i = 0; i < p->ncols && cp->n < MAXCOLS; i++) {
		const struct column *c = &p->cols[i];
		int w = column_width(c, ui->wide ? FMT_WIDE : 0), nw = (int)strlen(c->name);

		if (!(c->flags & COL_SCREEN))
			continue;
		nw += i == v->sort.col; /* room for the arrow */
		cp->idx[cp->n] = i;
		cp->w[cp->n] = w > nw ? w : nw;
		total += cp->w[cp->n++] + 1;
	}
	while (total > width) {
		int worst = -1;

		for (int k = 0; k < cp->n; k++) {
			int pr = p->cols[cp->idx[k]].priority;

			if (pr && (worst < 0 || pr >= p->cols[cp->idx[worst]].priority))
				worst = k;
		}
		if (worst < 0)
			break;
		total -= cp->w[worst] + 1;
		memmove(cp->idx + worst, cp->idx + worst + 1,
			(size_t)(cp->n - worst - 1) * sizeof(int));
		memmove(cp->w + worst, cp->w + worst + 1,
			(size_t)(cp->n - worst - 1) * sizeof(int));
		cp->n--;
	}
	while (total > width) {
		int widest = -1;

		for (int k = 0; k < cp->n; k++) {
			const struct column *c = &p->cols[cp->idx[k]];

			if (shrinkable(c) && cp->w[k] > min_width(c) &&
			    (widest < 0 || cp->w[k] > cp->w[widest]))
				widest = k;
		}
		if (widest < 0)
			break;
		cp->w[widest]--;
		total--;
	}
	for (bool grew = true; total < width && grew;) {
		grew = false;
		for (int k = 0; k < cp->n && total < width; k++) {
			const struct column *c = &p->cols[cp->idx[k]];

			if (shrinkable(c) && cp->w[k] < c->wide) {
				cp->w[k]++;
				total++;
				grew = true;
			}
		}
	}
}

static enum color cell_color(const struct pane *p, const struct column *c, const void *row)
{
	if (p == &pane_lifespans && !strcmp(c->name, "STATUS")) {
		char s[32];

		session_status(row, s, sizeof(s));
		if (!strcmp(s, "open"))
			return C_GOOD;
		if (strcmp(s, "ok"))
			return C_BAD;
	}
	if (p == &pane_life_groups) {
		const struct life_row *r = row;
		uint64_t failed = !strcmp(c->name, "FAILS")	? r->fails
				  : !strcmp(c->name, "REFUSED") ? r->refused
				  : !strcmp(c->name, "RESET")	? r->reset
				  : !strcmp(c->name, "TIMEOUT") ? r->timeout
								: 0;

		return failed ? C_BAD : C_NORMAL;
	}
	if (p == &pane_events && !strcmp(c->name, "TYPE"))
		return ((const struct event_row *)row)->type == EV_DROP ? C_BAD : C_TX;
	return C_NORMAL;
}

static void pane_title(struct ui *ui, struct pane_view *v, bool focus)
{
	const struct model *m = ui->m;
	char t[256];
	int n = 0, num = (int)(v - ui->panes) + 1;

	/* the focus shows in text too, for terminals without colour or reverse video */
	n = snprintf(t, sizeof(t), "%s%d %s ", focus ? ui->g.focus : " ", num, v->p->title);
	if (v->p == &pane_lifespans)
		n += snprintf(t + n, sizeof(t) - (size_t)n, " %zu open, %zu closed",
			      table_count(&m->open), retain_count(&m->closed));
	else if (v->p == &pane_life_groups)
		n += snprintf(t + n, sizeof(t) - (size_t)n, " by %s, %zu open, %llu closed",
			      life_group_name(ui_effective_opts(ui, v).life_group),
			      table_count(&m->open), (unsigned long long)m->st.closed);
	else if (v->p == &pane_throughput)
		n += snprintf(
		    t + n, sizeof(t) - (size_t)n, " by %s%s",
		    tput_group_name(filter_uses_ports(&ui->shown) ? G_SOCKET : v->opts.group),
		    v->opts.all_groups ? ", idle rows too" : "");
	if (ui->shown.n)
		n += snprintf(t + n, sizeof(t) - (size_t)n, "  %zu of %zu rows match", v->rows.n,
			      v->rows.total);
	else
		n += snprintf(t + n, sizeof(t) - (size_t)n, "  %zu rows", v->rows.n);
	/* what --max-rows made it let go (each flow keeps its newest: see the help) */
	if (v->p->let_go && v->p->let_go(m))
		n += snprintf(t + n, sizeof(t) - (size_t)n, ", %llu let go",
			      (unsigned long long)v->p->let_go(m));
	for (int j = 0; j < 3 && v->p->jobs[j]; j++)
		if (source_job_off(ui->ctx->src, v->p->jobs[j]))
			n += snprintf(t + n, sizeof(t) - (size_t)n, "  [no %s]", v->p->jobs[j]);
	if (ui->paused)
		n += snprintf(t + n, sizeof(t) - (size_t)n, "  [paused]");
	if (ui->crowded && !ui->zoom)
		snprintf(t + n, sizeof(t) - (size_t)n, "  (too few lines for four panes: Tab)");
	put(v->r.y, v->r.x, v->r.w, t, term_attr(focus ? C_TITLE_FOCUS : C_TITLE), false);
}

static void column_headers(struct ui *ui, struct pane_view *v, const struct colplan *cp)
{
	int x = v->r.x, y = v->r.y + 1;

	for (int i = 0; i < MAXCOLS; i++)
		v->col_x[i] = -1;
	move(y, v->r.x);
	attron(term_attr(C_COLUMNS));
	for (int i = 0; i < v->r.w; i++)
		addch(' ');
	attroff(term_attr(C_COLUMNS));
	for (int k = 0; k < cp->n && x < v->r.x + v->r.w; k++) {
		const struct column *c = &v->p->cols[cp->idx[k]];
		bool sorted = cp->idx[k] == v->sort.col;
		int w = cp->w[k];
		char name[64];

		if (x + w > v->r.x + v->r.w)
			w = v->r.x + v->r.w - x;
		snprintf(name, sizeof(name), "%s%s", c->name,
			 sorted ? (v->sort.desc ? ui->g.down : ui->g.up) : "");
		put(y, x, w, name, term_attr(sorted ? C_SORTED : C_COLUMNS), c->flags & COL_NUM);
		if (cp->idx[k] < MAXCOLS) {
			v->col_x[cp->idx[k]] = x;
			v->col_w[cp->idx[k]] = w;
		}
		x += cp->w[k] + 1;
	}
}

static const char *empty_text(const struct ui *ui, const struct pane_view *v)
{
	static char off[256];
	const char *why;

	/* the pane has no source of rows: say which hook and why */
	for (int j = 0; j < 3 && v->p->jobs[j]; j++) {
		why = source_job_off(ui->ctx->src, v->p->jobs[j]);
		if (why && (j == 2 || !v->p->jobs[j + 1] ||
			    source_job_off(ui->ctx->src, v->p->jobs[j + 1]))) {
			snprintf(off, sizeof(off), "unavailable: no %s: %s", v->p->jobs[j], why);
			return off;
		}
	}
	if (v->rows.total && ui->shown.n)
		return "no rows match the filter (Esc clears it)";
	if (v->p == &pane_lifespans || v->p == &pane_life_groups)
		return "no TCP sessions yet";
	if (v->p == &pane_throughput)
		return "no bytes moved in the last interval (a: show idle rows)";
	if (v->p == &pane_states)
		return "no state changes yet";
	return "no retransmits or drops yet";
}

static void draw_pane(struct ui *ui, struct pane_view *v)
{
	struct fmt_ctx f = ui_fmt(ui);
	bool focus = v == &ui->panes[ui->focus];
	struct colplan cp;

	if (v->r.h <= 0)
		return;
	pane_title(ui, v, focus);
	if (v->r.h < 2)
		return;
	plan_columns(ui, v, v->r.w, &cp);
	column_headers(ui, v, &cp);
	if (!v->rows.n && v->r.h > 2) {
		put(v->r.y + 2, v->r.x + 1, v->r.w - 1, empty_text(ui, v), term_attr(C_DIM), false);
		return;
	}
	for (int line = 0; line < v->visible_rows; line++) {
		size_t i = v->top + (size_t)line;
		int y = v->r.y + 2 + line, x = v->r.x;
		int row_attr = 0;
		const void *row;

		if (i >= v->rows.n)
			break;
		row = v->rows.rows[i];
		if (i == v->sel)
			row_attr = term_attr(focus ? C_SELECTED : C_SELECTED_DIM);
		if (row_attr) {
			move(y, v->r.x);
			attron(row_attr);
			for (int k = 0; k < v->r.w; k++)
				addch(' ');
			attroff(row_attr);
		}
		for (int k = 0; k < cp.n && x < v->r.x + v->r.w; k++) {
			const struct column *c = &v->p->cols[cp.idx[k]];
			int w = cp.w[k];
			char cell[512];

			if (x + w > v->r.x + v->r.w)
				w = v->r.x + v->r.w - x;
			c->format(&f, c, row, cell, sizeof(cell));
			put(y, x, w, cell,
			    row_attr ? row_attr : term_attr(cell_color(v->p, c, row)),
			    c->flags & COL_NUM);
			x += cp.w[k] + 1;
		}
	}
}

/* The last intervals' bytes as a little bar graph, scaled to its own peak. */
static void sparkline(const struct ui *ui, const uint64_t *hist, size_t len, int width, char *out,
		      size_t n)
{
	size_t from = len > (size_t)width ? len - (size_t)width : 0, o = 0;
	uint64_t peak = 0;

	for (size_t i = from; i < len; i++)
		if (hist[i] > peak)
			peak = hist[i];
	out[0] = 0;
	for (size_t i = from; i < len && o + 4 < n; i++) {
		int level = peak ? (int)(hist[i] * 7 / peak) : 0;
		const char *g = ui->g.spark[level];

		memcpy(out + o, g, strlen(g));
		o += strlen(g);
	}
	out[o] = 0;
}

/* Segments of a header line, dropped from the end when the line is too narrow. */
struct segs {
	int n;
	char text[8][256];
	enum color color[8];
};

static void seg(struct segs *s, enum color c, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void seg(struct segs *s, enum color c, const char *fmt, ...)
{
	va_list ap;

	if (s->n == 8)
		return;
	va_start(ap, fmt);
	vsnprintf(s->text[s->n], sizeof(s->text[0]), fmt, ap);
	va_end(ap);
	s->color[s->n++] = c;
}

static void header_line(struct ui *ui, int y, struct segs *s)
{
	int x = 0;

	move(y, 0);
	clrtoeol();
	for (int i = 0; i < s->n; i++) {
		int w = text_width(s->text[i]);

		if (x + w > ui->cols)
			w = ui->cols - x; /* the last that fits is cut, marked */
		if (w <= 0)
			break;
		put(y, x, w, s->text[i], term_attr(s->color[i]), false);
		x += w + 2;
	}
}

static void draw_header(struct ui *ui)
{
	const struct model *m = ui->m;
	const struct pane_view *v = &ui->panes[ui->focus];
	struct segs a = {0}, b = {0};
	char when[16], spark_tx[128], spark_rx[128], tx[16], rx[16];
	/* a replay shows the time it recorded, not today's */
	time_t now = ui->ctx->o->replay && m->meta.have ? (time_t)model_wall_time(m, m->st.now_ns)
							: time(NULL);
	struct tm tm;
	uint64_t lost = model_loss_total(m);
	double iv = m->st.interval_ns ? m->st.interval_ns / 1e9 : ui->interval_ms / 1000.0;

	localtime_r(&now, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	seg(&a, C_HEADER, "tcpscope %s", when);
	seg(&a, C_NORMAL, "every %.1fs", ui->interval_ms / 1000.0);
	seg(&a, C_NORMAL, "sessions %zu open, %llu closed", table_count(&m->open),
	    (unsigned long long)m->st.closed);
	seg(&a, C_NORMAL, "%.0f ev/s", m->st.events_per_sec);
	seg(&a, lost ? C_WARN : C_NORMAL, "lost %llu", (unsigned long long)lost);
	if (ui->paused)
		seg(&a, C_WARN, "PAUSED");
	sparkline(ui, m->hist_tx, m->hist_len, 10, spark_tx, sizeof(spark_tx));
	sparkline(ui, m->hist_rx, m->hist_len, 10, spark_rx, sizeof(spark_rx));
	fmt_bytes_human((uint64_t)(m->st.last_tx / (iv > 0 ? iv : 1)), tx, sizeof(tx));
	fmt_bytes_human((uint64_t)(m->st.last_rx / (iv > 0 ? iv : 1)), rx, sizeof(rx));
	seg(&b, C_TX, "TX %s %sB/s", spark_tx, tx);
	seg(&b, C_RX, "RX %s %sB/s", spark_rx, rx);
	seg(&b, ui->filter.n ? C_HEADER : C_NORMAL, "filter: %s",
	    ui->filter.n ? ui->filter_text : "none");
	if (ui->scope.n)
		seg(&b, C_HEADER, "scope:%s", ui->ctx->o->cli_filter);
	seg(&b, C_NORMAL, "sort: %s%s", v->sort.col >= 0 ? v->p->cols[v->sort.col].name : "natural",
	    v->sort.col >= 0 ? (v->sort.desc ? ui->g.down : ui->g.up) : "");
	seg(&b, C_DIM, "%s", ui->ctx->src->ops->plan(ui->ctx->src));
	header_line(ui, 0, &a);
	header_line(ui, 1, &b);
}

/* The most useful keys, from the keymap: the bar says what the keys really do. */
static void draw_keybar(struct ui *ui, int y)
{
	static const struct {
		enum action a;
		const char *label;
	} items[] = {
	    {ACT_HELP, "Help"},	       {ACT_FILTER, "Filter"},
	    {ACT_SORT_MENU, "SortBy"}, {ACT_SORT_REVERSE, "Reverse"},
	    {ACT_ZOOM, "Zoom"},	       {ACT_EXPORT, "CSV"},
	    {ACT_PAUSE, "Pause"},      {ACT_GROUP, "Group"},
	    {ACT_QUIT, "Quit"},
	};
	int x = 0;

	move(y, 0);
	clrtoeol();
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		int keys[4];
		char kn[16];
		size_t nk = keymap_keys(&ui->keys, items[i].a, keys, 4);
		int w;

		if (!nk)
			continue;
		/* a plain character is the quickest to read and to press */
		int pick = 0;
		for (size_t k = 0; k < nk; k++)
			if (keys[k] < 0x80 && keys[k] != ' ') {
				pick = (int)k;
				break;
			}
		keymap_key_name(keys[pick], kn, sizeof(kn));
		w = (int)strlen(kn) + (int)strlen(items[i].label) + 1;
		if (x + w > ui->cols)
			break;
		put(y, x, (int)strlen(kn), kn, term_attr(C_KEY), false);
		put(y, x + (int)strlen(kn), (int)strlen(items[i].label) + 1, items[i].label,
		    term_attr(C_KEYLABEL), false);
		x += w + 1;
	}
}

static void draw_bottom(struct ui *ui)
{
	int y = ui->lines - 1;
	char line[512];

	if (ui->editing) {
		snprintf(line, sizeof(line), "Filter: %s", ui->edit);
		move(y, 0);
		clrtoeol();
		put(y, 0, ui->cols, line, term_attr(C_HEADER), false);
		if (ui->edit_error[0]) {
			int x = text_width(line) + 2;

			if (x < ui->cols)
				put(y, x, ui->cols - x, ui->edit_error, term_attr(C_WARN), false);
		}
		return;
	}
	if (ui->status[0] && ui_now_ms() < ui->status_until_ms) {
		move(y, 0);
		clrtoeol();
		put(y, 0, ui->cols, ui->status, term_attr(ui->status_error ? C_WARN : C_HEADER),
		    false);
		return;
	}
	draw_keybar(ui, y);
}

void ui_draw(struct ui *ui)
{
	erase();
	if (ui->too_small) {
		char msg[128];

		snprintf(msg, sizeof(msg), "terminal too small: %dx%d, tcpscope needs %dx%d",
			 ui->cols, ui->lines, UI_MIN_COLS, UI_MIN_LINES);
		mvaddnstr(0, 0, msg, ui->cols);
		term_refresh();
		return;
	}
	if (ui->help) {
		ui_draw_help(ui);
		term_refresh();
		return;
	}
	draw_header(ui);
	for (int i = 0; i < P_MAX; i++)
		draw_pane(ui, &ui->panes[i]);
	if (ui->sort_menu)
		ui_draw_sort_menu(ui);
	draw_bottom(ui);
	if (ui->editing) {
		curs_set(1);
		move(ui->lines - 1,
		     8 + text_width(ui->edit) < ui->cols ? 8 + text_width(ui->edit) : ui->cols - 1);
	} else {
		curs_set(0);
	}
	term_refresh();
}
