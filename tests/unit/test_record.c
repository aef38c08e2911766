// SPDX-License-Identifier: GPL-2.0
/*
 * Recording and replay: records come back byte for byte, damage of any kind
 * at any offset gives a message and a prefix of the records (never garbage,
 * never a crash), versions follow views/record_format.md, and the replay
 * clock honours --speed and pause.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "../tap.h"
#include "views/recfmt.h"
#include "views/record.h"
#include "views/recsizes.h"
#include "views/replay.h"

#define MAXREC 20000
#define MS     1000000ULL

static char dir[] = "/tmp/tcpscope-record.XXXXXX";
static char path[256];

/* what a replay delivered */
static union ts_event got[MAXREC];
static size_t ngot;

static void collect(void *ctx, const union ts_event *ev)
{
	if (ngot < MAXREC)
		got[ngot] = *ev;
	ngot++;
}

/* what was recorded */
static union ts_event sent[MAXREC];
static size_t nsent;

static void make(union ts_event *e, unsigned kind, uint64_t ts, uint64_t salt)
{
	memset(e, 0, sizeof(*e));
	e->hdr.kind = (uint16_t)kind;
	e->hdr.size = (uint16_t)event_size(kind);
	e->hdr.ts_ns = ts;
	switch (kind) {
	case TS_K_STATE:
		e->state.sid = salt;
		e->state.conn.family = 4;
		e->state.conn.lport = (uint16_t)salt;
		e->state.newstate = TS_ESTABLISHED;
		break;
	case TS_K_CLOSE:
		e->close.sid = salt;
		e->close.conn.family = 6;
		e->close.tx_bytes = salt * 1000;
		break;
	case TS_K_META:
		e->meta.interval_ms = 1000;
		snprintf(e->meta.plan, sizeof(e->meta.plan), "state=tp_btf test=%llu",
			 (unsigned long long)salt);
		break;
	case TS_K_TICK:
		e->tick.interval_ns = 1000 * MS;
		e->tick.open_sockets = salt;
		break;
	default:
		/* some bytes that differ per record */
		memset((char *)e + sizeof(e->hdr), (int)(salt & 0x7f),
		       e->hdr.size - sizeof(e->hdr));
	}
}

/* A recording of n records of every kind, 1 ms apart, META first. */
static void record_n(size_t n)
{
	struct recorder *r;
	char err[512];

	unlink(path);
	r = recorder_open(path, false, err, sizeof(err));
	if (!r) {
		printf("# recorder_open: %s\n", err);
		abort();
	}
	nsent = 0;
	for (size_t i = 0; i < n && i < MAXREC; i++) {
		unsigned kind = i == 0 ? TS_K_META : 1 + (unsigned)(i * 7 % (TS_K_MAX - 1));

		if (!event_size(kind))
			kind = TS_K_TICK;
		make(&sent[nsent], kind, 1000 * MS + i * MS, i);
		if (recorder_write(r, &sent[nsent]))
			abort();
		nsent++;
	}
	if (recorder_close(r, err, sizeof(err))) {
		printf("# recorder_close: %s\n", err);
		abort();
	}
}

static uint8_t *slurp(size_t *len)
{
	static uint8_t buf[8 << 20];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));

	if (fd >= 0)
		close(fd);
	if (n < 0)
		abort();
	*len = (size_t)n;
	return buf;
}

/* Replay from memory flat out; returns the source's error or NULL, *open_err on open failure. */
static const char *replay_mem(const void *buf, size_t len, char *open_err, size_t n)
{
	static char msg[512];
	struct replay_opts o = {.speed = 1, .flat_out = true};
	struct source *s;
	const char *e;
	int rc;

	ngot = 0;
	open_err[0] = 0;
	s = replay_open_mem(buf, len, &o, collect, NULL, open_err, n);
	if (!s)
		return NULL;
	while (!(rc = source_step(s, 100)))
		;
	e = source_error(s);
	snprintf(msg, sizeof(msg), "%s", e ? e : "");
	source_close(s);
	if (rc != SOURCE_END)
		snprintf(msg, sizeof(msg), "step returned %d", rc);
	return msg[0] ? msg : NULL;
}

/* The delivered records are the first ngot recorded ones, exactly. */
static bool prefix_ok(void)
{
	if (ngot > nsent)
		return false;
	for (size_t i = 0; i < ngot; i++)
		if (memcmp(&got[i], &sent[i], sent[i].hdr.size))
			return false;
	return true;
}

