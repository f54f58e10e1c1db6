/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef MMUCHECK_QUERY_H
#define MMUCHECK_QUERY_H

#include <stddef.h>

char **query_argv(const char *rule_path);
char *query_from_output(const char *out);
char *query_regex(const char *query);
int query_matches(const char *query, const char *text, size_t len);

#endif
