// SPDX-License-Identifier: GPL-2.0
/* The filter language (views/filter.h) and the -L/-D port lists. */
#include <errno.h>
#include <stdbool.h>
#include "../tap.h"
#include "records.h"
#include "views/evkind.h"
#include "views/filter.h"
#include "views/format.h"

/* A row as the panes describe it: 10.0.0.1:40000 -> 10.0.0.2:80, curl (42), ESTABLISHED. */
struct row {
	struct ts_conn conn;
	struct ts_owner own;
	struct row_fields rf;
};

static void row_init(struct row *r, struct ts_conn c, struct ts_owner o)
{
	r->conn = c;
	r->own = o;
	row_fields_conn(&r->rf, &r->conn, &r->own);
	r->rf.state = TS_ESTABLISHED;
	r->rf.state2 = 0;
}

static struct row web;

static void setup(void)
{
	row_init(&web, conn4("10.0.0.1", 40000, "10.0.0.2", 80), owner(42, "curl"));
}

/* Whether expr parses and matches rf; a parse error fails the case. */
static bool matches_at(const char *expr, const struct row_fields *rf, int line)
{
	struct filter f;
	char err[256] = "";

	if (filter_parse(expr, &f, err, sizeof(err))) {
		printf("#   line %d: filter '%s' did not parse: %s\n", line, expr, err);
		tap_case_failed = 1;
		return false;
	}
	return filter_match(&f, rf);
}
#define MATCH(expr, rf)	   CHECK(matches_at((expr), (rf), __LINE__))
#define NO_MATCH(expr, rf) CHECK(!matches_at((expr), (rf), __LINE__))

/* The filter must be refused, with a one-line message containing want. */
static void refused_at(const char *expr, const char *want, int line)
{
	struct filter f;
	char err[256] = "";
	int rc = filter_parse(expr, &f, err, sizeof(err));

	if (rc != -EINVAL || !err[0] || strchr(err, '\n') || !strstr(err, want)) {
		printf("#   line %d: filter '%s': rc %d, err \"%s\" (want -EINVAL and \"%s\")\n",
		       line, expr, rc, err, want);
		tap_case_failed = 1;
	}
}
#define REFUSED(expr, want) refused_at((expr), (want), __LINE__)

TEST(empty_filter_matches_everything)
{
	struct filter f;
	struct row_fields bare = {0};
	char err[64];

	CHECK(filter_parse("", &f, err, sizeof(err)) == 0);
	CHECK(f.n == 0);
	CHECK(filter_match(&f, &web.rf));
	CHECK(filter_match(&f, &bare));
	CHECK(filter_parse("  \t ", &f, err, sizeof(err)) == 0);
	CHECK(f.n == 0);
	CHECK(filter_match(&f, &bare));
}

TEST(port_matches_either_end)
{
	MATCH("port 80", &web.rf);
	MATCH("port 40000", &web.rf);
	NO_MATCH("port 81", &web.rf);
	NO_MATCH("port 8080", &web.rf);
	MATCH("port 443,80", &web.rf);
	NO_MATCH("port 443,22", &web.rf);
}

TEST(port_ranges_include_both_bounds)
{
	struct row r;

	row_init(&r, conn4("10.0.0.1", 50000, "10.0.0.2", 8000), owner(1, "x"));
	MATCH("port 8000-8100", &r.rf);
	MATCH("port 7000-8000", &r.rf);
	NO_MATCH("port 8001-8100", &r.rf);
	NO_MATCH("port 7000-7999", &r.rf);
	MATCH("port 8000-8000", &r.rf);
	MATCH("port 1-2,8000-8100", &r.rf);
	MATCH("8000-8100", &r.rf);
	NO_MATCH("8001-8100", &r.rf);
}

TEST(lport_and_rport_look_at_one_end)
{
	MATCH("lport 40000", &web.rf);
	NO_MATCH("lport 80", &web.rf);
	MATCH("rport 80", &web.rf);
	NO_MATCH("rport 40000", &web.rf);
	MATCH("rport 79-81", &web.rf);
	MATCH("lport 1,40000", &web.rf);
}

TEST(rows_without_ports_fail_port_terms)
{
	struct row r = web;

	r.rf.has_ports = false;
	NO_MATCH("port 80", &r.rf);
	NO_MATCH("lport 40000", &r.rf);
	NO_MATCH("rport 80", &r.rf);
	MATCH("!port 80", &r.rf);
	MATCH("comm curl", &r.rf);
}

