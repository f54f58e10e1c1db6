// SPDX-License-Identifier: GPL-2.0-only
/*
 * MMU005: (v3.19-v6.5) invalidate_range_only_end() skips the
 * secondary-TLB invalidation, so every update in its bracket must be a
 * _notify variant, also those of the helpers it calls; a CPU TLB flush
 * outside any bracket must invalidate the secondary TLBs too; and a
 * cache flush must cover the huge mapping.
 */
#include "mmucheck.h"

static int is_notify(const struct mmu_api *api)
{
	return mc_has_flags(api, MMU_FLAG_NOTIFY);
}

/*
 * Before v6.6 the _notify helpers are macros on some trees (6.1:
 * ptep_clear_flush_notify() is ptep_clear_flush() followed by
 * mmu_notifier_invalidate_range()), so the compiler sees the plain
 * update: it notifies when an invalidate_range() follows it.
 */
static int notified_after(struct mc_fn *f, const struct mc_call *u)
{
	unsigned int i;

	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *t = &f->call[i];

		if (!mc_role_is(t->api, MMU_ROLE_SEC_TLB))
			continue;
		if (t->bb == u->bb ? gimple_uid(t->stmt) > gimple_uid(u->stmt) :
		    dominated_by_p(CDI_DOMINATORS, t->bb, u->bb))
			return 1;
	}
	return 0;
}

static int check_only_end(struct mc_fn *f, const struct mc_call *end)
{
	unsigned int i, bit = 1u << end->object;

	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *u = &f->call[i];

		if (mc_is_update(u->api) && !is_notify(u->api) &&
		    (u->may & bit) && !mc_kernel_mm(u) &&
		    !notified_after(f, u)) {
			mc_report(f, end->stmt, MC_RULE_flush,
				  mmu_msg_005_only_end_skips,
				  mc_call_name(end), mc_call_name(u),
				  mc_line(u->stmt));
			return 1;
		}
	}
	return 0;
}

/* flush_cache_page() on a path that changes a PMD or hugetlb entry. */
static void check_cache_page(struct mc_fn *f, const struct mc_call *flush)
{
	unsigned int i;

	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *u = &f->call[i];

		if (mc_is_update(u->api) && mc_update_size(u->api) != mc_size.page &&
		    (dominated_by_p(CDI_DOMINATORS, u->bb, flush->bb) ||
		     dominated_by_p(CDI_DOMINATORS, flush->bb, u->bb))) {
			mc_report(f, flush->stmt, MC_RULE_flush,
				  mmu_msg_005_cache_one_page,
				  mc_call_name(flush), mc_call_name(u),
				  mc_line(u->stmt));
			return;
		}
	}
}

/* --- what the unit's end decides ---------------------------------------- */

static void check_arch_entries(void);

/* A CPU TLB flush outside any bracket: reported unless callers cover fn. */
struct old_flush {
	char *key, *fn, *text;
	location_t loc;
};

/* A function that updates with a plain primitive and notifies nothing. */
struct plain_fn {
	char *key, *prim;
	int line;
};

/* caller -> callee of such functions; an only_end's call of a helper. */
struct call_edge {
	char *caller, *callee, *fn, *callee_name;
	location_t loc;
};

static struct old_flush *old_flushes;
static unsigned int n_old_flushes;
static struct plain_fn *plain_fns;
static unsigned int n_plain_fns;
static struct call_edge *plain_calls, *end_calls;
static unsigned int n_plain_calls, n_end_calls;

static int calls_role(const struct mc_fn *f, enum mmu_role role)
{
	unsigned int i;

	for (i = 0; i < f->n_call; i++)
		if (mc_role_is(f->call[i].api, role))
			return 1;
	return 0;
}

static int has_bracket_event(const struct mc_fn *f)
{
	unsigned int i;

	for (i = 0; i < f->n_call; i++)
		if (mc_opens(f->call[i].api) || mc_closes(f->call[i].api))
			return 1;
	return 0;
}

/* A direct call of a function that is not an API (a helper). */
static tree helper_callee(const struct mc_call *c)
{
	tree fn = is_gimple_call(c->stmt) ? gimple_call_fndecl(c->stmt) : NULL;

	return c->api || !fn || fndecl_built_in_p(fn) ? NULL_TREE : fn;
}

