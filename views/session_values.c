// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include "session_values.h"

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

enum session_outcome session_outcome(const struct session *s)
{
	if (!(s->mflags & S_CLOSED))
		return SO_OPEN;
	if (s->mflags & S_LOST_CLOSE)
		return SO_LOST;
	switch (s->err) {
	case 0:
		return s->flags & TS_F_FAILED ? SO_FAILED : SO_OK;
	case ECONNREFUSED:
		return SO_REFUSED;
	case ETIMEDOUT:
		return SO_TIMEOUT;
	case ECONNRESET:
	case EPIPE:
		return SO_RESET;
	}
	return SO_FAILED;
}

void session_status(const struct session *s, char *buf, size_t n)
{
	static const char *const words[] = {
	    [SO_OPEN] = "open",	      [SO_OK] = "ok",		[SO_LOST] = "lost",
	    [SO_REFUSED] = "refused", [SO_TIMEOUT] = "timeout", [SO_RESET] = "reset",
	    [SO_FAILED] = "failed",
	};
	enum session_outcome o = session_outcome(s);

	if (o == SO_FAILED && (s->err == EHOSTUNREACH || s->err == ENETUNREACH))
		snprintf(buf, n, "unreach");
	else if (o == SO_FAILED && s->err)
		snprintf(buf, n, "err%u", s->err);
	else
		snprintf(buf, n, "%s", words[o]);
}
