// SPDX-License-Identifier: GPL-2.0
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
#include "views/lifegroups.h"
#include "views/throughput.h"

enum {
	OPT_VIEW = 256,
	OPT_SORT,
	OPT_VERSION,
	OPT_FILTER,
	OPT_KEYS,
	OPT_EXPORT_DIR,
	OPT_RECORD,
	OPT_REPLAY,
	OPT_SPEED,
	OPT_FORCE,
	OPT_GROUP,
	OPT_MAX_SOCKETS,
	OPT_RINGBUF_MB,
	OPT_MAX_ROWS,
	OPT_HOOKS,
	OPT_LIST_KEYS,
	OPT_WITHOUT,
	OPT_WITH,
	OPT_NICE,
	OPT_EXCLUDE_SELF,
	OPT_JSON,
};

static const struct option long_opts[] = {
    {"batch", no_argument, NULL, 'b'},
    {"duration", required_argument, NULL, 'd'},
    {"interval", required_argument, NULL, 'i'},
    {"view", required_argument, NULL, OPT_VIEW},
    {"csv", no_argument, NULL, 's'},
    {"timestamp", no_argument, NULL, 't'},
    {"time", no_argument, NULL, 'T'},
    {"wide", no_argument, NULL, 'w'},
    {"pid", required_argument, NULL, 'p'},
    {"localport", required_argument, NULL, 'L'},
    {"remoteport", required_argument, NULL, 'D'},
    {"ipv4", no_argument, NULL, '4'},
    {"ipv6", no_argument, NULL, '6'},
    {"sort", required_argument, NULL, OPT_SORT},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {"filter", required_argument, NULL, OPT_FILTER},
    {"keys", required_argument, NULL, OPT_KEYS},
    {"export-dir", required_argument, NULL, OPT_EXPORT_DIR},
    {"record", required_argument, NULL, OPT_RECORD},
    {"replay", required_argument, NULL, OPT_REPLAY},
    {"speed", required_argument, NULL, OPT_SPEED},
    {"force", no_argument, NULL, OPT_FORCE},
    {"group", required_argument, NULL, OPT_GROUP},
    {"max-sockets", required_argument, NULL, OPT_MAX_SOCKETS},
    {"ringbuf-mb", required_argument, NULL, OPT_RINGBUF_MB},
    {"max-rows", required_argument, NULL, OPT_MAX_ROWS},
    {"hooks", required_argument, NULL, OPT_HOOKS},
    {"list-keys", no_argument, NULL, OPT_LIST_KEYS},
    {"without", required_argument, NULL, OPT_WITHOUT},
    {"with", required_argument, NULL, OPT_WITH},
    {"nice", required_argument, NULL, OPT_NICE},
    {"exclude-self", no_argument, NULL, OPT_EXCLUDE_SELF},
    {"json", no_argument, NULL, OPT_JSON},
    SERVE_LONG_OPTIONS,
    RTT_LONG_OPTIONS,
    {0},
};

