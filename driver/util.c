// SPDX-License-Identifier: GPL-2.0-only
/* Error reporting and allocation that cannot fail silently. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
