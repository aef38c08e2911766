/* SPDX-License-Identifier: GPL-2.0 */
/* What an event row says beyond its kind: the Events pane's REASON, the page's timeline. */
#ifndef TCPSCOPE_EVDETAIL_H
#define TCPSCOPE_EVDETAIL_H

#include <stddef.h>
#include "model.h"

/*
 * A drop's reason, a reset's (kernels since 6.10), the congestion state
 * left, a full queue's bytes, whether memory was refused to send or to
 * receive, an error's name; "-" when there is nothing to say. Unsanitized:
 * names come from the recording kernel.
 */
void event_detail(const struct model *m, const struct event_row *r, char *b, size_t n);
/* "ECONNRESET", or "errno 123" for a number this C library does not name. */
void errno_name(unsigned err, char *b, size_t n);

#endif
