// SPDX-License-Identifier: GPL-2.0
/* The model beyond the basics: old and lost sessions, groups, fix-ups, names, limits. */
#include "../tap.h"
#include "records.h"
#include "views/session_values.h"
#include "views/throughput.h"

static struct model m;

static void reset_with(size_t rows, size_t groups, size_t open, size_t history)
{
	struct model_config c = small_config(rows);

	c.max_groups = groups;
	c.max_open = open;
	c.history = history;
	model_restart(&m, &c);
}

static void reset(void)
{
	reset_with(16, 64, 64, 8);
}

static const struct session *last_closed(void)
{
	size_t n = retain_count(&m.closed);

	return n ? retain_at(&m.closed, n - 1) : NULL;
}

static const struct state_row *state_at(size_t i)
{
	return retain_at(&m.states, i);
}

static const struct event_row *last_event(void)
{
	size_t n = retain_count(&m.events);

	return n ? retain_at(&m.events, n - 1) : NULL;
}

static void tput(uint64_t sid, uint64_t ts, struct ts_conn c, struct ts_owner o, uint64_t tx,
		 uint64_t rx)
{
	struct ts_ev_tput e = rec_tput(sid, ts, c, o, tx, rx);

	APPLY(&m, e);
}

static void tick(uint64_t ts)
{
	struct ts_ev_tick e = rec_tick(ts);

	APPLY(&m, e);
}

static struct tput_row *sockets;
static size_t sockets_cap;

/* Rows by socket (made from the sessions); all: open ones that moved nothing too. */
static size_t socket_rows(bool all)
{
	return tput_socket_rows(&m, all, &sockets, &sockets_cap);
}

/* The row of session-like values in grouping g, or NULL. */
static const struct tput_row *group(enum tput_group g, uint32_t pid, const char *comm,
				    struct ts_conn c, uint64_t sid)
{
	struct session s = {.sid = sid, .conn = c, .owner = owner(pid, comm)};
	struct tput_key k;

	tput_key(g, &s, &k);
	if (g != G_SOCKET)
		return table_find(&m.groups[g], &k);
	for (size_t i = 0, n = socket_rows(true); i < n; i++)
		if (!memcmp(&sockets[i].key, &k, sizeof(k)))
			return &sockets[i];
	return NULL;
}

TEST(ipv6_sessions)
{
	struct ts_conn c = conn6("2001:db8::1", 443, "2001:db8:1::77", 51000);
	struct ts_ev_state st = rec_state(3, 100, TS_LISTEN, TS_SYN_RECV, c, nobody());
	struct ts_ev_close cl = rec_close(3, 9100, 100, c, owner(80, "nginx"), 4096, 512);
	const struct session *s;
	uint8_t want[16];

	reset();
	APPLY(&m, st);
	st = rec_state(3, 200, TS_SYN_RECV, TS_ESTABLISHED, c, nobody());
	APPLY(&m, st);
	CHECK_EQ_U64(table_count(&m.open), 1);
	APPLY(&m, cl);
	s = last_closed();
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_EQ_U64(s->conn.family, 6);
	inet_pton(AF_INET6, "2001:db8:1::77", want);
	CHECK(!memcmp(s->conn.raddr, want, 16));
	CHECK_EQ_U64(s->conn.rport, 51000);
	CHECK_EQ_U64(session_tx(s), 4096);
	CHECK_EQ_U64(session_duration(s, 0), 9000);
	CHECK_EQ_U64(s->owner.pid, 80);
	CHECK_EQ_U64(table_count(&m.open), 0);
}

