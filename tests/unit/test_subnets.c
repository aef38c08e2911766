// SPDX-License-Identifier: GPL-2.0
/*
 * Subnets (views/subnets.c): --subnets lists, good and bad, the first
 * subnet that holds an address, and Throughput by subnet: its sums are the
 * hosts' sums, addresses no subnet holds included ("other").
 */
#include <arpa/inet.h>
#include <errno.h>
#include "../tap.h"
#include "records.h"
#include "views/subnets.h"
#include "views/throughput.h"

#define SEC 1000000000ULL

static int match(const struct subnets *s, const char *addr)
{
	uint8_t a[16] = {0};

	if (inet_pton(AF_INET, addr, a) == 1)
		return subnets_match(s, 4, a);
	if (inet_pton(AF_INET6, addr, a) == 1)
		return subnets_match(s, 6, a);
	return -2;
}

TEST(lists_parse_and_say_what_is_wrong)
{
	struct subnets s;
	char err[128], many[2048] = "";

	CHECK(!subnets_parse(SUBNETS_DEFAULT, &s, err, sizeof(err)));
	CHECK_EQ_U64(s.n, 8);
	CHECK_STR(s.s[0].text, "127.0.0.1/32");
	CHECK(!subnets_parse("10.1.2.3/8,fd00::1/64,192.0.2.7", &s, err, sizeof(err)));
	CHECK_STR(s.s[0].text, "10.0.0.0/8"); /* the host bits are the network's */
	CHECK_STR(s.s[1].text, "fd00::/64");
	CHECK_STR(s.s[2].text, "192.0.2.7/32");
	CHECK(subnets_parse("", &s, err, sizeof(err)) == -EINVAL);
	CHECK(strstr(err, "empty"));
	CHECK(subnets_parse("10.0.0.0/8,", &s, err, sizeof(err)) == -EINVAL);
	CHECK(subnets_parse("10.0.0.0/33", &s, err, sizeof(err)) == -EINVAL);
	CHECK(strstr(err, "prefix"));
	CHECK(subnets_parse("::/129", &s, err, sizeof(err)) == -EINVAL);
	CHECK(subnets_parse("10.0.0/8", &s, err, sizeof(err)) == -EINVAL);
	CHECK(subnets_parse("10.0.0.0/8x", &s, err, sizeof(err)) == -EINVAL);
	CHECK(subnets_parse("10.0.0.0/-1", &s, err, sizeof(err)) == -EINVAL);
	CHECK(subnets_parse("10.0.0.0/", &s, err, sizeof(err)) == -EINVAL);
	CHECK(!strchr(err, '\n'));
	for (int i = 0; i <= SUBNETS_MAX; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many), "%s10.%d.0.0/16",
			 i ? "," : "", i);
	CHECK(subnets_parse(many, &s, err, sizeof(err)) == -EINVAL);
	CHECK(strstr(err, "at most"));
}

TEST(an_address_counts_in_the_first_subnet_that_holds_it)
{
	struct subnets s;
	char err[128];

	CHECK(!subnets_parse("10.1.0.0/16,10.0.0.0/8,fc00::/7,0.0.0.0/0", &s, err, sizeof(err)));
	CHECK(match(&s, "10.1.2.3") == 0);
	CHECK(match(&s, "10.2.0.1") == 1);
	CHECK(match(&s, "192.0.2.1") == 3);
	CHECK(match(&s, "fd00::5") == 2);
	CHECK(match(&s, "2001:db8::1") == -1);
	CHECK(!subnets_parse("172.16.0.0/12", &s, err, sizeof(err)));
	CHECK(match(&s, "172.31.255.255") == 0);
	CHECK(match(&s, "172.32.0.0") == -1);
}

TEST(subnet_sums_are_the_hosts_sums)
{
	static const char *const peers[] = {"127.0.0.1",   "10.9.8.7",	  "172.20.0.1",
					    "192.168.1.1", "203.0.113.5", "8.8.8.8"};
	struct model m;
	struct model_config c = small_config(64);
	struct subnets s;
	char err[128];
	uint64_t tx[2] = {0}, rx[2] = {0}, other = 0;
	const struct tput_row *r;
	size_t pos = 0;

	CHECK(!subnets_parse("10.0.0.0/8,192.168.0.0/16,127.0.0.0/8", &s, err, sizeof(err)));
	c.subnets = &s;
	CHECK(!model_init(&m, &c));
	for (int i = 0; i < 12; i++) {
		struct ts_ev_tput t =
		    rec_tput((uint64_t)i + 1, SEC, conn4("10.0.0.1", 5000 + i, peers[i % 6], 443),
			     owner(1, "app"), 1000 * (uint64_t)(i + 1), 7 * i);

		APPLY(&m, t);
	}
	struct ts_ev_tick t = rec_tick(2 * SEC);

	APPLY(&m, t);
	while ((r = table_next(&m.groups[G_HOSTS], &pos))) {
		tx[0] += r->tot_tx;
		rx[0] += r->tot_rx;
	}
	pos = 0;
	while ((r = table_next(&m.groups[G_SUBNET], &pos))) {
		tx[1] += r->tot_tx;
		rx[1] += r->tot_rx;
		if (!tput_subnet(&m, &r->key))
			other += r->tot_tx;
	}
	CHECK_EQ_U64(tx[0], tx[1]);
	CHECK_EQ_U64(rx[0], rx[1]);
	CHECK_EQ_U64(table_count(&m.groups[G_SUBNET]), 4); /* three subnets and "other" */
	/* 172.20.0.1, 203.0.113.5 and 8.8.8.8: peers 2, 4 and 5, twice each */
	CHECK_EQ_U64(other, 1000 * (3 + 5 + 6 + 9 + 11 + 12));
	model_free(&m);
}

int main(void)
{
	RUN(lists_parse_and_say_what_is_wrong);
	RUN(an_address_counts_in_the_first_subnet_that_holds_it);
	RUN(subnet_sums_are_the_hosts_sums);
	TAP_DONE();
}
