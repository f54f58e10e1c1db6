/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef MMUCHECK_GITBASE_H
#define MMUCHECK_GITBASE_H

#include <stddef.h>

#include "findings.h"

/* A function of a changed file, and whether a --base scan judges it. */
struct function_span {
	char *name;
	int first, last;
	int changed;		/* a changed line falls inside it */
	int related;		/* calls or is called by a changed function */
};

struct changed_file {
	char *path;		/* relative to the tree root */
	int *lines;		/* changed line ranges: first, last pairs */
	size_t nlines;
	struct function_span *fns;
	size_t nfns;
};

struct change_set {
	struct changed_file *files;
	size_t n;
};

void change_set_load(struct change_set *cs, const char *kdir, const char *rev);
void change_set_functions(struct change_set *cs, const char *kdir, int jobs);
int change_set_keeps(const struct change_set *cs, const struct finding *f);
void change_set_free(struct change_set *cs);

#endif
