/* SPDX-License-Identifier: GPL-2.0 */
/* What a session shows: derived values the columns and tests share. */
#ifndef TCPSCOPE_SESSION_VALUES_H
#define TCPSCOPE_SESSION_VALUES_H

#include <stddef.h>
#include <stdint.h>
#include "model.h"

/* Bytes sent: the kernel's count at close; while open, what is known so far. */
uint64_t session_tx(const struct session *s);
uint64_t session_rx(const struct session *s);
/* Milliseconds-worthy duration: to close, or to now while open. */
uint64_t session_duration(const struct session *s, uint64_t now_ns);
/* When the row happened: close time, or opening time while open. */
uint64_t session_time(const struct session *s);
const char *session_dir_name(const struct session *s);

/* What became of a session: STATUS in words, and what the Lifespans groups count. */
enum session_outcome {
	SO_OPEN,
	SO_OK,
	SO_LOST, /* its close record was lost */
	SO_REFUSED,
	SO_TIMEOUT,
	SO_RESET,
	SO_FAILED, /* any other error */
};

enum session_outcome session_outcome(const struct session *s);
void session_status(const struct session *s, char *buf, size_t n);

#endif
