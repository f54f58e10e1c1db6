/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gcc-common.h - the GCC internals mmucheck's plugin uses, and the few
 * differences between GCC versions it has to paper over.  Written for
 * mmucheck in the spirit of the kernel's scripts/gcc-plugins/gcc-common.h.
 */
#ifndef MMUCHECK_GCC_COMMON_H
#define MMUCHECK_GCC_COMMON_H

#include "gcc-plugin.h"
#include "config.h"
#include "system.h"
#include "coretypes.h"
#include "tm.h"
#include "tree.h"
#include "tree-pass.h"
#include "context.h"
#include "function.h"
#include "basic-block.h"
#include "cfg.h"
#include "tree-cfg.h"
#include "version.h"
#include "gimple.h"
#include "gimple-iterator.h"
#include "tree-ssa-alias.h"
#include "ssa.h"
#include "stringpool.h"
#include "diagnostic-core.h"
#include "dominance.h"
#include "langhooks.h"
#include "toplev.h"
#include "input.h"
#include "intl.h"

#if BUILDING_GCC_VERSION < 8000
#error "mmucheck's plugin needs GCC 8 or newer"
#endif

/* GCC 9 brought fndecl_built_in_p(); before it, DECL_BUILT_IN(). */
#if BUILDING_GCC_VERSION < 9000
#define fndecl_built_in_p(decl) DECL_BUILT_IN(decl)
#endif

/* GCC 14 dropped last_stmt(); this spelling works from GCC 8 on. */
static inline gimple *block_last_stmt(basic_block bb)
{
	gimple_stmt_iterator gsi = gsi_last_nondebug_bb(bb);

	return gsi_end_p(gsi) ? NULL : gsi_stmt(gsi);
}

/* Where a macro was used, not where it was defined. */
static inline location_t expansion_point(location_t loc)
{
	return linemap_resolve_location(line_table, loc,
					LRK_MACRO_EXPANSION_POINT, NULL);
}

/* The name of a declaration, or "" when it has none. */
static inline const char *decl_name(const_tree decl)
{
	if (!decl || !DECL_NAME(decl))
		return "";
	return IDENTIFIER_POINTER(DECL_NAME(decl));
}

#endif
