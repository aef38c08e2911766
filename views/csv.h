/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CSV as RFC 4180 says, safe to open in a spreadsheet: a text field that
 * starts like a formula (= + - @ tab CR) gets a leading apostrophe; numbers
 * stay numbers.
 */
#ifndef TCPSCOPE_CSV_H
#define TCPSCOPE_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The field as it must appear in the file, into buf; returns buf. */
char *csv_escape(char *buf, size_t n, const char *field, bool numeric);
/* Write one field, with a comma before it unless first. */
void csv_put(FILE *f, const char *field, bool numeric, bool first);

struct pane;
struct fmt_ctx;
/* One CSV line of a pane: the header when row is NULL; show[i] picks column i. */
void csv_pane_line(FILE *f, const struct pane *p, const bool *show, const struct fmt_ctx *fc,
		   const void *row);

#endif
