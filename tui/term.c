// SPDX-License-Identifier: GPL-2.0
#include <langinfo.h>
#include <locale.h>
#include <sys/mman.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <curses.h>
#include "term.h"
#include "views/safefile.h"
#include "keymaps/keymap.h"

static int attrs[C_MAX];
static SCREEN *scr;
/*
 * ncurses flushes its output at every cursor move (lib_mvcur.c): a redraw
 * is about a hundred write()s, each one waking the terminal's reader (the
 * SSH server, tmux). On a busy host each wake-up can cost the screen its CPU
 * for a scheduler tick, so a key waited for tens of milliseconds. A frame is
 * collected in a memory file standing in for the terminal, then sent with
 * one write.
 */
static int frame_fd = -1; /* the memory file */
static int tty_fd = -1;	  /* the terminal, while the memory file stands in for it */
static char *frame_buf;
static size_t frame_cap;

static void init_colors(bool color)
{
	static const struct {
		short fg, bg;
		int attr; /* with colours */
		int mono; /* without */
	} scheme[C_MAX] = {
	    [C_NORMAL] = {-1, -1, 0, 0},
	    [C_HEADER] = {-1, -1, A_BOLD, A_BOLD},
	    [C_TITLE] = {COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE},
	    [C_TITLE_FOCUS] = {COLOR_BLACK, COLOR_GREEN, A_BOLD, A_REVERSE | A_BOLD},
	    [C_COLUMNS] = {COLOR_BLACK, COLOR_WHITE, 0, A_UNDERLINE},
	    [C_SORTED] = {COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_UNDERLINE | A_BOLD},
	    [C_SELECTED] = {COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE},
	    [C_SELECTED_DIM] = {-1, -1, A_UNDERLINE, A_UNDERLINE},
	    [C_WARN] = {COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD},
	    [C_GOOD] = {COLOR_GREEN, -1, 0, 0},
	    [C_BAD] = {COLOR_RED, -1, A_BOLD, A_BOLD},
	    [C_DIM] = {-1, -1, A_DIM, A_DIM},
	    [C_KEY] = {-1, -1, A_BOLD, A_BOLD},
	    [C_KEYLABEL] = {COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE},
	    [C_TX] = {COLOR_YELLOW, -1, 0, 0},
	    [C_RX] = {COLOR_CYAN, -1, 0, 0},
	    [C_SELF] = {COLOR_MAGENTA, -1, A_BOLD, A_BOLD | A_UNDERLINE},
	};

	for (int i = 0; i < C_MAX; i++) {
		attrs[i] = scheme[i].mono;
		if (!color)
			continue;
		if (scheme[i].fg == -1 && scheme[i].bg == -1) {
			attrs[i] = scheme[i].attr;
			continue;
		}
		init_pair((short)i, scheme[i].fg, scheme[i].bg);
		attrs[i] = COLOR_PAIR(i) | scheme[i].attr;
	}
}

bool term_open(bool *color, bool *utf8, char *err, unsigned long errlen)
{
	const char *term = getenv("TERM");

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, errlen, "not a terminal: use -b for batch output");
		return false;
	}
	*utf8 = !strcmp(nl_langinfo(CODESET), "UTF-8");
	/* newterm() reports a bad TERM; initscr() would exit on it */
	scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		snprintf(err, errlen,
			 "cannot use the terminal type '%s': set TERM (e.g. TERM=xterm)",
			 term ? term : "");
		return false;
	}
	set_term(scr);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25); /* Esc alone must not wait a second */
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	*color = has_colors() && !getenv("NO_COLOR");
	if (*color) {
		start_color();
		use_default_colors();
	}
	init_colors(*color);
	frame_fd = memfd_create("tcpscope-frame", MFD_CLOEXEC);
	tty_fd = frame_fd < 0 ? -1 : fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	return true;
}

/* Send what the memory file holds to the terminal, and empty it. */
static void send_frame(void)
{
	off_t n = lseek(frame_fd, 0, SEEK_CUR);

	if (n > 0 && (size_t)n > frame_cap) {
		char *b = realloc(frame_buf, (size_t)n);

		if (b) {
			frame_buf = b;
			frame_cap = (size_t)n;
		} else {
			n = 0; /* the frame is lost: the next full redraw repairs it */
		}
	}
	/* an error here is a terminal gone: SIGHUP ends us */
	if (n > 0 && pread(frame_fd, frame_buf, (size_t)n, 0) == n)
		write_all(STDOUT_FILENO, frame_buf, (size_t)n);
	lseek(frame_fd, 0, SEEK_SET);
}

/* refresh(), with everything it writes sent at once */
void term_refresh(void)
{
	sigset_t tstp, before;
	bool batched;

	/* curses' own SIGTSTP handler writes too: not into the memory file */
	sigemptyset(&tstp);
	sigaddset(&tstp, SIGTSTP);
	sigprocmask(SIG_BLOCK, &tstp, &before);
	batched = tty_fd >= 0 && dup2(frame_fd, STDOUT_FILENO) >= 0;
	refresh();
	if (batched)
		dup2(tty_fd, STDOUT_FILENO);
	sigprocmask(SIG_SETMASK, &before, NULL);
	if (batched)
		send_frame();
}

void term_close(void)
{
	if (!scr)
		return;
	endwin();
	delscreen(scr);
	scr = NULL;
	if (tty_fd >= 0)
		close(tty_fd);
	if (frame_fd >= 0)
		close(frame_fd);
	tty_fd = frame_fd = -1;
	free(frame_buf);
	frame_buf = NULL;
	frame_cap = 0;
}

int term_attr(enum color c)
{
	return attrs[c];
}

/* curses key codes to ours */
static int translate(int ch)
{
	switch (ch) {
	case KEY_UP:
		return K_UP;
	case KEY_DOWN:
		return K_DOWN;
	case KEY_LEFT:
		return K_LEFT;
	case KEY_RIGHT:
		return K_RIGHT;
	case KEY_PPAGE:
		return K_PGUP;
	case KEY_NPAGE:
		return K_PGDN;
	case KEY_HOME:
		return K_HOME;
	case KEY_END:
		return K_END;
	case KEY_IC:
		return K_INSERT;
	case KEY_DC:
		return K_DELETE;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		return K_BACKSPACE;
	case KEY_ENTER:
	case '\r':
	case '\n':
		return K_ENTER;
	case 27:
		return K_ESC;
	case '\t':
		return K_TAB;
	case KEY_BTAB:
		return K_BTAB;
	}
	if (ch >= KEY_F(1) && ch <= KEY_F(12))
		return K_F1 + (ch - KEY_F(1));
	if (ch >= 1 && ch <= 26)
		return K_CTRL_A + ch - 1;
	return ch;
}

int term_key(int *my, int *mx, int *mb)
{
	wint_t wc;
	int kind = get_wch(&wc);
	MEVENT ev;

	if (kind == ERR)
		return -1;
	if (kind == KEY_CODE_YES) {
		if (wc == KEY_RESIZE)
			return TERM_RESIZE;
		if (wc == KEY_MOUSE) {
			if (getmouse(&ev) != OK)
				return -1;
			*my = ev.y;
			*mx = ev.x;
			*mb = ev.bstate & BUTTON4_PRESSED   ? MOUSE_WHEEL_UP
			      : ev.bstate & BUTTON5_PRESSED ? MOUSE_WHEEL_DOWN
							    : MOUSE_LEFT;
			return TERM_MOUSE;
		}
		return translate((int)wc);
	}
	return translate((int)wc);
}
