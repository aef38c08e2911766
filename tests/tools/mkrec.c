// SPDX-License-Identifier: GPL-2.0
/*
 * Makes recordings for the replay tests, through the recorder API.
 *   mkrec golden FILE     a fixed scenario: IPv4 and IPv6 sessions with known owners
 *                         and bytes, state changes, a refused and a timed-out connect,
 *                         retransmits, drops with reason names and symbols, a lost
 *                         close, ticks with throughput totals
 *   mkrec big FILE        numbers wider than their columns: a 1.4 GiB session of an
 *                         hour, a session open before tracing that moved 5 GiB, an
 *                         interval of 20 GiB, a handshake of 3 s, 123456789 retransmits
 *   mkrec newer FILE      a file header of format 2.0 (this tcpscope reads 1.x)
 *   mkrec fill FILE N     N records that barely compress (to fill a small disk)
 *   mkrec bench FILE N    time N realistic records through the recorder
 * FILE may be '-' (standard output). Existing files are replaced.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "views/recfmt.h"
#include "views/record.h"

#define S  1000000000ULL
#define T0 (1000 * S) /* the recording's monotonic start */

static struct recorder *rec;
static uint64_t written;

/* A write error ends the run the way tcpscope ends: the file keeps what was written. */
static void put(void *ev)
{
	char err[512];

	if (recorder_write(rec, ev)) {
		fprintf(stderr, "mkrec: %s\n", recorder_error(rec));
		recorder_close(rec, err, sizeof(err));
		exit(1);
	}
	written++;
}

static void hdr(struct ts_hdr *h, unsigned kind, size_t size, uint64_t ts)
{
	h->kind = (uint16_t)kind;
	h->size = (uint16_t)size;
	h->cpu = (uint32_t)(ts / 1000 % 2);
	h->ts_ns = ts;
}

static struct ts_conn conn(const char *l, uint16_t lport, const char *r, uint16_t rport)
{
	struct ts_conn c = {.lport = lport, .rport = rport, .netns = 4026531840u};
	int v6 = strchr(l, ':') != NULL;

	c.family = v6 ? 6 : 4;
	inet_pton(v6 ? AF_INET6 : AF_INET, l, c.laddr);
	inet_pton(v6 ? AF_INET6 : AF_INET, r, c.raddr);
	return c;
}

static struct ts_owner owner(uint32_t pid, const char *comm)
{
	struct ts_owner o = {.pid = pid, .tid = pid};

	memcpy(o.comm, comm, strnlen(comm, sizeof(o.comm)));
	return o;
}

static const struct ts_owner nobody;

static void meta(uint64_t ts)
{
	struct ts_ev_meta e = {0};

	hdr(&e.hdr, TS_K_META, sizeof(e), ts);
	e.realtime_ns = 1709294400LL * (int64_t)S; /* 2024-03-01 12:00:00 UTC */
	e.interval_ms = 1000;
	snprintf(e.host, sizeof(e.host), "golden-host");
	snprintf(e.kernel, sizeof(e.kernel), "6.18.0-test");
	snprintf(e.plan, sizeof(e.plan),
		 "state=tp_btf traffic=tp_btf accept=tp_btf retrans=tp_btf drops=tp_btf "
		 "existing=iter");
	put(&e);
}

static void reason(uint64_t ts, uint32_t r, const char *name)
{
	struct ts_ev_reason e = {0};

	hdr(&e.hdr, TS_K_REASON, sizeof(e), ts);
	e.reason = r;
	snprintf(e.name, sizeof(e.name), "%s", name);
	put(&e);
}

static void symbol(uint64_t ts, uint64_t addr, const char *name)
{
	struct ts_ev_symbol e = {0};

	hdr(&e.hdr, TS_K_SYMBOL, sizeof(e), ts);
	e.addr = addr;
	snprintf(e.name, sizeof(e.name), "%s", name);
	put(&e);
}

