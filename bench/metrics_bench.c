// SPDX-License-Identifier: GPL-2.0
/*
 * metrics_bench: what --serve costs with many series. The model counts N
 * label sets (synthetic sessions, each its own process name and service
 * port), then:
 *   render: the exposition the main thread writes at each tick, median of R;
 *   scrape: K scrapes over HTTP of the real server (tui/serve.c), by a child
 *           process: the CPU this process took for them (its HTTP thread), each;
 *   and the same for K scrapes asking for OpenMetrics (converted per scrape).
 *
 *   metrics_bench [-n SERIES] [-r RUNS] [-k SCRAPES]
 *
 * Prints one line: series=N render_ms=F scrape_cpu_ms=F om_scrape_cpu_ms=F bytes=N
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "tui/serve.h"
#include "views/metrics.h"

static double mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static int by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Session i: process svc-i to service port 1024 + i (4 samples: opened, closed, bytes twice). */
static void fill(struct model *m, size_t sessions)
{
	for (size_t i = 0; i < sessions; i++) {
		struct ts_ev_close e;

		memset(&e, 0, sizeof(e));
		e.hdr.kind = TS_K_CLOSE;
		e.hdr.size = sizeof(e);
		e.hdr.ts_ns = 1000000 + i * 1000;
		e.sid = i + 1;
		e.conn.family = 4;
		e.conn.lport = (uint16_t)(40000 + i % 20000);
		e.conn.rport = (uint16_t)(1024 + i);
		e.conn.laddr[0] = 10, e.conn.raddr[0] = 10, e.conn.raddr[3] = 2;
		e.owner.pid = (uint32_t)(100 + i);
		snprintf(e.owner.comm, sizeof(e.owner.comm), "svc-%zu", i);
		e.dir = TS_DIR_CONNECT;
		e.oldstate = TS_LAST_ACK;
		e.flags = TS_F_ESTABLISHED;
		e.start_ns = e.hdr.ts_ns - 500;
		e.tx_bytes = e.app_tx = 1000 + i;
		e.rx_bytes = e.app_rx = 20000 + i;
		if (model_apply(m, (union ts_event *)&e)) {
			fprintf(stderr, "metrics_bench: the model refused a record\n");
			exit(1);
		}
	}
}

/* k scrapes of port, one connection each; the child exits 0 if every one was 200. */
static void scraper(int port, int k, bool om)
{
	static char buf[1 << 16];
	char req[256];
	int bad = 0;

	snprintf(req, sizeof(req),
		 "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s\r\n",
		 om ? "Accept: application/openmetrics-text;version=1.0.0\r\n" : "");
	for (int i = 0; i < k; i++) {
		struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		ssize_t r;
		bool first = true;

		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) ||
		    send(fd, req, strlen(req), 0) < 0)
			_exit(2);
		while ((r = recv(fd, buf, sizeof(buf), 0)) > 0) {
			if (first && (r < 12 || memcmp(buf + 9, "200", 3)))
				bad++;
			first = false;
		}
		close(fd);
	}
	_exit(bad ? 1 : 0);
}

/* CPU of this process (the server's thread) for k scrapes, each, in ms. */
static double scrape_cost(int port, int k, bool om)
{
	double c0 = cpu_ms();
	int status;
	pid_t pid = fork();

	if (pid < 0)
		exit(1);
	if (!pid)
		scraper(port, k, om);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "metrics_bench: scrapes failed\n");
		exit(1);
	}
	return (cpu_ms() - c0) / k;
}

int main(int argc, char **argv)
{
	size_t series = 10000, lines = 0;
	int runs = 21, k = 50, c;
	struct model_config cfg;
	struct serve_opts so;
	struct model m;
	struct tally t;
	struct metrics_text text = {0};
	struct server *srv = NULL;
	char err[256];
	double *ms;
	int port;

	while ((c = getopt(argc, argv, "n:r:k:")) != -1) {
		switch (c) {
		case 'n':
			series = strtoul(optarg, NULL, 10);
			break;
		case 'r':
			runs = atoi(optarg);
			break;
		case 'k':
			k = atoi(optarg);
			break;
		default:
			fprintf(stderr,
				"usage: metrics_bench [-n SERIES] [-r RUNS] [-k SCRAPES]\n");
			return 2;
		}
	}
	if (series < 4 || runs < 1 || k < 1 || series > 200000)
		return 2;
	model_config_default(&cfg);
	if (model_init(&m, &cfg) || tally_init(&t, series + 100)) {
		fprintf(stderr, "metrics_bench: out of memory\n");
		return 1;
	}
	m.tally = &t;
	fill(&m, series / 4);
	ms = calloc((size_t)runs, sizeof(*ms));
	if (!ms)
		return 1;
	for (int r = 0; r < runs; r++) {
		double t0 = mono_ms();

		if (metrics_render(&text, &m, &t))
			return 1;
		ms[r] = mono_ms() - t0;
	}
	qsort(ms, (size_t)runs, sizeof(*ms), by_double);
	/* samples: the lines that are no # HELP or # TYPE */
	for (size_t i = 0; i < text.len; i++)
		lines += text.s[i] == '\n' && text.s[i + 1 < text.len ? i + 1 : i] != '#';
	/* a free loopback port of the real server */
	for (port = 39100; port < 39400 && !srv; port++) {
		char listen[32];

		serve_opts_default(&so);
		snprintf(listen, sizeof(listen), "127.0.0.1:%d", port);
		if (serve_opts_parse(SERVE_OPT_LISTEN, listen, &so, err, sizeof(err)))
			return 1;
		srv = serve_start(&so, err, sizeof(err));
	}
	if (!srv) {
		fprintf(stderr, "metrics_bench: %s\n", err);
		return 1;
	}
	port--;
	serve_publish(srv, &m, &t);
	printf("series=%zu render_ms=%.3f scrape_cpu_ms=%.3f om_scrape_cpu_ms=%.3f bytes=%zu\n",
	       lines, ms[runs / 2], scrape_cost(port, k, false), scrape_cost(port, k, true),
	       text.len);
	serve_stop(srv);
	metrics_text_free(&text);
	m.tally = NULL;
	tally_free(&t);
	model_free(&m);
	free(ms);
	return 0;
}
