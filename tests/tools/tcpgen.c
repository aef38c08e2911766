// SPDX-License-Identifier: GPL-2.0
/*
 * tcpgen: TCP traffic with known byte counts, and the ground truth of it.
 *
 *   tcpgen server -a ADDR -p PORT [-n COUNT] [-s SEND] [-r RECV] [options]
 *   tcpgen client -a ADDR -p PORT [-n COUNT] [-s SEND] [-r RECV] [options]
 *   tcpgen churn  -a ADDR -p PORT [-t THREADS] [-d SECS] [-s SEND] [-r RECV] [-o TRUTH.csv]
 *
 * server: accepts COUNT connections one at a time; on each reads exactly RECV
 * bytes, then sends SEND bytes, then closes. client: connects COUNT times; on
 * each sends SEND bytes, then reads exactly RECV bytes, then closes. Each end
 * prints one line per connection, from its own point of view:
 *
 *   conn side=client pid=P laddr=A lport=N raddr=A rport=N tx=N rx=N ms=F
 *   fail side=client pid=P laddr=A lport=N raddr=A rport=N err=ECONNREFUSED
 *
 * (After a failed connect the socket has forgotten its local address, not its
 * port: laddr is then the wildcard. A connect that times out is err=EINPROGRESS.)
 *
 * One end closes first (--first-close, default server, as HTTP/1.0 servers
 * do); the other waits for its end-of-file, then closes, so both ends' byte
 * counts are final and acknowledged when they close. --linger0 makes the
 * first closer reset instead (then its last bytes may be unacknowledged).
 *
 * --pace MS sleeps MS milliseconds after each 64 KiB sent, to spread a bulk
 * transfer over time (several throughput intervals).
 *
 * --stall-read FILE: the server reads nothing until FILE exists; meanwhile
 * the client's bytes fill its receive queue and the window closes (a
 * reader that does not read).
 *
 * --sendfile sends with sendfile(2) from a memory file, as web servers send
 * static files (the kernel's path for it differs from send()'s).
 *
 * --hold FILE splits each connection in two halves: after the first half in
 * both directions, the client creates its --ready file and both ends wait for
 * FILE to exist before moving the second half.
 *
 * churn: forks a server process (own PID, THREADS accepting threads) and runs
 * THREADS client threads for SECS seconds as fast as they go; -s and -r are
 * the client's. It prints the connections made and the rate; -o writes every
 * connection's ground truth as CSV (side,pid,lport,rport,tx,rx), buffered in
 * memory while running and written at the end.
 *
 * Every wait is bounded: sockets time out after -T seconds (default 10),
 * --hold after 60. tcpgen only ever connects to the address it is given.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHUNK	    (64 * 1024)
#define HOLD_MAX_S  60
#define MAX_THREADS 64

struct opts {
	const char *mode;
	struct sockaddr_storage addr;
	socklen_t addrlen;
	unsigned long count;
	uint64_t send, recv;
	const char *ready, *hold, *truth;
	const char *stall; /* --stall-read FILE */
	bool linger0;
	bool server_first;
	double timeout_s;
	unsigned threads;
	double duration_s;
	double pace_ms;
	int sendfile_fd; /* --sendfile: a CHUNK-sized memory file; -1: send() */
};

/* one connection's ground truth, from one end */
struct truth {
	uint16_t lport, rport;
	uint32_t ok;
	uint64_t tx, rx;
};

struct truths {
	struct truth *v;
	size_t n, cap;
};

static struct opts o;
static char sendbuf[CHUNK];

static void usage(FILE *f)
{
	fputs("usage: tcpgen server|client -a ADDR -p PORT [-n COUNT] [-s SEND] [-r RECV]\n"
	      "           [--ready FILE] [--hold FILE] [--pace MS] [--linger0] [--sendfile]\n"
	      "           [--first-close server|client] [--stall-read FILE] [-T SECS]\n"
	      "       tcpgen churn -a ADDR -p PORT [-t THREADS] [-d SECS] [-s SEND] [-r RECV]\n"
	      "           [-o TRUTH.csv] [-T SECS]\n"
	      "SEND and RECV are the bytes this end (churn: each client) sends and receives.\n"
	      "server -p 0 listens on a free port and writes it into the --ready file.\n",
	      f);
}

