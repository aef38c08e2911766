// SPDX-License-Identifier: GPL-2.0
/*
 * Event kinds (views/evkind.c): what the TYPE column calls each record
 * (RETRANS_SYN, RST>, RECOVERY, RCVQ_FULL...), the names and classes `type
 * NAME` takes, the model's counts per kind, and the Events pane filtered by
 * `type NAME` over SOCKEV records fed to the model.
 */
#include <stdlib.h>
#include "../tap.h"
#include "records.h"
#include "views/evkind.h"
#include "views/filter.h"
#include "views/rows.h"

static struct model m;

static struct ts_ev_sockev sockev(uint64_t sid, uint64_t ts, uint8_t type, uint8_t ca_old,
				  uint8_t ca_new)
{
	struct ts_ev_sockev e;

	memset(&e, 0, sizeof(e));
	rec_hdr(&e.hdr, TS_K_SOCKEV, sizeof(e), ts);
	e.sid = sid;
	e.conn = conn4("10.1.0.1", 40000, "10.1.0.2", 5201);
	e.owner = owner(77, "iperf3");
	e.type = type;
	e.state = TS_ESTABLISHED;
	e.ca_old = ca_old;
	e.ca_new = ca_new;
	return e;
}

static struct event_row row_of(uint8_t type, uint8_t sock_type, uint8_t ca_new, uint32_t reason)
{
	struct event_row r;

	memset(&r, 0, sizeof(r));
	r.type = type;
	r.sock_type = sock_type;
	r.ca_new = ca_new;
	r.reason = reason;
	return r;
}

TEST(each_record_has_its_kind_and_name)
{
	static const struct {
		uint8_t type, sock_type, ca_new;
		uint32_t reason;
		enum ev_kind k;
		const char *name;
	} t[] = {
	    {EV_RETRANS, 0, 0, TS_RT_DATA, EK_RETRANS, "RETRANS"},
	    {EV_RETRANS, 0, 0, TS_RT_SYN, EK_RETRANS_SYN, "RETRANS_SYN"},
	    {EV_RETRANS, 0, 0, TS_RT_SYNACK, EK_RETRANS_SYNACK, "RETRANS_SYNACK"},
	    {EV_DROP, 0, 0, 2, EK_DROP, "DROP"},
	    {EV_SOCK, TS_SE_RST_SENT, 0, 0, EK_RST_SENT, "RST>"},
	    {EV_SOCK, TS_SE_RST_RECV, 0, 0, EK_RST_RECV, "RST<"},
	    {EV_SOCK, TS_SE_CONG, TS_CA_CWR, 0, EK_CWR, "CWR"},
	    {EV_SOCK, TS_SE_CONG, TS_CA_RECOVERY, 0, EK_RECOVERY, "RECOVERY"},
	    {EV_SOCK, TS_SE_CONG, TS_CA_LOSS, 0, EK_LOSS, "LOSS"},
	    {EV_SOCK, TS_SE_CONG, TS_CA_OPEN, 0, EK_OPEN, "OPEN"},
	    {EV_SOCK, TS_SE_CONG, TS_CA_DISORDER, 0, EK_DISORDER, "DISORDER"},
	    {EV_SOCK, TS_SE_RCVQ_FULL, 0, 0, EK_RCVQ_FULL, "RCVQ_FULL"},
	    {EV_SOCK, TS_SE_PEER_FULL, 0, 0, EK_PEER_FULL, "PEER_FULL"},
	    {EV_SOCK, TS_SE_MEM_LIMIT, 0, 0, EK_MEM_LIMIT, "MEM_LIMIT"},
	    {EV_SOCK, TS_SE_ERROR, 0, 104, EK_ERROR, "ERROR"},
	    /* what no kind names: nothing */
	    {EV_SOCK, 0, 0, 0, EK_NONE, ""},
	    {EV_SOCK, TS_SE_MAX, 0, 0, EK_NONE, ""},
	    {99, 0, 0, 0, EK_NONE, ""},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct event_row r = row_of(t[i].type, t[i].sock_type, t[i].ca_new, t[i].reason);

		CHECK_EQ_U64(event_kind(&r), t[i].k);
		CHECK_STR(ev_kind_name(event_kind(&r)), t[i].name);
		/* every kind but none says what it means */
		CHECK(!*ev_kind_what(t[i].k) == (t[i].k == EK_NONE));
	}
	CHECK_STR(ev_kind_name(EK_MAX), "");
	CHECK_STR(ev_kind_name((enum ev_kind)200), "");
}

