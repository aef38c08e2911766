// SPDX-License-Identifier: GPL-2.0
/* Rows kept fairly: a flood against quiet flows, the bound, order, lookups, and a fuzz. */
#include <stdbool.h>
#include <stdlib.h>
#include "../tap.h"
#include "records.h"
#include "views/retain.h"

struct row {
	uint64_t seq;
	uint32_t group;
	uint32_t nth; /* within its group, from 1 */
};

static struct flowgroups groups;
static struct retain store;
static uint64_t nth_of[4096];

static void start(size_t bound, size_t keep, size_t ngroups)
{
	retain_free(&store);
	flowgroups_free(&groups);
	memset(nth_of, 0, sizeof(nth_of));
	if (flowgroups_init(&groups, ngroups) ||
	    retain_init(&store, sizeof(struct row), bound, keep, &groups))
		abort();
}

/* The id of the flow "q<i>" on port 1000 + i, served here. */
static uint32_t group_of(int i)
{
	struct flow_key k = {.port = (uint16_t)(1000 + i), .role = FLOW_ROLE_ACCEPT};

	snprintf(k.comm, sizeof(k.comm), "q%d", i);
	return flowgroups_get(&groups, &k);
}

static void push(uint32_t group)
{
	uint64_t seq = store.next;
	struct row *r = retain_push(&store, group);

	r->seq = seq;
	r->group = group;
	r->nth = (uint32_t)++nth_of[group];
}

/* Rows of group kept now, and whether they are its newest ones. */
static size_t kept_of(uint32_t group, bool *newest)
{
	size_t n = 0;

	for (size_t i = 0; i < retain_count(&store); i++) {
		const struct row *r = retain_at(&store, i);

		n += r->group == group;
	}
	*newest = true;
	for (size_t i = 0, seen = 0; i < retain_count(&store); i++) {
		const struct row *r = retain_at(&store, i);

		if (r->group == group && r->nth != nth_of[group] - n + 1 + seen++)
			*newest = false;
	}
	return n;
}

static bool oldest_first(void)
{
	for (size_t i = 1; i < retain_count(&store); i++)
		if (((const struct row *)retain_at(&store, i - 1))->seq >=
		    ((const struct row *)retain_at(&store, i))->seq)
			return false;
	return true;
}

TEST(a_flood_does_not_push_out_quiet_flows)
{
	enum { BOUND = 1000, KEEP = 16, QUIET = 20, EACH = 40, FLOOD = 50000 };
	uint32_t ids[QUIET], flood;
	bool newest, over = false;

	start(BOUND, KEEP, 64);
	for (int i = 0; i < QUIET; i++)
		ids[i] = group_of(i);
	flood = group_of(99);
	for (int n = 0; n < EACH; n++)
		for (int i = 0; i < QUIET; i++)
			push(ids[i]);
	for (int n = 0; n < FLOOD; n++) {
		push(flood);
		over |= retain_count(&store) > BOUND;
	}
	CHECK(!over);
	CHECK_EQ_U64(retain_count(&store), BOUND);
	for (int i = 0; i < QUIET; i++) {
		CHECK_EQ_U64(kept_of(ids[i], &newest), KEEP);
		CHECK(newest);
	}
	CHECK_EQ_U64(kept_of(flood, &newest), BOUND - QUIET * KEEP);
	CHECK(newest);
	CHECK_EQ_U64(store.let_go, QUIET * EACH + FLOOD - BOUND);
	CHECK(oldest_first());
	/* quiet rows come before every flood row: the natural order is the arrival order */
	CHECK_EQ_U64(((const struct row *)retain_at(&store, QUIET * KEEP))->group, flood);
}

