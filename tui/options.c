// SPDX-License-Identifier: GPL-2.0
/*
 * The command line: a table of flags, each with the function that takes its
 * value, and the checks that need them all (parse_done).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "options.h"
#include "bpf/plan.h"
#include "views/filter.h"

/* What the flags gather besides the options themselves, and where errors go. */
struct parse {
	struct options *o;
	char lports[200], rports[200]; /* -L and -D as given, for the filter of a replay */
	char *err;
	size_t n;
};

static int bad(char *err, size_t n, const char *fmt, const char *arg)
{
	snprintf(err, n, fmt, arg);
	return -EINVAL;
}

static bool parse_seconds(const char *s, double min, double max, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static bool parse_count(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static int parse_panes(const char *s, unsigned *panes, char *err, size_t n)
{
	char buf[128], *save = NULL, *tok;

	if (strlen(s) >= sizeof(buf))
		return bad(err, n, "--view: '%.40s' is too long", s);
	strcpy(buf, s);
	*panes = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		const struct pane *p = pane_by_name(tok);

		if (!strcmp(tok, "all")) {
			/* every pane that prints rows: histograms go alone */
			for (int i = 0; i < P_MAX; i++)
				if (pane_get((enum pane_id)i)->batch != BATCH_HISTOGRAM)
					*panes |= 1u << i;
			continue;
		}
		if (!p) {
			char names[256];

			snprintf(err, n, "--view: unknown pane '%.40s' (%s, all)", tok,
				 options_pane_names(names, sizeof(names)));
			return -EINVAL;
		}
		for (int i = 0; i < P_MAX; i++)
			if (pane_get((enum pane_id)i) == p)
				*panes |= 1u << i;
	}
	if (!*panes)
		return bad(err, n, "--view: no pane named in '%s'", s);
	return 0;
}

/* --group NAME: every pane that has a grouping of that name takes it. */
static int parse_group(const char *name, struct pane_opts *grouping, char *err, size_t n)
{
	const char *names[64];
	int nnames = 0;
	size_t o;
	bool found = false;

	for (int i = 0; i < P_MAX; i++) {
		const struct pane_grouping *g = pane_get((enum pane_id)i)->grouping;

		for (int mode = 0; g && mode < g->modes; mode++) {
			bool again = false;

			if (!strcmp(name, g->name(mode))) {
				g->set(grouping, mode);
				found = true;
			}
			for (int k = 0; k < nnames; k++)
				again |= !strcmp(names[k], g->name(mode));
			if (!again && nnames < 64)
				names[nnames++] = g->name(mode);
		}
	}
	if (found)
		return 0;
	/* every grouping's names, each once */
	o = (size_t)snprintf(err, n, "--group: '%.40s' is not ", name);
	for (int k = 0; k < nnames && o < n; k++)
		o += (size_t)snprintf(err + o, n - o, "%s%s",
				      !k		? ""
				      : k == nnames - 1 ? " or "
							: ", ",
				      names[k]);
	return -EINVAL;
}

/* The kernel jobs the panes need, and whether one needs every state change. */
static void wanted_jobs(struct live_opts *live, unsigned panes)
{
	live->want_jobs = 0;
	live->all_states = false;
	for (int i = 0; i < P_MAX; i++) {
		const struct pane *p = pane_get((enum pane_id)i);
		/* the pane, and the one its grouping may show instead */
		const struct pane *shows[] = {p, p->grouping ? p->grouping->summed : NULL};

		for (size_t k = 0; (panes & (1u << i)) && k < 2 && shows[k]; k++) {
			for (int j = 0; j < PANE_JOBS && shows[k]->jobs[j]; j++)
				if (job_parse(shows[k]->jobs[j]) >= 0)
					live->want_jobs |= 1u << job_parse(shows[k]->jobs[j]);
			live->all_states |= shows[k]->every_transition;
		}
	}
}

/* -L and -D add up: "80" then "443" is "80,443"; the result is checked as one list. */
static int add_ports(const char *flag, char *list, size_t size, const char *more, uint8_t *bits,
		     char *err, size_t n)
{
	size_t len = strlen(list);
	char why[200];
	int w = snprintf(list + len, size - len, "%s%s", len ? "," : "", more);

	if (!*more) {
		snprintf(err, n, "%s: empty port list", flag);
		return -EINVAL;
	}
	if (w < 0 || (size_t)w >= size - len) {
		snprintf(err, n, "%s: too many ports", flag);
		return -EINVAL;
	}
	if (parse_port_list(list, bits, why, sizeof(why))) {
		snprintf(err, n, "%s: %s", flag, why);
		return -EINVAL;
	}
	return 0;
}

/* -p -L -D -4 -6 again as filter terms, so a replay is filtered as the kernel filtered live. */
static int cli_terms(struct options *o, const char *lports, const char *rports, char *err, size_t n)
{
	char pid[24] = "", family[8] = "";
	int w;

	if (o->live.pid)
		snprintf(pid, sizeof(pid), " pid %u", o->live.pid);
	if (o->live.family)
		snprintf(family, sizeof(family), " ip %u", o->live.family);
	w = snprintf(o->cli_filter, sizeof(o->cli_filter), "%s%s%s%s%s%s%s", pid,
		     *lports ? " lport " : "", lports, *rports ? " rport " : "", rports, family,
		     o->rtt.terms);
	if (w < 0 || (size_t)w >= sizeof(o->cli_filter))
		return bad(err, n, "%s", "-L/-D/--laddr/--raddr: too many ports or addresses");
	return 0;
}

/* This process's network namespace: the SSH connection is in it. */
static uint32_t netns_self(void)
{
	struct stat st;

	return stat("/proc/self/ns/net", &st) ? 0 : (uint32_t)st.st_ino;
}

/* --without traffic,drops: run as if the kernel lacked those jobs' hooks (for tests). */
static int parse_without(const char *s, unsigned *mask, char *err, size_t n)
{
	char buf[128], *save = NULL, *tok;

	if (strlen(s) >= sizeof(buf))
		return bad(err, n, "--without: '%.40s' is too long", s);
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int j = job_parse(tok);

		if (j < 0 || j == JOB_STATE)
			return bad(
			    err, n,
			    "--without: '%.40s' is not traffic, accept, retrans, drops, tcpdrop, "
			    "iter, rtt, resets, cong, memory, errors or listen",
			    tok);
		*mask |= 1u << j;
	}
	return 0;
}

