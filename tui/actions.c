// SPDX-License-Identifier: GPL-2.0
/*
 * What each key does. Actions change the ui state and say what the main
 * loop must do next (R_REDRAW, R_REBUILD, R_QUIT); they never draw.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "ui.h"

uint64_t ui_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

uint64_t ui_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void ui_set_status(struct ui *ui, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->status, sizeof(ui->status), fmt, ap);
	va_end(ap);
	ui->status_error = error;
	ui->status_until_ms = ui_now_ms() + (error ? 8000 : 5000);
}

/* Replace the filter with text, if it parses; say why not otherwise. */
void ui_apply_filter_text(struct ui *ui, const char *text)
{
	struct filter f;
	char err[160];

	if (filter_parse(text, &f, err, sizeof(err))) {
		ui_set_status(ui, true, "filter: %s", err);
		return;
	}
	ui->filter = f;
	snprintf(ui->filter_text, sizeof(ui->filter_text), "%s", f.text);
	ui_filter_changed(ui);
}

void ui_filter_changed(struct ui *ui)
{
	if (filter_and(&ui->shown, &ui->scope, &ui->filter)) {
		ui_set_status(ui, true, "filter: at most %d terms in all", FILTER_MAX_TERMS);
		ui->shown = ui->scope;
	}
}

static struct screen_pane *focused(struct ui *ui)
{
	return &ui->panes[ui->focus];
}

static const void *selected_row(struct ui *ui)
{
	struct screen_pane *v = focused(ui);

	return v->rows.n ? v->rows.rows[v->sel] : NULL;
}

/*
 * Narrow the filter to one value of the selected row: the term replaces any
 * term of the same kind and keeps the others ("port 443" + p -> "port 443 pid 7").
 */
static int filter_to(struct ui *ui, const char *word, const char *value)
{
	char text[256] = "", buf[256], *save = NULL, *tok;
	size_t o = 0;
	bool skip_next = false;

	snprintf(buf, sizeof(buf), "%s", ui->filter_text);
	for (tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		const char *w = tok[0] == '!' ? tok + 1 : tok;

		if (skip_next) {
			skip_next = false;
			continue;
		}
		if (!strcmp(w, word)) {
			skip_next = true;
			continue;
		}
		if (!strncmp(w, word, strlen(word)) &&
		    (w[strlen(word)] == ':' || w[strlen(word)] == '='))
			continue;
		o += (size_t)snprintf(text + o, sizeof(text) - o, "%s%s", o ? " " : "", tok);
	}
	snprintf(text + o, sizeof(text) - o, "%s%s %s", o ? " " : "", word, value);
	ui_apply_filter_text(ui, text);
	return R_REBUILD;
}

static int filter_selected(struct ui *ui, enum action a)
{
	const void *row = selected_row(ui);
	struct row_fields rf;
	char value[32];

	if (!row) {
		ui_set_status(ui, true, "no row selected");
		return R_REDRAW;
	}
	focused(ui)->p->fields(row, &rf);
	if (a == ACT_FILTER_PID) {
		if (!rf.pid) {
			ui_set_status(ui, true, "the selected row has no known process");
			return R_REDRAW;
		}
		snprintf(value, sizeof(value), "%u", rf.pid);
		return filter_to(ui, "pid", value);
	}
	if (!rf.has_ports) {
		const struct pane_grouping *g = focused(ui)->base->grouping;

		ui_set_status(ui, true,
			      "rows grouped by %s have no ports: press g for one that has",
			      g ? g->name(g->get(&focused(ui)->opts)) : "?");
		return R_REDRAW;
	}
	snprintf(value, sizeof(value), "%u", a == ACT_FILTER_LPORT ? rf.lport : rf.rport);
	return filter_to(ui, a == ACT_FILTER_LPORT ? "lport" : "rport", value);
}

static int move(struct ui *ui, long delta, bool absolute)
{
	struct screen_pane *v = focused(ui);
	long page = v->visible_rows > 1 ? v->visible_rows - 1 : 1;
	long sel = (long)v->sel;

	if (!v->rows.n)
		return R_NONE;
	if (absolute)
		sel = delta < 0 ? 0 : (long)v->rows.n - 1;
	else
		sel += delta == 2 ? page : delta == -2 ? -page : delta;
	if (sel < 0)
		sel = 0;
	if (sel >= (long)v->rows.n)
		sel = (long)v->rows.n - 1;
	v->sel = (size_t)sel;
	ui_clamp(v);
	return R_REDRAW;
}

