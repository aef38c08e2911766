// SPDX-License-Identifier: GPL-2.0
/*
 * A connection's page: Enter on a row that is one connection (Lifespans,
 * Throughput by socket, States, Events) shows its ends and owner, its
 * TX, RX and RTT interval by interval, its windows, and its timeline:
 * every state change and event in the order they came. It follows the
 * connection while it is open and stays readable after it closed; Esc, q
 * or Enter go back to the panes as they were. views/connpage.c gathers
 * what it shows; this file only draws it and takes its keys.
 */
#define NCURSES_WIDECHAR 1
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <curses.h>
#include "term.h"
#include "ui.h"
#include "views/format.h"
#include "views/safefile.h"
#include "views/session_values.h"
#include "views/text.h"

#define GRAPH_WIDTH  30	  /* intervals in each graph */
#define PROC_READ_MS 1000 /* how often the owner is looked up again in /proc */

static void line(int y, int w, const char *s, int attr)
{
	char buf[1024];

	if (w <= 0)
		return;
	text_fit(buf, sizeof(buf), s, w, 0, 1);
	attron(attr);
	mvaddstr(y, 0, buf);
	attroff(attr);
}

/* The page's data again, unless the display is paused; the owner from /proc now and then. */
static void refresh_page(struct ui *ui)
{
	struct page_view *p = &ui->page;
	const struct session *s = &p->data.s;
	uint64_t now = ui_now_ms();

	if (!ui->paused || !p->data.found)
		conn_page_build(&p->data, ui->m, p->sid);
	/* a replay's processes ran on another host, or long ago */
	if (ui->ctx->o->replay || !s->owner.pid || now - p->proc_ms < PROC_READ_MS)
		return;
	proc_info_read(s->owner.pid, s->owner.comm, &p->proc);
	p->proc_ms = now;
}

int ui_page_open(struct ui *ui)
{
	struct screen_pane *v = &ui->panes[ui->focus];
	const void *row = v->rows.n ? v->rows.rows[v->sel] : NULL;
	uint64_t sid = row && v->p->session ? v->p->session(row) : 0;

	if (!row) {
		ui_set_status(ui, true, "no row selected");
		return R_REDRAW;
	}
	if (!sid) {
		ui_set_status(ui, true, "a row of %s is not one connection%s", v->p->title,
			      v->base->grouping ? " (g: a grouping that is)" : "");
		return R_REDRAW;
	}
	conn_page_free(&ui->page.data);
	memset(&ui->page, 0, sizeof(ui->page));
	ui->page.open = true;
	ui->page.sid = sid;
	ui->page.follow = true;
	refresh_page(ui);
	return R_REDRAW;
}

void ui_page_free(struct ui *ui)
{
	conn_page_free(&ui->page.data);
}

static int export_timeline(struct ui *ui)
{
	const char *dir = ui->export_dir ? ui->export_dir : ".";
	char path[512], err[512], stamp[32];
	time_t now = time(NULL);
	struct safefile *sf;
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	snprintf(path, sizeof(path), "%s/tcpscope-connection-%llx-%s.csv", dir,
		 (unsigned long long)ui->page.sid, stamp);
	sf = safefile_create(path, ui->force, err, sizeof(err));
	if (sf) {
		conn_page_csv(safefile_stream(sf), ui->m, &ui->page.data);
		if (!safefile_commit(sf, err, sizeof(err))) {
			ui_set_status(ui, false, "wrote %s (%zu lines)", path, ui->page.data.n);
			return R_REDRAW;
		}
	}
	ui_set_status(ui, true, "%s", err);
	return R_REDRAW;
}

