/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mmucheck.h - the engine the plugin's checks share.
 *
 * The engine runs once per function, on GIMPLE in SSA form before any
 * inlining, so calls to the kernel's inline wrappers are still calls.
 * It classifies calls by api/mmu_api.def (roles typed by
 * api/mmu_roles.def), finds the range objects, and computes the bracket
 * state before each call on every path: a may-set (open on some path)
 * and a must-set (open on all paths).
 * Each check (check_*.c) then reads that summary.
 */
#ifndef MMUCHECK_GCC_PLUGIN_H
#define MMUCHECK_GCC_PLUGIN_H

#include "gcc-common.h"
#include "../common/mmu_roles.h"
#include "../common/mmu_rules.h"

/*
 * A row of api/mmu_api.def.  since/until (major * 100 + minor) gate the
 * checks of one API generation (mc_kernel_has_role()).
 */
struct mmu_api {
	const char *name;
	enum mmu_role role;
	int since, until;
};

#define MC_MAX_OBJECTS 32

/* A call the engine saw, with the bracket state just before it. */
struct mc_call {
	gimple *stmt;
	basic_block bb;
	const struct mmu_api *api;	/* NULL: not an API call */
	int object;			/* range object it names, or -1 */
	unsigned int may, must;		/* open objects, as bit sets */
};

/* A range object: a struct mmu_notifier_range, or an old-API mm. */
struct mc_object {
	tree key;
	gimple *init;			/* range_init() or old-API start */
	tree start, end;		/* the values the range was set to */
	int widened;			/* passed to adjust_range_if_... */
};

struct mc_fn {
	function *fun;
	const char *name;
	struct mc_call *call;
	unsigned int n_call, cap_call;
	struct mc_object object[MC_MAX_OBJECTS];
	unsigned int n_object;
};

/* Mapping sizes of the target (x86_64 and arm64 with 4 KiB pages). */
struct mc_sizes {
	unsigned HOST_WIDE_INT page, pmd, pud;
};

/* Grow v by one zeroed element and point to it (v, n: lvalues). */
#define VEC_PUSH(v, n) ((v) = XRESIZEVEC(__typeof__(*(v)), (v), (n) + 1), \
			memset(&(v)[n], 0, sizeof(*(v))), &(v)[(n)++])

/* engine.c */
extern struct mc_sizes mc_size;
const struct mmu_api *mc_api_by_name(const char *name);
int mc_role_is(const struct mmu_api *api, enum mmu_role role);
enum mmu_kind mc_kind(const struct mmu_api *api);
enum mmu_level mc_level(const struct mmu_api *api);
int mc_has_flags(const struct mmu_api *api, unsigned int flags);
int mc_parse_kernel_version(const char *v);
void mc_set_kernel_version(int kv);
int mc_kernel_version(void);
int mc_kernel_has_role(enum mmu_role role);
int mc_is_update(const struct mmu_api *api);
int mc_opens(const struct mmu_api *api);
int mc_closes(const struct mmu_api *api);
unsigned HOST_WIDE_INT mc_update_size(const struct mmu_api *api);
void mc_build(struct mc_fn *f, function *fun);
void mc_free(struct mc_fn *f);
int mc_kernel_mm(const struct mc_call *c);
int mc_type_role(tree t, enum mmu_role role);
int mc_covers_pud(const struct mc_object *o);
int mc_under_test(basic_block bb, enum mmu_role role1, enum mmu_role role2);
int mc_under_failed_test(basic_block bb, enum mmu_role role);
basic_block mc_test_branch(basic_block bb, enum mmu_role role);
const char *mc_role_api(enum mmu_role role);
int mc_cond_tests(gimple *cond, enum mmu_role role);
tree mc_strip(tree t);
int mc_same_value(tree a, tree b, int depth);
/* x & mask with a constant mask: one the caller looks for, see below. */
typedef int (*mc_mask_match)(tree x, unsigned HOST_WIDE_INT mask,
			     const void *data);
gimple *mc_find_const_mask(function *fun, mc_mask_match match,
			   const void *data);
int mc_const_size(tree start, tree end, unsigned HOST_WIDE_INT *size);
int mc_path_avoiding(basic_block from, gimple *after,
		     int (*stop)(const struct mc_call *c, const void *ctx),
		     int (*target)(const struct mc_call *c, const void *ctx),
		     const void *ctx, struct mc_fn *f);
const char *mc_call_name(const struct mc_call *c);
int mc_line(gimple *stmt);
/* What a function of the unit does, for its callers (mc_unit_mark()). */
enum { MC_UNIT_UNSHARES = 1, MC_UNIT_UNLOCKS_UNFLUSHED = 2 };
struct mc_note {
	const char *name;	/* the call that earned the mark */
	int line;
};
tree mc_callee(const struct mc_call *c);
void mc_unit_mark(struct mc_fn *f, unsigned int bits);
void mc_unit_note(struct mc_fn *f, unsigned int bits, const struct mc_call *why);
const struct mc_note *mc_unit_note_of(const struct mc_call *c,
				      unsigned int bits);
int mc_unit_marked(const struct mc_call *c, unsigned int bits);
int mc_reaches_unshare(const struct mc_call *c);
int mc_wide_value(struct mc_fn *f, tree v);
int mc_block_reaches(function *fun, basic_block from, basic_block to);
int mc_call_reaches(struct mc_fn *f, const struct mc_call *a,
		    const struct mc_call *b);

/*
 * The rules, one line each in api/mmu_rules.def: MC_RULE_<slug> names
 * one in reports; check_<slug>(), in gcc-plugin/check_<slug>.c, checks
 * a function for it (the plugin calls them in the registry's order).
 * Weak: a rule whose backends column lacks B(PLUGIN) has no check, its
 * check_<slug> is NULL, and the plugin refuses to load when that and
 * the column disagree.
 */
#define MMU_MSG(id, key, text)
#define MMU_RULE(id, slug, ...) MC_RULE_##slug,
enum mc_rule {
#include "../api/mmu_rules.def"
	MC_RULE_COUNT
};
#undef MMU_RULE

#define MMU_RULE(id, slug, ...) \
	void check_##slug(struct mc_fn *f) __attribute__((weak));
#include "../api/mmu_rules.def"
#undef MMU_RULE
#undef MMU_MSG

/* mmucheck_plugin.c: diagnostics go to gcc and into the facts file. */
void mc_report(struct mc_fn *f, gimple *stmt, enum mc_rule rule,
	       const char *fmt, ...) ATTRIBUTE_PRINTF_4;
void mc_report_at(location_t loc, const char *function, enum mc_rule rule,
		  const char *fmt, ...) ATTRIBUTE_PRINTF_4;
int mc_rule_enabled(enum mc_rule rule);

/* facts.c: MMU001 (check_unbracketed()) and the facts for the link step. */
void facts_function(struct mc_fn *f);
void facts_static_initializer(tree var);
void facts_finding(const char *rule, location_t loc, const char *function,
		   const char *message);
void facts_finish_unit(const char *dir, int in_object);
char *facts_key(tree decl);
int facts_unit_covered(const char *key);
int facts_unit_callback(const char *key);

/* check_flush.c: MMU005's findings that need the whole unit. */
void check_flush_unit(void);
void check_flush_finish(void);
void check_flush_entry(struct mc_fn *f);

/* check_flush_order.c: MMU007's findings that need the whole unit. */
void check_flush_order_decl(tree decl);
void check_flush_order_finish(void);

#endif
