// SPDX-License-Identifier: GPL-2.0-only
/*
 * MMU002: the open range does not cover the update.  The plugin sees
 * the sizes after macro expansion and constant folding, so a range of
 * address + PAGE_SIZE around a PMD update is caught however many
 * headers the size came through.
 */
#include "mmucheck.h"
#include "cfgloop.h"

/* Smallest size an update needs: hugetlb pages are at least PMD-sized. */
static unsigned HOST_WIDE_INT needed_size(const struct mmu_api *api)
{
	unsigned HOST_WIDE_INT size = mc_update_size(api);

	return size ? size : mc_size.pmd;
}

struct start_size {
	tree start;
	unsigned HOST_WIDE_INT size;
};

static int aligns_start(tree x, unsigned HOST_WIDE_INT mask, const void *data)
{
	const struct start_size *ss = (const struct start_size *)data;

	return mc_strip(x) == ss->start && (mask & (ss->size - 1)) == 0;
}

/* The value computed as start & MASK with MASK aligning to `size`. */
static gimple *aligned_twin(function *fun, tree start,
			    unsigned HOST_WIDE_INT size)
{
	struct start_size ss = { start, size };

	return mc_find_const_mask(fun, aligns_start, &ss);
}

static void check_object(struct mc_fn *f, struct mc_object *o,
			 const struct mc_call *u)
{
	unsigned HOST_WIDE_INT size, need = needed_size(u->api);
	gimple *twin;

	if (!mc_const_size(o->start, o->end, &size))
		return;
	if (size < need) {
		mc_report(f, o->init, MC_RULE_range_size,
			  mmu_msg_002_covers_less,
			  (unsigned long)size, mc_call_name(u), mc_line(u->stmt),
			  (unsigned long)need);
		return;
	}
	/* Only huge mappings: a PTE's address is page-aligned anyway. */
	twin = need > mc_size.page &&
	       TREE_CODE(mc_strip(o->start)) == SSA_NAME ?
	       aligned_twin(f->fun, mc_strip(o->start), need) : NULL;
	if (twin)
		mc_report(f, o->init, MC_RULE_range_size,
			  mmu_msg_002_aligned_elsewhere,
			  mc_call_name(u), mc_line(u->stmt), mc_line(twin));
}

/* An address a loop advanced, used as a range base after the loop. */
static gimple *advancing_loop(tree start, basic_block use)
{
	gimple *phi;
	basic_block header;
	unsigned int i;

	start = mc_strip(start);
	if (!start || TREE_CODE(start) != SSA_NAME ||
	    SSA_NAME_IS_DEFAULT_DEF(start))
		return NULL;
	phi = SSA_NAME_DEF_STMT(start);
	header = gimple_bb(phi);
	if (gimple_code(phi) != GIMPLE_PHI || !header->loop_father ||
	    header->loop_father->header != header ||
	    flow_bb_inside_loop_p(header->loop_father, use))
		return NULL;
	for (i = 0; i < gimple_phi_num_args(phi); i++) {
		tree arg = gimple_phi_arg_def(phi, i);
		gimple *def;

		if (TREE_CODE(arg) != SSA_NAME || SSA_NAME_IS_DEFAULT_DEF(arg))
			continue;
		def = SSA_NAME_DEF_STMT(arg);
		if (is_gimple_assign(def) &&
		    (gimple_assign_rhs_code(def) == PLUS_EXPR ||
		     gimple_assign_rhs_code(def) == POINTER_PLUS_EXPR) &&
		    gimple_assign_rhs1(def) == start)
			return def;
	}
	return NULL;
}

static void check_loop_base(struct mc_fn *f, gimple *use, tree start)
{
	gimple *step = advancing_loop(start, gimple_bb(use));

	if (step)
		mc_report(f, use, MC_RULE_range_size,
			  mmu_msg_002_base_advanced,
			  mc_line(step));
}

/* The variable a value is named after, or NULL (a temporary). */
static const char *var_name(tree t)
{
	t = mc_strip(t);
	if (t && TREE_CODE(t) == SSA_NAME)
		t = SSA_NAME_VAR(t);
	return t && DECL_P(t) && DECL_NAME(t) ?
	       IDENTIFIER_POINTER(DECL_NAME(t)) : NULL;
}

