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

void check_pmd_sharing(struct mc_fn *f)
{
	unsigned int i;

	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *u = &f->call[i];

		if (!mc_role_is(u->api, MMU_ROLE_UNSHARE))
			continue;
		check_widened(f, u);
		if (mc_path_avoiding(u->bb, u->stmt, is_flush, is_unlock,
				     NULL, f)) {
			mc_report(f, u->stmt, MC_RULE_pmd_sharing, "%s",
				  mmu_msg_003_unshare_unflushed);
			return;
		}
	}
}