static void add_edge(struct call_edge **v, unsigned int *n, const struct mc_fn *f,
		     const struct mc_call *c, tree callee)
{
	struct call_edge *e = VEC_PUSH(*v, *n);

	e->caller = facts_key(f->fun->decl);
	e->callee = facts_key(callee);
	e->fn = xstrdup(f->name);
	e->callee_name = xstrdup(decl_name(callee));
	e->loc = expansion_point(gimple_location(c->stmt));
}

/*
 * A function with no bracket and no secondary-TLB invalidation: its
 * first plain update, and the helpers it calls, for the only_end()
 * brackets of its callers.
 */
static void note_plain(const struct mc_fn *f)
{
	unsigned int i;
	int noted = 0;

	if (calls_role(f, MMU_ROLE_SEC_TLB) || has_bracket_event(f))
		return;
	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *c = &f->call[i];
		tree callee = helper_callee(c);

		if (callee) {
			add_edge(&plain_calls, &n_plain_calls, f, c, callee);
		} else if (!noted && mc_is_update(c->api) &&
			   !is_notify(c->api) && !mc_kernel_mm(c)) {
			struct plain_fn *p = VEC_PUSH(plain_fns, n_plain_fns);

			p->key = facts_key(f->fun->decl);
			p->prim = xstrdup(mc_call_name(c));
			p->line = mc_line(c->stmt);
			noted = 1;
		}
	}
}

/*
 * The helpers called inside a bracket that only_end() closes, not
 * notified after.  Any open range counts: the old API's start(mm, s, e)
 * and only_end(mm, s, e) load the mm twice.
 */
static void note_end_calls(struct mc_fn *f, const struct mc_call *end)
{
	unsigned int i;

	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *c = &f->call[i];
		tree callee = helper_callee(c);

		if (callee && c->may && !notified_after(f, c) &&
		    dominated_by_p(CDI_DOMINATORS, end->bb, c->bb))
			add_edge(&end_calls, &n_end_calls, f, end, callee);
	}
}

/* The plain update key's function makes, or a helper it calls; or NULL. */
static const struct plain_fn *plain_update(const char *key, int depth)
{
	unsigned int i;
	const struct plain_fn *p;

	if (depth > 8)
		return NULL;
	for (i = 0; i < n_plain_fns; i++)
		if (!strcmp(plain_fns[i].key, key))
			return &plain_fns[i];
	for (i = 0; i < n_plain_calls; i++) {
		if (strcmp(plain_calls[i].caller, key) ||
		    !strcmp(plain_calls[i].callee, key))
			continue;
		p = plain_update(plain_calls[i].callee, depth + 1);
		if (p)
			return p;
	}
	return NULL;
}

/*
 * only_end() after a call of a helper of this unit whose update is a
 * plain primitive: neither the helper nor the end invalidates the
 * secondary TLBs.  Decided when every function of the unit is known.
 */
void check_flush_finish(void)
{
	unsigned int i;
	location_t done = UNKNOWN_LOCATION;
	char line[16];

	check_arch_entries();

	for (i = 0; i < n_end_calls; i++) {
		const struct call_edge *e = &end_calls[i];
		const struct plain_fn *p;

		if (e->loc == done)
			continue;
		p = plain_update(e->callee, 0);
		if (!p)
			continue;
		snprintf(line, sizeof(line), "%d", p->line);
		mc_report_at(e->loc, e->fn, MC_RULE_flush,
			     mmu_msg_005_helper_not_notify,
			     e->callee_name, p->prim, line);
		done = e->loc;
	}
}

/* Flushes the CPU TLB now (not a batch queued for later). */
static int is_cpu_flush(const struct mmu_api *api)
{
	return mc_kind(api) == MMU_KIND_FLUSH &&
	       mc_has_flags(api, MMU_FLAG_CPU_TLB) &&
	       !mc_has_flags(api, MMU_FLAG_DEFERRED);
}

/* A fault handler (it takes a struct vm_fault *): no caller brackets it. */
static int is_fault_handler(tree decl)
{
	tree parm;

	for (parm = DECL_ARGUMENTS(decl); parm; parm = DECL_CHAIN(parm))
		if (mc_type_role(TREE_TYPE(parm), MMU_ROLE_FAULT_CONTEXT))
			return 1;
	return 0;
}

/*
 * Code that owes no secondary-TLB invalidation of its own: it brackets
 * (or a helper opens a bracket for it), it invalidates or notifies per
 * page, or it is the arch or header code the primitives are made of.
 */
