// SPDX-License-Identifier: GPL-2.0
/*
 * Records that grow (views/record_format.md): this test is built against the
 * model and views of a test build in which CLOSE has a field more, appended
 * in the minor version after the released one (tests/record.mk,
 * TS_RECORD_GROWTH_TEST). Recordings of format 1.0, with the shortest CLOSE,
 * must replay byte for byte as they do in the real build, the missing fields
 * read as 0; a file of a later version whose CLOSE lacks its fields is
 * damage.
 */
#include <stdlib.h>
#include <unistd.h>
#include "../tap.h"
#include "views/batch.h"
#include "views/recfmt.h"
#include "views/record.h"
#include "views/recread.h"
#include "views/recsizes.h"
#include "views/replay.h"

#ifndef TS_RECORD_GROWTH_TEST
#error "tests/record.mk builds this with TS_RECORD_GROWTH_TEST, against that build's model"
#endif

#define GOLDEN GOLDEN_DIR "/golden.tcps"
#define NEXT   (RECFMT_MINOR_RELEASED + 1) /* the test build's minor version */

static char dir[] = "/tmp/tcpscope-grown.XXXXXX";
static char path[256];

/* What tcpscope -b --replay FILE prints with these flags (tui/app.c's batch mode). */
struct run {
	unsigned panes;
	bool csv, clock, rel, wide;
	int tput_group;
	char *out, *err;
	size_t out_len, err_len;
};

static void feed(void *ctx, const union ts_event *ev)
{
	model_apply(ctx, ev);
}

/* Replay file flat out through batch output into r->out and r->err; false if it could not. */
static bool replay_batch(const char *file, struct run *r)
{
	struct replay_opts ro = {.speed = 1, .flat_out = true};
	struct batch_opts bo = {
	    .panes = r->panes,
	    .csv = r->csv,
	    .wide = r->wide,
	    .clock = r->clock,
	    .rel = r->rel,
	    .popts = {.group = (enum tput_group)r->tput_group},
	};
	struct model_config c;
	struct filter none;
	struct model m;
	struct batch *b;
	struct source *s;
	char err[512];
	int rc;

	model_config_default(&c);
	if (model_init(&m, &c) || filter_parse("", &none, err, sizeof(err)))
		abort();
	bo.filter = &none;
	bo.out = open_memstream(&r->out, &r->out_len);
	bo.err = open_memstream(&r->err, &r->err_len);
	for (int i = 0; i < P_MAX; i++)
		sort_default(pane_shown((enum pane_id)i, &bo.popts), &bo.sort[i]);
	b = batch_new(&m, &bo);
	s = replay_open(file, &ro, feed, &m, err, sizeof(err));
	if (!b || !s) {
		printf("#   %s: %s\n", file, err);
		return false;
	}
	batch_start(b);
	while ((rc = source_step(s, 200)) == 0 || rc == SOURCE_MORE)
		;
	batch_finish(b);
	if (source_error(s))
		printf("#   %s\n", source_error(s));
	rc = rc == SOURCE_END && !source_error(s);
	source_close(s);
	batch_free(b);
	model_free(&m);
	fclose(bo.out);
	fclose(bo.err);
	return rc;
}

static char *slurp(const char *file)
{
	FILE *f = fopen(file, "r");
	char *text = NULL;
	size_t len = 0;

	if (!f || getdelim(&text, &len, '\0', f) < 0) {
		printf("#   cannot read %s\n", file);
		free(text);
		text = NULL;
	}
	if (f)
		fclose(f);
	return text;
}

/* The replay of file prints exactly tests/golden/NAME, and says exactly stderr.txt. */
static bool prints_golden(const char *file, const char *name, struct run r)
{
	char want_path[512];
	char *want, *want_err;
	bool same;

	snprintf(want_path, sizeof(want_path), "%s/%s", GOLDEN_DIR, name);
	want = slurp(want_path);
	want_err = slurp(GOLDEN_DIR "/stderr.txt");
	same = replay_batch(file, &r) && want && want_err && !strcmp(r.out, want) &&
	       !strcmp(r.err, want_err);
	if (!same)
		printf("#   %s replayed differs from %s\n", file, name);
	free(want);
	free(want_err);
	free(r.out);
	free(r.err);
	return same;
}

