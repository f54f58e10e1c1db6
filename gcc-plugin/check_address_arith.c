// SPDX-License-Identifier: GPL-2.0-only
/*
 * MMU008: address arithmetic that loses part of a region.  The plugin
 * sees the sizes as the numbers the macros fold to, so PMD_SIZE,
 * HPAGE_PMD_SIZE and PUD_SIZE * n are steps of a level however they
 * were spelled:
 *  - a loop stepping by a PMD or PUD size from a start that is neither
 *    rounded to it nor tested for it (a parameter of a static function
 *    is left alone: its callers are in this unit, which a per-function
 *    pass does not see; the semantic patch checks them);
 *  - ALIGN(x, S) - step as the last address of x's region: when x is
 *    aligned it is the last step of the region before;
 *  - two addresses a loop advances together, rounded separately by the
 *    same mask (old |= m; new |= m): their distance is lost.
 * Only in functions that handle a user vma, as for the semantic patch.
 */
#include "mmucheck.h"
#include "cfgloop.h"

static gimple *def_assign(tree t, enum tree_code code)
{
	gimple *def;

	t = mc_strip(t);
	if (!t || TREE_CODE(t) != SSA_NAME || SSA_NAME_IS_DEFAULT_DEF(t))
		return NULL;
	def = SSA_NAME_DEF_STMT(t);
	if (!is_gimple_assign(def) || gimple_assign_rhs_code(def) != code)
		return NULL;
	return def;
}

static int cst_is(tree t, unsigned HOST_WIDE_INT v)
{
	return t && TREE_CODE(t) == INTEGER_CST && tree_fits_uhwi_p(t) &&
	       tree_to_uhwi(t) == v;
}

/* A PMD or PUD size: a step of a page-table level. */
static int level_size(unsigned HOST_WIDE_INT s)
{
	return s == mc_size.pmd || s == mc_size.pud;
}

static const char *level_name(unsigned HOST_WIDE_INT s)
{
	return s == mc_size.pud ? "PUD" : "PMD";
}

/* Code that handles a user mapping: kernel page tables are no concern. */
static int handles_user_vma(struct mc_fn *f)
{
	unsigned int i;
	tree p, name;

	for (p = DECL_ARGUMENTS(f->fun->decl); p; p = DECL_CHAIN(p))
		if (mc_type_role(TREE_TYPE(p), MMU_ROLE_USER_VMA))
			return 1;
	FOR_EACH_SSA_NAME(i, name, f->fun)
		if (mc_type_role(TREE_TYPE(name), MMU_ROLE_USER_VMA))
			return 1;
	return 0;
}

static int updates_hugetlb(struct mc_fn *f)
{
	unsigned int i;

	for (i = 0; i < f->n_call; i++)
		if (mc_level(f->call[i].api) == MMU_LEVEL_HUGETLB &&
		    (mc_kind(f->call[i].api) == MMU_KIND_UPDATE ||
		     mc_kind(f->call[i].api) == MMU_KIND_SET))
			return 1;
	return 0;
}

/* Is t aligned to s by construction (a constant, rounded or masked)? */
static int aligned_value(tree t, unsigned HOST_WIDE_INT s, int depth)
{
	gimple *def;
	unsigned int i;

	t = mc_strip(t);
	if (!t || depth > 4)
		return 0;
	if (TREE_CODE(t) == INTEGER_CST)
		return 1;
	if (TREE_CODE(t) != SSA_NAME || SSA_NAME_IS_DEFAULT_DEF(t))
		return 0;
	def = SSA_NAME_DEF_STMT(t);
	if (gimple_code(def) == GIMPLE_PHI) {
		for (i = 0; i < gimple_phi_num_args(def); i++)
			if (!aligned_value(gimple_phi_arg_def(def, i), s,
					   depth + 1))
				return 0;
		return 1;
	}
	if (!is_gimple_assign(def))
		return 0;
	switch (gimple_assign_rhs_code(def)) {
	case BIT_AND_EXPR:	/* x & MASK, ALIGN(), ALIGN_DOWN(), round_down() */
		return TREE_CODE(gimple_assign_rhs2(def)) == INTEGER_CST &&
		       (TREE_INT_CST_LOW(gimple_assign_rhs2(def)) & (s - 1)) == 0;
	case PLUS_EXPR:		/* round_up(): ((x - 1) | (s - 1)) + 1 */
		return integer_onep(gimple_assign_rhs2(def)) &&
		       def_assign(gimple_assign_rhs1(def), BIT_IOR_EXPR) &&
		       cst_is(gimple_assign_rhs2(def_assign(
				gimple_assign_rhs1(def), BIT_IOR_EXPR)), s - 1);
	case MIN_EXPR:
	case MAX_EXPR:
		return aligned_value(gimple_assign_rhs1(def), s, depth + 1) &&
		       aligned_value(gimple_assign_rhs2(def), s, depth + 1);
	default:
		return 0;
	}
}