TEST(type_names_a_class_or_a_kind_in_any_case)
{
	CHECK_EQ_U64(ev_kinds_parse("reset"), (1 << EK_RST_SENT) | (1 << EK_RST_RECV));
	CHECK_EQ_U64(ev_kinds_parse("RST"), (1 << EK_RST_SENT) | (1 << EK_RST_RECV));
	CHECK_EQ_U64(ev_kinds_parse("rst>"), 1 << EK_RST_SENT);
	CHECK_EQ_U64(ev_kinds_parse("RST<"), 1 << EK_RST_RECV);
	CHECK_EQ_U64(ev_kinds_parse("Cong"), (1 << EK_CWR) | (1 << EK_RECOVERY) | (1 << EK_LOSS) |
						 (1 << EK_OPEN) | (1 << EK_DISORDER));
	CHECK_EQ_U64(ev_kinds_parse("loss"), 1 << EK_LOSS);
	CHECK_EQ_U64(ev_kinds_parse("recovery"), 1 << EK_RECOVERY);
	CHECK_EQ_U64(ev_kinds_parse("queue"), (1 << EK_RCVQ_FULL) | (1 << EK_PEER_FULL));
	CHECK_EQ_U64(ev_kinds_parse("rcvq_full"), 1 << EK_RCVQ_FULL);
	CHECK_EQ_U64(ev_kinds_parse("memory"), 1 << EK_MEM_LIMIT);
	CHECK_EQ_U64(ev_kinds_parse("error"), 1 << EK_ERROR);
	CHECK_EQ_U64(ev_kinds_parse("retrans"),
		     (1 << EK_RETRANS) | (1 << EK_RETRANS_SYN) | (1 << EK_RETRANS_SYNACK));
	CHECK_EQ_U64(ev_kinds_parse("retrans_syn"), 1 << EK_RETRANS_SYN);
	CHECK_EQ_U64(ev_kinds_parse("drop"), 1 << EK_DROP);
	/* every kind's own name names it alone, but RETRANS, which is also its class's */
	for (int k = EK_NONE + 1; k < EK_MAX; k++)
		if (k != EK_RETRANS)
			CHECK_EQ_U64(ev_kinds_parse(ev_kind_name((enum ev_kind)k)), 1LL << k);
	CHECK_EQ_U64(ev_kinds_parse("RETRANS"), ev_kinds_parse("retrans"));
	CHECK(ev_kinds_parse("foo") == -1);
	CHECK(ev_kinds_parse("") == -1);
	CHECK(ev_kinds_parse("RST>>") == -1);
	CHECK(strstr(ev_kind_classes(), "reset") && strstr(ev_kind_classes(), "cong"));
}

TEST(congestion_state_names)
{
	CHECK_STR(ca_state_name(TS_CA_OPEN), "Open");
	CHECK_STR(ca_state_name(TS_CA_DISORDER), "Disorder");
	CHECK_STR(ca_state_name(TS_CA_CWR), "CWR");
	CHECK_STR(ca_state_name(TS_CA_RECOVERY), "Recovery");
	CHECK_STR(ca_state_name(TS_CA_LOSS), "Loss");
	CHECK_STR(ca_state_name(TS_CA_MAX), "?");
}

