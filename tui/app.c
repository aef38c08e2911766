// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "app.h"
#include "bpf/live.h"
#include "screen.h"
#include "serving.h"
#include "views/batch.h"
#include "views/record.h"
#include "priority.h"
#include "views/replay.h"
#include "views/filter.h"
#include "views/model.h"
#include "views/rows.h"

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* a closed pipe shows up as a write error, and we stop cleanly */
	signal(SIGPIPE, SIG_IGN);
}

/*
 * A resize goes to whichever thread does not block SIGWINCH: it must be the
 * screen's, while it waits (ppoll), or curses' handler runs in the drainer
 * or the HTTP server and the screen never hears of it. Blocked here, before
 * any thread starts, every thread inherits it blocked; the screen lets it
 * through only in its wait.
 */
static void winch_blocked(void)
{
	sigset_t winch;

	sigemptyset(&winch);
	sigaddset(&winch, SIGWINCH);
	sigprocmask(SIG_BLOCK, &winch, NULL);
}

struct app {
	const struct options *o;
	struct model m;
	struct filter filter; /* command-line filters plus --filter */
	struct source *src;
	struct recorder *rec;
	bool rec_failed_said;
	int replay_fd; /* the screen's replay of standard input, moved aside; 0: none */

	struct serving serving; /* --serve */
};

