/* SPDX-License-Identifier: GPL-2.0 */
/*
 * JSON lines (-b --json): an object per row, from a pane's column table as
 * CSV has them: numbers as numbers, exact; text as strings, always valid
 * UTF-8 with control characters escaped; unknown values null.
 */
#ifndef TCPSCOPE_JSON_H
#define TCPSCOPE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* s as a JSON string, quotes included, into dst (cut at a character); returns its length. */
size_t json_string(char *dst, size_t n, const char *s);
/* The key of a column: its name in lower case, other characters '_' ("TIME(s)": "time_s"). */
void json_key(char *dst, size_t n, const char *name);

struct pane;
struct fmt_ctx;
/*
 * One line: {"view":..., "time": the row's wall-clock time in seconds (left
 * out before the recording says the clock), then column i where show[i]}.
 */
void json_pane_line(FILE *f, const struct pane *p, const bool *show, const struct fmt_ctx *fc,
		    const void *row);

#endif