TEST(pid_matches_any_listed)
{
	struct row unknown;

	MATCH("pid 42", &web.rf);
	NO_MATCH("pid 43", &web.rf);
	MATCH("pid 1,2,42", &web.rf);
	MATCH("pid 4294967295,42", &web.rf);
	row_init(&unknown, web.conn, nobody());
	NO_MATCH("pid 42", &unknown.rf);
	MATCH("!pid 42", &unknown.rf);
}

TEST(comm_is_a_case_insensitive_substring)
{
	struct row r, unknown;

	MATCH("comm curl", &web.rf);
	MATCH("comm CUR", &web.rf);
	MATCH("comm rL", &web.rf);
	NO_MATCH("comm curly", &web.rf);
	NO_MATCH("comm wget", &web.rf);
	/* a comm of all 16 bytes has no terminator in the record */
	row_init(&r, web.conn, owner(7, "abcdefghijklmnop"));
	CHECK(r.own.comm[15] == 'p');
	MATCH("comm MNOP", &r.rf);
	MATCH("comm abcdefghijklmnop", &r.rf);
	NO_MATCH("comm nopq", &r.rf);
	NO_MATCH("comm abcdefghijklmnopq", &r.rf);
	/* no owner: no comm to match */
	row_init(&unknown, web.conn, nobody());
	NO_MATCH("comm unknown", &unknown.rf);
	NO_MATCH("comm u", &unknown.rf);
	MATCH("!comm curl", &unknown.rf);
}

TEST(addr_v4_with_prefixes)
{
	struct row r;

	MATCH("addr 10.0.0.2", &web.rf);
	MATCH("addr 10.0.0.1", &web.rf);
	NO_MATCH("addr 10.0.0.3", &web.rf);
	MATCH("addr 10.0.0.0/24", &web.rf);
	NO_MATCH("addr 10.0.1.0/24", &web.rf);
	MATCH("addr 10.0.0.0/8", &web.rf);
	MATCH("addr 0.0.0.0/0", &web.rf);
	MATCH("addr 9.9.9.9,10.0.0.2/32", &web.rf);
	NO_MATCH("addr 10.0.0.3/32", &web.rf);

	/* only the remote end, 10.0.0.5, can match below */
	row_init(&r, conn4("192.168.1.1", 1, "10.0.0.5", 2), owner(1, "x"));
	MATCH("addr 10.0.0.4/30", &r.rf);    /* .4 - .7 */
	MATCH("addr 10.0.0.7/30", &r.rf);    /* host bits beyond the prefix do not count */
	NO_MATCH("addr 10.0.0.0/30", &r.rf); /* .0 - .3 */
	NO_MATCH("addr 10.0.0.8/29", &r.rf); /* .8 - .15 */
	MATCH("addr 10.0.0.0/29", &r.rf);    /* .0 - .7 */
	MATCH("addr 11.0.0.0/7", &r.rf);     /* 10.x and 11.x */
	NO_MATCH("addr 12.0.0.0/7", &r.rf);  /* 12.x and 13.x */
	MATCH("addr 10.0.0.5/31", &r.rf);
	NO_MATCH("addr 10.0.0.6/31", &r.rf);
	MATCH("addr 192.168.0.0/23", &r.rf); /* the local end: 192.168.0.x - 1.x */
	NO_MATCH("addr 192.168.2.0/23", &r.rf);
}

TEST(addr_v6_with_prefixes)
{
	struct row r;

	row_init(&r, conn6("2001:db8::1", 443, "fe80::1234", 5000), owner(9, "sshd"));
	MATCH("addr 2001:db8::1", &r.rf);
	MATCH("addr fe80::1234", &r.rf);
	NO_MATCH("addr 2001:db8::2", &r.rf);
	MATCH("addr 2001:db8::/32", &r.rf);
	NO_MATCH("addr 2001:db9::/32", &r.rf);
	/* /29: 2001:0db8 and 2001:0dbf share the first 29 bits, 2001:0dc0 does not */
	MATCH("addr 2001:dbf::/29", &r.rf);
	NO_MATCH("addr 2001:dc0::/29", &r.rf);
	MATCH("addr fe80::/10", &r.rf);
	NO_MATCH("addr fec0::/10", &r.rf);
	MATCH("addr ::/0", &r.rf);
	MATCH("addr fe80::1230/124", &r.rf);
	NO_MATCH("addr fe80::1240/124", &r.rf);
	/* families never mix */
	NO_MATCH("addr 0.0.0.0/0", &r.rf);
	NO_MATCH("addr ::/0", &web.rf);
	NO_MATCH("addr ::ffff:10.0.0.2", &web.rf);
}

