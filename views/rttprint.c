// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include "csv.h"
#include "format.h"
#include "rttprint.h"

void rtt_print_start(FILE *out, const struct rtt_print_opts *o)
{
	if (o->csv) {
		if (o->clock)
			fputs("TIME,", out);
		if (o->rel)
			fputs("TIME(s),", out);
		fputs("ADDR,UNIT,LOW,HIGH,COUNT\n", out);
	} else if (o->duration) {
		fprintf(out, "Tracing TCP RTT for %g secs.\n", o->duration);
	} else {
		fputs("Tracing TCP RTT... Hit Ctrl-C to end.\n", out);
	}
}

/* A bar of width stars for val of max, '+' past it (tcprtt's). */
static void stars(FILE *out, uint64_t val, uint64_t max, int width)
{
	int n = max ? (int)((val < max ? val : max) * (uint64_t)width / max) : 0;

	for (int i = 0; i < width; i++)
		fputc(i < n ? '*' : ' ', out);
	if (val > max)
		fputc('+', out);
}

void rtt_print_log2(FILE *out, const uint64_t *slots, int nslots, const char *unit)
{
	int last = -1, width, bar;
	uint64_t max = 0;

	for (int i = 0; i < nslots; i++) {
		if (slots[i])
			last = i;
		if (slots[i] > max)
			max = slots[i];
	}
	if (last < 0)
		return;
	/* tcprtt's layout: wider columns, half the bar, past 2^32 */
	width = last <= 32 ? 10 : 20;
	bar = last <= 32 ? 40 : 20;
	fprintf(out, "%*s%-*s : count    distribution\n", last <= 32 ? 5 : 15, "",
		last <= 32 ? 19 : 29, unit);
	for (int i = 0; i <= last; i++) {
		unsigned long long low = (1ULL << (i + 1)) >> 1, high = (1ULL << (i + 1)) - 1;

		if (low == high)
			low--;
		fprintf(out, "%*llu -> %-*llu : %-8llu |", width, low, width, high,
			(unsigned long long)slots[i]);
		stars(out, slots[i], max, bar);
		fputs("|\n", out);
	}
}

static const struct rtt_dist *dist_of(const struct rtt_host *h, enum rtt_which which)
{
	return which == RTT_TOTAL ? &h->total : which == RTT_CURRENT ? &h->iv : &h->last;
}

static void addr_text(const struct rtt_host *h, char *b, size_t n)
{
	if (h->key.scope == TS_RTT_ALL ||
	    !inet_ntop(h->key.family == 6 ? AF_INET6 : AF_INET, h->key.addr, b, (socklen_t)n))
		snprintf(b, n, "*");
}

/*
 * The terms a histogram can answer: its address's. The kernel applied the
 * ports (-L, -D) already, and a histogram has no port, owner or state to
 * match them again.
 */
static void address_terms(const struct filter *f, struct filter *out)
{
	out->n = 0;
	for (int i = 0; f && i < f->n; i++) {
		enum filter_kind k = f->terms[i].kind;

		if (k == FK_ADDR || k == FK_LADDR || k == FK_RADDR || k == FK_IP)
			out->terms[out->n++] = f->terms[i];
	}
}

static bool wanted(const struct rtt_host *h, const struct rtt_print_opts *o,
		   const struct filter *addr, enum rtt_which which)
{
	struct row_fields rf;

	if (h->key.scope != o->scope || !dist_of(h, which)->samples)
		return false;
	if (h->key.scope == TS_RTT_ALL || !addr->n)
		return true;
	memset(&rf, 0, sizeof(rf));
	rf.family = h->key.family;
	if (h->key.scope == TS_RTT_RADDR)
		rf.raddr = h->key.addr;
	else
		rf.laddr = h->key.addr;
	return filter_match(addr, &rf);
}

/* By address, so a run prints in the same order every time. */
static int by_addr(const void *a, const void *b)
{
	const struct rtt_host *x = *(const struct rtt_host *const *)a;
	const struct rtt_host *y = *(const struct rtt_host *const *)b;

	if (x->key.family != y->key.family)
		return x->key.family < y->key.family ? -1 : 1;
	return memcmp(x->key.addr, y->key.addr, sizeof(x->key.addr));
}

static void print_csv(FILE *out, const struct fmt_ctx *f, const struct rtt_print_opts *o,
		      const struct rtt_host *h, const uint64_t *slots, const char *addr)
{
	char when[32], num[32];
	int last = -1;

	for (int i = 0; i < RTT_SLOTS; i++)
		if (slots[i])
			last = i;
	for (int i = 0; i <= last; i++) {
		bool first = true;

		if (o->clock) {
			fmt_clock(f, f->m->st.now_ns, when, sizeof(when));
			csv_put(out, when, false, first);
			first = false;
		}
		if (o->rel) {
			fmt_rel(f, f->m->st.now_ns, when, sizeof(when));
			csv_put(out, when, true, first);
			first = false;
		}
		csv_put(out, addr, false, first);
		csv_put(out, h->unit ? "msecs" : "usecs", false, false);
		snprintf(num, sizeof(num), "%llu", i ? 1ULL << i : 0ULL);
		csv_put(out, num, true, false);
		snprintf(num, sizeof(num), "%llu", (2ULL << i) - 1);
		csv_put(out, num, true, false);
		snprintf(num, sizeof(num), "%llu", (unsigned long long)slots[i]);
		csv_put(out, num, true, false);
		fputc('\n', out);
	}
}

void rtt_print(FILE *out, const struct model *m, const struct rtt_print_opts *o,
	       enum rtt_which which)
{
	struct fmt_ctx f = {.m = m, .now_ns = m->st.now_ns, .t0_ns = m->st.first_ns};
	size_t n = 0, pos = 0, cap = table_count(&m->rtt.t);
	const struct rtt_host **hosts = calloc(cap ? cap : 1, sizeof(*hosts));
	const struct rtt_host *h;
	char when[32];
	struct filter only_addr;

	if (!hosts)
		return;
	address_terms(o->filter, &only_addr);
	while ((h = table_next(&m->rtt.t, &pos)) && n < cap)
		if (wanted(h, o, &only_addr, which))
			hosts[n++] = h;
	qsort(hosts, n, sizeof(*hosts), by_addr);
	/* the end of a run: what the interval in progress had, if anything */
	if (which == RTT_CURRENT && !n) {
		free(hosts);
		return;
	}
	if (!o->csv) {
		fputc('\n', out);
		if (o->clock) {
			fmt_clock(&f, m->st.now_ns, when, sizeof(when));
			fprintf(out, "%-8s\n", when);
		}
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t slots[RTT_SLOTS];
		char addr[64];

		h = hosts[i];
		rtt_slots(dist_of(h, which), slots);
		addr_text(h, addr, sizeof(addr));
		if (o->csv) {
			print_csv(out, &f, o, h, slots, addr);
			continue;
		}
		if (h->key.scope == TS_RTT_ALL)
			fputs("All Addresses = ****** \n", out);
		else
			fprintf(out, "%s Address = %s \n",
				h->key.scope == TS_RTT_RADDR ? "Remote" : "Local", addr);
		rtt_print_log2(out, slots, RTT_SLOTS, h->unit ? "msecs" : "usecs");
	}
	free(hosts);
}