TEST(sessions_open_before_tracing_end_with_the_kernels_totals)
{
	struct ts_conn c = conn4("10.0.0.1", 5432, "10.0.0.9", 41000);
	struct ts_ev_existing x = rec_existing(11, 100, c, 1000, 2000);
	struct ts_ev_owner o = rec_owner(11, 110, owner(55, "postgres"));
	struct ts_ev_close cl = rec_close(11, 5000, 0, c, nobody(), 900000, 800000);
	struct session *s;
	const struct session *done;

	reset();
	APPLY(&m, x);
	s = model_find_open(&m, 11);
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK(s->flags & TS_F_PREEXISTING);
	CHECK_EQ_U64(s->start_ns, 0);
	CHECK_EQ_U64(s->state, TS_ESTABLISHED);
	/* while open: what it had before tracing, plus what moved since */
	CHECK_EQ_U64(session_tx(s), 1000);
	tput(11, 120, c, nobody(), 300, 50);
	CHECK_EQ_U64(session_tx(s), 1300);
	CHECK_EQ_U64(session_rx(s), 2050);
	APPLY(&m, o);
	CHECK_EQ_U64(s->owner.pid, 55);
	cl.dir = TS_DIR_UNKNOWN;
	cl.app_tx = 300;
	cl.app_rx = 50;
	APPLY(&m, cl);
	done = last_closed();
	CHECK(done != NULL);
	if (!done)
		return;
	/* at close the kernel's counters are the whole story */
	CHECK_EQ_U64(session_tx(done), 900000);
	CHECK_EQ_U64(session_rx(done), 800000);
	CHECK_STR(done->owner.comm, "postgres");
	CHECK(done->flags & TS_F_PREEXISTING);
	CHECK_EQ_U64(done->start_ns, 0);
	CHECK_STR(session_dir_name(done), "before");
	CHECK_EQ_U64(session_duration(done, 0), 5000 - 100);
}

TEST(gone_sessions_are_closed_as_lost)
{
	struct ts_conn c = conn4("10.0.0.1", 40000, "10.0.0.2", 80);
	struct ts_ev_state st = rec_state(21, 100, TS_CLOSE, TS_SYN_SENT, c, owner(3, "curl"));
	struct ts_ev_gone g = rec_gone(21, 7000);
	const struct session *s;
	char status[16];

	reset();
	APPLY(&m, st);
	tput(21, 200, c, nobody(), 500, 700);
	APPLY(&m, g);
	CHECK_EQ_U64(table_count(&m.open), 0);
	CHECK_EQ_U64(retain_count(&m.closed), 1);
	CHECK_EQ_U64(m.st.lost_closes, 1);
	CHECK_EQ_U64(m.st.closed, 1);
	s = last_closed();
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK(s->mflags & S_LOST_CLOSE);
	CHECK(s->mflags & S_CLOSED);
	CHECK_EQ_U64(s->end_ns, 7000);
	/* the last totals seen stand in for the lost close */
	CHECK_EQ_U64(session_tx(s), 500);
	CHECK_EQ_U64(session_rx(s), 700);
	session_status(s, status, sizeof(status));
	CHECK_STR(status, "lost");
	/* again, or for a socket never seen: nothing happens */
	APPLY(&m, g);
	g.sid = 999;
	APPLY(&m, g);
	CHECK_EQ_U64(m.st.lost_closes, 1);
	CHECK_EQ_U64(retain_count(&m.closed), 1);
}

TEST(throughput_for_an_unknown_session_creates_it)
{
	struct ts_conn c = conn4("10.0.0.1", 40000, "10.0.0.2", 443);
	struct ts_ev_tput t = rec_tput(31, 5000, c, owner(8, "firefox"), 100, 200);
	struct session *s;

	reset();
	t.start_ns = 1234;
	t.dir = TS_DIR_CONNECT;
	APPLY(&m, t);
	s = model_find_open(&m, 31);
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_EQ_U64(m.st.opened, 1);
	CHECK_EQ_U64(s->state, TS_ESTABLISHED);
	CHECK_EQ_U64(s->start_ns, 1234);
	CHECK_EQ_U64(s->seen_ns, 5000);
	CHECK_EQ_U64(s->dir, TS_DIR_CONNECT);
	CHECK_EQ_U64(s->owner.pid, 8);
	CHECK_EQ_U64(session_tx(s), 100);
	CHECK_EQ_U64(session_rx(s), 200);
	/* totals never go back: a stale record adds nothing */
	t.app_tx = 50;
	t.app_rx = 250;
	APPLY(&m, t);
	CHECK_EQ_U64(session_tx(s), 100);
	CHECK_EQ_U64(session_rx(s), 250);
	CHECK_EQ_U64(m.st.iv_rx, 250);
	CHECK_EQ_U64(m.st.iv_tx, 100);
}