TEST(addr_fails_rows_without_addresses)
{
	struct row_fields bare = {0};

	NO_MATCH("addr 0.0.0.0/0", &bare);
	NO_MATCH("ip 4", &bare);
	MATCH("!addr 10.0.0.0/8", &bare);
}

TEST(state_matches_either_side_of_a_transition)
{
	struct row r = web;

	r.rf.state = TS_ESTABLISHED; /* new state */
	r.rf.state2 = TS_SYN_SENT;   /* old state */
	MATCH("state ESTABLISHED", &r.rf);
	MATCH("state established", &r.rf);
	MATCH("state TCP_ESTABLISHED", &r.rf);
	MATCH("state SYN_SENT", &r.rf);
	MATCH("state close,syn_sent", &r.rf);
	NO_MATCH("state CLOSE", &r.rf);
	NO_MATCH("state LISTEN,TIME_WAIT", &r.rf);
	/* a session row has one state */
	NO_MATCH("state SYN_SENT", &web.rf);
	MATCH("!state SYN_SENT", &web.rf);
}

TEST(laddr_and_raddr_look_at_one_end)
{
	MATCH("laddr 10.0.0.1", &web.rf);
	NO_MATCH("laddr 10.0.0.2", &web.rf);
	MATCH("raddr 10.0.0.0/24", &web.rf);
	NO_MATCH("raddr 10.0.0.1/32", &web.rf);
	MATCH("!raddr 10.0.1.0/24 laddr=10.0.0.1", &web.rf);
	REFUSED("raddr 10.0.0.300", "raddr: '10.0.0.300' is not an IP address");
}

/* type NAME: an event's kind, or its class; rows that are not events have none. */
TEST(type_matches_an_events_kind_or_class)
{
	struct row_fields rst = web.rf, loss = web.rf;

	rst.kinds = 1u << EK_RST_SENT;
	loss.kinds = 1u << EK_LOSS;
	MATCH("type reset", &rst);
	MATCH("type RST>", &rst);
	MATCH("type rst", &rst);
	NO_MATCH("type rst<", &rst);
	MATCH("type cong", &loss);
	MATCH("type loss,drop", &loss);
	NO_MATCH("type recovery", &loss);
	MATCH("!type drop", &loss);
	NO_MATCH("type reset", &web.rf);
	MATCH("!type reset", &web.rf);
	REFUSED("type foo", "type: 'foo' is not an event type (retrans, drop, reset");
	REFUSED("type", "type: needs a value");
}

TEST(ip_version)
{
	struct row r;

	MATCH("ip 4", &web.rf);
	NO_MATCH("ip 6", &web.rf);
	MATCH("ip 6,4", &web.rf);
	row_init(&r, conn6("::1", 1, "::1", 2), owner(1, "x"));
	MATCH("ip 6", &r.rf);
	NO_MATCH("ip 4", &r.rf);
}

TEST(bare_number_is_a_port_and_bare_text_a_comm)
{
	struct filter f;
	char err[64];

	MATCH("80", &web.rf);
	NO_MATCH("81", &web.rf);
	MATCH("443,80", &web.rf);
	MATCH("curl", &web.rf);
	MATCH("CUR", &web.rf);
	NO_MATCH("nginx", &web.rf);
	CHECK(filter_parse("80", &f, err, sizeof(err)) == 0);
	CHECK(f.n == 1 && f.terms[0].kind == FK_PORT);
	CHECK(filter_parse("8000-8100", &f, err, sizeof(err)) == 0);
	CHECK(f.n == 1 && f.terms[0].kind == FK_PORT);
	CHECK(f.terms[0].v.ports[0].lo == 8000 && f.terms[0].v.ports[0].hi == 8100);
	/* text that starts with a digit but is not a port list is a name */
	CHECK(filter_parse("7zip", &f, err, sizeof(err)) == 0);
	CHECK(f.n == 1 && f.terms[0].kind == FK_COMM);
	CHECK_STR(f.terms[0].v.comm, "7zip");
}

TEST(negation_attached_or_detached)
{
	struct filter f;
	char err[64];

	NO_MATCH("!port 80", &web.rf);
	NO_MATCH("! port 80", &web.rf);
	NO_MATCH("!80", &web.rf);
	NO_MATCH("! 80", &web.rf);
	NO_MATCH("!curl", &web.rf);
	NO_MATCH("!port:80", &web.rf);
	MATCH("!port 81", &web.rf);
	MATCH("! comm wget", &web.rf);
	MATCH("!ip 6", &web.rf);
	/* a '!' negates the one term after it, not the rest */
	CHECK(filter_parse("!port 81 comm curl", &f, err, sizeof(err)) == 0);
	CHECK(f.n == 2 && f.terms[0].neg && !f.terms[1].neg);
	CHECK(filter_match(&f, &web.rf));
	NO_MATCH("!port 81 comm wget", &web.rf);
}