static int owes_nothing(const struct mc_fn *f)
{
	const char *file = DECL_SOURCE_FILE(f->fun->decl);
	unsigned int i;

	if (has_bracket_event(f) || !strncmp(file, "arch/", 5) ||
	    strstr(file, "/arch/") || strstr(file, "include/"))
		return 1;
	for (i = 0; i < f->n_call; i++) {
		const struct mmu_api *api = f->call[i].api;

		if (mc_role_is(api, MMU_ROLE_OPENS_FOR_CALLER) ||
		    mc_role_is(api, MMU_ROLE_SEC_TLB) ||
		    mc_role_is(api, MMU_ROLE_LEGACY_PAGE) || is_notify(api))
			return 1;
	}
	return 0;
}

static int is_stmt(const struct mc_call *c, const void *ctx)
{
	return c->stmt == ((const struct mc_call *)ctx)->stmt;
}

static int never(const struct mc_call *c, const void *ctx)
{
	(void)c;
	(void)ctx;
	return 0;
}

/*
 * The first update of a user mm from which a path reaches the flush.
 * Not an unshare: its flush is the mmu_gather's (MMU003, MMU007).
 */
static const struct mc_call *update_before(struct mc_fn *f,
					   const struct mc_call *fl)
{
	unsigned int i;

	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *u = &f->call[i];

		if (u != fl && mc_is_update(u->api) && !mc_kernel_mm(u) &&
		    !mc_role_is(u->api, MMU_ROLE_UNSHARE) &&
		    mc_path_avoiding(u->bb, u->stmt, never, is_stmt, fl, f))
			return u;
	}
	return NULL;
}

static void note_old_flush(const struct mc_fn *f, gimple *stmt, char *text)
{
	struct old_flush *o = VEC_PUSH(old_flushes, n_old_flushes);

	o->key = facts_key(f->fun->decl);
	o->fn = xstrdup(f->name);
	o->text = text;
	o->loc = expansion_point(gimple_location(stmt));
}

/*
 * (v3.19-v6.5) Outside any bracket, a CPU TLB flush of a user range
 * leaves the secondary TLBs stale unless mmu_notifier_invalidate_range()
 * follows: an update that flushes (ptep_clear_flush(), as the semantic
 * patches say: its name), a flush after an update, and in a fault
 * handler any flush (it flushes a change pending elsewhere, whose
 * bracket ends later).  Callers in this unit may bracket the function:
 * check_flush_unit() decides.
 */
static void check_old_flushes(struct mc_fn *f)
{
	const char *sec = mc_role_api(MMU_ROLE_SEC_TLB);
	int fault = is_fault_handler(f->fun->decl);
	unsigned int i;
	char line[16];

	if (owes_nothing(f))
		return;
	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *c = &f->call[i], *u = NULL;

		if (mc_kernel_mm(c))
			continue;
		if (is_cpu_flush(c->api))
			u = update_before(f, c);
		if (mc_is_update(c->api) && strstr(mc_call_name(c), "flush")) {
			note_old_flush(f, c->stmt,
				       xasprintf(mmu_msg_005_flush_unbracketed,
						 mc_call_name(c), sec));
		} else if (u) {
			snprintf(line, sizeof(line), "%d", mc_line(u->stmt));
			note_old_flush(f, c->stmt,
				       xasprintf(mmu_msg_005_flush_after_update,
						 mc_call_name(c),
						 mc_call_name(u), line, sec));
		} else if (is_cpu_flush(c->api) && fault) {
			note_old_flush(f, c->stmt,
				       xasprintf(mmu_msg_005_flush_unbracketed,
						 mc_call_name(c), sec));
		}
	}
}

/*
 * Without facts: the flushes of functions no caller here brackets.  A
 * callback (walk or rmap ops) is left to MMU001: its bracket is the
 * walker's caller's.
 */
void check_flush_unit(void)
{
	unsigned int i;

	for (i = 0; i < n_old_flushes; i++)
		if (!facts_unit_covered(old_flushes[i].key) &&
		    !facts_unit_callback(old_flushes[i].key))
			mc_report_at(old_flushes[i].loc, old_flushes[i].fn,
				     MC_RULE_flush, "%s", old_flushes[i].text);
}

/*
 * Only in kernels that invalidate secondary TLBs beside the CPU's (the
 * table's SEC_TLB rows, v3.19-v6.5): from v6.6 the arch TLB code does.
 */