/* Scroll the timeline: the newest line stays in view until scrolled away from. */
static int scroll_timeline(struct ui *ui, enum action a)
{
	struct page_view *p = &ui->page;
	size_t n = p->data.n, rows = p->timeline_rows > 1 ? (size_t)p->timeline_rows : 1;
	size_t last = n > rows ? n - rows : 0;
	size_t top = p->follow ? last : p->top;

	if (a == ACT_UP)
		top = top ? top - 1 : 0;
	else if (a == ACT_DOWN)
		top++;
	else if (a == ACT_PAGE_UP)
		top = top > rows - 1 ? top - (rows - 1) : 0;
	else if (a == ACT_PAGE_DOWN)
		top += rows - 1;
	else if (a == ACT_TOP)
		top = 0;
	else
		top = last;
	p->top = top < last ? top : last;
	p->follow = p->top == last;
	return R_REDRAW;
}

int ui_page_key(struct ui *ui, int key)
{
	enum action a = keymap_lookup(&ui->keys, key);

	switch (a) {
	case ACT_QUIT:
	case ACT_FILTER_CLEAR:
	case ACT_PAGE:
		ui->page.open = false; /* the panes as they were: focus, selection, zoom */
		return R_REBUILD;
	case ACT_UP:
	case ACT_DOWN:
	case ACT_PAGE_UP:
	case ACT_PAGE_DOWN:
	case ACT_TOP:
	case ACT_BOTTOM:
		return scroll_timeline(ui, a);
	case ACT_EXPORT:
		return export_timeline(ui);
	case ACT_HELP:
	case ACT_PAUSE:
	case ACT_SLOWER:
	case ACT_FASTER:
	case ACT_REDRAW:
		return ui_act(ui, a);
	case ACT_NONE:
		return R_NONE;
	default:
		ui_set_status(ui, false, "a connection's page: Esc, q or Enter go back");
		return R_REDRAW;
	}
}

static void ms_text(uint64_t us, char *b, size_t n)
{
	fmt_fixed(us * 1000, 1000000, 3, b, n);
}

static void ends_line(const struct ui *ui, int y)
{
	const struct session *s = &ui->page.data.s;
	struct fmt_ctx f = ui_fmt(ui);
	char l[64], r[64], status[32], dur[32], text[512];

	fmt_addr_port(&s->conn, s->conn.laddr, s->conn.lport, l, sizeof(l));
	fmt_addr_port(&s->conn, s->conn.raddr, s->conn.rport, r, sizeof(r));
	session_status(s, status, sizeof(status));
	fmt_ms(session_duration(s, f.now_ns), dur, sizeof(dur));
	snprintf(text, sizeof(text), " Connection %s -> %s  IPv%u  %s  %s %s ms%s", l, r,
		 s->conn.family, ui->page.data.open ? "open" : status,
		 ui->page.data.open ? "for" : "after", dur,
		 !ui->page.data.found ? "  (no longer kept: as last seen)" : "");
	line(y, ui->cols, text, term_attr(C_TITLE_FOCUS));
}

static void session_line(const struct ui *ui, int y)
{
	const struct session *s = &ui->page.data.s;
	char lat[32] = "-", text[512];

	if (s->lat_ns)
		fmt_fixed(s->lat_ns, 1000000, 3, lat, sizeof(lat));
	snprintf(text, sizeof(text),
		 "  direction %s   state %s   handshake %s ms   retransmits %u   netns %u   "
		 "session %llx",
		 session_dir_name(s), state_name(s->state), lat, s->retrans, s->conn.netns,
		 (unsigned long long)s->sid);
	line(y, ui->cols, text, 0);
}

