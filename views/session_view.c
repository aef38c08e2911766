// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include "session_view.h"

uint64_t session_tx(const struct session *s)
{
	if (s->mflags & S_CLOSED && !(s->mflags & S_LOST_CLOSE))
		return s->tx_bytes;
	return s->tx_bytes + s->app_tx; /* tx_bytes: what it had sent before tracing */
}

uint64_t session_rx(const struct session *s)
{
	if (s->mflags & S_CLOSED && !(s->mflags & S_LOST_CLOSE))
		return s->rx_bytes;
	return s->rx_bytes + s->app_rx;
}

uint64_t session_duration(const struct session *s, uint64_t now_ns)
{
	uint64_t start = s->start_ns ? s->start_ns : s->seen_ns;
	uint64_t end = s->mflags & S_CLOSED ? s->end_ns : now_ns;

	return end > start ? end - start : 0;
}

uint64_t session_time(const struct session *s)
{
	if (s->mflags & S_CLOSED)
		return s->end_ns;
	return s->start_ns ? s->start_ns : s->seen_ns;
}

const char *session_dir_name(const struct session *s)
{
	if (s->flags & TS_F_PREEXISTING)
		return "before";
	switch (s->dir) {
	case TS_DIR_CONNECT:
		return "connect";
	case TS_DIR_ACCEPT:
		return "accept";
	}
	return "-";
}

void session_status(const struct session *s, char *buf, size_t n)
{
	const char *st;

	if (!(s->mflags & S_CLOSED))
		st = "open";
	else if (s->mflags & S_LOST_CLOSE)
		st = "lost";
	else if (s->err == ECONNREFUSED)
		st = "refused";
	else if (s->err == ETIMEDOUT)
		st = "timeout";
	else if (s->err == ECONNRESET || s->err == EPIPE)
		st = "reset";
	else if (s->err == EHOSTUNREACH || s->err == ENETUNREACH)
		st = "unreach";
	else if (s->err) {
		snprintf(buf, n, "err%u", s->err);
		return;
	} else if (s->flags & TS_F_FAILED)
		st = "failed";
	else
		st = "ok";
	snprintf(buf, n, "%s", st);
}
