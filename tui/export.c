// SPDX-License-Identifier: GPL-2.0
/*
 * The CSV snapshot: every row of the focused pane that passes the filter, in
 * the current sort order, not only those on screen; the pane's CSV columns
 * (exact byte counts included), one header row, RFC 4180.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "ui.h"
#include "views/csv.h"
#include "views/safefile.h"

int ui_export(struct ui *ui, char *path, size_t pathlen, char *err, size_t errlen)
{
	struct screen_pane *v = &ui->panes[ui->focus];
	struct fmt_ctx f = ui_fmt(ui);
	const char *dir = ui->export_dir ? ui->export_dir : ".";
	bool show[PANE_MAX_COLS] = {0};
	struct safefile *sf;
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	FILE *out;

	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	snprintf(path, pathlen, "%s/tcpscope-%s-%s.csv", dir, v->p->name, stamp);
	f.flags |= FMT_CSV;
	for (int i = 0; i < v->p->ncols; i++)
		show[i] = (v->p->cols[i].flags & (COL_CSV | COL_CLOCK)) &&
			  !(v->p->cols[i].flags & COL_REL);
	sf = safefile_create(path, ui->force, err, errlen);
	if (!sf)
		return -EIO;
	out = safefile_stream(sf);
	csv_pane_line(out, v->p, show, &f, NULL);
	for (size_t i = 0; i < v->rows.n; i++)
		csv_pane_line(out, v->p, show, &f, v->rows.rows[i]);
	return safefile_commit(sf, err, errlen);
}