TEST(groups_per_grouping_mode)
{
	struct ts_conn a = conn4("10.0.0.1", 40001, "10.0.0.2", 80);
	struct ts_conn b = conn4("10.0.0.1", 40002, "10.0.0.3", 80);
	struct ts_conn cw = conn4("10.0.0.1", 40003, "10.0.0.2", 80);
	struct ts_conn d = conn4("10.0.0.1", 40004, "10.0.0.2", 443);
	const struct tput_row *r;

	reset();
	tput(1, 10, a, owner(1, "curl"), 100, 1);
	tput(2, 10, b, owner(1, "curl"), 200, 1);
	tput(3, 10, cw, owner(2, "wget"), 400, 1);
	tput(4, 10, d, owner(1, "curl"), 800, 1);
	CHECK_EQ_U64(table_count(&m.groups[G_PROC_HOSTS]), 3);
	CHECK_EQ_U64(table_count(&m.groups[G_HOSTS]), 2);
	CHECK_EQ_U64(table_count(&m.groups[G_PROC]), 2);
	CHECK_EQ_U64(socket_rows(true), 4);
	r = group(G_PROC_HOSTS, 1, "curl", a, 0);
	CHECK(r && r->tot_tx == 900 && r->iv_conns == 2);
	r = group(G_PROC_HOSTS, 1, "curl", b, 0);
	CHECK(r && r->tot_tx == 200 && r->iv_conns == 1);
	r = group(G_HOSTS, 0, "", a, 0);
	CHECK(r && r->tot_tx == 1300 && r->iv_conns == 3);
	r = group(G_PROC, 1, "curl", a, 0);
	CHECK(r && r->tot_tx == 1100 && r->iv_conns == 3);
	r = group(G_PROC, 2, "wget", b, 0);
	CHECK(r && r->tot_tx == 400);
	r = group(G_SOCKET, 1, "curl", d, 4);
	CHECK(r && r->tot_tx == 800 && r->conns == 1);
	for (int g = 0; g < G_SOCKET; g++) {
		size_t pos = 0;
		uint64_t sum = 0;

		while ((r = table_next(&m.groups[g], &pos))) {
			sum += r->tot_tx;
			CHECK_EQ_U64(r->group, g);
		}
		CHECK_EQ_U64(sum, 1500);
	}
	/* more bytes from a session already counted do not count it twice */
	tput(1, 20, a, owner(1, "curl"), 150, 1);
	r = group(G_PROC_HOSTS, 1, "curl", a, 0);
	CHECK(r && r->tot_tx == 950 && r->iv_conns == 2);
	CHECK(r && r->iv_tx == 950);
	tick(1000);
	CHECK(r && r->iv_tx == 0 && r->last_tx == 950);
	/* CONNS is per interval: the last one's, and it starts again */
	CHECK(r && r->conns == 2 && r->iv_conns == 0);
	tput(1, 2000, a, owner(1, "curl"), 160, 1);
	CHECK(r && r->iv_conns == 1);
	tick(3000);
	CHECK(r && r->conns == 1);
	tick(4000);
	CHECK(r && r->conns == 0);
}

TEST(group_names)
{
	for (int g = 0; g < G_MAX; g++)
		CHECK(tput_group_parse(tput_group_name((enum tput_group)g)) == g);
	CHECK(tput_group_parse("process+hosts") == G_PROC_HOSTS);
	CHECK(tput_group_parse("socket") == G_SOCKET);
	CHECK(tput_group_parse("sockets") == -1);
	CHECK(tput_group_parse("") == -1);
}

TEST(socket_rows_leave_one_interval_after_close)
{
	struct ts_conn c = conn4("10.0.0.1", 40000, "10.0.0.2", 80);
	struct ts_ev_close cl = rec_close(5, 1500, 100, c, owner(1, "curl"), 150, 10);

	reset();
	tput(5, 100, c, owner(1, "curl"), 100, 10);
	CHECK(group(G_SOCKET, 1, "curl", c, 5) != NULL); /* open: shown with all rows */
	APPLY(&m, cl);
	/* closed during the current interval: its bytes show once the interval ends */
	CHECK(group(G_SOCKET, 1, "curl", c, 5) == NULL);
	tick(1000000000);
	/* shown for the interval it closed in, with its last bytes */
	CHECK(group(G_SOCKET, 1, "curl", c, 5) != NULL);
	CHECK(group(G_SOCKET, 1, "curl", c, 5) && group(G_SOCKET, 1, "curl", c, 5)->last_tx == 150);
	tick(2000000000);
	CHECK(group(G_SOCKET, 1, "curl", c, 5) == NULL);
	/* other groupings keep the totals */
	CHECK(group(G_PROC_HOSTS, 1, "curl", c, 0) != NULL);
	CHECK(group(G_PROC, 1, "curl", c, 0) != NULL);
	CHECK_EQ_U64(socket_rows(true), 0);
}

