// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "tally.h"
#include "flowgroup.h"
#include "listeners.h"
#include "model.h"
#include "session_values.h"

/* Room past max_series for the sets whose labels are all bounded: "other" ones, drops. */
#define BOUNDED_SERIES 4096

int tally_init(struct tally *t, size_t max_series)
{
	memset(t, 0, sizeof(*t));
	t->max_series = max_series;
	tally_ephemeral(t, 32768, 60999);
	return table_init(&t->series, sizeof(struct tally_series), sizeof(struct tally_key),
			  max_series + BOUNDED_SERIES);
}

void tally_free(struct tally *t)
{
	table_free(&t->series);
	memset(t, 0, sizeof(*t));
}

void tally_ephemeral(struct tally *t, uint16_t lo, uint16_t hi)
{
	t->eph_lo = lo;
	t->eph_hi = hi;
}

/*
 * Direction and service port of a connection: the listening port of an
 * accepted session, the remote port of a connected one; otherwise the lower
 * port, unless it is an ephemeral one.
 */
static void service(const struct tally *t, const struct ts_conn *c, uint8_t dir, uint8_t flags,
		    struct tally_key *k)
{
	uint8_t role;

	flow_service(c, flags & TS_F_PREEXISTING ? TS_DIR_UNKNOWN : dir, &k->port, &role);
	if (flags & TS_F_PREEXISTING)
		k->dir = TD_BEFORE;
	else if (dir == TS_DIR_CONNECT)
		k->dir = TD_CONNECT;
	else if (dir == TS_DIR_ACCEPT)
		k->dir = TD_ACCEPT;
	else
		k->dir = TD_UNKNOWN;
	if ((k->dir == TD_BEFORE || k->dir == TD_UNKNOWN) && k->port >= t->eph_lo &&
	    k->port <= t->eph_hi)
		k->port = 0;
}

/* The key's status or kind: cut to its field, always terminated (the key is zeroed). */
static void set_detail(struct tally_key *k, const char *text)
{
	size_t n = strlen(text);

	memcpy(k->detail, text, n < sizeof(k->detail) - 1 ? n : sizeof(k->detail) - 1);
}

static void owner_comm(const struct ts_owner *o, struct tally_key *k)
{
	if (o->pid)
		memcpy(k->comm, o->comm, sizeof(k->comm));
}

/* The series of label set k; past the bound, its "other" one. NULL: no room at all. */
static struct tally_series *series_of(struct tally *t, struct tally_key *k)
{
	struct tally_series *s = table_find(&t->series, k);
	bool bounded = k->family == TF_DROPS, added;

	if (s)
		return s;
	if (!bounded && t->labelled >= t->max_series) {
		t->overflow++;
		memset(k->comm, 0, sizeof(k->comm));
		memset(k->service, 0, sizeof(k->service));
		memset(k->addr, 0, sizeof(k->addr));
		k->ipfam = 0;
		k->port = 0;
		k->dir |= TD_OTHER;
		bounded = true;
	}
	s = table_get(&t->series, k, &added);
	if (s && added && k->family < TF_MAX)
		t->families[k->family]++;
	if (!s)
		t->overflow++;
	else if (!bounded)
		t->labelled++;
	return s;
}

static void add(struct tally *t, struct tally_key *k, uint64_t v, uint64_t v2)
{
	struct tally_series *s = series_of(t, k);

	if (s) {
		s->value += v;
		s->value2 += v2;
	}
}

void tally_opened(struct tally *t, const union ts_event *ev)
{
	struct tally_key k;

	memset(&k, 0, sizeof(k));
	k.family = TF_OPENED;
	switch (ev->hdr.kind) {
	case TS_K_STATE:
		service(t, &ev->state.conn, ev->state.dir, ev->state.flags, &k);
		break;
	case TS_K_CLOSE:
		service(t, &ev->close.conn, ev->close.dir, ev->close.flags, &k);
		break;
	case TS_K_TPUT:
		service(t, &ev->tput.conn, ev->tput.dir, ev->tput.flags, &k);
		break;
	case TS_K_EXISTING:
		service(t, &ev->existing.conn, TS_DIR_UNKNOWN, TS_F_PREEXISTING, &k);
		break;
	default:
		return;
	}
	add(t, &k, 1, 0);
}

void tally_closed(struct tally *t, const struct session *s)
{
	struct tally_key k;
	char status[32];

	memset(&k, 0, sizeof(k));
	k.family = TF_CLOSED;
	service(t, &s->conn, s->dir, s->flags, &k);
	owner_comm(&s->owner, &k);
	snprintf(k.service, sizeof(k.service), "%s", service_label(s->svc));
	session_status(s, status, sizeof(status));
	set_detail(&k, status);
	add(t, &k, 1, 0);
}

void tally_bytes(struct tally *t, const struct session *s, uint64_t sent, uint64_t received)
{
	struct tally_key k;

	memset(&k, 0, sizeof(k));
	k.family = TF_BYTES;
	service(t, &s->conn, s->dir, s->flags, &k);
	owner_comm(&s->owner, &k);
	add(t, &k, sent, received);
}

