// SPDX-License-Identifier: GPL-2.0
/*
 * Services (views/service.c): cgroup paths named as people know them, the
 * table that names ids, and what sessions, Throughput and the Lifespans
 * summary make of them; hostile paths reach no terminal raw.
 */
#include "../tap.h"
#include "records.h"
#include "views/cells.h"
#include "views/lifegroups.h"
#include "views/service.h"
#include "views/throughput.h"

#define SEC  1000000000ULL
#define HEX  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define UID  "1f2e3d4c-5b6a-4798-8877-665544332211"
#define UID_ "1f2e3d4c_5b6a_4798_8877_665544332211"

static const char *named(const char *path)
{
	static char out[SERVICE_NAME];

	service_name_of(path, out, sizeof(out));
	return out;
}

TEST(paths_are_named_as_people_know_them)
{
	CHECK_STR(named("/system.slice/nginx.service"), "nginx.service");
	CHECK_STR(named("/user.slice/user-1000.slice/session-3.scope"), "session-3.scope");
	CHECK_STR(named("/user.slice/user-1000.slice/user@1000.service/app.slice/foo.service"),
		  "foo.service");
	/* a delegated subtree is its unit's */
	CHECK_STR(named("/system.slice/foo.service/payload"), "foo.service");
	CHECK_STR(named("/system.slice/docker-" HEX ".scope"), "docker:0123456789ab");
	CHECK_STR(named("/docker/" HEX), "docker:0123456789ab");
	CHECK_STR(named("/system.slice/crio-" HEX ".scope"), "crio:0123456789ab");
	CHECK_STR(named("/machine.slice/libpod-" HEX ".scope"), "podman:0123456789ab");
	CHECK_STR(named("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_
			".slice/cri-containerd-" HEX ".scope"),
		  "containerd:0123456789ab pod:" UID);
	CHECK_STR(named("/kubepods/besteffort/pod" UID "/" HEX), "container:0123456789ab pod:" UID);
	CHECK_STR(named("/kubepods/besteffort/pod" UID), "pod:" UID);
	CHECK_STR(named("/"), "/");
	CHECK_STR(named("/tcpscope-test.1234"), "/tcpscope-test.1234");
	/* a name that only looks like an id */
	CHECK_STR(named("/docker/0123"), "/docker/0123");
}

TEST(ids_are_named_when_their_path_comes)
{
	struct services s;
	const struct service *a, *b;

	CHECK(!services_init(&s, 2));
	CHECK(services_get(&s, 0) == NULL);
	a = services_get(&s, 7);
	CHECK_STR(a->name, "cgroup:7");
	services_name(&s, 7, "/system.slice/sshd.service");
	CHECK_STR(a->name, "sshd.service"); /* the same entry: rows holding it see the name */
	services_name(&s, 8, "");
	CHECK_STR(services_get(&s, 8)->name, "cgroup:8"); /* gone before it was read */
	b = services_get(&s, 9);
	CHECK_STR(b->name, "other");
	CHECK_EQ_U64(s.not_kept, 1);
	services_free(&s);
}

TEST(hostile_paths_are_shown_escaped)
{
	struct model m;
	struct model_config c = small_config(8);
	struct ts_ev_cgroup cg = rec_cgroup(5, "/evil\033]0;pwned\007\n.slice/x");
	struct ts_ev_close e = rec_close(1, 2 * SEC, SEC, conn4("127.0.0.1", 4000, "127.0.0.2", 80),
					 owner(3, "curl"), 10, 20);
	const struct session *s;
	struct column col = COL_SERVICE(struct session, svc, COL_ALL);
	struct fmt_ctx f = {.m = &m};
	char cell[256];

	CHECK(!model_init(&m, &c));
	e.cgroup_id = 5;
	APPLY(&m, cg);
	APPLY(&m, e);
	s = retain_at(&m.closed, 0);
	CHECK(s && s->svc && s->svc->id == 5);
	if (s) {
		col.format(&f, &col, s, cell, sizeof(cell));
		CHECK(!strchr(cell, '\033') && !strchr(cell, '\007') && !strchr(cell, '\n'));
	}
	model_free(&m);
}

TEST(throughput_and_the_summary_group_by_service)
{
	struct model m;
	struct model_config c = small_config(64);
	struct ts_ev_cgroup web = rec_cgroup(10, "/system.slice/web.service"),
			    db = rec_cgroup(11, "/system.slice/db.service");
	struct tput_key k;
	struct life_rows lr = {0};
	uint64_t web_tx = 0, sessions = 0;
	size_t pos = 0;
	const struct tput_row *t;
	const struct life_row *l;

	CHECK(!model_init(&m, &c));
	APPLY(&m, web);
	APPLY(&m, db);
	for (int i = 0; i < 6; i++) {
		struct ts_ev_close e = rec_close((uint64_t)i + 1, 2 * SEC, SEC,
						 conn4("10.0.0.1", 4000 + i, "10.0.0.2", 80),
						 owner(100 + (uint32_t)(i % 3), "w"), 100, 0);

		e.cgroup_id = i % 2 ? 10 : 11;
		APPLY(&m, e);
	}
	while ((t = table_next(&m.groups[G_SERVICE], &pos)))
		if (t->key.svc && !strcmp(t->key.svc->name, "web.service"))
			web_tx += t->tot_tx;
	CHECK_EQ_U64(web_tx, 300);
	CHECK_EQ_U64(table_count(&m.groups[G_SERVICE]), 2);
	memset(&k, 0, sizeof(k));
	CHECK(!life_rows_build(&lr, &m, LG_SERVICE));
	pos = 0;
	while ((l = table_next(&lr.rows, &pos))) {
		CHECK(l->key.svc != NULL && !l->key.pid && !l->key.port);
		sessions += l->sessions;
	}
	CHECK_EQ_U64(table_count(&lr.rows), 2);
	CHECK_EQ_U64(sessions, 6);
	life_rows_free(&lr);
	model_free(&m);
}

int main(void)
{
	RUN(paths_are_named_as_people_know_them);
	RUN(ids_are_named_when_their_path_comes);
	RUN(hostile_paths_are_shown_escaped);
	RUN(throughput_and_the_summary_group_by_service);
	TAP_DONE();
}
