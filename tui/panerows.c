// SPDX-License-Identifier: GPL-2.0
/*
 * The panes' rows on screen: rebuilt from the model at each refresh (or from
 * frozen copies while paused), with each pane's selection kept on the same
 * row by its identity.
 */
#include <stdlib.h>
#include <string.h>
#include "ui.h"

struct fmt_ctx ui_fmt(const struct ui *ui)
{
	struct fmt_ctx f = {
	    .m = ui->m,
	    .flags = (ui->wide ? FMT_WIDE : 0) | (ui->utf8 ? 0 : FMT_ASCII),
	    .now_ns = ui->paused ? ui->paused_ns : ui->m->st.now_ns,
	    .t0_ns = ui->m->st.first_ns,
	};

	return f;
}

/* Rows grouped so that they show what the filter looks at (throughput by socket for ports). */
struct pane_opts ui_effective_opts(const struct ui *ui, const struct screen_pane *v)
{
	return pane_opts_for_filter(&v->opts, &ui->shown);
}

void ui_clamp(struct screen_pane *v)
{
	size_t page = v->visible_rows > 0 ? (size_t)v->visible_rows : 1;

	if (v->rows.n == 0) {
		v->sel = v->top = 0;
		v->sel_valid = false;
		return;
	}
	if (v->sel >= v->rows.n)
		v->sel = v->rows.n - 1;
	if (v->sel < v->top)
		v->top = v->sel;
	if (v->sel >= v->top + page)
		v->top = v->sel - page + 1;
	if (v->top + page > v->rows.n)
		v->top = v->rows.n > page ? v->rows.n - page : 0;
	v->sel_id = v->p->ident(v->rows.rows[v->sel]);
	v->sel_valid = true;
}

static void rebuild_one(struct ui *ui, struct screen_pane *v)
{
	struct fmt_ctx f = ui_fmt(ui);
	struct pane_opts o = ui_effective_opts(ui, v);
	int rc;

	if (ui->paused && v->frozen.ptrs)
		rc = rows_build_from(&v->rows, v->p, v->frozen.ptrs, v->frozen.n, &ui->shown,
				     &v->sort, &f);
	else
		rc = rows_build(&v->rows, v->p, ui->m, &o, &ui->shown, &v->sort, &f);
	if (rc) {
		v->rows.n = 0;
		v->rows.total = 0;
		ui_set_status(ui, true, "out of memory building %s", v->p->title);
	}
	/*
	 * keep the selection on the same row if it is still there; a selection
	 * left on the first row stays there, so new rows at the head show up
	 */
	if (v->sel_valid && (v->sel || v->top)) {
		size_t off = v->sel >= v->top ? v->sel - v->top : 0; /* its place on screen */

		for (size_t i = 0; i < v->rows.n; i++)
			if (v->p->ident(v->rows.rows[i]) == v->sel_id) {
				v->sel = i;
				v->top = i >= off ? i - off : 0;
				break;
			}
	}
	ui_clamp(v);
}

void ui_rebuild(struct ui *ui)
{
	for (int i = 0; i < P_MAX; i++)
		rebuild_one(ui, &ui->panes[i]);
	ui->built_seq = ui->m->st.seq;
}

static void thaw(struct frozen *fz)
{
	free(fz->data);
	free(fz->ptrs);
	memset(fz, 0, sizeof(*fz));
}

/* Copy every row of a pane: the model goes on changing under a paused display. */
static void freeze(struct ui *ui, struct screen_pane *v)
{
	struct pane_opts o = ui_effective_opts(ui, v);
	size_t n = v->p->count(ui->m, &o), sz = v->p->row_size;
	const void **src = malloc((n ? n : 1) * sizeof(*src));

	thaw(&v->frozen);
	v->frozen.data = malloc((n ? n : 1) * sz);
	v->frozen.ptrs = malloc((n ? n : 1) * sizeof(void *));
	if (!src || !v->frozen.data || !v->frozen.ptrs) {
		free(src);
		thaw(&v->frozen);
		return;
	}
	n = v->p->collect(ui->m, &o, src, n);
	for (size_t i = 0; i < n; i++) {
		memcpy(v->frozen.data + i * sz, src[i], sz);
		v->frozen.ptrs[i] = v->frozen.data + i * sz;
	}
	v->frozen.n = n;
	free(src);
}

void ui_freeze(struct ui *ui, bool on)
{
	ui->paused = on;
	if (on)
		ui->paused_ns = ui->m->st.now_ns;
	for (int i = 0; i < P_MAX; i++) {
		if (on)
			freeze(ui, &ui->panes[i]);
		else
			thaw(&ui->panes[i].frozen);
	}
	if (ui->ctx->src)
		ui->ctx->src->paused = on; /* a replay stops; the live kernel goes on */
}
