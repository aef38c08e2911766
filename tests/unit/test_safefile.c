// SPDX-License-Identifier: GPL-2.0
/*
 * Files tcpscope writes as root: no symbolic links followed, nothing
 * replaced unless forced, mode 0600, no temporary or partial file left.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../tap.h"
#include "views/safefile.h"

static char dir[] = "/tmp/tcpscope-safefile.XXXXXX";

static const char *at(const char *name)
{
	static char p[4][300];
	static int i;

	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s", dir, name);
	return p[i];
}

/* Entries in the directory (temporary files included). */
static int entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	return n;
}

static void empty_dir(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			if (unlink(at(e->d_name)))
				rmdir(at(e->d_name));
		}
	if (d)
		closedir(d);
}

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
}

static const char *contents(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	if (f)
		fclose(f);
	buf[n] = 0;
	return f ? buf : "(missing)";
}

/* Write text through a safefile and commit; the commit's result. */
static int write_file(const char *path, bool force, const char *text, char *err, size_t n)
{
	struct safefile *f = safefile_create(path, force, err, n);

	if (!f)
		return -1;
	fputs(text, safefile_stream(f));
	return safefile_commit(f, err, n);
}

TEST(a_new_file_is_0600_whatever_the_umask)
{
	mode_t old = umask(0);
	char err[512];
	struct stat st;

	empty_dir();
	CHECK(!write_file(at("a.csv"), false, "x,y\n", err, sizeof(err)));
	umask(old);
	CHECK_STR(contents(at("a.csv")), "x,y\n");
	CHECK(!stat(at("a.csv"), &st));
	CHECK_EQ_U64(st.st_mode & 07777, 0600);
	CHECK_EQ_U64(entries(), 1); /* no temporary file left */
}

TEST(an_existing_file_is_kept_unless_forced)
{
	char err[512];

	empty_dir();
	put_file(at("a.csv"), "old\n");
	CHECK(write_file(at("a.csv"), false, "new\n", err, sizeof(err)) < 0);
	CHECK(strstr(err, "a.csv exists: use --force to replace it") != NULL);
	CHECK_STR(contents(at("a.csv")), "old\n");
	CHECK(!write_file(at("a.csv"), true, "new\n", err, sizeof(err)));
	CHECK_STR(contents(at("a.csv")), "new\n");
	CHECK_EQ_U64(entries(), 1);
}

TEST(a_symbolic_link_is_never_followed)
{
	char err[512];

	empty_dir();
	put_file(at("target"), "precious\n");
	CHECK(!symlink(at("target"), at("link.csv")));
	CHECK(write_file(at("link.csv"), false, "x\n", err, sizeof(err)) < 0);
	CHECK(strstr(err, "link.csv is a symbolic link: not writing through it") != NULL);
	CHECK(write_file(at("link.csv"), true, "x\n", err, sizeof(err)) < 0);
	CHECK(strstr(err, "symbolic link") != NULL);
	CHECK_STR(contents(at("target")), "precious\n");
	/* a dangling one too: following it would create the file it names */
	CHECK(!symlink(at("nowhere"), at("dangling.csv")));
	CHECK(write_file(at("dangling.csv"), true, "x\n", err, sizeof(err)) < 0);
	CHECK(access(at("nowhere"), F_OK) != 0);
	CHECK_EQ_U64(entries(), 3);
}

TEST(only_regular_files_are_replaced)
{
	char err[512];

	empty_dir();
	CHECK(!mkdir(at("d"), 0700));
	CHECK(write_file(at("d"), true, "x\n", err, sizeof(err)) < 0);
	CHECK(strstr(err, "is a directory") != NULL);
	CHECK(!mkfifo(at("fifo"), 0600));
	CHECK(write_file(at("fifo"), true, "x\n", err, sizeof(err)) < 0);
	CHECK(strstr(err, "not a regular file") != NULL);
	CHECK(write_file(at("d/"), true, "x\n", err, sizeof(err)) < 0);
	CHECK(strstr(err, "not a file name") != NULL);
	CHECK_EQ_U64(entries(), 2);
}