/* getopt's message for a missing value or an unknown option, naming the flag as typed. */
static int bad_option(char *err, size_t n, int c, const char *arg)
{
	bool is_long = arg && !strncmp(arg, "--", 2);
	int len = is_long ? (int)strcspn(arg, "=") : 0;

	if (c == ':' && is_long)
		snprintf(err, n, "option %.*s needs a value", len, arg);
	else if (c == ':')
		snprintf(err, n, "option -%c needs a value", optopt);
	else if (is_long && optopt)
		snprintf(err, n, "option %.*s takes no value", len, arg);
	else if (is_long || !optopt)
		snprintf(err, n, "unknown option %.*s (see tcpscope -h)", len ? len : 40,
			 arg ? arg : "?");
	else
		snprintf(err, n, "unknown option -%c (see tcpscope -h)", optopt);
	return -EINVAL;
}

/* The flags: what each does with its value (arg: NULL for a switch). 0, 1 (done) or -EINVAL. */
typedef int (*flag_fn)(struct parse *p, const char *arg);

/* A switch that sets one field of the options. */
#define SWITCH(fn, field)                                                                          \
	static int fn(struct parse *p, const char *arg)                                            \
	{                                                                                          \
		p->o->field = true;                                                                \
		return 0;                                                                          \
	}

SWITCH(set_batch, batch)
SWITCH(set_csv, csv)
SWITCH(set_rel, rel)
SWITCH(set_clock, clock)
SWITCH(set_wide, wide)
SWITCH(set_force, force)
SWITCH(set_list_keys, list_keys)
SWITCH(set_exclude_self, live.exclude_self)
SWITCH(set_json, json)