static void owner_lines(const struct ui *ui, int y)
{
	const struct page_view *p = &ui->page;
	const struct session *s = &p->data.s;
	char comm[64], text[1024];

	if (!s->owner.pid) {
		line(y, ui->cols, "  owner     unknown (no process was seen using it)", 0);
		return;
	}
	fmt_comm(&s->owner, comm, sizeof(comm));
	if (ui->ctx->o->replay) {
		snprintf(text, sizeof(text), "  owner     PID %u %s   (a replay: not looked up)",
			 s->owner.pid, comm);
		line(y, ui->cols, text, 0);
		return;
	}
	if (!p->proc.alive) {
		snprintf(text, sizeof(text), "  owner     PID %u %s   (no longer running)",
			 s->owner.pid, comm);
		line(y, ui->cols, text, 0);
		return;
	}
	snprintf(text, sizeof(text), "  owner     PID %u %s   user %s   cgroup %s", s->owner.pid,
		 comm, p->proc.user, p->proc.cgroup);
	line(y, ui->cols, text, 0);
	snprintf(text, sizeof(text), "  command   %s", p->proc.cmdline);
	line(y + 1, ui->cols, text, 0);
}

/* TX, RX and srtt per interval, from the connection's log. */
static void graphs(const struct ui *ui, int y)
{
	const struct conn_page *d = &ui->page.data;
	const struct session *s = &d->s;
	uint64_t tx[GRAPH_WIDTH], rx[GRAPH_WIDTH], rtt[GRAPH_WIDTH];
	size_t n = 0, kept = d->log ? connlog_kept_points(d->log) : 0;
	char g[256], a[32], b[32], c[32], e[32], text[512];

	for (size_t i = kept > GRAPH_WIDTH ? kept - GRAPH_WIDTH : 0; i < kept; i++, n++) {
		const struct tl_point *pt = connlog_point_at(d->log, i);

		tx[n] = pt->tx;
		rx[n] = pt->rx;
		rtt[n] = pt->srtt_us;
	}
	ui_sparkline(ui, tx, n, GRAPH_WIDTH, g, sizeof(g));
	fmt_bytes_human(session_tx(s), a, sizeof(a));
	fmt_bytes_human(n ? tx[n - 1] : 0, b, sizeof(b));
	snprintf(text, sizeof(text), "  TX  %-*s  total %sB, last interval %sB%s", GRAPH_WIDTH, g,
		 a, b, n ? "" : "  (no intervals kept of it)");
	line(y, ui->cols, text, term_attr(C_TX));
	ui_sparkline(ui, rx, n, GRAPH_WIDTH, g, sizeof(g));
	fmt_bytes_human(session_rx(s), a, sizeof(a));
	fmt_bytes_human(n ? rx[n - 1] : 0, b, sizeof(b));
	snprintf(text, sizeof(text), "  RX  %-*s  total %sB, last interval %sB", GRAPH_WIDTH, g, a,
		 b);
	line(y + 1, ui->cols, text, term_attr(C_RX));
	ui_sparkline(ui, rtt, n, GRAPH_WIDTH, g, sizeof(g));
	if (!s->rtt.samples && d->open && s->rtt.last_us) {
		/* read from the socket (sock_now) where tcp_probe's record has none */
		ms_text(s->rtt.last_us, a, sizeof(a));
		snprintf(text, sizeof(text),
			 "  RTT %-*s  now %s ms  (tcp_probe gave no samples of it)", GRAPH_WIDTH, g,
			 a);
	} else if (!s->rtt.samples) {
		snprintf(text, sizeof(text),
			 "  RTT %-*s  no samples (tcp_probe saw no segment of it)", GRAPH_WIDTH, g);
	} else {
		ms_text(s->rtt.last_us, a, sizeof(a));
		ms_text(s->rtt.min_us, b, sizeof(b));
		ms_text(s->rtt.sum_us / s->rtt.samples, c, sizeof(c));
		ms_text(s->rtt.max_us, e, sizeof(e));
		snprintf(text, sizeof(text),
			 "  RTT %-*s  %s%s%s ms  min %s  avg %s  max %s ms  (%u samples)",
			 GRAPH_WIDTH, g, d->open ? "now " : "last ", a, "", b, c, e,
			 s->rtt.samples);
	}
	line(y + 2, ui->cols, text, 0);
}

