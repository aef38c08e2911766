// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "keymap.h"

static const struct action_info actions[ACT_MAX] = {
    [ACT_QUIT] = {"quit", "quit"},
    [ACT_HELP] = {"help", "this help"},
    [ACT_NEXT_PANE] = {"next-pane", "focus the next pane"},
    [ACT_PREV_PANE] = {"prev-pane", "focus the previous pane"},
    [ACT_ZOOM] = {"zoom", "zoom the focused pane to the whole screen, and back"},
    [ACT_UP] = {"up", "select the row above"},
    [ACT_DOWN] = {"down", "select the row below"},
    [ACT_PAGE_UP] = {"page-up", "a page up"},
    [ACT_PAGE_DOWN] = {"page-down", "a page down"},
    [ACT_TOP] = {"top", "the first row"},
    [ACT_BOTTOM] = {"bottom", "the last row"},
    [ACT_SORT_NEXT] = {"sort-next", "sort by the next column"},
    [ACT_SORT_PREV] = {"sort-prev", "sort by the previous column"},
    [ACT_SORT_REVERSE] = {"sort-reverse", "reverse the sort order"},
    [ACT_SORT_MENU] = {"sort-menu", "choose the sort column from a menu"},
    [ACT_FILTER] = {"filter", "edit the filter (applied as you type; Enter keeps, Esc cancels)"},
    [ACT_FILTER_CLEAR] = {"filter-clear", "clear the filter"},
    [ACT_FILTER_PID] = {"filter-pid", "filter to the selected row's process"},
    [ACT_FILTER_LPORT] = {"filter-lport", "filter to the selected row's local port"},
    [ACT_FILTER_RPORT] = {"filter-rport", "filter to the selected row's remote port"},
    [ACT_EXPORT] = {"export", "write the focused pane's rows to a CSV file"},
    [ACT_PAUSE] = {"pause", "freeze the display (collection goes on)"},
    [ACT_SLOWER] = {"slower", "longer refresh interval"},
    [ACT_FASTER] = {"faster", "shorter refresh interval"},
    [ACT_GROUP] = {"group", "regroup the focused pane: Lifespans summed up, Throughput, Listeners"},
    [ACT_ALL_ROWS] = {"all-rows", "also idle throughput rows; lifespans: open sessions only"},
    [ACT_WIDE] = {"wide", "wide columns (whole IPv6 addresses)"},
    [ACT_REDRAW] = {"redraw", "redraw the screen"},
    [ACT_PAGE] = {"page", "the selected row's connection: timeline, graphs, windows (back: Esc, q, "
			  "Enter)"},
};

/* pane-1 to pane-N, one for each pane of the list: named and explained from it. */
static const struct action_info *pane_action(int i)
{
	static struct action_info info[P_MAX];
	static char names[P_MAX][16], helps[P_MAX][64];

	if (!info[i].name) {
		snprintf(names[i], sizeof(names[i]), "pane-%d", i + 1);
		snprintf(helps[i], sizeof(helps[i]), "focus %s", pane_get((enum pane_id)i)->title);
		info[i].name = names[i];
		info[i].help = helps[i];
	}
	return &info[i];
}

const struct action_info *action_info(enum action a)
{
	if (a >= ACT_PANE_1 && a <= ACT_PANE_LAST)
		return pane_action(a - ACT_PANE_1);
	return a > ACT_NONE && a < ACT_MAX ? &actions[a] : NULL;
}

enum action action_parse(const char *name)
{
	for (int a = 1; a < ACT_MAX; a++)
		if (!strcmp(name, action_info((enum action)a)->name))
			return (enum action)a;
	return ACT_NONE;
}

static const struct {
	const char *name;
	int key;
} named[] = {
    {"Up", K_UP},	  {"Down", K_DOWN},	{"Left", K_LEFT},	    {"Right", K_RIGHT},
    {"PgUp", K_PGUP},	  {"PgDn", K_PGDN},	{"Home", K_HOME},	    {"End", K_END},
    {"Insert", K_INSERT}, {"Delete", K_DELETE}, {"Backspace", K_BACKSPACE}, {"Enter", K_ENTER},
    {"Esc", K_ESC},	  {"Tab", K_TAB},	{"S-Tab", K_BTAB},	    {"Space", ' '},
};

int keymap_key_parse(const char *s)
{
	size_t len = strlen(s);

	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (!strcasecmp(s, named[i].name))
			return named[i].key;
	if ((s[0] == 'F' || s[0] == 'f') && len >= 2 && len <= 3 && isdigit((unsigned char)s[1])) {
		int n = atoi(s + 1);

		if (n >= 1 && n <= 12 && (len == 2 || isdigit((unsigned char)s[2])))
			return K_F1 + n - 1;
		return -1;
	}
	if ((s[0] == 'C' || s[0] == 'c') && s[1] == '-' && len == 3 && isalpha((unsigned char)s[2]))
		return K_CTRL_A + (tolower((unsigned char)s[2]) - 'a');
	/* one printable ASCII character (not space: that is "Space") */
	if (len == 1 && s[0] > ' ' && s[0] < 0x7f)
		return s[0];
	return -1;
}

const char *keymap_key_name(int key, char *buf, size_t n)
{
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (named[i].key == key) {
			snprintf(buf, n, "%s", named[i].name);
			return buf;
		}
	if (key >= K_F1 && key <= K_F12)
		snprintf(buf, n, "F%d", key - K_F1 + 1);
	else if (key >= K_CTRL_A && key <= K_CTRL_Z)
		snprintf(buf, n, "C-%c", 'a' + (key - K_CTRL_A));
	else if (key > ' ' && key < 0x7f)
		snprintf(buf, n, "%c", key);
	else
		snprintf(buf, n, "#%d", key);
	return buf;
}