/* Every golden output of tests/kernel/replay_golden.sh, from file. */
static void check_goldens(const char *file)
{
	static const char *const panes[] = {"lifespans", "throughput", "states", "events"};

	for (int i = 0; i < 4; i++) {
		char name[64];

		snprintf(name, sizeof(name), "%s.txt", panes[i]);
		CHECK(prints_golden(file, name, (struct run){.panes = 1u << i}));
		snprintf(name, sizeof(name), "%s.csv", panes[i]);
		CHECK(prints_golden(file, name, (struct run){.panes = 1u << i, .csv = true}));
	}
	CHECK(prints_golden(
	    file, "all-times.txt",
	    (struct run){.panes = (1u << P_MAX) - 1, .clock = true, .rel = true, .wide = true}));
	CHECK(prints_golden(
	    file, "socket.csv",
	    (struct run){
		.panes = 1u << P_THROUGHPUT, .csv = true, .clock = true, .tput_group = G_SOCKET}));
}

TEST(close_grew_in_the_next_minor_version)
{
	CHECK_EQ_U64(RECFMT_MINOR, NEXT);
	CHECK_EQ_U64(event_size(TS_K_CLOSE), 232);
	CHECK_EQ_U64(record_size_in(TS_K_CLOSE, 0), 168);
	CHECK_EQ_U64(record_size_in(TS_K_CLOSE, 1), 216);
	CHECK_EQ_U64(record_size_in(TS_K_CLOSE, RECFMT_MINOR_RELEASED), 224);
	CHECK_EQ_U64(record_size_in(TS_K_CLOSE, NEXT), 232);
	for (unsigned k = 0; k < TS_K_MAX; k++) {
		CHECK_EQ_U64(record_size_in(k, RECFMT_MINOR), event_size(k));
		if (k != TS_K_CLOSE)
			CHECK_EQ_U64(record_size_in(k, RECFMT_MINOR_RELEASED), event_size(k));
	}
}

/* The committed 1.0 recording, its CLOSE shorter than this build's, replays the same. */
TEST(a_1_0_recording_replays_byte_for_byte)
{
	check_goldens(GOLDEN);
}

TEST(fields_an_older_file_lacks_read_zero)
{
	char err[512];
	FILE *f = fopen(GOLDEN, "r");
	struct recread *r = f ? recread_open_fd(fileno(f), GOLDEN, err, sizeof(err)) : NULL;
	union ts_event ev;
	int closes = 0;

	CHECK(r != NULL);
	while (r && recread_next(r, &ev, -1) == RECREAD_RECORD) {
		if (ev.hdr.kind != TS_K_CLOSE)
			continue;
		closes++;
		CHECK_EQ_U64(ev.hdr.size, sizeof(struct ts_ev_close));
		CHECK_EQ_U64(ev.close.rtt.samples, 0);
		CHECK_EQ_U64(ev.close.cgroup_id, 0);
		CHECK_EQ_U64(ev.close.grown, 0);
	}
	CHECK(closes > 0);
	CHECK(r && !recread_error(r));
	recread_free(r);
	if (f)
		fclose(f);
}

/* Today's records written again by this build: a file of its version, with the field, reads the
 * same. */
TEST(a_newer_recording_of_the_same_replays_the_same)
{
	FILE *f = fopen(GOLDEN, "r");
	struct recread *r = f ? recread_open_fd(fileno(f), GOLDEN, NULL, 0) : NULL;
	struct recorder *w = recorder_open(path, true, NULL, 0);
	union ts_event ev;
	uint8_t hdr[RECFMT_HDR_LEN];
	FILE *again;

	CHECK(r && w);
	while (r && w && recread_next(r, &ev, -1) == RECREAD_RECORD)
		CHECK(!recorder_write(w, &ev));
	recread_free(r);
	if (f)
		fclose(f);
	CHECK(w && !recorder_close(w, NULL, 0));
	again = fopen(path, "r");
	CHECK(again && fread(hdr, 1, sizeof(hdr), again) == sizeof(hdr));
	if (again)
		fclose(again);
	CHECK_EQ_U64(recfmt_get16(hdr + 10), NEXT); /* minor */
	check_goldens(path);
}

