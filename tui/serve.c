// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "serve.h"
#include "views/metrics.h"

/* A request's headers must be in within this of its connection's start (or last answer). */
#define HEADER_DEADLINE_MS 5000
/* A connection that moves nothing for this long is closed. */
#define IDLE_TIMEOUT_S	   4
#define MAX_CONNECTIONS	   256
/* Request line and headers of a connection; beyond, 431. */
#define CONNECTION_MEMORY  16384

/* The exposition at one tick; freed (or kept as the spare) when no one holds it. */
struct snapshot {
	struct metrics_text text;
	int refs; /* under server.lock */
};

/* A connection's clock for the header deadline (only the server's thread touches these). */
struct watch {
	struct watch *next, *prev;
	int fd;
	uint64_t since_ms;
	bool reading; /* waiting for a request's headers */
	bool cut;
};

struct server {
	struct MHD_Daemon *d;
	pthread_t thread;
	atomic_bool stop;
	int fd;
	bool tls;
	pthread_mutex_t lock;
	struct snapshot *current, *spare;
	char *user, *password;
	char *tls_cert, *tls_key;
	struct watch watches; /* list head */
	double start_time;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* A reference let go (under the lock): the last one frees it, or keeps it for reuse. */
static void snapshot_put(struct server *s, struct snapshot *snap)
{
	if (--snap->refs > 0)
		return;
	if (!s->spare) {
		s->spare = snap;
		return;
	}
	metrics_text_free(&snap->text);
	free(snap);
}

/* What a response holds: a reference to its snapshot, given back when it is sent. */
struct held {
	struct server *s;
	struct snapshot *snap;
};

static void release_held(void *cls)
{
	struct held *h = cls;

	pthread_mutex_lock(&h->s->lock);
	snapshot_put(h->s, h->snap);
	pthread_mutex_unlock(&h->s->lock);
	free(h);
}

void serve_publish(struct server *s, const struct model *m, const struct tally *t)
{
	struct snapshot *next = NULL, *old;
	struct rusage ru;
	long rss_pages = 0;
	FILE *f;

	pthread_mutex_lock(&s->lock);
	next = s->spare;
	s->spare = NULL;
	pthread_mutex_unlock(&s->lock);
	if (!next && !(next = calloc(1, sizeof(*next))))
		return; /* the scrapes get the last one */
	/* rendered outside the lock: scrapes meanwhile take the current one */
	metrics_render(&next->text, m, t);
	getrusage(RUSAGE_SELF, &ru);
	f = fopen("/proc/self/statm", "r");
	if (!f || fscanf(f, "%*d %ld", &rss_pages) != 1)
		rss_pages = 0;
	if (f)
		fclose(f);
	metrics_process(&next->text,
			ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
			    (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6,
			(uint64_t)rss_pages * (uint64_t)sysconf(_SC_PAGESIZE), s->start_time);
	if (next->text.failed) {
		metrics_text_free(&next->text);
		free(next);
		return;
	}
	next->refs = 1; /* the server's own */
	pthread_mutex_lock(&s->lock);
	old = s->current;
	s->current = next;
	if (old)
		snapshot_put(s, old);
	pthread_mutex_unlock(&s->lock);
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, const char *type,
			     const char *body)
{
	struct MHD_Response *r =
	    MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static const char page[] = "<!DOCTYPE html>\n<html><head><title>tcpscope</title></head>\n"
			   "<body><h1>tcpscope</h1><p>Top for TCP: "
			   "<a href=\"metrics\">metrics</a>.</p></body></html>\n";

static enum MHD_Result metrics(struct server *s, struct MHD_Connection *c)
{
	const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept");
	struct MHD_Response *r = NULL;
	struct held *h = malloc(sizeof(*h));
	enum MHD_Result ret;
	bool om = metrics_wants_openmetrics(accept);

	if (!h)
		return reply(c, MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain", "out of memory\n");
	pthread_mutex_lock(&s->lock);
	h->s = s;
	h->snap = s->current;
	if (h->snap)
		h->snap->refs++;
	pthread_mutex_unlock(&s->lock);
	if (!h->snap) {
		free(h);
		return reply(c, MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain",
			     "starting: the kernel side is not tracing yet\n");
	}
	if (om) {
		/* converted here, on the server's thread, from the snapshot */
		struct metrics_text t = {0};

		metrics_openmetrics(&t, h->snap->text.s, h->snap->text.len);
		release_held(h);
		if (t.failed) {
			metrics_text_free(&t);
			return reply(c, MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain",
				     "out of memory\n");
		}
		r = MHD_create_response_from_buffer_with_free_callback(t.len, t.s, free);
		if (!r)
			free(t.s);
	} else {
		r = MHD_create_response_from_buffer_with_free_callback_cls(
		    h->snap->text.len, h->snap->text.s, release_held, h);
		if (!r)
			release_held(h);
	}
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				om ? OPENMETRICS_CONTENT_TYPE : METRICS_CONTENT_TYPE);
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

/* Equal strings, in a time that does not depend on where they differ. */
static bool same_secret(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	unsigned char d = na != nb;

	for (size_t i = 0; i < na; i++)
		d |= (unsigned char)(a[i] ^ b[i % (nb ? nb : 1)]);
	return !d && nb;
}

static bool authorized(struct server *s, struct MHD_Connection *c)
{
	char *password = NULL, *user;
	bool ok;

	if (!s->user)
		return true;
	user = MHD_basic_auth_get_username_password(c, &password);
	ok = user && password && same_secret(user, s->user) && same_secret(password, s->password);
	MHD_free(user);
	MHD_free(password);
	return ok;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload_data,
			      size_t *upload_size, void **req_cls)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct server *s = cls;

	if (ci && ci->socket_context)
		((struct watch *)ci->socket_context)->reading = false;
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain",
			     "only GET and HEAD are served\n");
	if (!authorized(s, c)) {
		struct MHD_Response *r = MHD_create_response_from_buffer(
		    13, (void *)"unauthorized\n", MHD_RESPMEM_PERSISTENT);
		enum MHD_Result ret;

		if (!r)
			return MHD_NO;
		ret = MHD_queue_basic_auth_fail_response(c, "tcpscope", r);
		MHD_destroy_response(r);
		return ret;
	}
	if (!strcmp(url, "/metrics"))
		return metrics(s, c);
	if (!strcmp(url, "/"))
		return reply(c, MHD_HTTP_OK, "text/html; charset=utf-8", page);
	return reply(c, MHD_HTTP_NOT_FOUND, "text/plain", "not found: try /metrics\n");
}

static void connection_event(void *cls, struct MHD_Connection *c, void **socket_context,
			     enum MHD_ConnectionNotificationCode toe)
{
	struct server *s = cls;
	struct watch *w = *socket_context;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);

		w = calloc(1, sizeof(*w));
		if (!w)
			return;
		w->fd = ci ? ci->connect_fd : -1;
		w->since_ms = now_ms();
		w->reading = true;
		w->next = s->watches.next;
		w->prev = &s->watches;
		s->watches.next->prev = w;
		s->watches.next = w;
		*socket_context = w;
	} else if (w) {
		w->prev->next = w->next;
		w->next->prev = w->prev;
		free(w);
		*socket_context = NULL;
	}
}

