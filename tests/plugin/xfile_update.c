// SPDX-License-Identifier: GPL-2.0-only
/* Cross-file MMU001: the update lives here, its callers elsewhere. */
#include "../stubs/mmu_stubs.h"

void xfile_clear(struct mm_struct *mm, unsigned long addr, pte_t *pte)
{
	ptep_get_and_clear(mm, addr, pte);
}
