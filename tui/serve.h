/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --serve: metrics over HTTP (libmicrohttpd), on a thread of their own.
 * The main thread renders the exposition at each tick into a snapshot; a
 * scrape takes a reference to the current one under a short lock and never
 * touches the model, so no client, however slow, holds up the tracer.
 */
#ifndef TCPSCOPE_SERVE_H
#define TCPSCOPE_SERVE_H

#include <stddef.h>
#include "serve_opts.h"
#include "views/model.h"
#include "views/tally.h"

struct server;

/*
 * Bind, read the credentials and start answering (before the kernel side
 * loads: a port in use is said at once). NULL with err (exit status 2).
 */
struct server *serve_start(const struct serve_opts *o, char *err, size_t n);
/* Render what the model says now for the scrapes to come (the main thread). */
void serve_publish(struct server *s, const struct model *m, const struct tally *t);
void serve_stop(struct server *s);

#endif
