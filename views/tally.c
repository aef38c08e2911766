// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "tally.h"
#include "flowgroup.h"
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
	memcpy(k->detail, text, strnlen(text, sizeof(k->detail) - 1));
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
	bool bounded = k->family == TF_DROPS;

	if (s)
		return s;
	if (!bounded && t->labelled >= t->max_series) {
		t->overflow++;
		memset(k->comm, 0, sizeof(k->comm));
		k->port = 0;
		k->dir |= TD_OTHER;
		bounded = true;
	}
	s = table_get(&t->series, k, NULL);
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