TEST(lookup_by_number_finds_kept_rows_and_only_those)
{
	uint32_t quiet, flood;
	size_t found = 0;

	start(100, 4, 8);
	quiet = group_of(1);
	flood = group_of(2);
	for (int i = 0; i < 10; i++)
		push(quiet);
	for (int i = 0; i < 1000; i++)
		push(flood);
	for (uint64_t seq = 0; seq < store.next; seq++) {
		const struct row *r = retain_by_seq(&store, seq);

		if (!r)
			continue;
		found++;
		CHECK_EQ_U64(r->seq, seq);
	}
	CHECK_EQ_U64(found, retain_count(&store));
	/* the quiet flow's last four (numbers 6 to 9) are in the kept part */
	CHECK(retain_by_seq(&store, 9) != NULL);
	CHECK(retain_by_seq(&store, 6) != NULL);
	CHECK(retain_by_seq(&store, 5) == NULL);
	CHECK(retain_by_seq(&store, store.next) == NULL);
	CHECK_EQ_U64(store.kcount, 4);
}

TEST(a_full_group_table_sends_new_flows_to_other_counted)
{
	uint32_t ids[10];
	bool newest;

	start(50, 4, 4);
	for (int i = 0; i < 10; i++)
		ids[i] = group_of(i);
	for (int i = 0; i < 4; i++)
		CHECK(ids[i] != FLOW_OTHER);
	for (int i = 4; i < 10; i++)
		CHECK_EQ_U64(ids[i], FLOW_OTHER);
	CHECK_EQ_U64(groups.overflow, 6);
	push(ids[0]);
	push(ids[9]);
	CHECK_EQ_U64(kept_of(FLOW_OTHER, &newest), 1);
}

TEST(a_flow_with_no_row_left_is_forgotten)
{
	struct flow_cache fc = {0};
	struct ts_conn c = conn4("10.0.0.1", 80, "10.0.0.2", 40000);
	struct ts_owner o = owner(7, "web");
	uint32_t id, flood, gen0;

	start(10, 2, 16);
	id = flowgroups_cached(&groups, &fc, &c, &o, TS_DIR_ACCEPT);
	CHECK(id != FLOW_OTHER);
	gen0 = groups.gen[id];
	CHECK_EQ_U64(flowgroups_cached(&groups, &fc, &c, &o, TS_DIR_ACCEPT), id);
	push(id);
	flood = group_of(3);
	CHECK_EQ_U64(table_count(&groups.table), 2);
	/* room for 5 kept rows: web's one row moves there, and stays through the flood */
	for (int i = 0; i < 100; i++)
		push(flood);
	CHECK_EQ_U64(table_count(&groups.table), 2);
	/* the newest rows of five more flows fill the kept part: web's row, the oldest, goes */
	for (int g = 4; g < 9; g++)
		for (int i = 0; i < 3; i++)
			push(group_of(g));
	/* forgotten: its id may serve another flow now */
	CHECK(groups.gen[id] != gen0);
	/* what the session remembered is stale: it is looked up, and added, again */
	CHECK(flowgroups_cached(&groups, &fc, &c, &o, TS_DIR_ACCEPT) != FLOW_OTHER);
	CHECK_EQ_U64(fc.gen, groups.gen[fc.id]);
}

TEST(service_ports_and_owners)
{
	struct ts_conn c = conn4("10.0.0.1", 40000, "10.0.0.2", 443);
	struct ts_owner o = owner(7, "curl"), none = nobody();
	struct flow_key k;

	flow_key_of(&c, &o, TS_DIR_CONNECT, &k);
	CHECK_EQ_U64(k.port, 443);
	CHECK_EQ_U64(k.role, FLOW_ROLE_CONNECT);
	CHECK_STR(k.comm, "curl");
	c = conn4("10.0.0.1", 8080, "10.0.0.2", 51000);
	flow_key_of(&c, &none, TS_DIR_ACCEPT, &k);
	CHECK_EQ_U64(k.port, 8080);
	CHECK_EQ_U64(k.role, FLOW_ROLE_ACCEPT);
	CHECK_STR(k.comm, "");
	/* direction unknown: the lower port; a listener: its own */
	flow_key_of(&c, &o, 0, &k);
	CHECK_EQ_U64(k.port, 8080);
	c = conn4("10.0.0.1", 51000, "10.0.0.2", 22);
	flow_key_of(&c, &o, 0, &k);
	CHECK_EQ_U64(k.port, 22);
	c = conn4("0.0.0.0", 9000, "0.0.0.0", 0);
	flow_key_of(&c, &o, 0, &k);
	CHECK_EQ_U64(k.port, 9000);
}

