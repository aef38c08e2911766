// SPDX-License-Identifier: GPL-2.0
/* Key bindings: the built-in table, key names, user files and their errors. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "../tap.h"
#include "keymaps/keymap.h"

static struct keymap km;
static char err[256];

TEST(defaults_bind_what_the_manual_says)
{
	CHECK(keymap_default(&km, err, sizeof(err)) == 0);
	CHECK(keymap_lookup(&km, 'q') == ACT_QUIT);
	CHECK(keymap_lookup(&km, K_F1 + 9) == ACT_QUIT); /* F10 */
	CHECK(keymap_lookup(&km, '?') == ACT_HELP);
	CHECK(keymap_lookup(&km, K_F1) == ACT_HELP);
	CHECK(keymap_lookup(&km, K_TAB) == ACT_NEXT_PANE);
	CHECK(keymap_lookup(&km, K_BTAB) == ACT_PREV_PANE);
	CHECK(keymap_lookup(&km, '1') == ACT_PANE_1);
	CHECK(keymap_lookup(&km, '4') == ACT_PANE_1 + 3);
	CHECK(keymap_lookup(&km, 'z') == ACT_ZOOM);
	CHECK(keymap_lookup(&km, K_ENTER) == ACT_PAGE);
	CHECK(keymap_lookup(&km, 'j') == ACT_DOWN);
	CHECK(keymap_lookup(&km, 'k') == ACT_UP);
	CHECK(keymap_lookup(&km, K_PGDN) == ACT_PAGE_DOWN);
	CHECK(keymap_lookup(&km, K_HOME) == ACT_TOP);
	CHECK(keymap_lookup(&km, K_END) == ACT_BOTTOM);
	CHECK(keymap_lookup(&km, '<') == ACT_SORT_PREV);
	CHECK(keymap_lookup(&km, '>') == ACT_SORT_NEXT);
	CHECK(keymap_lookup(&km, 'r') == ACT_SORT_REVERSE);
	CHECK(keymap_lookup(&km, K_F1 + 5) == ACT_SORT_MENU); /* F6 */
	CHECK(keymap_lookup(&km, '/') == ACT_FILTER);
	CHECK(keymap_lookup(&km, K_F1 + 3) == ACT_FILTER); /* F4 */
	CHECK(keymap_lookup(&km, 'p') == ACT_FILTER_PID);
	CHECK(keymap_lookup(&km, 'l') == ACT_FILTER_LPORT);
	CHECK(keymap_lookup(&km, 'd') == ACT_FILTER_RPORT);
	CHECK(keymap_lookup(&km, 'e') == ACT_EXPORT);
	CHECK(keymap_lookup(&km, ' ') == ACT_PAUSE);
	CHECK(keymap_lookup(&km, '+') == ACT_SLOWER);
	CHECK(keymap_lookup(&km, '-') == ACT_FASTER);
	CHECK(keymap_lookup(&km, 'x') == ACT_NONE);
	CHECK(keymap_lookup(&km, -5) == ACT_NONE);
	CHECK(keymap_lookup(&km, 0x4e2d) == ACT_NONE); /* a CJK character: not bindable */
}

TEST(every_action_has_a_name_help_and_a_default_key)
{
	keymap_default(&km, err, sizeof(err));
	for (int a = 1; a < ACT_MAX; a++) {
		int keys[4];

		CHECK(action_info((enum action)a) != NULL);
		CHECK((int)action_parse(action_info((enum action)a)->name) == a);
		CHECK(strlen(action_info((enum action)a)->help) > 0);
		if (!keymap_keys(&km, (enum action)a, keys, 4))
			printf("#   action %s has no default key\n",
			       action_info((enum action)a)->name);
		CHECK(keymap_keys(&km, (enum action)a, keys, 4) > 0);
	}
}

/* pane-1 to pane-N: one for each pane of the list, on its digit, named from its title. */
TEST(one_action_per_pane)
{
	keymap_default(&km, err, sizeof(err));
	CHECK_EQ_U64(ACT_PANE_LAST - ACT_PANE_1 + 1, P_MAX);
	for (int i = 0; i < P_MAX; i++) {
		char name[16], help[64];

		snprintf(name, sizeof(name), "pane-%d", i + 1);
		snprintf(help, sizeof(help), "focus %s", pane_get((enum pane_id)i)->title);
		CHECK((int)action_parse(name) == ACT_PANE_1 + i);
		CHECK_STR(action_info((enum action)(ACT_PANE_1 + i))->help, help);
		CHECK(keymap_lookup(&km, '1' + i) == (enum action)(ACT_PANE_1 + i));
	}
}

