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
		mc_report(f, obj->init, "MMU003",
			  "range is not widened to the PUD region %s() on line %d can unmap (adjust_range_if_pmd_sharing_possible())",
			  mc_call_name(u), mc_line(u->stmt));
		obj->widened = 1;	/* once per range */
	}
}

static int is_flush(const struct mc_call *c, const void *ctx)
{
	(void)ctx;
	return mc_role_is(c->api, "TLB_FLUSH_RANGE") ||
	       mc_role_is(c->api, "TLB_FLUSH_MM") ||
	       mc_role_is(c->api, "UNSHARE_FLUSH");
}

static int is_unlock(const struct mc_call *c, const void *ctx)
{
	(void)ctx;
	return mc_role_is(c->api, "SHARE_UNLOCK");
}

void check_pmd_sharing(struct mc_fn *f)
{
	unsigned int i;

	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *u = &f->call[i];

		if (!mc_role_is(u->api, "UNSHARE"))
			continue;
		check_widened(f, u);
		if (mc_path_avoiding(u->bb, u->stmt, is_flush, is_unlock,
				     NULL, f)) {
			mc_report(f, u->stmt, "MMU003",
				  "after a successful unshare the PUD region is not flushed before the i_mmap lock is dropped");
			return;
		}
	}
}