/*
 * A reference: the same policy with plain arrays and linear scans. main[]
 * and kept[] hold row numbers, oldest first; group[] and nth[] are by number.
 */
struct ref {
	uint64_t *main, *kept;
	size_t nmain, nkept;
	uint32_t *group;
	uint64_t *nth, pushed[64], let_go;
};

static bool ref_protected(const struct ref *f, uint64_t seq, size_t keep)
{
	return f->pushed[f->group[seq]] - f->nth[seq] < keep;
}

static void ref_push(struct ref *f, uint64_t seq, uint32_t group, size_t bound, size_t keep)
{
	while (f->nmain + f->nkept >= bound) {
		uint64_t old = f->main[0];

		memmove(f->main, f->main + 1, --f->nmain * sizeof(*f->main));
		if (!(bound / 2) || !ref_protected(f, old, keep)) {
			f->let_go++;
			continue;
		}
		if (f->nkept == bound / 2) {
			size_t v = 0;

			for (size_t i = 0; i < f->nkept && i < RETAIN_LOOK; i++)
				if (!ref_protected(f, f->kept[i], keep)) {
					v = i;
					break;
				}
			memmove(f->kept + v, f->kept + v + 1,
				(f->nkept - v - 1) * sizeof(*f->kept));
			f->nkept--;
			f->let_go++;
		}
		f->kept[f->nkept++] = old;
	}
	f->group[seq] = group;
	f->nth[seq] = ++f->pushed[group];
	f->main[f->nmain++] = seq;
}

TEST(random_pushes_match_a_simple_reference)
{
	enum { PUSHES = 6000 };
	struct ref f;
	uint64_t rng = 12345;
	int bad = 0;

	f.group = malloc(PUSHES * sizeof(*f.group));
	f.nth = malloc(PUSHES * sizeof(*f.nth));
	f.main = malloc(PUSHES * sizeof(*f.main));
	f.kept = malloc(PUSHES * sizeof(*f.kept));
	if (!f.group || !f.nth || !f.main || !f.kept)
		abort();
	for (int round = 0; round < 40 && !bad; round++) {
		size_t bound = 1 + (size_t)(rng = rng * 6364136223846793005ULL + 1) % 300;
		size_t keep = (size_t)(rng >> 40) % 24;
		int ngroups = 1 + (int)((rng >> 20) % 40), flood = (int)((rng >> 10) % 4);
		uint32_t ids[64];

		start(bound, keep, 64);
		memset(&f.pushed, 0, sizeof(f.pushed));
		f.nmain = f.nkept = 0;
		f.let_go = 0;
		for (int g = 0; g < ngroups; g++)
			ids[g] = group_of(g);
		for (uint64_t seq = 0; seq < PUSHES && !bad; seq++) {
			rng = rng * 6364136223846793005ULL + 1;
			/* a few flows take most rows, as floods do */
			int g = (rng >> 33) % 4
				    ? (int)((rng >> 40) % (uint64_t)(flood + 1)) % ngroups
				    : (int)((rng >> 45) % (uint64_t)ngroups);
			size_t total;

			push(ids[g]);
			ref_push(&f, seq, (uint32_t)g, bound, keep);
			total = f.nkept + f.nmain;
			if (retain_count(&store) != total || store.kcount != f.nkept ||
			    store.let_go != f.let_go || total > bound || f.nkept > bound / 2 ||
			    store.let_go + total != seq + 1)
				bad = 1;
			for (size_t i = 0; i < total && !bad; i++) {
				uint64_t want = i < f.nkept ? f.kept[i] : f.main[i - f.nkept];
				const struct row *r = retain_at(&store, i);

				if (r->seq != want || retain_by_seq(&store, want) != r)
					bad = 2;
			}
		}
		if (bad)
			printf("#   round %d (bound %zu keep %zu groups %d): %s\n", round, bound,
			       keep, ngroups, bad == 1 ? "counts differ" : "rows differ");
	}
	CHECK(!bad);
	free(f.group);
	free(f.nth);
	free(f.main);
	free(f.kept);
}

