/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef MMUCHECK_REPORT_H
#define MMUCHECK_REPORT_H

#include <stdio.h>

#include "findings.h"
#include "rules.h"

/* A file the scan did not fully analyse, and why. */
struct not_analysed {
	char *file;		/* relative to the tree root */
	char *rule;		/* the rule that missed it, or "" */
	char *reason;
};

struct scan_summary {
	const char *kdir;
	const char *kernel;	/* the tree's VERSION.PATCHLEVEL, or NULL */
	const char *revision;	/* the tree's git HEAD, or NULL */
	const char *shard;	/* "I/N" of scan --shard, or NULL */
	const struct not_analysed *partial;	/* files not fully analysed */
	size_t npartial;			/* entries (a file per rule) */
	size_t files_not_analysed;		/* distinct files of those */
	size_t files_scanned;
	size_t functions_skipped;
	const struct rule_info *rules;
	size_t nrules;
};

void report_check_format(const char *format);
void report_write(FILE *out, const char *format, const struct findings *fs,
		  const struct scan_summary *sum);
void report_summary(FILE *out, const struct findings *fs,
		    const struct scan_summary *sum);
size_t count_partial_files(const struct scan_summary *sum);
void report_text(FILE *out, const struct findings *fs);
void report_json(FILE *out, const struct findings *fs,
		 const struct scan_summary *sum);
void report_sarif(FILE *out, const struct findings *fs,
		  const struct scan_summary *sum);

struct baseline {
	char **fingerprints;
	size_t n;
};

void baseline_read(const char *path, struct baseline *bl);
void baseline_mark(const struct baseline *bl, struct findings *fs);
void baseline_check_writable(const char *path);
void baseline_free(struct baseline *bl);
struct change_set;
void baseline_update(const char *path, const struct findings *fs,
		     const struct rule_info *rules, size_t nrules,
		     const struct change_set *cs);

#endif