void check_flush(struct mc_fn *f)
{
	unsigned int i;

	check_flush_entry(f);
	if (!mc_kernel_has_role(MMU_ROLE_SEC_TLB))
		return;
	note_plain(f);
	check_old_flushes(f);
	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *c = &f->call[i];

		if (mc_role_is(c->api, MMU_ROLE_ONLY_END) && c->object >= 0) {
			if (!check_only_end(f, c))
				note_end_calls(f, c);
		} else if (mc_role_is(c->api, MMU_ROLE_CACHE_FLUSH_PAGE)) {
			check_cache_page(f, c);
		}
	}
}

/* --- (v6.6+) the arch TLB flush code and the secondary-TLB hook ---------- */

/*
 * A function of the unit, as the arch check sees it: an entry point
 * (its name is a CPU TLB flush of api/mmu_api.def, defined here), whether
 * it calls the hook, and its last call (where the hook belongs).
 */
struct arch_fn {
	char *key, *name;
	int entry, batch, hook, reach, reported;
	location_t last;
};

/* caller -> callee, and whether the caller hands it an address it got. */
struct arch_call {
	char *caller, *callee;
	int entry, range;
};

static struct arch_fn *arch_fns;
static unsigned int n_arch_fns;
static struct arch_call *arch_calls;
static unsigned int n_arch_calls;

/* A CPU TLB flush entry point: what the callers of the arch code call. */
static const struct mmu_api *flush_entry(const char *name)
{
	const struct mmu_api *api = mc_api_by_name(name);

	return mc_kind(api) == MMU_KIND_FLUSH &&
	       mc_has_flags(api, MMU_FLAG_CPU_TLB) ? api : NULL;
}

/* An argument that is one of the function's own address parameters. */
static int passes_address(gimple *call)
{
	unsigned int i;

	for (i = 0; i < gimple_call_num_args(call); i++) {
		tree a = mc_strip(gimple_call_arg(call, i));

		if (TREE_CODE(a) == SSA_NAME && SSA_NAME_IS_DEFAULT_DEF(a) &&
		    SSA_NAME_VAR(a) &&
		    TREE_CODE(SSA_NAME_VAR(a)) == PARM_DECL &&
		    INTEGRAL_TYPE_P(TREE_TYPE(a)))
			return 1;
	}
	return 0;
}

static void note_arch_call(const struct mc_fn *f, const struct mc_call *c)
{
	tree fn = gimple_call_fndecl(c->stmt);
	struct arch_call *a;

	if (!fn || fndecl_built_in_p(fn) || fn == f->fun->decl)
		return;
	a = VEC_PUSH(arch_calls, n_arch_calls);
	a->caller = facts_key(f->fun->decl);
	a->callee = facts_key(fn);
	a->entry = flush_entry(decl_name(fn)) != NULL;
	a->range = passes_address(c->stmt);
}

/*
 * The loop-carried change of a parameter (start += stride round a loop,
 * also inside a flush macro): the line of the step, or 0.
 */
static int loop_step_line(tree t)
{
	gimple *phi, *def;
	unsigned int i;

	if (TREE_CODE(t) != SSA_NAME || SSA_NAME_IS_DEFAULT_DEF(t) ||
	    gimple_code(SSA_NAME_DEF_STMT(t)) != GIMPLE_PHI)
		return 0;
	phi = SSA_NAME_DEF_STMT(t);
	for (i = 0; i < gimple_phi_num_args(phi); i++) {
		tree a = gimple_phi_arg_def(phi, i);

		if (TREE_CODE(a) != SSA_NAME || SSA_NAME_IS_DEFAULT_DEF(a))
			continue;
		def = SSA_NAME_DEF_STMT(a);
		if (is_gimple_assign(def) &&
		    (gimple_assign_rhs_code(def) == PLUS_EXPR ||
		     gimple_assign_rhs_code(def) == POINTER_PLUS_EXPR ||
		     gimple_assign_rhs_code(def) == MINUS_EXPR) &&
		    mc_strip(gimple_assign_rhs1(def)) == t)
			return mc_line(def);
	}
	return 0;
}

/*
 * The hook must get the range that was flushed: a parameter the flush
 * loop advanced (the plugin sees through the macro that does it) now
 * holds the end of the range, or past it.
 */
static void check_hook_range(struct mc_fn *f, const struct mc_call *c)
{
	unsigned int i;
	char line[16], *why;

	for (i = 1; i < 3 && i < gimple_call_num_args(c->stmt); i++) {
		tree a = mc_strip(gimple_call_arg(c->stmt, i));
		tree var = TREE_CODE(a) == SSA_NAME ? SSA_NAME_VAR(a) : NULL;
		int step = loop_step_line(a);

		if (!step || !var || TREE_CODE(var) != PARM_DECL)
			continue;
		snprintf(line, sizeof(line), "%d", step);
		why = xasprintf(mmu_msg_005_advanced_by_loop, decl_name(var),
				line);
		mc_report(f, c->stmt, MC_RULE_flush,
			  mmu_msg_005_hook_range_not_flushed, why);
		free(why);
		return;
	}
}