struct value_size {
	tree value;
	unsigned HOST_WIDE_INT size;
};

static int tests_alignment(tree x, unsigned HOST_WIDE_INT mask,
			   const void *data)
{
	const struct value_size *vs = (const struct value_size *)data;

	return (mask & (vs->size - 1)) == vs->size - 1 &&
	       mc_same_value(x, vs->value, 0);
}

/* x & (s - 1) somewhere: the function tests x's alignment (IS_ALIGNED()). */
static int alignment_tested(struct mc_fn *f, tree x, unsigned HOST_WIDE_INT s)
{
	struct value_size vs = { x, s };

	return mc_find_const_mask(f->fun, tests_alignment, &vs) != NULL;
}

/* A parameter of a static function: its callers are in this unit. */
static int local_parameter(struct mc_fn *f, tree t)
{
	t = mc_strip(t);
	return TREE_CODE(t) == SSA_NAME && SSA_NAME_IS_DEFAULT_DEF(t) &&
	       !TREE_PUBLIC(f->fun->decl);
}

static edge entry_edge(struct loop *loop)
{
	edge e;
	edge_iterator ei;

	FOR_EACH_EDGE(e, ei, loop->header->preds)
		if (!flow_bb_inside_loop_p(loop, e->src))
			return e;
	return NULL;
}

static edge latch_edge(struct loop *loop)
{
	edge e;
	edge_iterator ei;

	FOR_EACH_EDGE(e, ei, loop->header->preds)
		if (flow_bb_inside_loop_p(loop, e->src))
			return e;
	return NULL;
}

/* The constant an induction variable steps by, or 0. */
static unsigned HOST_WIDE_INT phi_step(gimple *phi, struct loop *loop)
{
	edge latch = latch_edge(loop);
	gimple *inc;
	tree next;

	if (!latch)
		return 0;
	next = PHI_ARG_DEF_FROM_EDGE(phi, latch);
	inc = def_assign(next, PLUS_EXPR);
	if (!inc)
		inc = def_assign(next, POINTER_PLUS_EXPR);
	if (!inc || mc_strip(gimple_assign_rhs1(inc)) != gimple_phi_result(phi) ||
	    TREE_CODE(gimple_assign_rhs2(inc)) != INTEGER_CST ||
	    !tree_fits_uhwi_p(gimple_assign_rhs2(inc)))
		return 0;
	return tree_to_uhwi(gimple_assign_rhs2(inc));
}

/* Where to report a loop: its condition, as the source writes it. */
static gimple *loop_stmt(struct loop *loop, gimple *phi)
{
	gimple *last = block_last_stmt(loop->header);
	edge latch = latch_edge(loop);

	if (last && gimple_code(last) == GIMPLE_COND &&
	    gimple_location(last) != UNKNOWN_LOCATION)
		return last;
	return SSA_NAME_DEF_STMT(PHI_ARG_DEF_FROM_EDGE(phi, latch));
}

static void level_loops(struct mc_fn *f, basic_block header, int hugetlb)
{
	struct loop *loop = header->loop_father;
	gphi_iterator gsi;
	edge entry = entry_edge(loop);

	if (!entry)
		return;
	for (gsi = gsi_start_phis(header); !gsi_end_p(gsi); gsi_next(&gsi)) {
		gimple *phi = gsi_stmt(gsi);
		unsigned HOST_WIDE_INT s = phi_step(phi, loop);
		tree start = PHI_ARG_DEF_FROM_EDGE(phi, entry);

		if (!level_size(s) || (s == mc_size.pmd && hugetlb) ||
		    aligned_value(start, s, 0) ||
		    alignment_tested(f, start, s) || local_parameter(f, start))
			continue;
		mc_report(f, loop_stmt(loop, phi), MC_RULE_address_arith,
			  mmu_msg_008_step_unaligned_start,
			  level_name(s), level_name(s), level_name(s));
	}
}