TEST(full_group_tables_evict_idle_rows)
{
	struct ts_conn c = conn4("10.0.0.1", 40000, "10.0.0.2", 80);
	uint64_t t = 1000;

	reset_with(16, 8, 64, 8);
	/* eight processes fill the tables grouped by process */
	for (uint32_t i = 1; i <= 8; i++)
		tput(i, t, c, owner(i, "p"), 10, 0);
	CHECK_EQ_U64(table_count(&m.groups[G_PROC]), 8);
	CHECK_EQ_U64(table_count(&m.groups[G_HOSTS]), 1);
	CHECK_EQ_U64(m.st.dropped_groups, 0);
	/* a ninth finds no room: counted, not grouped, memory stays bounded */
	tput(9, t, c, owner(9, "p"), 10, 0);
	CHECK_EQ_U64(table_count(&m.groups[G_PROC]), 8);
	CHECK_EQ_U64(m.st.dropped_groups, 2); /* process+hosts and process; hosts had room */
	CHECK(group(G_HOSTS, 0, "", c, 0)->tot_tx == 90);
	/* process 1 stays busy; the others go idle and are forgotten */
	for (int k = 1; k <= 3; k++) {
		tput(1, t + k, c, owner(1, "p"), 10 + 10 * (uint64_t)k, 0);
		tick(t + k * 1000);
		CHECK(table_count(&m.groups[G_PROC]) <= 8);
	}
	CHECK(group(G_PROC, 1, "p", c, 0) != NULL);
	CHECK(group(G_PROC, 2, "p", c, 0) == NULL);
	CHECK(table_count(&m.groups[G_PROC]) <= 6);
	/* and a newcomer fits again */
	tput(10, t + 5000, c, owner(10, "p"), 10, 0);
	CHECK(group(G_PROC, 10, "p", c, 0) != NULL);
}

TEST(tables_below_three_quarters_keep_idle_rows)
{
	struct ts_conn c = conn4("10.0.0.1", 40000, "10.0.0.2", 80);

	reset_with(16, 64, 64, 8);
	tput(1, 10, c, owner(1, "p"), 10, 0);
	for (int k = 1; k <= 100; k++)
		tick((uint64_t)k * 1000);
	CHECK(group(G_PROC, 1, "p", c, 0) != NULL);
	CHECK(group(G_PROC, 1, "p", c, 0) && group(G_PROC, 1, "p", c, 0)->last_tx == 0);
}

TEST(syn_sent_row_gets_the_local_port_later)
{
	struct ts_conn c = conn4("10.0.0.1", 0, "10.0.0.2", 80);
	struct ts_ev_state st = rec_state(41, 100, TS_CLOSE, TS_SYN_SENT, c, owner(3, "curl"));

	reset();
	APPLY(&m, st);
	CHECK_EQ_U64(state_at(0)->conn.lport, 0);
	c.lport = 40000;
	st = rec_state(41, 200, TS_SYN_SENT, TS_ESTABLISHED, c, owner(3, "curl"));
	APPLY(&m, st);
	CHECK_EQ_U64(retain_count(&m.states), 2);
	CHECK_EQ_U64(state_at(0)->conn.lport, 40000);
	CHECK_EQ_U64(state_at(1)->conn.lport, 40000);
	CHECK_EQ_U64(model_find_open(&m, 41)->conn.lport, 40000);
	/* a later record without the port does not unlearn it */
	c.lport = 0;
	st = rec_state(41, 300, TS_ESTABLISHED, TS_FIN_WAIT1, c, owner(3, "curl"));
	APPLY(&m, st);
	CHECK_EQ_U64(model_find_open(&m, 41)->conn.lport, 40000);
}