/* The next (dir 1) or previous sortable column shown on screen. */
static int sort_step(struct ui *ui, int dir)
{
	struct screen_pane *v = focused(ui);
	const struct pane *p = v->p;
	int c = v->sort.col;

	for (int i = 0; i < p->ncols; i++) {
		c = c < 0 ? (dir > 0 ? 0 : p->ncols - 1) : (c + dir + p->ncols) % p->ncols;
		if (p->cols[c].flags & (COL_SCREEN | COL_CLOCK) && !(p->cols[c].flags & COL_MARK))
			break;
	}
	v->sort.col = c;
	v->sort.desc = p->cols[c].flags & COL_DESC;
	return R_REBUILD;
}

static int set_interval(struct ui *ui, unsigned ms)
{
	if (ms < 100)
		ms = 100;
	if (ms > 60000)
		ms = 60000;
	ui->interval_ms = ms;
	if (ui->ctx->src->ops->set_interval)
		ui->ctx->src->ops->set_interval(ui->ctx->src, ms);
	ui_set_status(ui, false, "refresh every %.1fs", ms / 1000.0);
	return R_REDRAW;
}

/* The next grouping of a pane; one that shows another pane (summed up) sorts as that one does. */
static void regroup(struct ui *ui, struct screen_pane *v)
{
	const struct pane_grouping *g = v->base->grouping;
	const struct pane *was = v->p;
	int mode = (g->get(&v->opts) + 1) % g->modes;
	char e[256];

	g->set(&v->opts, mode);
	v->p = pane_shown_for(v->base, &v->opts);
	if (v->p != was) {
		/* other columns: their sort, or the pane's own */
		sort_default(v->p, &v->sort);
		if (ui->ctx->o->sort)
			sort_parse(v->p, ui->ctx->o->sort, &v->sort, e, sizeof(e));
		v->sel = v->top = 0;
		v->sel_valid = false;
	}
	if (mode == 0 && g->said_first)
		ui_set_status(ui, false, "%s", g->said_first);
	else
		ui_set_status(ui, false, "%s %s", g->said, g->name(mode));
}

/* g: the focused pane's grouping; on a pane without one, the panes g regroups for others. */
static int group(struct ui *ui)
{
	struct screen_pane *v = focused(ui);

	if (v->base->grouping)
		regroup(ui, v);
	else
		for (int i = 0; i < P_MAX; i++)
			if (ui->panes[i].base->grouping && ui->panes[i].base->grouping->for_others)
				regroup(ui, &ui->panes[i]);
	if (ui->paused)
		ui_freeze(ui, true);
	return R_REBUILD;
}

static int export_pane(struct ui *ui)
{
	char path[512], err[512];

	if (ui_export(ui, path, sizeof(path), err, sizeof(err)))
		ui_set_status(ui, true, "%s", err);
	else
		ui_set_status(ui, false, "wrote %s (%zu rows)", path, focused(ui)->rows.n);
	return R_REDRAW;
}

/* quit, help, export: the screen as a whole. */
static int act_screen(struct ui *ui, enum action a)
{
	switch (a) {
	case ACT_QUIT:
		return R_QUIT;
	case ACT_HELP:
		ui->help = true;
		ui->help_top = 0;
		return R_REDRAW;
	default:
		return export_pane(ui);
	}
}

/* Which pane has the focus, and whether it has the whole screen. */
static int act_focus(struct ui *ui, enum action a)
{
	if (a == ACT_NEXT_PANE)
		ui->focus = (ui->focus + 1) % P_MAX;
	else if (a == ACT_PREV_PANE)
		ui->focus = (ui->focus + P_MAX - 1) % P_MAX;
	else if (a == ACT_ZOOM)
		ui->zoom = !ui->zoom;
	else
		ui->focus = a - ACT_PANE_1;
	return R_REDRAW;
}

/* The selected row: a row, a page, or to either end. */
static int act_move(struct ui *ui, enum action a)
{
	switch (a) {
	case ACT_UP:
		return move(ui, -1, false);
	case ACT_DOWN:
		return move(ui, 1, false);
	case ACT_PAGE_UP:
		return move(ui, -2, false);
	case ACT_PAGE_DOWN:
		return move(ui, 2, false);
	case ACT_TOP:
		return move(ui, -1, true);
	default:
		return move(ui, 1, true);
	}
}