static const char *ca_name(unsigned ca)
{
	static const char *const names[] = {"Open", "Disorder", "CWR", "Recovery", "Loss"};

	return ca < 5 ? names[ca] : "?";
}

static void windows_line(const struct ui *ui, int y)
{
	const struct ts_rtt *r = &ui->page.data.s.rtt;
	char snd[32], rcv[32], ss[32], text[256];

	if (!r->samples && !r->snd_cwnd) {
		line(y, ui->cols, "  windows   unknown (tcp_probe saw no segment of it)", 0);
		return;
	}
	fmt_bytes_human(r->snd_wnd, snd, sizeof(snd));
	fmt_bytes_human(r->rcv_wnd, rcv, sizeof(rcv));
	/* a ssthresh the kernel has not set yet is "infinite" */
	if (r->ssthresh >= 0x7fffffff)
		snprintf(ss, sizeof(ss), "-");
	else
		snprintf(ss, sizeof(ss), "%u", r->ssthresh);
	snprintf(text, sizeof(text),
		 "  cwnd %u   ssthresh %s   send window %sB   receive window %sB   congestion %s",
		 r->snd_cwnd, ss, snd, rcv, ca_name(r->ca_state));
	line(y, ui->cols, text, 0);
}

static void timeline_title(const struct ui *ui, int y)
{
	const struct conn_page *d = &ui->page.data;
	char text[256];
	size_t o;

	o = (size_t)snprintf(text, sizeof(text), " Timeline  %zu lines", d->n);
	if (d->let_go)
		o += (size_t)snprintf(text + o, sizeof(text) - o, ", %llu older let go",
				      (unsigned long long)d->let_go);
	if (d->shared && o < sizeof(text))
		snprintf(text + o, sizeof(text) - o,
			 "  (from the shared logs: its own log was let go)");
	line(y, ui->cols, text, term_attr(C_TITLE));
}

static void timeline_line(const struct ui *ui, int y, const struct tl_line *l)
{
	char t[40], text[512], ms[32];

	conn_page_when(ui->m, l->ts_ns, t, sizeof(t));
	if (l->state && l->dt_ns) {
		fmt_fixed(l->dt_ns, 1000000, 3, ms, sizeof(ms));
		snprintf(text, sizeof(text), "  %s  %-14s %s -> %s   after %s ms in %s", t, l->type,
			 state_name(l->old), state_name(l->new), ms, state_name(l->old));
	} else if (l->state) {
		snprintf(text, sizeof(text), "  %s  %-14s %s -> %s", t, l->type, state_name(l->old),
			 state_name(l->new));
	} else {
		snprintf(text, sizeof(text), "  %s  %-14s %-11s %s", t, l->type,
			 l->ev_state ? state_name(l->ev_state) : "-", l->detail);
	}
	line(y, ui->cols, text, l->bad ? term_attr(C_BAD) : 0);
}

void ui_draw_page(struct ui *ui)
{
	struct page_view *p = &ui->page;
	int y = 2, bottom = ui->lines - 1;
	size_t first;

	refresh_page(ui);
	if (!p->data.found && !p->data.s.sid) {
		line(y, ui->cols, " This connection is no longer kept (Esc: back)",
		     term_attr(C_TITLE_FOCUS));
		return;
	}
	ends_line(ui, y++);
	session_line(ui, y++);
	owner_lines(ui, y);
	y += ui->ctx->o->replay || !p->proc.alive ? 1 : 2;
	graphs(ui, y);
	y += 3;
	windows_line(ui, y++);
	timeline_title(ui, y++);
	p->timeline_rows = bottom - y > 0 ? bottom - y : 0;
	first = p->data.n > (size_t)p->timeline_rows ? p->data.n - (size_t)p->timeline_rows : 0;
	if (!p->follow && p->top < first)
		first = p->top;
	else
		p->top = first;
	for (size_t i = first; i < p->data.n && y < bottom; i++)
		timeline_line(ui, y++, &p->data.lines[i]);
}