static void state(uint64_t sid, uint64_t ts, int old, int new, struct ts_conn c, struct ts_owner o,
		  int dir, uint64_t dt)
{
	struct ts_ev_state e = {0};

	hdr(&e.hdr, TS_K_STATE, sizeof(e), ts);
	e.sid = sid;
	e.conn = c;
	e.owner = o;
	e.oldstate = (uint8_t)old;
	e.newstate = (uint8_t) new;
	e.dir = (uint8_t)dir;
	e.flags = new == TS_ESTABLISHED ? TS_F_ESTABLISHED : 0;
	e.dt_ns = dt;
	put(&e);
}

struct close_info {
	int oldstate, dir, flags;
	uint32_t err, retrans, srtt_us;
	uint64_t start, lat, dt, tx, rx;
};

static void close_rec(uint64_t sid, uint64_t ts, struct ts_conn c, struct ts_owner o,
		      const struct close_info *i)
{
	struct ts_ev_close e = {0};

	hdr(&e.hdr, TS_K_CLOSE, sizeof(e), ts);
	e.sid = sid;
	e.conn = c;
	e.owner = o;
	e.oldstate = (uint8_t)i->oldstate;
	e.dir = (uint8_t)i->dir;
	e.flags = (uint8_t)i->flags;
	e.err = i->err;
	e.start_ns = i->start;
	e.lat_ns = i->lat;
	e.dt_ns = i->dt;
	e.tx_bytes = i->tx;
	e.rx_bytes = i->rx;
	e.app_tx = i->tx;
	e.app_rx = i->rx;
	e.retrans = i->retrans;
	e.srtt_us = i->srtt_us;
	put(&e);
}

static void owner_rec(uint64_t sid, uint64_t ts, struct ts_owner o)
{
	struct ts_ev_owner e = {0};

	hdr(&e.hdr, TS_K_OWNER, sizeof(e), ts);
	e.sid = sid;
	e.owner = o;
	put(&e);
}

static void tput(uint64_t sid, uint64_t ts, struct ts_conn c, struct ts_owner o, uint64_t start,
		 int dir, uint64_t tx, uint64_t rx)
{
	struct ts_ev_tput e = {0};

	hdr(&e.hdr, TS_K_TPUT, sizeof(e), ts);
	e.sid = sid;
	e.conn = c;
	e.owner = o;
	e.start_ns = start;
	e.app_tx = tx;
	e.app_rx = rx;
	e.dir = (uint8_t)dir;
	e.flags = TS_F_ESTABLISHED | (o.pid ? TS_F_OWNER_KNOWN : 0);
	put(&e);
}

static void retrans(uint64_t sid, uint64_t ts, struct ts_conn c, struct ts_owner o, int st,
		    int kind, uint32_t total)
{
	struct ts_ev_retrans e = {0};

	hdr(&e.hdr, TS_K_RETRANS, sizeof(e), ts);
	e.sid = sid;
	e.conn = c;
	e.owner = o;
	e.state = (uint8_t)st;
	e.kind = (uint8_t)kind;
	e.retrans = total;
	put(&e);
}

static void drop(uint64_t sid, uint64_t ts, struct ts_conn c, struct ts_owner o, uint32_t why,
		 uint64_t where, int st, int flags, uint32_t len)
{
	struct ts_ev_drop e = {0};

	hdr(&e.hdr, TS_K_DROP, sizeof(e), ts);
	e.sid = sid;
	e.conn = c;
	e.owner = o;
	e.reason = why;
	e.location = where;
	e.state = (uint8_t)st;
	e.tcp_flags = (uint8_t)flags;
	e.ingress = 1;
	e.len = len;
	put(&e);
}

static void tick(uint64_t ts, uint64_t lost, uint64_t open)
{
	struct ts_ev_tick e = {0};

	hdr(&e.hdr, TS_K_TICK, sizeof(e), ts);
	e.interval_ns = S;
	e.lost[TS_LOST_RINGBUF] = lost;
	e.open_sockets = open;
	put(&e);
}

static void existing(uint64_t sid, uint64_t ts, struct ts_conn c, uint64_t tx, uint64_t rx)
{
	struct ts_ev_existing e = {0};

	hdr(&e.hdr, TS_K_EXISTING, sizeof(e), ts);
	e.sid = sid;
	e.conn = c;
	e.ino = 31337;
	e.tx_bytes = tx;
	e.rx_bytes = rx;
	e.state = TS_ESTABLISHED;
	e.srtt_us = 150;
	put(&e);
}