/* A flag whose value is kept as given, checked where it is used. */
#define AS_GIVEN(fn, field)                                                                        \
	static int fn(struct parse *p, const char *arg)                                            \
	{                                                                                          \
		p->o->field = arg;                                                                 \
		return 0;                                                                          \
	}

AS_GIVEN(set_sort, sort)
AS_GIVEN(set_filter, filter)
AS_GIVEN(set_keys, keys_file)
AS_GIVEN(set_export_dir, export_dir)
AS_GIVEN(set_record, record)
AS_GIVEN(set_replay, replay)

static int set_verbose(struct parse *p, const char *arg)
{
	p->o->verbose = p->o->live.verbose = true;
	return 0;
}

static int show_help(struct parse *p, const char *arg)
{
	options_usage(stdout);
	return 1;
}

static int show_version(struct parse *p, const char *arg)
{
	printf("tcpscope %s\n", TCPSCOPE_VERSION);
	return 1;
}

static int set_duration(struct parse *p, const char *arg)
{
	if (!parse_seconds(arg, 0.001, 1e9, &p->o->duration))
		return bad(p->err, p->n, "-d: '%.40s' is not a duration in seconds", arg);
	return 0;
}

static int set_interval(struct parse *p, const char *arg)
{
	double d;

	if (!parse_seconds(arg, 0.05, 3600, &d))
		return bad(p->err, p->n, "-i: '%.40s' is not an interval of 0.05 to 3600 seconds",
			   arg);
	p->o->live.interval_ms = (unsigned)(d * 1000 + 0.5);
	p->o->rtt.interval_given = true; /* --view rtt: a histogram per interval */
	return 0;
}

static int set_panes(struct parse *p, const char *arg)
{
	return parse_panes(arg, &p->o->panes, p->err, p->n);
}

static int set_group(struct parse *p, const char *arg)
{
	return parse_group(arg, &p->o->grouping, p->err, p->n);
}

static int set_pid(struct parse *p, const char *arg)
{
	unsigned long v;

	if (!parse_count(arg, 1, 0xffffffffUL, &v))
		return bad(p->err, p->n, "-p: '%.40s' is not a process id", arg);
	p->o->live.pid = (uint32_t)v; /* the last -p wins */
	return 0;
}

static int set_lports(struct parse *p, const char *arg)
{
	p->o->live.lport_filter = true;
	return add_ports("-L", p->lports, sizeof(p->lports), arg, p->o->live.lports, p->err, p->n);
}

static int set_rports(struct parse *p, const char *arg)
{
	p->o->live.rport_filter = true;
	return add_ports("-D", p->rports, sizeof(p->rports), arg, p->o->live.rports, p->err, p->n);
}

static int set_family(struct parse *p, uint8_t family)
{
	if (p->o->live.family && p->o->live.family != family)
		return bad(p->err, p->n, "%s", "-4 and -6 exclude each other");
	p->o->live.family = family;
	return 0;
}

static int set_ipv4(struct parse *p, const char *arg)
{
	return set_family(p, 4);
}

static int set_ipv6(struct parse *p, const char *arg)
{
	return set_family(p, 6);
}

static int set_with(struct parse *p, const char *arg)
{
	/* the one optional job; a list, for the future */
	if (strcmp(arg, "accept"))
		return bad(p->err, p->n, "--with: '%.40s' is not accept", arg);
	p->o->live.accept_hook = true;
	return 0;
}

static int set_without(struct parse *p, const char *arg)
{
	return parse_without(arg, &p->o->live.without, p->err, p->n);
}

static int set_speed(struct parse *p, const char *arg)
{
	if (!parse_seconds(arg, 0.01, 1e6, &p->o->speed))
		return bad(p->err, p->n, "--speed: '%.40s' is not a factor of 0.01 to 1000000",
			   arg);
	return 0;
}

static int set_max_sockets(struct parse *p, const char *arg)
{
	unsigned long v;

	if (!parse_count(arg, 1024, 1UL << 22, &v))
		return bad(p->err, p->n, "--max-sockets: '%.40s' is not 1024 to 4194304", arg);
	p->o->live.max_sockets = v;
	p->o->model.max_open = v * 2;
	return 0;
}

