/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef MMUCHECK_LINK_H
#define MMUCHECK_LINK_H

#include "findings.h"

/* Facts of one build, joined: the plugin's findings plus MMU001. */
struct link_stats {
	size_t units, updates, sites;
};

int link_facts(const char *dir, const char *kdir, struct findings *fs,
	       struct link_stats *st);
int cmd_link(int argc, char **argv);

#endif
