// SPDX-License-Identifier: GPL-2.0
/* The command line (tui/options.c): every flag, its defaults and its errors. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include "../tap.h"
#include "bpf/plan.h"
#include "tui/options.h"
#include "views/filter.h"
#include "views/throughput.h"

static struct options o;
static char err[512];
static char printed[8192]; /* what the call wrote to stdout (-h, --version) */

/* The arguments of the last parse: o points into them, so they live until the next. */
static char *argv[64];
static int argc;

static void free_args(void)
{
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	argc = 0;
}

/* Parse a NULL-terminated argument list (the program name comes first). */
static int parse_argv(const char *const *args)
{
	int rc;
	char *text = NULL;
	size_t len = 0;
	FILE *saved = stdout, *cap = open_memstream(&text, &len);

	if (!cap)
		abort();
	free_args();
	while (args[argc] && argc < 63) {
		argv[argc] = strdup(args[argc]);
		argc++;
	}
	argv[argc] = NULL;
	err[0] = 0;
	fflush(stdout);
	stdout = cap;
	rc = options_parse(argc, argv, &o, err, sizeof(err));
	stdout = saved;
	fclose(cap);
	snprintf(printed, sizeof(printed), "%s", text ? text : "");
	free(text);
	return rc;
}
#define PARSE(...) parse_argv((const char *const[]){"tcpscope", __VA_ARGS__, NULL})

/* The arguments must be refused with one line that names the flag. */
static void refused_at(const char *const *args, const char *flag, int line)
{
	int rc = parse_argv(args);

	if (rc != -EINVAL || !err[0] || strchr(err, '\n') || !strstr(err, flag)) {
		printf("#   line %d: %s ...: rc %d, \"%s\" (want -EINVAL naming %s)\n", line,
		       args[1], rc, err, flag);
		tap_case_failed = 1;
	}
}
#define REFUSED(flag, ...)                                                                         \
	refused_at((const char *const[]){"tcpscope", __VA_ARGS__, NULL}, (flag), __LINE__)

static bool port_bit(const uint8_t *bits, unsigned p)
{
	return bits[p >> 3] & (1 << (p & 7));
}

static int ports_set(const uint8_t *bits)
{
	int n = 0;

	for (int i = 0; i < 8192; i++)
		n += __builtin_popcount(bits[i]);
	return n;
}

/* Whether the command-line filter (o.cli_filter) lets this connection through. */
static bool cli_passes(struct ts_conn c, uint32_t pid)
{
	struct filter f;
	struct ts_owner ow = {.pid = pid};
	struct row_fields rf;
	char e[128];

	if (filter_parse(o.cli_filter, &f, e, sizeof(e))) {
		printf("#   cli_filter \"%s\" does not parse: %s\n", o.cli_filter, e);
		tap_case_failed = 1;
		return false;
	}
	row_fields_conn(&rf, &c, &ow);
	return filter_match(&f, &rf);
}

static struct ts_conn ports(uint8_t family, uint16_t lport, uint16_t rport)
{
	struct ts_conn c = {.family = family, .lport = lport, .rport = rport};

	return c;
}

/* Whether the panes chosen load job j (views/pane.h: each pane's jobs). */
static bool wants(enum job j)
{
	return o.live.want_jobs & (1u << j);
}

TEST(screen_defaults)
{
	CHECK(parse_argv((const char *const[]){"tcpscope", NULL}) == 0);
	CHECK(!o.batch);
	CHECK_EQ_U64(o.panes, (1u << P_MAX) - 1);
	CHECK(!o.csv && !o.clock && !o.rel && !o.wide && !o.verbose && !o.force);
	CHECK(o.duration == 0);
	CHECK(o.speed == 1);
	CHECK_EQ_U64(o.grouping.group, G_PROC_HOSTS);
	CHECK(!o.sort && !o.filter && !o.record && !o.replay && !o.keys_file && !o.export_dir);
	CHECK_STR(o.cli_filter, "");
	CHECK_EQ_U64(o.live.interval_ms, 1000);
	CHECK_EQ_U64(o.live.pid, 0);
	CHECK_EQ_U64(o.live.family, 0);
	CHECK(!o.live.lport_filter && !o.live.rport_filter);
	/* the screen shows every pane: every hook is wanted */
	CHECK(o.live.all_states && wants(JOB_RETRANS) && wants(JOB_DROPS));
	CHECK_EQ_U64(o.model.max_closed, 20000);
}

