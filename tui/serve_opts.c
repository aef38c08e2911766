// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "serve_opts.h"
#include "views/tally.h"

void serve_opts_default(struct serve_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->max_series = TALLY_DEFAULT_SERIES;
}

static int bad(char *err, size_t n, const char *what, const char *arg)
{
	snprintf(err, n, "--serve: '%.60s' %s", arg, what);
	return -EINVAL;
}

/* [ADDR]:PORT, or PORT: ADDR an IPv4 address, [IPv6], or localhost; 127.0.0.1 by default. */
static int parse_listen(const char *arg, struct serve_opts *o, char *err, size_t n)
{
	const char *colon = strrchr(arg, ':');
	const char *port_text = colon ? colon + 1 : arg;
	size_t host_len = colon ? (size_t)(colon - arg) : 0;
	struct sockaddr_in *v4 = (struct sockaddr_in *)&o->addr;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&o->addr;
	char host[64], *end;
	unsigned long port;

	errno = 0;
	port = strtoul(port_text, &end, 10);
	if (!*port_text || *end || errno || port < 1 || port > 65535 || *port_text < '0' ||
	    *port_text > '9')
		return bad(err, n, "has no port of 1 to 65535 ([ADDR]:PORT)", arg);
	if (host_len >= sizeof(host))
		return bad(err, n, "is not an address", arg);
	memcpy(host, arg, host_len);
	host[host_len] = 0;
	memset(&o->addr, 0, sizeof(o->addr));
	if (host_len > 2 && host[0] == '[' && host[host_len - 1] == ']') {
		host[host_len - 1] = 0;
		if (inet_pton(AF_INET6, host + 1, &v6->sin6_addr) != 1)
			return bad(err, n, "is not an IPv6 address ([ADDR]:PORT)", arg);
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		o->addrlen = sizeof(*v6);
	} else {
		/* only what this host answers to as it is: no name lookups */
		if (!host_len || !strcmp(host, "localhost"))
			strcpy(host, "127.0.0.1");
		if (inet_pton(AF_INET, host, &v4->sin_addr) != 1)
			return bad(err, n,
				   "is not an address ([ADDR]:PORT: an IPv4 address, [IPv6] or "
				   "localhost)",
				   arg);
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		o->addrlen = sizeof(*v4);
	}
	o->listen = arg;
	return 0;
}

int serve_opts_parse(int opt, const char *arg, struct serve_opts *o, char *err, size_t n)
{
	unsigned long v;
	char *end;

	switch (opt) {
	case SERVE_OPT_LISTEN:
		return parse_listen(arg, o, err, n);
	case SERVE_OPT_AUTH:
		o->auth_file = arg;
		return 0;
	case SERVE_OPT_TLS_CERT:
		o->tls_cert = arg;
		return 0;
	case SERVE_OPT_TLS_KEY:
		o->tls_key = arg;
		return 0;
	case SERVE_OPT_HEADLESS:
		o->headless = true;
		return 0;
	case SERVE_OPT_MAX_SERIES:
		errno = 0;
		v = strtoul(arg, &end, 10);
		if (*arg < '0' || *arg > '9' || *end || errno || v < 10 || v > 1000000) {
			snprintf(err, n, "--serve-max-series: '%.40s' is not 10 to 1000000", arg);
			return -EINVAL;
		}
		o->max_series = v;
		return 0;
	}
	snprintf(err, n, "unknown option");
	return -EINVAL;
}

int serve_opts_check(const struct serve_opts *o, bool recording, char *err, size_t n)
{
	const char *alone = o->auth_file		? "--serve-auth"
			    : o->tls_cert || o->tls_key ? "--serve-tls-cert and --serve-tls-key"
							: NULL;

	if (!o->listen && alone) {
		snprintf(err, n, "%s is for --serve", alone);
		return -EINVAL;
	}
	if (!o->tls_cert != !o->tls_key) {
		snprintf(err, n, "--serve-tls-cert and --serve-tls-key go together");
		return -EINVAL;
	}
	if (o->headless && !o->listen && !recording) {
		snprintf(err, n, "--headless is for --serve or --record: nothing to do");
		return -EINVAL;
	}
	return 0;
}