static int slot(int key)
{
	if (key >= 0 && key < 0x80)
		return key;
	if (key >= K_BASE && key < K_MAX)
		return 0x80 + (key - K_BASE);
	return -1;
}

enum action keymap_lookup(const struct keymap *km, int key)
{
	int s = slot(key);

	return s < 0 ? ACT_NONE : (enum action)km->action[s];
}

size_t keymap_keys(const struct keymap *km, enum action a, int *keys, size_t max)
{
	size_t n = 0;

	/* the named keys first (F1 before '?'), then characters */
	for (int k = K_BASE; k < K_MAX && n < max; k++)
		if (km->action[slot(k)] == a)
			keys[n++] = k;
	for (int k = 0; k < 0x80 && n < max; k++)
		if (km->action[k] == a)
			keys[n++] = k;
	return n;
}

/* One line of a keymap file; 0, or -EINVAL with the reason in why. */
static int apply_line(struct keymap *km, char *line, char *why, size_t n)
{
	char *save = NULL, *verb = strtok_r(line, " \t", &save);
	char *key = verb ? strtok_r(NULL, " \t", &save) : NULL;
	char *act = key ? strtok_r(NULL, " \t", &save) : NULL;
	char *extra = act ? strtok_r(NULL, " \t", &save) : NULL;
	enum action a = ACT_NONE;
	int k;

	if (!verb)
		return 0;
	if (strcmp(verb, "bind") && strcmp(verb, "unbind")) {
		snprintf(why, n, "expected 'bind KEY ACTION' or 'unbind KEY', not '%.30s'", verb);
		return -EINVAL;
	}
	if (!key) {
		snprintf(why, n, "%s: which key?", verb);
		return -EINVAL;
	}
	k = keymap_key_parse(key);
	if (k < 0) {
		snprintf(why, n, "unknown key '%.30s'", key);
		return -EINVAL;
	}
	if (!strcmp(verb, "unbind")) {
		if (act) {
			snprintf(why, n, "unbind takes only a key");
			return -EINVAL;
		}
		km->action[slot(k)] = ACT_NONE;
		return 0;
	}
	if (!act) {
		snprintf(why, n, "bind %.30s: which action?", key);
		return -EINVAL;
	}
	if (extra) {
		snprintf(why, n, "unexpected '%.30s' after the action", extra);
		return -EINVAL;
	}
	a = action_parse(act);
	if (a == ACT_NONE) {
		snprintf(why, n, "unknown action '%.30s'", act);
		return -EINVAL;
	}
	km->action[slot(k)] = (unsigned char)a;
	return 0;
}

int keymap_load_text(struct keymap *km, const char *text, const char *name, char *err,
		     size_t errlen)
{
	const char *p = text;
	int lineno = 0;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[256], why[160];

		lineno++;
		if (len >= sizeof(line)) {
			snprintf(err, errlen, "%s:%d: line too long", name, lineno);
			return -EINVAL;
		}
		memcpy(line, p, len);
		line[len] = 0;
		if (strchr(line, '#'))
			*strchr(line, '#') = 0;
		if (apply_line(km, line, why, sizeof(why))) {
			snprintf(err, errlen, "%s:%d: %s", name, lineno, why);
			return -EINVAL;
		}
		p += len + (nl ? 1 : 0);
	}
	return 0;
}

int keymap_load_file(struct keymap *km, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");
	char *text;
	long len;
	int rc;

	if (!f) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return rc;
	}
	if (fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || len > 1 << 20 ||
	    fseek(f, 0, SEEK_SET)) {
		snprintf(err, errlen, "%s: not a readable keymap file (at most 1 MiB)", path);
		fclose(f);
		return -EINVAL;
	}
	text = malloc((size_t)len + 1);
	if (!text || fread(text, 1, (size_t)len, f) != (size_t)len) {
		snprintf(err, errlen, "%s: cannot read", path);
		free(text);
		fclose(f);
		return -EIO;
	}
	text[len] = 0;
	fclose(f);
	if (strlen(text) != (size_t)len) {
		snprintf(err, errlen, "%s: not a text file", path);
		free(text);
		return -EINVAL;
	}
	rc = keymap_load_text(km, text, path, err, errlen);
	free(text);
	return rc;
}

extern const char keymap_default_text[]; /* generated from keymaps/default.keys */

int keymap_default(struct keymap *km, char *err, size_t errlen)
{
	memset(km, 0, sizeof(*km));
	return keymap_load_text(km, keymap_default_text, "keymaps/default.keys", err, errlen);
}

const char *keymap_keys_text(const struct keymap *km, enum action a, char *buf, size_t n)
{
	int keys[8];
	size_t nk = keymap_keys(km, a, keys, 8), o = 0;

	buf[0] = 0;
	for (size_t k = 0; k < nk && o < n; k++) {
		char kn[16];

		o += (size_t)snprintf(buf + o, n - o, "%s%s", k ? " " : "",
				      keymap_key_name(keys[k], kn, sizeof(kn)));
	}
	return buf;
}

void keymap_print(FILE *f, const struct keymap *km)
{
	for (int a = 1; a < ACT_MAX; a++) {
		char names[96];

		keymap_keys_text(km, (enum action)a, names, sizeof(names));
		fprintf(f, "%-16s %-14s %s\n", names[0] ? names : "-",
			action_info((enum action)a)->name, action_info((enum action)a)->help);
	}
}