TEST(key_names_round_trip)
{
	static const char *const names[] = {"q",    "?",    "Space", "Tab", "S-Tab",	 "Enter",
					    "Esc",  "F1",   "F10",   "F12", "C-l",	 "PgUp",
					    "PgDn", "Home", "End",   "Up",  "Backspace", "<"};
	char buf[32];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int k = keymap_key_parse(names[i]);

		CHECK(k >= 0);
		CHECK_STR(keymap_key_name(k, buf, sizeof(buf)), names[i]);
	}
	CHECK(keymap_key_parse("F13") < 0);
	CHECK(keymap_key_parse("F0") < 0);
	CHECK(keymap_key_parse("qq") < 0);
	CHECK(keymap_key_parse("C-1") < 0);
	CHECK(keymap_key_parse("") < 0);
	CHECK(keymap_key_parse("\x01") < 0);
}

TEST(user_file_rebinds_and_unbinds)
{
	keymap_default(&km, err, sizeof(err));
	CHECK(keymap_load_text(&km,
			       "# vi-ish\n"
			       "bind x quit   # x quits too\n"
			       "unbind q\n"
			       "\n"
			       "bind F5 redraw\n",
			       "keys", err, sizeof(err)) == 0);
	CHECK(keymap_lookup(&km, 'x') == ACT_QUIT);
	CHECK(keymap_lookup(&km, 'q') == ACT_NONE);
	CHECK(keymap_lookup(&km, K_F1 + 4) == ACT_REDRAW);
	CHECK(keymap_lookup(&km, K_F1 + 9) == ACT_QUIT); /* F10 still */
}

TEST(bad_lines_name_the_file_and_line)
{
	keymap_default(&km, err, sizeof(err));
	CHECK(keymap_load_text(&km, "bind x quit\nbind y qiut\n", "my.keys", err, sizeof(err)) ==
	      -EINVAL);
	CHECK_STR(err, "my.keys:2: unknown action 'qiut'");
	CHECK(keymap_lookup(&km, 'x') == ACT_QUIT); /* lines before the error applied */
	CHECK(keymap_load_text(&km, "bind Hyper quit\n", "k", err, sizeof(err)) == -EINVAL);
	CHECK_STR(err, "k:1: unknown key 'Hyper'");
	CHECK(keymap_load_text(&km, "bind x\n", "k", err, sizeof(err)) == -EINVAL);
	CHECK_STR(err, "k:1: bind x: which action?");
	CHECK(keymap_load_text(&km, "press x quit\n", "k", err, sizeof(err)) == -EINVAL);
	CHECK(strstr(err, "k:1: expected 'bind KEY ACTION'") == err);
	CHECK(keymap_load_text(&km, "bind x quit now\n", "k", err, sizeof(err)) == -EINVAL);
	CHECK(keymap_load_text(&km, "unbind x quit\n", "k", err, sizeof(err)) == -EINVAL);
}

TEST(files_missing_binary_or_fine)
{
	char path[] = "/tmp/tcpscope-keys-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	keymap_default(&km, err, sizeof(err));
	CHECK(keymap_load_file(&km, "/nonexistent/keys", err, sizeof(err)) == -ENOENT);
	fputs("bind X quit\n", f);
	fclose(f);
	CHECK(keymap_load_file(&km, path, err, sizeof(err)) == 0);
	CHECK(keymap_lookup(&km, 'X') == ACT_QUIT);
	f = fopen(path, "w");
	fwrite("bind \0x quit\n", 1, 13, f);
	fclose(f);
	CHECK(keymap_load_file(&km, path, err, sizeof(err)) == -EINVAL);
	CHECK(strstr(err, "not a text file") != NULL);
	unlink(path);
}

int main(void)
{
	RUN(defaults_bind_what_the_manual_says);
	RUN(every_action_has_a_name_help_and_a_default_key);
	RUN(one_action_per_pane);
	RUN(key_names_round_trip);
	RUN(user_file_rebinds_and_unbinds);
	RUN(bad_lines_name_the_file_and_line);
	RUN(files_missing_binary_or_fine);
	TAP_DONE();
}
