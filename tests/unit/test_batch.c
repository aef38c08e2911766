// SPDX-License-Identifier: GPL-2.0
/* Batch output (-b) from a model fed synthetic records, captured in memory. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>
#include "../tap.h"
#include "records.h"
#include "views/batch.h"

static struct model m;
static struct batch *b;
static enum life_group grouping; /* of Lifespans, for the next start() */
static struct filter flt;
static FILE *out, *errs;
static char *out_text, *err_text;
static size_t out_len, err_len;

/* Start a batch over a fresh model; expr is a filter (NULL: none). */
static void start(unsigned panes, bool csv, bool rel, bool clock, const char *expr)
{
	struct model_config c = small_config(64);
	struct batch_opts o = {.panes = panes, .csv = csv, .rel = rel, .clock = clock};
	char err[128];

	batch_free(b);
	if (out)
		fclose(out);
	if (errs)
		fclose(errs);
	free(out_text);
	free(err_text);
	out_text = err_text = NULL;
	model_restart(&m, &c);
	out = open_memstream(&out_text, &out_len);
	errs = open_memstream(&err_text, &err_len);
	if (!out || !errs || filter_parse(expr ? expr : "", &flt, err, sizeof(err)))
		abort();
	o.popts.life_group = grouping;
	for (int i = 0; i < P_MAX; i++)
		sort_default(pane_shown((enum pane_id)i, &o.popts), &o.sort[i]);
	o.filter = &flt;
	o.out = out;
	o.err = errs;
	b = batch_new(&m, &o);
	if (!b)
		abort();
	batch_start(b);
}

static const char *output(void)
{
	fflush(out);
	return out_text ? out_text : "";
}

static const char *errors(void)
{
	fflush(errs);
	return err_text ? err_text : "";
}

/* Line i of the output (from 0), without its newline. */
static const char *line_at(size_t i)
{
	static char buf[1024];
	const char *s = output();

	while (i-- && (s = strchr(s, '\n')))
		s++;
	if (!s || !*s)
		return "";
	snprintf(buf, sizeof(buf), "%.*s", (int)strcspn(s, "\n"), s);
	return buf;
}

static size_t lines(void)
{
	size_t n = 0;

	for (const char *s = output(); *s; s++)
		n += *s == '\n';
	return n;
}

static struct ts_conn web(uint16_t lport, uint16_t rport)
{
	return conn4("10.0.0.1", lport, "10.0.0.2", rport);
}

static void close_web(uint64_t sid, uint16_t rport, const char *comm)
{
	struct ts_ev_close e =
	    rec_close(sid, 1000 + 12345678, 1000, web(40000, rport), owner(42, comm), 3071, 1023);

	APPLY(&m, e);
}

static void tput(uint64_t sid, struct ts_conn c, struct ts_owner o, uint64_t tx, uint64_t rx)
{
	struct ts_ev_tput e = rec_tput(sid, 100, c, o, tx, rx);

	APPLY(&m, e);
}

static void tick(uint64_t ts)
{
	struct ts_ev_tick e = rec_tick(ts);

	APPLY(&m, e);
}

#define LIFESPANS_HEADER                                                                           \
	"    PID COMM       IP LADDR           LPORT RADDR           RPORT  TX_KB  RX_KB        MS"

TEST(lifespans_text_like_tcplife)
{
	start(1u << P_LIFESPANS, false, false, false, NULL);
	CHECK_STR(output(), LIFESPANS_HEADER "\n");
	close_web(1, 80, "curl");
	CHECK_STR(line_at(1),
		  "     42 curl        4 10.0.0.1        40000 10.0.0.2           80      2 "
		  "     0     12.35");
	/* rows line up under the header */
	close_web(2, 443, "a-much-longer-name");
	close_web(3, 8, "x");
	CHECK_EQ_U64(lines(), 4);
	for (size_t i = 1; i < 4; i++)
		CHECK_EQ_U64(strlen(line_at(i)), strlen(LIFESPANS_HEADER));
	CHECK(strstr(line_at(2), " a-much-lon ") != NULL); /* cut to its column */
	CHECK(batch_finish(b) == 0);
	CHECK_STR(errors(), "");
}