static int set_ringbuf_mb(struct parse *p, const char *arg)
{
	unsigned long v;

	if (!parse_count(arg, 1, 1024, &v) || (v & (v - 1)))
		return bad(p->err, p->n, "--ringbuf-mb: '%.40s' is not a power of 2 from 1 to 1024",
			   arg);
	p->o->live.ringbuf_bytes = v << 20;
	return 0;
}

static int set_max_rows(struct parse *p, const char *arg)
{
	unsigned long v;

	if (!parse_count(arg, 10, 10000000, &v))
		return bad(p->err, p->n, "--max-rows: '%.40s' is not 10 to 10000000", arg);
	p->o->model.max_closed = p->o->model.max_states = p->o->model.max_events = v;
	return 0;
}

static int set_nice(struct parse *p, const char *arg)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < -20 || v > 19)
		return bad(p->err, p->n, "--nice: '%.40s' is not -20 to 19", arg);
	p->o->nice = (int)v;
	p->o->live.realtime = p->o->nice != 0; /* 0: leave every priority alone */
	return 0;
}

static int set_max_listeners(struct parse *p, const char *arg)
{
	unsigned long v;

	if (!parse_count(arg, 16, 1UL << 20, &v))
		return bad(p->err, p->n, "--max-listeners: '%.40s' is not 16 to 1048576", arg);
	p->o->live.max_listeners = v;
	p->o->model.max_listeners = v;
	return 0;
}

static int set_subnets(struct parse *p, const char *arg)
{
	return subnets_parse(arg, &p->o->subnets, p->err, p->n);
}

static int set_hist(struct parse *p, const char *arg)
{
	p->o->hist = true;
	p->o->grouping.listen_hist = true;
	return 0;
}

static int set_hooks(struct parse *p, const char *arg)
{
	int t = tier_parse(arg);

	if (t < 0)
		return bad(p->err, p->n,
			   "--hooks: '%.40s' is not tp_btf, raw_tp, tracepoint, fentry or kprobe",
			   arg);
	p->o->live.first_tier = t;
	return 0;
}

/* --serve and its companions: tui/serve_opts.c takes their values. */
#define SERVE_FLAG(fn, code)                                                                       \
	static int fn(struct parse *p, const char *arg)                                            \
	{                                                                                          \
		return serve_opts_parse(code, arg, &p->o->serve, p->err, p->n);                    \
	}

SERVE_FLAG(set_serve, SERVE_OPT_LISTEN)
SERVE_FLAG(set_serve_auth, SERVE_OPT_AUTH)
SERVE_FLAG(set_serve_max_series, SERVE_OPT_MAX_SERIES)
SERVE_FLAG(set_serve_tls_cert, SERVE_OPT_TLS_CERT)
SERVE_FLAG(set_serve_tls_key, SERVE_OPT_TLS_KEY)
SERVE_FLAG(set_headless, SERVE_OPT_HEADLESS)

/* tcprtt's flags: tui/rtt_opts.c takes their values. */
#define RTT_FLAG(fn, code)                                                                         \
	static int fn(struct parse *p, const char *arg)                                            \
	{                                                                                          \
		return rtt_opts_parse(code, arg, &p->o->rtt, &p->o->live, p->err, p->n);           \
	}

RTT_FLAG(set_msecs, RTT_OPT_MSECS)
RTT_FLAG(set_byraddr, RTT_OPT_BYRADDR)
RTT_FLAG(set_byladdr, RTT_OPT_BYLADDR)
RTT_FLAG(set_laddr, RTT_OPT_LADDR)
RTT_FLAG(set_raddr, RTT_OPT_RADDR)

/* Keys of the flags that have no letter, above any character. */
enum { LONG_ONLY = 256 };

