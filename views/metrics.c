// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "format.h"
#include "metrics.h"
#include "text.h"

void metrics_text_put(struct metrics_text *o, const char *s, size_t n)
{
	if (o->len + n > o->cap) {
		size_t cap = o->cap ? o->cap : 4096;
		char *grown;

		while (cap < o->len + n)
			cap *= 2;
		grown = o->failed ? NULL : realloc(o->s, cap);
		if (!grown) {
			o->failed = true;
			return;
		}
		o->s = grown;
		o->cap = cap;
	}
	memcpy(o->s + o->len, s, n);
	o->len += n;
}

void metrics_text_free(struct metrics_text *o)
{
	free(o->s);
	memset(o, 0, sizeof(*o));
}

static void put(struct metrics_text *o, const char *s)
{
	metrics_text_put(o, s, strlen(s));
}

static void put_u64(struct metrics_text *o, uint64_t v)
{
	char b[24];
	size_t i = sizeof(b);

	do
		b[--i] = (char)('0' + v % 10);
	while (v /= 10);
	metrics_text_put(o, b + i, sizeof(b) - i);
}

/*
 * An untrusted name (a process name, a drop reason from a recording) as a
 * label value, one to one: printable text and valid UTF-8 as they are, a
 * backslash doubled, any other byte \xNN; then escaped as the format wants
 * (a backslash doubled again, a quote behind one).
 */
static void put_label_text(struct metrics_text *o, const char *s, size_t max)
{
	size_t n = strnlen(s, max);

	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t len;
		char esc[8];

		if (c == '\\') {
			put(o, "\\\\\\\\");
			i++;
		} else if (c == '"') {
			put(o, "\\\"");
			i++;
		} else if ((len = text_plain_char(s + i, n - i))) {
			metrics_text_put(o, s + i, len);
			i += len;
		} else {
			snprintf(esc, sizeof(esc), "\\\\x%02x", c);
			put(o, esc);
			i++;
		}
	}
}

static void label(struct metrics_text *o, bool first, const char *name, const char *value)
{
	put(o, first ? "{" : ",");
	put(o, name);
	put(o, "=\"");
	put(o, value);
	put(o, "\"");
}

static void family(struct metrics_text *o, const char *name, const char *type, const char *help)
{
	put(o, "# HELP ");
	put(o, name);
	put(o, " ");
	put(o, help);
	put(o, "\n# TYPE ");
	put(o, name);
	put(o, " ");
	put(o, type);
	put(o, "\n");
}

static void sample_end(struct metrics_text *o, bool labels, uint64_t v)
{
	put(o, labels ? "} " : " ");
	put_u64(o, v);
	put(o, "\n");
}

static const char *dir_name(uint8_t dir)
{
	static const char *const names[] = {
	    [TD_UNKNOWN] = "unknown",
	    [TD_CONNECT] = "connect",
	    [TD_ACCEPT] = "accept",
	    [TD_BEFORE] = "before",
	};

	dir &= (uint8_t)~TD_OTHER;
	return dir < sizeof(names) / sizeof(names[0]) ? names[dir] : "unknown";
}

static void port_label(struct metrics_text *o, const struct tally_key *k)
{
	put(o, ",port=\"");
	if (k->dir & TD_OTHER)
		put(o, "other");
	else if (k->port)
		put_u64(o, k->port);
	else
		put(o, "unknown");
	put(o, "\"");
}

static void comm_label(struct metrics_text *o, const struct tally_key *k)
{
	put(o, ",comm=\"");
	if (k->dir & TD_OTHER)
		put(o, "other");
	else
		put_label_text(o, k->comm, sizeof(k->comm));
	put(o, "\"");
}

/* first: the label set's first (no comma before it) */
static void detail_label(struct metrics_text *o, const char *name, const struct tally_key *k)
{
	if (o->len && o->s[o->len - 1] != '{')
		put(o, ",");
	put(o, name);
	put(o, "=\"");
	put_label_text(o, k->detail, sizeof(k->detail));
	put(o, "\"");
}

static void service_label_of(struct metrics_text *o, const struct tally_key *k)
{
	put(o, ",service=\"");
	if (k->dir & TD_OTHER)
		put(o, "other");
	else
		put_label_text(o, k->service, sizeof(k->service));
	put(o, "\"");
}

