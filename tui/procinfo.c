// SPDX-License-Identifier: GPL-2.0
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "procinfo.h"
#include "bpf/events.h"
#include "views/text.h"

/* Up to n - 1 bytes of /proc/PID/NAME; their count, or -1. */
static ssize_t slurp(uint32_t pid, const char *name, char *buf, size_t n)
{
	char path[64];
	FILE *f;
	size_t got;

	snprintf(path, sizeof(path), "/proc/%u/%s", pid, name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	got = fread(buf, 1, n - 1, f);
	fclose(f);
	buf[got] = 0;
	return (ssize_t)got;
}

static void user_of(uint32_t pid, char *out, size_t n)
{
	char status[4096], pwbuf[1024];
	struct passwd pw, *found = NULL;
	const char *uid = NULL;
	unsigned long id;

	snprintf(out, n, "-");
	if (slurp(pid, "status", status, sizeof(status)) < 0)
		return;
	uid = strstr(status, "\nUid:");
	if (!uid || sscanf(uid + 5, "%lu", &id) != 1)
		return;
	if (!getpwuid_r((uid_t)id, &pw, pwbuf, sizeof(pwbuf), &found) && found)
		text_sanitize_into(out, n, found->pw_name);
	else
		snprintf(out, n, "%lu", id);
}

/* "0::/path" (the unified hierarchy) if there is one, else the first line's path. */
static void cgroup_of(uint32_t pid, char *out, size_t n)
{
	char text[4096], *line, *save = NULL, *first = NULL;

	snprintf(out, n, "-");
	if (slurp(pid, "cgroup", text, sizeof(text)) < 0)
		return;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *path = strchr(line, ':');

		path = path ? strchr(path + 1, ':') : NULL;
		if (!path)
			continue;
		if (!first)
			first = path + 1;
		if (!strncmp(line, "0::", 3)) {
			first = path + 1;
			break;
		}
	}
	if (first)
		text_sanitize_into(out, n, first);
}

void proc_info_read(uint32_t pid, const char *comm, struct proc_info *pi)
{
	char now[TS_COMM_LEN + 2], raw[2048];
	ssize_t len;

	memset(pi, 0, sizeof(*pi));
	if (!pid || slurp(pid, "comm", now, sizeof(now)) <= 0)
		return;
	now[strcspn(now, "\n")] = 0;
	/* a pid that runs another command now is another process */
	if (strncmp(now, comm, TS_COMM_LEN - 1))
		return;
	pi->alive = true;
	len = slurp(pid, "cmdline", raw, sizeof(raw));
	for (ssize_t i = 0; i < len; i++)
		if (!raw[i])
			raw[i] = ' ';
	while (len > 0 && raw[len - 1] == ' ')
		raw[--len] = 0;
	text_sanitize_into(pi->cmdline, sizeof(pi->cmdline), len > 0 ? raw : "-");
	user_of(pid, pi->user, sizeof(pi->user));
	cgroup_of(pid, pi->cgroup, sizeof(pi->cgroup));
}
