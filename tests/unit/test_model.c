// SPDX-License-Identifier: GPL-2.0
/* The model, fed synthetic records: sessions, owners, throughput, logs. */
#include <arpa/inet.h>
#include <stdlib.h>
#include "../tap.h"
#include "views/model.h"
#include "views/session_values.h"
#include "views/throughput.h"

static struct model m;

static void reset(void)
{
	struct model_config c;

	model_free(&m);
	model_config_default(&c);
	c.max_closed = c.max_states = c.max_events = 8;
	c.max_open = 64;
	c.max_groups = 64;
	if (model_init(&m, &c))
		abort();
}

static struct ts_conn conn4(const char *l, uint16_t lport, const char *r, uint16_t rport)
{
	struct ts_conn c = {.family = 4, .lport = lport, .rport = rport};

	inet_pton(AF_INET, l, c.laddr);
	inet_pton(AF_INET, r, c.raddr);
	return c;
}

static struct ts_owner owner(uint32_t pid, const char *comm)
{
	struct ts_owner o = {.pid = pid, .tid = pid};

	memcpy(o.comm, comm, strnlen(comm, sizeof(o.comm)));
	return o;
}

static void hdr(struct ts_hdr *h, unsigned kind, size_t size, uint64_t ts)
{
	h->kind = (uint16_t)kind;
	h->size = (uint16_t)size;
	h->ts_ns = ts;
}

static void state(uint64_t sid, uint64_t ts, int old, int new, struct ts_conn c, struct ts_owner o)
{
	struct ts_ev_state e = {0};

	hdr(&e.hdr, TS_K_STATE, sizeof(e), ts);
	e.sid = sid;
	e.conn = c;
	e.owner = o;
	e.oldstate = (uint8_t)old;
	e.newstate = (uint8_t) new;
	e.dir = new == TS_SYN_SENT ? TS_DIR_CONNECT : TS_DIR_ACCEPT;
	model_apply(&m, (union ts_event *)&e);
}

static void close_ev(uint64_t sid, uint64_t ts, uint64_t start, struct ts_conn c, struct ts_owner o,
		     uint64_t tx, uint64_t rx)
{
	struct ts_ev_close e = {0};

	hdr(&e.hdr, TS_K_CLOSE, sizeof(e), ts);
	e.sid = sid;
	e.conn = c;
	e.owner = o;
	e.oldstate = TS_LAST_ACK;
	e.start_ns = start;
	e.tx_bytes = tx;
	e.rx_bytes = rx;
	e.app_tx = tx;
	e.app_rx = rx;
	e.flags = TS_F_ESTABLISHED;
	model_apply(&m, (union ts_event *)&e);
}

static void tick(uint64_t ts)
{
	struct ts_ev_tick t = {0};

	hdr(&t.hdr, TS_K_TICK, sizeof(t), ts);
	t.interval_ns = 1000000000ULL;
	model_apply(&m, (union ts_event *)&t);
}

TEST(session_opens_and_closes_with_exact_bytes)
{
	struct ts_conn c = conn4("10.0.0.1", 40000, "10.0.0.2", 80);
	const struct session *s;

	reset();
	state(7, 1000, TS_CLOSE, TS_SYN_SENT, c, owner(42, "curl"));
	state(7, 2000, TS_SYN_SENT, TS_ESTABLISHED, c, owner(42, "curl"));
	CHECK_EQ_U64(table_count(&m.open), 1);
	close_ev(7, 5000000, 1000, c, owner(42, "curl"), 123456789, 987);
	CHECK_EQ_U64(table_count(&m.open), 0);
	CHECK_EQ_U64(retain_count(&m.closed), 1);
	s = retain_at(&m.closed, 0);
	CHECK_EQ_U64(session_tx(s), 123456789);
	CHECK_EQ_U64(session_rx(s), 987);
	CHECK_EQ_U64(session_duration(s, 0), 5000000 - 1000);
	CHECK_EQ_U64(s->owner.pid, 42);
	CHECK_EQ_U64(retain_count(&m.states), 3); /* two transitions and the close */
}

