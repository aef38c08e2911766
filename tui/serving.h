/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --serve in the app: the model's counters, the server fed at each tick,
 * and running headless (no screen, no lines) until stopped.
 */
#ifndef TCPSCOPE_SERVING_H
#define TCPSCOPE_SERVING_H

#include <signal.h>
#include <stdbool.h>
#include "options.h"
#include "serve.h"
#include "views/source.h"

struct serving {
	struct server *srv; /* NULL: not serving */
	struct tally tally;
};

/* Whether to run without the screen: --headless, or --serve with no terminal. */
bool serving_headless(const struct options *o);
/* Count into m and start the server; 0, or 2 with err (said before the kernel side loads). */
int serving_start(struct serving *sv, const struct options *o, struct model *m, char *err,
		  size_t n);
/* A record went into the model: at each tick, the metrics are rendered again. */
static inline void serving_fed(struct serving *sv, const struct model *m, const union ts_event *ev)
{
	if (sv->srv && ev->hdr.kind == TS_K_TICK)
		serve_publish(sv->srv, m, &sv->tally);
}
/* Headless: take records in until a signal or -d (a replay's end: serve on). Exit status. */
int serving_run(struct serving *sv, struct source *src, const struct options *o,
		volatile sig_atomic_t *stop);
void serving_stop(struct serving *sv, struct model *m);

#endif
