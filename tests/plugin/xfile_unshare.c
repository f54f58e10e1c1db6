// SPDX-License-Identifier: GPL-2.0-only
/* Cross-file MMU003: a hugetlb zap that unshares inside its callers' range. */
#include "../stubs/mmu_stubs.h"

void xfile_zap_hugetlb(struct mmu_gather *tlb, struct vm_area_struct *vma,
		       unsigned long start, unsigned long end, pte_t *ptep)
{
	unsigned long a;

	for (a = start; a < end; a += HPAGE_PMD_SIZE)
		huge_pmd_unshare(tlb, vma, a, ptep);
}