TEST(keyword_value_separators)
{
	MATCH("port:80", &web.rf);
	MATCH("port=80", &web.rf);
	MATCH("PORT:80", &web.rf);
	MATCH("Pid=42", &web.rf);
	MATCH("comm:CURL", &web.rf);
	MATCH("addr=10.0.0.0/8", &web.rf);
	MATCH("state:established", &web.rf);
	MATCH("ip=4", &web.rf);
	NO_MATCH("port:81", &web.rf);
	NO_MATCH("rport=40000", &web.rf);
}

TEST(every_term_must_match)
{
	MATCH("port 80 comm curl", &web.rf);
	MATCH("port 80\tcomm curl pid 42 ip 4 addr 10.0.0.0/8 state ESTABLISHED", &web.rf);
	NO_MATCH("port 80 comm wget", &web.rf);
	NO_MATCH("comm wget port 80", &web.rf);
	MATCH("port 80 !comm wget", &web.rf);
	NO_MATCH("port 80 pid 42 ip 6", &web.rf);
}

TEST(bad_input_is_refused_with_a_reason)
{
	REFUSED("port 70000", "70000");
	REFUSED("port 65536", "port");
	REFUSED("lport 99999", "lport");
	REFUSED("port 80-70", "80-70");
	REFUSED("port 80-", "port");
	REFUSED("port -80", "port");
	REFUSED("port http", "http");
	REFUSED("port 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17", "at most 16 values");
	REFUSED("70000", "70000");
	REFUSED("addr junk", "junk");
	REFUSED("addr 10.0.0.256", "addr");
	REFUSED("addr 10.0.0.0/33", "addr");
	REFUSED("addr ::/129", "addr");
	REFUSED("addr 10.0.0.0/", "addr");
	REFUSED("addr 10.0.0.0/x", "addr");
	REFUSED("state junk", "junk");
	REFUSED("state ESTABLISHE", "state");
	REFUSED("pid abc", "abc");
	REFUSED("pid -1", "pid");
	REFUSED("pid 4294967296", "pid");
	REFUSED("ip 5", "ip");
	REFUSED("ip 46", "ip");
	REFUSED("port", "port: needs a value");
	REFUSED("port:", "port: needs a value");
	REFUSED("port=", "port: needs a value");
	REFUSED("port ,", "port: needs a value");
	REFUSED("comm 80 pid", "pid: needs a value");
	REFUSED("addr", "addr: needs a value");
	REFUSED("!", "'!'");
	REFUSED("! ", "'!'");
	REFUSED("port 80 !", "'!'");
	REFUSED("1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17", "at most 16 terms");
	REFUSED("comm 0123456789012345678901234567890123456789012345678901234567890123456789",
		"too long");
}

TEST(limits_are_inclusive)
{
	struct filter f;
	char err[128];

	CHECK(filter_parse("1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16", &f, err, sizeof(err)) == 0);
	CHECK(f.n == 16);
	CHECK(filter_parse("port 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16", &f, err, sizeof(err)) ==
	      0);
	CHECK(f.n == 1 && f.terms[0].n == 16);
	CHECK(filter_parse("port 0,65535", &f, err, sizeof(err)) == 0);
	CHECK(filter_parse("pid 4294967295", &f, err, sizeof(err)) == 0);
	CHECK(filter_parse("addr 10.0.0.0/32 addr ::/128 addr ::/0", &f, err, sizeof(err)) == 0);
}

TEST(filter_text_is_kept_for_the_header)
{
	struct filter f;
	char err[64], longer[600];

	CHECK(filter_parse("port 80  !comm x", &f, err, sizeof(err)) == 0);
	CHECK_STR(f.text, "port 80  !comm x");
	/* a long filter parses; its text is cut to fit and stays terminated */
	longer[0] = 0;
	for (int i = 0; i < 15; i++)
		strcat(longer, "comm abcdefghijklmnopqrstuvwxyz0123 ");
	CHECK(strlen(longer) > sizeof(f.text));
	CHECK(filter_parse(longer, &f, err, sizeof(err)) == 0);
	CHECK(f.n == 15);
	CHECK_EQ_U64(strlen(f.text), sizeof(f.text) - 1);
	CHECK(!strncmp(f.text, longer, sizeof(f.text) - 1));
}

