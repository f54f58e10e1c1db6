/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef MMUCHECK_SCAN_H
#define MMUCHECK_SCAN_H

#include "report.h"

struct scan_options {
	const char *kdir;
	const char *base;	/* --base REV, or NULL for the whole tree */
	const char *format;	/* text, json, sarif */
	const char *baseline;
	int update_baseline;
	int jobs;
	const char *rules;	/* comma-separated ids or stems, or NULL */
	int verbose;
};

const char *data_dir(void);
struct rule_info *load_rules(const char *only, size_t *n);
char *kernel_tree(const char *kdir);
int cmd_scan(struct scan_options *opt);
int cmd_check(int argc, char **argv);

#endif