/* The jobs a pane names are jobs of the hook plan, or the pane would never be fed. */
TEST(every_pane_names_jobs_of_the_plan)
{
	for (int i = 0; i < P_MAX; i++) {
		const struct pane *p = pane_get((enum pane_id)i);
		const struct pane *shows[] = {p, p->grouping ? p->grouping->summed : NULL};

		for (int k = 0; k < 2 && shows[k]; k++)
			for (int j = 0; j < PANE_JOBS && shows[k]->jobs[j]; j++)
				if (job_parse(shows[k]->jobs[j]) < 0) {
					printf("#   %s: no job %s\n", shows[k]->name,
					       shows[k]->jobs[j]);
					tap_case_failed = 1;
				}
	}
}

TEST(batch_defaults_to_lifespans)
{
	CHECK(PARSE("-b") == 0);
	CHECK(o.batch);
	CHECK_EQ_U64(o.panes, 1u << P_LIFESPANS);
	/* only what lifespans need is loaded */
	CHECK(!o.live.all_states && !wants(JOB_RETRANS) && !wants(JOB_DROPS));
	CHECK(PARSE("--batch", "--view", "states") == 0);
	CHECK_EQ_U64(o.panes, 1u << P_STATES);
	CHECK(o.live.all_states && !wants(JOB_RETRANS));
	CHECK(PARSE("-b", "--view", "events") == 0);
	CHECK(!o.live.all_states && wants(JOB_RETRANS) && wants(JOB_DROPS));
}

TEST(views)
{
	CHECK(PARSE("-b", "--view", "throughput") == 0);
	CHECK_EQ_U64(o.panes, 1u << P_THROUGHPUT);
	CHECK(PARSE("-b", "--view", "throughput,STATES") == 0);
	CHECK_EQ_U64(o.panes, 1u << P_THROUGHPUT | 1u << P_STATES);
	CHECK(PARSE("-b", "--view", "all") == 0);
	/* every pane that prints rows: the histograms go alone */
	CHECK_EQ_U64(o.panes, ((1u << P_MAX) - 1) & ~(1u << P_RTT));
	CHECK(PARSE("-b", "--view=events,lifespans") == 0);
	CHECK_EQ_U64(o.panes, 1u << P_EVENTS | 1u << P_LIFESPANS);
}