TEST(error_messages_fit_small_buffers)
{
	struct filter f;
	char err[12];

	memset(err, 'x', sizeof(err));
	CHECK(filter_parse("addr this-is-not-an-address-at-all", &f, err, 8) == -EINVAL);
	CHECK(strlen(err) == 7);
	CHECK(err[8] == 'x');
}

TEST(uses_ports)
{
	struct filter f;
	char err[64];

	CHECK(filter_parse("port 80", &f, err, sizeof(err)) == 0 && filter_uses_ports(&f));
	CHECK(filter_parse("pid 1 lport 5", &f, err, sizeof(err)) == 0 && filter_uses_ports(&f));
	CHECK(filter_parse("rport 5", &f, err, sizeof(err)) == 0 && filter_uses_ports(&f));
	CHECK(filter_parse("!443", &f, err, sizeof(err)) == 0 && filter_uses_ports(&f));
	CHECK(filter_parse("pid 1 comm x addr 1.2.3.4 state LISTEN ip 4", &f, err, sizeof(err)) ==
		  0 &&
	      !filter_uses_ports(&f));
	CHECK(filter_parse("", &f, err, sizeof(err)) == 0 && !filter_uses_ports(&f));
}

static int bits_set(const uint8_t *bits)
{
	int n = 0;

	for (int i = 0; i < 8192; i++)
		n += __builtin_popcount(bits[i]);
	return n;
}

static bool bit(const uint8_t *bits, unsigned p)
{
	return bits[p >> 3] & (1 << (p & 7));
}

TEST(port_lists_for_the_command_line)
{
	static uint8_t bits[8192];
	char err[128];

	memset(bits, 0, sizeof(bits));
	CHECK(parse_port_list("80,443", bits, err, sizeof(err)) == 0);
	CHECK(bit(bits, 80) && bit(bits, 443));
	CHECK(!bit(bits, 81) && !bit(bits, 79) && !bit(bits, 442));
	CHECK(bits_set(bits) == 2);
	/* a second list adds to the first */
	CHECK(parse_port_list("8000-8002,65535,0", bits, err, sizeof(err)) == 0);
	CHECK(bit(bits, 8000) && bit(bits, 8001) && bit(bits, 8002) && !bit(bits, 8003));
	CHECK(bits[8191] == 0x80);
	CHECK(bit(bits, 0));
	CHECK(bits_set(bits) == 7);
	CHECK(parse_port_list("1-65535", bits, err, sizeof(err)) == 0);
	CHECK(bits_set(bits) == 65536);
}

TEST(bad_port_lists_are_refused)
{
	static const char *const bad[] = {"",	"70000", "80,abc", "80;443", "80 443", "-5",
					  "1-", "9-1",	 ",",	   "http",   "65536"};
	static uint8_t bits[8192];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char err[128] = "";

		memset(bits, 0, sizeof(bits));
		if (parse_port_list(bad[i], bits, err, sizeof(err)) != -EINVAL || !err[0] ||
		    strchr(err, '\n')) {
			printf("#   port list '%s' accepted or no message (\"%s\")\n", bad[i], err);
			tap_case_failed = 1;
		}
	}
	{
		char err[128] = "";

		parse_port_list("", bits, err, sizeof(err));
		CHECK(strstr(err, "empty") != NULL);
		parse_port_list("70000", bits, err, sizeof(err));
		CHECK(strstr(err, "70000") != NULL);
	}
}

int main(void)
{
	setup();
	RUN(empty_filter_matches_everything);
	RUN(port_matches_either_end);
	RUN(port_ranges_include_both_bounds);
	RUN(lport_and_rport_look_at_one_end);
	RUN(rows_without_ports_fail_port_terms);
	RUN(pid_matches_any_listed);
	RUN(comm_is_a_case_insensitive_substring);
	RUN(addr_v4_with_prefixes);
	RUN(addr_v6_with_prefixes);
	RUN(addr_fails_rows_without_addresses);
	RUN(state_matches_either_side_of_a_transition);
	RUN(laddr_and_raddr_look_at_one_end);
	RUN(type_matches_an_events_kind_or_class);
	RUN(ip_version);
	RUN(bare_number_is_a_port_and_bare_text_a_comm);
	RUN(negation_attached_or_detached);
	RUN(keyword_value_separators);
	RUN(every_term_must_match);
	RUN(bad_input_is_refused_with_a_reason);
	RUN(limits_are_inclusive);
	RUN(filter_text_is_kept_for_the_header);
	RUN(error_messages_fit_small_buffers);
	RUN(uses_ports);
	RUN(port_lists_for_the_command_line);
	RUN(bad_port_lists_are_refused);
	TAP_DONE();
}