/* How a report names a value: addr, addr + 0x200000, addr & 0x...000. */
static const char *value_text(tree t, char *buf, size_t n)
{
	gimple *def;
	const char *name = var_name(t);
	const char *op;

	t = mc_strip(t);
	if (name) {
		snprintf(buf, n, "%s", name);
		return buf;
	}
	def = t && TREE_CODE(t) == SSA_NAME && !SSA_NAME_IS_DEFAULT_DEF(t) ?
	      SSA_NAME_DEF_STMT(t) : NULL;
	op = !def || !is_gimple_assign(def) ? NULL :
	     gimple_assign_rhs_code(def) == PLUS_EXPR ? "+" :
	     gimple_assign_rhs_code(def) == MINUS_EXPR ? "-" :
	     gimple_assign_rhs_code(def) == BIT_AND_EXPR ? "&" : NULL;
	if (op && var_name(gimple_assign_rhs1(def)) &&
	    TREE_CODE(gimple_assign_rhs2(def)) == INTEGER_CST)
		snprintf(buf, n, "%s %s %#lx", var_name(gimple_assign_rhs1(def)),
			 op, (unsigned long)TREE_INT_CST_LOW(gimple_assign_rhs2(def)));
	else
		snprintf(buf, n, "a computed value");
	return buf;
}

/* x + C, or x itself: an address computed from x. */
static int offset_of(tree v, tree x)
{
	gimple *def;

	v = mc_strip(v);
	if (mc_same_value(v, x, 0))
		return 1;
	if (TREE_CODE(v) != SSA_NAME || SSA_NAME_IS_DEFAULT_DEF(v))
		return 0;
	def = SSA_NAME_DEF_STMT(v);
	return is_gimple_assign(def) &&
	       (gimple_assign_rhs_code(def) == PLUS_EXPR ||
		gimple_assign_rhs_code(def) == MINUS_EXPR) &&
	       TREE_CODE(gimple_assign_rhs2(def)) == INTEGER_CST &&
	       mc_same_value(gimple_assign_rhs1(def), x, 0);
}

/* flush_cache_page(vma, addr, pfn) given an address (addr + size) as pfn. */
static void check_cache_page_pfn(struct mc_fn *f, const struct mc_call *c)
{
	char text[64];
	tree pfn;

	if (gimple_call_num_args(c->stmt) != 3)
		return;
	pfn = gimple_call_arg(c->stmt, 2);
	if (!offset_of(pfn, gimple_call_arg(c->stmt, 1)))
		return;
	mc_report(f, c->stmt, MC_RULE_range_size, mmu_msg_002_pfn_is_address,
		  mc_call_name(c), value_text(pfn, text, sizeof(text)));
}

/*
 * A loop over PTEs: one of its header's values steps by PAGE_SIZE.
 * That step, or NULL.
 */
static gimple *page_step(struct loop *loop)
{
	gphi_iterator gsi;

	for (gsi = gsi_start_phis(loop->header); !gsi_end_p(gsi);
	     gsi_next(&gsi)) {
		gphi *phi = gsi.phi();
		unsigned int i;

		for (i = 0; i < gimple_phi_num_args(phi); i++) {
			tree arg = gimple_phi_arg_def(phi, i);
			gimple *def;

			if (TREE_CODE(arg) != SSA_NAME ||
			    SSA_NAME_IS_DEFAULT_DEF(arg))
				continue;
			def = SSA_NAME_DEF_STMT(arg);
			if (is_gimple_assign(def) &&
			    gimple_assign_rhs_code(def) == PLUS_EXPR &&
			    gimple_assign_rhs1(def) == gimple_phi_result(phi) &&
			    TREE_CODE(gimple_assign_rhs2(def)) == INTEGER_CST &&
			    TREE_INT_CST_LOW(gimple_assign_rhs2(def)) ==
			    mc_size.page)
				return def;
		}
	}
	return NULL;
}

/* A value the loop never changes: set before it (or a parameter). */
static int invariant_in(tree v, struct loop *loop)
{
	v = mc_strip(v);
	return TREE_CODE(v) == SSA_NAME &&
	       (SSA_NAME_IS_DEFAULT_DEF(v) ||
		!flow_bb_inside_loop_p(loop, gimple_bb(SSA_NAME_DEF_STMT(v))));
}

static int rounds_to_table(tree x, unsigned HOST_WIDE_INT mask,
			   const void *data)
{
	(void)x;
	(void)data;
	return (mask & (mc_size.pmd - 1)) == 0 && (~mask & mc_size.page);
}

