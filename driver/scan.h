/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef MMUCHECK_SCAN_H
#define MMUCHECK_SCAN_H

#include "report.h"
#include "run.h"

/* Per spatch job: a whole-tree rule takes minutes, not half an hour. */
#define DEFAULT_TIMEOUT	1800
/* Per file, as the kernel's .cocciconfig (spatch --timeout 200). */
#define DEFAULT_FILE_TIMEOUT	200

struct scan_options {
	const char *kdir;
	const char *base;	/* --base REV, or NULL for the whole tree */
	const char *build;	/* --build DIR: the plugin's facts, or NULL */
	const char *format;	/* text, json, sarif */
	const char *baseline;
	int update_baseline;
	int jobs;
	const char *rules;	/* comma-separated ids or stems, or NULL */
	int verbose;
	int allow_partial;	/* --allow-partial: files not analysed exit 0/1 */
	int timeout;		/* --timeout SECONDS per spatch job, 0: none */
	int file_timeout;	/* --file-timeout SECONDS per file (spatch's) */
	int force;		/* fix: replace the *.patch series in -o DIR */
	int shard_index;	/* --shard I/N: I, 0 for a whole scan */
	int shard_count;	/* N */
	char shard[32];		/* "I/N" as the report names it */
};

#include "coverage.h"
#include "gitbase.h"

/* One scan: the tree, its rules, what it found and looked at. */
struct scan_run {
	char *kdir;
	struct rule_info *rules;
	size_t nrules;
	struct rule_info *merged;	/* every rule in one run, or NULL */
	struct findings fs;
	struct coverage cov;
	struct change_set cs;
	int trouble;		/* a tool failed */
	size_t files_timed_out;	/* skipped after the per-file timeout */
	double *seconds;	/* per candidate: spatch's time, all rules */
	double *rule_cpu;	/* per rule, then merged: spatch's CPU seconds */
};

char *kernel_tree(const char *kdir);
void scan_options_parse(int argc, char **argv, struct scan_options *opt,
			const char **outdir);
const char *safe_name(const char *kdir, const char *file);
int collect(struct job *js, size_t n, struct findings *fs);
void scan_tree(const struct scan_options *opt, struct scan_run *run);
void scan_run_free(struct scan_run *run);

#endif
