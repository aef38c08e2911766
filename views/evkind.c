// SPDX-License-Identifier: GPL-2.0
#include <strings.h>
#include "evkind.h"

static const struct {
	const char *name;
	const char *what;
} kinds[EK_MAX] = {
    [EK_NONE] = {.name = "", .what = ""},
    [EK_RETRANS] = {.name = "RETRANS", .what = "a segment sent again"},
    [EK_RETRANS_SYN] = {.name = "RETRANS_SYN", .what = "a connect's SYN sent again"},
    [EK_RETRANS_SYNACK] = {.name = "RETRANS_SYNACK", .what = "a SYN-ACK sent again"},
    [EK_DROP] = {.name = "DROP", .what = "a packet the kernel dropped"},
    [EK_RST_SENT] = {.name = "RST>", .what = "a reset sent"},
    [EK_RST_RECV] = {.name = "RST<", .what = "a reset received"},
    [EK_CWR] = {.name = "CWR", .what = "congestion window reduced (ECN, local congestion)"},
    [EK_RECOVERY] = {.name = "RECOVERY", .what = "fast recovery: losses found by duplicate ACKs"},
    [EK_LOSS] = {.name = "LOSS", .what = "a retransmission timeout: everything in flight lost"},
    [EK_OPEN] = {.name = "OPEN", .what = "back to normal after CWR, Recovery or Loss"},
    [EK_DISORDER] = {.name = "DISORDER", .what = "out of Recovery or Loss, still reordering"},
    [EK_RCVQ_FULL] = {.name = "RCVQ_FULL",
		      .what = "its receive queue is full: the application does not read"},
    [EK_PEER_FULL] = {.name = "PEER_FULL", .what = "the peer's receive queue is full"},
    [EK_MEM_LIMIT] = {.name = "MEM_LIMIT", .what = "socket memory refused at TCP's limit"},
    [EK_ERROR] = {.name = "ERROR", .what = "an error reported to the owner"},
};

#define BIT(k) (1LL << (k))

static const struct {
	const char *name;
	int64_t kinds;
} classes[] = {
    {.name = "retrans", .kinds = BIT(EK_RETRANS) | BIT(EK_RETRANS_SYN) | BIT(EK_RETRANS_SYNACK)},
    {.name = "drop", .kinds = BIT(EK_DROP)},
    {.name = "reset", .kinds = BIT(EK_RST_SENT) | BIT(EK_RST_RECV)},
    {.name = "rst", .kinds = BIT(EK_RST_SENT) | BIT(EK_RST_RECV)},
    {.name = "cong",
     .kinds = BIT(EK_CWR) | BIT(EK_RECOVERY) | BIT(EK_LOSS) | BIT(EK_OPEN) | BIT(EK_DISORDER)},
    {.name = "queue", .kinds = BIT(EK_RCVQ_FULL) | BIT(EK_PEER_FULL)},
    {.name = "memory", .kinds = BIT(EK_MEM_LIMIT)},
    {.name = "error", .kinds = BIT(EK_ERROR)},
};

static enum ev_kind cong_kind(unsigned ca)
{
	switch (ca) {
	case TS_CA_CWR:
		return EK_CWR;
	case TS_CA_RECOVERY:
		return EK_RECOVERY;
	case TS_CA_LOSS:
		return EK_LOSS;
	case TS_CA_DISORDER:
		return EK_DISORDER;
	}
	return EK_OPEN;
}

enum ev_kind event_kind(const struct event_row *r)
{
	switch (r->type) {
	case EV_RETRANS:
		return r->reason == TS_RT_SYN	   ? EK_RETRANS_SYN
		       : r->reason == TS_RT_SYNACK ? EK_RETRANS_SYNACK
						   : EK_RETRANS;
	case EV_DROP:
		return EK_DROP;
	case EV_SOCK:
		break;
	default:
		return EK_NONE;
	}
	switch (r->sock_type) {
	case TS_SE_RST_SENT:
		return EK_RST_SENT;
	case TS_SE_RST_RECV:
		return EK_RST_RECV;
	case TS_SE_CONG:
		return cong_kind(r->ca_new);
	case TS_SE_RCVQ_FULL:
		return EK_RCVQ_FULL;
	case TS_SE_PEER_FULL:
		return EK_PEER_FULL;
	case TS_SE_MEM_LIMIT:
		return EK_MEM_LIMIT;
	case TS_SE_ERROR:
		return EK_ERROR;
	}
	return EK_NONE;
}

const char *ev_kind_name(enum ev_kind k)
{
	return k < EK_MAX ? kinds[k].name : "";
}

const char *ev_kind_what(enum ev_kind k)
{
	return k < EK_MAX ? kinds[k].what : "";
}

int64_t ev_kinds_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (!strcasecmp(name, classes[i].name))
			return classes[i].kinds;
	for (int k = EK_NONE + 1; k < EK_MAX; k++)
		if (!strcasecmp(name, kinds[k].name))
			return BIT(k);
	return -1;
}

const char *ev_kind_classes(void)
{
	return "retrans, drop, reset, cong, queue, memory, error, or a TYPE such as RST> or LOSS";
}

const char *ca_state_name(unsigned ca)
{
	static const char *const names[TS_CA_MAX] = {
	    [TS_CA_OPEN] = "Open",	   [TS_CA_DISORDER] = "Disorder", [TS_CA_CWR] = "CWR",
	    [TS_CA_RECOVERY] = "Recovery", [TS_CA_LOSS] = "Loss",
	};

	return ca < TS_CA_MAX ? names[ca] : "?";
}
_Static_assert(EK_MAX <= MODEL_EV_KINDS, "model_stats.event_kinds counts every kind");