TEST(when_every_flows_newest_fit_each_keeps_them)
{
	uint64_t rng = 99;
	bool ok = true;

	/* 10 flows x keep 8 = 80 rows, within half of 200: each flow's newest 8 always stay */
	start(200, 8, 16);
	for (int i = 0; i < 20000 && ok; i++) {
		rng = rng * 6364136223846793005ULL + 1;
		push(group_of((rng >> 33) % 7 ? 0 : (int)((rng >> 40) % 10)));
		for (int g = 0; g < 10 && ok; g++) {
			uint32_t id = group_of(g);
			bool newest;
			size_t n = kept_of(id, &newest), want = nth_of[id] < 8 ? nth_of[id] : 8;

			ok = n >= want && newest;
		}
	}
	CHECK(ok);
}

/* The model: a churn on one port against a few quiet ones, sessions and state log. */
TEST(the_model_keeps_quiet_flows_through_a_churn)
{
	struct model m = {0};
	struct model_config c = small_config(400);
	uint64_t sid = 1, ts = 1000;
	size_t quiet_closed = 0, quiet_states = 0;

	c.keep_per_flow = 20;
	model_restart(&m, &c);
	for (int q = 0; q < 3; q++)
		for (int i = 0; i < 30; i++, sid++, ts += 10) {
			struct ts_conn conn = conn4("10.0.0.1", (uint16_t)(41000 + i), "10.0.0.9",
						    (uint16_t)(5000 + q));
			struct ts_ev_state st =
			    rec_state(sid, ts, TS_CLOSE, TS_SYN_SENT, conn, owner(50, "quiet"));
			struct ts_ev_close cl =
			    rec_close(sid, ts + 5, ts, conn, owner(50, "quiet"), 1, 2);

			APPLY(&m, st);
			APPLY(&m, cl);
		}
	for (int i = 0; i < 5000; i++, sid++, ts += 10) {
		struct ts_conn conn =
		    conn4("10.0.0.1", (uint16_t)(30000 + i % 20000), "10.0.0.8", 80);
		struct ts_ev_state st =
		    rec_state(sid, ts, TS_CLOSE, TS_SYN_SENT, conn, owner(60, "flood"));
		struct ts_ev_close cl = rec_close(sid, ts + 5, ts, conn, owner(60, "flood"), 1, 2);

		APPLY(&m, st);
		APPLY(&m, cl);
	}
	CHECK_EQ_U64(retain_count(&m.closed), 400);
	for (size_t i = 0; i < retain_count(&m.closed); i++)
		quiet_closed +=
		    !strcmp(((const struct session *)retain_at(&m.closed, i))->owner.comm, "quiet");
	for (size_t i = 0; i < retain_count(&m.states); i++)
		quiet_states += !strcmp(
		    ((const struct state_row *)retain_at(&m.states, i))->owner.comm, "quiet");
	/* three flows, each its newest 20 closed sessions and 20 state rows */
	CHECK_EQ_U64(quiet_closed, 60);
	CHECK_EQ_U64(quiet_states, 60);
	CHECK_EQ_U64(m.closed.let_go, 90 + 5000 - 400);
	CHECK_EQ_U64(m.states.let_go, 2 * (90 + 5000) - 400);
	model_free(&m);
}

int main(void)
{
	RUN(a_flood_does_not_push_out_quiet_flows);
	RUN(lookup_by_number_finds_kept_rows_and_only_those);
	RUN(a_full_group_table_sends_new_flows_to_other_counted);
	RUN(a_flow_with_no_row_left_is_forgotten);
	RUN(service_ports_and_owners);
	RUN(random_pushes_match_a_simple_reference);
	RUN(when_every_flows_newest_fit_each_keeps_them);
	RUN(the_model_keeps_quiet_flows_through_a_churn);
	retain_free(&store);
	flowgroups_free(&groups);
	TAP_DONE();
}
