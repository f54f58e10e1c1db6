// SPDX-License-Identifier: GPL-2.0-only
/*
 * MMU006: (v4.12 and older) mmu_notifier_invalidate_page(mm, addr)
 * invalidates one page.  In a function that changes a PMD, PUD or
 * hugetlb entry, or tests the page for being huge, the rest of the huge
 * page stays mapped in secondary MMUs.  And the notifier core's change
 * dispatch of the same era (v3.6 and older): a listener without a
 * change_pte() callback gets invalidate_page() instead, after the PTE
 * changed, with no invalidate_range_start() before the change.
 */
#include "mmucheck.h"

/* A PMD, PUD or hugetlb update (not an unshare), or a huge-page test. */
static int huge_evidence(const struct mmu_api *api)
{
	if (mc_role_is(api, MMU_ROLE_HUGE_TEST))
		return 1;
	return mc_is_update(api) && mc_level(api) != MMU_LEVEL_PTE &&
	       !mc_role_is(api, MMU_ROLE_UNSHARE);
}

static void legacy_page(struct mc_fn *f, const struct mc_call *inv)
{
	unsigned int i;

	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *h = &f->call[i];

		if (!huge_evidence(h->api))
			continue;
		mc_report(f, inv->stmt, MC_RULE_legacy_page,
			  mmu_msg_006_huge_page_shown,
			  mc_call_name(h), mc_line(h->stmt));
		return;
	}
}

/* The ops field a value was loaded from (ops->change_pte), with its role. */
static int field_role(tree t, enum mmu_role role)
{
	gimple *def;
	tree rhs;

	t = mc_strip(t);
	if (!t || TREE_CODE(t) != SSA_NAME || SSA_NAME_IS_DEFAULT_DEF(t))
		return 0;
	def = SSA_NAME_DEF_STMT(t);
	if (!gimple_assign_single_p(def))
		return 0;
	rhs = gimple_assign_rhs1(def);
	return TREE_CODE(rhs) == COMPONENT_REF &&
	       DECL_NAME(TREE_OPERAND(rhs, 1)) &&
	       mc_role_is(mc_api_by_name(IDENTIFIER_POINTER(
			DECL_NAME(TREE_OPERAND(rhs, 1)))), role);
}

/* The test of ops->change_pte whose null side leads to bb, or NULL. */
static gimple *change_test_failed(basic_block bb)
{
	basic_block d;

	for (d = get_immediate_dominator(CDI_DOMINATORS, bb); d;
	     d = get_immediate_dominator(CDI_DOMINATORS, d)) {
		gimple *last = block_last_stmt(d);
		edge e;
		edge_iterator ei;
		unsigned int null_flag;

		if (!last || gimple_code(last) != GIMPLE_COND ||
		    !integer_zerop(gimple_cond_rhs(last)) ||
		    !field_role(gimple_cond_lhs(last), MMU_ROLE_OPS_CHANGE_PTE))
			continue;
		if (gimple_cond_code(last) == EQ_EXPR)
			null_flag = EDGE_TRUE_VALUE;
		else if (gimple_cond_code(last) == NE_EXPR)
			null_flag = EDGE_FALSE_VALUE;
		else
			continue;
		FOR_EACH_EDGE(e, ei, d->succs)
			if ((e->flags & null_flag) && single_pred_p(e->dest) &&
			    dominated_by_p(CDI_DOMINATORS, bb, e->dest))
				return last;
	}
	return NULL;
}

static void change_fallback(struct mc_fn *f, gimple *call)
{
	gimple *test;

	if (!field_role(gimple_call_fn(call), MMU_ROLE_OPS_INVALIDATE_PAGE))
		return;
	test = change_test_failed(gimple_bb(call));
	if (test)
		mc_report(f, call, MC_RULE_legacy_page,
			  mmu_msg_006_listener_fallback,
			  mc_line(test), "invalidate_page");
}

void check_legacy_page(struct mc_fn *f)
{
	unsigned int i;

	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *c = &f->call[i];

		if (mc_role_is(c->api, MMU_ROLE_LEGACY_PAGE))
			legacy_page(f, c);
		else if (is_gimple_call(c->stmt) && !gimple_call_fndecl(c->stmt))
			change_fallback(f, c->stmt);
	}
}
