// SPDX-License-Identifier: GPL-2.0-only
/*
 * MMU007: flushes in the wrong place.  On the function's CFG:
 *  - a TLB flush of entries cleared under the page-table lock, on a
 *    path that released that lock first (spin_unlock() of a ptl, which
 *    pte_unmap_unlock() expands to) with no flush or mmu_gather record
 *    in between;
 *  - a TLB flush inside lazy MMU mode after a clear in it, before
 *    arch_leave_lazy_mmu_mode() makes the clear take effect;
 *  - a cache flush after the huge_pmd_unshare() or the clear of the
 *    same address it is for;
 *  - where the unit has the cache flushes as functions (x86 defined
 *    them away as no-op macros before v5.9): an unshare in the
 *    function's own bracket with no cache flush before it, and a clear
 *    in a branch without the cache flush its sibling branch does first;
 *  - an mmu_gather used only by its init and finish around a bracket,
 *    in a unit that downgrades permissions: it flushes nothing;
 *  - a page copied before the bracket that takes its mappings away
 *    (not in fault handlers: a COW source is not writable).
 * Clears of entries tested not present are not flushes' business.
 */
#include "mmucheck.h"

/* Updates that remove an entry and leave its TLB flush to the caller. */
static int removes(const struct mc_call *c)
{
	return mc_is_update(c->api) && !mc_role_is(c->api, MMU_ROLE_UNSHARE) &&
	       strstr(c->api->name, "clear") && !strstr(c->api->name, "flush");
}

/* A CPU TLB flush issued here (not queued in a batch or a gather). */
static int is_tlb_flush(const struct mc_call *c)
{
	return mc_kind(c->api) == MMU_KIND_FLUSH &&
	       mc_has_flags(c->api, MMU_FLAG_CPU_TLB) &&
	       !mc_has_flags(c->api, MMU_FLAG_DEFERRED);
}

/*
 * A flush now, not one an mmu_gather records for its own flush
 * (tlb_flush_pmd_range(tlb, ...), which tlb_remove_huge_tlb_entry()
 * expands to): the gather keeps the pages until it has flushed.
 */
static int flushes_now(const struct mc_call *c)
{
	return is_tlb_flush(c) &&
	       !(gimple_call_num_args(c->stmt) &&
		 mc_type_role(TREE_TYPE(gimple_call_arg(c->stmt, 0)),
			      MMU_ROLE_GATHER_TYPE));
}

/*
 * What flushes or queues the flush of the cleared entries: a TLB flush,
 * or an mmu_gather's record or flush of one.
 */
static int flushed(const struct mc_call *c, const void *ctx)
{
	(void)ctx;
	return mc_has_flags(c->api, MMU_FLAG_CPU_TLB) &&
	       !mc_has_flags(c->api, MMU_FLAG_DEFERRED);
}

static int lazy_applied(const struct mc_call *c, const void *ctx)
{
	(void)ctx;
	return mc_role_is(c->api, MMU_ROLE_LAZY_MMU_LEAVE) ||
	       mc_role_is(c->api, MMU_ROLE_LAZY_MMU_FLUSH);
}

static int lazy_entered(const struct mc_call *c, const void *ctx)
{
	(void)ctx;
	return mc_role_is(c->api, MMU_ROLE_LAZY_MMU_ENTER);
}

static int never(const struct mc_call *c, const void *ctx)
{
	(void)c;
	(void)ctx;
	return 0;
}

static int opens(const struct mc_call *c, const void *ctx)
{
	(void)ctx;
	return mc_opens(c->api);
}

static int is_this(const struct mc_call *c, const void *ctx)
{
	return c == ctx;
}

/* Is there a path from a to b with no stop event on it? */
static int reaches(struct mc_fn *f, const struct mc_call *a,
		   const struct mc_call *b,
		   int (*stop)(const struct mc_call *c, const void *ctx))
{
	return mc_path_avoiding(a->bb, a->stmt, stop, is_this, b, f);
}