TEST(every_flag_of_the_help)
{
	CHECK(PARSE("-b", "-d", "2.5", "-i", "0.5", "-s", "-t", "-T", "-w", "-v") == 0);
	CHECK(o.batch && o.csv && o.rel && o.clock && o.wide && o.verbose && o.live.verbose);
	CHECK(o.duration == 2.5);
	CHECK_EQ_U64(o.live.interval_ms, 500);
	CHECK(PARSE("--batch", "--duration", "3", "--interval", "2", "--csv", "--timestamp",
		    "--time", "--wide", "--verbose") == 0);
	CHECK(o.batch && o.csv && o.rel && o.clock && o.wide && o.verbose);
	CHECK(o.duration == 3);
	CHECK_EQ_U64(o.live.interval_ms, 2000);
	CHECK(PARSE("-p", "42") == 0 && o.live.pid == 42);
	CHECK(PARSE("--pid", "43") == 0 && o.live.pid == 43);
	CHECK(PARSE("-L", "80,443") == 0 && o.live.lport_filter);
	CHECK(port_bit(o.live.lports, 80) && port_bit(o.live.lports, 443));
	CHECK(ports_set(o.live.lports) == 2 && ports_set(o.live.rports) == 0);
	CHECK(PARSE("--localport", "8000-8009") == 0 && ports_set(o.live.lports) == 10);
	CHECK(PARSE("-D", "53") == 0 && o.live.rport_filter && port_bit(o.live.rports, 53));
	CHECK(!o.live.lport_filter);
	CHECK(PARSE("--remoteport", "1,2") == 0 && ports_set(o.live.rports) == 2);
	CHECK(PARSE("-4") == 0 && o.live.family == 4);
	CHECK(PARSE("--ipv4") == 0 && o.live.family == 4);
	CHECK(PARSE("-6") == 0 && o.live.family == 6);
	CHECK(PARSE("--ipv6") == 0 && o.live.family == 6);
	CHECK(PARSE("--sort", "RX_KB:asc") == 0 && o.sort && !strcmp(o.sort, "RX_KB:asc"));
	CHECK(PARSE("--filter", "port 80 !comm x") == 0 && o.filter &&
	      !strcmp(o.filter, "port 80 !comm x"));
	CHECK(PARSE("--group", "socket") == 0 && o.grouping.group == G_SOCKET);
	CHECK(PARSE("--group", "hosts") == 0 && o.grouping.group == G_HOSTS);
	CHECK_EQ_U64(o.grouping.life_group, LG_SOCKET);
	/* a name each view has groups both; one the other lacks, the one that has it */
	CHECK(PARSE("--group", "process") == 0 && o.grouping.group == G_PROC &&
	      o.grouping.life_group == LG_PROC);
	CHECK(PARSE("--group", "port") == 0 && o.grouping.group == G_PROC_HOSTS &&
	      o.grouping.life_group == LG_PORT);
	CHECK(PARSE("-b", "--group", "process+port+host") == 0 &&
	      o.grouping.life_group == LG_PROC_PORT_HOST);
	CHECK(PARSE("--keys", "/tmp/k") == 0 && o.keys_file && !strcmp(o.keys_file, "/tmp/k"));
	CHECK(PARSE("--export-dir", "/tmp") == 0 && o.export_dir && !strcmp(o.export_dir, "/tmp"));
	CHECK(PARSE("--record", "cap.tcps", "--force") == 0 && o.record && o.force);
	CHECK(PARSE("--replay", "-", "--speed", "4") == 0 && o.replay && !strcmp(o.replay, "-"));
	CHECK(o.speed == 4);
	CHECK(PARSE("--max-sockets", "131072") == 0);
	CHECK_EQ_U64(o.live.max_sockets, 131072);
	CHECK_EQ_U64(o.model.max_open, 262144);
	CHECK(PARSE("--max-listeners", "64") == 0);
	CHECK_EQ_U64(o.live.max_listeners, 64);
	CHECK_EQ_U64(o.model.max_listeners, 64);
	CHECK(PARSE("--subnets", "10.0.0.0/8,fd00::/8") == 0 && o.subnets.n == 2);
	CHECK(o.model.subnets == &o.subnets);
	CHECK(PARSE("-b") == 0 && o.subnets.n == 8); /* tcpsubnet's, and IPv6's */
	CHECK(PARSE("-b", "--view", "listeners", "--hist") == 0 && o.hist &&
	      o.grouping.listen_hist);
	CHECK(PARSE("--group", "subnet") == 0 && o.grouping.group == G_SUBNET);
	CHECK(PARSE("--group", "service") == 0 && o.grouping.group == G_SERVICE &&
	      o.grouping.life_group == LG_SERVICE);
	CHECK(PARSE("--group", "backlog") == 0 && o.grouping.listen_hist);
	CHECK(PARSE("--ringbuf-mb", "16") == 0);
	CHECK_EQ_U64(o.live.ringbuf_bytes, 16u << 20);
	CHECK(PARSE("--max-rows", "100000") == 0);
	CHECK_EQ_U64(o.model.max_closed, 100000);
	CHECK_EQ_U64(o.model.max_states, 100000);
	CHECK_EQ_U64(o.model.max_events, 100000);
	CHECK(o.model.max_groups >= 100000);
	CHECK(PARSE("--hooks", "raw_tp") == 0);
	CHECK(PARSE("--hooks", "fentry") == 0 && o.live.first_tier == TIER_FENTRY);
	CHECK(PARSE("--hooks", "kprobe") == 0 && o.live.first_tier == TIER_KPROBE);
	CHECK(PARSE("--nice", "-10") == 0 && o.nice == -10);
	CHECK(PARSE("--nice", "0") == 0 && o.nice == 0);
	CHECK(PARSE("-b") == 0 && o.nice == -5); /* the default */
	CHECK(PARSE("--list-keys") == 0 && o.list_keys);
	CHECK(PARSE("-h") == 1);
	CHECK(strstr(printed, "usage: tcpscope") != NULL);
	CHECK(PARSE("--help") == 1);
	CHECK(strstr(printed, "usage: tcpscope") != NULL);
	CHECK(PARSE("--version") == 1);
	CHECK(!strncmp(printed, "tcpscope ", 9));
}

