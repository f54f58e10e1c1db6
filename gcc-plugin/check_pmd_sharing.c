// SPDX-License-Identifier: GPL-2.0-only
/*
 * MMU003: huge_pmd_unshare() drops a PMD page shared between processes,
 * which unmaps the whole PUD_SIZE region around the address.  The open
 * range must be widened to that region, and the TLB flush of it must
 * come before the lock that protects the sharing is dropped.
 */
#include "mmucheck.h"

static void check_widened(struct mc_fn *f, const struct mc_call *u)
{
	unsigned int o;

	for (o = 0; o < f->n_object; o++) {
		struct mc_object *obj = &f->object[o];

		if (!(u->may & (1u << o)) || !obj->init || mc_covers_pud(obj))
			continue;
		mc_report(f, obj->init, MC_RULE_pmd_sharing,
			  mmu_msg_003_open_at_unshare, mc_call_name(u),
			  mc_line(u->stmt));
		obj->widened = 1;	/* once per range; no narrow site in the facts */
	}
}

/* A CPU TLB flush of a range, or the gather's flush of the unshare. */
static int is_flush(const struct mc_call *c, const void *ctx)
{
	(void)ctx;
	return (mc_kind(c->api) == MMU_KIND_FLUSH &&
		mc_has_flags(c->api, MMU_FLAG_CPU_TLB | MMU_FLAG_RANGED)) ||
	       mc_role_is(c->api, MMU_ROLE_UNSHARE_FLUSH);
}

static int is_unlock(const struct mc_call *c, const void *ctx)
{
	(void)ctx;
	return mc_role_is(c->api, MMU_ROLE_SHARE_UNLOCK);
}

/* The calls that set a TLB, cache or mmu_gather range this rule checks. */
static int sets_flush_range(const struct mc_call *c)
{
	unsigned int n = is_gimple_call(c->stmt) ?
			 gimple_call_num_args(c->stmt) : 0;

	/*
	 * tlb_flush_pmd_range(tlb, addr, size), what a gather's record
	 * expands to, flushes a size per entry, not a range to widen.
	 */
	return ((mc_role_is(c->api, MMU_ROLE_TLB_FLUSH_RANGE) ||
		 mc_role_is(c->api, MMU_ROLE_CACHE_FLUSH_RANGE)) && n == 3 &&
		!mc_type_role(TREE_TYPE(gimple_call_arg(c->stmt, 0)),
			      MMU_ROLE_GATHER_TYPE)) ||
	       (mc_role_is(c->api, MMU_ROLE_GATHER_INIT) && n == 4) ||
	       (mc_role_is(c->api, MMU_ROLE_GATHER_FINISH) && n == 3);
}

/* Its last two arguments (start and end, or start and size). */
static int flush_range_wide(struct mc_fn *f, const struct mc_call *c)
{
	unsigned int n = gimple_call_num_args(c->stmt);

	return mc_wide_value(f, gimple_call_arg(c->stmt, n - 2)) &&
	       mc_wide_value(f, gimple_call_arg(c->stmt, n - 1));
}

static const char *range_what(const struct mc_call *c, char *buf, size_t n)
{
	if (mc_kind(c->api) == MMU_KIND_GATHER)
		snprintf(buf, n, "mmu_gather range of %s()", mc_call_name(c));
	else
		snprintf(buf, n, "%s() range", mc_call_name(c));
	return buf;
}

static int has_gather_range(struct mc_fn *f)
{
	unsigned int i;

	for (i = 0; i < f->n_call; i++)
		if (mc_role_is(f->call[i].api, MMU_ROLE_GATHER_INIT) &&
		    sets_flush_range(&f->call[i]))
			return 1;
	return 0;
}

/*
 * if (unshared) flush(wide) else flush(narrow): the narrow flush runs
 * only when nothing was unshared.
 */
static int sibling_wide(struct mc_fn *f, const struct mc_call *c)
{
	unsigned int i;

	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *w = &f->call[i];
		basic_block d;
		gimple *last;

		if (w == c || w->api != c->api || !flush_range_wide(f, w) ||
		    mc_call_reaches(f, w, c) || mc_call_reaches(f, c, w))
			continue;
		d = nearest_common_dominator(CDI_DOMINATORS, w->bb, c->bb);
		last = d ? block_last_stmt(d) : NULL;
		if (last && gimple_code(last) == GIMPLE_COND)
			return 1;
	}
	return 0;
}

/*
 * Is a flush range related to an unshare: a gather set up before it,
 * finished after it, a flush on a path with it.  The unshare nearest
 * in lines, or NULL.
 */