/* The name a lock is known by: ptl, old_ptl, vmf->ptl, &mm->page_table_lock. */
static const char *lock_name(tree t)
{
	gimple *def;

	t = mc_strip(t);
	if (t && TREE_CODE(t) == ADDR_EXPR)
		t = TREE_OPERAND(t, 0);
	if (t && TREE_CODE(t) == SSA_NAME && !SSA_NAME_IS_DEFAULT_DEF(t)) {
		def = SSA_NAME_DEF_STMT(t);
		if (gimple_assign_single_p(def))
			return lock_name(gimple_assign_rhs1(def));
	}
	if (t && TREE_CODE(t) == SSA_NAME)
		t = SSA_NAME_VAR(t);
	if (t && TREE_CODE(t) == COMPONENT_REF)
		t = TREE_OPERAND(t, 1);
	if (!t || !DECL_P(t) || !DECL_NAME(t))
		return NULL;
	return IDENTIFIER_POINTER(DECL_NAME(t));
}

static int is_ptl_unlock(const struct mc_call *c)
{
	const char *name, *tail;

	if (mc_role_is(c->api, MMU_ROLE_PTL_UNLOCK))
		return 1;
	if (!mc_role_is(c->api, MMU_ROLE_PTL_SPIN_UNLOCK) ||
	    gimple_call_num_args(c->stmt) != 1)
		return 0;
	name = lock_name(gimple_call_arg(c->stmt, 0));
	if (!name)
		return 0;
	tail = strrchr(name, '_');
	return mc_role_is(mc_api_by_name(name), MMU_ROLE_PTL_NAME) ||
	       (tail && mc_role_is(mc_api_by_name(tail + 1), MMU_ROLE_PTL_NAME));
}

/* A clear whose TLB flush is due: of a present entry of a user mm. */
static int not_present(basic_block bb);

static int clear_to_flush(const struct mc_call *c)
{
	return removes(c) && !mc_kernel_mm(c) && !not_present(c->bb);
}

/* The function installs a page table (or a moved entry above the PTEs). */
static int installs_table(struct mc_fn *f)
{
	unsigned int i;

	for (i = 0; i < f->n_call; i++)
		if (mc_role_is(f->call[i].api, MMU_ROLE_TABLE_POPULATE) ||
		    mc_role_is(f->call[i].api, MMU_ROLE_SET_PMD))
			return 1;
	return 0;
}

/*
 * The clear of an entry pointing to a page table the function moves
 * elsewhere: the mappings under it are gone, CPUs may still cache them.
 * (A table clear elsewhere frees a table through an mmu_gather or
 * clears one never populated.)
 */
static int moved_table_clear(struct mc_fn *f, const struct mc_call *c)
{
	return (mc_role_is(c->api, MMU_ROLE_TABLE_CLEAR_PMD) ||
		mc_role_is(c->api, MMU_ROLE_TABLE_CLEAR_PUD)) &&
	       !mc_kernel_mm(c) && !not_present(c->bb) && installs_table(f);
}

static const struct mc_call *cleared_before(struct mc_fn *f,
					    const struct mc_call *u)
{
	unsigned int i;

	for (i = 0; i < f->n_call; i++)
		if ((clear_to_flush(&f->call[i]) ||
		     moved_table_clear(f, &f->call[i])) &&
		    reaches(f, &f->call[i], u, flushed))
			return &f->call[i];
	return NULL;
}

static int flush_after_unlock(struct mc_fn *f, const struct mc_call *fl)
{
	const struct mc_call *c;
	unsigned int i;

	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *u = &f->call[i];

		if (!is_ptl_unlock(u) || !reaches(f, u, fl, flushed))
			continue;
		c = cleared_before(f, u);
		if (!c)
			continue;
		mc_report(f, fl->stmt, MC_RULE_flush_order,
			  mmu_msg_007_clear_flushed_after_unlock,
			  mc_call_name(fl), mc_call_name(u), mc_line(u->stmt),
			  mc_call_name(c), mc_line(c->stmt));
		return 1;
	}
	return 0;
}

