// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "connpage.h"
#include "csv.h"
#include "evdetail.h"
#include "evkind.h"
#include "format.h"
#include "text.h"

/* The session: open, or the newest closed copy still kept. */
static bool find_session(const struct model *m, uint64_t sid, struct session *out, bool *open)
{
	const struct session *s = model_find_open(m, sid);
	size_t n = retain_count(&m->closed);

	*open = s != NULL;
	for (size_t i = n; !s && i > 0; i--) {
		const struct session *c = retain_at(&m->closed, i - 1);

		if (c->sid == sid)
			s = c;
	}
	if (s)
		*out = *s;
	return s != NULL;
}

static struct tl_line *add(struct conn_page *p)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct tl_line *more = realloc(p->lines, cap * sizeof(*more));

		if (!more)
			return NULL;
		p->lines = more;
		p->cap = cap;
	}
	memset(&p->lines[p->n], 0, sizeof(p->lines[0]));
	return &p->lines[p->n++];
}

static int add_state(struct conn_page *p, uint64_t ts, uint8_t old, uint8_t new, uint64_t dt)
{
	struct tl_line *l = add(p);

	if (!l)
		return -ENOMEM;
	l->ts_ns = ts;
	l->state = true;
	l->old = old;
	l->new = new;
	l->dt_ns = dt;
	snprintf(l->type, sizeof(l->type), "STATE");
	return 0;
}

static bool bad_kind(enum ev_kind k)
{
	return k != EK_RETRANS && k != EK_RETRANS_SYN && k != EK_RETRANS_SYNACK && k != EK_OPEN &&
	       k != EK_DISORDER && k != EK_RST_SENT;
}

static int add_event(struct conn_page *p, const struct model *m, const struct event_row *r)
{
	struct tl_line *l = add(p);
	enum ev_kind k = event_kind(r);
	char raw[96];
	const char *sym;

	if (!l)
		return -ENOMEM;
	l->ts_ns = r->ts_ns;
	l->ev_state = r->state;
	l->bad = bad_kind(k);
	snprintf(l->type, sizeof(l->type), "%s", ev_kind_name(k));
	event_detail(m, r, raw, sizeof(raw));
	if (r->type == EV_RETRANS) {
		snprintf(raw, sizeof(raw), "%u retransmitted so far", r->count);
	} else if (r->type == EV_DROP && r->location) {
		size_t len = strlen(raw);

		sym = model_symbol(m, r->location);
		if (sym)
			snprintf(raw + len, sizeof(raw) - len, " at %s", sym);
		else
			snprintf(raw + len, sizeof(raw) - len, " at 0x%llx",
				 (unsigned long long)r->location);
	}
	text_sanitize_into(l->detail, sizeof(l->detail), raw);
	return 0;
}

/* From the connection's own log. */
static int from_log(struct conn_page *p, const struct model *m, const struct connlog *log)
{
	for (size_t i = 0; i < connlog_kept_items(log); i++) {
		const struct tl_item *it = connlog_item(log, i);
		struct event_row r;
		int err;

		if (it->kind == TL_STATE) {
			err = add_state(p, it->ts_ns, it->old, it->new, it->a);
		} else {
			connlog_event_row(it, &r);
			err = add_event(p, m, &r);
		}
		if (err)
			return err;
	}
	p->let_go = log->items - connlog_kept_items(log);
	return 0;
}

static int by_time(const void *a, const void *b)
{
	const struct tl_line *x = a, *y = b;

	return x->ts_ns < y->ts_ns ? -1 : x->ts_ns > y->ts_ns;
}

/* Its log was let go: what the shared state and event logs still hold of it. */
static int from_shared(struct conn_page *p, const struct model *m)
{
	size_t ns = retain_count(&m->states), ne = retain_count(&m->events);

	p->shared = true;
	for (size_t i = 0; i < ns; i++) {
		const struct state_row *r = retain_at(&m->states, i);

		if (r->sid == p->sid && add_state(p, r->ts_ns, r->oldstate, r->newstate, r->dt_ns))
			return -ENOMEM;
	}
	for (size_t i = 0; i < ne; i++) {
		const struct event_row *r = retain_at(&m->events, i);

		if (r->sid == p->sid && add_event(p, m, r))
			return -ENOMEM;
	}
	/* both logs are in arrival order: merged by time, ties in that order */
	qsort(p->lines, p->n, sizeof(p->lines[0]), by_time);
	return 0;
}

int conn_page_build(struct conn_page *p, const struct model *m, uint64_t sid)
{
	struct session s;
	bool open;

	if (p->sid != sid) {
		p->found = false;
		memset(&p->s, 0, sizeof(p->s));
	}
	p->sid = sid;
	p->n = 0;
	p->let_go = 0;
	p->shared = false;
	if (find_session(m, sid, &s, &open)) {
		p->s = s;
		p->found = true;
		p->open = open;
	} else {
		p->open = false; /* what was last seen of it stays on the page */
	}
	p->log = connlog_find(&m->logs, sid);
	return p->log ? from_log(p, m, p->log) : from_shared(p, m);
}

void conn_page_free(struct conn_page *p)
{
	free(p->lines);
	memset(p, 0, sizeof(*p));
}

void conn_page_when(const struct model *m, uint64_t ts, char *b, size_t n)
{
	double wall = model_wall_time(m, ts);
	time_t t = (time_t)wall;
	struct tm tm;
	char hms[16];

	if (!wall || !localtime_r(&t, &tm) || !strftime(hms, sizeof(hms), "%H:%M:%S", &tm)) {
		snprintf(b, n, "%.6f", (double)(ts - m->st.first_ns) / 1e9);
		return;
	}
	snprintf(b, n, "%s.%06u", hms, (unsigned)((wall - (double)t) * 1e6));
}

void conn_page_csv(FILE *out, const struct model *m, const struct conn_page *p)
{
	fputs("TIME,TYPE,STATE,FROM,TO,MS,DETAIL\n", out);
	for (size_t i = 0; i < p->n; i++) {
		const struct tl_line *l = &p->lines[i];
		char when[32], ms[32] = "";

		/* to the microsecond: a timeline's steps are that close */
		conn_page_when(m, l->ts_ns, when, sizeof(when));
		csv_put(out, when, false, true);
		csv_put(out, l->type, false, false);
		csv_put(out,
			l->state      ? ""
			: l->ev_state ? state_name(l->ev_state)
				      : "",
			false, false);
		csv_put(out, l->state ? state_name(l->old) : "", false, false);
		csv_put(out, l->state ? state_name(l->new) : "", false, false);
		if (l->state && l->dt_ns)
			fmt_fixed(l->dt_ns, 1000000, 3, ms, sizeof(ms));
		csv_put(out, ms, true, false);
		csv_put(out, l->detail, false, false);
		fputc('\n', out);
	}
}