/* A 1.4 GiB session of an hour: scaled to fit its columns in text, exact in CSV. */
static void close_big(void)
{
	struct ts_ev_close e = rec_close(1, 1000 + 3600000000000ULL, 1000, web(40000, 443),
					 owner(42, "scp"), 1503238553, 12345678);

	APPLY(&m, e);
}

TEST(big_numbers_are_scaled_in_text_exact_in_csv)
{
	start(1u << P_LIFESPANS, false, false, false, NULL);
	close_big();
	CHECK_STR(line_at(1),
		  "     42 scp         4 10.0.0.1        40000 10.0.0.2          443 1.400G "
		  " 12056 1.000000h");
	CHECK_EQ_U64(strlen(line_at(1)), strlen(LIFESPANS_HEADER));
	start(1u << P_LIFESPANS, true, false, false, NULL);
	close_big();
	CHECK_STR(line_at(1), "42,scp,4,10.0.0.1,40000,10.0.0.2,443,1468006,12056,1503238553,"
			      "12345678,3600000.00,CLOSE,connect,ok,,,,,,0,0,");
}

TEST(lifespans_csv)
{
	struct ts_ev_close e;

	start(1u << P_LIFESPANS, true, false, false, NULL);
	CHECK_STR(
	    line_at(0),
	    "PID,COMM,IP,LADDR,LPORT,RADDR,RPORT,TX_KB,RX_KB,TX_BYTES,RX_BYTES,MS,"
	    "STATE,DIR,STATUS,LAT_MS,RTT_MS,RTT_MIN_MS,RTT_AVG_MS,RTT_MAX_MS,RETRANS,NETNS,SERVICE");
	close_web(1, 80, "curl");
	CHECK_STR(line_at(1), "42,curl,4,10.0.0.1,40000,10.0.0.2,80,2,0,3071,1023,12.35,CLOSE,"
			      "connect,ok,,,,,,0,0,");
	/* text that looks like a formula is neutralised; commas are quoted */
	e = rec_close(2, 2000, 1000, web(1, 2), owner(7, "=cmd,x"), 0, 0);
	e.err = ECONNREFUSED;
	e.flags = TS_F_FAILED;
	APPLY(&m, e);
	CHECK_STR(line_at(2), "7,\"'=cmd,x\",4,10.0.0.1,1,10.0.0.2,2,0,0,0,0,0.00,CLOSE,connect,"
			      "refused,,,,,,0,0,");
	/* a quote is doubled inside quotes; a leading '-' that is not a number is text */
	e = rec_close(3, 2000, 1000, web(3, 4), owner(8, "a\"b"), 0, 0);
	APPLY(&m, e);
	e = rec_close(4, 2000, 1000, web(5, 6), owner(9, "-x"), 0, 0);
	APPLY(&m, e);
	CHECK(!strncmp(line_at(3), "8,\"a\"\"b\",4,", 10));
	CHECK(!strncmp(line_at(4), "9,\"'-x\",4,", 10));
	CHECK_EQ_U64(lines(), 5);
}

TEST(csv_of_sessions_open_before_tracing_has_no_marks)
{
	struct ts_ev_existing x;
	struct ts_ev_close e;

	start(1u << P_LIFESPANS, true, false, false, NULL);
	x = rec_existing(5, 1000, web(22, 50000), 10, 20);
	APPLY(&m, x);
	e = rec_close(5, 1000 + 2500000, 0, x.conn, owner(9, "sshd"), 4096, 8192);
	e.dir = TS_DIR_UNKNOWN;
	APPLY(&m, e);
	CHECK(strstr(line_at(1), ",2.50,") != NULL);
	CHECK(strchr(line_at(1), '>') == NULL);
	CHECK(strstr(line_at(1), ",before,") != NULL);
	start(1u << P_LIFESPANS, false, false, false, NULL);
	x = rec_existing(5, 1000, web(22, 50000), 10, 20);
	APPLY(&m, x);
	APPLY(&m, e);
	CHECK(strstr(line_at(1), " >2.50") != NULL);
}