static void flush_in_lazy_mode(struct mc_fn *f, const struct mc_call *fl)
{
	unsigned int e, c, l;

	for (e = 0; e < f->n_call; e++) {
		if (!lazy_entered(&f->call[e], NULL))
			continue;
		for (c = 0; c < f->n_call; c++) {
			if (!clear_to_flush(&f->call[c]) ||
			    !reaches(f, &f->call[e], &f->call[c], lazy_applied) ||
			    !reaches(f, &f->call[c], fl, lazy_applied))
				continue;
			for (l = 0; l < f->n_call; l++) {
				if (!mc_role_is(f->call[l].api,
						MMU_ROLE_LAZY_MMU_LEAVE) ||
				    !reaches(f, fl, &f->call[l], lazy_entered))
					continue;
				mc_report(f, fl->stmt, MC_RULE_flush_order,
					  mmu_msg_007_flush_in_lazy_mode,
					  mc_call_name(fl), mc_call_name(&f->call[l]),
					  mc_line(f->call[l].stmt),
					  mc_line(f->call[c].stmt));
				return;
			}
		}
	}
}

/* Does a come before b on every path to b (a dominates b)? */
static int before(const struct mc_call *a, const struct mc_call *b)
{
	if (a->bb == b->bb)
		return gimple_uid(a->stmt) < gimple_uid(b->stmt);
	return dominated_by_p(CDI_DOMINATORS, b->bb, a->bb);
}

static int has_arg(gimple *call, tree value)
{
	unsigned int i;

	for (i = 0; i < gimple_call_num_args(call); i++)
		if (mc_same_value(gimple_call_arg(call, i), value, 0))
			return 1;
	return 0;
}

static void cache_flush_late(struct mc_fn *f, const struct mc_call *cf)
{
	unsigned int i;

	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *u = &f->call[i];

		if (!before(u, cf))
			continue;
		if (mc_role_is(u->api, MMU_ROLE_UNSHARE)) {
			mc_report(f, cf->stmt, MC_RULE_flush_order,
				  mmu_msg_007_cache_after_unshare,
				  mc_call_name(cf), mc_call_name(u),
				  mc_line(u->stmt));
			return;
		}
		if (mc_is_update(u->api) && gimple_call_num_args(u->stmt) > 1 &&
		    has_arg(cf->stmt, gimple_call_arg(u->stmt, 1))) {
			mc_report(f, cf->stmt, MC_RULE_flush_order,
				  mmu_msg_007_cache_after_clear,
				  mc_call_name(cf), mc_call_name(u),
				  mc_line(u->stmt));
			return;
		}
	}
}

/* A fault handler copies for a write fault (COW): no one writes the source. */
static int fault_handler(struct mc_fn *f)
{
	tree p;

	for (p = DECL_ARGUMENTS(f->fun->decl); p; p = DECL_CHAIN(p))
		if (mc_type_role(TREE_TYPE(p), MMU_ROLE_FAULT_CONTEXT))
			return 1;
	return 0;
}

static void copy_before_bracket(struct mc_fn *f, const struct mc_call *cp)
{
	unsigned int s, c;

	for (s = 0; s < f->n_call; s++) {
		const struct mc_call *st = &f->call[s];

		if (!mc_opens(st->api) || mc_line(st->stmt) <= mc_line(cp->stmt) ||
		    !reaches(f, cp, st, opens))
			continue;
		for (c = 0; c < f->n_call; c++) {
			const struct mc_call *u = &f->call[c];

			if (!mc_is_update(u->api) ||
			    mc_role_is(u->api, MMU_ROLE_UNSHARE) ||
			    !reaches(f, st, u, never))
				continue;
			mc_report(f, cp->stmt, MC_RULE_flush_order,
				  mmu_msg_007_copy_before_open,
				  mc_call_name(cp), mc_line(st->stmt),
				  mc_call_name(u), mc_line(u->stmt));
			return;
		}
	}
}

