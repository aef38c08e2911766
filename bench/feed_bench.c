// SPDX-License-Identifier: GPL-2.0
/*
 * feed_bench: memory and per-record cost of the model over a long churn,
 * without waiting for it in real time. A synthetic stream shaped like the
 * live source's under loopback churn (both ends of every connection: the
 * state changes, the accept-side owner, the close with its totals, a tick
 * every TICK connections) goes through model_apply; at each tick the four
 * panes' rows are rebuilt, as the screen does. Peak RSS (VmHWM) is printed
 * at checkpoints, so growth after the first million shows.
 *
 *   feed_bench [-n SESSIONS] [-t CONNS_PER_TICK] [-c CHECKPOINTS] [-w FILE]
 *
 * -w FILE also writes the stream as a recording, for the real program to
 * replay (tcpscope --replay FILE): the same sessions through its screen.
 *
 * Prints:  at sessions=N hwm_kb=K rss_kb=K
 *          done sessions=N records=N secs=F ns_per_record=F hwm_kb=K
 *               open=N closed_kept=N dropped_open=N lost_closes=N
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "views/model.h"
#include "views/pane.h"
#include "views/record.h"
#include "views/rows.h"

#define S_NS 1000000000ULL

static uint64_t records;
static struct recorder *rec;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long status_kb(const char *field)
{
	char line[256];
	size_t n = strlen(field);
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, n) && line[n] == ':') {
			kb = strtol(line + n + 1, NULL, 10);
			break;
		}
	fclose(f);
	return kb;
}

static void hdr(struct ts_hdr *h, unsigned kind, size_t size, uint64_t ts)
{
	h->kind = (uint16_t)kind;
	h->size = (uint16_t)size;
	h->cpu = (uint32_t)(ts & 1);
	h->ts_ns = ts;
}

static void apply(struct model *m, void *ev)
{
	records++;
	if (rec && recorder_write(rec, ev)) {
		fprintf(stderr, "feed_bench: recording: %s\n", recorder_error(rec));
		exit(1);
	}
	if (model_apply(m, ev)) {
		fprintf(stderr, "feed_bench: the model refused a record\n");
		exit(1);
	}
}

static void state(struct model *m, uint64_t ts, uint64_t sid, const struct ts_conn *c,
		  const struct ts_owner *o, int old, int new, int dir, int flags)
{
	struct ts_ev_state e;

	memset(&e, 0, sizeof(e));
	hdr(&e.hdr, TS_K_STATE, sizeof(e), ts);
	e.sid = sid;
	e.conn = *c;
	if (o)
		e.owner = *o;
	e.oldstate = (uint8_t)old;
	e.newstate = (uint8_t) new;
	e.dir = (uint8_t)dir;
	e.flags = (uint8_t)flags;
	e.dt_ns = 20000;
	apply(m, &e);
}

static void closed(struct model *m, uint64_t ts, uint64_t sid, const struct ts_conn *c,
		   const struct ts_owner *o, int old, int dir, uint64_t tx, uint64_t rx)
{
	struct ts_ev_close e;

	memset(&e, 0, sizeof(e));
	hdr(&e.hdr, TS_K_CLOSE, sizeof(e), ts);
	e.sid = sid;
	e.conn = *c;
	e.owner = *o;
	e.oldstate = (uint8_t)old;
	e.dir = (uint8_t)dir;
	e.flags = TS_F_OWNER_KNOWN | TS_F_ESTABLISHED;
	e.start_ns = ts - 100000;
	e.lat_ns = 30000;
	e.dt_ns = 20000;
	e.tx_bytes = e.app_tx = tx;
	e.rx_bytes = e.app_rx = rx;
	e.srtt_us = 40;
	apply(m, &e);
}

/* One loopback connection, both ends, as the kernel side reports it. */
static void connection(struct model *m, uint64_t i, uint64_t ts)
{
	uint16_t cport = (uint16_t)(32768 + i % 28232);
	struct ts_conn cc = {.family = 4, .lport = cport, .rport = 8080, .netns = 4026531840u};
	struct ts_conn sc = {.family = 4, .lport = 8080, .rport = cport, .netns = 4026531840u};
	struct ts_owner client = {.pid = 4242, .tid = 4243 + (uint32_t)(i & 1), .comm = "tcpgen"};
	struct ts_owner server = {.pid = 4245, .tid = 4246 + (uint32_t)(i & 1), .comm = "tcpgen"};
	uint64_t csid = 2 * i + 1, ssid = 2 * i + 2;
	struct ts_ev_owner own;

	cc.laddr[0] = cc.raddr[0] = sc.laddr[0] = sc.raddr[0] = 127;
	cc.laddr[3] = cc.raddr[3] = sc.laddr[3] = sc.raddr[3] = 1;
	/* connect() enters SYN_SENT before the port is chosen */
	cc.lport = 0;
	state(m, ts, csid, &cc, &client, TS_CLOSE, TS_SYN_SENT, TS_DIR_CONNECT, TS_F_OWNER_KNOWN);
	cc.lport = cport;
	state(m, ts + 1000, ssid, &sc, NULL, TS_CLOSE, TS_SYN_RECV, TS_DIR_ACCEPT, 0);
	state(m, ts + 2000, csid, &cc, &client, TS_SYN_SENT, TS_ESTABLISHED, TS_DIR_CONNECT,
	      TS_F_OWNER_KNOWN | TS_F_ESTABLISHED);
	state(m, ts + 3000, ssid, &sc, NULL, TS_SYN_RECV, TS_ESTABLISHED, TS_DIR_ACCEPT,
	      TS_F_ESTABLISHED);
	memset(&own, 0, sizeof(own));
	hdr(&own.hdr, TS_K_OWNER, sizeof(own), ts + 4000);
	own.sid = ssid;
	own.owner = server;
	apply(m, &own);
	state(m, ts + 5000, ssid, &sc, &server, TS_ESTABLISHED, TS_FIN_WAIT1, TS_DIR_ACCEPT,
	      TS_F_OWNER_KNOWN | TS_F_ESTABLISHED | TS_F_FIN_SENT);
	state(m, ts + 6000, csid, &cc, &client, TS_ESTABLISHED, TS_CLOSE_WAIT, TS_DIR_CONNECT,
	      TS_F_OWNER_KNOWN | TS_F_ESTABLISHED);
	state(m, ts + 7000, ssid, &sc, &server, TS_FIN_WAIT1, TS_FIN_WAIT2, TS_DIR_ACCEPT,
	      TS_F_OWNER_KNOWN | TS_F_ESTABLISHED | TS_F_FIN_SENT);
	state(m, ts + 8000, csid, &cc, &client, TS_CLOSE_WAIT, TS_LAST_ACK, TS_DIR_CONNECT,
	      TS_F_OWNER_KNOWN | TS_F_ESTABLISHED | TS_F_FIN_SENT);
	closed(m, ts + 9000, ssid, &sc, &server, TS_FIN_WAIT2, TS_DIR_ACCEPT, 1000, 100);
	closed(m, ts + 10000, csid, &cc, &client, TS_LAST_ACK, TS_DIR_CONNECT, 100, 1000);
}

