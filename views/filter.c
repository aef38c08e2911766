// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "evkind.h"
#include "filter.h"
#include "format.h"

static const struct {
	const char *word;
	enum filter_kind kind;
} keywords[] = {
    {"port", FK_PORT},	 {"lport", FK_LPORT}, {"rport", FK_RPORT}, {"pid", FK_PID},
    {"comm", FK_COMM},	 {"addr", FK_ADDR},   {"state", FK_STATE}, {"ip", FK_IP},
    {"laddr", FK_LADDR}, {"raddr", FK_RADDR}, {"type", FK_TYPE},   {"service", FK_SERVICE},
};

static int keyword(const char *w, size_t len)
{
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (strlen(keywords[i].word) == len && !strncasecmp(w, keywords[i].word, len))
			return (int)keywords[i].kind;
	return -1;
}

static const char *kind_word(enum filter_kind k)
{
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (keywords[i].kind == k)
			return keywords[i].word;
	return "?";
}

static bool parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return !errno && !*end && *out <= max;
}

static int parse_port_range(const char *s, uint16_t *lo, uint16_t *hi)
{
	char buf[32], *dash;
	unsigned long a, b;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	dash = strchr(buf, '-');
	if (dash)
		*dash = 0;
	if (!parse_uint(buf, 65535, &a))
		return -EINVAL;
	b = a;
	if (dash && !parse_uint(dash + 1, 65535, &b))
		return -EINVAL;
	if (b < a)
		return -EINVAL;
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return 0;
}

int parse_addr_prefix(const char *s, struct filter_addr *a)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash;
	unsigned long prefix;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash)
		*slash = 0;
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, buf, a->addr) == 1)
		a->family = 4;
	else if (inet_pton(AF_INET6, buf, a->addr) == 1)
		a->family = 6;
	else
		return -EINVAL;
	prefix = a->family == 4 ? 32 : 128;
	if (slash && !parse_uint(slash + 1, prefix, &prefix))
		return -EINVAL;
	a->prefix = (uint8_t)prefix;
	return 0;
}

/* Split a comma list and parse each value into the term. */
static int parse_values(struct filter_term *t, const char *val, char *err, size_t errlen)
{
	char buf[256], *save = NULL, *tok;
	unsigned long pid;
	int64_t kinds;
	int st;

	if (t->kind == FK_COMM || t->kind == FK_SERVICE) {
		if (strlen(val) >= sizeof(t->v.comm)) {
			snprintf(err, errlen, "%s: '%.20s...' is too long", kind_word(t->kind),
				 val);
			return -EINVAL;
		}
		strcpy(t->v.comm, val);
		t->n = 1;
		return 0;
	}
	if (strlen(val) >= sizeof(buf)) {
		snprintf(err, errlen, "%s: value too long", kind_word(t->kind));
		return -EINVAL;
	}
	strcpy(buf, val);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (t->n == FILTER_MAX_VALUES) {
			snprintf(err, errlen, "%s: at most %d values", kind_word(t->kind),
				 FILTER_MAX_VALUES);
			return -EINVAL;
		}
		switch (t->kind) {
		case FK_PORT:
		case FK_LPORT:
		case FK_RPORT:
			if (parse_port_range(tok, &t->v.ports[t->n].lo, &t->v.ports[t->n].hi)) {
				snprintf(err, errlen,
					 "%s: '%.40s' is not a port (0-65535) or range",
					 kind_word(t->kind), tok);
				return -EINVAL;
			}
			break;
		case FK_PID:
			if (!parse_uint(tok, 0xffffffffUL, &pid)) {
				snprintf(err, errlen, "pid: '%.40s' is not a process id", tok);
				return -EINVAL;
			}
			t->v.pids[t->n] = (uint32_t)pid;
			break;
		case FK_ADDR:
		case FK_LADDR:
		case FK_RADDR:
			if (parse_addr_prefix(tok, &t->v.addrs[t->n])) {
				snprintf(err, errlen, "%s: '%.50s' is not an IP address[/prefix]",
					 kind_word(t->kind), tok);
				return -EINVAL;
			}
			break;
		case FK_STATE:
			st = state_parse(tok);
			if (st < 0) {
				snprintf(err, errlen,
					 "state: '%.40s' is not a TCP state (e.g. ESTABLISHED)",
					 tok);
				return -EINVAL;
			}
			t->v.states[t->n] = (uint8_t)st;
			break;
		case FK_IP:
			if (strcmp(tok, "4") && strcmp(tok, "6")) {
				snprintf(err, errlen, "ip: '%.40s' is not 4 or 6", tok);
				return -EINVAL;
			}
			t->v.families[t->n] = (uint8_t)(tok[0] - '0');
			break;
		case FK_TYPE:
			kinds = ev_kinds_parse(tok);
			if (kinds < 0) {
				snprintf(err, errlen, "type: '%.20s' is not an event type (%s)",
					 tok, ev_kind_classes());
				return -EINVAL;
			}
			t->v.kinds |= (uint32_t)kinds;
			break;
		case FK_COMM:
		case FK_SERVICE:
			break;
		}
		t->n++;
	}
	if (!t->n) {
		snprintf(err, errlen, "%s: needs a value", kind_word(t->kind));
		return -EINVAL;
	}
	return 0;
}