static void die(const char *what)
{
	fprintf(stderr, "tcpgen: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *errname(int e)
{
	switch (e) {
	case ECONNREFUSED:
		return "ECONNREFUSED";
	case ETIMEDOUT:
		return "ETIMEDOUT";
	case EAGAIN:
		return "EAGAIN";
	case ECONNRESET:
		return "ECONNRESET";
	case EPIPE:
		return "EPIPE";
	case EHOSTUNREACH:
		return "EHOSTUNREACH";
	case ENETUNREACH:
		return "ENETUNREACH";
	case EADDRNOTAVAIL:
		return "EADDRNOTAVAIL";
	case EPROTO:
		return "EPROTO";
	case EINPROGRESS:
		return "EINPROGRESS";
	}
	return "EOTHER";
}

/* ---- arguments ---- */

static bool parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

static bool parse_secs(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || !(v > 0) || v > 3600)
		return false;
	*out = v;
	return true;
}

static bool parse_addr(const char *a, uint64_t port)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)&o.addr;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&o.addr;

	memset(&o.addr, 0, sizeof(o.addr));
	if (inet_pton(AF_INET, a, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		o.addrlen = sizeof(*s4);
		return true;
	}
	if (inet_pton(AF_INET6, a, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		o.addrlen = sizeof(*s6);
		return true;
	}
	return false;
}

static const struct option longs[] = {
    {"ready", required_argument, NULL, 'R'},
    {"hold", required_argument, NULL, 'H'},
    {"linger0", no_argument, NULL, 'Z'},
    {"first-close", required_argument, NULL, 'F'},
    {"pace", required_argument, NULL, 'P'},
    {"sendfile", no_argument, NULL, 'S'},
    {"stall-read", required_argument, NULL, 'W'},
    {"help", no_argument, NULL, 'h'},
    {0},
};

static void parse_args(int argc, char **argv)
{
	const char *addr = NULL;
	uint64_t port = 65536, v;
	int c;

	if (argc < 2 ||
	    (strcmp(argv[1], "server") && strcmp(argv[1], "client") && strcmp(argv[1], "churn"))) {
		usage(stderr);
		exit(2);
	}
	o.mode = argv[1];
	o.count = 1;
	o.server_first = true;
	o.timeout_s = 10;
	o.threads = 2;
	o.duration_s = 3;
	o.sendfile_fd = -1;
	optind = 2;
	while ((c = getopt_long(argc, argv, "a:p:n:s:r:o:t:d:T:h", longs, NULL)) != -1) {
		switch (c) {
		case 'a':
			addr = optarg;
			break;
		case 'p':
			if (!parse_u64(optarg, 65535, &port))
				goto bad;
			break;
		case 'n':
			if (!parse_u64(optarg, 100000000, &v) || !v)
				goto bad;
			o.count = (unsigned long)v;
			break;
		case 's':
			if (!parse_u64(optarg, UINT64_MAX, &o.send))
				goto bad;
			break;
		case 'r':
			if (!parse_u64(optarg, UINT64_MAX, &o.recv))
				goto bad;
			break;
		case 'o':
			o.truth = optarg;
			break;
		case 't':
			if (!parse_u64(optarg, MAX_THREADS, &v) || !v)
				goto bad;
			o.threads = (unsigned)v;
			break;
		case 'd':
			if (!parse_secs(optarg, &o.duration_s))
				goto bad;
			break;
		case 'T':
			if (!parse_secs(optarg, &o.timeout_s))
				goto bad;
			break;
		case 'R':
			o.ready = optarg;
			break;
		case 'H':
			o.hold = optarg;
			break;
		case 'Z':
			o.linger0 = true;
			break;
		case 'W':
			o.stall = optarg;
			break;
		case 'F':
			if (strcmp(optarg, "server") && strcmp(optarg, "client"))
				goto bad;
			o.server_first = !strcmp(optarg, "server");
			break;
		case 'P':
			if (!parse_secs(optarg, &o.pace_ms))
				goto bad;
			break;
		case 'S':
			o.sendfile_fd = memfd_create("tcpgen", 0);
			if (o.sendfile_fd < 0 || write(o.sendfile_fd, sendbuf, CHUNK) != CHUNK)
				die("memfd for --sendfile");
			signal(SIGPIPE, SIG_IGN); /* sendfile has no MSG_NOSIGNAL */
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			goto bad;
		}
	}
	if (optind != argc || !addr || port > 65535 || !parse_addr(addr, port))
		goto bad;
	if (port == 0 && strcmp(o.mode, "client") == 0)
		goto bad;
	return;
bad:
	usage(stderr);
	exit(2);
}

/* ---- sockets ---- */

static void set_timeouts(int fd)
{
	struct timeval tv = {.tv_sec = (time_t)o.timeout_s,
			     .tv_usec = (suseconds_t)((o.timeout_s - (time_t)o.timeout_s) * 1e6)};

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static uint16_t port_of(const struct sockaddr_storage *a)
{
	if (a->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)a)->sin6_port);
	return ntohs(((const struct sockaddr_in *)a)->sin_port);
}