static void gone(uint64_t sid, uint64_t ts)
{
	struct ts_ev_gone e = {0};

	hdr(&e.hdr, TS_K_GONE, sizeof(e), ts);
	e.sid = sid;
	put(&e);
}

#define MS	(S / 1000)
#define SYM_RCV 0xffffffff81b2c3d0ULL
#define SYM_NF	0xffffffff81b40010ULL

static void golden(void)
{
	struct ts_conn ssh_in = conn("10.0.0.1", 22, "10.0.0.9", 51000);
	struct ts_conn web0 = conn("10.0.0.1", 0, "93.184.216.34", 443);
	struct ts_conn web = conn("10.0.0.1", 40000, "93.184.216.34", 443);
	struct ts_conn srv = conn("10.0.0.1", 80, "10.0.0.7", 52000);
	struct ts_conn v6 = conn("2001:db8::1", 41000, "2001:db8::2", 22);
	struct ts_conn refused = conn("10.0.0.1", 40002, "10.0.0.3", 8080);
	struct ts_conn stuck = conn("10.0.0.1", 40003, "192.0.2.1", 443);
	struct ts_conn lost = conn("10.0.0.1", 40004, "10.0.0.5", 6379);
	struct ts_conn scan = conn("10.0.0.1", 9999, "10.0.0.9", 40001);
	struct ts_conn v6drop = conn("2001:db8::1", 443, "2001:db8::77", 60000);
	struct ts_owner curl = owner(1234, "curl"), curl2 = owner(1235, "curl"),
			nginx = owner(800, "nginx"), ssh = owner(4321, "ssh"),
			sshd = owner(700, "sshd"), redis = owner(900, "redis-cli");

	meta(T0);
	reason(T0, 2, "NOT_SPECIFIED");
	reason(T0, 3, "NO_SOCKET");
	reason(T0, 5, "TCP_CSUM");
	reason(T0, 16, "NETFILTER_DROP");
	symbol(T0, SYM_RCV, "tcp_v4_rcv+0x1a0");
	symbol(T0, SYM_NF, "nf_hook_slow+0x8c");
	existing(1, T0 + 1 * MS, ssh_in, 4096, 2048);
	owner_rec(1, T0 + 1 * MS, sshd);

	/* an outgoing HTTPS session: the port is learned after SYN_SENT */
	state(2, T0 + 100 * MS, TS_CLOSE, TS_SYN_SENT, web0, curl, TS_DIR_CONNECT, 0);
	state(2, T0 + 120 * MS, TS_SYN_SENT, TS_ESTABLISHED, web, curl, TS_DIR_CONNECT, 20 * MS);
	state(4, T0 + 200 * MS, TS_CLOSE, TS_SYN_SENT, v6, ssh, TS_DIR_CONNECT, 0);
	state(4, T0 + 250 * MS, TS_SYN_SENT, TS_ESTABLISHED, v6, ssh, TS_DIR_CONNECT, 50 * MS);
	/* an incoming one, its owner known once accept() returns */
	state(3, T0 + 300 * MS, TS_LISTEN, TS_SYN_RECV, srv, nobody, TS_DIR_ACCEPT, 0);
	state(3, T0 + 310 * MS, TS_SYN_RECV, TS_ESTABLISHED, srv, nobody, TS_DIR_ACCEPT, 10 * MS);
	owner_rec(3, T0 + 311 * MS, nginx);
	state(7, T0 + 400 * MS, TS_CLOSE, TS_SYN_SENT, lost, redis, TS_DIR_CONNECT, 0);
	state(7, T0 + 401 * MS, TS_SYN_SENT, TS_ESTABLISHED, lost, redis, TS_DIR_CONNECT, MS);

	tput(2, T0 + S, web, curl, T0 + 100 * MS, TS_DIR_CONNECT, 700, 60000);
	tput(3, T0 + S, srv, nginx, T0 + 300 * MS, TS_DIR_ACCEPT, 2000000, 400);
	tput(4, T0 + S, v6, ssh, T0 + 200 * MS, TS_DIR_CONNECT, 3000, 5000);
	tput(7, T0 + S, lost, redis, T0 + 400 * MS, TS_DIR_CONNECT, 64, 128);
	tick(T0 + S, 0, 6);

	/* a refused connect, and one that times out */
	state(5, T0 + 1100 * MS, TS_CLOSE, TS_SYN_SENT, refused, curl2, TS_DIR_CONNECT, 0);
	close_rec(5, T0 + 1101 * MS, refused, curl2,
		  &(struct close_info){.oldstate = TS_SYN_SENT,
				       .dir = TS_DIR_CONNECT,
				       .flags = TS_F_FAILED,
				       .err = ECONNREFUSED,
				       .start = T0 + 1100 * MS,
				       .dt = MS});
	state(6, T0 + 1200 * MS, TS_CLOSE, TS_SYN_SENT, stuck, curl2, TS_DIR_CONNECT, 0);
	retrans(2, T0 + 1500 * MS, web, curl, TS_ESTABLISHED, TS_RT_DATA, 1);
	drop(3, T0 + 1700 * MS, srv, nginx, 5, SYM_RCV, TS_ESTABLISHED, 0x18, 1448);

	tput(2, T0 + 2 * S, web, curl, T0 + 100 * MS, TS_DIR_CONNECT, 1500, 120000);
	tput(3, T0 + 2 * S, srv, nginx, T0 + 300 * MS, TS_DIR_ACCEPT, 4000000, 700);
	tput(4, T0 + 2 * S, v6, ssh, T0 + 200 * MS, TS_DIR_CONNECT, 9000, 15000);
	tick(T0 + 2 * S, 0, 6);

	state(2, T0 + 2200 * MS, TS_ESTABLISHED, TS_FIN_WAIT1, web, curl, TS_DIR_CONNECT,
	      2080 * MS);
	retrans(6, T0 + 2200 * MS, stuck, curl2, TS_SYN_SENT, TS_RT_SYN, 1);
	state(2, T0 + 2250 * MS, TS_FIN_WAIT1, TS_FIN_WAIT2, web, curl, TS_DIR_CONNECT, 50 * MS);
	close_rec(2, T0 + 2300 * MS, web, curl,
		  &(struct close_info){.oldstate = TS_FIN_WAIT2,
				       .dir = TS_DIR_CONNECT,
				       .flags = TS_F_ESTABLISHED | TS_F_OWNER_KNOWN,
				       .start = T0 + 100 * MS,
				       .lat = 20 * MS,
				       .dt = 50 * MS,
				       .tx = 1500,
				       .rx = 120000,
				       .retrans = 1,
				       .srtt_us = 20000});
	drop(0, T0 + 2700 * MS, scan, nobody, 3, SYM_RCV, 0, 0x02, 0);

	tput(3, T0 + 3 * S, srv, nginx, T0 + 300 * MS, TS_DIR_ACCEPT, 5000000, 800);
	tput(4, T0 + 3 * S, v6, ssh, T0 + 200 * MS, TS_DIR_CONNECT, 12000, 21000);
	gone(7, T0 + 3 * S);
	tick(T0 + 3 * S, 0, 4);

	close_rec(6, T0 + 3200 * MS, stuck, curl2,
		  &(struct close_info){.oldstate = TS_SYN_SENT,
				       .dir = TS_DIR_CONNECT,
				       .flags = TS_F_FAILED | TS_F_OWNER_KNOWN,
				       .err = ETIMEDOUT,
				       .start = T0 + 1200 * MS,
				       .dt = 2000 * MS,
				       .retrans = 1});
	drop(0, T0 + 3300 * MS, v6drop, nobody, 77, 0xffffffff81ffff00ULL, 0, 0x10, 20);
	drop(4, T0 + 3400 * MS, v6, ssh, 16, SYM_NF, TS_ESTABLISHED, 0x18, 512);
	state(3, T0 + 3500 * MS, TS_ESTABLISHED, TS_CLOSE_WAIT, srv, nginx, TS_DIR_ACCEPT,
	      3190 * MS);
	state(3, T0 + 3550 * MS, TS_CLOSE_WAIT, TS_LAST_ACK, srv, nginx, TS_DIR_ACCEPT, 50 * MS);
	close_rec(3, T0 + 3600 * MS, srv, nginx,
		  &(struct close_info){.oldstate = TS_LAST_ACK,
				       .dir = TS_DIR_ACCEPT,
				       .flags = TS_F_ESTABLISHED | TS_F_OWNER_KNOWN,
				       .start = T0 + 300 * MS,
				       .lat = 10 * MS,
				       .dt = 50 * MS,
				       .tx = 5000000,
				       .rx = 800,
				       .srtt_us = 350});

	tput(4, T0 + 4 * S, v6, ssh, T0 + 200 * MS, TS_DIR_CONNECT, 20000, 30000);
	tick(T0 + 4 * S, 3, 2);
}

