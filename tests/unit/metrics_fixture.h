/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the metrics tests share: a model fed synthetic records (records.h),
 * counting into a tally, and its exposition as text to look for lines in.
 */
#ifndef TCPSCOPE_TEST_METRICS_FIXTURE_H
#define TCPSCOPE_TEST_METRICS_FIXTURE_H

#include <stdbool.h>
#include <stdlib.h>
#include "records.h"
#include "views/metrics.h"

static struct model m;
static struct tally tally;
static struct metrics_text text;

/* A fresh model keeping `rows` rows a pane, counting into at most max_series label sets. */
static void start(size_t rows, size_t max_series)
{
	struct model_config c = small_config(rows);

	model_restart(&m, &c);
	tally_free(&tally);
	if (tally_init(&tally, max_series))
		abort();
	m.tally = &tally;
}

static const char *render(void)
{
	if (metrics_render(&text, &m, &tally))
		abort();
	metrics_text_put(&text, "", 1);
	text.len--;
	return text.s;
}

/* Whether the exposition has this line. */
static bool has(const char *line)
{
	const char *s = render();
	size_t n = strlen(line);

	for (const char *at = strstr(s, line); at; at = strstr(at + 1, line))
		if ((at == s || at[-1] == '\n') && at[n] == '\n')
			return true;
	printf("#   no line '%s'\n", line);
	return false;
}

#endif
