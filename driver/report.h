/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef MMUCHECK_REPORT_H
#define MMUCHECK_REPORT_H

#include <stdio.h>

#include "findings.h"

struct rule_info {
	char *id;		/* MMU001 */
	char *path;		/* the semantic patch */
	char *summary;		/* its first /// line */
};

struct scan_summary {
	const char *kdir;
	size_t files_scanned;
	size_t functions_skipped;
	const struct rule_info *rules;
	size_t nrules;
};

void report_text(FILE *out, const struct findings *fs);
void report_json(FILE *out, const struct findings *fs,
		 const struct scan_summary *sum);
void report_sarif(FILE *out, const struct findings *fs,
		  const struct scan_summary *sum);

int baseline_load(const char *path, struct findings *fs);
int baseline_save(const char *path, const struct findings *fs);

#endif
