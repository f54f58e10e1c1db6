/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef MMUCHECK_RULES_H
#define MMUCHECK_RULES_H

#include <stddef.h>

#include "../common/mmu_rules.h"

/* A rule of api/mmu_rules.def, as a run uses it. */
struct rule_info {
	char *id;		/* MMU001 */
	char *path;		/* its semantic patch, NULL: the plugin's alone */
	const char *slug;	/* unbracketed */
	const char *title;	/* one line */
	const char *confidence;	/* High, Moderate, Low */
	const char *subject;	/* fix-mail subject, %s the function */
	unsigned int backends;	/* enum mmu_backend: cocci, plugin */
	char *description;	/* paragraphs, each on one line */
	char *summary;		/* the first paragraph */
};

/* The semantic patch of every rule at once. */
#define MERGED_COCCI "mmucheck.cocci"

const char *data_dir(void);
struct rule_info *merged_rule(void);
struct rule_info *load_rules(const char *only, size_t *n);
struct rule_info *registry_rules(const char *only, size_t *n);
const struct rule_info *rule_find(const struct rule_info *rules, size_t n,
				  const char *id);
char *rule_ids(void);
void rules_free(struct rule_info *rules, size_t n);
char **rule_argv(const struct rule_info *r, const char *mode);
void require_spatch(void);

#endif
