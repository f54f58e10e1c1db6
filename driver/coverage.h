/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef MMUCHECK_COVERAGE_H
#define MMUCHECK_COVERAGE_H

#include <stddef.h>

#include "report.h"

/* The files a scan looks at, and the definitions spatch cannot parse. */
struct coverage {
	char **files;		/* relative to the tree root */
	size_t nfiles;
	size_t nskipped;
	char *counted;		/* per file: its unparsable definitions counted */
	char *opened;		/* per file: a rule run parsed it */
	struct not_analysed *partial;	/* what was not fully analysed */
	size_t npartial;
};

void coverage_add(struct coverage *cov, const char *file);
void coverage_candidates(struct coverage *cov, const char *kdir,
			 const struct rule_info *rules, size_t nrules, int jobs);
void coverage_keep(struct coverage *cov,
		   int (*keep)(const void *ctx, const char *file),
		   const void *ctx);
void coverage_shard(struct coverage *cov, const char *kdir, int index,
		    int count);
long coverage_index(const struct coverage *cov, const char *file);
char *coverage_rule_files(const struct coverage *cov, const char *kdir,
			  const char *rule_path);
void coverage_count_text(struct coverage *cov, const char *kdir, size_t at,
			 const char *text, int verbose);
void coverage_opened(struct coverage *cov, size_t at);
void coverage_count_unparsed(struct coverage *cov, const char *kdir,
			     int jobs, int verbose, int opened_only);
void coverage_partial(struct coverage *cov, const char *file,
		      const char *rule, const char *reason);
void coverage_free(struct coverage *cov);

#endif