/* addr & MASK, MASK rounding to a PMD table: the masked value. */
static tree table_base_of(tree v, unsigned HOST_WIDE_INT *mask)
{
	gimple *def;

	v = mc_strip(v);
	if (TREE_CODE(v) != SSA_NAME || SSA_NAME_IS_DEFAULT_DEF(v))
		return NULL_TREE;
	def = SSA_NAME_DEF_STMT(v);
	if (!is_gimple_assign(def) ||
	    gimple_assign_rhs_code(def) != BIT_AND_EXPR ||
	    TREE_CODE(gimple_assign_rhs2(def)) != INTEGER_CST)
		return NULL_TREE;
	*mask = TREE_INT_CST_LOW(gimple_assign_rhs2(def));
	return rounds_to_table(NULL_TREE, *mask, NULL) ?
	       gimple_assign_rhs1(def) : NULL_TREE;
}

/*
 * A per-entry notifier query inside a loop over PTEs must be given the
 * entry's address: not one the loop never moves, nor the table's base.
 */
static void check_query(struct mc_fn *f, const struct mc_call *c)
{
	struct loop *loop = c->bb->loop_father;
	char line[16], addr[64], entry[64], maskt[32];
	unsigned HOST_WIDE_INT mask;
	gimple *step;
	tree a, x;

	if (!loop || !loop_outer(loop) || gimple_call_num_args(c->stmt) < 2)
		return;
	step = page_step(loop);
	if (!step)
		return;
	a = gimple_call_arg(c->stmt, 1);
	snprintf(line, sizeof(line), "%d", mc_line(step));
	value_text(gimple_assign_lhs(step), entry, sizeof(entry));
	x = table_base_of(a, &mask);
	if (x) {
		snprintf(maskt, sizeof(maskt), "%#lx", (unsigned long)mask);
		mc_report(f, c->stmt, MC_RULE_range_size,
			  mmu_msg_002_query_table_base, mc_call_name(c), line,
			  value_text(x, addr, sizeof(addr)), maskt, entry);
	} else if (invariant_in(a, loop)) {
		mc_report(f, c->stmt, MC_RULE_range_size,
			  mmu_msg_002_query_base_unmoved, mc_call_name(c), line,
			  value_text(a, addr, sizeof(addr)), entry);
	}
}

/* A PMD or PUD update after a loop, at the address the loop advanced. */
static void check_update_after_loop(struct mc_fn *f, const struct mc_call *c)
{
	char line[16], addr[64];
	gimple *step;
	tree a;

	if ((mc_level(c->api) != MMU_LEVEL_PMD &&
	     mc_level(c->api) != MMU_LEVEL_PUD) ||
	    gimple_call_num_args(c->stmt) < 2)
		return;
	a = gimple_call_arg(c->stmt, 1);
	step = advancing_loop(a, c->bb);
	if (!step)
		return;
	snprintf(line, sizeof(line), "%d", mc_line(step));
	mc_report(f, c->stmt, MC_RULE_range_size, mmu_msg_002_base_advanced_past,
		  mc_call_name(c), value_text(a, addr, sizeof(addr)), line);
}

void check_range_size(struct mc_fn *f)
{
	unsigned int i, o;
	unsigned int reported = 0;

	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *c = &f->call[i];

		if (mc_kind(c->api) == MMU_KIND_FLUSH &&
		    mc_has_flags(c->api, MMU_FLAG_CPU_TLB | MMU_FLAG_RANGED))
			check_loop_base(f, c->stmt,
					gimple_call_arg(c->stmt, 1));
		if (mc_kind(c->api) == MMU_KIND_QUERY)
			check_query(f, c);
		if (mc_role_is(c->api, MMU_ROLE_CACHE_FLUSH_PAGE))
			check_cache_page_pfn(f, c);
		if (mc_is_update(c->api) && !mc_kernel_mm(c))
			check_update_after_loop(f, c);
		/* An unshare's PUD region is MMU003's business. */
		if (!mc_is_update(c->api) || mc_role_is(c->api, MMU_ROLE_UNSHARE) ||
		    mc_kernel_mm(c))
			continue;
		for (o = 0; o < f->n_object; o++) {
			if (!(c->must & (1u << o)) || !f->object[o].init ||
			    (reported & (1u << o)))
				continue;
			reported |= 1u << o;
			check_object(f, &f->object[o], c);
		}
	}
	for (o = 0; o < f->n_object; o++)
		if (f->object[o].init)
			check_loop_base(f, f->object[o].init,
					f->object[o].start);
}
