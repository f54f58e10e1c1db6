/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef MMUCHECK_RULES_H
#define MMUCHECK_RULES_H

struct rule_info {
	char *id;		/* MMU001 */
	char *path;		/* the semantic patch */
	char *description;	/* the first paragraph of its /// lines */
};

const char *data_dir(void);
struct rule_info *load_rules(const char *only, size_t *n);
char **rule_argv(const struct rule_info *r, const char *mode);
void require_spatch(void);

#endif