/* Every record goes to the recording first, then to the model. */
static void feed(void *ctx, const union ts_event *ev)
{
	struct app *a = ctx;

	if (a->rec && recorder_write(a->rec, ev) < 0 && !a->rec_failed_said) {
		/* the screen shows it too; the model goes on */
		if (a->o->batch)
			fprintf(stderr, "tcpscope: recording stopped: %s\n",
				recorder_error(a->rec));
		a->rec_failed_said = true;
	}
	model_apply(&a->m, ev);
	serving_fed(&a->serving, &a->m, ev);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The sort spec for each pane: --sort where the pane has that column, else
 * its default. When none has it, the error names the columns of the first
 * pane printed as tables (what --sort is for in batch mode).
 */
static int sorts(const struct options *o, const struct pane_opts *po, struct sort_spec s[P_MAX],
		 char *err, size_t n)
{
	bool found = false, said = false;

	for (int i = 0; i < P_MAX; i++) {
		const struct pane *p = pane_shown((enum pane_id)i, po);
		char e[256];

		sort_default(p, &s[i]);
		if (o->sort && !sort_parse(p, o->sort, &s[i], e, sizeof(e))) {
			found = true;
		} else if (o->sort && !found && !said &&
			   pane_get((enum pane_id)i)->batch == BATCH_PER_INTERVAL) {
			snprintf(err, n, "--%s", e);
			said = true;
		}
	}
	if (o->sort && !found)
		return -EINVAL;
	return 0;
}

static int build_filter(const struct options *o, struct filter *f, char *err, size_t n)
{
	char text[1024];

	snprintf(text, sizeof(text), "%s %s", o->cli_filter, o->filter ? o->filter : "");
	if (filter_parse(text, f, err, n))
		return -EINVAL;
	snprintf(f->text, sizeof(f->text), "%s", o->filter ? o->filter : "");
	return 0;
}

static int run_batch(struct app *a)
{
	const struct options *o = a->o;
	const struct rtt_print_opts rtt = {
	    .scope = o->rtt.by,
	    .per_interval = o->rtt.interval_given,
	    .clock = o->clock,
	    .rel = o->rel,
	    .csv = o->csv,
	    .duration = o->duration,
	    .filter = &a->filter,
	};
	struct batch_opts bo = {
	    .panes = o->panes,
	    .csv = o->csv,
	    .json = o->json,
	    .wide = o->wide,
	    .clock = o->clock,
	    .rel = o->rel,
	    .verbose = o->verbose,
	    .popts = o->grouping,
	    .filter = &a->filter,
	    /* --record - owns standard output: the lines go to stderr */
	    .out = o->record && !strcmp(o->record, "-") ? stderr : stdout,
	    .err = stderr,
	    .rtt = o->rtt.view ? &rtt : NULL,
	};
	double end = o->duration ? now_s() + o->duration : 0, next_flush = 0;
	struct batch *b;
	char err[512];
	int rc = 0;

	if (sorts(o, &bo.popts, bo.sort, err, sizeof(err))) {
		fprintf(stderr, "tcpscope: %s\n", err);
		return 2;
	}
	/*
	 * hundreds of thousands of lines a second to a file or pipe: few, large
	 * writes (flushed every 0.1 s below); a terminal keeps its line buffering
	 */
	if (bo.out == stdout && !isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, 1 << 18);
	b = batch_new(&a->m, &bo);
	if (!b) {
		fprintf(stderr, "tcpscope: out of memory\n");
		return 1;
	}
	batch_start(b);
	/* a pane whose hooks are off says so, rather than printing nothing */
	for (int i = 0; i < P_MAX; i++) {
		const struct pane *p = pane_get((enum pane_id)i);

		for (int j = 0; (o->panes & (1u << i)) && j < PANE_JOBS && p->jobs[j]; j++)
			if (source_job_off(a->src, p->jobs[j]))
				fprintf(stderr, "tcpscope: %s: no %s: %s\n", p->name, p->jobs[j],
					source_job_off(a->src, p->jobs[j]));
	}
	while (!stop_signal && !batch_error(b)) {
		double now = now_s(), left = end ? end - now : 1;

		if (left <= 0)
			break;
		/* rows reach a pipe within a tenth of a second, not at the next interval */
		if (now >= next_flush) {
			batch_flush(b);
			next_flush = now + 0.1;
		}
		rc = source_step(a->src, left < 0.2 ? (int)(left * 1000) + 1 : 200);
		if (rc == SOURCE_MORE)
			rc = 0;
		if (rc == SOURCE_END) {
			rc = 0;
			break;
		}
		if (rc < 0) {
			fprintf(stderr, "tcpscope: reading events failed: %s\n", strerror(-rc));
			rc = 1;
			break;
		}
	}
	/* what the kernel reported before we stopped (^C, -d) is still owed to the output */
	if (!rc && !batch_error(b)) {
		source_flush(a->src);
		source_finish(a->src);
	}
	if (batch_finish(b) && errno != EPIPE && !stop_signal) {
		fprintf(stderr, "tcpscope: writing output failed: %s\n", strerror(errno));
		rc = 1;
	}
	batch_free(b);
	return rc;
}

/*
 * The screen reads its keys from standard input: a recording there moves to
 * another descriptor (a->replay_fd) and the terminal takes its place.
 */
static int stdin_aside(struct app *a, char *err, size_t n)
{
	int fd = dup(STDIN_FILENO), tty;

	if (fd < 0 || isatty(fd)) {
		snprintf(err, n,
			 "standard input is a terminal: redirect a recording into it, or "
			 "name a file");
		return -1;
	}
	tty = open("/dev/tty", O_RDONLY | O_CLOEXEC);
	if (tty < 0 || dup2(tty, STDIN_FILENO) < 0) {
		snprintf(err, n, "the screen needs a terminal for its keys (/dev/tty: %s); use -b",
			 strerror(errno));
		return -1;
	}
	close(tty);
	a->replay_fd = fd;
	return 0;
}

/* The recording first (so nothing is missed), then the live kernel or a replay. */
static int open_source(struct app *a, char *err, size_t n)
{
	const struct options *o = a->o;

	if (o->record) {
		a->rec = recorder_open(o->record, o->force, err, n);
		if (!a->rec) {
			fprintf(stderr, "tcpscope: --record: %s\n", err);
			return 2;
		}
	}
	if (o->replay) {
		struct replay_opts ro = {.speed = o->speed, .flat_out = o->batch};

		if (a->replay_fd > 0)
			a->src =
			    replay_open_fd(a->replay_fd, "standard input", &ro, feed, a, err, n);
		else
			a->src = replay_open(o->replay, &ro, feed, a, err, n);
	} else {
		a->src = live_open(&o->live, feed, a, err, n);
	}
	if (!a->src) {
		fprintf(stderr, "tcpscope: %s%s\n", o->replay ? "--replay: " : "", err);
		return o->replay ? 2 : 1;
	}
	return 0;
}

int app_run(const struct options *o)
{
	struct app *a = calloc(1, sizeof(*a));
	char err[512];
	int rc;

	if (o->list_keys) {
		free(a);
		return screen_list_keys(o);
	}
	if (!a) {
		fprintf(stderr, "tcpscope: out of memory\n");
		return 1;
	}
	a->o = o;
	if (build_filter(o, &a->filter, err, sizeof(err))) {
		fprintf(stderr, "tcpscope: --filter: %s\n", err);
		free(a);
		return 2;
	}
	if (model_init(&a->m, &o->model)) {
		fprintf(stderr, "tcpscope: out of memory for the model\n");
		free(a);
		return 1;
	}
	if (!o->batch && o->replay && !strcmp(o->replay, "-") && stdin_aside(a, err, sizeof(err))) {
		fprintf(stderr, "tcpscope: --replay: %s\n", err);
		model_free(&a->m);
		free(a);
		return 2;
	}
	/* a port in use is said before the kernel side loads, and so are */
	if ((rc = serving_start(&a->serving, o, &a->m, err, sizeof(err)))) {
		fprintf(stderr, "tcpscope: %s\n", err);
		model_free(&a->m);
		free(a);
		return rc;
	}
	/* bad keymaps and a missing terminal */
	if (!o->batch && !serving_headless(o) && (rc = screen_check(o, err, sizeof(err)))) {
		serving_stop(&a->serving, &a->m);
		fprintf(stderr, "tcpscope: %s\n", err);
		model_free(&a->m);
		free(a);
		return rc;
	}
	install_signals();
	winch_blocked();
	rc = open_source(a, err, sizeof(err));
	/* the live kernel's records must be taken in as they come, however busy the host */
	if (!rc && !o->replay && o->nice)
		priority_realtime();
	if (!rc && o->batch)
		rc = run_batch(a);
	else if (!rc && serving_headless(o))
		rc = serving_run(&a->serving, a->src, o, &stop_signal);
	else if (!rc)
		rc = screen_run(&(struct screen_ctx){
		    .o = o,
		    .m = &a->m,
		    .src = a->src,
		    .rec = a->rec,
		    .stop = &stop_signal,
		});
	if (!rc && a->src && source_error(a->src)) {
		fprintf(stderr, "tcpscope: %s\n", source_error(a->src));
		rc = 1;
	}
	/* a recording keeps what the kernel said before the stop, as batch output does */
	if (a->rec && a->src && !o->batch)
		source_flush(a->src);
	source_close(a->src);
	if (a->rec && recorder_close(a->rec, err, sizeof(err))) {
		/* batch mode said it when it happened; the screen could only show it */
		if (!(o->batch && a->rec_failed_said))
			fprintf(stderr, "tcpscope: recording: %s\n", err);
		rc = rc ? rc : 1;
	}
	priority_restore();
	serving_stop(&a->serving, &a->m);
	model_free(&a->m);
	free(a);
	return rc;
}
