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
