// SPDX-License-Identifier: GPL-2.0
/*
 * The filter line: opened in place, applied as you type. A text that does
 * not parse shows its error on the line and the last good filter stays;
 * Enter keeps what is typed, Esc puts back the filter from before.
 */
#include <stdio.h>
#include <string.h>
#include "ui.h"

void ui_filter_begin(struct ui *ui)
{
	ui->editing = true;
	ui->before_edit = ui->filter;
	snprintf(ui->before_text, sizeof(ui->before_text), "%s", ui->filter_text);
	snprintf(ui->edit, sizeof(ui->edit), "%s", ui->filter_text);
	ui->edit_len = strlen(ui->edit);
	ui->edit_error[0] = 0;
}

/* Parse what is typed; apply it if it parses. */
static void live_apply(struct ui *ui)
{
	struct filter f;

	if (filter_parse(ui->edit, &f, ui->edit_error, sizeof(ui->edit_error)))
		return;
	ui->edit_error[0] = 0;
	ui->filter = f;
	snprintf(ui->filter_text, sizeof(ui->filter_text), "%s", f.text);
	ui_filter_changed(ui);
}

int ui_filter_key(struct ui *ui, int key)
{
	switch (key) {
	case K_ENTER:
		ui->editing = false;
		if (ui->edit_error[0]) {
			/* keep the last good filter, and say so */
			ui_set_status(ui, true, "filter not changed: %s", ui->edit_error);
			ui->edit_error[0] = 0;
		} else {
			ui_set_status(ui, false, "%s%s",
				      ui->filter.n ? "filter: " : "filter cleared",
				      ui->filter.n ? ui->filter_text : "");
		}
		return R_REBUILD;
	case K_ESC:
		ui->editing = false;
		ui->filter = ui->before_edit;
		snprintf(ui->filter_text, sizeof(ui->filter_text), "%s", ui->before_text);
		ui_filter_changed(ui);
		ui->edit_error[0] = 0;
		return R_REBUILD;
	case K_BACKSPACE:
		if (ui->edit_len) {
			/* drop a whole UTF-8 sequence */
			do {
				ui->edit_len--;
			} while (ui->edit_len && (ui->edit[ui->edit_len] & 0xc0) == 0x80);
			ui->edit[ui->edit_len] = 0;
		}
		break;
	case K_CTRL_A + ('u' - 'a'):
		ui->edit_len = 0;
		ui->edit[0] = 0;
		break;
	default:
		/* printable ASCII only: what the filter language uses */
		if (key < ' ' || key >= 0x7f || ui->edit_len + 1 >= sizeof(ui->edit))
			return R_NONE;
		ui->edit[ui->edit_len++] = (char)key;
		ui->edit[ui->edit_len] = 0;
	}
	live_apply(ui);
	return R_REBUILD;
}
