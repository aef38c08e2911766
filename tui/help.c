// SPDX-License-Identifier: GPL-2.0
/* The help screen, generated from the keymap: every action with the keys bound to it. */
#define NCURSES_WIDECHAR 1
#include <stdio.h>
#include <string.h>
#include <curses.h>
#include "term.h"
#include "ui.h"

static const char *const filter_help[] = {
    "",
    "Filter (/): space-separated terms, all must match; ! before a term negates it",
    "  port N[,M]   either end          lport N   rport N   (ranges: 8000-8100)",
    "  pid N        owning process      comm TEXT (substring)   ip 4|6",
    "  addr IP[/PREFIX]  either end     state NAME (e.g. ESTABLISHED, SYN_SENT)",
    "  laddr, raddr IP[/PREFIX]  one end",
    "  type NAME    events: retrans, drop, reset, cong, queue, memory, error, or a TYPE",
    "  service TEXT (substring: a systemd unit, docker:ID, containerd:ID, a cgroup path)",
    "  a bare number is a port, bare text a command name",
    "",
    "Mouse: click a column header to sort by it (again: reverse), a row to select it;",
    "the wheel scrolls. Keys can be rebound in ~/.config/tcpscope/keys (see --keys).",
};

#define NFILTER_HELP ((int)(sizeof(filter_help) / sizeof(filter_help[0])))
#define NPANE_NOTES  5

/* What Listeners' backlog distribution and the SERVICE column can show here, and why. */
static void pane_note_line(const struct ui *ui, int i, char *buf, size_t n)
{
	struct source *src = ui->ctx->src;
	const char *why;

	switch (i) {
	case 1:
		snprintf(buf, n,
			 "Listeners: a row per listening address (SO_REUSEPORT sockets add "
			 "up); g: the backlog");
		return;
	case 2:
		snprintf(buf, n,
			 "  distribution, as tcpsynbl: the accept queue each handshake found "
			 "(its child's first state");
		return;
	case 3:
		snprintf(buf, n,
			 "  change is a copy of its listener); those that found it full: %s",
			 ui->m->listen_overflow_named
			     ? "counted (drop reason TCP_LISTEN_OVERFLOW)"
			     : "not counted, this kernel names no drop reason TCP_LISTEN_OVERFLOW "
			       "(OVERFLOWS has them)");
		return;
	case 4:
		why = src->ops->why ? src->ops->why(src, "services") : NULL;
		snprintf(buf, n, "Services: %s",
			 why ? why : "the cgroup paths the recording names (a replay)");
		return;
	}
	buf[0] = 0;
}

/* The hook plan's jobs ("state=tp_btf traffic=fentry ..."), from the source. */
static int plan_jobs(const struct ui *ui, char jobs[][2][24], int max)
{
	const char *plan = ui->ctx->src->ops->plan(ui->ctx->src), *at;
	int n = 0;

	if (!plan)
		return 0;
	if (!strncmp(plan, "replay: ", 8))
		plan += 8;
	for (at = plan; *at && n < max;) {
		int len = (int)strcspn(at, " "), eq = (int)strcspn(at, "=");

		if (eq < len && eq < 24 && len - eq - 1 < 24) {
			snprintf(jobs[n][0], 24, "%.*s", eq, at);
			snprintf(jobs[n][1], 24, "%.*s", len - eq - 1, at + eq + 1);
			n++;
		}
		at += len;
		at += strspn(at, " ");
	}
	return n;
}

#define MAX_JOBS 16

/*
 * Lines of the help text: title, the actions, the filter language, what was
 * lost, what was let go, the hooks.
 */
static int help_lines(const struct ui *ui)
{
	char jobs[MAX_JOBS][2][24];

	return (ACT_MAX - 1) + 2 + NFILTER_HELP + NPANE_NOTES + 2 + LOSS_MAX + 2 + 2 + 2 +
	       plan_jobs(ui, jobs, MAX_JOBS);
}

/* The rows let go to stay within --max-rows, and the rule that chose them. */
static void let_go_line(const struct ui *ui, int i, char *buf, size_t n)
{
	const struct model *m = ui->m;

	if (i == 0)
		snprintf(buf, n,
			 "Let go to stay within --max-rows (each flow, command and service port, "
			 "keeps its newest %zu):",
			 m->cfg.keep_per_flow);
	else
		snprintf(buf, n,
			 "  %llu closed sessions, %llu state rows, %llu events; %llu rows of "
			 "flows that found no room shared one group",
			 (unsigned long long)m->closed.let_go, (unsigned long long)m->states.let_go,
			 (unsigned long long)m->events.let_go,
			 (unsigned long long)m->flows.overflow);
}