/* A cache flush, or an mmu_gather's of a vma (tlb_start_vma()). */
static int is_cache_flush(const struct mc_call *c, const void *ctx)
{
	(void)ctx;
	return mc_has_flags(c->api, MMU_FLAG_CACHE);
}

/* A cache flush of an address or a range (not through a gather). */
static int flushes_cache(const struct mmu_api *api)
{
	return mc_kind(api) == MMU_KIND_FLUSH &&
	       mc_has_flags(api, MMU_FLAG_CACHE);
}

/*
 * Findings that depend on the whole unit, reported at its end: a cache
 * flush that is a no-op macro on this architecture (x86 before v5.9)
 * leaves no call to see, so a missing one is reported only where the
 * unit declares it as a function; and the permission downgrades an
 * empty mmu_gather should have flushed may be in another function.
 */
struct deferred {
	location_t loc;
	char *function, *message;
	int needs;		/* UNIT_* this finding needs */
};

enum { UNIT_CACHE_FLUSH = 1, UNIT_DOWNGRADE = 2 };

static struct deferred *deferred;
static unsigned int n_deferred, cap_deferred;
static int unit_has;

static void defer(struct mc_fn *f, gimple *stmt, int needs, const char *fmt,
		  ...) ATTRIBUTE_PRINTF_4;

static void defer(struct mc_fn *f, gimple *stmt, int needs, const char *fmt,
		  ...)
{
	struct deferred *d;
	va_list ap;

	if (n_deferred == cap_deferred) {
		cap_deferred = cap_deferred ? 2 * cap_deferred : 16;
		deferred = XRESIZEVEC(struct deferred, deferred, cap_deferred);
	}
	d = &deferred[n_deferred];
	va_start(ap, fmt);
	if (vasprintf(&d->message, fmt, ap) < 0) {
		va_end(ap);
		return;
	}
	va_end(ap);
	d->loc = expansion_point(gimple_location(stmt));
	d->function = xstrdup(f->name);
	d->needs = needs;
	n_deferred++;
}

/* Declarations: is a cache flush a function here (not a no-op macro)? */
void check_flush_order_decl(tree decl)
{
	const struct mmu_api *api;

	if (!decl || TREE_CODE(decl) != FUNCTION_DECL || !DECL_NAME(decl))
		return;
	api = mc_api_by_name(IDENTIFIER_POINTER(DECL_NAME(decl)));
	if (flushes_cache(api))
		unit_has |= UNIT_CACHE_FLUSH;
}

void check_flush_order_finish(void)
{
	unsigned int i;

	for (i = 0; i < n_deferred; i++) {
		struct deferred *d = &deferred[i];

		if ((unit_has & d->needs) == d->needs)
			mc_report_at(d->loc, d->function, MC_RULE_flush_order, "%s",
				     d->message);
		free(d->function);
		free(d->message);
	}
	n_deferred = 0;
	unit_has = 0;
}

/* An unshare inside this function's bracket with no cache flush before it. */
static void unshare_without_cache_flush(struct mc_fn *f,
					const struct mc_call *u)
{
	basic_block entry = single_succ(ENTRY_BLOCK_PTR_FOR_FN(f->fun));
	unsigned int i;

	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *s = &f->call[i];

		if (!mc_opens(s->api) ||
		    !mc_path_avoiding(entry, NULL, is_cache_flush, is_this, s,
				      f) ||
		    !reaches(f, s, u, is_cache_flush))
			continue;
		defer(f, u->stmt, UNIT_CACHE_FLUSH,
		      mmu_msg_007_unshare_no_cache_flush,
		      mc_call_name(u), mc_line(s->stmt));
		return;
	}
}

