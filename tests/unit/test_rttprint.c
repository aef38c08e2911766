// SPDX-License-Identifier: GPL-2.0
/*
 * --view rtt's text (views/rttprint.c) against histograms written out by
 * hand as libbpf-tools' tcprtt prints them: log2 slots from 0 to the last
 * holding samples, 40 stars for the largest, usecs or msecs, one histogram
 * per address in address order, and the CSV's rows.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include "../tap.h"
#include "views/filter.h"
#include "views/model.h"
#include "views/rttprint.h"

static char *buf;
static size_t len;

static FILE *mem(void)
{
	free(buf);
	buf = NULL;
	len = 0;
	return open_memstream(&buf, &len);
}

static void add(struct model *m, uint8_t scope, const char *addr, uint8_t unit, uint32_t v,
		unsigned n)
{
	struct ts_ev_rtt e;

	memset(&e, 0, sizeof(e));
	e.hdr.kind = TS_K_RTT;
	e.hdr.size = sizeof(e);
	e.hdr.ts_ns = 1;
	e.key.scope = scope;
	e.unit = unit;
	if (addr) {
		e.key.family = 4;
		if (inet_pton(AF_INET, addr, e.key.addr) != 1)
			abort();
	}
	e.h.samples = n;
	e.h.sum = (uint64_t)v * n;
	e.h.max = v;
	e.h.buckets[rtt_bucket_of(v)] = n;
	if (model_apply(m, (union ts_event *)&e))
		abort();
}

static void tick(struct model *m, uint64_t ts)
{
	struct ts_ev_tick t;

	memset(&t, 0, sizeof(t));
	t.hdr.kind = TS_K_TICK;
	t.hdr.size = sizeof(t);
	t.hdr.ts_ns = ts;
	t.interval_ns = 1000000000;
	if (model_apply(m, (union ts_event *)&t))
		abort();
}

static void start(struct model *m)
{
	struct model_config c;

	model_config_default(&c);
	if (model_init(m, &c))
		abort();
}

#define HEAD_US "     usecs               : count    distribution\n"
#define HEAD_MS "     msecs               : count    distribution\n"

TEST(log2_histogram_as_tcprtt_prints_it)
{
	const uint64_t slots[] = {1, 4, 2, 0, 0};
	FILE *f = mem();

	rtt_print_log2(f, slots, 5, "usecs");
	fclose(f);
	CHECK_STR(
	    buf, HEAD_US
	    "         0 -> 1          : 1        |**********                              |\n"
	    "         2 -> 3          : 4        |****************************************|\n"
	    "         4 -> 7          : 2        |********************                    |\n");
	/* nothing counted: nothing printed */
	f = mem();
	rtt_print_log2(f, (const uint64_t[]){0, 0}, 2, "usecs");
	fclose(f);
	CHECK_STR(buf, "");
}

/* 20 ms in microseconds: slot 14, 16384 -> 32767; slots before it printed empty. */
TEST(every_connection_in_microseconds)
{
	struct model m;
	struct rtt_print_opts o = {.scope = TS_RTT_ALL, .per_interval = true, .duration = 3};
	FILE *f;
	const char *empty = "|                                        |\n";
	char want[4096];
	size_t w = 0;

	start(&m);
	add(&m, TS_RTT_ALL, NULL, 0, 20000, 6);
	add(&m, TS_RTT_ALL, NULL, 0, 9000, 3);
	tick(&m, 1000000000);
	w += (size_t)snprintf(want + w, sizeof(want) - w, "\nAll Addresses = ****** \n" HEAD_US);
	for (unsigned i = 0; i < 13; i++) {
		unsigned long long lo = (1ULL << (i + 1)) >> 1, hi = (1ULL << (i + 1)) - 1;

		w += (size_t)snprintf(want + w, sizeof(want) - w, "%10llu -> %-10llu : 0        %s",
				      lo == hi ? lo - 1 : lo, hi, empty);
	}
	w += (size_t)snprintf(
	    want + w, sizeof(want) - w,
	    "      8192 -> 16383      : 3        |********************                    |\n"
	    "     16384 -> 32767      : 6        |****************************************|\n");
	f = mem();
	rtt_print_start(f, &o);
	fclose(f);
	CHECK_STR(buf, "Tracing TCP RTT for 3 secs.\n");
	f = mem();
	rtt_print(f, &m, &o, RTT_LAST);
	fclose(f);
	CHECK_STR(buf, want);
	/* the interval after is empty: nothing at all, not even its blank line */
	f = mem();
	rtt_print(f, &m, &o, RTT_CURRENT);
	fclose(f);
	CHECK_STR(buf, "");
	model_free(&m);
}

