/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an event row is, as the TYPE column says it (RETRANS, DROP, RST>,
 * LOSS...), the classes the filter's `type NAME` takes (reset, cong...),
 * and the counts per kind since tracing began.
 */
#ifndef TCPSCOPE_EVKIND_H
#define TCPSCOPE_EVKIND_H

#include <stddef.h>
#include <stdint.h>
#include "model.h"

enum ev_kind {
	EK_NONE = 0,
	EK_RETRANS,
	EK_RETRANS_SYN,
	EK_RETRANS_SYNACK,
	EK_DROP,
	EK_RST_SENT,
	EK_RST_RECV,
	EK_CWR,
	EK_RECOVERY,
	EK_LOSS,
	EK_OPEN,
	EK_DISORDER,
	EK_RCVQ_FULL,
	EK_PEER_FULL,
	EK_MEM_LIMIT,
	EK_ERROR,
	EK_MAX,
};

enum ev_kind event_kind(const struct event_row *r);
/* "RST>", "LOSS"...; "" for EK_NONE. */
const char *ev_kind_name(enum ev_kind k);
/* What it means, in a few words ("a reset sent"). */
const char *ev_kind_what(enum ev_kind k);
/*
 * The kinds `type NAME` names (bit per enum ev_kind): a class (retrans,
 * drop, reset, cong, queue, memory, error) or a kind's own name, any case;
 * -1 when it names none.
 */
int64_t ev_kinds_parse(const char *name);
/* The names ev_kinds_parse takes, for messages and the help. */
const char *ev_kind_classes(void);
/* The congestion state's name: Open, Disorder, CWR, Recovery, Loss. */
const char *ca_state_name(unsigned ca);

#endif