/* Does a condition tell present entries from others? */
static int presence_test(gimple *cond)
{
	return mc_cond_tests(cond, MMU_ROLE_NONPRESENT_TEST) ||
	       mc_cond_tests(cond, MMU_ROLE_PRESENT_TEST);
}

/* Is bb reached only for an entry known not to be present? */
static int not_present(basic_block bb)
{
	return mc_under_test(bb, MMU_ROLE_NONPRESENT_TEST,
			     MMU_ROLE_NONPRESENT_TEST) ||
	       mc_under_failed_test(bb, MMU_ROLE_PRESENT_TEST);
}

static int is_clear(const struct mc_call *c)
{
	return mc_is_update(c->api) && !mc_role_is(c->api, MMU_ROLE_UNSHARE);
}

/* A cache flush, then a clear, both under dest. */
static const struct mc_call *flushed_clear_under(struct mc_fn *f,
						 basic_block dest)
{
	unsigned int i, j;

	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *cf = &f->call[i];

		if (!is_cache_flush(cf, NULL) ||
		    !dominated_by_p(CDI_DOMINATORS, cf->bb, dest))
			continue;
		for (j = 0; j < f->n_call; j++)
			if (is_clear(&f->call[j]) && before(cf, &f->call[j]))
				return cf;
	}
	return NULL;
}

/* A clear in one branch with no cache flush, its sibling flushing first. */
static void branch_without_cache_flush(struct mc_fn *f,
				       const struct mc_call *c)
{
	basic_block d;
	unsigned int i;

	for (i = 0; i < f->n_call; i++)
		if (is_cache_flush(&f->call[i], NULL) && before(&f->call[i], c))
			return;
	if (not_present(c->bb))
		return;
	for (d = get_immediate_dominator(CDI_DOMINATORS, c->bb); d;
	     d = get_immediate_dominator(CDI_DOMINATORS, d)) {
		gimple *last = block_last_stmt(d);
		edge mine = NULL, other = NULL, e;
		edge_iterator ei;

		if (!last || gimple_code(last) != GIMPLE_COND ||
		    EDGE_COUNT(d->succs) != 2)
			continue;
		FOR_EACH_EDGE(e, ei, d->succs)
			if (single_pred_p(e->dest) &&
			    dominated_by_p(CDI_DOMINATORS, c->bb, e->dest))
				mine = e;
			else
				other = e;
		if (!mine || !other || !single_pred_p(other->dest) ||
		    !flushed_clear_under(f, other->dest))
			continue;
		if (presence_test(last))
			return;
		defer(f, c->stmt, UNIT_CACHE_FLUSH,
		      mmu_msg_007_sibling_cache_flush,
		      mc_call_name(c), mc_line(last));
		return;
	}
}


/* The local mmu_gather a gather call names (&tlb), or NULL. */
static tree gather_var(const struct mc_call *c)
{
	tree a;

	if (!gimple_call_num_args(c->stmt))
		return NULL_TREE;
	a = mc_strip(gimple_call_arg(c->stmt, 0));
	if (TREE_CODE(a) != ADDR_EXPR || !VAR_P(TREE_OPERAND(a, 0)))
		return NULL_TREE;
	return TREE_OPERAND(a, 0);
}

static tree find_var(tree *tp, int *walk_subtrees, void *data)
{
	(void)walk_subtrees;
	return *tp == (tree)data ? *tp : NULL_TREE;
}