static int act_sort(struct ui *ui, enum action a)
{
	struct screen_pane *v = focused(ui);

	switch (a) {
	case ACT_SORT_NEXT:
		return sort_step(ui, 1);
	case ACT_SORT_PREV:
		return sort_step(ui, -1);
	case ACT_SORT_REVERSE:
		if (v->sort.col < 0)
			sort_step(ui, 1);
		v->sort.desc = !v->sort.desc;
		return R_REBUILD;
	default:
		ui_sort_menu_open(ui);
		return R_REDRAW;
	}
}

static int act_filter(struct ui *ui, enum action a)
{
	switch (a) {
	case ACT_FILTER:
		ui_filter_begin(ui);
		return R_REDRAW;
	case ACT_FILTER_CLEAR:
		if (!ui->filter.n)
			return R_NONE;
		ui_apply_filter_text(ui, "");
		ui_set_status(ui, false, "filter cleared");
		return R_REBUILD;
	default:
		return filter_selected(ui, a);
	}
}

/* a: idle throughput rows too, and Lifespans' open sessions only; and back. */
static int all_rows(struct ui *ui)
{
	for (int i = 0; i < P_MAX; i++) {
		ui->panes[i].opts.all_groups = !ui->panes[i].opts.all_groups;
		ui->panes[i].opts.hide_closed = !ui->panes[i].opts.hide_closed;
	}
	ui_set_status(ui, false, "%s",
		      focused(ui)->opts.all_groups
			  ? "showing idle throughput rows; open sessions only"
			  : "active throughput rows; open and closed sessions");
	if (ui->paused)
		ui_freeze(ui, true);
	return R_REBUILD;
}

/* What the panes show and how often: pause, the interval, groupings, widths. */
static int act_display(struct ui *ui, enum action a)
{
	switch (a) {
	case ACT_PAUSE:
		ui_freeze(ui, !ui->paused);
		return R_REBUILD;
	case ACT_SLOWER:
		return set_interval(ui, ui->interval_ms < 1000 ? ui->interval_ms + 100
							       : ui->interval_ms + 1000);
	case ACT_FASTER:
		return set_interval(ui, ui->interval_ms <= 1000 ? ui->interval_ms - 100
								: ui->interval_ms - 1000);
	case ACT_GROUP:
		return group(ui);
	case ACT_ALL_ROWS:
		return all_rows(ui);
	case ACT_WIDE:
		ui->wide = !ui->wide;
		return R_REDRAW;
	default:
		return R_REDRAW | R_REBUILD;
	}
}

/* Each action to its group (a switch: the compiler names an action left out). */
int ui_act(struct ui *ui, enum action a)
{
	switch (a) {
	case ACT_QUIT:
	case ACT_HELP:
	case ACT_EXPORT:
		return act_screen(ui, a);
	case ACT_NEXT_PANE:
	case ACT_PREV_PANE:
	case ACT_PANE_1 ... ACT_PANE_LAST:
	case ACT_ZOOM:
		return act_focus(ui, a);
	case ACT_UP:
	case ACT_DOWN:
	case ACT_PAGE_UP:
	case ACT_PAGE_DOWN:
	case ACT_TOP:
	case ACT_BOTTOM:
		return act_move(ui, a);
	case ACT_SORT_NEXT:
	case ACT_SORT_PREV:
	case ACT_SORT_REVERSE:
	case ACT_SORT_MENU:
		return act_sort(ui, a);
	case ACT_FILTER:
	case ACT_FILTER_CLEAR:
	case ACT_FILTER_PID:
	case ACT_FILTER_LPORT:
	case ACT_FILTER_RPORT:
		return act_filter(ui, a);
	case ACT_PAUSE:
	case ACT_SLOWER:
	case ACT_FASTER:
	case ACT_GROUP:
	case ACT_ALL_ROWS:
	case ACT_WIDE:
	case ACT_REDRAW:
		return act_display(ui, a);
	case ACT_PAGE:
		return ui_page_open(ui);
	case ACT_NONE:
	case ACT_MAX:
		break;
	}
	return R_NONE;
}