#define GIB  (1024ULL * 1024 * 1024)
#define HOUR (3600 * S)

static void big(void)
{
	struct ts_conn ssh_in = conn("10.0.0.1", 22, "10.0.0.9", 51000);
	struct ts_conn scp = conn("10.0.0.1", 40010, "10.0.0.20", 22);
	struct ts_conn backup = conn("10.0.0.1", 40011, "10.0.0.30", 873);
	struct ts_conn slow = conn("10.0.0.1", 40012, "10.0.0.40", 443);
	struct ts_owner sshd = owner(700, "sshd"), scp_o = owner(1300, "scp"),
			rsync = owner(1400, "rsync"), curl = owner(1500, "curl");

	meta(T0);
	existing(1, T0 + MS, ssh_in, 5 * GIB, GIB);
	owner_rec(1, T0 + MS, sshd);
	state(2, T0 + 100 * MS, TS_CLOSE, TS_SYN_SENT, scp, scp_o, TS_DIR_CONNECT, 0);
	state(2, T0 + 120 * MS, TS_SYN_SENT, TS_ESTABLISHED, scp, scp_o, TS_DIR_CONNECT, 20 * MS);
	state(3, T0 + 200 * MS, TS_CLOSE, TS_SYN_SENT, backup, rsync, TS_DIR_CONNECT, 0);
	state(3, T0 + 210 * MS, TS_SYN_SENT, TS_ESTABLISHED, backup, rsync, TS_DIR_CONNECT,
	      10 * MS);
	/* a SYN sent three times: established after 3 s */
	state(4, T0 + 300 * MS, TS_CLOSE, TS_SYN_SENT, slow, curl, TS_DIR_CONNECT, 0);
	state(4, T0 + 3300 * MS, TS_SYN_SENT, TS_ESTABLISHED, slow, curl, TS_DIR_CONNECT, 3 * S);
	close_rec(4, T0 + 3400 * MS, slow, curl,
		  &(struct close_info){.oldstate = TS_FIN_WAIT2,
				       .dir = TS_DIR_CONNECT,
				       .flags = TS_F_ESTABLISHED | TS_F_OWNER_KNOWN,
				       .start = T0 + 300 * MS,
				       .lat = 3 * S,
				       .dt = 50 * MS,
				       .tx = 500,
				       .rx = 4000,
				       .srtt_us = 800});

	/* an hour later (a replay shortens the wait): the interval's bytes, then the close */
	tput(2, T0 + HOUR, scp, scp_o, T0 + 100 * MS, TS_DIR_CONNECT, 1503238553, 12345678);
	tput(3, T0 + HOUR, backup, rsync, T0 + 200 * MS, TS_DIR_CONNECT, 20 * GIB, 1000);
	tick(T0 + HOUR, 0, 3);
	retrans(3, T0 + HOUR + 100 * MS, backup, rsync, TS_ESTABLISHED, TS_RT_DATA, 123456789);
	state(2, T0 + HOUR + 120 * MS, TS_ESTABLISHED, TS_FIN_WAIT1, scp, scp_o, TS_DIR_CONNECT,
	      HOUR);
	close_rec(2, T0 + HOUR + 130 * MS, scp, scp_o,
		  &(struct close_info){.oldstate = TS_FIN_WAIT2,
				       .dir = TS_DIR_CONNECT,
				       .flags = TS_F_ESTABLISHED | TS_F_OWNER_KNOWN,
				       .start = T0 + 100 * MS,
				       .lat = 20 * MS,
				       .dt = 5 * MS,
				       .tx = 1503238553,
				       .rx = 12345678,
				       .srtt_us = 1500});
}

