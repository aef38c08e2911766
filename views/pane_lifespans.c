// SPDX-License-Identifier: GPL-2.0
/*
 * Lifespans: open sessions, then recently closed ones. tcplife's columns
 * come first, in tcplife's order; batch text shows exactly those by default.
 */
#include <stdio.h>
#include "cells.h"
#include "format.h"
#include "lifegroups.h"
#include "self.h"
#include "service.h"
#include "session_values.h"

#define S(row) ((const struct session *)(row))

static CELL(f_time)
{
	fmt_clock(f, session_time(S(row)), b, n);
}

static CELL(f_rel)
{
	fmt_rel(f, session_time(S(row)), b, n);
}

static KEY(k_time)
{
	return session_time(S(row));
}

static CELL(f_tx_kb)
{
	fmt_kb(session_tx(S(row)), b, n);
}

static CELL(f_rx_kb)
{
	fmt_kb(session_rx(S(row)), b, n);
}

static CELL(f_tx_b)
{
	fmt_u64(session_tx(S(row)), b, n);
}

static CELL(f_rx_b)
{
	fmt_u64(session_rx(S(row)), b, n);
}

static KEY(k_tx)
{
	return session_tx(S(row));
}

static KEY(k_rx)
{
	return session_rx(S(row));
}

static CELL(f_ms)
{
	uint64_t d = session_duration(S(row), f->now_ns);

	/* opened before tracing: the duration is a lower bound */
	if (!S(row)->start_ns && !(f->flags & FMT_CSV))
		snprintf(b, n, ">%.2f", d / 1e6);
	else
		fmt_ms(d, b, n);
}

static KEY(k_ms)
{
	return session_duration(S(row), f->now_ns);
}

static CELL(f_state)
{
	fmt_str(b, n, state_name(S(row)->state));
}

static KEY(k_state)
{
	return S(row)->state;
}

static CELL(f_dir)
{
	fmt_str(b, n, session_dir_name(S(row)));
}

static KEY(k_dir)
{
	return S(row)->dir;
}

static CELL(f_status)
{
	session_status(S(row), b, n);
}

/* Open sessions are good news, ended ones that did not end well bad. */
static enum tone tone_status(const struct fmt_ctx *f, const struct column *c, const void *row)
{
	switch (session_outcome(S(row))) {
	case SO_OPEN:
		return TONE_GOOD;
	case SO_OK:
		return TONE_PLAIN;
	default:
		return TONE_BAD;
	}
}

static KEY(k_status)
{
	char s[32];

	session_status(S(row), s, sizeof(s));
	return str_key(s, sizeof(s));
}

/* Milliseconds with microseconds, or '-' (empty in CSV) when not measured. */
static void opt_ms(const struct fmt_ctx *f, uint64_t ns, char *b, size_t n)
{
	if (!ns)
		fmt_str(b, n, f->flags & FMT_CSV ? "" : "-");
	else
		fmt_fixed(ns, 1000000, 3, b, n);
}

static CELL(f_lat)
{
	opt_ms(f, S(row)->lat_ns, b, n);
}

static KEY(k_lat)
{
	return S(row)->lat_ns;
}

static CELL(f_rtt)
{
	opt_ms(f, S(row)->srtt_us * 1000ULL, b, n);
}

static KEY(k_rtt)
{
	return S(row)->srtt_us;
}

/* tcp_probe's srtt samples of the session: the smallest, the mean, the largest ('-': none). */
static uint64_t rtt_min_ns(const struct session *s)
{
	return s->rtt.samples ? s->rtt.min_us * 1000ULL : 0;
}

static uint64_t rtt_avg_ns(const struct session *s)
{
	return s->rtt.samples ? s->rtt.sum_us * 1000ULL / s->rtt.samples : 0;
}

static uint64_t rtt_max_ns(const struct session *s)
{
	return s->rtt.samples ? s->rtt.max_us * 1000ULL : 0;
}

static CELL(f_rtt_min)
{
	opt_ms(f, rtt_min_ns(S(row)), b, n);
}

static KEY(k_rtt_min)
{
	return rtt_min_ns(S(row));
}

static CELL(f_rtt_avg)
{
	opt_ms(f, rtt_avg_ns(S(row)), b, n);
}

static KEY(k_rtt_avg)
{
	return rtt_avg_ns(S(row));
}

