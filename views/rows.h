/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A pane's current view: its rows that pass the filter, in sort order. The
 * screen, the CSV snapshot and batch tables all read rows from here.
 */
#ifndef TCPSCOPE_ROWS_H
#define TCPSCOPE_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "filter.h"
#include "pane.h"

struct sort_spec {
	int col; /* -1: the pane's natural order */
	bool desc;
};

struct rowset {
	const void **rows;
	size_t n, cap;
	size_t total; /* rows before filtering */
	/* scratch for sorting */
	struct sort_item *items, *tmp;
	uint64_t *nat, *key2; /* by row, for ties: natural keys, and the column's key2 */
	size_t items_cap;
};

int rows_build(struct rowset *rs, const struct pane *p, const struct model *m,
	       const struct pane_opts *o, const struct filter *f, const struct sort_spec *s,
	       const struct fmt_ctx *fc);
/* The same over rows the caller holds (a paused screen's copies), not the model's. */
int rows_build_from(struct rowset *rs, const struct pane *p, const void *const *rows, size_t n,
		    const struct filter *f, const struct sort_spec *s, const struct fmt_ctx *fc);
void rows_free(struct rowset *rs);
/* Parse "COLUMN[:asc|desc]" for pane p; -EINVAL with a message on error. */
int sort_parse(const struct pane *p, const char *spec, struct sort_spec *s, char *err,
	       size_t errlen);
/* The pane's default sort. */
void sort_default(const struct pane *p, struct sort_spec *s);

#endif