TEST(record_sizes_are_those_of_format_1)
{
	/* views/record_format.md: changing one of these is a new major version (growing: minor) */
	static const size_t v1[TS_K_MAX] = {
	    [TS_K_STATE] = 112, [TS_K_CLOSE] = 168,    [TS_K_OWNER] = 48,  [TS_K_RETRANS] = 112,
	    [TS_K_DROP] = 120,	[TS_K_EXISTING] = 104, [TS_K_TPUT] = 128,  [TS_K_TICK] = 72,
	    [TS_K_META] = 416,	[TS_K_REASON] = 64,    [TS_K_SYMBOL] = 88, [TS_K_GONE] = 24,
	};

	for (unsigned k = 0; k < TS_K_MAX; k++)
		CHECK_EQ_U64(record_size_in(k, 0), v1[k]);
	CHECK_EQ_U64(sizeof(struct ts_hdr), 16);
}

/* views/recsizes.c's history of each kind ends at this build's record. */
TEST(the_size_history_ends_at_this_builds_records)
{
	for (unsigned k = 0; k < TS_K_MAX; k++)
		CHECK_EQ_U64(record_size_in(k, RECFMT_MINOR), event_size(k));
	CHECK_EQ_U64(record_size_in(TS_K_MAX, RECFMT_MINOR), 0);
}

TEST(records_come_back_byte_for_byte)
{
	struct replay_opts o = {.speed = 1, .flat_out = true};
	struct source *s;
	char err[512];
	struct stat st;

	record_n(5000);
	CHECK(!stat(path, &st));
	CHECK_EQ_U64(st.st_mode & 07777, 0600);
	ngot = 0;
	s = replay_open(path, &o, collect, NULL, err, sizeof(err));
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_STR(s->ops->plan(s), "replay: state=tp_btf test=0");
	while (!source_step(s, 100))
		;
	CHECK(source_step(s, 0) == SOURCE_END); /* and it stays ended */
	CHECK(source_error(s) == NULL);
	source_close(s);
	CHECK_EQ_U64(ngot, nsent);
	CHECK(prefix_ok());
}

TEST(big_recordings_span_chunks)
{
	size_t len;
	uint8_t *b;
	char err[512];

	record_n(MAXREC); /* about 2 MB of records: several chunks */
	b = slurp(&len);
	CHECK(replay_mem(b, len, err, sizeof(err)) == NULL);
	CHECK_EQ_U64(ngot, nsent);
	CHECK(prefix_ok());
	/* cut in the middle: the records of the whole chunks before come back */
	CHECK(replay_mem(b, len / 2, err, sizeof(err)) != NULL);
	CHECK(ngot > 0 && ngot < nsent);
	CHECK(prefix_ok());
}

TEST(a_cut_anywhere_gives_a_prefix_and_a_message)
{
	size_t len, bad = 0;
	uint8_t *b;
	char err[512];

	record_n(300);
	b = slurp(&len);
	for (size_t cut = 0; cut < len; cut++) {
		const char *e = replay_mem(b, cut, err, sizeof(err));

		if (cut < RECFMT_HDR_LEN)
			bad += !err[0]; /* refused at open */
		else
			bad += !e || !strstr(e, "at byte") || !prefix_ok();
	}
	CHECK_EQ_U64(bad, 0);
	replay_mem(b, 0, err, sizeof(err));
	CHECK(strstr(err, "empty file") != NULL);
	replay_mem(b, len - RECFMT_CHUNK_HDR, err, sizeof(err));
	CHECK_EQ_U64(ngot, nsent);
	CHECK(strstr(replay_mem(b, len - RECFMT_CHUNK_HDR, err, sizeof(err)), "end marker"));
}