static CELL(f_rtt_max)
{
	opt_ms(f, rtt_max_ns(S(row)), b, n);
}

static KEY(k_rtt_max)
{
	return rtt_max_ns(S(row));
}

static CELL(f_retrans)
{
	fmt_u64(S(row)->retrans, b, n);
}

static KEY(k_retrans)
{
	return S(row)->retrans;
}

#define SV struct session
static const struct column cols[] = {
    {.name = "TIME",
     .help = "time the session closed (opened, if still open)",
     .width = 8,
     .wide = 8,
     .priority = 9,
     .flags = COL_CLOCK | COL_DESC | COL_CSV,
     .format = f_time,
     .key = k_time},
    {.name = "TIME(s)",
     .help = "seconds since tracing began",
     .width = 9,
     .wide = 9,
     .priority = 9,
     .flags = COL_REL | COL_SECS | COL_CSV,
     .format = f_rel,
     .key = k_time},
    COLS_OWNER(SV, owner, COL_ALL),
    COL_IP(SV, conn, COL_ALL),
    COLS_ENDS(SV, conn, COL_ALL),
    {.name = "TX_KB",
     .help = "kilobytes sent (acknowledged by the peer)",
     .width = 6,
     .wide = 8,
     .flags = COL_NUM | COL_KB | COL_DESC | COL_ALL,
     .format = f_tx_kb,
     .key = k_tx},
    {.name = "RX_KB",
     .help = "kilobytes received",
     .width = 6,
     .wide = 8,
     .flags = COL_NUM | COL_KB | COL_DESC | COL_ALL,
     .format = f_rx_kb,
     .key = k_rx},
    {.name = "TX_BYTES",
     .help = "bytes sent, exact",
     .width = 10,
     .wide = 12,
     .priority = 8,
     .flags = COL_NUM | COL_BYTES | COL_DESC | COL_CSV,
     .format = f_tx_b,
     .key = k_tx},
    {.name = "RX_BYTES",
     .help = "bytes received, exact",
     .width = 10,
     .wide = 12,
     .priority = 8,
     .flags = COL_NUM | COL_BYTES | COL_DESC | COL_CSV,
     .format = f_rx_b,
     .key = k_rx},
    {.name = "MS",
     .help = "duration in milliseconds ('>': opened before tracing)",
     .width = 9,
     .wide = 10,
     .flags = COL_NUM | COL_MS | COL_DESC | COL_ALL,
     .format = f_ms,
     .key = k_ms},
    {.name = "STATE",
     .help = "TCP state now",
     .width = 11,
     .wide = 11,
     .priority = 3,
     .flags = COL_SCREEN | COL_CSV,
     .format = f_state,
     .key = k_state},
    {.name = "DIR",
     .help = "opened by connect or accept ('before': open before tracing)",
     .width = 7,
     .wide = 7,
     .priority = 4,
     .flags = COL_SCREEN | COL_CSV,
     .format = f_dir,
     .key = k_dir},
    {.name = "STATUS",
     .help = "ok, refused, timeout, reset, failed, lost, or open",
     .width = 8,
     .wide = 8,
     .priority = 2,
     .flags = COL_SCREEN | COL_CSV,
     .format = f_status,
     .key = k_status,
     .tone = tone_status},
    {.name = "LAT_MS",
     .help = "handshake latency (connect: SYN to established)",
     .width = 7,
     .wide = 8,
     .priority = 5,
     .flags = COL_NUM | COL_MS | COL_DESC | COL_SCREEN | COL_CSV,
     .format = f_lat,
     .key = k_lat},
    {.name = "RTT_MS",
     .help = "smoothed round-trip time at close",
     .width = 7,
     .wide = 8,
     .priority = 7,
     .flags = COL_NUM | COL_MS | COL_DESC | COL_CSV,
     .format = f_rtt,
     .key = k_rtt},
    {.name = "RTT_MIN_MS",
     .help = "smallest srtt tcp_probe saw ('-': none, as for a refused connect)",
     .width = 10,
     .wide = 10,
     .priority = 7,
     .flags = COL_NUM | COL_MS | COL_DESC | COL_SCREEN | COL_CSV,
     .format = f_rtt_min,
     .key = k_rtt_min},
    {.name = "RTT_AVG_MS",
     .help = "mean of the srtt samples (one a segment received)",
     .width = 10,
     .wide = 10,
     .priority = 6,
     .flags = COL_NUM | COL_MS | COL_DESC | COL_SCREEN | COL_CSV,
     .format = f_rtt_avg,
     .key = k_rtt_avg},
    {.name = "RTT_MAX_MS",
     .help = "largest srtt tcp_probe saw",
     .width = 10,
     .wide = 10,
     .priority = 7,
     .flags = COL_NUM | COL_MS | COL_DESC | COL_SCREEN | COL_CSV,
     .format = f_rtt_max,
     .key = k_rtt_max},
    {.name = "RETRANS",
     .help = "segments retransmitted",
     .width = 7,
     .wide = 7,
     .priority = 6,
     .flags = COL_NUM | COL_DESC | COL_SCREEN | COL_CSV,
     .format = f_retrans,
     .key = k_retrans},
    COL_NETNS(SV, conn, COL_CSV),
    /* last: CSV readers that count columns find the older ones where they were */
    COL_SERVICE(SV, svc, COL_SCREEN | COL_CSV),
};

