// SPDX-License-Identifier: GPL-2.0
/*
 * A recording as an event source. Records are fed when their recorded time
 * comes (hdr.ts_ns, CLOCK_MONOTONIC where they were recorded), scaled by
 * --speed, or as fast as the model takes them in batch mode. Paused, nothing
 * is fed and the replay clock stands still; a long idle stretch in the
 * recording is shortened rather than waited out.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "recread.h"
#include "replay.h"
#include "text.h"

#define NAP_MS	   50		  /* longest a step sleeps: keys stay responsive */
#define BUSY_NS	   20000000ULL	  /* longest a step feeds a backlog before the screen's turn */
#define FLAT_BATCH 4096		  /* records per step when running flat out */
#define GAP_MIN_NS 10000000000ULL /* idle stretches are cut to this, or two intervals */
#define STALL_NS   1000000000ULL  /* no step for this long (^Z): do not catch up */

struct replay {
	struct source src;
	struct replay_opts o;
	struct recread *rr;
	int fd; /* owned; -1 when reading from memory */
	union ts_event next;
	bool have_next;
	bool started;
	uint64_t base_ts, base_wall; /* recorded time base_ts is fed at wall time base_wall */
	uint64_t last_ts;	     /* latest recorded time seen */
	uint64_t paused_at, last_step;
	uint64_t gap_ns;
	char plan[TS_META_TEXT + 32];
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void nap_ns(uint64_t ns)
{
	struct timespec ts = {.tv_sec = (time_t)(ns / 1000000000ULL),
			      .tv_nsec = (long)(ns % 1000000000ULL)};

	nanosleep(&ts, NULL); /* a signal cuts it short: the caller looks at its flags */
}

/* The hook plan and the interval come from the META record. */
static void learn(struct replay *p, const union ts_event *ev)
{
	char plan[TS_META_TEXT + 1];
	uint64_t two;

	if (ev->hdr.kind != TS_K_META)
		return;
	snprintf(plan, sizeof(plan), "%.*s", (int)strnlen(ev->meta.plan, TS_META_TEXT),
		 ev->meta.plan);
	/* a recording is untrusted: the header and the help show this line */
	snprintf(p->plan, sizeof(p->plan), "replay: ");
	text_sanitize_into(p->plan + 8, sizeof(p->plan) - 8, plan);
	two = 2ULL * ev->meta.interval_ms * 1000000ULL;
	p->gap_ns = two > GAP_MIN_NS ? two : GAP_MIN_NS;
}

#define READY 2 /* fetch(): p->next holds a record */

/* Read ahead one record: READY, 0 not yet (a pipe), SOURCE_END at the end or on damage. */
static int fetch(struct replay *p, int timeout_ms)
{
	int rc;

	if (p->have_next)
		return READY;
	rc = recread_next(p->rr, &p->next, timeout_ms);
	if (rc == RECREAD_RECORD) {
		p->have_next = true;
		learn(p, &p->next);
		return READY;
	}
	return rc == 0 ? 0 : SOURCE_END;
}

static void deliver(struct replay *p)
{
	p->have_next = false;
	p->src.feed(p->src.feed_ctx, &p->next);
}

/* When the pending record is due, on the wall clock. */
static uint64_t due_at(struct replay *p, uint64_t now)
{
	uint64_t ts = p->next.hdr.ts_ns;

	if (!p->started) {
		p->started = true;
		p->base_ts = p->last_ts = ts;
		p->base_wall = now;
	}
	if (ts > p->last_ts) {
		if (ts - p->last_ts > p->gap_ns)
			p->base_ts += ts - p->last_ts - p->gap_ns;
		p->last_ts = ts;
	}
	if (ts <= p->base_ts)
		return p->base_wall;
	return p->base_wall + (uint64_t)((double)(ts - p->base_ts) / p->o.speed);
}

static int step_flat_out(struct replay *p, int timeout_ms)
{
	for (int i = 0; i < FLAT_BATCH; i++) {
		int rc = fetch(p, timeout_ms);

		if (rc != READY)
			return rc;
		deliver(p);
	}
	return 0;
}

static int replay_step(struct source *src, int timeout_ms)
{
	struct replay *p = (struct replay *)src;
	uint64_t now = mono_ns(), start = now;
	uint64_t deadline = now + (uint64_t)(timeout_ms > 0 ? timeout_ms : 0) * 1000000ULL;
	unsigned fed = 0;

	if (p->o.flat_out)
		return step_flat_out(p, timeout_ms);
	/* stopped (^Z) or not stepped for a while: the recording waited too */
	if (p->last_step && now - p->last_step > STALL_NS && !p->paused_at)
		p->base_wall += now - p->last_step;
	p->last_step = now;
	if (src->paused) {
		if (!p->paused_at)
			p->paused_at = now;
		if (timeout_ms > 0)
			nap_ns((uint64_t)(timeout_ms < NAP_MS ? timeout_ms : NAP_MS) * 1000000ULL);
		p->last_step = mono_ns();
		return 0;
	}
	if (p->paused_at) {
		p->base_wall += now - p->paused_at;
		p->paused_at = 0;
	}
	for (;;) {
		uint64_t due;
		int rc = fetch(p, timeout_ms < NAP_MS ? timeout_ms : NAP_MS);

		if (rc != READY)
			return rc;
		due = due_at(p, now);
		if (due <= now) {
			deliver(p);
			/* a backlog (high --speed, slow model): let the screen draw now and then */
			if (!(++fed & 255) && (now = mono_ns()) - start > BUSY_NS)
				return 0;
			continue;
		}
		if (due > deadline) {
			uint64_t left = deadline > now ? deadline - now : 0;

			if (left > NAP_MS * 1000000ULL)
				left = NAP_MS * 1000000ULL;
			if (left)
				nap_ns(left);
			p->last_step = mono_ns();
			return 0;
		}
		nap_ns(due - now);
		now = mono_ns();
		p->last_step = now;
	}
}

static const char *replay_plan(struct source *src)
{
	return ((struct replay *)src)->plan;
}

static const char *replay_error(struct source *src)
{
	return recread_error(((struct replay *)src)->rr);
}

static void replay_close(struct source *src)
{
	struct replay *p = (struct replay *)src;

	recread_free(p->rr);
	if (p->fd >= 0)
		close(p->fd);
	free(p);
}

static const struct source_ops replay_ops = {
    .step = replay_step,
    .plan = replay_plan,
    .error = replay_error,
    .close = replay_close,
};

static struct replay *replay_new(const struct replay_opts *o, feed_fn feed, void *ctx, char *err,
				 size_t n)
{
	struct replay *p = calloc(1, sizeof(*p));

	if (!p) {
		snprintf(err, n, "out of memory");
		return NULL;
	}
	p->src.ops = &replay_ops;
	p->src.feed = feed;
	p->src.feed_ctx = ctx;
	p->o = *o;
	if (!(p->o.speed > 0))
		p->o.speed = 1;
	p->fd = -1;
	p->gap_ns = GAP_MIN_NS;
	snprintf(p->plan, sizeof(p->plan), "replay: the recording names no hook plan");
	return p;
}

/* The first record is read at once: META, when it leads, gives the plan. */
static struct source *replay_ready(struct replay *p)
{
	fetch(p, 1000);
	return &p->src;
}

struct source *replay_open_fd(int fd, const char *name, const struct replay_opts *o, feed_fn feed,
			      void *ctx, char *err, size_t errlen)
{
	struct replay *p;

	if (isatty(fd)) {
		snprintf(err, errlen,
			 "%s is a terminal: redirect a recording into it, or name a file", name);
		close(fd);
		return NULL;
	}
	p = replay_new(o, feed, ctx, err, errlen);
	if (!p) {
		close(fd);
		return NULL;
	}
	p->fd = fd;
	p->rr = recread_open_fd(fd, name, err, errlen);
	if (!p->rr) {
		replay_close(&p->src);
		return NULL;
	}
	return replay_ready(p);
}

struct source *replay_open(const char *path, const struct replay_opts *o, feed_fn feed, void *ctx,
			   char *err, size_t errlen)
{
	int fd;

	if (!strcmp(path, "-")) {
		fd = dup(STDIN_FILENO); /* the source closes its descriptor */
		if (fd < 0) {
			snprintf(err, errlen, "standard input: %s", strerror(errno));
			return NULL;
		}
		return replay_open_fd(fd, "standard input", o, feed, ctx, err, errlen);
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	return replay_open_fd(fd, path, o, feed, ctx, err, errlen);
}

struct source *replay_open_mem(const void *buf, size_t len, const struct replay_opts *o,
			       feed_fn feed, void *ctx, char *err, size_t errlen)
{
	struct replay *p = replay_new(o, feed, ctx, err, errlen);

	if (!p)
		return NULL;
	p->rr = recread_open_mem(buf, len, "recording", err, errlen);
	if (!p->rr) {
		free(p);
		return NULL;
	}
	return replay_ready(p);
}