static void addr_text(const struct sockaddr_storage *a, char *b, size_t n)
{
	const void *p = a->ss_family == AF_INET6
			    ? (const void *)&((const struct sockaddr_in6 *)a)->sin6_addr
			    : (const void *)&((const struct sockaddr_in *)a)->sin_addr;

	if (!inet_ntop(a->ss_family, p, b, (socklen_t)n))
		snprintf(b, n, "?");
}

static int listener(void)
{
	int one = 1, fd = socket(o.addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("socket");
	/* no IPV6_V6ONLY: on ::, IPv4 clients come in as ::ffff:a.b.c.d, as to most servers */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&o.addr, o.addrlen))
		die("bind");
	if (listen(fd, 4096))
		die("listen");
	set_timeouts(fd); /* accept waits at most -T seconds; accepted sockets inherit it */
	return fd;
}

/* Send n bytes; returns what went out (less on error, with errno set). */
static uint64_t send_all(int fd, uint64_t n)
{
	uint64_t done = 0;

	while (done < n) {
		size_t chunk = n - done < CHUNK ? (size_t)(n - done) : CHUNK;
		off_t off = 0;
		ssize_t k = o.sendfile_fd >= 0 ? sendfile(fd, o.sendfile_fd, &off, chunk)
					       : send(fd, sendbuf, chunk, MSG_NOSIGNAL);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		done += (uint64_t)k;
		if (o.pace_ms > 0 && done < n) {
			struct timespec ts = {
			    (time_t)(o.pace_ms / 1e3),
			    (long)((o.pace_ms - (time_t)(o.pace_ms / 1e3) * 1e3) * 1e6)};

			nanosleep(&ts, NULL);
		}
	}
	return done;
}

/* Read exactly n bytes; returns what came in (less on error or early EOF). */
static uint64_t recv_exact(int fd, uint64_t n)
{
	static __thread char buf[CHUNK];
	uint64_t done = 0;

	while (done < n) {
		size_t chunk = n - done < CHUNK ? (size_t)(n - done) : CHUNK;
		ssize_t k = recv(fd, buf, chunk, 0);

		if (k < 0 && errno == EINTR)
			continue;
		if (k == 0)
			errno = EPROTO; /* the peer closed early */
		if (k <= 0)
			break;
		done += (uint64_t)k;
	}
	return done;
}

/* The peer closes first: wait for its end-of-file; anything else is an error. */
static bool wait_eof(int fd)
{
	char c;
	ssize_t k;

	do {
		k = recv(fd, &c, 1, 0);
	} while (k < 0 && errno == EINTR);
	if (k > 0)
		errno = EPROTO;
	return k == 0;
}

static void close_conn(int fd, bool first)
{
	if (first && o.linger0) {
		struct linger l = {.l_onoff = 1, .l_linger = 0};

		setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	}
	close(fd);
}

static void touch(const char *path, const char *text)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) || rename(tmp, path))
		die(path);
}

static bool wait_file(const char *path)
{
	double end = now_s() + HOLD_MAX_S;
	struct stat st;

	while (stat(path, &st)) {
		struct timespec ts = {0, 10 * 1000 * 1000};

		if (now_s() > end) {
			fprintf(stderr, "tcpgen: %s did not appear within %d s\n", path,
				HOLD_MAX_S);
			return false;
		}
		nanosleep(&ts, NULL);
	}
	return true;
}

/* ---- server and client: a few connections, one line each ---- */

struct ends {
	char la[INET6_ADDRSTRLEN], ra[INET6_ADDRSTRLEN];
	uint16_t lport, rport;
};