static const struct flag {
	const char *name; /* --name */
	int letter;	  /* -l; 0: none */
	bool value;	  /* takes a value */
	flag_fn take;
} flags[] = {
    {.name = "batch", .letter = 'b', .take = set_batch},
    {.name = "duration", .letter = 'd', .value = true, .take = set_duration},
    {.name = "interval", .letter = 'i', .value = true, .take = set_interval},
    {.name = "view", .value = true, .take = set_panes},
    {.name = "csv", .letter = 's', .take = set_csv},
    {.name = "timestamp", .letter = 't', .take = set_rel},
    {.name = "time", .letter = 'T', .take = set_clock},
    {.name = "wide", .letter = 'w', .take = set_wide},
    {.name = "pid", .letter = 'p', .value = true, .take = set_pid},
    {.name = "localport", .letter = 'L', .value = true, .take = set_lports},
    {.name = "remoteport", .letter = 'D', .value = true, .take = set_rports},
    {.name = "ipv4", .letter = '4', .take = set_ipv4},
    {.name = "ipv6", .letter = '6', .take = set_ipv6},
    {.name = "sort", .value = true, .take = set_sort},
    {.name = "verbose", .letter = 'v', .take = set_verbose},
    {.name = "help", .letter = 'h', .take = show_help},
    {.name = "version", .take = show_version},
    {.name = "filter", .value = true, .take = set_filter},
    {.name = "keys", .value = true, .take = set_keys},
    {.name = "export-dir", .value = true, .take = set_export_dir},
    {.name = "record", .value = true, .take = set_record},
    {.name = "replay", .value = true, .take = set_replay},
    {.name = "speed", .value = true, .take = set_speed},
    {.name = "force", .take = set_force},
    {.name = "group", .value = true, .take = set_group},
    {.name = "max-sockets", .value = true, .take = set_max_sockets},
    {.name = "max-listeners", .value = true, .take = set_max_listeners},
    {.name = "subnets", .value = true, .take = set_subnets},
    {.name = "hist", .take = set_hist},
    {.name = "ringbuf-mb", .value = true, .take = set_ringbuf_mb},
    {.name = "max-rows", .value = true, .take = set_max_rows},
    {.name = "hooks", .value = true, .take = set_hooks},
    {.name = "list-keys", .take = set_list_keys},
    {.name = "without", .value = true, .take = set_without},
    {.name = "with", .value = true, .take = set_with},
    {.name = "nice", .value = true, .take = set_nice},
    {.name = "exclude-self", .take = set_exclude_self},
    {.name = "json", .take = set_json},
    {.name = "serve", .value = true, .take = set_serve},
    {.name = "serve-auth", .value = true, .take = set_serve_auth},
    {.name = "serve-max-series", .value = true, .take = set_serve_max_series},
    {.name = "serve-tls-cert", .value = true, .take = set_serve_tls_cert},
    {.name = "serve-tls-key", .value = true, .take = set_serve_tls_key},
    {.name = "headless", .take = set_headless},
    {.name = "milliseconds", .letter = 'm', .take = set_msecs},
    {.name = "byraddr", .take = set_byraddr},
    {.name = "byladdr", .take = set_byladdr},
    {.name = "laddr", .value = true, .take = set_laddr},
    {.name = "raddr", .value = true, .take = set_raddr},
};

#define NFLAGS (sizeof(flags) / sizeof(flags[0]))

/* What getopt_long reports for flag i: its letter, or a key of its own. */
static int key_of(size_t i)
{
	return flags[i].letter ? flags[i].letter : LONG_ONLY + (int)i;
}

/* getopt_long's tables, from the flags: ":bd:i:..." and the long names. */
static void getopt_tables(char *shorts, struct option *longs)
{
	size_t o = 0;

	shorts[o++] = ':'; /* a missing value is ':', not '?' */
	for (size_t i = 0; i < NFLAGS; i++) {
		longs[i] = (struct option){
		    .name = flags[i].name,
		    .has_arg = flags[i].value ? required_argument : no_argument,
		    .val = key_of(i),
		};
		if (flags[i].letter) {
			shorts[o++] = (char)flags[i].letter;
			if (flags[i].value)
				shorts[o++] = ':';
		}
	}
	shorts[o] = 0;
	longs[NFLAGS] = (struct option){0};
}

static const struct flag *flag_of(int key)
{
	for (size_t i = 0; i < NFLAGS; i++)
		if (key_of(i) == key)
			return &flags[i];
	return NULL;
}

