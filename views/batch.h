/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Batch output (-b), like top -b: no curses. Each pane prints as its .batch
 * says: a line per row as the model takes it in (Lifespans, States, Events),
 * or a table per interval (Throughput, Lifespans summed up). Text, CSV or
 * JSON lines, from the panes' column tables.
 */
#ifndef TCPSCOPE_BATCH_H
#define TCPSCOPE_BATCH_H

#include <stdbool.h>
#include <stdio.h>
#include "filter.h"
#include "model.h"
#include "pane.h"
#include "rows.h"
#include "rttprint.h"

struct batch_opts {
	unsigned panes; /* bit per enum pane_id: the panes to print (--view) */
	bool csv, wide, clock, rel;
	bool json;    /* JSON lines: CSV's columns, an object per row (views/json.h) */
	bool verbose; /* at the end, also what --max-rows let go (rows kept for the screen) */
	struct sort_spec sort[P_MAX];
	struct pane_opts popts;
	const struct filter *filter;
	FILE *out;
	FILE *err;			  /* where lost-event warnings go */
	const struct rtt_print_opts *rtt; /* --view rtt: tcprtt's histograms; NULL: not shown */
};

struct batch;
struct batch *batch_new(struct model *m, const struct batch_opts *o);
/* Headers of the panes printed a line per row. */
void batch_start(struct batch *b);
/* Say what was lost, if anything; returns nonzero if output failed (e.g. EPIPE). */
int batch_finish(struct batch *b);
/* Hand what is printed to the reader now (a pipe gets rows as they happen). */
void batch_flush(struct batch *b);
/* Nonzero once writing has failed (the reader went away, or the disk is full). */
int batch_error(const struct batch *b);
void batch_free(struct batch *b);

#endif