/* Records whose bytes are random: a chunk barely shrinks. */
static void fill(unsigned long n)
{
	uint64_t x = 88172645463325252ULL;

	for (unsigned long i = 0; i < n; i++) {
		struct ts_ev_drop e = {0};
		uint64_t *w = (uint64_t *)&e;

		for (size_t k = 0; k < sizeof(e) / 8; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			w[k] = x;
		}
		hdr(&e.hdr, TS_K_DROP, sizeof(e), T0 + i * MS);
		e.conn.family = 4;
		e.state = 0;
		put(&e);
	}
}

/* Sessions as a busy host makes them: connect, establish, close, a tick per 10000. */
static void bench(unsigned long n)
{
	struct ts_conn c = conn("127.0.0.1", 40000, "127.0.0.1", 8080);
	struct ts_owner o = owner(4242, "client");
	struct timespec a, b;
	uint64_t ts = T0;
	unsigned long i;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; written < n; i++) {
		c.lport = (uint16_t)(32768 + i % 28000);
		state(i, ts += 3000, TS_CLOSE, TS_SYN_SENT, c, o, TS_DIR_CONNECT, 0);
		state(i, ts += 3000, TS_SYN_SENT, TS_ESTABLISHED, c, o, TS_DIR_CONNECT, 3000);
		close_rec(i, ts += 9000, c, o,
			  &(struct close_info){.oldstate = TS_FIN_WAIT2,
					       .dir = TS_DIR_CONNECT,
					       .flags = TS_F_ESTABLISHED,
					       .start = ts - 15000,
					       .lat = 3000,
					       .tx = 100,
					       .rx = 1000});
		if (i % 10000 == 9999)
			tick(ts, 0, 10);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	fprintf(stderr, "mkrec: %llu records in %.3f s: %.0f ns per record\n",
		(unsigned long long)written,
		(double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9,
		((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) /
		    (double)written);
}

/* A valid header of a format this tcpscope does not read, then noise. */
static int newer(const char *path)
{
	struct recfmt_header h = {
	    .major = RECFMT_MAJOR + 1, .len = RECFMT_HDR_LEN, .compression = RECFMT_DEFLATE};
	uint8_t b[RECFMT_HDR_LEN];
	FILE *f = fopen(path, "w");

	if (!f)
		return 1;
	recfmt_header_encode(b, &h);
	fwrite(b, 1, sizeof(b), f);
	fputs("records of a future format\n", f);
	return fclose(f) ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *what = argc > 2 ? argv[1] : "", *path = argc > 2 ? argv[2] : NULL;
	unsigned long n = argc > 3 ? strtoul(argv[3], NULL, 10) : 0;
	char err[512];

	if (!strcmp(what, "newer"))
		return newer(path);
	if (strcmp(what, "golden") && strcmp(what, "big") &&
	    ((strcmp(what, "fill") && strcmp(what, "bench")) || !n)) {
		fprintf(stderr, "usage: mkrec golden FILE | big FILE | newer FILE | fill FILE N | "
				"bench FILE N\n");
		return 2;
	}
	rec = recorder_open(path, true, err, sizeof(err));
	if (!rec) {
		fprintf(stderr, "mkrec: %s\n", err);
		return 1;
	}
	if (!strcmp(what, "golden"))
		golden();
	else if (!strcmp(what, "big"))
		big();
	else if (!strcmp(what, "fill"))
		fill(n);
	else
		bench(n);
	if (recorder_close(rec, err, sizeof(err))) {
		fprintf(stderr, "mkrec: %s\n", err);
		return 1;
	}
	return 0;
}