/* Both ends of a connected socket, taken before it is closed. */
static void ends_of(int fd, struct ends *e)
{
	struct sockaddr_storage l, r;
	socklen_t ll = sizeof(l), rl = sizeof(r);

	memset(&l, 0, sizeof(l));
	memset(&r, 0, sizeof(r));
	getsockname(fd, (struct sockaddr *)&l, &ll);
	if (getpeername(fd, (struct sockaddr *)&r, &rl))
		r = o.addr;
	addr_text(&l, e->la, sizeof(e->la));
	addr_text(&r, e->ra, sizeof(e->ra));
	e->lport = port_of(&l);
	e->rport = port_of(&r);
}

static void print_conn(const char *side, const struct ends *e, const struct truth *t, double ms)
{
	printf("conn side=%s pid=%d laddr=%s lport=%u raddr=%s rport=%u tx=%llu rx=%llu "
	       "ms=%.3f\n",
	       side, (int)getpid(), e->la, e->lport, e->ra, e->rport, (unsigned long long)t->tx,
	       (unsigned long long)t->rx, ms);
	fflush(stdout);
}

static void print_fail(const char *side, const struct sockaddr_storage *l, int err)
{
	char la[INET6_ADDRSTRLEN], ra[INET6_ADDRSTRLEN];

	addr_text(l, la, sizeof(la));
	addr_text(&o.addr, ra, sizeof(ra));
	printf("fail side=%s pid=%d laddr=%s lport=%u raddr=%s rport=%u err=%s\n", side,
	       (int)getpid(), la, port_of(l), ra, port_of(&o.addr), errname(err));
	fflush(stdout);
}

/*
 * Move one connection's bytes: the client sends then reads, the server reads
 * then sends, in one or (with --hold) two halves. false on error.
 */
static bool exchange(int fd, bool client, struct truth *t, bool *held)
{
	uint64_t s1 = o.hold ? o.send / 2 : o.send, r1 = o.hold ? o.recv / 2 : o.recv;
	uint64_t part[2][2] = {{s1, r1}, {o.send - s1, o.recv - r1}};

	for (int half = 0; half < (o.hold ? 2 : 1); half++) {
		uint64_t s = part[half][0], r = part[half][1], k;

		if (half == 1) {
			if (client && o.ready && !*held)
				touch(o.ready, "held\n");
			*held = true;
			if (!wait_file(o.hold))
				return false;
		}
		if (client) {
			k = send_all(fd, s);
			t->tx += k;
			if (k < s)
				return false;
		}
		if (!client && !half && o.stall && !wait_file(o.stall))
			return false;
		k = recv_exact(fd, r);
		t->rx += k;
		if (k < r)
			return false;
		if (!client) {
			k = send_all(fd, s);
			t->tx += k;
			if (k < s)
				return false;
		}
	}
	return true;
}

static int run_server(void)
{
	int lfd = listener(), bad = 0;
	struct sockaddr_storage l;
	socklen_t ll = sizeof(l);
	char la[INET6_ADDRSTRLEN], text[32];
	bool held = false;

	getsockname(lfd, (struct sockaddr *)&l, &ll);
	addr_text(&l, la, sizeof(la));
	printf("listen side=server pid=%d laddr=%s lport=%u\n", (int)getpid(), la, port_of(&l));
	fflush(stdout);
	if (o.ready) {
		snprintf(text, sizeof(text), "%u\n", port_of(&l));
		touch(o.ready, text);
	}
	for (unsigned long i = 0; i < o.count; i++) {
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		struct truth t = {0};
		double t0 = now_s();
		struct ends e;
		bool ok;

		if (fd < 0) {
			fprintf(stderr, "tcpgen: accept: %s\n", strerror(errno));
			return 1;
		}
		ends_of(fd, &e);
		ok = exchange(fd, false, &t, &held);
		if (ok && !o.server_first)
			ok = wait_eof(fd);
		if (!ok) {
			fprintf(stderr, "tcpgen: server connection %lu: %s after tx=%llu rx=%llu\n",
				i, strerror(errno), (unsigned long long)t.tx,
				(unsigned long long)t.rx);
			bad++;
		}
		close_conn(fd, o.server_first);
		if (ok)
			print_conn("server", &e, &t, (now_s() - t0) * 1e3);
	}
	close(lfd);
	return bad ? 1 : 0;
}

