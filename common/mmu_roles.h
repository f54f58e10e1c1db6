/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mmu_roles.h - api/mmu_roles.def as C enums and a table, for the C
 * readers of the API table (the GCC plugin, tools/gencocci).  Valid C
 * and C++ (the plugin is built by g++).
 *
 * The same list is expanded several ways, as the kernel's trace events
 * expand their EM() lists: once per enum, once for the table.  A row of
 * mmu_api.def spells its role MMU_ROLE_<role> when expanded, so a role
 * with no MMU_ROLE line is a build error at that row; a MMU_ROLE line
 * with an unknown level, kind or flag is one at that line.
 */
#ifndef MMUCHECK_MMU_ROLES_H
#define MMUCHECK_MMU_ROLES_H

#define MMU_LEVEL(level)
#define MMU_KIND(kind)
#define MMU_FLAG(flag)
#define MMU_ROLE(role, level, kind, flags)

#undef MMU_LEVEL
#define MMU_LEVEL(level) MMU_LEVEL_##level,
enum mmu_level {
#include "../api/mmu_roles.def"
};
#undef MMU_LEVEL
#define MMU_LEVEL(level)

#undef MMU_KIND
#define MMU_KIND(kind) MMU_KIND_##kind,
enum mmu_kind {
#include "../api/mmu_roles.def"
	MMU_KIND_NONE		/* not an API call */
};
#undef MMU_KIND
#define MMU_KIND(kind)

#undef MMU_FLAG
#define MMU_FLAG(flag) MMU_FLAG_BIT_##flag,
enum mmu_flag_bit {
#include "../api/mmu_roles.def"
};
#undef MMU_FLAG
#define MMU_FLAG(flag) MMU_FLAG_##flag = (1u << MMU_FLAG_BIT_##flag),
enum mmu_flag {
#include "../api/mmu_roles.def"
};
#undef MMU_FLAG
#define MMU_FLAG(flag)

#undef MMU_ROLE
#define MMU_ROLE(role, level, kind, flags) MMU_ROLE_##role,
enum mmu_role {
#include "../api/mmu_roles.def"
	MMU_ROLE_COUNT
};
#undef MMU_ROLE

struct mmu_role_info {
	const char *name;
	enum mmu_level level;
	enum mmu_kind kind;
	unsigned int flags;	/* enum mmu_flag bits */
};

/* Indexed by enum mmu_role: the same list in the same order. */
#define F(flag) MMU_FLAG_##flag
#define MMU_ROLE(role, level, kind, flags) \
	{ #role, MMU_LEVEL_##level, MMU_KIND_##kind, (flags) },
static const struct mmu_role_info mmu_role_table[] = {
#include "../api/mmu_roles.def"
};
#undef MMU_ROLE
#undef F

#undef MMU_LEVEL
#undef MMU_KIND
#undef MMU_FLAG

#endif
