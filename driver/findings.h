/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef MMUCHECK_FINDINGS_H
#define MMUCHECK_FINDINGS_H

#include <stddef.h>

struct finding {
	char *rule;		/* MMU001 .. MMU006 */
	char *file;		/* relative to the tree root */
	int line, column, end_column;
	char *function;
	char *message;		/* without the rule id and function */
	char *statement;	/* the source line, whitespace collapsed */
	char fingerprint[17];
	int is_new;		/* not in the baseline */
};

struct findings {
	struct finding *v;
	size_t n, cap;
};

int findings_parse_line(struct findings *fs, const char *line);
void findings_add(struct findings *fs, const char *rule, const char *file,
		  int line, int column, const char *function,
		  const char *message);
void findings_parse_text(struct findings *fs, const char *text);
void findings_append(struct findings *fs, const struct finding *f);
void findings_sort_unique(struct findings *fs);
void findings_finish(struct findings *fs, const char *kdir);
void findings_finish_file(struct findings *fs, const char *file);
void findings_clean_names(struct findings *fs);
int utf8_valid(const char *s);
char *utf8_clean(const char *s);
void findings_keep(struct findings *fs,
		   int (*keep)(const void *ctx, const struct finding *f),
		   const void *ctx);
void findings_free(struct findings *fs);

#endif