/* "  traffic  fentry      no tracepoint ... in BTF": each job, its flavour and why. */
static void hook_line(const struct ui *ui, int i, char *buf, size_t n, int *attr)
{
	char jobs[MAX_JOBS][2][24];
	int nj = plan_jobs(ui, jobs, MAX_JOBS);
	struct source *src = ui->ctx->src;
	const char *why;

	if (i == 0) {
		buf[0] = 0;
		return;
	}
	if (i == 1) {
		snprintf(buf, n, "Hooks on this kernel (-v prints them too):");
		return;
	}
	i -= 2;
	if (i >= nj) {
		buf[0] = 0;
		return;
	}
	why = src->ops->why ? src->ops->why(src, jobs[i][0]) : NULL;
	if (!why && !strcmp(jobs[i][1], "off"))
		why = source_job_off(src, jobs[i][0]);
	snprintf(buf, n, "  %-8s %-10s %s", jobs[i][0], jobs[i][1], why ? why : "");
	if (!strcmp(jobs[i][1], "off"))
		*attr = term_attr(C_DIM);
}

static void help_line(const struct ui *ui, int i, char *buf, size_t n, int *attr)
{
	*attr = term_attr(C_NORMAL);
	if (i == 0) {
		snprintf(buf, n, "tcpscope %s keys (any key closes this; Up/Down/PgUp/PgDn scroll)",
			 TCPSCOPE_VERSION);
		*attr = term_attr(C_TITLE_FOCUS);
		return;
	}
	if (i == 1) {
		buf[0] = 0;
		return;
	}
	i -= 2;
	if (i < ACT_MAX - 1) {
		enum action a = (enum action)(i + 1);
		char names[64];

		keymap_keys_text(&ui->keys, a, names, sizeof(names));
		snprintf(buf, n, "  %-16s %-14s %s", names[0] ? names : "(unbound)",
			 action_info(a)->name, action_info(a)->help);
		if (!names[0])
			*attr = term_attr(C_DIM);
		return;
	}
	i -= ACT_MAX - 1;
	if (i < NFILTER_HELP) {
		snprintf(buf, n, "%s", filter_help[i]);
		return;
	}
	i -= NFILTER_HELP;
	if (i < NPANE_NOTES) {
		pane_note_line(ui, i, buf, n);
		return;
	}
	i -= NPANE_NOTES;
	if (i == 0) {
		buf[0] = 0;
	} else if (i == 1) {
		snprintf(buf, n, "Lost so far (the header's 'lost' adds these up):");
	} else if (i == 2 + LOSS_MAX || i == 3 + LOSS_MAX) {
		let_go_line(ui, i - 2 - LOSS_MAX, buf, n);
	} else if (i == 4 + LOSS_MAX) {
		buf[0] = 0;
	} else if (i == 5 + LOSS_MAX) {
		snprintf(buf, n,
			 "Keys answered within %.1f ms (the last), %.1f ms (the slowest so far)",
			 ui->answer_last_us / 1e3, ui->answer_worst_us / 1e3);
	} else if (i > 5 + LOSS_MAX) {
		hook_line(ui, i - 6 - LOSS_MAX, buf, n, attr);
	} else {
		uint64_t counts[LOSS_MAX];
		enum model_loss l = (enum model_loss)(i - 2);

		model_losses(ui->m, counts);
		snprintf(buf, n, "  %10llu %s%s%s", (unsigned long long)counts[l],
			 model_loss_what(l), counts[l] ? ": " : "",
			 counts[l] ? model_loss_advice(l) : "");
		if (counts[l])
			*attr = term_attr(C_WARN);
	}
}

void ui_draw_help(struct ui *ui)
{
	int total = help_lines(ui);

	if (ui->help_top > total - ui->lines)
		ui->help_top = total - ui->lines > 0 ? total - ui->lines : 0;
	for (int y = 0; y < ui->lines && ui->help_top + y < total; y++) {
		char line[256];
		int attr;

		help_line(ui, ui->help_top + y, line, sizeof(line), &attr);
		attron(attr);
		mvaddnstr(y, 0, line, ui->cols);
		attroff(attr);
	}
}

int ui_help_key(struct ui *ui, int key)
{
	switch (key) {
	case K_UP:
		ui->help_top = ui->help_top > 0 ? ui->help_top - 1 : 0;
		return R_REDRAW;
	case K_DOWN:
		ui->help_top++;
		return R_REDRAW;
	case K_PGUP:
		ui->help_top = ui->help_top > ui->lines ? ui->help_top - ui->lines : 0;
		return R_REDRAW;
	case K_PGDN:
		ui->help_top += ui->lines;
		return R_REDRAW;
	}
	ui->help = false;
	return R_REDRAW;
}