TEST(abort_leaves_nothing)
{
	struct safefile *f;
	char err[512];

	empty_dir();
	f = safefile_create(at("a.csv"), false, err, sizeof(err));
	CHECK(f != NULL);
	if (!f)
		return;
	fputs("half a file", safefile_stream(f));
	fflush(safefile_stream(f));
	CHECK_EQ_U64(entries(), 1); /* the temporary file, hidden */
	safefile_abort(f);
	CHECK_EQ_U64(entries(), 0);
	safefile_abort(NULL);
}

TEST(a_missing_directory_is_said)
{
	char err[512];

	CHECK(safefile_create(at("no/such/a.csv"), false, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "cannot write ") &&
	      strstr(err, "no/such/a.csv: No such file or directory"));
	CHECK(safefile_create("", false, err, sizeof(err)) == NULL);
}

/* The target appears while we write: it is not replaced, and our data is not lost. */
TEST(a_file_that_appears_meanwhile_is_not_replaced)
{
	struct safefile *f;
	char err[512];

	empty_dir();
	f = safefile_create(at("a.csv"), false, err, sizeof(err));
	CHECK(f != NULL);
	if (!f)
		return;
	fputs("ours\n", safefile_stream(f));
	put_file(at("a.csv"), "theirs\n");
	CHECK(safefile_commit(f, err, sizeof(err)) == -EEXIST);
	CHECK(strstr(err, "appeared while it was being written") != NULL);
	CHECK_STR(contents(at("a.csv")), "theirs\n");
	CHECK_EQ_U64(entries(), 2); /* ours is kept beside it, and err names it */
}

/* A full disk, as the file size limit: the commit fails and no partial file is left. */
TEST(a_write_error_leaves_no_partial_file)
{
	struct rlimit old, small;
	struct safefile *f;
	char err[512];
	FILE *s;

	empty_dir();
	getrlimit(RLIMIT_FSIZE, &old);
	small = old;
	small.rlim_cur = 4096;
	signal(SIGXFSZ, SIG_IGN);
	f = safefile_create(at("big.csv"), false, err, sizeof(err));
	CHECK(f != NULL);
	if (!f)
		return;
	setrlimit(RLIMIT_FSIZE, &small);
	s = safefile_stream(f);
	for (int i = 0; i < 10000; i++)
		fprintf(s, "%d,some,columns,of,a,snapshot\n", i);
	CHECK(safefile_commit(f, err, sizeof(err)) == -EFBIG);
	setrlimit(RLIMIT_FSIZE, &old);
	CHECK(strstr(err, "big.csv: File too large") != NULL);
	CHECK_EQ_U64(entries(), 0);
}

/* Started through sudo: the file is the invoking user's. */
TEST(the_sudo_user_owns_the_file)
{
	char err[512];
	struct stat st;

	if (geteuid() != 0) {
		printf("# not root: nothing to hand over\n");
		return;
	}
	empty_dir();
	setenv("SUDO_UID", "65534", 1);
	setenv("SUDO_GID", "65533", 1);
	CHECK(!write_file(at("mine.csv"), false, "x\n", err, sizeof(err)));
	unsetenv("SUDO_UID");
	unsetenv("SUDO_GID");
	CHECK(!stat(at("mine.csv"), &st));
	CHECK_EQ_U64(st.st_uid, 65534);
	CHECK_EQ_U64(st.st_gid, 65533);
	CHECK_EQ_U64(st.st_mode & 07777, 0600);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	RUN(a_new_file_is_0600_whatever_the_umask);
	RUN(an_existing_file_is_kept_unless_forced);
	RUN(a_symbolic_link_is_never_followed);
	RUN(only_regular_files_are_replaced);
	RUN(abort_leaves_nothing);
	RUN(a_missing_directory_is_said);
	RUN(a_file_that_appears_meanwhile_is_not_replaced);
	RUN(a_write_error_leaves_no_partial_file);
	RUN(the_sudo_user_owns_the_file);
	empty_dir();
	rmdir(dir);
	TAP_DONE();
}