TEST(port_fixup_never_touches_other_sessions_rows)
{
	struct ts_conn c = conn4("10.0.0.1", 0, "10.0.0.2", 80);
	struct ts_ev_state st = rec_state(51, 100, TS_CLOSE, TS_SYN_SENT, c, owner(3, "curl"));

	reset_with(8, 64, 64, 8);
	APPLY(&m, st);
	/* the SYN_SENT row is overwritten by others, some of them without ports */
	for (uint64_t i = 0; i < 10; i++) {
		struct ts_ev_state o =
		    rec_state(100 + i, 200 + i, TS_CLOSE, TS_SYN_SENT,
			      conn4("10.0.0.5", 0, "10.0.0.6", 22), owner(9, "ssh"));

		APPLY(&m, o);
	}
	c.lport = 40000;
	st = rec_state(51, 300, TS_SYN_SENT, TS_ESTABLISHED, c, owner(3, "curl"));
	APPLY(&m, st);
	for (size_t i = 0; i < retain_count(&m.states); i++) {
		const struct state_row *r = state_at(i);

		if (r->sid != 51)
			CHECK(r->conn.lport == 0 && r->owner.pid == 9);
	}
	CHECK_EQ_U64(state_at(retain_count(&m.states) - 1)->conn.lport, 40000);
}

TEST(state_rows_take_the_owner_of_the_session)
{
	struct ts_conn c = conn4("10.0.0.2", 80, "10.0.0.1", 40000);
	struct ts_ev_state st = rec_state(61, 100, TS_LISTEN, TS_SYN_RECV, c, nobody());
	struct ts_ev_owner o = rec_owner(61, 300, owner(77, "nginx"));

	reset();
	APPLY(&m, st);
	st = rec_state(61, 200, TS_SYN_RECV, TS_ESTABLISHED, c, nobody());
	APPLY(&m, st);
	/* accept() names the owner after the handshake */
	APPLY(&m, o);
	st = rec_state(61, 400, TS_ESTABLISHED, TS_CLOSE_WAIT, c, nobody());
	APPLY(&m, st);
	CHECK_EQ_U64(retain_count(&m.states), 3);
	for (size_t i = 0; i < retain_count(&m.states); i++) {
		CHECK_EQ_U64(state_at(i)->owner.pid, 77);
		CHECK_STR(state_at(i)->owner.comm, "nginx");
	}
	/* a record's own owner is kept for its row */
	st = rec_state(61, 500, TS_CLOSE_WAIT, TS_LAST_ACK, c, owner(78, "worker"));
	APPLY(&m, st);
	CHECK_EQ_U64(state_at(3)->owner.pid, 78);
	CHECK_EQ_U64(model_find_open(&m, 61)->owner.pid, 77);
}

TEST(listeners_are_logged_but_not_sessions)
{
	struct ts_conn c = conn4("0.0.0.0", 8080, "0.0.0.0", 0);
	struct ts_ev_state st = rec_state(71, 100, TS_CLOSE, TS_LISTEN, c, owner(5, "srv"));

	reset();
	APPLY(&m, st);
	st = rec_state(71, 200, TS_LISTEN, TS_CLOSE, c, owner(5, "srv"));
	APPLY(&m, st);
	CHECK_EQ_U64(retain_count(&m.states), 2);
	CHECK_EQ_U64(table_count(&m.open), 0);
	CHECK_EQ_U64(retain_count(&m.closed), 0);
}

