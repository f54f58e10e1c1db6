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
	unsigned int n = gimple_call_num_args(c->stmt);

	return ((mc_role_is(c->api, MMU_ROLE_TLB_FLUSH_RANGE) ||
		 mc_role_is(c->api, MMU_ROLE_CACHE_FLUSH_RANGE)) && n == 3) ||
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

void check_pmd_sharing(struct mc_fn *f)
{
	unsigned int i;

	if (reaches_any_unshare(f)) {
		mc_unit_mark(f, MC_UNIT_UNSHARES);
		check_flush_ranges(f);
	}
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