TEST(a_flipped_byte_anywhere_is_caught)
{
	static uint8_t copy[1 << 16];
	size_t len, bad = 0, refused = 0;
	uint8_t *b;
	char err[512];

	record_n(300);
	b = slurp(&len);
	CHECK(len <= sizeof(copy));
	for (size_t at = 0; at < len && len <= sizeof(copy); at++) {
		const char *e;

		memcpy(copy, b, len);
		copy[at] ^= 0x20;
		e = replay_mem(copy, len, err, sizeof(err));
		if (err[0])
			refused++;
		else if (!e || !prefix_ok())
			bad++;
	}
	CHECK_EQ_U64(bad, 0);
	CHECK_EQ_U64(refused, RECFMT_HDR_LEN); /* every header byte is checked */
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

static size_t put_end(uint8_t *out, uint32_t seq, uint32_t status, uint32_t records)
{
	struct recfmt_chunk c = {.seq = seq, .ulen = status, .crc = records};

	recfmt_chunk_encode(out, &c);
	return RECFMT_CHUNK_HDR;
}

/* A file as a later 1.x writer might make it: longer header, a new kind, a longer record. */
TEST(newer_minor_versions_are_read)
{
	static uint8_t file[1 << 17], recs[1024];
	struct recfmt_header h = {.major = 1, .minor = 7, .len = 40, .compression = RECFMT_DEFLATE};
	size_t n = 0, len;
	char err[512];
	const char *e;

	memset(file, 0xee, sizeof(file));
	recfmt_header_encode(file, &h);
	recfmt_put16(file + 12, 40); /* the encoder wrote 32; the header says 40 */
	recfmt_put32(file + 28, recfmt_crc(file, 28));
	len = 40;
	/* kind 99 (unknown), 24 bytes */
	memset(recs, 0, sizeof(recs));
	recfmt_put16(recs, 99);
	recfmt_put16(recs + 2, 24);
	n += 24;
	/* a TICK with 8 bytes appended */
	nsent = 0;
	make(&sent[nsent], TS_K_TICK, 5 * MS, 42);
	memcpy(recs + n, &sent[nsent], sizeof(struct ts_ev_tick));
	recfmt_put16(recs + n + 2, sizeof(struct ts_ev_tick) + 8);
	n += sizeof(struct ts_ev_tick) + 8;
	nsent++;
	make(&sent[nsent], TS_K_GONE, 6 * MS, 7);
	memcpy(recs + n, &sent[nsent], sizeof(struct ts_ev_gone));
	n += sizeof(struct ts_ev_gone);
	nsent++;
	len += put_chunk(file + len, 0, recs, n);
	len += put_end(file + len, 1, RECFMT_END_DONE, 3);
	e = replay_mem(file, len, err, sizeof(err));
	CHECK(!err[0]);
	CHECK(e == NULL);
	CHECK_EQ_U64(ngot, 2);
	CHECK(prefix_ok());
	CHECK_EQ_U64(got[0].hdr.size, sizeof(struct ts_ev_tick));
}

TEST(a_newer_major_version_is_refused_at_open)
{
	uint8_t file[64];
	struct recfmt_header h = {.major = 2, .minor = 3, .len = 32, .compression = 9};
	char err[512];

	recfmt_header_encode(file, &h);
	replay_mem(file, sizeof(file), err, sizeof(err));
	CHECK(strstr(err, "format 2.3 is newer") != NULL);
	replay_mem(file, 12, err, sizeof(err)); /* even cut short, the version is named */
	CHECK(strstr(err, "format 2.3 is newer") != NULL);
}

TEST(foreign_files_are_refused_at_open)
{
	char err[512];

	replay_mem("\177ELF\2\1\1\0\0\0\0\0\0\0\0\0\3\0>\0\1\0\0\0", 24, err, sizeof(err));
	CHECK(strstr(err, "not a tcpscope recording (it is an ELF executable)") != NULL);
	replay_mem("hello, world\n", 13, err, sizeof(err));
	CHECK(strstr(err, "not a tcpscope recording (it is text)") != NULL);
	replay_mem("TCPSCO", 6, err, sizeof(err));
	CHECK(strstr(err, "cut short at byte 6, inside the file header") != NULL);
	replay_mem("TCPSCAPE", 8, err, sizeof(err));
	CHECK(strstr(err, "not a tcpscope recording (it is text)") != NULL);
}

TEST(framing_damage_is_named)
{
	static uint8_t file[1 << 16], recs[256];
	struct recfmt_header h = {.major = 1, .minor = 0, .len = 32, .compression = RECFMT_DEFLATE};
	union ts_event e;
	size_t len;
	char err[512];

	recfmt_header_encode(file, &h);
	/* a GONE record that claims to be shorter than a GONE */
	make(&e, TS_K_GONE, MS, 1);
	e.hdr.size = 20;
	memset(recs, 0, sizeof(recs));
	memcpy(recs, &e, 20);
	len = RECFMT_HDR_LEN + put_chunk(file + RECFMT_HDR_LEN, 0, recs, 20);
	CHECK(strstr(replay_mem(file, len, err, sizeof(err)),
		     "a record of kind 37 of 20 bytes, not 24"));
	/* a record running past its chunk */
	e.hdr.size = 24;
	memcpy(recs, &e, 24);
	len = RECFMT_HDR_LEN + put_chunk(file + RECFMT_HDR_LEN, 0, recs, 16);
	CHECK(strstr(replay_mem(file, len, err, sizeof(err)), "bad size"));
	/* chunks out of order */
	len = RECFMT_HDR_LEN + put_chunk(file + RECFMT_HDR_LEN, 5, recs, 24);
	CHECK(
	    strstr(replay_mem(file, len, err, sizeof(err)), "chunk at byte 32 is number 5, not 0"));
	/* the end marker of a recording a write error stopped */
	len = RECFMT_HDR_LEN + put_chunk(file + RECFMT_HDR_LEN, 0, recs, 24);
	len += put_end(file + len, 1, RECFMT_END_STOPPED, 1);
	CHECK(strstr(replay_mem(file, len, err, sizeof(err)), "stopped early"));
	CHECK_EQ_U64(ngot, 1);
	/* an end marker that counts differently */
	len -= RECFMT_CHUNK_HDR;
	len += put_end(file + len, 1, RECFMT_END_DONE, 2);
	CHECK(strstr(replay_mem(file, len, err, sizeof(err)), "counts 2 records, not 1"));
}

/* A write error (here: the file size limit) stops the recording; what was written stays readable.
 */
TEST(a_write_error_keeps_what_was_written)
{
	struct rlimit old, small = {.rlim_cur = 600 * 1024, .rlim_max = RLIM_INFINITY};
	struct recorder *r;
	char err[512];
	size_t len, i;
	int failed = 0;
	uint64_t x = 1;

	getrlimit(RLIMIT_FSIZE, &old);
	small.rlim_max = old.rlim_max;
	signal(SIGXFSZ, SIG_IGN);
	unlink(path);
	r = recorder_open(path, false, err, sizeof(err));
	CHECK(r != NULL);
	if (!r)
		return;
	setrlimit(RLIMIT_FSIZE, &small);
	nsent = 0;
	for (i = 0; i < MAXREC && !failed; i++) {
		union ts_event *e = &sent[nsent];
		uint64_t *w = (uint64_t *)e;

		for (size_t k = 0; k < sizeof(e->drop) / 8; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			w[k] = x; /* random bytes: they do not compress */
		}
		e->hdr.kind = TS_K_DROP;
		e->hdr.size = sizeof(e->drop);
		failed = recorder_write(r, e) < 0;
		nsent += !failed;
	}
	CHECK(failed);
	CHECK(recorder_error(r) && strstr(recorder_error(r), "File too large"));
	CHECK(recorder_write(r, &sent[0]) < 0); /* stays stopped */
	CHECK(recorder_close(r, err, sizeof(err)) != 0);
	setrlimit(RLIMIT_FSIZE, &old);
	CHECK(strstr(err, "records before stay readable") != NULL);
	{
		uint8_t *b = slurp(&len);
		const char *e = replay_mem(b, len, err, sizeof(err));

		CHECK(e && strstr(e, "stopped early"));
		CHECK(ngot > 100);
		CHECK(prefix_ok());
	}
}

TEST(standard_output_full_is_said_at_open)
{
	int saved = dup(1), full = open("/dev/full", O_WRONLY);
	struct recorder *r;
	char err[512] = "";

	if (full < 0) {
		printf("# no /dev/full\n");
		return;
	}
	fflush(stdout);
	dup2(full, 1);
	r = recorder_open("-", false, err, sizeof(err));
	dup2(saved, 1);
	close(saved);
	close(full);
	CHECK(r == NULL);
	CHECK_STR(err, "cannot write standard output: No space left on device");
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* 11 records 100 ms apart, replayed at speed 10: about 100 ms. */
TEST(speed_scales_recorded_time)
{
	struct replay_opts o = {.speed = 10};
	struct source *s;
	struct recorder *r;
	char err[512];
	uint64_t t0;

	unlink(path);
	r = recorder_open(path, false, err, sizeof(err));
	for (int i = 0; i <= 10; i++) {
		make(&sent[i], TS_K_TICK, 5000 * MS + (uint64_t)i * 100 * MS, (uint64_t)i);
		recorder_write(r, &sent[i]);
	}
	recorder_close(r, err, sizeof(err));
	ngot = 0;
	s = replay_open(path, &o, collect, NULL, err, sizeof(err));
	t0 = now_ms();
	while (!source_step(s, 50))
		;
	t0 = now_ms() - t0;
	source_close(s);
	CHECK_EQ_U64(ngot, 11);
	/* never early; late only on a loaded machine: unscaled would be 1000 ms */
	CHECK(t0 >= 90 && t0 < 800);
	if (t0 < 90 || t0 >= 800)
		printf("#   took %llu ms\n", (unsigned long long)t0);
}

/* Paused, nothing comes and recorded time stands still. */
TEST(pause_stops_the_replay_clock)
{
	struct replay_opts o = {.speed = 1};
	struct source *s;
	struct recorder *r;
	char err[512];
	uint64_t t0;

	unlink(path);
	r = recorder_open(path, false, err, sizeof(err));
	make(&sent[0], TS_K_TICK, 5000 * MS, 0);
	make(&sent[1], TS_K_TICK, 6000 * MS, 1);
	recorder_write(r, &sent[0]);
	recorder_write(r, &sent[1]);
	recorder_close(r, err, sizeof(err));
	ngot = 0;
	s = replay_open(path, &o, collect, NULL, err, sizeof(err));
	source_step(s, 0);
	CHECK_EQ_U64(ngot, 1);
	s->paused = true;
	t0 = now_ms();
	while (now_ms() - t0 < 1000)
		source_step(s, 20);
	CHECK_EQ_U64(ngot, 1);
	s->paused = false;
	source_step(s, 0);
	CHECK_EQ_U64(ngot, 1); /* 1000 ms of recorded time are still to come */
	t0 = now_ms();
	while (ngot < 2 && now_ms() - t0 < 3000)
		source_step(s, 20);
	t0 = now_ms() - t0;
	CHECK_EQ_U64(ngot, 2);
	/* 1000 ms; the pause taken as replayed time would make it 0, counted twice 2000 */
	CHECK(t0 >= 900 && t0 < 1800);
	if (t0 < 900 || t0 >= 1800)
		printf("#   took %llu ms\n", (unsigned long long)t0);
	source_close(s);
}

/* An hour of silence is not waited out. */
TEST(long_idle_stretches_are_shortened)
{
	struct replay_opts o = {.speed = 100};
	struct source *s;
	struct recorder *r;
	char err[512];
	uint64_t t0;

	unlink(path);
	r = recorder_open(path, false, err, sizeof(err));
	make(&sent[0], TS_K_TICK, 5000 * MS, 0);
	make(&sent[1], TS_K_TICK, 5000 * MS + 3600000 * MS, 1);
	recorder_write(r, &sent[0]);
	recorder_write(r, &sent[1]);
	recorder_close(r, err, sizeof(err));
	ngot = 0;
	s = replay_open(path, &o, collect, NULL, err, sizeof(err));
	t0 = now_ms();
	while (!source_step(s, 50))
		;
	t0 = now_ms() - t0;
	source_close(s);
	CHECK_EQ_U64(ngot, 2);
	/* 10 s of recorded time at speed 100; the whole hour would be 36 s */
	CHECK(t0 >= 90 && t0 < 10000);
	if (t0 < 90 || t0 >= 10000)
		printf("#   took %llu ms\n", (unsigned long long)t0);
}

TEST(existing_files_and_links_are_not_replaced)
{
	char err[512], link[300];
	struct recorder *r;

	record_n(10);
	r = recorder_open(path, false, err, sizeof(err));
	CHECK(r == NULL);
	CHECK(strstr(err, "exists: use --force") != NULL);
	snprintf(link, sizeof(link), "%s/link.tcps", dir);
	CHECK(!symlink(path, link));
	r = recorder_open(link, true, err, sizeof(err));
	CHECK(r == NULL);
	CHECK(strstr(err, "symbolic link") != NULL);
	unlink(link);
	r = recorder_open(path, true, err, sizeof(err));
	CHECK(r != NULL);
	CHECK(!recorder_close(r, err, sizeof(err)));
}

TEST(missing_files_are_named)
{
	struct replay_opts o = {.speed = 1};
	char err[512], p[300];

	snprintf(p, sizeof(p), "%s/nothing.tcps", dir);
	CHECK(replay_open(p, &o, collect, NULL, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "nothing.tcps: No such file or directory") != NULL);
	CHECK(replay_open(dir, &o, collect, NULL, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "directory") != NULL);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/rec.tcps", dir);
	signal(SIGPIPE, SIG_IGN);
	RUN(record_sizes_are_those_of_format_1);
	RUN(the_size_history_ends_at_this_builds_records);
	RUN(records_come_back_byte_for_byte);
	RUN(big_recordings_span_chunks);
	RUN(a_cut_anywhere_gives_a_prefix_and_a_message);
	RUN(a_flipped_byte_anywhere_is_caught);
	RUN(newer_minor_versions_are_read);
	RUN(a_newer_major_version_is_refused_at_open);
	RUN(foreign_files_are_refused_at_open);
	RUN(framing_damage_is_named);
	RUN(a_write_error_keeps_what_was_written);
	RUN(standard_output_full_is_said_at_open);
	RUN(speed_scales_recorded_time);
	RUN(pause_stops_the_replay_clock);
	RUN(long_idle_stretches_are_shortened);
	RUN(existing_files_and_links_are_not_replaced);
	RUN(missing_files_are_named);
	unlink(path);
	rmdir(dir);
	TAP_DONE();
}