static const struct mc_call *related_unshare(struct mc_fn *f,
					     const struct mc_call *c)
{
	const struct mc_call *best = NULL;
	unsigned int i;

	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *u = &f->call[i];
		int before = mc_call_reaches(f, c, u);
		int after = mc_call_reaches(f, u, c);

		if (!mc_reaches_unshare(u) ||
		    (mc_role_is(c->api, MMU_ROLE_GATHER_INIT) && !before) ||
		    (mc_role_is(c->api, MMU_ROLE_GATHER_FINISH) && !after) ||
		    (!before && !after))
			continue;
		if (!best || abs(mc_line(u->stmt) - mc_line(c->stmt)) <
			     abs(mc_line(best->stmt) - mc_line(c->stmt)))
			best = u;
	}
	return best;
}

/* TLB, cache and mmu_gather ranges of a function that can unshare. */
static void check_flush_ranges(struct mc_fn *f)
{
	int gathers = has_gather_range(f);
	unsigned int i;
	char what[96], line[16];

	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *c = &f->call[i];
		const struct mc_call *u;

		if (!sets_flush_range(c) || flush_range_wide(f, c) ||
		    (gathers && mc_role_is(c->api, MMU_ROLE_GATHER_FINISH)))
			continue;
		u = related_unshare(f, c);
		if (!u || (mc_kind(c->api) == MMU_KIND_FLUSH &&
			   sibling_wide(f, c)))
			continue;
		snprintf(line, sizeof(line), "%d", mc_line(u->stmt));
		mc_report(f, c->stmt, MC_RULE_pmd_sharing,
			  mmu_msg_003_range_not_widened,
			  range_what(c, what, sizeof(what)), line);
	}
}

static int reaches_any_unshare(struct mc_fn *f)
{
	unsigned int i;

	for (i = 0; i < f->n_call; i++)
		if (mc_reaches_unshare(&f->call[i]))
			return 1;
	return 0;
}

static int is_pud_flush_or_unlock(const struct mc_call *c, const void *ctx)
{
	(void)ctx;
	return mc_role_is(c->api, MMU_ROLE_TLB_FLUSH_RANGE) ||
	       mc_role_is(c->api, MMU_ROLE_TLB_FLUSH_ALL) ||
	       mc_role_is(c->api, MMU_ROLE_UNSHARE_FLUSH) ||
	       mc_role_is(c->api, MMU_ROLE_SHARE_UNLOCK);
}

static int never(const struct mc_call *c, const void *ctx)
{
	(void)c;
	(void)ctx;
	return 0;
}

/* Does the function take its caller's mmu_gather? */
static int takes_gather(struct mc_fn *f, tree *gather)
{
	tree p;

	for (p = DECL_ARGUMENTS(f->fun->decl); p; p = DECL_CHAIN(p))
		if (mc_type_role(TREE_TYPE(p), MMU_ROLE_GATHER_TYPE)) {
			*gather = p;
			return 1;
		}
	return 0;
}

static const struct mc_call *last_call(struct mc_fn *f)
{
	const struct mc_call *last = NULL;
	unsigned int i;

	for (i = 0; i < f->n_call; i++)
		if (mc_callee(&f->call[i]) &&
		    (!last || mc_line(f->call[i].stmt) >= mc_line(last->stmt)))
			last = &f->call[i];
	return last;
}

/*
 * A function given its caller's mmu_gather runs under the caller's
 * i_mmap lock: after a successful unshare that did not take the gather
 * (it records nothing there), the PUD region must be flushed or queued
 * before returning, or unlocked here (then the unlock order is checked).
 */
static void check_unshare_returns(struct mc_fn *f)
{
	tree gather;
	unsigned int i;
	char line[16];

	if (!takes_gather(f, &gather))
		return;
	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *u = &f->call[i];
		tree a0;

		if (!mc_role_is(u->api, MMU_ROLE_UNSHARE) ||
		    !gimple_call_num_args(u->stmt))
			continue;
		a0 = mc_strip(gimple_call_arg(u->stmt, 0));
		if (TREE_CODE(a0) == SSA_NAME && SSA_NAME_VAR(a0) == gather)
			continue;	/* queued in the caller's gather */
		if (mc_path_avoiding(u->bb, u->stmt, never,
				     is_pud_flush_or_unlock, NULL, f))
			continue;
		snprintf(line, sizeof(line), "%d", mc_line(u->stmt));
		mc_report(f, last_call(f)->stmt, MC_RULE_pmd_sharing,
			  mmu_msg_003_return_unflushed, line);
		return;
	}
}

/* A hugetlb entry cleared or replaced (not the unshare: it is checked). */
static int changes_hugetlb_entry(const struct mc_call *c)
{
	return mc_level(c->api) == MMU_LEVEL_HUGETLB &&
	       (mc_kind(c->api) == MMU_KIND_UPDATE ||
		mc_kind(c->api) == MMU_KIND_SET) &&
	       !mc_role_is(c->api, MMU_ROLE_UNSHARE);
}

