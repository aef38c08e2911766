// SPDX-License-Identifier: GPL-2.0
/* Your own session (views/self.c): SSH_CONNECTION parsed, and which rows it names. */
#include <arpa/inet.h>
#include <string.h>
#include "../tap.h"
#include "views/self.h"
#include "views/throughput.h"

static struct ts_conn conn(int fam, const char *l, uint16_t lp, const char *r, uint16_t rp)
{
	struct ts_conn c = {.family = (uint8_t)fam, .lport = lp, .rport = rp, .netns = 7};

	inet_pton(fam == 4 ? AF_INET : AF_INET6, l, c.laddr);
	inet_pton(fam == 4 ? AF_INET : AF_INET6, r, c.raddr);
	return c;
}

TEST(ssh_connection_names_the_server_end_as_local)
{
	struct self_conn s;
	struct ts_conn mine = conn(4, "10.0.0.1", 22, "192.168.5.9", 51234);

	CHECK(self_parse("192.168.5.9 51234 10.0.0.1 22", 7, &s));
	CHECK(s.known);
	CHECK(self_is(&s, &mine));
	mine.netns = 8; /* the same ends in another namespace are not this one */
	CHECK(!self_is(&s, &mine));
	mine = conn(4, "10.0.0.1", 22, "192.168.5.9", 51235);
	CHECK(!self_is(&s, &mine));
}

TEST(ipv6_and_ipv4_mapped)
{
	struct self_conn s;
	struct ts_conn v6 = conn(6, "fd00::1", 22, "fd00::2", 40000);
	struct ts_conn v4 = conn(4, "10.1.1.1", 2222, "10.1.1.2", 40001);

	CHECK(self_parse("fd00::2 40000 fd00::1 22", 7, &s) && self_is(&s, &v6));
	/* a dual-stack sshd says ::ffff:a.b.c.d; the kernel side shows IPv4 */
	CHECK(self_parse("::ffff:10.1.1.2 40001 ::ffff:10.1.1.1 2222", 7, &s) && self_is(&s, &v4));
}

TEST(not_over_ssh_or_malformed_names_nothing)
{
	struct self_conn s;
	struct ts_conn c = conn(4, "10.0.0.1", 22, "192.168.5.9", 51234);
	static const char *const bad[] = {
	    "",
	    "192.168.5.9 51234 10.0.0.1",
	    "192.168.5.9 51234 10.0.0.1 22 extra",
	    "192.168.5.9 0 10.0.0.1 22",
	    "192.168.5.9 70000 10.0.0.1 22",
	    "192.168.5.9 51234 fd00::1 22", /* two families */
	    "host 51234 10.0.0.1 22",
	    "192.168.5.9 51a 10.0.0.1 22",
	};

	CHECK(!self_parse(NULL, 7, &s) && !s.known && !self_is(&s, &c));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(!self_parse(bad[i], 7, &s));
		CHECK(!s.known);
	}
}

TEST(throughput_rows_that_carry_it)
{
	struct session mine = {.sid = 42, .conn = conn(4, "10.0.0.1", 22, "192.168.5.9", 51234)};
	struct tput_row r;

	mine.owner.pid = 1234;
	memset(&r, 0, sizeof(r));
	tput_key(G_SOCKET, &mine, &r.key);
	r.group = G_SOCKET;
	CHECK(self_in_tput(&r, &mine));
	r.key.sid = 43;
	CHECK(!self_in_tput(&r, &mine));
	for (int g = 0; g < G_SOCKET; g++) {
		tput_key((enum tput_group)g, &mine, &r.key);
		r.group = (uint8_t)g;
		CHECK(self_in_tput(&r, &mine));
		r.key.pid =
		    g == G_HOSTS ? 0 : 99; /* another process (hosts, subnet, service: any) */
		CHECK(self_in_tput(&r, &mine) == (g == G_HOSTS || g == G_SUBNET || g == G_SERVICE));
	}
	r.key.subnet = 2; /* another subnet */
	r.group = G_SUBNET;
	CHECK(!self_in_tput(&r, &mine));
	CHECK(!self_in_tput(&r, NULL));
}

int main(void)
{
	RUN(ssh_connection_names_the_server_end_as_local);
	RUN(ipv6_and_ipv4_mapped);
	RUN(not_over_ssh_or_malformed_names_nothing);
	RUN(throughput_rows_that_carry_it);
	TAP_DONE();
}