int filter_parse(const char *expr, struct filter *f, char *err, size_t errlen)
{
	char buf[1024], *save = NULL, *tok;
	bool neg = false;
	int kind = -1;

	memset(f, 0, sizeof(*f));
	if (strlen(expr) >= sizeof(buf)) {
		snprintf(err, errlen, "filter too long");
		return -EINVAL;
	}
	/* the text is only shown: a long one is cut */
	memcpy(f->text, expr, strnlen(expr, sizeof(f->text) - 1));
	strcpy(buf, expr);
	for (tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		const char *val = NULL;
		struct filter_term *t;
		size_t klen;
		int k;

		while (*tok == '!' && kind < 0) {
			neg = !neg;
			tok++;
		}
		if (!*tok)
			continue;
		if (kind < 0) {
			klen = strcspn(tok, ":=");
			k = keyword(tok, klen);
			if (k >= 0 && tok[klen]) {
				val = tok + klen + 1; /* port:80, port=80 */
				kind = k;
			} else if (k >= 0 && !tok[klen]) {
				kind = k; /* the value is the next word */
				continue;
			} else {
				/* a bare number is a port, bare text a comm substring */
				kind = isdigit((unsigned char)tok[0]) &&
					       strspn(tok, "0123456789,-") == strlen(tok)
					   ? FK_PORT
					   : FK_COMM;
				val = tok;
			}
		} else {
			val = tok;
		}
		if (f->n == FILTER_MAX_TERMS) {
			snprintf(err, errlen, "at most %d terms", FILTER_MAX_TERMS);
			return -EINVAL;
		}
		t = &f->terms[f->n];
		memset(t, 0, sizeof(*t));
		t->kind = (enum filter_kind)kind;
		t->neg = neg;
		if (!*val) {
			snprintf(err, errlen, "%s: needs a value", kind_word(t->kind));
			return -EINVAL;
		}
		if (parse_values(t, val, err, errlen))
			return -EINVAL;
		f->n++;
		kind = -1;
		neg = false;
	}
	if (kind >= 0) {
		snprintf(err, errlen, "%s: needs a value", kind_word((enum filter_kind)kind));
		return -EINVAL;
	}
	if (neg) {
		snprintf(err, errlen, "'!' needs a term after it");
		return -EINVAL;
	}
	return 0;
}

static bool port_in(const struct filter_term *t, uint16_t p)
{
	for (int i = 0; i < t->n; i++)
		if (p >= t->v.ports[i].lo && p <= t->v.ports[i].hi)
			return true;
	return false;
}

static bool addr_in(const struct filter_addr *a, uint8_t family, const uint8_t *addr)
{
	int bits = a->prefix, bytes = bits / 8;

	if (a->family != family)
		return false;
	if (memcmp(a->addr, addr, bytes))
		return false;
	if (bits % 8) {
		uint8_t mask = (uint8_t)(0xff << (8 - bits % 8));

		return (a->addr[bytes] & mask) == (addr[bytes] & mask);
	}
	return true;
}

/* A case-insensitive substring of a NUL-terminated text (NULL: never). */
static bool text_has(const char *text, const char *needle)
{
	size_t nl = strlen(needle), tl;

	if (!text)
		return false;
	tl = strlen(text);
	for (size_t i = 0; i + nl <= tl; i++)
		if (!strncasecmp(text + i, needle, nl))
			return true;
	return false;
}