TEST(times_with_t_and_T)
{
	struct ts_ev_meta meta = rec_meta(1000, 1700000000);

	start(1u << P_LIFESPANS, true, true, false, NULL);
	CHECK(!strncmp(line_at(0), "TIME(s),PID,COMM,", 17));
	APPLY(&m, meta); /* the first record: TIME(s) counts from it */
	close_web(1, 80, "curl");
	CHECK(!strncmp(line_at(1), "0.012346,42,curl,", 17));

	start(1u << P_LIFESPANS, true, false, true, NULL);
	CHECK(!strncmp(line_at(0), "TIME,PID,", 9));
	APPLY(&m, meta);
	close_web(1, 80, "curl");
	CHECK(!strncmp(line_at(1), "22:13:20,42,", 12));

	start(1u << P_LIFESPANS, true, true, true, NULL);
	CHECK(!strncmp(line_at(0), "TIME,TIME(s),PID,", 17));

	start(1u << P_LIFESPANS, false, true, true, NULL);
	CHECK(!strncmp(line_at(0), "TIME     TIME(s)       PID COMM", 31));
	APPLY(&m, meta);
	close_web(1, 80, "curl");
	CHECK(!strncmp(line_at(1), "22:13:20 0.012346       42 curl", 31));
	CHECK_EQ_U64(strlen(line_at(1)), strlen(line_at(0)));
}

TEST(several_views_are_prefixed)
{
	struct ts_ev_state st;

	start(1u << P_LIFESPANS | 1u << P_STATES, false, false, false, NULL);
	CHECK_EQ_U64(lines(), 2);
	CHECK_STR(line_at(0), "lifespans  " LIFESPANS_HEADER);
	CHECK(!strncmp(line_at(1), "states     ", 11));
	CHECK(strstr(line_at(1), "OLDSTATE    -> NEWSTATE") != NULL);
	st = rec_state(1, 100, TS_SYN_SENT, TS_ESTABLISHED, web(40000, 80), owner(42, "curl"));
	st.dt_ns = 1500000;
	APPLY(&m, st);
	close_web(1, 80, "curl");
	CHECK_EQ_U64(lines(), 5); /* the transition, the close's transition, the lifespan */
	CHECK(!strncmp(line_at(2), "states     ", 11));
	CHECK(strstr(line_at(2), "SYN_SENT    -> ESTABLISHED") != NULL);
	CHECK(strstr(line_at(2), " 1.500") != NULL);
	CHECK(!strncmp(line_at(3), "states     ", 11));
	CHECK(strstr(line_at(3), "LAST_ACK    -> CLOSE") != NULL);
	CHECK(!strncmp(line_at(4), "lifespans  ", 11));
}

TEST(states_alone_have_no_prefix)
{
	struct ts_ev_state st;

	start(1u << P_STATES, false, false, false, NULL);
	CHECK_STR(line_at(0), "    PID COMM       LADDR           LPORT RADDR           RPORT "
			      "OLDSTATE    -> NEWSTATE           MS");
	st = rec_state(1, 100, TS_SYN_SENT, TS_ESTABLISHED, web(40000, 80), owner(42, "curl"));
	st.dt_ns = 1500000;
	APPLY(&m, st);
	CHECK_STR(line_at(1), "     42 curl       10.0.0.1        40000 10.0.0.2           80 "
			      "SYN_SENT    -> ESTABLISHED     1.500");
}

TEST(events_view)
{
	struct ts_ev_drop d;
	struct ts_ev_reason r = rec_reason(2, "NO_SOCKET");

	start(1u << P_EVENTS, false, false, false, NULL);
	CHECK(!strncmp(line_at(0), "TYPE ", 5));
	APPLY(&m, r);
	d = rec_drop(0, 100, web(80, 5555), nobody(), 2, 0x02);
	APPLY(&m, d);
	CHECK(!strncmp(line_at(1), "DROP ", 5));
	CHECK(strstr(line_at(1), " [kernel] ") != NULL);
	CHECK(strstr(line_at(1), " NO_SOCKET ") != NULL);
	CHECK(strstr(line_at(1), " SYN") != NULL);
	CHECK(strstr(line_at(1), " <- ") != NULL);
}