static void reason_label(struct metrics_text *o, const struct model *m, uint32_t reason)
{
	const char *name = model_reason_name(m, reason);
	char fallback[32];

	if (!name) {
		snprintf(fallback, sizeof(fallback), "reason_%u", reason);
		name = fallback;
	}
	put(o, "{reason=\"");
	put_label_text(o, name, 64);
	put(o, "\"");
}

/* The samples of one family of the tally; second: value2 instead of value. */
static void series(struct metrics_text *o, const struct model *m, const struct tally *t,
		   const char *name, enum tally_family fam, bool second)
{
	const struct tally_series *s;
	size_t pos = 0;

	if (!t->families[fam])
		return;
	while ((s = table_next(&t->series, &pos))) {
		const struct tally_key *k = &s->key;

		if (k->family != fam)
			continue;
		put(o, name);
		if (fam == TF_DROPS) {
			reason_label(o, m, k->reason);
		} else if (fam == TF_RESETS) {
			put(o, "{");
			detail_label(o, "direction", k);
			comm_label(o, k);
			port_label(o, k);
		} else {
			label(o, true, "direction", dir_name(k->dir));
			if (fam == TF_CLOSED)
				detail_label(o, "status", k);
			if (fam == TF_RETRANS)
				detail_label(o, "kind", k);
			if (fam != TF_OPENED)
				comm_label(o, k);
			port_label(o, k);
			if (fam == TF_CLOSED)
				service_label_of(o, k);
		}
		sample_end(o, true, second ? s->value2 : s->value);
	}
}

/* tcprtt's slot of the records' last bucket (2^27 us and above, bpf/events.h) */
#define RTT_TOP_SLOT 27

/* Seconds from whole microseconds, exactly: "0.000002", "1.048576", "134.217728". */
static void put_us_seconds(struct metrics_text *o, uint64_t us)
{
	char b[40];
	int n = snprintf(b, sizeof(b), "%llu.%06llu", (unsigned long long)(us / 1000000),
			 (unsigned long long)(us % 1000000));

	while (n > 0 && b[n - 1] == '0')
		n--;
	if (n > 0 && b[n - 1] == '.')
		n--;
	metrics_text_put(o, b, (size_t)n);
}

/*
 * Every connection's RTT as a histogram: tcprtt's log2 slots, slot k
 * holding [2^k, 2^(k+1)) microseconds (the kernel truncates the smoothed
 * RTT to whole microseconds, so its real value is below the slot's upper
 * bound). The last slot also holds everything above: it is +Inf's alone.
 */
static void rtt_histogram(struct metrics_text *o, const struct tally *t)
{
	uint64_t seen = 0, count = 0;

	family(o, "tcpscope_rtt_seconds", "histogram",
	       "Smoothed RTT samples of every connection (tcp_probe), in tcprtt's log2 buckets; "
	       "_sum is the kernel's sum of the samples, in whole microseconds.");
	for (int k = 0; k < RTT_SLOTS; k++)
		count += t->rtt_slots[k];
	/* the records' buckets end at 2^27 us: the slots from there on are +Inf's */
	for (int k = 0; k < RTT_TOP_SLOT; k++) {
		seen += t->rtt_slots[k];
		put(o, "tcpscope_rtt_seconds_bucket{le=\"");
		put_us_seconds(o, 2ULL << k);
		put(o, "\"");
		sample_end(o, true, seen);
	}
	put(o, "tcpscope_rtt_seconds_bucket{le=\"+Inf\"");
	sample_end(o, true, count);
	put(o, "tcpscope_rtt_seconds_sum ");
	put_us_seconds(o, t->rtt_sum_us);
	put(o, "\n");
	put(o, "tcpscope_rtt_seconds_count");
	sample_end(o, false, count);
}

/* The labels of a listening address: laddr, port. */
static void listen_labels(struct metrics_text *o, const struct tally_key *k)
{
	char addr[64];
	struct ts_conn c = {.family = k->ipfam};

	put(o, "{laddr=\"");
	if (k->dir & TD_OTHER) {
		put(o, "other");
	} else {
		memcpy(c.laddr, k->addr, sizeof(c.laddr));
		fmt_addr(&c, c.laddr, addr, sizeof(addr));
		put(o, addr);
	}
	put(o, "\"");
	port_label(o, k);
}