/* The hugetlb test (PageHuge(), folio_test_hugetlb()...) bb is under. */
static const struct mc_call *huge_test_over(struct mc_fn *f, basic_block bb)
{
	unsigned int i;

	if (!mc_under_test(bb, MMU_ROLE_HUGE_TEST, MMU_ROLE_HUGE_TEST))
		return NULL;
	for (i = 0; i < f->n_call; i++)
		if (mc_role_is(f->call[i].api, MMU_ROLE_HUGE_TEST) &&
		    f->call[i].bb != bb &&
		    dominated_by_p(CDI_DOMINATORS, bb, f->call[i].bb))
			return &f->call[i];
	return NULL;
}

/*
 * A bracket that, on a path that tested for a huge page, clears or
 * replaces hugetlb entries: they may sit in a shared PMD table, so the
 * range must be widened even where no unshare is called.
 */
static void check_hugetlb_clears(struct mc_fn *f)
{
	unsigned int i, o;
	char line[16];

	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *c = &f->call[i];
		const struct mc_call *t;

		if (!changes_hugetlb_entry(c))
			continue;
		t = huge_test_over(f, c->bb);
		for (o = 0; t && o < f->n_object; o++) {
			struct mc_object *obj = &f->object[o];

			if (!(c->may & (1u << o)) || !obj->init ||
			    mc_covers_pud(obj))
				continue;
			snprintf(line, sizeof(line), "%d", mc_line(t->stmt));
			mc_report(f, obj->init, MC_RULE_pmd_sharing,
				  mmu_msg_003_clears_not_widened,
				  mc_call_name(t), line);
			obj->widened = 1;	/* once per range */
		}
	}
}

/* Nothing but a return after stmt: no call, no store, on any path. */
static int only_returns_after(function *fun, basic_block from, gimple *stmt)
{
	int nb = last_basic_block_for_fn(fun);
	char *seen = XCNEWVEC(char, nb);
	basic_block *stack = XNEWVEC(basic_block, nb + 1);
	int top = 0, busy = 0;

	stack[top++] = from;
	seen[from->index] = 1;
	while (top && !busy) {
		basic_block bb = stack[--top];
		gimple_stmt_iterator gsi = gsi_start_bb(bb);
		edge e;
		edge_iterator ei;

		if (bb == from)
			gsi = gsi_for_stmt(stmt);
		for (; !gsi_end_p(gsi); gsi_next(&gsi)) {
			gimple *g = gsi_stmt(gsi);

			busy |= g != stmt && (is_gimple_call(g) ||
					      gimple_store_p(g));
		}
		FOR_EACH_EDGE(e, ei, bb->succs)
			if (e->dest->index < nb && !seen[e->dest->index]) {
				seen[e->dest->index] = 1;
				stack[top++] = e->dest;
			}
	}
	free(seen);
	free(stack);
	return !busy;
}

/* Does a call pass on a value the same as v? */
static int passes(const struct mc_call *c, tree v)
{
	unsigned int a;

	for (a = 0; a < gimple_call_num_args(c->stmt); a++)
		if (mc_same_value(gimple_call_arg(c->stmt, a), v, 0))
			return 1;
	return 0;
}

/*
 * if (is_vm_hugetlb_page(vma)) return mover(vma, ...): the call that
 * hands a vma tested as hugetlb to code that can unshare (another
 * file's, or a function of this unit that reaches an unshare) and
 * returns.  Its test through *test.
 */
static int hugetlb_handoff(struct mc_fn *f, const struct mc_call *b,
			   const struct mc_call **test)
{
	tree fn = mc_callee(b);
	const struct mc_call *t;
	tree vma;

	if (b->api || !fn ||
	    (DECL_STRUCT_FUNCTION(fn) && !mc_unit_marked(b, MC_UNIT_UNSHARES)))
		return 0;
	t = huge_test_over(f, b->bb);
	if (!t || !gimple_call_num_args(t->stmt))
		return 0;
	vma = gimple_call_arg(t->stmt, 0);
	if (!mc_type_role(TREE_TYPE(vma), MMU_ROLE_USER_VMA) || !passes(b, vma) ||
	    !only_returns_after(f->fun, b->bb, b->stmt))
		return 0;
	*test = t;
	return 1;
}

static void report_before_handoff(struct mc_fn *f, gimple *at,
				  const char *what, const struct mc_call *b)
{
	char line[16];

	snprintf(line, sizeof(line), "%d", mc_line(b->stmt));
	mc_report(f, at, MC_RULE_pmd_sharing, mmu_msg_003_set_before_dispatch,
		  what, line, mc_call_name(b));
}