TEST(filtered_rows_print_nothing)
{
	struct ts_ev_state st;

	start(1u << P_LIFESPANS | 1u << P_STATES | 1u << P_EVENTS, false, false, false, "port 443");
	close_web(1, 80, "curl");
	st = rec_state(2, 100, TS_SYN_SENT, TS_ESTABLISHED, web(40000, 22), owner(1, "ssh"));
	APPLY(&m, st);
	{
		struct ts_ev_retrans rt = rec_retrans(2, 200, web(40000, 22), nobody(), 1, 1);

		APPLY(&m, rt);
	}
	CHECK_EQ_U64(lines(), 3); /* the headers */
	close_web(3, 443, "curl");
	CHECK_EQ_U64(lines(), 5); /* its CLOSE transition and its lifespan */
	CHECK(strstr(output(), "    443") != NULL);
	CHECK(strstr(output(), "     80 ") == NULL);
}

TEST(throughput_table_per_interval)
{
	start(1u << P_THROUGHPUT, false, false, false, NULL);
	CHECK_STR(output(), ""); /* text tables come with each interval */
	tput(1, web(40001, 80), owner(1, "curl"), 3072, 1024);
	tput(2, web(40002, 80), owner(2, "wget"), 10240, 0);
	tput(3, web(40003, 80), owner(3, "idle"), 0, 0);
	tick(1000000000);
	CHECK_STR(line_at(0), "");
	CHECK_STR(line_at(1), "-  interval 1.00s  rows 2  TX 13312 B  RX 1024 B");
	CHECK_STR(line_at(2), "    PID COMM         LADDR                 RADDR                   "
			      "RX_KB   TX_KB");
	/* TX_KB, biggest first */
	CHECK_STR(line_at(3),
		  "      2 wget         10.0.0.1              10.0.0.2                    "
		  "0      10");
	CHECK_STR(line_at(4),
		  "      1 curl         10.0.0.1              10.0.0.2                    "
		  "1       3");
	CHECK_EQ_U64(lines(), 5);
	/* an interval without traffic: an empty table */
	tick(2000000000);
	CHECK_STR(line_at(6), "-  interval 1.00s  rows 0  TX 0 B  RX 0 B");
	CHECK_EQ_U64(lines(), 8);
}

TEST(throughput_sorted_by_the_sort_spec)
{
	struct batch_opts o = {.panes = 1u << P_THROUGHPUT};
	char err[64];

	start(1u << P_THROUGHPUT, false, false, false, NULL);
	batch_free(b);
	o.out = out;
	o.err = errs;
	o.filter = &flt;
	CHECK(sort_parse(&pane_throughput, "RX_KB:asc", &o.sort[P_THROUGHPUT], err, sizeof(err)) ==
	      0);
	b = batch_new(&m, &o);
	tput(1, web(40001, 80), owner(1, "curl"), 1, 3072);
	tput(2, web(40002, 80), owner(2, "wget"), 1, 1024);
	tput(3, web(40003, 80), owner(3, "sshd"), 1, 2048);
	tick(1000000000);
	CHECK(strstr(line_at(3), " wget ") != NULL);
	CHECK(strstr(line_at(4), " sshd ") != NULL);
	CHECK(strstr(line_at(5), " curl ") != NULL);
}

TEST(throughput_filtered)
{
	start(1u << P_THROUGHPUT, false, false, false, "comm wget");
	tput(1, web(40001, 80), owner(1, "curl"), 3072, 1024);
	tput(2, web(40002, 80), owner(2, "wget"), 10240, 0);
	tick(1000000000);
	CHECK(strstr(line_at(1), "rows 1 ") != NULL);
	CHECK(strstr(line_at(3), " wget ") != NULL);
	CHECK_EQ_U64(lines(), 4);
}

