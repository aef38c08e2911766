// SPDX-License-Identifier: GPL-2.0
/* The mouse: a click on a column header sorts by it, on a row selects it; the wheel scrolls. */
#include "term.h"
#include "ui.h"

static struct screen_pane *pane_at(struct ui *ui, int y, int x)
{
	for (int i = 0; i < P_MAX; i++) {
		struct screen_pane *v = &ui->panes[i];

		if (v->r.h > 0 && y >= v->r.y && y < v->r.y + v->r.h && x >= v->r.x &&
		    x < v->r.x + v->r.w)
			return v;
	}
	return NULL;
}

int ui_mouse(struct ui *ui, int y, int x, int button)
{
	struct screen_pane *v = pane_at(ui, y, x);

	if (!v || ui->help || ui->editing || ui->sort_menu)
		return R_NONE;
	ui->focus = (int)(v - ui->panes);
	if (button == MOUSE_WHEEL_UP || button == MOUSE_WHEEL_DOWN) {
		size_t step = 3;

		if (button == MOUSE_WHEEL_UP)
			v->sel = v->sel > step ? v->sel - step : 0;
		else
			v->sel += step;
		ui_clamp(v);
		return R_REDRAW;
	}
	if (y == v->r.y + 1) {
		for (int c = 0; c < v->p->ncols; c++)
			if (v->col_x[c] >= 0 && x >= v->col_x[c] && x < v->col_x[c] + v->col_w[c]) {
				if (v->sort.col == c)
					v->sort.desc = !v->sort.desc;
				else {
					v->sort.col = c;
					v->sort.desc = v->p->cols[c].flags & COL_DESC;
				}
				return R_REBUILD;
			}
		return R_REDRAW;
	}
	if (y >= v->r.y + 2 && v->top + (size_t)(y - v->r.y - 2) < v->rows.n) {
		v->sel = v->top + (size_t)(y - v->r.y - 2);
		ui_clamp(v);
	}
	return R_REDRAW;
}
