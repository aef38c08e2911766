// SPDX-License-Identifier: GPL-2.0
/*
 * The screen's main loop: wait for a key, a ring-buffer wake-up or the next
 * drain; let the source deliver; rebuild the rows when the model moved on;
 * draw. Keys go through the keymap to actions.
 */
#define NCURSES_WIDECHAR 1
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <curses.h>
#include "priority.h"
#include "screen.h"
#include "term.h"
#include "ui.h"

#define STEP_MS 50 /* the longest a record waits before the source drains it */

static const struct glyphs utf8_glyphs = {
    .up = "\u25b2",
    .down = "\u25bc",
    .spark = {"\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588"},
    .ellipsis = "\u2026",
    .focus = "\u25b8",
};

static const struct glyphs ascii_glyphs = {
    .up = "^",
    .down = "v",
    .spark = {"_", ".", ",", ":", "-", "=", "+", "#"},
    .ellipsis = "~",
    .focus = ">",
};

/* The user's keymap file: --keys FILE (must exist), else ~/.config/tcpscope/keys if it does. */
static int load_keys(struct keymap *km, const struct options *o, char *err, size_t n)
{
	char path[512];
	const char *home = getenv("HOME");
	int rc = keymap_default(km, err, n);

	if (rc)
		return rc;
	if (o->keys_file)
		return keymap_load_file(km, o->keys_file, err, n);
	if (!home)
		return 0;
	snprintf(path, sizeof(path), "%s/.config/tcpscope/keys", home);
	rc = keymap_load_file(km, path, err, n);
	return rc == -ENOENT ? 0 : rc;
}

int screen_check(const struct options *o, char *err, size_t n)
{
	struct keymap km;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, n, "not a terminal: use -b for batch output");
		return 2;
	}
	return load_keys(&km, o, err, n) ? 2 : 0;
}

int screen_list_keys(const struct options *o)
{
	struct keymap km;
	char err[512];

	if (load_keys(&km, o, err, sizeof(err))) {
		fprintf(stderr, "tcpscope: %s\n", err);
		return 2;
	}
	keymap_print(stdout, &km);
	return 0;
}

static int setup(struct ui *ui, const struct screen_ctx *c, char *err, size_t n)
{
	const struct options *o = c->o;
	char e[256];

	memset(ui, 0, sizeof(*ui));
	ui->ctx = c;
	ui->m = c->m;
	ui->interval_ms = o->live.interval_ms;
	ui->wide = o->wide;
	ui->export_dir = o->export_dir;
	ui->force = o->force;
	if (load_keys(&ui->keys, o, err, n))
		return 2;
	for (int i = 0; i < P_MAX; i++) {
		struct screen_pane *v = &ui->panes[i];

		v->opts = o->grouping;
		v->base = pane_get((enum pane_id)i);
		v->p = pane_shown_for(v->base, &v->opts);
		sort_default(v->p, &v->sort);
		if (o->sort)
			sort_parse(v->p, o->sort, &v->sort, e, sizeof(e));
	}
	if (o->sort) {
		bool any = false;

		for (int i = 0; i < P_MAX; i++)
			any |=
			    !sort_parse(ui->panes[i].p, o->sort, &ui->panes[i].sort, e, sizeof(e));
		if (!any) {
			snprintf(err, n, "--sort: no pane has a column '%s'", o->sort);
			return 2;
		}
	}
	/* -p -L -D -4 -6 are a fixed scope (the kernel only reports that); --filter can be edited
	 */
	if (filter_parse(o->cli_filter, &ui->scope, err, n) ||
	    filter_parse(o->filter ? o->filter : "", &ui->filter, err, n))
		return 2;
	snprintf(ui->filter_text, sizeof(ui->filter_text), "%s", ui->filter.text);
	ui_filter_changed(ui);
	return 0;
}

static void resize(struct ui *ui)
{
	getmaxyx(stdscr, ui->lines, ui->cols);
	ui_layout(ui);
}

