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
#include "views/colplan.h"
#include "views/format.h"
#include "views/self.h"
#include "views/text.h"

static void put_fitted(int y, int x, const char *s, int attr)
{
	attron(attr);
	mvaddstr(y, x, s);
	attroff(attr);
}

/* Put s at (y, x), cut or padded to exactly w columns. */
static void put(int y, int x, int w, const char *s, int attr, bool right)
{
	char buf[1024];

	if (w <= 0)
		return;
	text_fit(buf, sizeof(buf), s, w, right, 1);
	put_fitted(y, x, buf, attr);
}

/* A cell of column c: as put, but a number too wide is scaled (units.h), never cut. */
static void put_cell(int y, int x, int w, const struct column *c, char *cell, size_t n, int attr)
{
	char buf[1024];
	bool right = c->flags & COL_NUM;

	if (w <= 0)
		return;
	/* most cells fit: only those cut are looked at again */
	if (text_fit(buf, sizeof(buf), cell, w, right, 1) && column_unit(c) != U_NONE) {
		column_fit(c, cell, n, w);
		text_fit(buf, sizeof(buf), cell, w, right, 1);
	}
	put_fitted(y, x, buf, attr);
}

/* The colour of a cell, by what its column says it means. */
static enum color cell_color(const struct fmt_ctx *f, const struct column *c, const void *row)
{
	static const enum color colors[] = {
	    [TONE_PLAIN] = C_NORMAL,
	    [TONE_GOOD] = C_GOOD,
	    [TONE_BAD] = C_BAD,
	    [TONE_SENT] = C_TX,
	};

	return c->tone ? colors[c->tone(f, c, row)] : C_NORMAL;
}

/*
 * Segments of a line, two spaces apart. Text (a filter, the hook plan) may be
 * cut at the line's end, marked; a segment with numbers is shown whole or not
 * at all, so no count reads smaller than it is.
 */
#define MAXSEGS 10
struct segs {
	int n;
	char text[MAXSEGS][256];
	enum color color[MAXSEGS];
	bool text_only[MAXSEGS];
};

