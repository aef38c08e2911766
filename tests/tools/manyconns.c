// SPDX-License-Identifier: GPL-2.0
/*
 * manyconns PORT N READY [BYTES]: listen on 127.0.0.1:PORT, open N
 * connections to it (each client sending BYTES, default 0, that its server
 * end reads) and keep all 2N ends open until READY (a file) is removed or
 * 30 s pass, then close them. For the tests that fill tcpscope's socket map.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	struct rlimit rl = {65536, 65536};
	int n, lfd, one = 1, *fds, bytes = argc == 5 ? atoi(argv[4]) : 0;
	char buf[4096] = {0};
	time_t end = time(NULL) + 30;
	FILE *f;

	if (argc < 4 || argc > 5 || (n = atoi(argv[2])) <= 0 || n > 20000 || bytes < 0 ||
	    bytes > (int)sizeof(buf)) {
		fprintf(stderr, "usage: manyconns PORT N READY [BYTES <= 4096]\n");
		return 2;
	}
	setrlimit(RLIMIT_NOFILE, &rl);
	fds = calloc((size_t)n * 2, sizeof(int));
	sa.sin_port = htons((uint16_t)atoi(argv[1]));
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (!fds || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 4096))
		return 1;
	for (int i = 0; i < n; i++) {
		fds[2 * i] = socket(AF_INET, SOCK_STREAM, 0);
		if (fds[2 * i] < 0 || connect(fds[2 * i], (struct sockaddr *)&sa, sizeof(sa)))
			return 1;
		fds[2 * i + 1] = accept(lfd, NULL, NULL);
		if (fds[2 * i + 1] < 0)
			return 1;
		if (bytes && (write(fds[2 * i], buf, (size_t)bytes) != bytes ||
			      recv(fds[2 * i + 1], buf, (size_t)bytes, MSG_WAITALL) != bytes))
			return 1;
	}
	f = fopen(argv[3], "w");
	if (f)
		fclose(f);
	while (access(argv[3], F_OK) == 0 && time(NULL) < end)
		usleep(20000);
	for (int i = 0; i < 2 * n; i++)
		close(fds[i]);
	free(fds);
	return 0;
}