/* The model counts events by kind, and the Events pane's `type NAME` picks them. */
TEST(the_model_counts_kinds_and_type_filters_rows)
{
	struct model_config c = small_config(32);
	struct ts_ev_sockev e;
	struct ts_ev_retrans rt;
	struct rowset rs = {0};
	struct sort_spec s = {-1, false};
	struct fmt_ctx f;
	struct filter flt;
	char err[128];
	static const struct {
		const char *expr;
		size_t n;
	} want[] = {
	    {"type reset", 2},	       {"type rst<", 1},	   {"type cong", 3},
	    {"type loss,recovery", 2}, {"!type cong", 5},	   {"type queue", 1},
	    {"type error", 1},	       {"type retrans", 1},	   {"type drop", 0},
	    {"type OPEN", 1},	       {"type cong port 5201", 3}, {"type cong port 80", 0},
	};

	model_restart(&m, &c);
	e = sockev(1, 10, TS_SE_RST_SENT, 0, 0);
	APPLY(&m, e);
	e = sockev(1, 11, TS_SE_RST_RECV, 0, 0);
	APPLY(&m, e);
	e = sockev(1, 12, TS_SE_CONG, TS_CA_OPEN, TS_CA_RECOVERY);
	APPLY(&m, e);
	e = sockev(1, 13, TS_SE_CONG, TS_CA_RECOVERY, TS_CA_LOSS);
	APPLY(&m, e);
	e = sockev(1, 14, TS_SE_CONG, TS_CA_LOSS, TS_CA_OPEN);
	APPLY(&m, e);
	e = sockev(1, 15, TS_SE_RCVQ_FULL, 0, 0);
	APPLY(&m, e);
	e = sockev(1, 16, TS_SE_ERROR, 0, 0);
	e.err = 104;
	APPLY(&m, e);
	rt = rec_retrans(1, 17, conn4("10.1.0.1", 40000, "10.1.0.2", 5201), owner(77, "iperf3"),
			 TS_RT_DATA, 1);
	APPLY(&m, rt);
	CHECK_EQ_U64(m.st.records[TS_K_SOCKEV], 7);
	CHECK_EQ_U64(m.st.event_kinds[EK_RST_SENT], 1);
	CHECK_EQ_U64(m.st.event_kinds[EK_RST_RECV], 1);
	CHECK_EQ_U64(m.st.event_kinds[EK_RECOVERY], 1);
	CHECK_EQ_U64(m.st.event_kinds[EK_LOSS], 1);
	CHECK_EQ_U64(m.st.event_kinds[EK_OPEN], 1);
	CHECK_EQ_U64(m.st.event_kinds[EK_RCVQ_FULL], 1);
	CHECK_EQ_U64(m.st.event_kinds[EK_ERROR], 1);
	CHECK_EQ_U64(m.st.event_kinds[EK_RETRANS], 1);
	CHECK_EQ_U64(m.st.event_kinds[EK_DROP], 0);
	CHECK_EQ_U64(retain_count(&m.events), 8);
	f = (struct fmt_ctx){&m, 0, m.st.now_ns, m.st.first_ns};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (filter_parse(want[i].expr, &flt, err, sizeof(err))) {
			printf("#   %s: %s\n", want[i].expr, err);
			CHECK(0);
			continue;
		}
		CHECK(rows_build(&rs, &pane_events, &m, NULL, &flt, &s, &f) == 0);
		if (rs.n != want[i].n) {
			printf("#   %s: %zu rows, not %zu\n", want[i].expr, rs.n, want[i].n);
			CHECK(0);
		}
	}
	rows_free(&rs);
}

int main(void)
{
	RUN(each_record_has_its_kind_and_name);
	RUN(type_names_a_class_or_a_kind_in_any_case);
	RUN(congestion_state_names);
	RUN(the_model_counts_kinds_and_type_filters_rows);
	model_free(&m);
	TAP_DONE();
}
