// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include <strings.h>
#include "pane.h"

static const struct pane *const panes[P_MAX] = {
    [P_LIFESPANS] = &pane_lifespans,
    [P_THROUGHPUT] = &pane_throughput,
    [P_STATES] = &pane_states,
    [P_EVENTS] = &pane_events,
};

const struct pane *pane_get(enum pane_id id)
{
	return id < P_MAX ? panes[id] : NULL;
}

const struct pane *pane_shown(enum pane_id id, const struct pane_opts *o)
{
	if (id == P_LIFESPANS && o && o->life_group != LG_SOCKET)
		return &pane_life_groups;
	return pane_get(id);
}

const struct pane *pane_by_name(const char *name)
{
	for (int i = 0; i < P_MAX; i++)
		if (!strcasecmp(name, panes[i]->name))
			return panes[i];
	return NULL;
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
	rf->kinds = 0;
}