/* Dispatch one key to whatever has the keyboard: help, sort menu, filter line, or the keymap. */
static int on_key(struct ui *ui, int key)
{
	if (ui->help)
		return ui_help_key(ui, key);
	if (ui->sort_menu)
		return ui_sort_menu_key(ui, key);
	if (ui->editing)
		return ui_filter_key(ui, key);
	if (ui->page.open)
		return ui_page_key(ui, key);
	return ui_act(ui, keymap_lookup(&ui->keys, key));
}

/*
 * Rows point into the model, which the source changes between draws: rows
 * are rebuilt before keys act on them and before they are drawn, whenever
 * the model has moved (unless paused: then they point at frozen copies).
 */
static void fresh_rows(struct ui *ui)
{
	if (!ui->paused && ui->built_seq != ui->m->st.seq)
		ui_rebuild(ui);
}

static int read_keys(struct ui *ui)
{
	int react = 0, key, my = 0, mx = 0, mb = 0;
	bool stale = false; /* a key changed which rows there are */

	while ((key = term_key(&my, &mx, &mb)) != -1) {
		int r;

		/* a key acts on the rows as they are now (the last key's rebuild: redraw()) */
		if (stale)
			ui_rebuild(ui);
		else
			fresh_rows(ui);
		stale = false;
		if (key == TERM_RESIZE) {
			resize(ui);
			r = R_REDRAW;
		} else if (key == TERM_MOUSE) {
			r = ui_mouse(ui, my, mx, mb);
		} else {
			r = on_key(ui, key);
		}
		react |= r;
		if (react & R_QUIT)
			break;
		stale = r & R_REBUILD;
	}
	/* rebuilt already unless the last key asked for it; drawn either way */
	if (stale)
		return react | R_REBUILD;
	return react & R_REBUILD ? (react & ~R_REBUILD) | R_REDRAW : react;
}

static void redraw(struct ui *ui, int react)
{
	if (react & R_REBUILD)
		ui_rebuild(ui);
	fresh_rows(ui);
	ui_layout(ui);
	ui_draw(ui);
}

/*
 * How long keys wait for an answer, at most: a key may have come just after
 * the last wake-up, so the work done then counts too. The help screen says it.
 */
static void note_answer(struct ui *ui, uint64_t woke_us, uint64_t busy_before_us)
{
	uint64_t us = ui_now_us() - woke_us + busy_before_us;

	ui->answer_last_us = us;
	if (us > ui->answer_worst_us)
		ui->answer_worst_us = us;
}

/* Keys are waiting: act on them and draw what they changed. true: quit. */
static bool answer_keys(struct ui *ui, uint64_t woke_us, uint64_t busy_before_us)
{
	int react = read_keys(ui);

	if (react & R_QUIT)
		return true;
	if (react & (R_REDRAW | R_REBUILD))
		redraw(ui, react);
	note_answer(ui, woke_us, busy_before_us);
	return false;
}

/* The main loop's state between turns. */
struct loop {
	sigset_t before;       /* the signal mask to give back */
	sigset_t waiting;      /* while waiting: SIGWINCH let through */
	uint64_t last_ticks;   /* the model's intervals at the last draw */
	uint64_t next_draw_ms; /* clocks and durations move once a second */
	uint64_t busy_us;      /* how long a key may have waited behind the last turn */
	bool ended;	       /* the source has no more */
	bool more;	       /* a drain was cut short: go on after the keys */
};

/* Curses, the priority, the glyphs, the first frame; 0 or the exit status. */
static int start(struct ui *ui, const struct screen_ctx *c, struct loop *l)
{
	char err[512];
	sigset_t winch;
	int rc = setup(ui, c, err, sizeof(err));

	if (rc) {
		fprintf(stderr, "tcpscope: %s\n", err);
		return rc;
	}
	if (!term_open(&ui->color, &ui->utf8, err, sizeof(err))) {
		fprintf(stderr, "tcpscope: %s\n", err);
		return 2;
	}
	priority_raise(c->o->nice);
	ui->g = ui->utf8 ? utf8_glyphs : ascii_glyphs;
	/*
	 * A resize is taken only while waiting: curses' SIGWINCH handler run
	 * anywhere else (a draw, a drain, the second look for keys) would leave
	 * its KEY_RESIZE unread until the next key, and the layout at the old size.
	 */
	sigemptyset(&winch);
	sigaddset(&winch, SIGWINCH);
	sigprocmask(SIG_BLOCK, &winch, &l->before);
	l->waiting = l->before;
	sigdelset(&l->waiting, SIGWINCH);
	l->last_ticks = (uint64_t)-1;
	resize(ui);
	ui_rebuild(ui);
	ui_draw(ui);
	return 0;
}

