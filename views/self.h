/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Your own session: run over SSH, the connection that carries this screen is
 * TCP traffic too. SSH_CONNECTION names it ("client port server port"); its
 * rows are marked on the screen, and --exclude-self leaves it out entirely.
 */
#ifndef TCPSCOPE_SELF_H
#define TCPSCOPE_SELF_H

#include <stdbool.h>
#include <stdint.h>
#include "model.h"

struct self_conn {
	bool known;
	struct ts_conn conn; /* as this host sees it: local is the server's end */
};

/* What marks this screen's own rows: the connection, and its open session (found once a frame). */
struct self_mark {
	const struct self_conn *conn;
	const struct session *session; /* NULL: not open, or not over SSH */
};

/* Parse SSH_CONNECTION's value (NULL: not over SSH); netns: this process's namespace. */
bool self_parse(const char *ssh_connection, uint32_t netns, struct self_conn *self);
/* The connection is the one carrying this screen. */
bool self_is(const struct self_conn *self, const struct ts_conn *c);
/* The open session that is yours, or NULL. */
const struct session *self_session(const struct model *m, const struct self_conn *self);
/* Whether a throughput row (in grouping g) carries your session's bytes. */
bool self_in_tput(const struct tput_row *r, const struct session *mine);

#endif
