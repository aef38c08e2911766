// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "service.h"

#define ID_LEN	 64 /* a container's id: 64 hex digits */
#define SHORT_ID 12 /* as docker ps shows it */
#define PART_MAX 32 /* path components looked at */
#define UUID_LEN 36

int services_init(struct services *s, size_t cap)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->other.name, sizeof(s->other.name), "other");
	s->other.named = true;
	return table_init(&s->t, sizeof(struct service), sizeof(uint64_t), cap);
}

void services_free(struct services *s)
{
	table_free(&s->t);
}

const struct service *services_get(struct services *s, uint64_t id)
{
	struct service *sv;
	bool added;

	if (!id)
		return NULL;
	sv = table_get(&s->t, &id, &added);
	if (!sv) {
		s->not_kept++;
		return &s->other;
	}
	if (added)
		snprintf(sv->name, sizeof(sv->name), "cgroup:%llu", (unsigned long long)id);
	return sv;
}

void services_name(struct services *s, uint64_t id, const char *path)
{
	struct service *sv;

	if (!id || !services_get(s, id))
		return;
	sv = table_find(&s->t, &id);
	if (!sv || !path[0])
		return; /* gone before it was read: it keeps the id */
	service_name_of(path, sv->name, sizeof(sv->name));
	sv->named = true;
}

/* A path component, as a pointer into the path and a length. */
struct part {
	const char *s;
	size_t len;
};

static bool ends_with(const struct part *p, const char *suffix)
{
	size_t n = strlen(suffix);

	return p->len >= n && !memcmp(p->s + p->len - n, suffix, n);
}

static bool starts_with(const struct part *p, const char *prefix)
{
	size_t n = strlen(prefix);

	return p->len >= n && !memcmp(p->s, prefix, n);
}

static bool hex_id(const char *s, size_t len)
{
	if (len != ID_LEN)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/*
 * A container's cgroup: a systemd scope of a runtime ("docker-ID.scope",
 * "cri-containerd-ID.scope", ...) or a directory named by the id under a
 * runtime's or a pod's (cgroupfs). The runtime and where the id starts.
 */
static const char *container_of(const struct part *p, const struct part *parent, const char **id)
{
	static const struct {
		const char *prefix, *runtime;
	} scopes[] = {
	    {"docker-", "docker"},
	    {"cri-containerd-", "containerd"},
	    {"crio-", "crio"},
	    {"libpod-", "podman"},
	};

	for (size_t i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++) {
		size_t pl = strlen(scopes[i].prefix);

		if (starts_with(p, scopes[i].prefix) && ends_with(p, ".scope") &&
		    hex_id(p->s + pl, p->len - pl - strlen(".scope"))) {
			*id = p->s + pl;
			return scopes[i].runtime;
		}
	}
	if (!hex_id(p->s, p->len))
		return NULL;
	*id = p->s;
	if (parent && parent->len == 6 && !memcmp(parent->s, "docker", 6))
		return "docker";
	return "container";
}

/*
 * A Kubernetes pod's uid: "pod<uid>" (cgroupfs) or
 * "kubepods-<class>-pod<uid with _ for ->.slice" (systemd), into uid.
 */
static bool pod_of(const struct part *p, char uid[UUID_LEN + 1])
{
	const char *at = NULL;
	size_t len;

	for (size_t i = 0; i + 3 < p->len; i++)
		if (!memcmp(p->s + i, "pod", 3) && (i == 0 || p->s[i - 1] == '-'))
			at = p->s + i + 3;
	if (!at)
		return false;
	len = (size_t)(p->s + p->len - at);
	if (ends_with(p, ".slice"))
		len -= strlen(".slice");
	if (len != UUID_LEN)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = at[i] == '_' ? '-' : at[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-'))
			return false;
		uid[i] = c;
	}
	uid[len] = 0;
	return true;
}

void service_name_of(const char *path, char *out, size_t n)
{
	struct part parts[PART_MAX];
	char uid[UUID_LEN + 1] = "";
	int np = 0;

	for (const char *s = path; *s && np < PART_MAX;) {
		size_t len;

		while (*s == '/')
			s++;
		len = strcspn(s, "/");
		if (len)
			parts[np++] = (struct part){s, len};
		s += len;
	}
	for (int i = 0; i < np; i++)
		if (pod_of(&parts[i], uid))
			break;
	/* the innermost container or unit names it */
	for (int i = np - 1; i >= 0; i--) {
		const char *id, *runtime = container_of(&parts[i], i ? &parts[i - 1] : NULL, &id);

		if (runtime) {
			snprintf(out, n, "%s:%.*s%s%s", runtime, SHORT_ID, id,
				 uid[0] ? " pod:" : "", uid);
			return;
		}
		if (ends_with(&parts[i], ".service") || ends_with(&parts[i], ".scope")) {
			snprintf(out, n, "%.*s", (int)parts[i].len, parts[i].s);
			return;
		}
	}
	if (uid[0])
		snprintf(out, n, "pod:%s", uid);
	else
		snprintf(out, n, "%s", np ? path : "/");
}