TEST(owner_learned_after_open_is_kept_at_close)
{
	struct ts_conn c = conn4("10.0.0.2", 80, "10.0.0.1", 40000);
	struct ts_ev_owner o = {0};
	const struct session *s;

	reset();
	state(9, 1000, TS_LISTEN, TS_SYN_RECV, c, owner(0, ""));
	hdr(&o.hdr, TS_K_OWNER, sizeof(o), 1500);
	o.sid = 9;
	o.owner = owner(77, "nginx");
	model_apply(&m, (union ts_event *)&o);
	/* the close record from softirq context knows no owner: the model keeps it */
	close_ev(9, 3000, 1000, c, owner(0, ""), 1, 2);
	s = retain_at(&m.closed, 0);
	CHECK_EQ_U64(s->owner.pid, 77);
	CHECK_STR(s->owner.comm, "nginx");
}

TEST(throughput_deltas_per_interval_and_totals)
{
	struct ts_conn c = conn4("10.0.0.1", 40000, "10.0.0.2", 80);
	struct ts_ev_tput t = {0};
	struct tput_key k;
	struct tput_row *r;
	struct session s0 = {.owner = owner(5, "wget"), .conn = c};

	reset();
	hdr(&t.hdr, TS_K_TPUT, sizeof(t), 100);
	t.sid = 3;
	t.conn = c;
	t.owner = owner(5, "wget");
	t.app_tx = 1000;
	t.app_rx = 5000;
	model_apply(&m, (union ts_event *)&t);
	tick(1000000000);
	t.hdr.ts_ns = 1500000000;
	t.app_tx = 1500;
	t.app_rx = 5000;
	model_apply(&m, (union ts_event *)&t);
	tput_key(G_PROC_HOSTS, &s0, &k);
	r = table_find(&m.groups[G_PROC_HOSTS], &k);
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_EQ_U64(r->last_tx, 1000);
	CHECK_EQ_U64(r->last_rx, 5000);
	CHECK_EQ_U64(r->iv_tx, 500);
	CHECK_EQ_U64(r->tot_tx, 1500);
	CHECK_EQ_U64(r->tot_rx, 5000);
	tick(2000000000);
	CHECK_EQ_U64(r->last_tx, 500);
	CHECK_EQ_U64(r->last_rx, 0);
}

TEST(closed_ring_keeps_the_newest)
{
	struct ts_conn c = conn4("127.0.0.1", 1, "127.0.0.1", 2);

	reset();
	for (uint64_t i = 1; i <= 20; i++)
		close_ev(i, i * 10, i, c, owner(1, "x"), i, i);
	CHECK_EQ_U64(retain_count(&m.closed), 8);
	CHECK_EQ_U64(((struct session *)retain_at(&m.closed, 0))->sid, 13);
	CHECK_EQ_U64(((struct session *)retain_at(&m.closed, 7))->sid, 20);
	CHECK_EQ_U64(m.st.closed, 20);
}

TEST(malformed_records_are_counted_not_applied)
{
	struct ts_ev_state e = {0};

	reset();
	hdr(&e.hdr, TS_K_STATE, sizeof(e) - 1, 1);
	CHECK(model_apply(&m, (union ts_event *)&e) < 0);
	hdr(&e.hdr, TS_K_STATE, sizeof(e), 1);
	e.conn.family = 9;
	CHECK(model_apply(&m, (union ts_event *)&e) < 0);
	hdr(&e.hdr, 999, sizeof(e), 1);
	CHECK(model_apply(&m, (union ts_event *)&e) < 0);
	CHECK_EQ_U64(m.st.bad_records, 3);
	CHECK_EQ_U64(table_count(&m.open), 0);
}

int main(void)
{
	RUN(session_opens_and_closes_with_exact_bytes);
	RUN(owner_learned_after_open_is_kept_at_close);
	RUN(throughput_deltas_per_interval_and_totals);
	RUN(closed_ring_keeps_the_newest);
	RUN(malformed_records_are_counted_not_applied);
	model_free(&m);
	TAP_DONE();
}
