// SPDX-License-Identifier: GPL-2.0
/*
 * backlog: a listener with a known backlog and a known number of accepts,
 * and clients that connect all at once, for the Listeners tests.
 *
 *   backlog serve   -a ADDR -p PORT -b BACKLOG [-n ACCEPTS] --ready FILE [--until FILE] [-T SECS]
 *   backlog connect -a ADDR -p PORT -n CLIENTS [--until FILE] [-T SECS]
 *
 * serve: listens on ADDR:PORT (port 0: any free one) with BACKLOG, writes the
 * port to the --ready file, accepts exactly ACCEPTS connections (default 0:
 * never accepts; each is closed once accepted), then waits for the --until
 * file (or SECS, default 30) and closes the listener. It prints one line:
 *
 *   serve pid=P port=N backlog=B accepted=A
 *
 * connect: starts CLIENTS non-blocking connects to ADDR:PORT at once, waits
 * until each has completed or failed (at most SECS), keeps them open until
 * the --until file exists (or SECS), then closes them. It prints one line:
 *
 *   connect pid=P connected=C refused=R pending=N
 *
 * Every wait is bounded. It only ever connects to the address it is given.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 10000

struct opts {
	const char *addr, *ready, *until;
	int port, backlog, n;
	double secs;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ADDR and PORT as a socket address of either family; the length, or 0. */
static socklen_t address(const char *addr, int port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		return sizeof(*in);
	}
	if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		return sizeof(*in6);
	}
	return 0;
}

/* Until the file exists or the deadline passes. */
static void wait_until(const char *file, double deadline)
{
	while (now() < deadline && (!file || access(file, F_OK)))
		usleep(20000);
}

static int serve(const struct opts *o)
{
	struct sockaddr_storage ss;
	socklen_t len = address(o->addr, o->port, &ss);
	double deadline = now() + o->secs;
	int lfd, one = 1, accepted = 0;
	FILE *f;

	if (!len)
		return 2;
	lfd = socket(ss.ss_family, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&ss, len) || listen(lfd, o->backlog) ||
	    getsockname(lfd, (struct sockaddr *)&ss, &len)) {
		perror("backlog serve");
		return 1;
	}
	f = fopen(o->ready, "w");
	if (!f)
		return 1;
	fprintf(f, "%d\n", ntohs(((struct sockaddr_in *)&ss)->sin_port));
	fclose(f);
	while (accepted < o->n && now() < deadline) {
		struct pollfd p = {.fd = lfd, .events = POLLIN};
		int fd;

		if (poll(&p, 1, 100) <= 0)
			continue;
		fd = accept(lfd, NULL, NULL);
		if (fd >= 0) {
			close(fd);
			accepted++;
		}
	}
	wait_until(o->until, deadline);
	printf("serve pid=%d port=%d backlog=%d accepted=%d\n", getpid(),
	       ntohs(((struct sockaddr_in *)&ss)->sin_port), o->backlog, accepted);
	close(lfd);
	return 0;
}

static int connect_all(const struct opts *o)
{
	struct rlimit rl = {MAX_CLIENTS + 64, MAX_CLIENTS + 64};
	struct sockaddr_storage ss;
	socklen_t len = address(o->addr, o->port, &ss);
	double deadline = now() + o->secs;
	int connected = 0, refused = 0, pending = 0;
	struct pollfd *p;

	if (!len || o->n < 1 || o->n > MAX_CLIENTS)
		return 2;
	setrlimit(RLIMIT_NOFILE, &rl);
	p = calloc((size_t)o->n, sizeof(*p));
	if (!p)
		return 1;
	for (int i = 0; i < o->n; i++) {
		p[i].fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);
		p[i].events = POLLOUT;
		if (p[i].fd < 0 ||
		    (connect(p[i].fd, (struct sockaddr *)&ss, len) && errno != EINPROGRESS)) {
			perror("backlog connect");
			return 1;
		}
	}
	pending = o->n;
	while (pending && now() < deadline) {
		if (poll(p, (nfds_t)o->n, 100) <= 0)
			continue;
		for (int i = 0; i < o->n; i++) {
			int err = 0;
			socklen_t el = sizeof(err);

			if (p[i].fd < 0 || !p[i].revents)
				continue;
			getsockopt(p[i].fd, SOL_SOCKET, SO_ERROR, &err, &el);
			connected += !err;
			refused += err == ECONNREFUSED;
			pending--;
			p[i].fd = -p[i].fd - 1; /* done: poll skips it */
		}
	}
	wait_until(o->until, deadline);
	printf("connect pid=%d connected=%d refused=%d pending=%d\n", getpid(), connected, refused,
	       pending);
	for (int i = 0; i < o->n; i++)
		close(p[i].fd < 0 ? -p[i].fd - 1 : p[i].fd);
	free(p);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longs[] = {
	    {"ready", required_argument, NULL, 'R'},
	    {"until", required_argument, NULL, 'U'},
	    {0},
	};
	struct opts o = {.addr = "127.0.0.1", .backlog = 128, .secs = 30};
	int c;

	if (argc < 2)
		goto usage;
	optind = 2;
	while ((c = getopt_long(argc, argv, "a:p:b:n:T:", longs, NULL)) != -1) {
		switch (c) {
		case 'a':
			o.addr = optarg;
			break;
		case 'p':
			o.port = atoi(optarg);
			break;
		case 'b':
			o.backlog = atoi(optarg);
			break;
		case 'n':
			o.n = atoi(optarg);
			break;
		case 'T':
			o.secs = atof(optarg);
			break;
		case 'R':
			o.ready = optarg;
			break;
		case 'U':
			o.until = optarg;
			break;
		default:
			goto usage;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[1], "serve") && o.ready)
		return serve(&o);
	if (!strcmp(argv[1], "connect") && o.port)
		return connect_all(&o);
usage:
	fprintf(stderr,
		"usage: backlog serve -a ADDR -p PORT -b BACKLOG [-n ACCEPTS] --ready FILE "
		"[--until FILE] [-T SECS]\n"
		"       backlog connect -a ADDR -p PORT -n CLIENTS [--until FILE] [-T SECS]\n");
	return 2;
}