/* An answer went out: the connection's next request has its own deadline. */
static void request_done(void *cls, struct MHD_Connection *c, void **req_cls,
			 enum MHD_RequestTerminationCode toe)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct watch *w = ci ? ci->socket_context : NULL;

	if (w) {
		w->reading = true;
		w->since_ms = now_ms();
	}
}

/*
 * A client that sends its headers a byte at a time keeps a connection
 * from going idle: past the deadline it gets 408 and the connection ends
 * (in plain HTTP; under TLS the bytes would not be a record, so it just ends).
 */
static void cut_slow_clients(struct server *s)
{
	static const char timeout[] = "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n"
				      "Content-Length: 0\r\n\r\n";
	uint64_t now = now_ms();

	for (struct watch *w = s->watches.next; w != &s->watches; w = w->next) {
		if (!w->reading || w->cut || w->fd < 0 || now - w->since_ms < HEADER_DEADLINE_MS)
			continue;
		if (!s->tls &&
		    send(w->fd, timeout, sizeof(timeout) - 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
			w->cut = true; /* nothing to do: the shutdown below ends it */
		shutdown(w->fd, SHUT_RDWR);
		w->cut = true;
	}
}

static void *run(void *arg)
{
	struct server *s = arg;

	while (!atomic_load(&s->stop)) {
		MHD_run_wait(s->d, 200);
		cut_slow_clients(s);
	}
	return NULL;
}

/* A whole file that only its owner may read (it holds a secret): NULL with err. */
static char *read_secret(const char *path, const char *flag, bool check_mode, char *err, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	struct stat st;
	char *buf = NULL;
	ssize_t got;

	if (fd < 0) {
		snprintf(err, n, "%s: cannot read %.200s: %s", flag, path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > 1 << 20) {
		snprintf(err, n, "%s: %.200s is not a regular file under 1 MiB", flag, path);
	} else if (check_mode && (st.st_mode & 077)) {
		snprintf(err, n, "%s: %.200s is open to others (mode %04o): chmod 600 it", flag,
			 path, (unsigned)(st.st_mode & 07777));
	} else if (!(buf = calloc(1, (size_t)st.st_size + 1))) {
		snprintf(err, n, "%s: out of memory", flag);
	} else if ((got = read(fd, buf, (size_t)st.st_size)) != st.st_size) {
		snprintf(err, n, "%s: cannot read %.200s: %s", flag, path,
			 got < 0 ? strerror(errno) : "short read");
		free(buf);
		buf = NULL;
	}
	close(fd);
	return buf;
}

/* --serve-auth: one line, user:password. */
static int read_auth(struct server *s, const char *path, char *err, size_t n)
{
	char *text = read_secret(path, "--serve-auth", true, err, n), *colon;

	if (!text)
		return -EINVAL;
	text[strcspn(text, "\r\n")] = 0;
	colon = strchr(text, ':');
	if (!colon || colon == text || !colon[1]) {
		snprintf(err, n, "--serve-auth: %.200s holds no line user:password", path);
		free(text);
		return -EINVAL;
	}
	*colon = 0;
	s->user = text;
	s->password = strdup(colon + 1);
	if (!s->password) {
		snprintf(err, n, "--serve-auth: out of memory");
		return -ENOMEM;
	}
	return 0;
}

static int open_listener(const struct serve_opts *o, char *err, size_t n)
{
	int one = 1, fd = socket(o->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    (o->addr.ss_family == AF_INET6 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one))) ||
	    bind(fd, (const struct sockaddr *)&o->addr, o->addrlen) || listen(fd, 128)) {
		snprintf(err, n, "--serve %.100s: %s", o->listen, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static void server_free(struct server *s)
{
	if (s->d)
		MHD_stop_daemon(s->d);
	if (s->fd >= 0)
		close(s->fd);
	if (s->current)
		snapshot_put(s, s->current);
	if (s->spare) {
		metrics_text_free(&s->spare->text);
		free(s->spare);
	}
	free(s->user);
	free(s->password);
	free(s->tls_cert);
	free(s->tls_key);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

struct server *serve_start(const struct serve_opts *o, char *err, size_t n)
{
	struct server *s = calloc(1, sizeof(*s));
	unsigned flags = MHD_USE_AUTO;
	struct timespec ts;

	if (!s) {
		snprintf(err, n, "--serve: out of memory");
		return NULL;
	}
	s->fd = -1;
	s->watches.next = s->watches.prev = &s->watches;
	pthread_mutex_init(&s->lock, NULL);
	clock_gettime(CLOCK_REALTIME, &ts);
	s->start_time = ts.tv_sec + ts.tv_nsec / 1e9;
	if (o->auth_file && read_auth(s, o->auth_file, err, n))
		goto fail;
	if (o->tls_cert) {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			snprintf(err, n, "--serve-tls-cert: this libmicrohttpd has no TLS");
			goto fail;
		}
		s->tls_cert = read_secret(o->tls_cert, "--serve-tls-cert", false, err, n);
		if (!s->tls_cert)
			goto fail;
		s->tls_key = read_secret(o->tls_key, "--serve-tls-key", true, err, n);
		if (!s->tls_key)
			goto fail;
		s->tls = true;
		flags |= MHD_USE_TLS;
	}
	s->fd = open_listener(o, err, n);
	if (s->fd < 0)
		goto fail;
	s->d = MHD_start_daemon(flags, 0, NULL, NULL, answer, s, MHD_OPTION_LISTEN_SOCKET, s->fd,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_TIMEOUT_S,
				MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
				MHD_OPTION_NOTIFY_CONNECTION, connection_event, s,
				MHD_OPTION_NOTIFY_COMPLETED, request_done, s,
				s->tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, s->tls_cert,
				MHD_OPTION_HTTPS_MEM_KEY, s->tls_key, MHD_OPTION_END);
	if (!s->d) {
		snprintf(err, n, "--serve %.100s: the HTTP server did not start%s", o->listen,
			 s->tls ? " (a bad certificate or key?)" : "");
		goto fail;
	}
	s->fd = -1; /* the daemon's now: it closes it */
	if (pthread_create(&s->thread, NULL, run, s)) {
		snprintf(err, n, "--serve: cannot start a thread");
		goto fail;
	}
	return s;
fail:
	server_free(s);
	return NULL;
}

void serve_stop(struct server *s)
{
	if (!s)
		return;
	atomic_store(&s->stop, true);
	pthread_join(s->thread, NULL);
	server_free(s);
}