/* Is the gather used by anything but its init and finish? */
static int gather_used(struct mc_fn *f, tree var)
{
	basic_block bb;

	FOR_EACH_BB_FN(bb, f->fun) {
		gimple_stmt_iterator gsi;

		for (gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi)) {
			gimple *g = gsi_stmt(gsi);
			tree fn = is_gimple_call(g) ? gimple_call_fndecl(g) : NULL;
			const struct mmu_api *api = fn ?
				mc_api_by_name(decl_name(fn)) : NULL;
			unsigned int i;

			if (mc_role_is(api, MMU_ROLE_GATHER_INIT) ||
			    mc_role_is(api, MMU_ROLE_GATHER_FINISH) ||
			    gimple_clobber_p(g))
				continue;
			for (i = 0; i < gimple_num_ops(g); i++)
				if (gimple_op(g, i) &&
				    walk_tree(gimple_op_ptr(g, i), find_var, var,
					      NULL))
					return 1;
		}
	}
	return 0;
}

/* An mmu_gather that records nothing flushes nothing at its finish. */
static void empty_gather(struct mc_fn *f, const struct mc_call *fin)
{
	tree var = gather_var(fin);
	unsigned int i, s;

	if (!var || gather_used(f, var))
		return;
	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *init = &f->call[i];

		if (!mc_role_is(init->api, MMU_ROLE_GATHER_INIT) ||
		    gather_var(init) != var)
			continue;
		for (s = 0; s < f->n_call; s++) {
			const struct mc_call *st = &f->call[s];

			if (!mc_opens(st->api) ||
			    !reaches(f, init, st, flushed) ||
			    !reaches(f, st, fin, flushed))
				continue;
			defer(f, fin->stmt, UNIT_DOWNGRADE,
			      mmu_msg_007_gather_flushes_nothing,
			      mc_call_name(fin), mc_line(init->stmt),
			      mc_line(st->stmt));
			return;
		}
	}
}

/* Write-protect, soft-dirty clear, modify_prot: a permission goes. */
static int downgrades(const struct mc_call *c)
{
	return c->api && (mc_role_is(c->api, MMU_ROLE_PERM_DOWNGRADE) ||
			  (mc_is_update(c->api) &&
			   (strstr(c->api->name, "wrprotect") ||
			    strstr(c->api->name, "modify_prot_start") ||
			    strstr(c->api->name, "clear_soft_dirty"))));
}

static int gather_flush(const struct mc_call *c, const void *ctx)
{
	(void)ctx;
	return mc_role_is(c->api, MMU_ROLE_GATHER_FLUSH);
}

/* A gather's flush between two calls (on a path from a through it to b). */
static int gather_flushed_between(struct mc_fn *f, const struct mc_call *a,
				  const struct mc_call *b)
{
	unsigned int i;

	for (i = 0; i < f->n_call; i++)
		if (gather_flush(&f->call[i], NULL) &&
		    mc_call_reaches(f, a, &f->call[i]) &&
		    mc_call_reaches(f, &f->call[i], b))
			return 1;
	return 0;
}

/* A clear before the unlock (its record in the gather is no flush). */
static int cleared_into_gather(struct mc_fn *f, const struct mc_call *u)
{
	unsigned int i;

	for (i = 0; i < f->n_call; i++)
		if (clear_to_flush(&f->call[i]) &&
		    mc_call_reaches(f, &f->call[i], u))
			return 1;
	return 0;
}

/* Entries recorded in the gather before the unlock, unflushed. */
static const struct mc_call *recorded_before(struct mc_fn *f,
					     const struct mc_call *u)
{
	unsigned int i;

	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *r = &f->call[i];

		if (mc_role_is(r->api, MMU_ROLE_GATHER_RECORD) &&
		    mc_call_reaches(f, r, u) &&
		    !gather_flushed_between(f, r, u))
			return r;
	}
	return NULL;
}

/*
 * tlb_flush_mmu() after the page-table lock is dropped: the entries
 * the gather recorded under it stay in other CPUs' TLBs while the lock
 * lets others reuse them.  A lock taken and dropped per entry, inside
 * the walk's loop, is not the one (its flush is the walk's last).
 */
