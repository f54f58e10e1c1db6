// SPDX-License-Identifier: GPL-2.0-only
/*
 * MMU005: (v3.19-v6.5) invalidate_range_only_end() skips the
 * secondary-TLB invalidation, so every update in its bracket must be a
 * _notify variant; and a cache flush must cover the huge mapping.
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

static void check_only_end(struct mc_fn *f, const struct mc_call *end)
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
			return;
		}
	}
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

/*
 * Only in kernels that invalidate secondary TLBs beside the CPU's (the
 * table's SEC_TLB rows, v3.19-v6.5): from v6.6 the arch TLB code does.
 */
void check_flush(struct mc_fn *f)
{
	unsigned int i;

	if (!mc_kernel_has_role(MMU_ROLE_SEC_TLB))
		return;
	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *c = &f->call[i];

		if (mc_role_is(c->api, MMU_ROLE_ONLY_END) && c->object >= 0)
			check_only_end(f, c);
		else if (mc_role_is(c->api, MMU_ROLE_CACHE_FLUSH_PAGE))
			check_cache_page(f, c);
	}
}
