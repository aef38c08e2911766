// SPDX-License-Identifier: GPL-2.0
/*
 * httpslow: hostile HTTP clients of 127.0.0.1, for tests/kernel/serve.sh.
 *
 *   httpslow trickle PORT SECS   send "GET /metrics HTTP/1.1..." a byte a second for at
 *                                most SECS seconds; print the status the server answered
 *                                ("none" if it closed without one) and after how long
 *   httpslow many PORT N         N connections at once, each a GET /metrics, read in
 *                                turns; print how many got 200 and how many bytes each
 *
 * Bounded in time and count, loopback only.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int dial(int port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		perror("httpslow: connect");
		exit(1);
	}
	return fd;
}

/* The status code at the start of what was read, or 0. */
static int status_of(const char *buf)
{
	int code;

	return sscanf(buf, "HTTP/1.%*d %d", &code) == 1 ? code : 0;
}

static int trickle(int port, int secs)
{
	static const char req[] = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n"
				  "User-Agent: httpslow\r\n\r\n";
	double t0 = now();
	char buf[4096] = "";
	ssize_t got = 0;
	int fd = dial(port);

	for (size_t i = 0; i < sizeof(req) - 1 && now() - t0 < secs; i++) {
		struct pollfd p = {.fd = fd, .events = POLLIN};

		if (send(fd, req + i, 1, MSG_NOSIGNAL) != 1)
			break; /* the server closed it */
		/* an answer, or a close, ends the wait for the next second */
		if (poll(&p, 1, 1000) > 0)
			break;
	}
	for (double end = now() + 5; now() < end;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t r;

		if (poll(&p, 1, 200) <= 0)
			continue;
		r = recv(fd, buf + got, sizeof(buf) - 1 - (size_t)got, 0);
		if (r <= 0)
			break;
		got += r;
		buf[got] = 0;
		if (strstr(buf, "\r\n\r\n"))
			break;
	}
	if (status_of(buf))
		printf("status=%d secs=%.1f\n", status_of(buf), now() - t0);
	else
		printf("status=none secs=%.1f\n", now() - t0);
	close(fd);
	return 0;
}

static int many(int port, int n)
{
	static const char req[] = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n"
				  "Connection: close\r\n\r\n";
	int *fds = calloc((size_t)n, sizeof(int)), ok = 0;
	size_t *got = calloc((size_t)n, sizeof(size_t));
	char **heads = calloc((size_t)n, sizeof(char *));
	double end = now() + 30;

	if (!fds || !got || !heads)
		return 1;
	for (int i = 0; i < n; i++) {
		fds[i] = dial(port);
		heads[i] = calloc(1, 64);
		if (!heads[i] || send(fds[i], req, sizeof(req) - 1, MSG_NOSIGNAL) < 0)
			return 1;
	}
	/* every connection read in turns until each is closed: none waits for another */
	for (int open = n; open && now() < end;) {
		open = 0;
		for (int i = 0; i < n; i++) {
			char buf[65536];
			ssize_t r;

			if (fds[i] < 0)
				continue;
			open++;
			r = recv(fds[i], buf, sizeof(buf), MSG_DONTWAIT);
			if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
				continue;
			if (r <= 0) {
				ok += status_of(heads[i]) == 200 && got[i] > 1000;
				close(fds[i]);
				fds[i] = -1;
				continue;
			}
			if (got[i] < 63)
				memcpy(heads[i] + got[i], buf,
				       (size_t)r < 63 - got[i] ? (size_t)r : 63 - got[i]);
			got[i] += (size_t)r;
		}
		poll(NULL, 0, 1);
	}
	printf("ok=%d of=%d\n", ok, n);
	for (int i = 0; i < n; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		free(heads[i]);
	}
	free(fds);
	free(got);
	free(heads);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "trickle"))
		return trickle(atoi(argv[2]), atoi(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "many"))
		return many(atoi(argv[2]), atoi(argv[3]));
	fprintf(stderr, "usage: httpslow trickle PORT SECS | many PORT N\n");
	return 2;
}