static size_t put_chunk(uint8_t *out, uint32_t seq, const void *recs, size_t n)
{
	z_stream z = {0};
	struct recfmt_chunk c = {.seq = seq, .ulen = (uint32_t)n};

	deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
	z.next_in = (uint8_t *)recs;
	z.avail_in = (uInt)n;
	z.next_out = out + RECFMT_CHUNK_HDR;
	z.avail_out = 1 << 16;
	deflate(&z, Z_SYNC_FLUSH);
	c.clen = (uint32_t)((1 << 16) - z.avail_out);
	c.crc = recfmt_crc(out + RECFMT_CHUNK_HDR, c.clen);
	deflateEnd(&z);
	recfmt_chunk_encode(out, &c);
	return RECFMT_CHUNK_HDR + c.clen;
}

/* A CLOSE of size bytes, in a file of version 'minor': damage if that version wrote it longer. */
static const char *close_in(unsigned minor, uint16_t size)
{
	static uint8_t file[1 << 16];
	static char msg[512];
	struct recfmt_header h = {.major = 1, .minor = (uint16_t)minor, .len = RECFMT_HDR_LEN};
	struct ts_ev_close e = {.hdr = {.kind = TS_K_CLOSE, .size = size}, .sid = 7};
	struct recfmt_chunk end = {.seq = 1, .ulen = RECFMT_END_DONE, .crc = 1};
	struct replay_opts ro = {.speed = 1, .flat_out = true};
	struct model m;
	struct model_config c;
	struct source *s;
	size_t len = RECFMT_HDR_LEN;
	char err[256];

	h.compression = RECFMT_DEFLATE;
	recfmt_header_encode(file, &h);
	e.conn.family = 4;
	len += put_chunk(file + len, 0, &e, size);
	recfmt_chunk_encode(file + len, &end);
	len += RECFMT_CHUNK_HDR;
	model_config_default(&c);
	if (model_init(&m, &c))
		abort();
	s = replay_open_mem(file, len, &ro, feed, &m, err, sizeof(err));
	while (s && !source_step(s, 0))
		;
	snprintf(msg, sizeof(msg), "%s", s && source_error(s) ? source_error(s) : "");
	if (!msg[0] && m.st.records[TS_K_CLOSE] != 1)
		snprintf(msg, sizeof(msg), "the model took %llu closes",
			 (unsigned long long)m.st.records[TS_K_CLOSE]);
	source_close(s);
	model_free(&m);
	return msg;
}

TEST(a_short_record_is_damage_only_where_its_version_was_longer)
{
	CHECK_STR(close_in(0, 168), "");
	CHECK(strstr(close_in(1, 168), "a record of kind 2 of 168 bytes, not 216") != NULL);
	CHECK_STR(close_in(1, 216), "");
	CHECK(strstr(close_in(RECFMT_MINOR_RELEASED, 216),
		     "a record of kind 2 of 216 bytes, not 224") != NULL);
	CHECK_STR(close_in(RECFMT_MINOR_RELEASED, 224), "");
	CHECK(strstr(close_in(NEXT, 224), "a record of kind 2 of 224 bytes, not 232") != NULL);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/grown.tcps", dir);
	RUN(close_grew_in_the_next_minor_version);
	RUN(a_1_0_recording_replays_byte_for_byte);
	RUN(fields_an_older_file_lacks_read_zero);
	RUN(a_newer_recording_of_the_same_replays_the_same);
	RUN(a_short_record_is_damage_only_where_its_version_was_longer);
	unlink(path);
	rmdir(dir);
	TAP_DONE();
}
