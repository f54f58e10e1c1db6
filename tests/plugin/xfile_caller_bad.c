// SPDX-License-Identifier: GPL-2.0-only
/* Cross-file MMU001: this caller forgets the bracket. */
#include "../stubs/mmu_stubs.h"

void xfile_clear(struct mm_struct *mm, unsigned long addr, pte_t *pte);

void xfile_unbracketed(struct mm_struct *mm, unsigned long addr, pte_t *pte)
{
	xfile_clear(mm, addr, pte);
}