static int run_client(void)
{
	bool held = false;
	int bad = 0;

	for (unsigned long i = 0; i < o.count; i++) {
		int fd = socket(o.addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		struct sockaddr_storage l;
		socklen_t ll = sizeof(l);
		struct truth t = {0};
		double t0 = now_s();
		struct ends e;
		bool ok;

		if (fd < 0)
			die("socket");
		set_timeouts(fd);
		memset(&l, 0, sizeof(l));
		l.ss_family = o.addr.ss_family;
		if (connect(fd, (struct sockaddr *)&o.addr, o.addrlen)) {
			int err = errno;

			getsockname(fd, (struct sockaddr *)&l, &ll);
			print_fail("client", &l, err);
			close(fd);
			bad++;
			continue;
		}
		ends_of(fd, &e);
		if (o.ready && !o.hold && i == 0)
			touch(o.ready, "connected\n");
		ok = exchange(fd, true, &t, &held);
		if (ok && o.server_first)
			ok = wait_eof(fd);
		if (!ok) {
			fprintf(stderr, "tcpgen: client connection %lu: %s after tx=%llu rx=%llu\n",
				i, strerror(errno), (unsigned long long)t.tx,
				(unsigned long long)t.rx);
			bad++;
		}
		close_conn(fd, !o.server_first);
		if (ok)
			print_conn("client", &e, &t, (now_s() - t0) * 1e3);
	}
	return bad ? 1 : 0;
}

/* ---- churn: as many short connections as THREADS clients can make ---- */

static int churn_listen_fd;
static volatile int churn_stop;
static double churn_end;

static void truths_add(struct truths *ts, const struct truth *t)
{
	if (ts->n == ts->cap) {
		size_t cap = ts->cap ? ts->cap * 2 : 65536;
		struct truth *v = realloc(ts->v, cap * sizeof(*v));

		if (!v)
			die("realloc");
		ts->v = v;
		ts->cap = cap;
	}
	ts->v[ts->n++] = *t;
}

static void *churn_server_thread(void *arg)
{
	struct truths *ts = arg;

	while (!churn_stop) {
		struct sockaddr_storage peer;
		socklen_t pl = sizeof(peer);
		int fd = accept4(churn_listen_fd, (struct sockaddr *)&peer, &pl, SOCK_CLOEXEC);
		struct truth t = {0};
		uint64_t k;
		bool ok;

		if (fd < 0) {
			if (errno == EINTR || errno == EAGAIN || errno == ECONNABORTED)
				continue;
			break; /* shut down: the clients are done */
		}
		t.lport = port_of(&o.addr);
		t.rport = port_of(&peer);
		/* the server's view: it reads what a client sends and sends what it reads */
		k = recv_exact(fd, o.send);
		t.rx = k;
		ok = k == o.send;
		if (ok) {
			t.tx = send_all(fd, o.recv);
			ok = t.tx == o.recv;
		}
		if (ok && !o.server_first)
			ok = wait_eof(fd);
		close_conn(fd, o.server_first);
		t.ok = ok;
		truths_add(ts, &t);
	}
	return NULL;
}

static void *churn_client_thread(void *arg)
{
	struct truths *ts = arg;

	while (now_s() < churn_end) {
		int fd = socket(o.addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		struct sockaddr_storage l;
		socklen_t ll = sizeof(l);
		struct truth t = {0};
		bool ok;

		if (fd < 0)
			die("socket");
		set_timeouts(fd);
		t.rport = port_of(&o.addr);
		if (connect(fd, (struct sockaddr *)&o.addr, o.addrlen)) {
			getsockname(fd, (struct sockaddr *)&l, &ll);
			t.lport = port_of(&l);
			close(fd);
			truths_add(ts, &t);
			continue;
		}
		getsockname(fd, (struct sockaddr *)&l, &ll);
		t.lport = port_of(&l);
		t.tx = send_all(fd, o.send);
		ok = t.tx == o.send;
		if (ok) {
			t.rx = recv_exact(fd, o.recv);
			ok = t.rx == o.recv;
		}
		if (ok && o.server_first)
			ok = wait_eof(fd);
		close_conn(fd, !o.server_first);
		t.ok = ok;
		truths_add(ts, &t);
	}
	return NULL;
}

static void write_truths(FILE *f, const char *side, struct truths *ts, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		for (size_t j = 0; j < ts[i].n; j++) {
			const struct truth *t = &ts[i].v[j];

			fprintf(f, "%s,%d,%u,%u,%llu,%llu,%s\n", side, (int)getpid(), t->lport,
				t->rport, (unsigned long long)t->tx, (unsigned long long)t->rx,
				t->ok ? "ok" : "fail");
		}
}

static void start_threads(pthread_t *tid, void *(*fn)(void *), struct truths *ts)
{
	for (unsigned i = 0; i < o.threads; i++)
		if ((errno = pthread_create(&tid[i], NULL, fn, &ts[i])))
			die("pthread_create");
}

/* The server process: accept until the parent closes the pipe, then write its truth. */
static void churn_server(int stop_fd)
{
	static struct truths ts[MAX_THREADS];
	pthread_t tid[MAX_THREADS];
	char c;
	FILE *f;

	start_threads(tid, churn_server_thread, ts);
	while (read(stop_fd, &c, 1) < 0 && errno == EINTR)
		;
	churn_stop = 1;
	shutdown(churn_listen_fd, SHUT_RDWR); /* wakes the threads in accept() */
	for (unsigned i = 0; i < o.threads; i++)
		pthread_join(tid[i], NULL);
	if (o.truth) {
		f = fopen(o.truth, "a");
		if (!f)
			die(o.truth);
		write_truths(f, "server", ts, o.threads);
		if (fclose(f))
			die(o.truth);
	}
	_exit(0);
}

static int run_churn(void)
{
	static struct truths ts[MAX_THREADS];
	pthread_t tid[MAX_THREADS];
	size_t conns = 0, fails = 0;
	int pipefd[2], status;
	double t0, secs;
	pid_t server;
	FILE *f;

	churn_listen_fd = listener();
	if (port_of(&o.addr) == 0) {
		struct sockaddr_storage l;
		socklen_t ll = sizeof(l);

		getsockname(churn_listen_fd, (struct sockaddr *)&l, &ll);
		if (o.addr.ss_family == AF_INET6)
			((struct sockaddr_in6 *)&o.addr)->sin6_port = htons(port_of(&l));
		else
			((struct sockaddr_in *)&o.addr)->sin_port = htons(port_of(&l));
	}
	if (o.truth) {
		f = fopen(o.truth, "w");
		if (!f || fputs("side,pid,lport,rport,tx,rx,status\n", f) < 0 || fclose(f))
			die(o.truth);
	}
	if (pipe2(pipefd, O_CLOEXEC))
		die("pipe");
	fflush(stdout);
	server = fork();
	if (server < 0)
		die("fork");
	if (server == 0) {
		close(pipefd[1]);
		churn_server(pipefd[0]);
	}
	close(pipefd[0]);
	close(churn_listen_fd);
	t0 = now_s();
	churn_end = t0 + o.duration_s;
	start_threads(tid, churn_client_thread, ts);
	for (unsigned i = 0; i < o.threads; i++)
		pthread_join(tid[i], NULL);
	secs = now_s() - t0;
	close(pipefd[1]); /* the server stops */
	if (waitpid(server, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		fprintf(stderr, "tcpgen: the churn server failed\n");
	for (unsigned i = 0; i < o.threads; i++)
		for (size_t j = 0; j < ts[i].n; j++)
			ts[i].v[j].ok ? conns++ : fails++;
	if (o.truth) {
		f = fopen(o.truth, "a");
		if (!f)
			die(o.truth);
		write_truths(f, "client", ts, o.threads);
		if (fclose(f))
			die(o.truth);
	}
	printf("churn client_pid=%d server_pid=%d threads=%u conns=%zu fails=%zu secs=%.3f "
	       "rate=%.0f\n",
	       (int)getpid(), (int)server, o.threads, conns, fails, secs, conns / secs);
	return fails ? 1 : 0;
}

int main(int argc, char **argv)
{
	parse_args(argc, argv);
	signal(SIGPIPE, SIG_IGN);
	memset(sendbuf, 'x', sizeof(sendbuf));
	if (!strcmp(o.mode, "server"))
		return run_server();
	if (!strcmp(o.mode, "client"))
		return run_client();
	return run_churn();
}