/* Let the source deliver what is due; say when it has ended. */
static int take_records(struct ui *ui, struct loop *l)
{
	struct source *src = ui->ctx->src;
	int s;

	l->more = false;
	if (l->ended)
		return R_NONE;
	/* an open connection's page shows its srtt and windows now, as ss -ti does */
	source_watch(src, ui->page.open && ui->page.data.open ? ui->page.sid : 0);
	s = source_step(src, 0);
	l->more = s == SOURCE_MORE;
	if (s != SOURCE_END && s >= 0)
		return R_NONE;
	l->ended = true;
	ui_set_status(ui, s < 0 || source_error(src), "%s",
		      source_error(src) ? source_error(src) : "end of the recording");
	return R_REDRAW;
}

/* What else asks for a frame: a stopped recording, a new interval, the clock. */
static int due(struct ui *ui, struct loop *l, uint64_t now_ms)
{
	const struct recorder *rec = ui->ctx->rec;
	int react = 0;

	if (rec && recorder_error(rec) && !strstr(ui->status, "recording")) {
		ui_set_status(ui, true, "recording stopped: %s", recorder_error(rec));
		react |= R_REDRAW;
	}
	/* new data after each interval; once a second for clocks and durations */
	if (ui->m->st.ticks != l->last_ticks || now_ms >= l->next_draw_ms) {
		l->last_ticks = ui->m->st.ticks;
		react |= R_REDRAW;
	}
	return react;
}

/* One turn: wait, keys, records, keys again, draw. false: quit. */
static bool turn(struct ui *ui, struct loop *l)
{
	static const struct timespec step = {0, STEP_MS * 1000000L}, now_ts = {0, 0};
	struct pollfd in = {.fd = STDIN_FILENO, .events = POLLIN};
	uint64_t now, woke, woke2;
	int react, ready;

	/* keys and resizes wake us; records are drained every STEP_MS, in batches */
	ready = ppoll(&in, 1, l->more ? &now_ts : &step, &l->waiting);
	if (ready < 0 && errno != EINTR)
		return false;
	woke = ui_now_us();
	/*
	 * keys first: what they change is drawn before any record is taken
	 * in. A signal (SIGWINCH) woke us: curses has a resize to hand over.
	 */
	if ((ready < 0 || (in.revents & POLLIN)) && answer_keys(ui, woke, l->busy_us))
		return false;
	react = take_records(ui, l);
	/* and again after taking records in: a key need not wait for a redraw too */
	woke2 = ui_now_us();
	if (poll(&in, 1, 0) > 0 && answer_keys(ui, woke2, woke2 - woke))
		return false;
	now = ui_now_ms();
	react |= due(ui, l, now);
	if (react & (R_REDRAW | R_REBUILD)) {
		redraw(ui, react);
		l->next_draw_ms = now + 1000;
	}
	/* a key that came after the last look waited for this much at most */
	l->busy_us = ui_now_us() - woke2;
	return true;
}

/* Everything start() took, given back. */
static void finish(struct ui *ui, struct loop *l)
{
	term_close();
	priority_restore();
	sigprocmask(SIG_SETMASK, &l->before, NULL);
	ui_freeze(ui, false);
	for (int i = 0; i < P_MAX; i++)
		rows_free(&ui->panes[i].rows);
	ui_page_free(ui);
}

int screen_run(const struct screen_ctx *c)
{
	struct ui *ui = calloc(1, sizeof(*ui));
	struct loop l = {0};
	int rc;

	if (!ui) {
		fprintf(stderr, "tcpscope: out of memory\n");
		return 1;
	}
	rc = start(ui, c, &l);
	if (!rc) {
		while (!*c->stop && turn(ui, &l))
			;
		finish(ui, &l);
	}
	free(ui);
	return rc;
}