static void defaults(struct options *o)
{
	memset(o, 0, sizeof(*o));
	live_opts_default(&o->live);
	model_config_default(&o->model);
	serve_opts_default(&o->serve);
	subnets_parse(SUBNETS_DEFAULT, &o->subnets, NULL, 0);
	o->speed = 1;
	o->nice = -5;
}

/* What needs every flag: the checks of flags together, and what follows from them. */
static int parse_done(struct parse *p)
{
	struct options *o = p->o;

	if (cli_terms(o, p->lports, p->rports, p->err, p->n))
		return -EINVAL;
	if ((o->csv || o->json || o->panes) && !o->batch && !o->list_keys)
		return bad(p->err, p->n, "%s",
			   o->csv    ? "-s/--csv is for batch output: add -b"
			   : o->json ? "--json is for batch output: add -b"
				     : "--view is for batch output: add -b");
	if (o->csv && o->json)
		return bad(p->err, p->n, "%s", "-s/--csv and --json exclude each other");
	if (serve_opts_check(&o->serve, o->record != NULL, p->err, p->n))
		return -EINVAL;
	if (o->serve.headless && o->batch)
		return bad(p->err, p->n, "%s", "--headless prints no lines: leave out -b");
	if (rtt_opts_check(&o->rtt, o->panes, o->batch, o->json, &o->live, p->err, p->n))
		return -EINVAL;
	/* batch mode prints the first pane (Lifespans, as tcplife) unless told */
	if (!o->panes)
		o->panes = o->batch ? 1u : (1u << P_MAX) - 1;
	if (o->hist && o->batch && !(o->panes & 1u << P_LISTENERS))
		return bad(p->err, p->n, "%s",
			   "--hist is the listeners' backlog distribution: add --view listeners");
	if (o->csv && __builtin_popcount(o->panes) > 1)
		return bad(p->err, p->n, "%s",
			   "-s/--csv writes one pane at a time: pick one --view");
	if (o->record && o->replay)
		return bad(p->err, p->n, "%s", "--record and --replay exclude each other");
	/* over SSH, the connection carrying this screen (a replay's host is another) */
	if (!o->replay && self_parse(getenv("SSH_CONNECTION"), netns_self(), &o->self))
		o->live.self_conn = o->self.conn;
	/* only what the chosen panes need is loaded */
	wanted_jobs(&o->live, o->panes);
	/* metrics count retransmits, drops, resets, RTT and listeners, whatever the panes */
	if (o->serve.listen)
		o->live.want_jobs |= 1u << JOB_RETRANS | 1u << JOB_DROPS | 1u << JOB_RESETS |
				     1u << JOB_RTT | 1u << JOB_LISTEN;
	/*
	 * batch mode keeps the RTT histograms only for --view rtt (each session's
	 * are always kept), or for a recording: its replay shows the RTT pane
	 */
	if (o->batch && !o->rtt.view && !o->record)
		o->live.rtt_scopes = 0;
	/* tcpscope_rtt_seconds is every connection's histogram */
	if (o->serve.listen)
		o->live.rtt_scopes |= 1u << TS_RTT_ALL;
	o->model.max_groups = o->model.max_closed > 32768 ? o->model.max_closed : 32768;
	o->model.subnets = &o->subnets;
	/* connection pages are the screen's */
	if (o->batch)
		o->model.max_connlogs = 0;
	return 0;
}

int options_parse(int argc, char **argv, struct options *o, char *err, size_t n)
{
	struct parse p = {.o = o, .err = err, .n = n};
	struct option longs[NFLAGS + 1];
	char shorts[2 * NFLAGS + 2];
	int c, rc;

	defaults(o);
	getopt_tables(shorts, longs);
	opterr = 0;
	optind = 0; /* 0, not 1: also forget where the last call stopped inside "-stT" */
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		const struct flag *f = flag_of(c);

		if (!f)
			return bad_option(err, n, c, optind > 0 ? argv[optind - 1] : NULL);
		rc = f->take(&p, optarg);
		if (rc)
			return rc;
	}
	if (optind < argc)
		return bad(err, n, "unexpected argument '%.40s' (see tcpscope -h)", argv[optind]);
	return parse_done(&p);
}