void options_usage(FILE *f)
{
	fputs(
	    "usage: tcpscope [-b] [-d SECS] [-i SECS] [--view VIEW[,VIEW]] [-s] [-t] [-T] [-w]\n"
	    "                [-p PID] [-L PORTS] [-D PORTS] [-4 | -6] [--sort COLUMN[:asc|desc]]\n"
	    "                [--filter EXPR] [--record FILE | --replay FILE [--speed N]] [-v]\n"
	    "\n"
	    "Top for TCP: session lifespans, throughput, state changes, retransmits and drops,\n"
	    "live from the kernel (eBPF), on one screen.\n"
	    "\n"
	    "  -b, --batch          print lines instead of the screen, like top -b\n"
	    "  -d, --duration SECS  stop after SECS seconds\n"
	    "  -i, --interval SECS  refresh and throughput interval (default 1)\n"
	    "      --view VIEW      batch: lifespans (default), throughput, states, events, all;\n"
	    "                       rtt: RTT histograms like tcprtt (once at the end; -i: each\n"
	    "                       interval)\n"
	    "  -s, --csv            comma-separated values (with exact byte counts)\n"
	    "      --json           JSON lines: an object per row, every view (exact numbers)\n"
	    "  -t, --timestamp      add a TIME(s) column: seconds since start\n"
	    "  -T, --time           add a TIME column (HH:MM:SS)\n"
	    "  -w, --wide           wide columns (fit IPv6 addresses)\n"
	    "  -p, --pid PID        only sockets this process owns\n"
	    "  -L, --localport LIST only these local ports (comma-separated, ranges a-b)\n"
	    "  -D, --remoteport LIST only these remote ports\n" RTT_USAGE
	    "  -4, --ipv4           IPv4 only\n"
	    "  -6, --ipv6           IPv6 only\n"
	    "      --sort COL[:asc|desc]  sort column (throughput tables, and the screen)\n"
	    "      --filter EXPR    filter rows: port N, lport N, rport N, pid N, comm TEXT,\n"
	    "                       addr IP[/PREFIX], laddr, raddr, state NAME, ip 4|6,\n"
	    "                       type NAME (events: retrans, drop, reset, cong, queue,\n"
	    "                       memory, error, or a TYPE); ! negates a term\n"
	    "      --group G        group rows, in each view that has G: throughput by\n"
	    "                       process+hosts (default), hosts, process or socket;\n"
	    "                       lifespans by socket (a row a session, the default),\n"
	    "                       process+port+host, process or port: sums per interval\n"
	    "      --keys FILE      key bindings (default ~/.config/tcpscope/keys)\n"
	    "      --list-keys      print the key bindings (with --keys FILE: those)\n"
	    "      --export-dir DIR where 'e' writes CSV snapshots (default: current directory)\n"
	    "      --record FILE    also write every event to FILE ('-': standard output)\n"
	    "      --replay FILE    show a recording instead of the live kernel ('-': stdin)\n"
	    "      --speed N        replay N times faster (batch replays run flat out)\n"
	    "      --force          overwrite existing output files\n"
	    "      --max-sockets N  sockets the kernel tracks at once (default 65536)\n"
	    "      --ringbuf-mb N   kernel-to-user buffer in MiB, a power of 2 (default 8)\n"
	    "      --max-rows N     closed sessions and log rows kept per pane (default 20000);\n"
	    "                       each flow (command + service port) keeps its newest 256\n"
	    "      --with accept    also take owners at accept() (sockets reset before any\n"
	    "                       send, recv or close); every syscall pays a little\n"
	    "      --without JOBS   run as if the kernel lacked these hooks: traffic, accept,\n"
	    "                       retrans, drops, tcpdrop, iter (to see what depends on them)\n"
	    "      --hooks FLAVOUR  start from this flavour where a job has it: tp_btf (default),\n"
	    "                       raw_tp, tracepoint, fentry, kprobe (-v shows the plan)\n"
	    "      --nice N         the screen's priority while it runs, -20 to 19 (default -5,\n"
	    "                       when allowed), and live, real-time priority for taking\n"
	    "                       records in (SCHED_FIFO 1 and 2, when allowed): nothing is\n"
	    "                       lost and keys are answered on a busy host; 0: leave both\n"
	    "      --exclude-self   over SSH: leave the connection carrying tcpscope out (it is\n"
	    "                       marked otherwise)\n" SERVE_USAGE
	    "  -v, --verbose        print the hook plan and libbpf messages\n"
	    "  -h, --help           this help\n"
	    "      --version        the version\n"
	    "\n"
	    "examples:\n"
	    "  tcpscope                       # the interactive screen\n"
	    "  tcpscope -b                    # a line per closed session, like tcplife\n"
	    "  tcpscope -b -stT               # the same as CSV, with times\n"
	    "  tcpscope -b --view throughput  # a table per second, like tcptop\n"
	    "  tcpscope -b --view states -L 80  # state changes on local port 80\n"
	    "  tcpscope -b --view rtt -i 1 -m --byraddr  # tcprtt: RTT by remote host\n"
	    "  tcpscope --record cap.tcps -d 60 -b; tcpscope --replay cap.tcps\n"
	    "  tcpscope --serve :9850           # metrics for Prometheus on 127.0.0.1:9850\n",
	    f);
}

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

static int parse_views(const char *s, unsigned *views, bool *rtt, char *err, size_t n)
{
	char buf[128], *save = NULL, *tok;

	if (strlen(s) >= sizeof(buf))
		return bad(err, n, "--view: '%.40s' is too long", s);
	strcpy(buf, s);
	*views = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		const struct pane *p = pane_by_name(tok);

		if (!strcmp(tok, "all")) {
			*views = (1u << P_MAX) - 1;
			continue;
		}
		if (!strcmp(tok, "rtt")) {
			*rtt = true;
			continue;
		}
		if (!p)
			return bad(err, n,
				   "--view: unknown view '%.40s' (lifespans, throughput, states, "
				   "events, all, rtt)",
				   tok);
		for (int i = 0; i < P_MAX; i++)
			if (pane_get((enum pane_id)i) == p)
				*views |= 1u << i;
	}
	if (!*views && !*rtt)
		return bad(err, n, "--view: no view named in '%s'", s);
	return 0;
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

