// SPDX-License-Identifier: GPL-2.0
/* JSON lines (-b --json): the string writer, keys, and rows from a model fed synthetic records. */
#include <stdbool.h>
#include <stdlib.h>
#include "../tap.h"
#include "records.h"
#include "views/batch.h"
#include "views/json.h"

static const char *js(const char *s)
{
	static char buf[512];

	json_string(buf, sizeof(buf), s);
	return buf;
}

TEST(strings_are_valid_utf8_with_controls_escaped)
{
	CHECK_STR(js("plain"), "\"plain\"");
	CHECK_STR(js("a\"b\\c"), "\"a\\\"b\\\\c\"");
	CHECK_STR(js("tab\there\nnl\x01\x1f"), "\"tab\\u0009here\\u000anl\\u0001\\u001f\"");
	CHECK_STR(js("caf\xc3\xa9 \xe2\x82\xac"), "\"caf\xc3\xa9 \xe2\x82\xac\"");
	/* bytes that are no UTF-8 (a lone continuation, a cut sequence, an overlong form) */
	CHECK_STR(js("\xff\x80"), "\"\\ufffd\\ufffd\"");
	CHECK_STR(js("x\xe2\x82"), "\"x\\ufffd\\ufffd\"");
	CHECK_STR(js("\xc0\xaf"), "\"\\ufffd\\ufffd\"");
	CHECK_STR(js(""), "\"\"");
}

TEST(a_string_cut_to_fit_stays_a_string)
{
	char small[8];

	CHECK_EQ_U64(json_string(small, sizeof(small), "abcdefghij"), 7);
	CHECK_STR(small, "\"abcde\"");
	CHECK_EQ_U64(json_string(small, sizeof(small), "\xe2\x82\xac\xe2\x82\xac"), 5);
	CHECK_STR(small, "\"\xe2\x82\xac\"");
}

TEST(keys_are_the_column_names_in_lower_case)
{
	char k[32];

	json_key(k, sizeof(k), "TX_BYTES");
	CHECK_STR(k, "tx_bytes");
	json_key(k, sizeof(k), "TIME(s)");
	CHECK_STR(k, "time_s");
	json_key(k, sizeof(k), "NEW/s");
	CHECK_STR(k, "new_s");
}

static struct model m;
static struct batch *b;
static FILE *out;
static char *text;
static size_t len;

static void start(unsigned views)
{
	struct model_config c = small_config(64);
	struct batch_opts o = {.panes = views, .json = true};
	struct ts_ev_meta meta = rec_meta(0, 1700000000);

	batch_free(b);
	if (out)
		fclose(out);
	free(text);
	text = NULL;
	model_restart(&m, &c);
	out = open_memstream(&text, &len);
	if (!out)
		abort();
	for (int i = 0; i < P_MAX; i++)
		sort_default(pane_shown((enum pane_id)i, &o.popts), &o.sort[i]);
	o.out = out;
	o.err = stderr;
	b = batch_new(&m, &o);
	if (!b)
		abort();
	batch_start(b);
	APPLY(&m, meta);
}

static const char *output(void)
{
	fflush(out);
	return text ? text : "";
}

TEST(a_closed_session_is_one_object_with_exact_numbers)
{
	struct ts_conn c = conn4("10.0.0.1", 40000, "10.0.0.2", 443);
	struct ts_ev_close e =
	    rec_close(1, 1500000000ULL, 1000000000ULL, c, owner(42, "curl"), 1503238553, 1023);

	start(1u << P_LIFESPANS);
	CHECK_STR(output(), ""); /* no header: each object names its fields */
	APPLY(&m, e);
	CHECK_STR(
	    output(),
	    "{\"view\":\"lifespans\",\"time\":1700000001.500000,\"pid\":42,\"comm\":\"curl\","
	    "\"ip\":4,\"laddr\":\"10.0.0.1\",\"lport\":40000,\"raddr\":\"10.0.0.2\","
	    "\"rport\":443,\"tx_kb\":1468006,\"rx_kb\":0,\"tx_bytes\":1503238553,"
	    "\"rx_bytes\":1023,\"ms\":500.00,\"state\":\"CLOSE\",\"dir\":\"connect\","
	    "\"status\":\"ok\",\"lat_ms\":null,\"rtt_ms\":null,\"rtt_min_ms\":null,"
	    "\"rtt_avg_ms\":null,\"rtt_max_ms\":null,\"retrans\":0,\"netns\":0,\"service\":null}\n");
}

/* A hostile name stays one string: the sanitized form, with its backslashes escaped. */
TEST(hostile_names_cannot_break_a_line)
{
	struct ts_conn c = conn4("10.0.0.1", 40000, "10.0.0.2", 443);
	struct ts_ev_close e =
	    rec_close(1, 1500000000ULL, 1000000000ULL, c, owner(42, "x\"}\n{\x1b[2J\xff"), 1, 1);

	start(1u << P_LIFESPANS);
	APPLY(&m, e);
	CHECK(strstr(output(), "\"comm\":\"x\\\"}\\\\x0a{\\\\x1b[2J\\\\xff\"") != NULL);
	CHECK_EQ_U64(strchr(output(), '\n') - output() + 1, strlen(output()));
}

TEST(every_view_is_objects_and_throughput_a_row_an_interval)
{
	struct ts_conn c = conn4("10.0.0.1", 40000, "10.0.0.2", 443);
	struct ts_ev_tput t = rec_tput(1, 100, c, owner(42, "curl"), 5000, 70);
	struct ts_ev_tick tick = rec_tick(1000000000ULL);
	struct ts_ev_drop d = rec_drop(0, 200, c, nobody(), 2, 0x12);
	const char *tp;

	start((1u << P_MAX) - 1);
	APPLY(&m, t);
	APPLY(&m, d);
	APPLY(&m, tick);
	CHECK(strstr(output(), "{\"view\":\"events\",\"time\":1700000000.000000,\"type\":\"DROP\","
			       "\"pid\":null,\"comm\":\"[kernel]\"") != NULL);
	tp = strstr(output(), "{\"view\":\"throughput\"");
	CHECK(tp != NULL);
	CHECK(tp && strstr(tp, "\"tx_bytes\":5000,") != NULL);
	CHECK(tp && strstr(tp, "\"rx_tot_bytes\":70,") != NULL);
}

int main(void)
{
	RUN(strings_are_valid_utf8_with_controls_escaped);
	RUN(a_string_cut_to_fit_stays_a_string);
	RUN(keys_are_the_column_names_in_lower_case);
	RUN(a_closed_session_is_one_object_with_exact_numbers);
	RUN(hostile_names_cannot_break_a_line);
	RUN(every_view_is_objects_and_throughput_a_row_an_interval);
	batch_free(b);
	if (out)
		fclose(out);
	free(text);
	model_free(&m);
	TAP_DONE();
}
