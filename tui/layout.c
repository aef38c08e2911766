// SPDX-License-Identifier: GPL-2.0
/*
 * Where the panes go: stacked on ordinary terminals, 2x2 on very wide ones,
 * one pane on the whole area when zoomed. Two header lines on top, the key
 * bar (or status, or filter line) at the bottom.
 */
#include "ui.h"

#define HEADER_LINES 2
#define PANE_MIN     3 /* title, column headers, one row */
#define GRID_COLS    200

static void set(struct screen_pane *v, int y, int x, int h, int w)
{
	v->r.y = y;
	v->r.x = x;
	v->r.h = h;
	v->r.w = w;
	v->visible_rows = h - 2 > 0 ? h - 2 : 0;
}

void ui_layout(struct ui *ui)
{
	int top = HEADER_LINES, area = ui->lines - HEADER_LINES - 1;
	/* share of the spare lines: Lifespans most, the logs least */
	static const int weight[P_MAX] = {40, 24, 18, 18};

	ui->too_small = ui->cols < UI_MIN_COLS || ui->lines < UI_MIN_LINES;
	for (int i = 0; i < P_MAX; i++)
		set(&ui->panes[i], 0, 0, 0, 0);
	if (ui->too_small)
		return;
	ui->crowded = area < PANE_MIN * P_MAX;
	if (ui->zoom || ui->crowded) {
		set(&ui->panes[ui->focus], top, 0, area, ui->cols);
		goto done;
	}
	if (ui->cols >= GRID_COLS) {
		int lw = ui->cols * 55 / 100, h1 = area / 2;

		set(&ui->panes[P_LIFESPANS], top, 0, h1, lw);
		set(&ui->panes[P_THROUGHPUT], top, lw + 1, h1, ui->cols - lw - 1);
		set(&ui->panes[P_STATES], top + h1, 0, area - h1, lw);
		set(&ui->panes[P_EVENTS], top + h1, lw + 1, area - h1, ui->cols - lw - 1);
		goto done;
	}
	{
		int spare = area - PANE_MIN * P_MAX, y = top, used = 0;

		for (int i = 0; i < P_MAX; i++) {
			int h =
			    PANE_MIN + (i == P_MAX - 1 ? spare - used : spare * weight[i] / 100);

			if (i < P_MAX - 1)
				used += spare * weight[i] / 100;
			set(&ui->panes[i], y, 0, h, ui->cols);
			y += h;
		}
	}
done:
	for (int i = 0; i < P_MAX; i++)
		ui_clamp(&ui->panes[i]);
}