/* The value x of ALIGN(x, s) = (x + s - 1) & -s, with s a level size. */
static tree align_up_of(tree t)
{
	gimple *and_ = def_assign(t, BIT_AND_EXPR), *add;
	unsigned HOST_WIDE_INT s;
	tree x;

	if (!and_ || TREE_CODE(gimple_assign_rhs2(and_)) != INTEGER_CST)
		return NULL_TREE;
	s = -TREE_INT_CST_LOW(gimple_assign_rhs2(and_));
	add = def_assign(gimple_assign_rhs1(and_), PLUS_EXPR);
	if (!level_size(s) || !add || !cst_is(gimple_assign_rhs2(add), s - 1))
		return NULL_TREE;
	x = gimple_assign_rhs1(add);
	/* ALIGN(x + 1, s): the right way, unless the compiler folded it. */
	if (def_assign(x, PLUS_EXPR) || def_assign(x, BIT_IOR_EXPR))
		return NULL_TREE;
	return x;
}

/* A step: a page, PMD or PUD size, or huge_page_size(). */
static int is_step(tree t, int negated)
{
	gimple *def;
	tree fn;

	t = mc_strip(t);
	if (TREE_CODE(t) == INTEGER_CST) {
		unsigned HOST_WIDE_INT v = TREE_INT_CST_LOW(t);

		if (negated)
			v = -v;
		return v == mc_size.page || level_size(v);
	}
	if (negated || TREE_CODE(t) != SSA_NAME || SSA_NAME_IS_DEFAULT_DEF(t))
		return 0;
	def = SSA_NAME_DEF_STMT(t);
	fn = is_gimple_call(def) ? gimple_call_fndecl(def) : NULL_TREE;
	return fn && mc_role_is(mc_api_by_name(decl_name(fn)), MMU_ROLE_SIZE_HUGETLB);
}

static void last_address(struct mc_fn *f, gimple *g)
{
	enum tree_code code = gimple_assign_rhs_code(g);

	if ((code != MINUS_EXPR && code != PLUS_EXPR) ||
	    !align_up_of(gimple_assign_rhs1(g)) ||
	    !is_step(gimple_assign_rhs2(g), code == PLUS_EXPR))
		return;
	mc_report(f, g, MC_RULE_address_arith,
		  mmu_msg_008_align_x_minus_step);
}

/* x, or the x of x + C (round_up() and ALIGN() add before masking). */
static tree rounded_base(tree t)
{
	gimple *add = def_assign(t, PLUS_EXPR);

	if (add && TREE_CODE(gimple_assign_rhs2(add)) == INTEGER_CST)
		return mc_strip(gimple_assign_rhs1(add));
	return mc_strip(t);
}

/* Is the value v takes on a back edge an advance (x + step)? */
static int advances_on(tree next)
{
	gimple *def;
	unsigned int i;

	next = mc_strip(next);
	if (TREE_CODE(next) != SSA_NAME || SSA_NAME_IS_DEFAULT_DEF(next))
		return 0;
	def = SSA_NAME_DEF_STMT(next);
	if (gimple_code(def) != GIMPLE_PHI)
		return def_assign(next, PLUS_EXPR) != NULL;
	for (i = 0; i < gimple_phi_num_args(def); i++)
		if (def_assign(gimple_phi_arg_def(def, i), PLUS_EXPR))
			return 1;
	return 0;
}

/*
 * The loop-header PHI that v is, if the loop advances it: on one of its
 * back edges (a loop body that steps in two branches has one each).
 */
static gimple *advanced_phi(tree v, struct loop *loop)
{
	gimple *def;
	edge e;
	edge_iterator ei;

	if (TREE_CODE(v) != SSA_NAME || SSA_NAME_IS_DEFAULT_DEF(v))
		return NULL;
	def = SSA_NAME_DEF_STMT(v);
	if (gimple_code(def) != GIMPLE_PHI || gimple_bb(def) != loop->header)
		return NULL;
	FOR_EACH_EDGE(e, ei, loop->header->preds)
		if (flow_bb_inside_loop_p(loop, e->src) &&
		    advances_on(PHI_ARG_DEF_FROM_EDGE(def, e)))
			return def;
	return NULL;
}