/* Every flag the help names is one this file tests, and the other way round. */
TEST(help_names_exactly_the_flags)
{
	static const char *const flags[] = {"-b",
					    "--batch",
					    "-d",
					    "--duration",
					    "-i",
					    "--interval",
					    "--view",
					    "-s",
					    "--csv",
					    "-t",
					    "--timestamp",
					    "-T",
					    "--time",
					    "-w",
					    "--wide",
					    "-p",
					    "--pid",
					    "-L",
					    "--localport",
					    "-D",
					    "--remoteport",
					    "-4",
					    "--ipv4",
					    "-6",
					    "--ipv6",
					    "--sort",
					    "--filter",
					    "--group",
					    "--keys",
					    "--export-dir",
					    "--record",
					    "--replay",
					    "--speed",
					    "--force",
					    "--max-sockets",
					    "--max-listeners",
					    "--subnets",
					    "--hist",
					    "--ringbuf-mb",
					    "--max-rows",
					    "-v",
					    "--verbose",
					    "-h",
					    "--help",
					    "--version",
					    "--list-keys",
					    "--with",
					    "--without",
					    "--nice",
					    "--hooks",
					    "--exclude-self",
					    "--json",
					    "--serve",
					    "--serve-auth",
					    "--serve-tls-cert",
					    "--serve-tls-key",
					    "--serve-max-series",
					    "--headless",
					    "--laddr",
					    "--raddr",
					    "-m",
					    "--milliseconds",
					    "--byraddr",
					    "--byladdr"};
	size_t nflags = sizeof(flags) / sizeof(flags[0]);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		abort();
	options_usage(f);
	fclose(f);
	for (size_t i = 0; i < nflags; i++) {
		char want[40];

		/* as the option list writes them: "  -b, --batch", "      --view VIEW" */
		snprintf(want, sizeof(want), flags[i][1] == '-' ? "%s " : "%s,", flags[i]);
		if (!strstr(text, want) && !(flags[i][1] == '-' && strstr(text, flags[i]) &&
					     strstr(text, flags[i])[strlen(flags[i])] == '\n')) {
			printf("#   the help does not list %s\n", flags[i]);
			tap_case_failed = 1;
		}
	}
	/* and nothing else that looks like a flag */
	for (const char *s = text; (s = strstr(s, " -")); s++) {
		size_t n = strspn(
		    s + 1, "-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
		bool known = n < 2 || (s[2] >= '0' && s[2] <= '9'); /* a dash alone, a number */

		/* short flags together, as in "-stT" */
		if (!known && n > 2 && s[2] != '-') {
			known = true;
			for (size_t j = 2; j <= n && known; j++) {
				char one[3] = {'-', s[j], 0};

				known = false;
				for (size_t i = 0; i < nflags && !known; i++)
					known = !strcmp(flags[i], one);
			}
		}
		for (size_t i = 0; i < nflags && !known; i++)
			known = strlen(flags[i]) == n && !strncmp(s + 1, flags[i], n);
		if (!known) {
			printf("#   the help names an untested flag: %.*s\n", (int)n, s + 1);
			tap_case_failed = 1;
		}
	}
	free(text);
}

TEST(tcplife_style_combined_flags)
{
	CHECK(PARSE("-b", "-stT") == 0);
	CHECK(o.batch && o.csv && o.rel && o.clock && !o.wide);
	CHECK(PARSE("-bstTw") == 0);
	CHECK(o.batch && o.csv && o.rel && o.clock && o.wide);
	CHECK(PARSE("-bd1") == 0);
	CHECK(o.batch && o.duration == 1);
	CHECK(PARSE("-bp", "7") == 0);
	CHECK(o.live.pid == 7);
	CHECK(PARSE("-L80", "-4") == 0);
	CHECK(port_bit(o.live.lports, 80) && o.live.family == 4);
}

TEST(bad_values_name_the_flag)
{
	REFUSED("-i", "-i", "0");
	REFUSED("-i", "-i", "0.01");
	REFUSED("-i", "-i", "3601");
	REFUSED("-i", "-i", "abc");
	REFUSED("-i", "--interval", "1s");
	REFUSED("-d", "-d", "x");
	REFUSED("-d", "-d", "0");
	REFUSED("-d", "-d", "-1");
	REFUSED("-d", "-d", "nan");
	REFUSED("-d", "-d", "inf");
	REFUSED("-p", "-p", "abc");
	REFUSED("-p", "-p", "0");
	REFUSED("-p", "-p", "-5");
	REFUSED("-p", "-p", "4294967296");
	REFUSED("-p", "-p", "12abc");
	REFUSED("-L", "-L", "70000");
	REFUSED("-L", "-L", "");
	REFUSED("-L", "-L", "80,abc");
	REFUSED("-L", "--localport", "http");
	REFUSED("-D", "-D", "70000");
	REFUSED("-D", "-D", "9-1");
	REFUSED("--view", "--view", "nope");
	REFUSED("--view", "--view", "");
	REFUSED("--view", "--view", ",");
	REFUSED("--view", "--view", "lifespans,nope");
	REFUSED("--speed", "--speed", "0");
	REFUSED("--group", "--group", "nope");
	REFUSED("--max-sockets", "--max-sockets", "10");
	REFUSED("--max-listeners", "--max-listeners", "8");
	REFUSED("--subnets", "--subnets", "");
	REFUSED("--subnets", "--subnets", "10.0.0.0/8,");
	REFUSED("--subnets", "--subnets", "10.0.0.300/8");
	REFUSED("--subnets", "--subnets", "10.0.0.0/40");
	REFUSED("--subnets", "--subnets", "::/200");
	REFUSED("--subnets", "--subnets",
		"1.0.0.0/8,2.0.0.0/8,3.0.0.0/8,4.0.0.0/8,5.0.0.0/8,6.0.0.0/8,7.0.0.0/8,8.0.0.0/8,"
		"9.0.0.0/8,10.0.0.0/8,11.0.0.0/8,12.0.0.0/8,13.0.0.0/8,14.0.0.0/8,15.0.0.0/8,"
		"16.0.0.0/8,17.0.0.0/8,18.0.0.0/8,19.0.0.0/8,20.0.0.0/8,21.0.0.0/8,22.0.0.0/8,"
		"23.0.0.0/8,24.0.0.0/8,25.0.0.0/8,26.0.0.0/8,27.0.0.0/8,28.0.0.0/8,29.0.0.0/8,"
		"30.0.0.0/8,31.0.0.0/8,32.0.0.0/8,33.0.0.0/8,34.0.0.0/8,35.0.0.0/8,36.0.0.0/8,"
		"37.0.0.0/8,38.0.0.0/8,39.0.0.0/8,40.0.0.0/8,41.0.0.0/8,42.0.0.0/8,43.0.0.0/8,"
		"44.0.0.0/8,45.0.0.0/8,46.0.0.0/8,47.0.0.0/8,48.0.0.0/8,49.0.0.0/8,50.0.0.0/8,"
		"51.0.0.0/8,52.0.0.0/8,53.0.0.0/8,54.0.0.0/8,55.0.0.0/8,56.0.0.0/8,57.0.0.0/8,"
		"58.0.0.0/8,59.0.0.0/8,60.0.0.0/8,61.0.0.0/8,62.0.0.0/8,63.0.0.0/8,64.0.0.0/8,"
		"65.0.0.0/8");
	REFUSED("--hist", "-b", "--hist");
	REFUSED("--ringbuf-mb", "--ringbuf-mb", "3");
	REFUSED("--ringbuf-mb", "--ringbuf-mb", "2048");
	REFUSED("--max-rows", "--max-rows", "5");
	REFUSED("--hooks", "--hooks", "kprobes");
	REFUSED("--nice", "--nice", "20");
	REFUSED("--nice", "--nice", "-21");
	REFUSED("--nice", "--nice", "low");
	REFUSED("--nice", "--nice", "");
	REFUSED("--with", "--with", "traffic");
	REFUSED("--without", "--without", "state");
	REFUSED("--without", "--without", "drops,nope");
}

TEST(optional_and_absent_hooks)
{
	CHECK(PARSE("-b") == 0 && !o.live.accept_hook && !o.live.without);
	CHECK(PARSE("-b", "--with", "accept") == 0 && o.live.accept_hook);
	CHECK(PARSE("-b", "--without", "traffic,drops") == 0);
	CHECK_EQ_U64(o.live.without, (1u << JOB_TRAFFIC) | (1u << JOB_DROPS));
}

TEST(conflicts_name_the_flags)
{
	REFUSED("-4", "-4", "-6");
	REFUSED("-6", "-6", "-4");
	REFUSED("--view", "-b", "-s", "--view", "lifespans,states");
	REFUSED("-s", "-b", "-s", "--view", "all");
	REFUSED("--replay", "--record", "a", "--replay", "b");
	REFUSED("--record", "--replay", "b", "--record", "a");
	/* the same family twice is no conflict */
	CHECK(PARSE("-4", "-4") == 0 && o.live.family == 4);
	CHECK(PARSE("-b", "-s", "--view", "states") == 0);
}

TEST(unknown_options_and_missing_values)
{
	REFUSED("-x", "-x");
	REFUSED("-x", "-bx");
	REFUSED("--nope", "--nope");
	REFUSED("--nope", "--nope=3");
	REFUSED("--batch", "--batch=yes");
	REFUSED("-d", "-d");
	REFUSED("-d", "-bd");
	REFUSED("--view", "--view");
	REFUSED("--sort", "-b", "--sort");
	REFUSED("stray", "stray");
	REFUSED("extra", "-b", "extra");
	/* after an error in the middle of "-xb", the next parse starts afresh */
	REFUSED("-x", "-xb");
	CHECK(PARSE("-4") == 0);
	CHECK(!o.batch);
}

TEST(command_line_filters_as_terms)
{
	CHECK(PARSE("-p", "42", "-L", "80", "-D", "1000-2000", "-6") == 0);
	CHECK(cli_passes(ports(6, 80, 1500), 42));
	CHECK(!cli_passes(ports(6, 80, 1500), 43));
	CHECK(!cli_passes(ports(6, 81, 1500), 42));
	CHECK(!cli_passes(ports(6, 80, 999), 42));
	CHECK(!cli_passes(ports(4, 80, 1500), 42));
	CHECK(PARSE("-b") == 0);
	CHECK(cli_passes(ports(4, 1, 2), 0));
}

TEST(repeated_flags_add_up_like_the_kernel_filter)
{
	/* the kernel takes either port: so must the filter replays use */
	CHECK(PARSE("-L", "80", "-L", "443") == 0);
	CHECK(port_bit(o.live.lports, 80) && port_bit(o.live.lports, 443));
	CHECK(cli_passes(ports(4, 80, 5), 0));
	CHECK(cli_passes(ports(4, 443, 5), 0));
	CHECK(!cli_passes(ports(4, 22, 5), 0));
	CHECK(PARSE("-D", "53", "--remoteport", "853") == 0);
	CHECK(cli_passes(ports(4, 5, 853), 0));
	CHECK(cli_passes(ports(4, 5, 53), 0));
	/* the last -p is the one the kernel filters by */
	CHECK(PARSE("-p", "1", "-p", "2") == 0);
	CHECK_EQ_U64(o.live.pid, 2);
	CHECK(cli_passes(ports(4, 5, 6), 2));
	CHECK(!cli_passes(ports(4, 5, 6), 1));
	/* more ports than a filter term holds are refused, naming the flag */
	REFUSED("-L", "-L", "1,2,3,4,5,6,7,8,9", "-L", "10,11,12,13,14,15,16,17");
	REFUSED("-L", "-L", "80", "-L", "");
	REFUSED("-D", "-D", "80", "--remoteport", "x");
}

/* --serve and --json: addresses, bounds, and what they need of the other flags. */
TEST(serving_and_json_lines)
{
	const struct sockaddr_in *v4 = (const struct sockaddr_in *)&o.serve.addr;
	const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)&o.serve.addr;

	CHECK(PARSE("-b") == 0 && !o.serve.listen && !o.json);
	CHECK_EQ_U64(o.serve.max_series, 2000);
	CHECK(PARSE("--serve", ":9850") == 0 && v4->sin_family == AF_INET);
	CHECK(ntohl(v4->sin_addr.s_addr) == INADDR_LOOPBACK && ntohs(v4->sin_port) == 9850);
	CHECK(PARSE("--serve", "9851") == 0 && ntohs(v4->sin_port) == 9851);
	CHECK(PARSE("--serve", "0.0.0.0:80") == 0 && v4->sin_addr.s_addr == 0);
	CHECK(PARSE("--serve", "localhost:80") == 0);
	CHECK(ntohl(v4->sin_addr.s_addr) == INADDR_LOOPBACK);
	CHECK(PARSE("--serve", "[::1]:9850") == 0 && v6->sin6_family == AF_INET6);
	CHECK(ntohs(v6->sin6_port) == 9850);
	/* metrics count retransmits and drops whatever the batch views */
	CHECK(PARSE("-b", "--serve", ":1") == 0 && (o.live.want_jobs & (1u << JOB_RETRANS)) &&
	      (o.live.want_jobs & (1u << JOB_DROPS)));
	CHECK(PARSE("--serve", ":1", "--serve-auth", "f", "--serve-max-series", "50") == 0);
	CHECK(!strcmp(o.serve.auth_file, "f") && o.serve.max_series == 50);
	CHECK(PARSE("--serve", ":1", "--serve-tls-cert", "c", "--serve-tls-key", "k") == 0);
	CHECK(PARSE("--serve", ":1", "--headless") == 0 && o.serve.headless);
	CHECK(PARSE("--record", "f", "--headless") == 0);
	CHECK(PARSE("-b", "--json", "--view", "all") == 0 && o.json);
	REFUSED("--serve", "--serve", "example.com:80");
	REFUSED("--serve", "--serve", "[::1:80");
	REFUSED("--serve", "--serve", "127.0.0.1:");
	REFUSED("--serve", "--serve", "127.0.0.1:65536");
	REFUSED("--serve-max-series", "--serve", ":1", "--serve-max-series", "x");
	REFUSED("--serve-auth", "--serve-auth", "f");
	REFUSED("--serve-tls-key", "--serve", ":1", "--serve-tls-cert", "c");
	REFUSED("--headless", "--headless");
	REFUSED("--headless", "-b", "--serve", ":1", "--headless");
	REFUSED("--json", "--json");
	REFUSED("--json", "-b", "-s", "--json");
}