static void gather_flush_after_unlock(struct mc_fn *f, const struct mc_call *g)
{
	unsigned int i;
	char line[16], rline[16];

	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *u = &f->call[i];
		const struct mc_call *r;

		if (!is_ptl_unlock(u) || !reaches(f, u, g, gather_flush) ||
		    mc_block_reaches(f->fun, u->bb, u->bb) ||
		    !cleared_into_gather(f, u))
			continue;
		r = recorded_before(f, u);
		if (!r)
			continue;
		snprintf(line, sizeof(line), "%d", mc_line(u->stmt));
		snprintf(rline, sizeof(rline), "%d", mc_line(r->stmt));
		mc_report(f, g->stmt, MC_RULE_flush_order,
			  mmu_msg_007_gather_after_unlock, mc_call_name(g),
			  mc_call_name(u), line, mc_call_name(r), rline);
		return;
	}
}

static int flushes_tlb(struct mc_fn *f)
{
	unsigned int i;

	for (i = 0; i < f->n_call; i++)
		if (flushed(&f->call[i], NULL))
			return 1;
	return 0;
}

/*
 * A function that clears entries and drops their page-table lock with
 * no TLB flush at all leaves the flush to its callers in the unit,
 * which must not flush after its unlock.
 */
static void note_unlocking_clear(struct mc_fn *f)
{
	unsigned int i, j;

	if (flushes_tlb(f))
		return;
	for (i = 0; i < f->n_call; i++) {
		if (!clear_to_flush(&f->call[i]))
			continue;
		for (j = 0; j < f->n_call; j++)
			if (is_ptl_unlock(&f->call[j]) &&
			    mc_call_reaches(f, &f->call[i], &f->call[j])) {
				mc_unit_note(f, MC_UNIT_UNLOCKS_UNFLUSHED,
					     &f->call[i]);
				return;
			}
	}
}

/* A TLB flush after a helper's unflushed clear and unlock. */
static void flush_after_helper_unlock(struct mc_fn *f,
				      const struct mc_call *fl)
{
	unsigned int i;
	char line[16], cline[16];

	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *h = &f->call[i];
		const struct mc_note *n =
			mc_unit_note_of(h, MC_UNIT_UNLOCKS_UNFLUSHED);

		if (!n || !reaches(f, h, fl, never))
			continue;
		snprintf(line, sizeof(line), "%d", mc_line(h->stmt));
		snprintf(cline, sizeof(cline), "%d", n->line);
		mc_report(f, fl->stmt, MC_RULE_flush_order,
			  mmu_msg_007_helper_unlock_unflushed, mc_call_name(fl),
			  mc_call_name(h), line, n->name, cline,
			  mc_call_name(h));
		return;
	}
}

void check_flush_order(struct mc_fn *f)
{
	unsigned int i;
	int fault = -1;

	note_unlocking_clear(f);
	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *c = &f->call[i];

		if (downgrades(c))
			unit_has |= UNIT_DOWNGRADE;
		if (mc_role_is(c->api, MMU_ROLE_UNSHARE))
			unshare_without_cache_flush(f, c);
		else if (is_clear(c))
			branch_without_cache_flush(f, c);
		else if (mc_role_is(c->api, MMU_ROLE_GATHER_FINISH))
			empty_gather(f, c);
		if (gather_flush(c, NULL))
			gather_flush_after_unlock(f, c);
		if (flushes_now(c)) {
			if (!flush_after_unlock(f, c))
				flush_in_lazy_mode(f, c);
			if (mc_role_is(c->api, MMU_ROLE_TLB_FLUSH_RANGE) ||
			    mc_role_is(c->api, MMU_ROLE_TLB_FLUSH_PAGE))
				flush_after_helper_unlock(f, c);
		} else if (flushes_cache(c->api)) {
			cache_flush_late(f, c);
		} else if (mc_role_is(c->api, MMU_ROLE_PAGE_COPY)) {
			if (fault < 0)
				fault = fault_handler(f);
			if (!fault)
				copy_before_bracket(f, c);
		}
	}
}