/* getopt's message for a missing value or an unknown option, naming the flag as typed. */
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
			    "--without: '%.40s' is not traffic, accept, retrans, drops, tcpdrop or "
			    "iter",
			    tok);
		*mask |= 1u << j;
	}
	return 0;
}

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

int options_parse(int argc, char **argv, struct options *o, char *err, size_t n)
{
	char lports[200] = "", rports[200] = "";
	unsigned long v;
	double d;
	int c, t;

	memset(o, 0, sizeof(*o));
	live_opts_default(&o->live);
	model_config_default(&o->model);
	serve_opts_default(&o->serve);
	o->speed = 1;
	o->nice = -5;
	opterr = 0;
	optind = 0; /* 0, not 1: also forget where the last call stopped inside "-stT" */
	while ((c = getopt_long(argc, argv, ":bd:i:stTwp:L:D:46vhm", long_opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			o->batch = true;
			break;
		case 'd':
			if (!parse_seconds(optarg, 0.001, 1e9, &o->duration))
				return bad(err, n, "-d: '%.40s' is not a duration in seconds",
					   optarg);
			break;
		case 'i':
			if (!parse_seconds(optarg, 0.05, 3600, &d))
				return bad(err, n,
					   "-i: '%.40s' is not an interval of 0.05 to 3600 "
					   "seconds",
					   optarg);
			o->live.interval_ms = (unsigned)(d * 1000 + 0.5);
			o->rtt.interval_given = true;
			break;
		case OPT_VIEW:
			if (parse_views(optarg, &o->views, &o->rtt.view, err, n))
				return -EINVAL;
			break;
		case 's':
			o->csv = true;
			break;
		case 't':
			o->rel = true;
			break;
		case 'T':
			o->clock = true;
			break;
		case 'w':
			o->wide = true;
			break;
		case 'p':
			if (!parse_count(optarg, 1, 0xffffffffUL, &v))
				return bad(err, n, "-p: '%.40s' is not a process id", optarg);
			o->live.pid = (uint32_t)v; /* the last -p wins */
			break;
		case 'L':
			if (add_ports("-L", lports, sizeof(lports), optarg, o->live.lports, err, n))
				return -EINVAL;
			o->live.lport_filter = true;
			break;
		case 'D':
			if (add_ports("-D", rports, sizeof(rports), optarg, o->live.rports, err, n))
				return -EINVAL;
			o->live.rport_filter = true;
			break;
		case '4':
		case '6':
			if (o->live.family && o->live.family != c - '0')
				return bad(err, n, "%s", "-4 and -6 exclude each other");
			o->live.family = (uint8_t)(c - '0');
			break;
		case OPT_SORT:
			o->sort = optarg;
			break;
		case 'v':
			o->verbose = o->live.verbose = true;
			break;
		case 'h':
			options_usage(stdout);
			return 1;
		case OPT_VERSION:
			printf("tcpscope %s\n", TCPSCOPE_VERSION);
			return 1;
		case OPT_WITH:
			/* the one optional job; a list, for the future */
			if (strcmp(optarg, "accept"))
				return bad(err, n, "--with: '%.40s' is not accept", optarg);
			o->live.accept_hook = true;
			break;
		case OPT_WITHOUT:
			if (parse_without(optarg, &o->live.without, err, n))
				return -EINVAL;
			break;
		case OPT_LIST_KEYS:
			o->list_keys = true;
			break;
		case OPT_FILTER:
			o->filter = optarg;
			break;
		case OPT_KEYS:
			o->keys_file = optarg;
			break;
		case OPT_EXPORT_DIR:
			o->export_dir = optarg;
			break;
		case OPT_RECORD:
			o->record = optarg;
			break;
		case OPT_REPLAY:
			o->replay = optarg;
			break;
		case OPT_SPEED:
			if (!parse_seconds(optarg, 0.01, 1e6, &o->speed))
				return bad(err, n,
					   "--speed: '%.40s' is not a factor of 0.01 to 1000000",
					   optarg);
			break;
		case OPT_FORCE:
			o->force = true;
			break;
		case OPT_GROUP:
			/* each view takes the name if it has such a grouping */
			t = tput_group_parse(optarg);
			if (t >= 0)
				o->group = t;
			if (life_group_parse(optarg) >= 0)
				o->life_group = life_group_parse(optarg);
			if (t < 0 && life_group_parse(optarg) < 0)
				return bad(err, n,
					   "--group: '%.40s' is not process+hosts, hosts, process, "
					   "socket, process+port+host or port",
					   optarg);
			break;
		case OPT_MAX_SOCKETS:
			if (!parse_count(optarg, 1024, 1UL << 22, &v))
				return bad(err, n, "--max-sockets: '%.40s' is not 1024 to 4194304",
					   optarg);
			o->live.max_sockets = v;
			o->model.max_open = v * 2;
			break;
		case OPT_RINGBUF_MB:
			if (!parse_count(optarg, 1, 1024, &v) || (v & (v - 1)))
				return bad(err, n,
					   "--ringbuf-mb: '%.40s' is not a power of 2 from 1 "
					   "to 1024",
					   optarg);
			o->live.ringbuf_bytes = v << 20;
			break;
		case OPT_MAX_ROWS:
			if (!parse_count(optarg, 10, 10000000, &v))
				return bad(err, n, "--max-rows: '%.40s' is not 10 to 10000000",
					   optarg);
			o->model.max_closed = o->model.max_states = o->model.max_events = v;
			break;
		case OPT_NICE: {
			char *end;
			long v2;

			errno = 0;
			v2 = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v2 < -20 || v2 > 19)
				return bad(err, n, "--nice: '%.40s' is not -20 to 19", optarg);
			o->nice = (int)v2;
			o->live.realtime = o->nice != 0; /* 0: leave every priority alone */
			break;
		}
		case OPT_EXCLUDE_SELF:
			o->live.exclude_self = true;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case 'm':
		case RTT_OPT_BYRADDR ... RTT_OPT_LAST:
			if (rtt_opts_parse(c, optarg, &o->rtt, &o->live, err, n))
				return -EINVAL;
			break;
		case SERVE_OPT_LISTEN ... SERVE_OPT_LAST:
			if (serve_opts_parse(c, optarg, &o->serve, err, n))
				return -EINVAL;
			break;
		case OPT_HOOKS:
			t = tier_parse(optarg);
			if (t < 0)
				return bad(
				    err, n,
				    "--hooks: '%.40s' is not tp_btf, raw_tp, tracepoint, fentry "
				    "or kprobe",
				    optarg);
			o->live.first_tier = t;
			break;
		default:
			return bad_option(err, n, c, optind > 0 ? argv[optind - 1] : NULL);
		}
	}
	if (optind < argc)
		return bad(err, n, "unexpected argument '%.40s' (see tcpscope -h)", argv[optind]);
	if (cli_terms(o, lports, rports, err, n))
		return -EINVAL;
	if ((o->csv || o->json || o->views) && !o->batch && !o->list_keys)
		return bad(err, n, "%s",
			   o->csv    ? "-s/--csv is for batch output: add -b"
			   : o->json ? "--json is for batch output: add -b"
				     : "--view is for batch output: add -b");
	if (o->csv && o->json)
		return bad(err, n, "%s", "-s/--csv and --json exclude each other");
	if (serve_opts_check(&o->serve, o->record != NULL, err, n))
		return -EINVAL;
	if (o->serve.headless && o->batch)
		return bad(err, n, "%s", "--headless prints no lines: leave out -b");
	if (rtt_opts_check(&o->rtt, o->views, o->batch, o->json, &o->live, err, n))
		return -EINVAL;
	if (!o->views && !o->rtt.view)
		o->views = o->batch ? 1u << P_LIFESPANS : (1u << P_MAX) - 1;
	if (o->csv && __builtin_popcount(o->views) > 1)
		return bad(err, n, "%s", "-s/--csv writes one view at a time: pick one --view");
	if (o->record && o->replay)
		return bad(err, n, "%s", "--record and --replay exclude each other");
	/* over SSH, the connection carrying this screen (a replay's host is another) */
	if (!o->replay && self_parse(getenv("SSH_CONNECTION"), netns_self(), &o->self))
		o->live.self_conn = o->self.conn;
	/* only what the chosen views need is loaded */
	o->live.all_states = !o->batch || (o->views & (1u << P_STATES));
	o->live.want_retrans = o->live.want_drops = !o->batch || (o->views & (1u << P_EVENTS));
	o->live.want_sockevs = o->live.want_retrans;
	/* tcp_probe: the screen, --view rtt, and the events' full queues (zero windows) */
	if (o->batch && !o->rtt.view) {
		o->live.want_rtt = o->live.want_retrans;
		o->live.rtt_scopes = 0; /* no histograms: each session's own numbers only */
	}
	/* metrics count retransmits and drops, whatever the views */
	if (o->serve.listen)
		o->live.want_retrans = o->live.want_drops = o->live.want_sockevs = true;
	o->model.max_groups = o->model.max_closed > 32768 ? o->model.max_closed : 32768;
	return 0;
}