/* tcprtt's flags: --view rtt and what only it takes; --laddr and --raddr for every view. */
TEST(rtt_histograms_and_address_filters)
{
	CHECK(PARSE("-b", "--view", "rtt") == 0 && o.rtt.view && o.panes == 1u << P_RTT);
	CHECK(wants(JOB_RTT) && o.live.rtt_scopes == 1u << TS_RTT_ALL && o.live.rtt_div == 1);
	CHECK(!o.rtt.interval_given && !wants(JOB_RETRANS));
	CHECK(PARSE("-b", "--view", "rtt", "-i", "2", "-m", "--byraddr") == 0);
	CHECK(o.rtt.interval_given && o.rtt.msecs && o.live.rtt_div == 1000);
	CHECK_EQ_U64(o.live.rtt_scopes, 1u << TS_RTT_RADDR);
	CHECK(PARSE("-b", "--view", "rtt", "--milliseconds", "--byladdr", "-s") == 0);
	CHECK_EQ_U64(o.live.rtt_scopes, 1u << TS_RTT_LADDR);
	/* the other views: no histograms, but each session's numbers and the full queues */
	CHECK(PARSE("-b", "--view", "events") == 0 && wants(JOB_RTT) && !o.live.rtt_scopes);
	CHECK(wants(JOB_RESETS) && wants(JOB_CONG) && wants(JOB_MEMORY) && wants(JOB_ERRORS));
	/* Lifespans: each session's RTT, no histograms, no events */
	CHECK(PARSE("-b") == 0 && wants(JOB_RTT) && !o.live.rtt_scopes && !wants(JOB_RESETS));
	/* all: the panes that print rows */
	CHECK(PARSE("-b", "--view", "all") == 0 && !(o.panes & 1u << P_RTT));
	/* the screen keeps every connection's histogram and each remote host's */
	CHECK(PARSE("-v") == 0 && o.live.rtt_scopes == (1u << TS_RTT_ALL | 1u << TS_RTT_RADDR));
	CHECK(PARSE("-b", "--laddr", "10.1.0.0/16", "--raddr", "fd00::1") == 0);
	CHECK(o.live.laddr.family == 4 && o.live.laddr.mask[1] == 0xff && !o.live.laddr.mask[2]);
	CHECK(o.live.raddr.family == 6 && o.live.raddr.mask[15] == 0xff);
	CHECK_STR(o.cli_filter, " laddr 10.1.0.0/16 raddr fd00::1");
	REFUSED("--byraddr", "-b", "--view", "events", "--byraddr");
	REFUSED("--byladdr", "-b", "--byladdr");
	REFUSED("-m", "-b", "--view", "throughput", "-m");
	REFUSED("--byladdr", "-b", "--view", "rtt", "--byraddr", "--byladdr");
	REFUSED("--view rtt", "-b", "--view", "rtt,events");
	REFUSED("--json", "-b", "--view", "rtt", "--json");
	REFUSED("--view", "--view", "rtt");
	REFUSED("--laddr", "--laddr", "10.0.0.300");
	REFUSED("--raddr", "--raddr", "::1/129");
	REFUSED("--raddr", "--raddr", "::1", "--raddr", "::2");
}

int main(void)
{
	RUN(screen_defaults);
	RUN(every_pane_names_jobs_of_the_plan);
	RUN(batch_defaults_to_lifespans);
	RUN(views);
	RUN(every_flag_of_the_help);
	RUN(help_names_exactly_the_flags);
	RUN(tcplife_style_combined_flags);
	RUN(bad_values_name_the_flag);
	RUN(optional_and_absent_hooks);
	RUN(conflicts_name_the_flags);
	RUN(unknown_options_and_missing_values);
	RUN(command_line_filters_as_terms);
	RUN(repeated_flags_add_up_like_the_kernel_filter);
	RUN(serving_and_json_lines);
	RUN(rtt_histograms_and_address_filters);
	free_args();
	TAP_DONE();
}
