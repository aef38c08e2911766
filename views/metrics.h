/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The metrics exposition (--serve) from the model and its counters
 * (views/tally.h): the Prometheus text format 0.0.4, or OpenMetrics 1.0.
 * No threads, no sockets: the server renders at each tick and hands the
 * text to its HTTP threads (tui/serve.c).
 */
#ifndef TCPSCOPE_METRICS_H
#define TCPSCOPE_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include "model.h"
#include "tally.h"

/* A growing text buffer; failed: an allocation failed (the text is cut). */
struct metrics_text {
	char *s;
	size_t len, cap;
	bool failed;
};

#define METRICS_CONTENT_TYPE	 "text/plain; version=0.0.4; charset=utf-8"
#define OPENMETRICS_CONTENT_TYPE "application/openmetrics-text; version=1.0.0; charset=utf-8"

/* Replace out's text with the exposition of m and t; 0, or -ENOMEM. */
int metrics_render(struct metrics_text *out, const struct model *m, const struct tally *t);
/* Append the process's own: CPU seconds, resident bytes, start time (Unix seconds). */
void metrics_process(struct metrics_text *out, double cpu_s, uint64_t rss_bytes, double start_s);
/* Append text in the Prometheus format to out as OpenMetrics; 0, or -ENOMEM. */
int metrics_openmetrics(struct metrics_text *out, const char *text, size_t len);
/* Whether an Accept header asks for OpenMetrics. */
bool metrics_wants_openmetrics(const char *accept);
void metrics_text_put(struct metrics_text *o, const char *s, size_t n);
void metrics_text_free(struct metrics_text *o);

#endif