static void seg(struct segs *s, enum color c, bool text_only, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void seg(struct segs *s, enum color c, bool text_only, const char *fmt, ...)
{
	va_list ap;

	if (s->n == MAXSEGS)
		return;
	va_start(ap, fmt);
	vsnprintf(s->text[s->n], sizeof(s->text[0]), fmt, ap);
	va_end(ap);
	s->text_only[s->n] = text_only;
	s->color[s->n++] = c;
}

/* A segment that may be cut unless it holds a number. */
static void seg_text(struct segs *s, enum color c, const char *text)
{
	seg(s, c, !strpbrk(text, "0123456789"), "%s", text);
}

/* The segments from (y, x), in width columns; attr 0: each in its colour. */
static void draw_segs(int y, int x, int width, const struct segs *s, int attr)
{
	int end = x + width;

	for (int i = 0; i < s->n && x < end; i++) {
		int w = text_width(s->text[i]);

		if (x + w > end && !s->text_only[i])
			continue; /* a shorter one after it may fit */
		if (x + w > end && end - x < 5)
			break; /* a few cells of a word say nothing */
		if (x + w > end)
			w = end - x;
		put(y, x, w, s->text[i], attr ? attr : term_attr(s->color[i]), false);
		x += w + 2;
	}
}

static void pane_title(struct ui *ui, struct screen_pane *v, bool focus)
{
	const struct model *m = ui->m;
	int num = (int)(v - ui->panes) + 1, attr = term_attr(focus ? C_TITLE_FOCUS : C_TITLE);
	struct segs s = {0};

	/* the focus shows in text too, for terminals without colour or reverse video */
	seg(&s, C_TITLE, false, "%s%d %s", focus ? ui->g.focus : " ", num, v->p->title);
	if (v->p->note) {
		struct pane_opts o = ui_effective_opts(ui, v);
		char note[200];

		v->p->note(m, &o, note, sizeof(note));
		seg_text(&s, C_TITLE, note);
	}
	if (ui->shown.n)
		seg(&s, C_TITLE, false, "%zu of %zu rows match", v->rows.n, v->rows.total);
	else
		seg(&s, C_TITLE, false, "%zu rows", v->rows.n);
	/* what --max-rows made it let go (each flow keeps its newest: see the help) */
	if (v->p->let_go && v->p->let_go(m))
		seg(&s, C_TITLE, false, "%llu let go", (unsigned long long)v->p->let_go(m));
	for (int j = 0; j < PANE_JOBS && v->p->jobs[j]; j++)
		if (source_job_off(ui->ctx->src, v->p->jobs[j]))
			seg(&s, C_TITLE, true, "[no %s]", v->p->jobs[j]);
	if (ui->ctx->o->self.known && v->p->is_self)
		seg(&s, C_TITLE, true, "[your SSH session %s]",
		    ui->ctx->o->live.exclude_self ? "left out" : "highlighted");
	if (ui->paused)
		seg(&s, C_TITLE, true, "[paused]");
	if (ui->crowded && !ui->zoom)
		seg(&s, C_TITLE, true, "(too few lines for every pane: Tab)");
	put(v->r.y, v->r.x, v->r.w, "", attr, false);
	draw_segs(v->r.y, v->r.x, v->r.w, &s, attr);
}

static void column_headers(struct ui *ui, struct screen_pane *v, const struct colplan *cp)
{
	int x = v->r.x, y = v->r.y + 1;

	for (int i = 0; i < PANE_MAX_COLS; i++)
		v->col_x[i] = -1;
	move(y, v->r.x);
	attron(term_attr(C_COLUMNS));
	for (int i = 0; i < v->r.w; i++)
		addch(' ');
	attroff(term_attr(C_COLUMNS));
	for (int k = 0; k < cp->n; k++) {
		const struct column *c = &v->p->cols[cp->idx[k]];
		bool sorted = cp->idx[k] == v->sort.col;
		int w = cp->w[k];
		char name[64];

		snprintf(name, sizeof(name), "%s%s", c->name,
			 sorted ? (v->sort.desc ? ui->g.down : ui->g.up) : "");
		put(y, x, w, name, term_attr(sorted ? C_SORTED : C_COLUMNS), c->flags & COL_NUM);
		v->col_x[cp->idx[k]] = x;
		v->col_w[cp->idx[k]] = w;
		x += cp->w[k] + 1;
	}
}

static const char *empty_text(const struct ui *ui, const struct screen_pane *v)
{
	static char off[256];
	const char *why;

	/* no job that feeds the pane runs: say which hook and why (of the first) */
	for (int j = 0; j < PANE_JOBS && v->p->jobs[j]; j++) {
		if (!source_job_off(ui->ctx->src, v->p->jobs[j]))
			break;
		if (j + 1 == PANE_JOBS || !v->p->jobs[j + 1]) {
			why = source_job_off(ui->ctx->src, v->p->jobs[0]);
			snprintf(off, sizeof(off), "unavailable: no %s: %s", v->p->jobs[0], why);
			return off;
		}
	}
	if (v->rows.total && ui->shown.n)
		return "no rows match the filter (Esc clears it)";
	return v->p->empty;
}

/* The pane's side panel (struct pane.side) for its selected row, at its right edge. */
static void draw_side(struct ui *ui, struct screen_pane *v, int side_w)
{
	char lines[64][PANE_SIDE_WIDTH + 1];
	int max = v->r.h - 1 < 64 ? v->r.h - 1 : 64, n;
	int x = v->r.x + v->r.w - side_w + 1;

	n = v->p->side(ui->m, v->rows.rows[v->sel], lines, max);
	for (int i = 0; i < n; i++)
		put(v->r.y + 1 + i, x, PANE_SIDE_WIDTH, lines[i],
		    term_attr(i ? C_NORMAL : C_COLUMNS), false);
}

static void draw_pane(struct ui *ui, struct screen_pane *v, const struct self_mark *self)
{
	struct fmt_ctx f = ui_fmt(ui);
	bool focus = v == &ui->panes[ui->focus];
	struct colplan cp;
	int side_w = 0;

	if (v->r.h <= 0)
		return;
	pane_title(ui, v, focus);
	if (v->r.h < 2)
		return;
	/* a side panel about the selected row, where there is room for both */
	if (v->p->side && v->rows.n && v->r.w >= 100)
		side_w = PANE_SIDE_WIDTH + 1;
	colplan_make(v->p, v->sort.col, ui->wide ? FMT_WIDE : 0, v->r.w - side_w, &cp);
	column_headers(ui, v, &cp);
	if (side_w)
		draw_side(ui, v, side_w);
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
		else if (v->p->is_self && v->p->is_self(self, row))
			row_attr = term_attr(C_SELF);
		if (row_attr) {
			move(y, v->r.x);
			attron(row_attr);
			for (int k = 0; k < v->r.w - side_w; k++)
				addch(' ');
			attroff(row_attr);
		}
		for (int k = 0; k < cp.n; k++) {
			const struct column *c = &v->p->cols[cp.idx[k]];
			int w = cp.w[k];
			char cell[512];

			c->format(&f, c, row, cell, sizeof(cell));
			put_cell(y, x, w, c, cell, sizeof(cell),
				 row_attr ? row_attr : term_attr(cell_color(&f, c, row)));
			x += cp.w[k] + 1;
		}
	}
}

