/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef MMUCHECK_UTIL_H
#define MMUCHECK_UTIL_H

#include <stddef.h>
#include <stdio.h>

#define EXIT_NEW_FINDINGS	1
#define EXIT_TROUBLE		2

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
char *beside_exe(const char *const *tries, size_t n);
const char *installed_path(const char *env, const char *const *tries,
			   size_t n, char **found);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int number_arg(const char *opt, const char *arg, long min);

char *read_stream(FILE *f, size_t *len);
char *read_file(const char *path, size_t *len);
char *read_tree_file(const char *kdir, const char *file);
void write_text(const char *path, const char *text);
int copy_into(const char *kdir, const char *file, const char *dir);

#endif