TEST(event_rows_take_the_owner_from_the_session_table)
{
	struct ts_conn c = conn4("10.0.0.1", 40000, "10.0.0.2", 80);
	struct ts_ev_state st = rec_state(81, 100, TS_CLOSE, TS_SYN_SENT, c, owner(3, "curl"));
	struct ts_ev_retrans rt = rec_retrans(81, 200, c, nobody(), TS_RT_DATA, 7);
	struct ts_ev_drop d = rec_drop(82, 300, c, nobody(), 5, 0x10);

	reset();
	APPLY(&m, st);
	APPLY(&m, rt);
	CHECK_EQ_U64(last_event()->owner.pid, 3);
	CHECK_STR(last_event()->owner.comm, "curl");
	CHECK_EQ_U64(last_event()->count, 7);
	CHECK_EQ_U64(last_event()->type, EV_RETRANS);
	CHECK_EQ_U64(model_find_open(&m, 81)->retrans, 7);
	/* no such session: no owner */
	APPLY(&m, d);
	CHECK_EQ_U64(last_event()->owner.pid, 0);
	CHECK_EQ_U64(last_event()->type, EV_DROP);
	CHECK_EQ_U64(last_event()->reason, 5);
	CHECK_EQ_U64(last_event()->tcp_flags, 0x10);
	CHECK_EQ_U64(last_event()->ingress, 1);
	/* a drop of the session's packet finds the owner too */
	d.sid = 81;
	APPLY(&m, d);
	CHECK_EQ_U64(last_event()->owner.pid, 3);
	/* an owner in the record wins */
	rt.owner = owner(4, "other");
	APPLY(&m, rt);
	CHECK_EQ_U64(last_event()->owner.pid, 4);
	/* sid 0: an untracked socket, never matched to a session */
	rt.sid = 0;
	rt.owner = nobody();
	APPLY(&m, rt);
	CHECK_EQ_U64(last_event()->owner.pid, 0);
}

TEST(reason_and_symbol_names)
{
	struct ts_ev_reason r = rec_reason(3, "NO_SOCKET");
	struct ts_ev_symbol s = rec_symbol(0xffffffff81000010ULL, "tcp_v4_rcv");

	reset();
	CHECK(model_reason_name(&m, 3) == NULL);
	APPLY(&m, r);
	CHECK(model_reason_name(&m, 3) && !strcmp(model_reason_name(&m, 3), "NO_SOCKET"));
	r = rec_reason(3, "RENAMED");
	APPLY(&m, r);
	CHECK(model_reason_name(&m, 3) && !strcmp(model_reason_name(&m, 3), "RENAMED"));
	/* a name that fills the record has no terminator */
	r = rec_reason(511, "");
	memset(r.name, 'N', sizeof(r.name));
	APPLY(&m, r);
	CHECK(model_reason_name(&m, 511) && strlen(model_reason_name(&m, 511)) == sizeof(r.name));
	/* out of range: ignored */
	r = rec_reason(512, "X");
	APPLY(&m, r);
	CHECK(model_reason_name(&m, 512) == NULL);
	CHECK(model_reason_name(&m, 0xffffffffu) == NULL);
	CHECK(model_symbol(&m, 0xffffffff81000010ULL) == NULL);
	APPLY(&m, s);
	CHECK(model_symbol(&m, 0xffffffff81000010ULL) &&
	      !strcmp(model_symbol(&m, 0xffffffff81000010ULL), "tcp_v4_rcv"));
	CHECK(model_symbol(&m, 0xffffffff81000011ULL) == NULL);
	memset(s.name, 'S', sizeof(s.name));
	APPLY(&m, s);
	CHECK(model_symbol(&m, s.addr) && strlen(model_symbol(&m, s.addr)) == sizeof(s.name) - 1);
	/* the symbol table is bounded: past it, names are dropped, not stored */
	for (uint64_t a = 1; a <= 5000; a++) {
		struct ts_ev_symbol e = rec_symbol(a, "f");

		APPLY(&m, e);
	}
	CHECK(table_count(&m.symbols) <= 4096);
	CHECK(model_symbol(&m, 1) != NULL);
}

TEST(meta_gives_wall_time)
{
	struct ts_ev_meta e = rec_meta(2000000000ULL, 1700000000);

	reset();
	CHECK(model_wall_time(&m, 5000000000ULL) == 0);
	APPLY(&m, e);
	CHECK(m.meta.have);
	CHECK_STR(m.meta.host, "testhost");
	CHECK_STR(m.meta.plan, "synthetic");
	CHECK(model_wall_time(&m, 5000000000ULL) == 1700000003.0);
	CHECK(model_wall_time(&m, 2500000000ULL) == 1700000000.5);
}

static int bad(union ts_event *e)
{
	return model_apply(&m, e);
}