TEST(throughput_filtered_by_port_groups_by_socket)
{
	/* -L 40001: only sockets can have ports, so rows are per socket */
	start(1u << P_THROUGHPUT, false, false, false, "lport 40001");
	tput(1, web(40001, 80), owner(1, "curl"), 3072, 1024);
	tput(2, web(40002, 80), owner(1, "curl"), 10240, 0);
	tick(1000000000);
	CHECK(strstr(line_at(1), "rows 1 ") != NULL);
	CHECK(strstr(line_at(3), " 10.0.0.1:40001 ") != NULL);
	CHECK(strstr(line_at(3), " 10.0.0.2:80 ") != NULL);
	CHECK_EQ_U64(lines(), 4);
}

TEST(throughput_csv_has_a_time_per_row)
{
	start(1u << P_THROUGHPUT, true, false, false, NULL);
	CHECK_STR(line_at(0),
		  "TIME(s),PID,COMM,IP,LADDR,RADDR,CONNS,RX_KB,TX_KB,RX_BYTES,TX_BYTES,"
		  "RX_KBS,TX_KBS,RX_TOT_KB,TX_TOT_KB,RX_TOT_BYTES,TX_TOT_BYTES,SERVICE");
	tput(1, web(40001, 80), owner(1, "curl"), 3072, 1024);
	tick(1000000100);
	CHECK_STR(line_at(1),
		  "1.000000,1,curl,4,10.0.0.1,10.0.0.2,1,1,3,1024,3072,1.0,3.0,1,3,1024,"
		  "3072,");
	CHECK_EQ_U64(lines(), 2);
}

/* A closed session of process pid/comm accepted on port (from host 10.0.0.<host>). */
static void served(uint64_t sid, uint32_t pid, const char *comm, uint16_t port, int host,
		   uint32_t err)
{
	char raddr[32];
	struct ts_ev_close e;

	snprintf(raddr, sizeof(raddr), "10.0.0.%d", host);
	e = rec_close(sid, 3000000, 1000000, conn4("10.0.0.1", port, raddr, 50000),
		      owner(pid, comm), 100, 10);
	e.dir = TS_DIR_ACCEPT;
	e.err = err;
	APPLY(&m, e);
}

TEST(lifespans_grouped_by_port_are_a_table_per_interval)
{
	grouping = LG_PORT;
	start(1u << P_LIFESPANS, false, false, false, NULL);
	grouping = LG_SOCKET;
	CHECK_STR(output(), ""); /* the header comes with each table */
	for (int i = 1; i <= 3; i++)
		served((uint64_t)i, 10, "nginx", 80, i, 0);
	served(4, 11, "sshd", 22, 1, ECONNRESET);
	CHECK_STR(output(), ""); /* no line per session */
	tick(1000000000);
	CHECK_STR(line_at(0), "");
	CHECK(strstr(line_at(1), "rows 2  by port  sessions 0 open, 4 closed") != NULL);
	CHECK(!strncmp(line_at(2), "    PID COMM          PORT RADDR           SESSIONS", 50));
	/* most sessions first */
	CHECK(!strncmp(line_at(3), "      * *               80 *                      3      0 ",
		       58));
	CHECK(!strncmp(line_at(4), "      * *               22 *                      1      0 ",
		       58));
	CHECK(strstr(line_at(4), "      1       0      1       0 ") != NULL); /* FAILS, RESET */
	CHECK_EQ_U64(lines(), 5);
}

TEST(lifespans_grouped_in_csv_with_a_time_per_row)
{
	grouping = LG_PROC_PORT_HOST;
	start(1u << P_LIFESPANS, true, false, false, "port 80");
	grouping = LG_SOCKET;
	CHECK_STR(line_at(0), "TIME(s),PID,COMM,IP,PORT,RADDR,SESSIONS,OPEN,NEW/s,FAILS,REFUSED,"
			      "RESET,TIMEOUT,P50_MS,P99_MS,TX_KB,RX_KB,TX_BYTES,RX_BYTES,SERVICE");
	served(1, 10, "nginx", 80, 7, 0);
	served(2, 10, "nginx", 80, 7, 0);
	served(3, 11, "sshd", 22, 7, 0);
	tick(1000000000);
	/* both opened in the first interval, which began with the first record (3 ms) */
	CHECK_STR(line_at(1),
		  "0.997000,10,nginx,4,80,10.0.0.7,2,0,2.0,0,0,0,0,2.03,2.03,0,0,200,20,");
	CHECK_EQ_U64(lines(), 2);
}