/*
 * (v6.6+) Every function, the API's own included: the arch code that
 * defines the flush entry points is where the hook belongs.
 */
void check_flush_entry(struct mc_fn *f)
{
	const struct mmu_api *api = flush_entry(f->name);
	struct arch_fn *a;
	unsigned int i;
	int last_line = 0;

	if (!mc_kernel_has_role(MMU_ROLE_ARCH_SEC_TLB))
		return;
	a = VEC_PUSH(arch_fns, n_arch_fns);
	a->key = facts_key(f->fun->decl);
	a->name = xstrdup(f->name);
	a->entry = api != NULL;
	a->batch = mc_has_flags(api, MMU_FLAG_DEFERRED);
	a->last = expansion_point(DECL_SOURCE_LOCATION(f->fun->decl));
	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *c = &f->call[i];

		if (!is_gimple_call(c->stmt))
			continue;
		if (mc_line(c->stmt) >= last_line) {
			last_line = mc_line(c->stmt);
			a->last = expansion_point(gimple_location(c->stmt));
		}
		if (mc_role_is(c->api, MMU_ROLE_ARCH_SEC_TLB)) {
			a->hook = 1;
			check_hook_range(f, c);
		} else {
			note_arch_call(f, c);
		}
	}
}

static struct arch_fn *arch_fn_of(const char *key)
{
	unsigned int i;

	for (i = 0; i < n_arch_fns; i++)
		if (!strcmp(arch_fns[i].key, key))
			return &arch_fns[i];
	return NULL;
}

/*
 * The functions that reach the hook: they call it, or call a function
 * of this unit that does, or an entry point defined elsewhere (that one
 * answers for itself).  A helper calling an entry point does not make
 * the entry's own range notified.
 */
static void arch_reach(void)
{
	unsigned int i;
	int changed = 1;

	for (i = 0; i < n_arch_fns; i++)
		arch_fns[i].reach = arch_fns[i].hook;
	while (changed) {
		changed = 0;
		for (i = 0; i < n_arch_calls; i++) {
			struct arch_fn *a = arch_fn_of(arch_calls[i].caller);
			struct arch_fn *b = arch_fn_of(arch_calls[i].callee);

			if (!a || a->reach || (arch_calls[i].entry && !a->entry))
				continue;
			if (b ? b->reach : arch_calls[i].entry) {
				a->reach = 1;
				changed = 1;
			}
		}
	}
}

/*
 * The workers of an entry point that never notifies: the functions of
 * this unit it hands its range to that flush (as the semantic patches
 * say: by name).  Reported at their last call; the entry point itself
 * when it has none.
 */
static void report_unnotified(struct arch_fn *e, const char *hook)
{
	unsigned int i;
	int workers = 0;

	for (i = 0; i < n_arch_calls; i++) {
		const struct arch_call *c = &arch_calls[i];
		struct arch_fn *w = arch_fn_of(c->callee);

		if (strcmp(c->caller, e->key) || !w || w->entry || !c->range ||
		    !strstr(w->name, "flush"))
			continue;
		workers++;
		if (w->reach || w->reported)
			continue;
		w->reported = 1;
		mc_report_at(w->last, w->name, MC_RULE_flush,
			     mmu_msg_005_worker_no_hook, w->name, e->name,
			     hook);
	}
	if (!workers)
		mc_report_at(e->last, e->name, MC_RULE_flush,
			     mmu_msg_005_entry_no_hook, e->name, hook);
}

/*
 * (v6.6+) In a unit that takes part in secondary-TLB notification (it
 * calls the hook, or queues batched flushes), every CPU TLB flush entry
 * point it defines must reach the hook.
 */
static void check_arch_entries(void)
{
	const char *hook = mc_role_api(MMU_ROLE_ARCH_SEC_TLB);
	unsigned int i;
	int part = 0;

	for (i = 0; i < n_arch_fns; i++)
		part |= arch_fns[i].hook || arch_fns[i].batch;
	if (!part)
		return;
	arch_reach();
	for (i = 0; i < n_arch_fns; i++)
		if (arch_fns[i].entry && !arch_fns[i].reach)
			report_unnotified(&arch_fns[i], hook);
}
