// SPDX-License-Identifier: GPL-2.0
/*
 * Loopback sessions for the recording tests, one thread, nothing else needed:
 *   loopconn N [BYTES]
 * makes N sessions over 127.0.0.1 and N over ::1: the client sends BYTES
 * (default 1000), the server answers twice as many, both close. Prints
 * "done N" and exits 0, or says what failed and exits 1.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static char buf[1 << 16];

__attribute__((noreturn)) static void die(const char *what)
{
	fprintf(stderr, "loopconn: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void drain(int fd, size_t n)
{
	while (n) {
		ssize_t got = read(fd, buf, n < sizeof(buf) ? n : sizeof(buf));

		if (got <= 0)
			die("read");
		n -= (size_t)got;
	}
}

static void send_all(int fd, size_t n)
{
	memset(buf, 'x', sizeof(buf));
	while (n) {
		ssize_t w = write(fd, buf, n < sizeof(buf) ? n : sizeof(buf));

		if (w <= 0)
			die("write");
		n -= (size_t)w;
	}
}

/* One session; sizes stay below the socket buffers, so one thread is enough. */
static void session(int family, size_t bytes)
{
	struct sockaddr_storage a;
	socklen_t len = sizeof(a);
	int l, c, s;

	memset(&a, 0, sizeof(a));
	a.ss_family = (sa_family_t)family;
	if (family == AF_INET)
		((struct sockaddr_in *)&a)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	else
		((struct sockaddr_in6 *)&a)->sin6_addr = in6addr_loopback;
	l = socket(family, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&a, len) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&a, &len))
		die("listen");
	c = socket(family, SOCK_STREAM, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&a, len))
		die("connect");
	s = accept(l, NULL, NULL);
	if (s < 0)
		die("accept");
	close(l);
	send_all(c, bytes);
	drain(s, bytes);
	send_all(s, 2 * bytes);
	drain(c, 2 * bytes);
	close(c);
	close(s);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 10;
	size_t bytes = argc > 2 ? (size_t)atol(argv[2]) : 1000;

	if (n <= 0 || bytes > 100000) {
		fprintf(stderr, "usage: loopconn N [BYTES <= 100000]\n");
		return 2;
	}
	for (long i = 0; i < n; i++) {
		session(AF_INET, bytes);
		session(AF_INET6, bytes);
	}
	printf("done %ld\n", n);
	return 0;
}