enum listen_value { LV_QUEUE, LV_BACKLOG, LV_ACCEPTS, LV_OVERFLOWS };

/* One listeners' family; gauges only of addresses sampled in the last interval. */
static void listen_family(struct metrics_text *o, const struct tally *t, const char *name,
			  enum listen_value v)
{
	const struct tally_series *s;
	size_t pos = 0;

	if (!t->families[TF_LISTEN])
		return;
	while ((s = table_next(&t->series, &pos))) {
		uint64_t val;

		if (s->key.family != TF_LISTEN)
			continue;
		if ((v == LV_QUEUE || v == LV_BACKLOG) && !s->sampled)
			continue;
		val = v == LV_QUEUE	? s->queue
		      : v == LV_BACKLOG ? s->backlog
		      : v == LV_ACCEPTS ? s->value
					: s->value2;
		put(o, name);
		listen_labels(o, &s->key);
		sample_end(o, true, val);
	}
}

static void listeners(struct metrics_text *o, const struct tally *t)
{
	family(o, "tcpscope_listen_queue", "gauge",
	       "Connections waiting for accept() at the end of the last interval, by listening "
	       "address and port (sockets sharing one add up).");
	listen_family(o, t, "tcpscope_listen_queue", LV_QUEUE);
	family(o, "tcpscope_listen_backlog", "gauge",
	       "The backlog listen() was given (as the kernel caps it), by listening address and "
	       "port.");
	listen_family(o, t, "tcpscope_listen_backlog", LV_BACKLOG);
	family(o, "tcpscope_listen_accepts_total", "counter",
	       "Connections accept() took off the queue, by listening address and port.");
	listen_family(o, t, "tcpscope_listen_accepts_total", LV_ACCEPTS);
	family(o, "tcpscope_listen_overflows_total", "counter",
	       "Connections a listener turned away on a full queue (its own count, nstat's "
	       "ListenDrops), by listening address and port.");
	listen_family(o, t, "tcpscope_listen_overflows_total", LV_OVERFLOWS);
}

/* What each kind of loss is called in tcpscope_lost_records_total{kind}. */
static const char *const loss_kind[LOSS_MAX] = {
    [LOSS_RECORDS] = "records",		[LOSS_SOCKMAP] = "sockets",
    [LOSS_CLOSES] = "closes",		[LOSS_OPEN] = "sessions",
    [LOSS_BAD] = "malformed",		[LOSS_GROUPS] = "throughput_rows",
    [LOSS_SUMMARIES] = "lifespan_sums", [LOSS_RTT] = "rtt_histograms",
    [LOSS_LISTENERS] = "listeners",	[LOSS_SERVICES] = "services",
};

static void losses(struct metrics_text *o, const struct model *m)
{
	uint64_t n[LOSS_MAX];

	model_losses(m, n);
	family(o, "tcpscope_lost_records_total", "counter",
	       "Records, sockets or sessions tcpscope could not take in, by kind (see the "
	       "manual).");
	for (int i = 0; i < LOSS_MAX; i++) {
		put(o, "tcpscope_lost_records_total");
		label(o, true, "kind", loss_kind[i]);
		sample_end(o, true, n[i]);
	}
}

