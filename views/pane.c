// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include <strings.h>
#include "pane.h"

#define PANE_ENTRY(id, var) [id] = &var,
static const struct pane *const panes[P_MAX] = {PANE_LIST(PANE_ENTRY)};
#undef PANE_ENTRY

const struct pane *pane_get(enum pane_id id)
{
	return id < P_MAX ? panes[id] : NULL;
}

const struct pane *pane_shown_for(const struct pane *p, const struct pane_opts *o)
{
	const struct pane_grouping *g = p ? p->grouping : NULL;

	if (g && g->summed && o && g->get(o) != 0)
		return g->summed;
	return p;
}

const struct pane *pane_shown(enum pane_id id, const struct pane_opts *o)
{
	return pane_shown_for(pane_get(id), o);
}

const struct pane *pane_by_name(const char *name)
{
	for (int i = 0; i < P_MAX; i++)
		if (!strcasecmp(name, panes[i]->name))
			return panes[i];
	return NULL;
}

struct pane_opts pane_opts_for_filter(const struct pane_opts *o, const struct filter *f)
{
	struct pane_opts fit = *o;

	for (int i = 0; i < P_MAX; i++) {
		const struct pane_grouping *g = panes[i]->grouping;

		if (g && g->for_filter)
			g->set(&fit, g->for_filter(g->get(&fit), f));
	}
	return fit;
}

int pane_grouping_parse(const struct pane_grouping *g, const char *name)
{
	for (int mode = 0; mode < g->modes; mode++)
		if (!strcmp(name, g->name(mode)))
			return mode;
	return -1;
}

int pane_column(const struct pane *p, const char *name)
{
	for (int i = 0; i < p->ncols; i++)
		if (!strcasecmp(name, p->cols[i].name))
			return i;
	return -1;
}

int column_width(const struct column *c, unsigned fmt_flags)
{
	return fmt_flags & FMT_WIDE ? c->wide : c->width;
}

enum unit column_unit(const struct column *c)
{
	if (c->flags & COL_KB)
		return U_KB;
	if (c->flags & COL_BYTES)
		return U_BYTES;
	if (c->flags & COL_MS)
		return U_MS;
	if (c->flags & COL_SECS)
		return U_SECS;
	return c->flags & COL_NUM ? U_COUNT : U_NONE;
}

void column_fit(const struct column *c, char *cell, size_t n, int width)
{
	if ((c->flags & (COL_NUM | COL_SECS)) && width > 0 && strlen(cell) > (size_t)width)
		unit_fit(column_unit(c), cell, n, width);
}

enum tone tone_bad_unless_zero(const struct fmt_ctx *f, const struct column *c, const void *row)
{
	return c->key(f, c, row) ? TONE_BAD : TONE_PLAIN;
}

void row_fields_conn(struct row_fields *rf, const struct ts_conn *c, const struct ts_owner *o)
{
	rf->family = c->family;
	rf->laddr = c->laddr;
	rf->raddr = c->raddr;
	rf->has_ports = true;
	rf->lport = c->lport;
	rf->rport = c->rport;
	rf->pid = o->pid;
	rf->comm = o->pid ? o->comm : NULL;
	rf->service = NULL;
	rf->kinds = 0;
}