static bool comm_has(const char *comm, const char *needle)
{
	char c[TS_COMM_LEN + 1];

	if (!comm)
		return false;
	memcpy(c, comm, TS_COMM_LEN);
	c[TS_COMM_LEN] = 0;
	return text_has(c, needle);
}

static bool term_match(const struct filter_term *t, const struct row_fields *rf)
{
	const uint8_t *end;

	switch (t->kind) {
	case FK_PORT:
		return rf->has_ports && (port_in(t, rf->lport) || port_in(t, rf->rport));
	case FK_LPORT:
		return rf->has_ports && port_in(t, rf->lport);
	case FK_RPORT:
		return rf->has_ports && port_in(t, rf->rport);
	case FK_PID:
		for (int i = 0; i < t->n; i++)
			if (rf->pid && rf->pid == t->v.pids[i])
				return true;
		return false;
	case FK_COMM:
		return comm_has(rf->comm, t->v.comm);
	case FK_SERVICE:
		return text_has(rf->service, t->v.comm);
	case FK_ADDR:
		if (!rf->family)
			return false;
		for (int i = 0; i < t->n; i++)
			if (addr_in(&t->v.addrs[i], rf->family, rf->laddr) ||
			    addr_in(&t->v.addrs[i], rf->family, rf->raddr))
				return true;
		return false;
	case FK_LADDR:
	case FK_RADDR:
		end = t->kind == FK_LADDR ? rf->laddr : rf->raddr;
		if (!rf->family || !end)
			return false;
		for (int i = 0; i < t->n; i++)
			if (addr_in(&t->v.addrs[i], rf->family, end))
				return true;
		return false;
	case FK_TYPE:
		return rf->kinds & t->v.kinds;
	case FK_STATE:
		for (int i = 0; i < t->n; i++)
			if (rf->state == t->v.states[i] ||
			    (rf->state2 && rf->state2 == t->v.states[i]))
				return true;
		return false;
	case FK_IP:
		for (int i = 0; i < t->n; i++)
			if (rf->family == t->v.families[i])
				return true;
		return false;
	}
	return false;
}

bool filter_match(const struct filter *f, const struct row_fields *rf)
{
	for (int i = 0; i < f->n; i++)
		if (term_match(&f->terms[i], rf) == f->terms[i].neg)
			return false;
	return true;
}

int filter_and(struct filter *dst, const struct filter *a, const struct filter *b)
{
	struct filter out;

	if (a->n + b->n > FILTER_MAX_TERMS)
		return -E2BIG;
	memset(&out, 0, sizeof(out));
	memcpy(out.terms, a->terms, (size_t)a->n * sizeof(a->terms[0]));
	memcpy(out.terms + a->n, b->terms, (size_t)b->n * sizeof(b->terms[0]));
	out.n = a->n + b->n;
	memcpy(out.text, b->text, sizeof(out.text));
	*dst = out;
	return 0;
}

bool filter_uses(const struct filter *f, unsigned kinds)
{
	for (int i = 0; i < f->n; i++)
		if (kinds & (1u << f->terms[i].kind))
			return true;
	return false;
}

bool filter_uses_ports(const struct filter *f)
{
	return filter_uses(f, 1u << FK_PORT | 1u << FK_LPORT | 1u << FK_RPORT);
}

int parse_port_list(const char *s, uint8_t *bits, char *err, size_t errlen)
{
	struct filter_term t = {.kind = FK_PORT};

	if (!*s) {
		snprintf(err, errlen, "empty port list");
		return -EINVAL;
	}
	if (s[0] == ',' || s[strlen(s) - 1] == ',' || strstr(s, ",,")) {
		snprintf(err, errlen, "'%.40s' has an empty item", s);
		return -EINVAL;
	}
	if (strspn(s, "0123456789,-") != strlen(s)) {
		snprintf(err, errlen, "'%.40s' is not a comma-separated list of ports", s);
		return -EINVAL;
	}
	if (parse_values(&t, s, err, errlen))
		return -EINVAL;
	for (int i = 0; i < t.n; i++)
		for (uint32_t p = t.v.ports[i].lo; p <= t.v.ports[i].hi; p++)
			bits[p >> 3] |= (uint8_t)(1 << (p & 7));
	return 0;
}
