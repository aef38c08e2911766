// SPDX-License-Identifier: GPL-2.0
/* States: the log of TCP state transitions, with tcpstates' columns. */
#include <stdio.h>
#include "cells.h"
#include "format.h"

#define R(row) ((const struct state_row *)(row))

static CELL(f_sid)
{
	snprintf(b, n, "%llx", (unsigned long long)R(row)->sid);
}

static KEY(k_sid)
{
	return R(row)->sid;
}

static CELL(f_old)
{
	fmt_str(b, n, state_name(R(row)->oldstate));
}

static KEY(k_old)
{
	return R(row)->oldstate;
}

static CELL(f_arrow)
{
	fmt_str(b, n, "->");
}

static CELL(f_new)
{
	fmt_str(b, n, state_name(R(row)->newstate));
}

static KEY(k_new)
{
	return R(row)->newstate;
}

static CELL(f_ms)
{
	fmt_fixed(R(row)->dt_ns, 1000000, 3, b, n);
}

static KEY(k_ms)
{
	return R(row)->dt_ns;
}

#define SR struct state_row
static const struct column cols[] = {
    COLS_TIME(struct state_row, ts_ns, "time of the transition", COL_SCREEN | COL_CSV),
    {.name = "SID",
     .help = "session id, the same in every pane",
     .width = 8,
     .wide = 12,
     .priority = 9,
     .flags = COL_CSV,
     .format = f_sid,
     .key = k_sid},
    COLS_OWNER(SR, owner, COL_ALL),
    COL_IP(SR, conn, COL_CSV),
    COLS_ENDS(SR, conn, COL_ALL),
    {.name = "OLDSTATE",
     .help = "state before",
     .width = 11,
     .wide = 11,
     .flags = COL_ALL,
     .format = f_old,
     .key = k_old},
    {.name = "->",
     .help = "",
     .width = 2,
     .wide = 2,
     .priority = 6,
     .flags = COL_MARK | COL_BATCH | COL_SCREEN,
     .format = f_arrow,
     .key = k_new},
    {.name = "NEWSTATE",
     .help = "state after",
     .width = 11,
     .wide = 11,
     .flags = COL_ALL,
     .format = f_new,
     .key = k_new},
    {.name = "MS",
     .help = "milliseconds spent in the old state",
     .width = 9,
     .wide = 10,
     .flags = COL_NUM | COL_MS | COL_DESC | COL_ALL,
     .format = f_ms,
     .key = k_ms},
    COL_NETNS(SR, conn, COL_CSV),
};

static size_t count(const struct model *m, const struct pane_opts *o)
{
	return retain_count(&m->states);
}

static size_t collect(const struct model *m, const struct pane_opts *o, const void **rows,
		      size_t max)
{
	return retain_collect(&m->states, rows, max);
}

static void fields(const void *row, struct row_fields *rf)
{
	row_fields_conn(rf, &R(row)->conn, &R(row)->owner);
	rf->state = R(row)->newstate;
	rf->state2 = R(row)->oldstate;
}

static uint64_t row_ts(const void *row)
{
	return R(row)->ts_ns;
}

static uint64_t let_go(const struct model *m)
{
	return m->states.let_go;
}

static uint64_t ident(const void *row)
{
	return R(row)->ts_ns * 31 + R(row)->sid;
}

static uint64_t session_of(const void *row)
{
	return R(row)->sid;
}

const struct pane pane_states = {
    .name = "states",
    .title = "States",
    .empty = "no state changes yet",
    .cols = cols,
    .ncols = PANE_NCOLS(cols),
    .default_sort = 0, /* TIME, newest first */
    .collect = collect,
    .count = count,
    .fields = fields,
    .ts = row_ts,
    .ident = ident,
    .session = session_of,
    .row_size = sizeof(struct state_row),
    .let_go = let_go,
    .weight = 14,
    .grid = {.row = 1, .col = 0},
    .batch = BATCH_AT_STATE,
    .jobs = {"state"},
    .every_transition = true,
};
