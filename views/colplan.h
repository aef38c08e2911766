/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which of a pane's screen columns fit in a line, and how wide each is drawn:
 * no curses, so the tests can check every width a column can get.
 */
#ifndef TCPSCOPE_COLPLAN_H
#define TCPSCOPE_COLPLAN_H

#include "pane.h"

struct colplan {
	int n;
	int idx[PANE_MAX_COLS]; /* column numbers, in order */
	int w[PANE_MAX_COLS];	/* widths drawn: the last may be cut at the pane's edge */
};

/*
 * The plan for a pane width columns wide, sorted by column sort_col (its
 * header has room for the arrow; -1: none), fmt_flags FMT_WIDE or 0.
 */
void colplan_make(const struct pane *p, int sort_col, unsigned fmt_flags, int width,
		  struct colplan *cp);

#endif
