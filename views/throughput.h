/* SPDX-License-Identifier: GPL-2.0 */
/* Throughput accounting: per-session and per-group bytes by interval. */
#ifndef TCPSCOPE_THROUGHPUT_H
#define TCPSCOPE_THROUGHPUT_H

#include "model.h"

/* The session's send/recv totals are now these; account the difference. */
void tput_add(struct model *m, struct session *s, uint64_t app_tx, uint64_t app_rx);
/* The interval ended: rotate the counters, forget idle groups. */
void tput_tick(struct model *m);
void tput_key(enum tput_group g, const struct session *s, struct tput_key *k);
/*
 * Rows by socket, made from the sessions: open ones (bytes in the last
 * interval, totals so far) and those that closed during the last interval.
 * all: also open sockets that moved nothing. The rows live in a buffer of
 * the caller's (*buf, *cap; grown with realloc) until the next call.
 */
size_t tput_socket_rows(const struct model *m, bool all, struct tput_row **buf, size_t *cap);
const char *tput_group_name(enum tput_group g);
/* The subnet of a row grouped by subnet; NULL: "other" (no subnet holds its hosts). */
const struct subnet *tput_subnet(const struct model *m, const struct tput_key *k);
int tput_group_parse(const char *name);

#endif