static const char *kind_name(uint32_t kind)
{
	switch (kind) {
	case TS_RT_DATA:
		return "data";
	case TS_RT_SYN:
		return "syn";
	case TS_RT_SYNACK:
		return "synack";
	}
	return "unknown";
}

void tally_retrans(struct tally *t, const struct event_row *r, const struct session *s)
{
	struct tally_key k;

	memset(&k, 0, sizeof(k));
	k.family = TF_RETRANS;
	service(t, &r->conn, s ? s->dir : TS_DIR_UNKNOWN, s ? s->flags : 0, &k);
	owner_comm(&r->owner, &k);
	set_detail(&k, kind_name(r->reason));
	add(t, &k, 1, 0);
}

void tally_drop(struct tally *t, uint32_t reason)
{
	struct tally_key k;

	memset(&k, 0, sizeof(k));
	k.family = TF_DROPS;
	k.reason = reason;
	add(t, &k, 1, 0);
}

void tally_reset(struct tally *t, const struct event_row *r, const struct session *s)
{
	struct tally_key k;

	memset(&k, 0, sizeof(k));
	k.family = TF_RESETS;
	service(t, &r->conn, s ? s->dir : TS_DIR_UNKNOWN, s ? s->flags : 0, &k);
	/* the port was chosen by the session's direction; the label is the reset's */
	k.dir = TD_UNKNOWN;
	owner_comm(&r->owner, &k);
	set_detail(&k, r->sock_type == TS_SE_RST_SENT ? "sent" : "received");
	add(t, &k, 1, 0);
}

/* Whole microseconds from a value in the record's unit (1: milliseconds). */
static uint64_t rtt_us(uint64_t v, uint8_t unit)
{
	return unit ? v * 1000 : v;
}

/* The log2 slot (tcprtt's) of a value in microseconds. */
static unsigned rtt_slot_of(uint64_t us)
{
	unsigned slot = us < 2 ? 0 : 63 - (unsigned)__builtin_clzll(us);

	return slot < RTT_SLOTS ? slot : RTT_SLOTS - 1;
}

/* The middle of the record's bucket b, in its unit (bpf/probe.bpf.c: quarters of powers of 2). */
static uint64_t rtt_bucket_middle(unsigned b)
{
	unsigned e = b / 4 + 1, sub = b % 4;

	if (b < 4)
		return b;
	return ((uint64_t)(4 + sub) << (e - 2)) + ((1ULL << (e - 2)) >> 1);
}

void tally_rtt(struct tally *t, const struct ts_ev_rtt *e)
{
	struct rtt_dist d;
	uint64_t slots[RTT_SLOTS];

	if (e->key.scope != TS_RTT_ALL)
		return;
	t->rtt_sum_us += rtt_us(e->h.sum, e->unit);
	if (!e->unit) {
		/* microseconds: the record's buckets add up to tcprtt's slots exactly */
		memset(&d, 0, sizeof(d));
		for (int b = 0; b < TS_RTT_BUCKETS; b++)
			d.buckets[b] = e->h.buckets[b];
		rtt_slots(&d, slots);
		for (int i = 0; i < RTT_SLOTS; i++)
			t->rtt_slots[i] += slots[i];
		return;
	}
	/* milliseconds (-m): each bucket goes to the slot of its middle, in microseconds */
	for (unsigned b = 0; b < TS_RTT_BUCKETS; b++)
		t->rtt_slots[rtt_slot_of(rtt_us(rtt_bucket_middle(b), 1) + 500)] += e->h.buckets[b];
}

static struct tally_series *listen_series(struct tally *t, const struct listen_row *r)
{
	struct tally_key k;

	memset(&k, 0, sizeof(k));
	k.family = TF_LISTEN;
	k.ipfam = r->conn.family;
	memcpy(k.addr, r->conn.laddr, r->conn.family == 4 ? 4 : sizeof(k.addr));
	k.port = r->conn.lport;
	return series_of(t, &k);
}

void tally_listen_counts(struct tally *t, const struct listen_row *r, uint64_t accepts,
			 uint64_t overflows)
{
	struct tally_series *s = listen_series(t, r);

	if (s) {
		s->value += accepts;
		s->value2 += overflows;
	}
}

void tally_listen_sample(struct tally *t, const struct listen_row *r)
{
	struct tally_series *s = listen_series(t, r);

	if (s) {
		/* sockets of one address in several network namespaces add up */
		s->iv_queue += r->queue;
		s->iv_backlog += r->backlog;
		s->iv_sampled = 1;
	}
}

void tally_tick(struct tally *t)
{
	struct tally_series *s;
	size_t pos = 0;

	if (!t->families[TF_LISTEN])
		return;
	while ((s = table_next(&t->series, &pos))) {
		if (s->key.family != TF_LISTEN)
			continue;
		s->queue = s->iv_queue;
		s->backlog = s->iv_backlog;
		s->sampled = s->iv_sampled;
		s->iv_queue = s->iv_backlog = 0;
		s->iv_sampled = 0;
	}
}