int metrics_render(struct metrics_text *o, const struct model *m, const struct tally *t)
{
	o->len = 0;
	family(o, "tcpscope_build_info", "gauge", "tcpscope's version, always 1.");
	put(o, "tcpscope_build_info");
	label(o, true, "version", TCPSCOPE_VERSION);
	sample_end(o, true, 1);
	family(o, "tcpscope_sessions_opened_total", "counter",
	       "TCP sessions opened (before: open when tracing began), by direction and "
	       "service port.");
	series(o, m, t, "tcpscope_sessions_opened_total", TF_OPENED, false);
	family(o, "tcpscope_sessions_closed_total", "counter",
	       "TCP sessions closed, by direction, status, process, service port and "
	       "service (the owner's systemd unit or container, \"-\": unknown).");
	series(o, m, t, "tcpscope_sessions_closed_total", TF_CLOSED, false);
	family(o, "tcpscope_sessions_open", "gauge", "TCP sessions open now.");
	put(o, "tcpscope_sessions_open");
	sample_end(o, false, table_count(&m->open));
	family(o, "tcpscope_bytes_sent_total", "counter",
	       "Bytes sent by send calls, by direction, process and service port.");
	series(o, m, t, "tcpscope_bytes_sent_total", TF_BYTES, false);
	family(o, "tcpscope_bytes_received_total", "counter",
	       "Bytes received by receive calls, by direction, process and service port.");
	series(o, m, t, "tcpscope_bytes_received_total", TF_BYTES, true);
	family(o, "tcpscope_retransmits_total", "counter",
	       "Segments retransmitted, by direction, kind, process and service port.");
	series(o, m, t, "tcpscope_retransmits_total", TF_RETRANS, false);
	family(o, "tcpscope_drops_total", "counter",
	       "TCP packets the kernel dropped, by its drop reason.");
	series(o, m, t, "tcpscope_drops_total", TF_DROPS, false);
	family(o, "tcpscope_resets_total", "counter",
	       "TCP resets sent and received, by direction, process and service port.");
	series(o, m, t, "tcpscope_resets_total", TF_RESETS, false);
	rtt_histogram(o, t);
	listeners(o, t);
	losses(o, m);
	family(o, "tcpscope_records_total", "counter", "Records taken in from the kernel.");
	put(o, "tcpscope_records_total");
	sample_end(o, false, m->st.seq);
	family(o, "tcpscope_series", "gauge",
	       "Label sets with a process name or a port in use (--serve-max-series bounds "
	       "them).");
	put(o, "tcpscope_series");
	sample_end(o, false, t->labelled);
	family(o, "tcpscope_series_limit", "gauge", "The bound --serve-max-series sets.");
	put(o, "tcpscope_series_limit");
	sample_end(o, false, t->max_series);
	family(o, "tcpscope_series_overflow_total", "counter",
	       "Updates summed up under comm, port, service and laddr \"other\": the bound was "
	       "reached.");
	put(o, "tcpscope_series_overflow_total");
	sample_end(o, false, t->overflow);
	return o->failed ? -ENOMEM : 0;
}

static void put_double(struct metrics_text *o, double v)
{
	char b[48];

	snprintf(b, sizeof(b), "%.6f", v);
	put(o, b);
}

void metrics_process(struct metrics_text *o, double cpu_s, uint64_t rss_bytes, double start_s)
{
	family(o, "process_cpu_seconds_total", "counter",
	       "CPU time tcpscope's process has taken, user and system, all threads.");
	put(o, "process_cpu_seconds_total ");
	put_double(o, cpu_s);
	put(o, "\n");
	family(o, "process_resident_memory_bytes", "gauge", "Its resident memory.");
	put(o, "process_resident_memory_bytes");
	sample_end(o, false, rss_bytes);
	family(o, "process_start_time_seconds", "gauge",
	       "When it began serving, in seconds since the epoch.");
	put(o, "process_start_time_seconds ");
	put_double(o, start_s);
	put(o, "\n");
}

/* The metric name of a "# HELP " or "# TYPE " line: where it starts, and its length. */
static bool meta_name(const char *line, size_t n, size_t *start, size_t *len)
{
	if (n < 7 || (memcmp(line, "# HELP ", 7) && memcmp(line, "# TYPE ", 7)))
		return false;
	*start = 7;
	*len = 0;
	while (*start + *len < n && line[*start + *len] != ' ')
		(*len)++;
	return true;
}

int metrics_openmetrics(struct metrics_text *o, const char *text, size_t len)
{
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (text + i)) + 1 : len - i, start, name;

		/* OpenMetrics names a counter's family without its samples' _total */
		if (meta_name(text + i, n, &start, &name) && name > 6 &&
		    !memcmp(text + i + start + name - 6, "_total", 6)) {
			metrics_text_put(o, text + i, start + name - 6);
			metrics_text_put(o, text + i + start + name, n - start - name);
		} else {
			metrics_text_put(o, text + i, n);
		}
		i += n;
	}
	put(o, "# EOF\n");
	return o->failed ? -ENOMEM : 0;
}

bool metrics_wants_openmetrics(const char *accept)
{
	return accept && strstr(accept, "application/openmetrics-text");
}