static size_t count(const struct model *m, const struct pane_opts *o)
{
	return table_count(&m->open) + (o && o->hide_closed ? 0 : retain_count(&m->closed));
}

/* Open sessions, then closed ones, newest first. */
static size_t collect(const struct model *m, const struct pane_opts *o, const void **rows,
		      size_t max)
{
	size_t n = 0, pos = 0, nc = retain_count(&m->closed);
	const struct session *s;

	while (n < max && (s = table_next(&m->open, &pos)))
		rows[n++] = s;
	if (o && o->hide_closed)
		return n;
	for (size_t i = nc; i > 0 && n < max; i--)
		rows[n++] = retain_at(&m->closed, i - 1);
	return n;
}

static void fields(const void *row, struct row_fields *rf)
{
	row_fields_conn(rf, &S(row)->conn, &S(row)->owner);
	rf->service = S(row)->svc ? S(row)->svc->name : NULL;
	rf->state = S(row)->state;
	rf->state2 = 0;
}

static uint64_t row_ts(const void *row)
{
	return session_time(S(row));
}

/* Natural order: open by start, oldest first; then closed, newest first. */
static uint64_t natural(const void *row)
{
	const struct session *s = S(row);

	if (!(s->mflags & S_CLOSED))
		return session_time(s) >> 1;
	return (1ULL << 63) | (~s->end_ns >> 1);
}

static uint64_t let_go(const struct model *m)
{
	return m->closed.let_go;
}

static uint64_t ident(const void *row)
{
	return S(row)->sid;
}

static void note(const struct model *m, const struct pane_opts *o, char *buf, size_t n)
{
	snprintf(buf, n, "%zu open, %zu closed", table_count(&m->open), retain_count(&m->closed));
}

static bool is_self(const struct self_mark *s, const void *row)
{
	return self_is(s->conn, &S(row)->conn);
}

/* g: a row per session, or sessions summed up (pane_life_groups shows those). */
static const char *group_name(int mode)
{
	return life_group_name((enum life_group)mode);
}

static int group_get(const struct pane_opts *o)
{
	return o->life_group;
}

static void group_set(struct pane_opts *o, int mode)
{
	o->life_group = (enum life_group)mode;
}

static int group_for_filter(int mode, const struct filter *f)
{
	return life_group_for((enum life_group)mode, f);
}

static const struct pane_grouping grouping = {
    .modes = LG_MAX,
    .name = group_name,
    .get = group_get,
    .set = group_set,
    .for_filter = group_for_filter,
    .summed = &pane_life_groups,
    .said = "lifespans summed up by",
    .said_first = "lifespans: a row per session",
};

static uint64_t session_of(const void *row)
{
	return S(row)->sid;
}

const struct pane pane_lifespans = {
    .name = "lifespans",
    .title = "Lifespans",
    .empty = "no TCP sessions yet",
    .cols = cols,
    .ncols = PANE_NCOLS(cols),
    .default_sort = -1,
    .collect = collect,
    .count = count,
    .fields = fields,
    .ts = row_ts,
    .natural = natural,
    .ident = ident,
    .session = session_of,
    .row_size = sizeof(struct session),
    .let_go = let_go,
    .note = note,
    .is_self = is_self,
    .weight = 32,
    .grid = {.row = 0, .col = 0},
    .batch = BATCH_AT_CLOSE,
    .grouping = &grouping,
    .jobs = {"state", "rtt"},
};