static void tick(struct model *m, uint64_t ts, struct rowset *rs)
{
	struct ts_ev_tick t;

	memset(&t, 0, sizeof(t));
	hdr(&t.hdr, TS_K_TICK, sizeof(t), ts);
	t.interval_ns = S_NS;
	apply(m, &t);
	/* what the screen rebuilds after every tick */
	for (int p = 0; p < P_MAX; p++) {
		const struct pane *pane = pane_get((enum pane_id)p);
		struct fmt_ctx f = {m, 0, m->st.now_ns, m->st.first_ns};
		struct pane_opts po = {0};
		struct sort_spec s;

		sort_default(pane, &s);
		if (rows_build(&rs[p], pane, m, &po, NULL, &s, &f)) {
			fprintf(stderr, "feed_bench: out of memory building rows\n");
			exit(1);
		}
	}
}

int main(int argc, char **argv)
{
	uint64_t sessions = 10000000, per_tick = 30000, ts = 1000 * S_NS;
	int checkpoints = 10, c;
	const char *path = NULL;
	char err[256];
	struct model_config cfg;
	struct rowset rs[P_MAX] = {0};
	struct model m;
	double t0;

	while ((c = getopt(argc, argv, "n:t:c:w:")) != -1) {
		switch (c) {
		case 'n':
			sessions = strtoull(optarg, NULL, 10);
			break;
		case 't':
			per_tick = strtoull(optarg, NULL, 10);
			break;
		case 'c':
			checkpoints = atoi(optarg);
			break;
		case 'w':
			path = optarg;
			break;
		default:
			fprintf(stderr, "usage: feed_bench [-n SESSIONS] [-t CONNS_PER_TICK] "
					"[-c CHECKPOINTS] [-w FILE]\n");
			return 2;
		}
	}
	if (!per_tick || checkpoints < 1)
		return 2;
	model_config_default(&cfg);
	if (model_init(&m, &cfg)) {
		fprintf(stderr, "feed_bench: out of memory\n");
		return 1;
	}
	if (path) {
		struct ts_ev_meta meta;

		rec = recorder_open(path, true, err, sizeof(err));
		if (!rec) {
			fprintf(stderr, "feed_bench: %s: %s\n", path, err);
			return 1;
		}
		memset(&meta, 0, sizeof(meta));
		hdr(&meta.hdr, TS_K_META, sizeof(meta), ts);
		meta.realtime_ns = (int64_t)time(NULL) * (int64_t)S_NS;
		meta.interval_ms = (uint32_t)(1000 * 30000 / per_tick);
		snprintf(meta.host, sizeof(meta.host), "feed_bench");
		snprintf(meta.plan, sizeof(meta.plan), "synthetic loopback churn");
		apply(&m, &meta);
	}
	uint64_t conns = sessions / 2, step = conns / (uint64_t)checkpoints;
	t0 = now_s();
	for (uint64_t i = 0; i < conns; i++) {
		connection(&m, i, ts);
		ts += S_NS / per_tick;
		if ((i + 1) % per_tick == 0)
			tick(&m, ts, rs);
		if (step && (i + 1) % step == 0)
			printf("at sessions=%llu hwm_kb=%ld rss_kb=%ld\n",
			       (unsigned long long)(2 * (i + 1)), status_kb("VmHWM"),
			       status_kb("VmRSS"));
	}
	tick(&m, ts, rs);
	double secs = now_s() - t0;
	printf("done sessions=%llu records=%llu secs=%.2f ns_per_record=%.1f hwm_kb=%ld "
	       "open=%zu closed_kept=%zu dropped_open=%llu lost_closes=%llu\n",
	       (unsigned long long)(2 * conns), (unsigned long long)records, secs,
	       records ? secs * 1e9 / (double)records : 0, status_kb("VmHWM"), table_count(&m.open),
	       retain_count(&m.closed), (unsigned long long)m.st.dropped_open,
	       (unsigned long long)m.st.lost_closes);
	for (int p = 0; p < P_MAX; p++)
		rows_free(&rs[p]);
	model_free(&m);
	if (rec && recorder_close(rec, err, sizeof(err))) {
		fprintf(stderr, "feed_bench: %s: %s\n", path, err);
		return 1;
	}
	return 0;
}