TEST(bad_records_are_counted_and_ignored)
{
	struct ts_conn c = conn4("10.0.0.1", 1, "10.0.0.2", 2);
	struct ts_ev_state st = rec_state(1, 1, TS_CLOSE, TS_SYN_SENT, c, owner(1, "a"));
	struct ts_ev_close cl = rec_close(1, 1, 1, c, owner(1, "a"), 1, 1);
	struct ts_ev_existing x = rec_existing(1, 1, c, 1, 1);
	struct ts_ev_tput t = rec_tput(1, 1, c, owner(1, "a"), 1, 1);
	struct ts_ev_retrans rt = rec_retrans(1, 1, c, owner(1, "a"), 1, 1);
	struct ts_ev_drop d = rec_drop(1, 1, c, owner(1, "a"), 1, 1);
	struct ts_ev_tick tk = rec_tick(1);
	int n = 0;

	reset();
	st.newstate = TS_STATE_MAX;
	n += bad((union ts_event *)&st) < 0;
	st.newstate = TS_SYN_SENT;
	st.oldstate = 200;
	n += bad((union ts_event *)&st) < 0;
	cl.oldstate = TS_STATE_MAX;
	n += bad((union ts_event *)&cl) < 0;
	cl.oldstate = TS_LAST_ACK;
	cl.conn.family = 0;
	n += bad((union ts_event *)&cl) < 0;
	x.state = 99;
	n += bad((union ts_event *)&x) < 0;
	t.conn.family = 5;
	n += bad((union ts_event *)&t) < 0;
	rt.state = 0xff;
	n += bad((union ts_event *)&rt) < 0;
	d.conn.family = 2; /* AF_INET is not the record's 4 */
	n += bad((union ts_event *)&d) < 0;
	tk.hdr.size = sizeof(tk) + 8;
	n += bad((union ts_event *)&tk) < 0;
	tk.hdr.size = sizeof(tk);
	tk.hdr.kind = 0;
	n += bad((union ts_event *)&tk) < 0;
	tk.hdr.kind = TS_K_KERNEL_MAX;
	n += bad((union ts_event *)&tk) < 0;
	tk.hdr.kind = TS_K_MAX;
	n += bad((union ts_event *)&tk) < 0;
	CHECK_EQ_U64(n, 12);
	CHECK_EQ_U64(m.st.bad_records, 12);
	for (int k = 0; k < TS_K_MAX; k++)
		CHECK_EQ_U64(m.st.records[k], 0);
	CHECK_EQ_U64(table_count(&m.open), 0);
	CHECK_EQ_U64(retain_count(&m.states), 0);
	CHECK_EQ_U64(retain_count(&m.events), 0);
	CHECK_EQ_U64(m.st.ticks, 0);
	/* the good ones still go in */
	cl.conn = c;
	CHECK(bad((union ts_event *)&cl) == 0);
	CHECK_EQ_U64(m.st.records[TS_K_CLOSE], 1);
	CHECK_EQ_U64(event_size(TS_K_CLOSE), sizeof(struct ts_ev_close));
	CHECK_EQ_U64(event_size(TS_K_GONE), sizeof(struct ts_ev_gone));
	CHECK_EQ_U64(event_size(0), 0);
	CHECK_EQ_U64(event_size(TS_K_MAX), 0);
}

TEST(history_of_intervals_for_the_header_graph)
{
	struct ts_conn c = conn4("10.0.0.1", 1, "10.0.0.2", 2);
	uint64_t tx = 0;

	reset_with(16, 64, 64, 4);
	for (uint64_t i = 1; i <= 6; i++) {
		tx += i;
		tput(1, i * 1000, c, owner(1, "a"), tx, 2 * tx);
		tick(i * 1000 + 500);
	}
	CHECK_EQ_U64(m.hist_len, 4);
	for (size_t i = 0; i < 4; i++) {
		CHECK_EQ_U64(m.hist_tx[i], i + 3);
		CHECK_EQ_U64(m.hist_rx[i], 2 * (i + 3));
	}
	CHECK_EQ_U64(m.st.last_tx, 6);
	/* no history kept: nothing breaks */
	reset_with(16, 64, 64, 0);
	tput(1, 1000, c, owner(1, "a"), 5, 5);
	tick(2000);
	tick(3000);
	CHECK_EQ_U64(m.hist_len, 0);
	CHECK_EQ_U64(m.st.ticks, 2);
}