TEST(lost_records_are_reported_once)
{
	struct ts_ev_tick t = rec_tick(1000000000);
	struct ts_ev_state st;
	struct ts_ev_gone g;

	start(1u << P_LIFESPANS, false, false, false, NULL);
	APPLY(&m, t);
	CHECK_STR(errors(), "");
	t.lost[TS_LOST_RINGBUF] = 5;
	APPLY(&m, t);
	CHECK(strstr(errors(), "tcpscope: 5 records lost") != NULL);
	CHECK(strstr(errors(), "--ringbuf-mb") != NULL);
	/* the counters are cumulative: the same again says nothing */
	{
		size_t before = strlen(errors());

		APPLY(&m, t);
		CHECK_EQ_U64(strlen(errors()), before);
		t.lost[TS_LOST_RINGBUF] = 7;
		t.lost_user = 1;
		APPLY(&m, t);
		CHECK(strstr(errors() + before, "tcpscope: 3 records lost") != NULL);
	}
	/* a close the kernel never reported */
	st = rec_state(9, 100, TS_SYN_SENT, TS_ESTABLISHED, web(1, 2), owner(1, "a"));
	APPLY(&m, st);
	g = rec_gone(9, 200);
	APPLY(&m, g);
	APPLY(&m, t);
	CHECK(strstr(errors(), "1 sessions ended without their close record") != NULL);
	/* the lost session is still printed, as lost */
	CHECK(strstr(output(), "      1 a ") != NULL);
	CHECK(strstr(output(), "records lost") == NULL);
	CHECK(batch_finish(b) == 0);
}

TEST(write_errors_are_noticed)
{
	FILE *full = fopen("/dev/full", "w");
	struct batch_opts o = {.panes = 1u << P_LIFESPANS};
	struct model_config c = small_config(8);
	struct batch *fb;

	CHECK(full != NULL);
	if (!full)
		return;
	model_restart(&m, &c);
	o.out = full;
	o.err = stderr;
	fb = batch_new(&m, &o);
	CHECK(fb != NULL);
	if (!fb) {
		fclose(full);
		return;
	}
	batch_start(fb);
	close_web(1, 80, "curl");
	tick(1000000000);
	CHECK(batch_error(fb) != 0);
	CHECK(batch_finish(fb) == ENOSPC);
	batch_free(fb);
	fclose(full);
	m.hooks = (struct model_hooks){0};
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	RUN(lifespans_text_like_tcplife);
	RUN(big_numbers_are_scaled_in_text_exact_in_csv);
	RUN(lifespans_csv);
	RUN(csv_of_sessions_open_before_tracing_has_no_marks);
	RUN(times_with_t_and_T);
	RUN(several_views_are_prefixed);
	RUN(states_alone_have_no_prefix);
	RUN(events_view);
	RUN(filtered_rows_print_nothing);
	RUN(throughput_table_per_interval);
	RUN(throughput_sorted_by_the_sort_spec);
	RUN(throughput_filtered);
	RUN(throughput_filtered_by_port_groups_by_socket);
	RUN(throughput_csv_has_a_time_per_row);
	RUN(lifespans_grouped_by_port_are_a_table_per_interval);
	RUN(lifespans_grouped_in_csv_with_a_time_per_row);
	RUN(lost_records_are_reported_once);
	RUN(write_errors_are_noticed);
	batch_free(b);
	model_free(&m);
	fclose(out);
	fclose(errs);
	free(out_text);
	free(err_text);
	TAP_DONE();
}
