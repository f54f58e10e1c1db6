// SPDX-License-Identifier: GPL-2.0-only
/* Error reporting, allocation that cannot fail silently, files. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static void vwarn(const char *fmt, va_list ap)
{
	fputs("mmucheck: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	exit(EXIT_TROUBLE);
}

void warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (!p)
		die("out of memory");
	return p;
}

void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size);
	if (!p)
		die("out of memory");
	return p;
}

char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		die("out of memory");
	return d;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		die("out of memory");
	va_end(ap);
	return s;
}

/*
 * The first of these paths, relative to the directory of the running
 * command, that exists (as an absolute path), or NULL: how the command
 * finds its rules and plugin in the build tree and when installed.
 */
char *beside_exe(const char *const *tries, size_t n)
{
	char exe[PATH_MAX], real[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	size_t i;

	if (len < 0)
		die("cannot find my own executable");
	exe[len] = '\0';
	*strrchr(exe, '/') = '\0';
	for (i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", exe, tries[i]);
		int ok = !access(path, R_OK) && realpath(path, real);

		free(path);
		if (ok)
			return xstrdup(real);
	}
	return NULL;
}

/*
 * $ENV when set, else the first of TRIES beside the command (looked up
 * once, kept in *found), or NULL: where the rules and the plugin are.
 */
const char *installed_path(const char *env, const char *const *tries,
			   size_t n, char **found)
{
	if (getenv(env))
		return getenv(env);
	if (!*found)
		*found = beside_exe(tries, n);
	return *found;
}

/* The rest of f, NUL-terminated (it may hold NULs: *len says). */
char *read_stream(FILE *f, size_t *len)
{
	char *buf = NULL;
	size_t cap = 0, used = 0, got;

	do {
		if (cap - used < 4096) {
			cap = cap ? 2 * cap : 65536;
			buf = xrealloc(buf, cap + 1);
		}
		got = fread(buf + used, 1, cap - used, f);
		used += got;
	} while (got);
	buf[used] = '\0';
	if (len)
		*len = used;
	return buf;
}

/* A whole file, as read_stream() gives it, or NULL. */
char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	if (!f)
		return NULL;
	buf = read_stream(f, len);
	fclose(f);
	return buf;
}

/* FILE of the tree at KDIR, or NULL when it cannot be read. */
char *read_tree_file(const char *kdir, const char *file)
{
	char *path = xasprintf("%s/%s", kdir, file);
	char *text = read_file(path, NULL);

	free(path);
	return text;
}

void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f))
		die("cannot write %s: %s", path, strerror(errno));
}

/*
 * A copy of the tree's FILE at the same path under DIR, directories
 * made; 0 when FILE cannot be read.
 */
int copy_into(const char *kdir, const char *file, const char *dir)
{
	char *text = read_tree_file(kdir, file);
	char *dst = xasprintf("%s/%s", dir, file), *slash;

	for (slash = strchr(dst + strlen(dir) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(dst, 0700) && errno != EEXIST)
			die("cannot create %s: %s", dst, strerror(errno));
		*slash = '/';
	}
	if (text)
		write_text(dst, text);
	free(dst);
	free(text);
	return text != NULL;
}

/* A whole number of at least MIN, or die: "5abc", "" and overflow too. */
int number_arg(const char *opt, const char *arg, long min)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < min || v > INT_MAX)
		die("%s needs a whole number of at least %ld, not '%s'", opt,
		    min, arg);
	return v;
}
