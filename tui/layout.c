// SPDX-License-Identifier: GPL-2.0
/*
 * Where the panes go: stacked on ordinary terminals, each its share of the
 * spare lines (its weight); on very wide ones in a grid of rows, two panes
 * side by side (each pane names its cell); one pane on the whole area when
 * zoomed. Two header lines on top, the key bar (or status, or filter line)
 * at the bottom.
 */
#include "ui.h"

#define HEADER_LINES 2
#define PANE_MIN     3 /* title, column headers, one row */
#define GRID_COLS    200
#define LEFT_PERCENT 55 /* of a grid row two panes share */

static void set(struct screen_pane *v, int y, int x, int h, int w)
{
	v->r.y = y;
	v->r.x = x;
	v->r.h = h;
	v->r.w = w;
	v->visible_rows = h - 2 > 0 ? h - 2 : 0;
}

/* The grid: rows of equal height (the last takes what is left), left and right. */
static void grid(struct ui *ui, int top, int area)
{
	int rows = 0, lw = ui->cols * LEFT_PERCENT / 100;

	for (int i = 0; i < P_MAX; i++)
		if (pane_get((enum pane_id)i)->grid.row >= rows)
			rows = pane_get((enum pane_id)i)->grid.row + 1;
	for (int i = 0; i < P_MAX; i++) {
		const struct grid_cell *at = &pane_get((enum pane_id)i)->grid;
		int y = top + area * at->row / rows;
		int h = (at->row == rows - 1 ? top + area : top + area * (at->row + 1) / rows) - y;
		bool alone = true;

		for (int j = 0; j < P_MAX; j++)
			alone &= j == i || pane_get((enum pane_id)j)->grid.row != at->row;
		if (alone)
			set(&ui->panes[i], y, 0, h, ui->cols);
		else if (at->col == 0)
			set(&ui->panes[i], y, 0, h, lw);
		else
			set(&ui->panes[i], y, lw + 1, h, ui->cols - lw - 1);
	}
}

/* Stacked: each pane its least, then its weight's share of the lines to spare. */
static void stack(struct ui *ui, int top, int area)
{
	int spare = area - PANE_MIN * P_MAX, y = top, used = 0;

	for (int i = 0; i < P_MAX; i++) {
		int share = spare * pane_get((enum pane_id)i)->weight / 100;
		int h = PANE_MIN + (i == P_MAX - 1 ? spare - used : share);

		used += share;
		set(&ui->panes[i], y, 0, h, ui->cols);
		y += h;
	}
}

void ui_layout(struct ui *ui)
{
	int top = HEADER_LINES, area = ui->lines - HEADER_LINES - 1;

	ui->too_small = ui->cols < UI_MIN_COLS || ui->lines < UI_MIN_LINES;
	for (int i = 0; i < P_MAX; i++)
		set(&ui->panes[i], 0, 0, 0, 0);
	if (ui->too_small)
		return;
	ui->crowded = area < PANE_MIN * P_MAX;
	if (ui->zoom || ui->crowded)
		set(&ui->panes[ui->focus], top, 0, area, ui->cols);
	else if (ui->cols >= GRID_COLS)
		grid(ui, top, area);
	else
		stack(ui, top, area);
	for (int i = 0; i < P_MAX; i++)
		ui_clamp(&ui->panes[i]);
}
