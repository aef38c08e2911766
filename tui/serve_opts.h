/* SPDX-License-Identifier: GPL-2.0 */
/* The --serve flags: where metrics are served, to whom, and how many label sets. */
#ifndef TCPSCOPE_SERVE_OPTS_H
#define TCPSCOPE_SERVE_OPTS_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

struct serve_opts {
	const char *listen; /* as given; NULL: not serving */
	struct sockaddr_storage addr;
	socklen_t addrlen;
	const char *auth_file; /* user:password, not readable by others */
	const char *tls_cert, *tls_key;
	size_t max_series;
	bool headless; /* no screen, no batch output: serve (and record) only */
};

/* getopt codes of the flags, past those of options.c */
enum {
	SERVE_OPT_LISTEN = 512,
	SERVE_OPT_AUTH,
	SERVE_OPT_MAX_SERIES,
	SERVE_OPT_TLS_CERT,
	SERVE_OPT_TLS_KEY,
	SERVE_OPT_HEADLESS,
	SERVE_OPT_LAST = SERVE_OPT_HEADLESS,
};

#define SERVE_LONG_OPTIONS                                                                         \
	{"serve", required_argument, NULL, SERVE_OPT_LISTEN},                                      \
	    {"serve-auth", required_argument, NULL, SERVE_OPT_AUTH},                               \
	    {"serve-max-series", required_argument, NULL, SERVE_OPT_MAX_SERIES},                   \
	    {"serve-tls-cert", required_argument, NULL, SERVE_OPT_TLS_CERT},                       \
	    {"serve-tls-key", required_argument, NULL, SERVE_OPT_TLS_KEY},                         \
	{                                                                                          \
		"headless", no_argument, NULL, SERVE_OPT_HEADLESS                                  \
	}

#define SERVE_USAGE                                                                                \
	"      --serve [ADDR]:PORT  serve metrics at http://ADDR:PORT/metrics (Prometheus;\n"      \
	"                       ADDR 127.0.0.1 when left out); headless without a terminal\n"      \
	"      --serve-auth FILE  basic auth: FILE holds user:password (mode 0600)\n"              \
	"      --serve-tls-cert FILE, --serve-tls-key FILE  serve HTTPS\n"                         \
	"      --serve-max-series N  label sets of process and port (default 2000); the\n"         \
	"                       rest are summed up as \"other\"\n"                                 \
	"      --headless       no screen and no lines: --serve and --record only\n"

void serve_opts_default(struct serve_opts *o);
/* One of the flags above; 0, or -EINVAL with err saying why. */
int serve_opts_parse(int opt, const char *arg, struct serve_opts *o, char *err, size_t n);
/* What the flags need of each other, after all are read; 0 or -EINVAL. */
int serve_opts_check(const struct serve_opts *o, bool recording, char *err, size_t n);

#endif
