/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mmu_rules.h - api/mmu_rules.def as one C table, for the C readers of
 * the registry (tools/gencocci, the driver, the GCC plugin).  Valid C
 * and C++ (the plugin is built by g++).
 *
 * A rule's backends column is B(COCCI), B(PLUGIN) or both: a backend
 * bit that names no backend is a build error at that line.  A message
 * (MMU_MSG) is mmu_msg_<id>_<key>: one that no code prints is dead
 * (tests/suites/15-roles), one printed but not listed does not build.
 */
#ifndef MMUCHECK_MMU_RULES_H
#define MMUCHECK_MMU_RULES_H

#include <string.h>

/* Is name (a rule id, a role, a flag) the len bytes at s? */
static inline int mmu_name_is(const char *name, const char *s, size_t len)
{
	return strlen(name) == len && !strncmp(name, s, len);
}

/*
 * The index of the entry named by the len bytes at s, in a table of n
 * entries of size bytes whose first member is their name (the rule,
 * role and flag tables); -1 if none.
 */
static inline int mmu_find_name(const void *table, size_t n, size_t size,
				const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (mmu_name_is(*(const char *const *)((const char *)table + i * size),
				s, len))
			return (int)i;
	return -1;
}

/* Which backends implement a rule (the registry's backends column). */
enum mmu_backend {
	MMU_BACKEND_COCCI = 1u << 0,	/* cocci/src/mmuNNN_slug.cocci.in */
	MMU_BACKEND_PLUGIN = 1u << 1,	/* check_slug() of the GCC plugin */
};

struct mmu_rule_def {
	const char *id;			/* "MMU001" */
	const char *slug;		/* "unbracketed" */
	const char *title;		/* one line */
	const char *confidence;		/* High, Moderate, Low */
	unsigned int backends;		/* enum mmu_backend bits */
	const char *subject;		/* fix-mail subject, %s the function */
	const char *description;	/* paragraphs, \n-separated lines */
};

/* In the registry's order: index i is the plugin's enum mc_rule i. */
#define B(backend) MMU_BACKEND_##backend
#define MMU_MSG(id, key, text)
#define MMU_RULE(id, slug, title, confidence, backends, subject, description) \
	{ "MMU" #id, #slug, title, #confidence, (backends), subject, description },
static const struct mmu_rule_def mmu_rule_table[] = {
#include "../api/mmu_rules.def"
};
#undef MMU_RULE
#undef MMU_MSG
#undef B

#define MMU_RULE_COUNT (sizeof(mmu_rule_table) / sizeof(mmu_rule_table[0]))

/* The messages, each a printf format: mmu_msg_003_unlock_unflushed. */
#define MMU_RULE(id, slug, title, confidence, backends, subject, description)
#undef MMU_MSG
#define MMU_MSG(id, key, text) static const char mmu_msg_##id##_##key[] = text;
#include "../api/mmu_rules.def"
#undef MMU_MSG

/* ... and as a table, for templates' {{MSG(key)}}. */
struct mmu_msg_def {
	const char *id;			/* "MMU003" */
	const char *key;
	const char *text;
};

#define MMU_MSG(id, key, text) { "MMU" #id, #key, text },
static const struct mmu_msg_def mmu_msg_table[] = {
#include "../api/mmu_rules.def"
};
#undef MMU_MSG
#undef MMU_RULE

#endif
