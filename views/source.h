/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where events come from: the live kernel (bpf/live.c) or a recording
 * (views/replay.c). Both hand the same records to a feed function.
 */
#ifndef TCPSCOPE_SOURCE_H
#define TCPSCOPE_SOURCE_H

#include <stdbool.h>
#include <string.h>
#include "event.h"

typedef void (*feed_fn)(void *ctx, const union ts_event *ev);

#define SOURCE_END  1 /* step(): the recording has ended */
#define SOURCE_MORE 2 /* step(): stopped early (a time budget), more is waiting: step again now */

struct source;
struct source_ops {
	/* Deliver what is due, waiting at most timeout_ms for more. <0: error. */
	int (*step)(struct source *s, int timeout_ms);
	/* One line saying which hooks feed which pane (or what the recording said). */
	const char *(*plan)(struct source *s);
	/* Change the interval between ticks (live only; a replay keeps the recorded ones). */
	void (*set_interval)(struct source *s, unsigned ms);
	/* Why a job ("drops", "traffic"...) is off, or NULL when it runs (NULL op: look at plan).
	 */
	const char *(*why_off)(struct source *s, const char *job);
	/*
	 * Why a job runs on the flavour it does, or is off; NULL or "" when it is on its first.
	 * "services", not a job: where the SERVICE column's names come from, or why not.
	 */
	const char *(*why)(struct source *s, const char *job);
	/*
	 * Hand over what the kernel holds that is not a record yet (the RTT
	 * histograms of the interval in progress): batch mode ends. NULL: nothing.
	 */
	void (*finish)(struct source *s);
	/* Why the source stopped early (a damaged recording: what and at which offset), or NULL. */
	const char *(*error)(struct source *s);
	/* Take in all the kernel has reported so far, however long it takes (before stopping). */
	void (*flush)(struct source *s);
	/*
	 * Read session sid's RTT and windows as they are now at each interval,
	 * not as of its last segment (the page of an open connection); 0: none.
	 */
	void (*watch)(struct source *s, uint64_t sid);
	void (*close)(struct source *s);
};

struct source {
	const struct source_ops *ops;
	feed_fn feed;
	void *feed_ctx;
	bool paused; /* replay: stop delivering (live keeps collecting) */
};

static inline int source_step(struct source *s, int timeout_ms)
{
	return s->ops->step(s, timeout_ms);
}

static inline const char *source_error(struct source *s)
{
	return s->ops->error ? s->ops->error(s) : NULL;
}

/*
 * Whether a job feeds this source's records, and if not why: the live source
 * knows; a replay reads it off the recorded plan ("drops=off").
 */
static inline const char *source_job_off(struct source *s, const char *job)
{
	const char *plan, *at;
	size_t len = strlen(job);

	if (s->ops->why_off)
		return s->ops->why_off(s, job);
	plan = s->ops->plan ? s->ops->plan(s) : NULL;
	for (at = plan ? strstr(plan, job) : NULL; at; at = strstr(at + 1, job))
		if ((at == plan || at[-1] == ' ') && !strncmp(at + len, "=off", 4))
			return "it was off when this was recorded";
	return NULL;
}

static inline void source_flush(struct source *s)
{
	if (s->ops->flush)
		s->ops->flush(s);
}

static inline void source_watch(struct source *s, uint64_t sid)
{
	if (s->ops->watch)
		s->ops->watch(s, sid);
}

static inline void source_finish(struct source *s)
{
	if (s->ops->finish)
		s->ops->finish(s);
}

static inline void source_close(struct source *s)
{
	if (s)
		s->ops->close(s);
}

#endif