/* The last intervals' bytes as a little bar graph, scaled to its own peak. */
void ui_sparkline(const struct ui *ui, const uint64_t *hist, size_t len, int width, char *out,
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

static void draw_header(struct ui *ui)
{
	const struct model *m = ui->m;
	const struct screen_pane *v = &ui->panes[ui->focus];
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
	seg(&a, C_HEADER, false, "tcpscope %s", when);
	seg(&a, C_NORMAL, false, "every %.1fs", ui->interval_ms / 1000.0);
	seg(&a, C_NORMAL, false, "sessions %zu open, %llu closed", table_count(&m->open),
	    (unsigned long long)m->st.closed);
	seg(&a, C_NORMAL, false, "%.0f ev/s", m->st.events_per_sec);
	seg(&a, lost ? C_WARN : C_NORMAL, false, "lost %llu", (unsigned long long)lost);
	if (ui->paused)
		seg(&a, C_WARN, true, "PAUSED");
	ui_sparkline(ui, m->hist_tx, m->hist_len, 10, spark_tx, sizeof(spark_tx));
	ui_sparkline(ui, m->hist_rx, m->hist_len, 10, spark_rx, sizeof(spark_rx));
	fmt_bytes_human((uint64_t)(m->st.last_tx / (iv > 0 ? iv : 1)), tx, sizeof(tx));
	fmt_bytes_human((uint64_t)(m->st.last_rx / (iv > 0 ? iv : 1)), rx, sizeof(rx));
	seg(&b, C_TX, false, "TX %s %sB/s", spark_tx, tx);
	seg(&b, C_RX, false, "RX %s %sB/s", spark_rx, rx);
	seg(&b, ui->filter.n ? C_HEADER : C_NORMAL, true, "filter: %s",
	    ui->filter.n ? ui->filter_text : "none");
	if (ui->scope.n)
		seg(&b, C_HEADER, true, "scope:%s", ui->ctx->o->cli_filter);
	seg(&b, C_NORMAL, true, "sort: %s%s",
	    v->sort.col >= 0 ? v->p->cols[v->sort.col].name : "natural",
	    v->sort.col >= 0 ? (v->sort.desc ? ui->g.down : ui->g.up) : "");
	seg(&b, C_DIM, true, "%s", ui->ctx->src->ops->plan(ui->ctx->src));
	move(0, 0);
	clrtoeol();
	draw_segs(0, 0, ui->cols, &a, 0);
	move(1, 0);
	clrtoeol();
	draw_segs(1, 0, ui->cols, &b, 0);
}

/* The most useful keys, from the keymap: the bar says what the keys really do. */
struct keybar_item {
	enum action a;
	const char *label;
};

static void draw_keybar(struct ui *ui, int y)
{
	static const struct keybar_item panes[] = {
	    {ACT_HELP, "Help"},	       {ACT_FILTER, "Filter"},
	    {ACT_SORT_MENU, "SortBy"}, {ACT_SORT_REVERSE, "Reverse"},
	    {ACT_PAGE, "Connection"},  {ACT_ZOOM, "Zoom"},
	    {ACT_EXPORT, "CSV"},       {ACT_PAUSE, "Pause"},
	    {ACT_GROUP, "Group"},      {ACT_QUIT, "Quit"},
	};
	/* on a connection's page, the keys it takes */
	static const struct keybar_item page[] = {
	    {ACT_HELP, "Help"},	 {ACT_QUIT, "Back"},	       {ACT_UP, "Earlier"},
	    {ACT_DOWN, "Later"}, {ACT_EXPORT, "Timeline CSV"}, {ACT_PAUSE, "Pause"},
	};
	const struct keybar_item *items = ui->page.open ? page : panes;
	size_t nitems =
	    ui->page.open ? sizeof(page) / sizeof(page[0]) : sizeof(panes) / sizeof(panes[0]);
	int x = 0;

	move(y, 0);
	clrtoeol();
	for (size_t i = 0; i < nitems; i++) {
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
	struct self_mark self;

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
	if (ui->page.open) {
		ui_draw_page(ui);
		draw_bottom(ui);
		curs_set(0);
		term_refresh();
		return;
	}
	/* this screen's own SSH session, looked for once a frame */
	self.conn = &ui->ctx->o->self;
	self.session = self_session(ui->m, self.conn);
	for (int i = 0; i < P_MAX; i++)
		draw_pane(ui, &ui->panes[i], &self);
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