TEST(tick_statistics)
{
	struct ts_ev_tick t = rec_tick(3000000000ULL);
	struct ts_conn c = conn4("10.0.0.1", 1, "10.0.0.2", 2);

	reset();
	tick(1000000000ULL);
	tput(1, 1100000000ULL, c, owner(1, "a"), 10, 10);
	tput(2, 1200000000ULL, c, owner(1, "a"), 10, 10);
	t.interval_ns = 0; /* derived from the ticks' times */
	t.lost[TS_LOST_RINGBUF] = 7;
	t.lost_user = 2;
	t.open_sockets = 33;
	APPLY(&m, t);
	CHECK_EQ_U64(m.st.interval_ns, 2000000000ULL);
	CHECK(m.st.events_per_sec == 1.5); /* two TPUT and the TICK in two seconds */
	CHECK_EQ_U64(m.st.lost_kernel[TS_LOST_RINGBUF], 7);
	CHECK_EQ_U64(m.st.lost_user, 2);
	CHECK_EQ_U64(m.st.kernel_open, 33);
	CHECK_EQ_U64(m.st.last_tx, 20);
	CHECK_EQ_U64(m.st.iv_tx, 0);
	CHECK_EQ_U64(m.st.ticks, 2);
	CHECK_EQ_U64(m.st.last_tick_ns, 3000000000ULL);
}

TEST(a_full_open_table_still_logs_closes)
{
	struct ts_conn c = conn4("10.0.0.1", 1, "10.0.0.2", 2);
	struct ts_ev_state st;
	struct ts_ev_close cl;

	reset_with(16, 64, 2, 8);
	for (uint64_t sid = 1; sid <= 3; sid++) {
		st = rec_state(sid, 100 * sid, TS_CLOSE, TS_SYN_SENT, c, owner(1, "a"));
		APPLY(&m, st);
	}
	CHECK_EQ_U64(table_count(&m.open), 2);
	CHECK_EQ_U64(m.st.dropped_open, 1);
	CHECK_EQ_U64(retain_count(&m.states), 3);
	cl = rec_close(3, 1000, 300, c, owner(1, "a"), 77, 88);
	APPLY(&m, cl);
	CHECK_EQ_U64(retain_count(&m.closed), 1);
	CHECK_EQ_U64(session_tx(last_closed()), 77);
	CHECK_EQ_U64(session_duration(last_closed(), 0), 700);
	CHECK_EQ_U64(table_count(&m.open), 2);
}

TEST(config_errors)
{
	struct model bad_model;
	struct model_config c = small_config(16);

	c.max_closed = 0;
	CHECK(model_init(&bad_model, &c) < 0);
	c = small_config(16);
	c.max_open = 0;
	CHECK(model_init(&bad_model, &c) < 0);
	c = small_config(16);
	CHECK(model_init(&bad_model, &c) == 0);
	model_free(&bad_model);
}

int main(void)
{
	RUN(ipv6_sessions);
	RUN(sessions_open_before_tracing_end_with_the_kernels_totals);
	RUN(gone_sessions_are_closed_as_lost);
	RUN(throughput_for_an_unknown_session_creates_it);
	RUN(groups_per_grouping_mode);
	RUN(group_names);
	RUN(socket_rows_leave_one_interval_after_close);
	RUN(full_group_tables_evict_idle_rows);
	RUN(tables_below_three_quarters_keep_idle_rows);
	RUN(syn_sent_row_gets_the_local_port_later);
	RUN(port_fixup_never_touches_other_sessions_rows);
	RUN(state_rows_take_the_owner_of_the_session);
	RUN(listeners_are_logged_but_not_sessions);
	RUN(event_rows_take_the_owner_from_the_session_table);
	RUN(reason_and_symbol_names);
	RUN(meta_gives_wall_time);
	RUN(bad_records_are_counted_and_ignored);
	RUN(history_of_intervals_for_the_header_graph);
	RUN(tick_statistics);
	RUN(a_full_open_table_still_logs_closes);
	RUN(config_errors);
	model_free(&m);
	TAP_DONE();
}
