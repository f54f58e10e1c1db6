/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef MMUCHECK_LINK_H
#define MMUCHECK_LINK_H

#include "findings.h"

/* Facts of one build, joined: the plugin's findings plus MMU001. */
struct link_stats {
	size_t units, updates, sites;
};

/* -1: nothing linked (named on stderr); 1: bad entries were skipped. */
int link_facts(const char *dir, const char *kdir, struct findings *fs,
	       struct link_stats *st);
void link_check_build(const char *build);
struct rule_info;
void link_keep_rules(struct findings *fs, const struct rule_info *rules,
		     size_t nrules);

#endif
