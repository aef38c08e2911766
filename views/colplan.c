// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "colplan.h"

/* Text can be cut; numbers never are (units.h), nor the state arrow. */
static bool shrinkable(const struct column *c)
{
	return !(c->flags & (COL_NUM | COL_MARK));
}

static int min_width(const struct column *c)
{
	int n = (int)strlen(c->name);

	if (!shrinkable(c))
		return c->width > n ? c->width : n;
	return n > 6 ? n : 6;
}

static void drop(struct colplan *cp, int k)
{
	memmove(cp->idx + k, cp->idx + k + 1, (size_t)(cp->n - k - 1) * sizeof(int));
	memmove(cp->w + k, cp->w + k + 1, (size_t)(cp->n - k - 1) * sizeof(int));
	cp->n--;
}

/* Columns that do not reach the pane's edge are cut there, or left out past it. */
static void clip(struct colplan *cp, int width)
{
	int x = 0;

	for (int k = 0; k < cp->n; k++) {
		if (x >= width) {
			cp->n = k;
			return;
		}
		if (x + cp->w[k] > width)
			cp->w[k] = width - x;
		x += cp->w[k] + 1;
	}
}

/*
 * Drop the highest priority numbers first, then cut text columns down to a
 * minimum, then grow text columns (names, addresses) into what is left.
 */
void colplan_make(const struct pane *p, int sort_col, unsigned fmt_flags, int width,
		  struct colplan *cp)
{
	int total = -1;

	cp->n = 0;
	for (int i = 0; i < p->ncols; i++) {
		const struct column *c = &p->cols[i];
		int w = column_width(c, fmt_flags), nw = (int)strlen(c->name);

		if (!(c->flags & COL_SCREEN))
			continue;
		nw += i == sort_col; /* room for the arrow */
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
		drop(cp, worst);
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
	clip(cp, width);
}