/* The same mask: one value, or two calls of a function on the same arguments. */
static int same_mask(tree a, tree b)
{
	gimple *da, *db;
	unsigned int i;

	if (mc_same_value(a, b, 0))
		return 1;
	a = mc_strip(a);
	b = mc_strip(b);
	if (TREE_CODE(a) != SSA_NAME || TREE_CODE(b) != SSA_NAME ||
	    SSA_NAME_IS_DEFAULT_DEF(a) || SSA_NAME_IS_DEFAULT_DEF(b))
		return 0;
	da = SSA_NAME_DEF_STMT(a);
	db = SSA_NAME_DEF_STMT(b);
	if (!is_gimple_call(da) || !is_gimple_call(db) ||
	    !gimple_call_fndecl(da) ||
	    gimple_call_fndecl(da) != gimple_call_fndecl(db) ||
	    gimple_call_num_args(da) != gimple_call_num_args(db))
		return 0;
	for (i = 0; i < gimple_call_num_args(da); i++)
		if (!mc_same_value(gimple_call_arg(da, i),
				   gimple_call_arg(db, i), 0))
			return 0;
	return 1;
}

static int rounding(gimple *g)
{
	return is_gimple_assign(g) &&
	       (gimple_assign_rhs_code(g) == BIT_IOR_EXPR ||
		gimple_assign_rhs_code(g) == BIT_AND_EXPR);
}

/* The loop-advanced address g rounds, and the mask it rounds it by. */
static gimple *rounded_phi(gimple *g, struct loop *loop, tree *mask)
{
	gimple *p = advanced_phi(rounded_base(gimple_assign_rhs1(g)), loop);

	*mask = gimple_assign_rhs2(g);
	if (p)
		return p;
	*mask = gimple_assign_rhs1(g);	/* commutative: mask first */
	return advanced_phi(rounded_base(gimple_assign_rhs2(g)), loop);
}

static void rounded_apart(struct mc_fn *f, gimple *gb)
{
	basic_block bb = gimple_bb(gb);
	struct loop *loop;
	gimple_stmt_iterator gsi;
	gimple *b = NULL;
	tree mb = NULL_TREE, ma;

	for (loop = bb->loop_father; loop && loop_outer(loop);
	     loop = loop_outer(loop)) {
		b = rounded_phi(gb, loop, &mb);
		if (b)
			break;
	}
	if (!b)
		return;
	/* The first of the pair, before gb in its block. */
	for (gsi = gsi_for_stmt(gb), gsi_prev(&gsi); !gsi_end_p(gsi);
	     gsi_prev(&gsi)) {
		gimple *ga = gsi_stmt(gsi);
		gimple *a;

		if (!rounding(ga) ||
		    gimple_assign_rhs_code(ga) != gimple_assign_rhs_code(gb))
			continue;
		a = rounded_phi(ga, loop, &ma);
		if (!a || a == b || !same_mask(ma, mb))
			continue;
		mc_report(f, gb, MC_RULE_address_arith,
			  mmu_msg_008_pair_rounded_separately,
			  mc_line(loop_stmt(loop, b)), mc_line(ga));
		return;
	}
}

void check_address_arith(struct mc_fn *f)
{
	basic_block bb;
	int hugetlb;

	if (!loops_for_fn(f->fun) || !handles_user_vma(f))
		return;
	hugetlb = updates_hugetlb(f);
	FOR_EACH_BB_FN(bb, f->fun) {
		gimple_stmt_iterator gsi;

		if (bb->loop_father && bb->loop_father->header == bb &&
		    loop_outer(bb->loop_father))
			level_loops(f, bb, hugetlb);
		for (gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi)) {
			gimple *g = gsi_stmt(gsi);

			if (!is_gimple_assign(g))
				continue;
			last_address(f, g);
			if (rounding(g) && bb->loop_father &&
			    loop_outer(bb->loop_father))
				rounded_apart(f, g);
		}
	}
}