/*
 * A range set up or flushed before the function hands a hugetlb vma to
 * a path that may unshare: the range was meant for the other path.
 */
static void check_set_before_handoff(struct mc_fn *f, const struct mc_call *b,
				     const struct mc_call *t)
{
	unsigned int i, o;
	char what[96];

	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *c = &f->call[i];

		if (sets_flush_range(c) &&
		    !mc_role_is(c->api, MMU_ROLE_GATHER_FINISH) &&
		    mc_call_reaches(f, c, t) && !flush_range_wide(f, c))
			report_before_handoff(f, c->stmt,
					      range_what(c, what, sizeof(what)), b);
	}
	for (o = 0; o < f->n_object; o++) {
		struct mc_object *obj = &f->object[o];
		basic_block ib = obj->init ? gimple_bb(obj->init) : NULL;

		if (!ib || mc_covers_pud(obj) ||
		    !(ib == t->bb || mc_block_reaches(f->fun, ib, t->bb)))
			continue;
		report_before_handoff(f, obj->init, "notifier range", b);
		obj->widened = 1;	/* once per range */
	}
}

static void check_hugetlb_handoffs(struct mc_fn *f)
{
	unsigned int i;

	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *t;

		if (hugetlb_handoff(f, &f->call[i], &t)) {
			check_set_before_handoff(f, &f->call[i], t);
			return;
		}
	}
}

/*
 * After the vma's hugetlb lock is taken for write (only vmas that can
 * share PMD tables have one): a call of another file given that vma
 * and more (a range: an unmap, a zap), which can unshare.
 */
static const struct mc_call *locked_handoff(struct mc_fn *f,
					    const struct mc_call *lock,
					    const struct mc_call *c)
{
	tree vma = gimple_call_arg(lock->stmt, 0);
	unsigned int i;

	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *h = &f->call[i];
		tree fn = mc_callee(h);

		if (h->api || !fn || DECL_STRUCT_FUNCTION(fn) ||
		    gimple_call_num_args(h->stmt) < 2 ||
		    !mc_same_value(gimple_call_arg(h->stmt, 0), vma, 0) ||
		    !mc_call_reaches(f, lock, h) || !mc_call_reaches(f, c, h))
			continue;
		return h;
	}
	return NULL;
}

/* The TLB, cache or notifier range a call sets up, if not widened. */
static int narrow_range(struct mc_fn *f, const struct mc_call *c, tree vma)
{
	if (mc_kind(c->api) == MMU_KIND_FLUSH)
		return sets_flush_range(c) &&
		       mc_same_value(gimple_call_arg(c->stmt, 0), vma, 0) &&
		       !flush_range_wide(f, c);
	return c->object >= 0 && f->object[c->object].init == c->stmt &&
	       !mc_covers_pud(&f->object[c->object]);
}

static void check_locked_handoffs(struct mc_fn *f)
{
	unsigned int l, i;
	char what[96], line[16];

	for (l = 0; l < f->n_call; l++) {
		const struct mc_call *lock = &f->call[l];

		if (!mc_role_is(lock->api, MMU_ROLE_HUGETLB_VMA_LOCK) ||
		    !gimple_call_num_args(lock->stmt))
			continue;
		for (i = 0; i < f->n_call; i++) {
			const struct mc_call *c = &f->call[i];
			const struct mc_call *h;

			if (!narrow_range(f, c, gimple_call_arg(lock->stmt, 0)))
				continue;
			h = locked_handoff(f, lock, c);
			if (!h)
				continue;
			snprintf(line, sizeof(line), "%d", mc_line(h->stmt));
			mc_report(f, c->stmt, MC_RULE_pmd_sharing,
				  mmu_msg_003_locked_handoff_not_widened,
				  c->object >= 0 ? "notifier range" :
				  range_what(c, what, sizeof(what)),
				  mc_call_name(h), line);
		}
		return;
	}
}

void check_pmd_sharing(struct mc_fn *f)
{
	unsigned int i;

	if (reaches_any_unshare(f)) {
		mc_unit_mark(f, MC_UNIT_UNSHARES);
		check_flush_ranges(f);
		check_unshare_returns(f);
	} else {
		check_hugetlb_clears(f);
		check_locked_handoffs(f);
	}
	check_hugetlb_handoffs(f);
	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *u = &f->call[i];

		if (mc_reaches_unshare(u))
			check_widened(f, u);
		if (!mc_role_is(u->api, MMU_ROLE_UNSHARE))
			continue;
		if (mc_path_avoiding(u->bb, u->stmt, is_flush, is_unlock,
				     NULL, f)) {
			mc_report(f, u->stmt, MC_RULE_pmd_sharing, "%s",
				  mmu_msg_003_unshare_unflushed);
			return;
		}
	}
}
