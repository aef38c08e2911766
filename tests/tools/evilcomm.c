// SPDX-License-Identifier: GPL-2.0
/*
 * evilcomm NAME ADDR PORT: rename this process to NAME (C escapes such as
 * \x1b are decoded, so any byte can be used, as any local user can), then
 * connect to ADDR:PORT, send 10 bytes and close. For the tests that check
 * tcpscope escapes hostile process names before a terminal or a CSV sees them.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

static size_t unescape(const char *s, char *out, size_t n)
{
	size_t o = 0;

	while (*s && o + 1 < n) {
		if (s[0] == '\\' && s[1] == 'x' && s[2] && s[3]) {
			char hex[3] = {s[2], s[3], 0};

			out[o++] = (char)strtoul(hex, NULL, 16);
			s += 4;
		} else {
			out[o++] = *s++;
		}
	}
	out[o] = 0;
	return o;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	char name[16];
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: evilcomm NAME ADDR PORT\n");
		return 2;
	}
	unescape(argv[1], name, sizeof(name));
	if (prctl(PR_SET_NAME, name) || inet_pton(AF_INET, argv[2], &sa.sin_addr) != 1)
		return 1;
	sa.sin_port = htons((uint16_t)atoi(argv[3]));
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		return 1;
	if (write(fd, "0123456789", 10) != 10)
		return 1;
	shutdown(fd, SHUT_WR);
	while (read(fd, name, sizeof(name)) > 0)
		;
	close(fd);
	return 0;
}
