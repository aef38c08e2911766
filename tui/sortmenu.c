// SPDX-License-Identifier: GPL-2.0
/* F6: the focused pane's columns in a box; Enter sorts by the chosen one. */
#define NCURSES_WIDECHAR 1
#include <stdio.h>
#include <string.h>
#include <curses.h>
#include "term.h"
#include "ui.h"
#include "views/text.h"

static bool sortable(const struct column *c)
{
	return (c->flags & (COL_SCREEN | COL_CSV | COL_CLOCK)) && !(c->flags & COL_MARK);
}

void ui_sort_menu_open(struct ui *ui)
{
	struct screen_pane *v = &ui->panes[ui->focus];

	ui->sort_menu = true;
	ui->menu_sel = v->sort.col >= 0 ? v->sort.col : 0;
	while (ui->menu_sel < v->p->ncols && !sortable(&v->p->cols[ui->menu_sel]))
		ui->menu_sel++;
}

static int step(const struct pane *p, int from, int dir)
{
	for (int i = from + dir; i >= 0 && i < p->ncols; i += dir)
		if (sortable(&p->cols[i]))
			return i;
	return from;
}

int ui_sort_menu_key(struct ui *ui, int key)
{
	struct screen_pane *v = &ui->panes[ui->focus];

	switch (key) {
	case K_UP:
	case 'k':
		ui->menu_sel = step(v->p, ui->menu_sel, -1);
		return R_REDRAW;
	case K_DOWN:
	case 'j':
		ui->menu_sel = step(v->p, ui->menu_sel, 1);
		return R_REDRAW;
	case K_ENTER:
		if (v->sort.col == ui->menu_sel)
			v->sort.desc = !v->sort.desc;
		else {
			v->sort.col = ui->menu_sel;
			v->sort.desc = v->p->cols[ui->menu_sel].flags & COL_DESC;
		}
		ui->sort_menu = false;
		return R_REBUILD;
	case K_ESC:
	case 'q':
		ui->sort_menu = false;
		return R_REDRAW;
	}
	return R_NONE;
}

static void box_line(int y, int x, int w, const char *text, int attr)
{
	char buf[512];

	text_fit(buf, sizeof(buf), text, w, 0, 1);
	attron(attr);
	mvaddstr(y, x, buf);
	attroff(attr);
}

void ui_draw_sort_menu(struct ui *ui)
{
	struct screen_pane *v = &ui->panes[ui->focus];
	int n = 0, w = 0, y0, x0, line = 0;

	for (int i = 0; i < v->p->ncols; i++)
		if (sortable(&v->p->cols[i])) {
			int len =
			    (int)(strlen(v->p->cols[i].name) + strlen(v->p->cols[i].help)) + 6;

			n++;
			w = len > w ? len : w;
		}
	if (w > ui->cols - 2)
		w = ui->cols - 2;
	y0 = 2;
	x0 = (ui->cols - w) / 2;
	box_line(y0, x0, w, " Sort by (Enter: choose, again: reverse; Esc)",
		 term_attr(C_TITLE_FOCUS));
	for (int i = 0; i < v->p->ncols && line < ui->lines - 4; i++) {
		const struct column *c = &v->p->cols[i];
		char text[256];
		int attr = i == ui->menu_sel ? term_attr(C_SELECTED) : term_attr(C_NORMAL);

		if (!sortable(c))
			continue;
		snprintf(text, sizeof(text), "%s %-12s %s",
			 i == v->sort.col ? (v->sort.desc ? ui->g.down : ui->g.up) : " ", c->name,
			 c->help);
		box_line(y0 + 1 + line++, x0, w, text, attr);
	}
	(void)n;
}