TEST(milliseconds_say_msecs)
{
	struct model m;
	struct rtt_print_opts o = {.scope = TS_RTT_ALL};
	FILE *f;

	start(&m);
	add(&m, TS_RTT_ALL, NULL, 1, 20, 2);
	add(&m, TS_RTT_ALL, NULL, 1, 5, 1);
	f = mem();
	rtt_print_start(f, &o);
	rtt_print(f, &m, &o, RTT_TOTAL);
	fclose(f);
	CHECK_STR(
	    buf,
	    "Tracing TCP RTT... Hit Ctrl-C to end.\n"
	    "\nAll Addresses = ****** \n" HEAD_MS
	    "         0 -> 1          : 0        |                                        |\n"
	    "         2 -> 3          : 0        |                                        |\n"
	    "         4 -> 7          : 1        |********************                    |\n"
	    "         8 -> 15         : 0        |                                        |\n"
	    "        16 -> 31         : 2        |****************************************|\n");
	model_free(&m);
}

/* --byraddr: a histogram per remote address, in address order; the filter picks addresses. */
TEST(one_histogram_per_remote_address)
{
	struct model m;
	struct rtt_print_opts o = {.scope = TS_RTT_RADDR};
	struct filter flt;
	char err[256];
	FILE *f;
	const char *h5 = HEAD_US
	    "         0 -> 1          : 0        |                                        |\n"
	    "         2 -> 3          : 0        |                                        |\n"
	    "         4 -> 7          : 2        |****************************************|\n";

	start(&m);
	add(&m, TS_RTT_RADDR, "10.0.0.9", 0, 5, 2);
	add(&m, TS_RTT_RADDR, "10.0.0.10", 0, 5, 2);
	add(&m, TS_RTT_LADDR, "10.0.0.1", 0, 5, 2);
	add(&m, TS_RTT_ALL, NULL, 0, 5, 6);
	f = mem();
	rtt_print(f, &m, &o, RTT_TOTAL);
	fclose(f);
	{
		char want[2048];

		snprintf(want, sizeof(want),
			 "\nRemote Address = 10.0.0.9 \n%sRemote Address = 10.0.0.10 \n%s", h5, h5);
		CHECK_STR(buf, want);
	}
	o.scope = TS_RTT_LADDR;
	f = mem();
	rtt_print(f, &m, &o, RTT_TOTAL);
	fclose(f);
	{
		char want[1024];

		snprintf(want, sizeof(want), "\nLocal Address = 10.0.0.1 \n%s", h5);
		CHECK_STR(buf, want);
	}
	o.scope = TS_RTT_RADDR;
	CHECK(!filter_parse("raddr 10.0.0.10", &flt, err, sizeof(err)));
	o.filter = &flt;
	f = mem();
	rtt_print(f, &m, &o, RTT_TOTAL);
	fclose(f);
	{
		char want[1024];

		snprintf(want, sizeof(want), "\nRemote Address = 10.0.0.10 \n%s", h5);
		CHECK_STR(buf, want);
	}
	/* -L, -D, -p: the kernel kept only their samples; a histogram has no port or owner */
	CHECK(!filter_parse("lport 5201 rport 80 pid 7 raddr 10.0.0.10", &flt, err, sizeof(err)));
	f = mem();
	rtt_print(f, &m, &o, RTT_TOTAL);
	fclose(f);
	{
		char want[1024];

		snprintf(want, sizeof(want), "\nRemote Address = 10.0.0.10 \n%s", h5);
		CHECK_STR(buf, want);
	}
	CHECK(!filter_parse("lport 5201", &flt, err, sizeof(err)));
	f = mem();
	rtt_print(f, &m, &o, RTT_TOTAL);
	fclose(f);
	CHECK(strstr(buf, "Remote Address = 10.0.0.9 \n") &&
	      strstr(buf, "Remote Address = 10.0.0.10 \n"));
	model_free(&m);
}

TEST(csv_a_row_per_slot)
{
	struct model m;
	struct rtt_print_opts o = {.scope = TS_RTT_RADDR, .csv = true};
	FILE *f;

	start(&m);
	add(&m, TS_RTT_RADDR, "10.0.0.9", 0, 20000, 4);
	add(&m, TS_RTT_RADDR, "10.0.0.9", 0, 3, 1);
	f = mem();
	rtt_print_start(f, &o);
	rtt_print(f, &m, &o, RTT_TOTAL);
	fclose(f);
	CHECK(!strncmp(
	    buf, "ADDR,UNIT,LOW,HIGH,COUNT\n10.0.0.9,usecs,0,1,0\n10.0.0.9,usecs,2,3,1\n",
	    strlen("ADDR,UNIT,LOW,HIGH,COUNT\n10.0.0.9,usecs,0,1,0\n10.0.0.9,usecs,2,3,1\n")));
	CHECK(strstr(buf, "\n10.0.0.9,usecs,8192,16383,0\n10.0.0.9,usecs,16384,32767,4\n") != NULL);
	/* the last row is the last slot holding samples */
	CHECK(len > 0 && !strcmp(buf + len - strlen("16384,32767,4\n"), "16384,32767,4\n"));
	model_free(&m);
}

int main(void)
{
	RUN(log2_histogram_as_tcprtt_prints_it);
	RUN(every_connection_in_microseconds);
	RUN(milliseconds_say_msecs);
	RUN(one_histogram_per_remote_address);
	RUN(csv_a_row_per_slot);
	free(buf);
	TAP_DONE();
}
