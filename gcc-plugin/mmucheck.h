/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mmucheck.h - the engine the plugin's checks share.
 *
 * The engine runs once per function, on GIMPLE in SSA form before any
 * inlining, so calls to the kernel's inline wrappers are still calls.
 * It classifies calls by api/mmu_api.def, finds the range objects,
 * and computes the bracket state before each call on every path: a
 * may-set (open on some path) and a must-set (open on all paths).
 * Each check (check_*.c) then reads that summary.
 */
#ifndef MMUCHECK_PLUGIN_H
#define MMUCHECK_PLUGIN_H

#include "gcc-common.h"

struct mmu_api {
	const char *name;
	const char *role;
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

/* engine.c */
extern struct mc_sizes mc_size;
const struct mmu_api *mc_api_by_name(const char *name);
int mc_role_is(const struct mmu_api *api, const char *role);
int mc_is_update(const struct mmu_api *api);
int mc_opens(const struct mmu_api *api);
int mc_closes(const struct mmu_api *api);
unsigned HOST_WIDE_INT mc_update_size(const struct mmu_api *api);
void mc_build(struct mc_fn *f, function *fun);
void mc_free(struct mc_fn *f);
int mc_kernel_mm(const struct mc_call *c);
int mc_type_role(tree t, const char *role);
int mc_covers_pud(const struct mc_object *o);
int mc_under_test(basic_block bb, const char *role1, const char *role2);
int mc_under_failed_test(basic_block bb, const char *role);
int mc_cond_tests(gimple *cond, const char *role);
tree mc_strip(tree t);
int mc_same_value(tree a, tree b, int depth);
int mc_const_size(tree start, tree end, unsigned HOST_WIDE_INT *size);
int mc_path_avoiding(basic_block from, gimple *after,
		     int (*stop)(const struct mc_call *c, const void *ctx),
		     int (*target)(const struct mc_call *c, const void *ctx),
		     const void *ctx, struct mc_fn *f);
const char *mc_call_name(const struct mc_call *c);
int mc_line(gimple *stmt);

/* mmucheck_plugin.c: diagnostics go to gcc and into the facts file. */
void mc_report(struct mc_fn *f, gimple *stmt, const char *rule,
	       const char *fmt, ...) ATTRIBUTE_PRINTF_4;
void mc_report_at(location_t loc, const char *function, const char *rule,
		  const char *fmt, ...) ATTRIBUTE_PRINTF_4;
int mc_rule_enabled(const char *rule);

/* facts.c */
void facts_function(struct mc_fn *f);
void facts_static_initializer(tree var);
void facts_finding(const char *rule, location_t loc, const char *function,
		   const char *message);
void facts_finish_unit(const char *dir);

/* The checks, one module each. */
void check_range_size(struct mc_fn *f);		/* MMU002 */
void check_pmd_sharing(struct mc_fn *f);	/* MMU003 */
void check_unbalanced(struct mc_fn *f);		/* MMU004 */
void check_flush(struct mc_fn *f);		/* MMU005 */
void check_legacy_page(struct mc_fn *f);	/* MMU006 */
void check_flush_order(struct mc_fn *f);	/* MMU007 */
void check_flush_order_decl(tree decl);
void check_flush_order_finish(void);
void check_address_arith(struct mc_fn *f);	/* MMU008 */

#endif
