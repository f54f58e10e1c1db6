// SPDX-License-Identifier: GPL-2.0-only
/* Cross-file MMU003: callers of xfile_zap_hugetlb(), widened or not. */
#include "../stubs/mmu_stubs.h"

void xfile_zap_hugetlb(struct mmu_gather *tlb, struct vm_area_struct *vma,
		       unsigned long start, unsigned long end, pte_t *ptep);

void xfile_widened_zap(struct mmu_gather *tlb, struct vm_area_struct *vma,
		       unsigned long start, unsigned long end, pte_t *ptep)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, vma->vm_mm,
				start, end);
	adjust_range_if_pmd_sharing_possible(vma, &range.start, &range.end);
	mmu_notifier_invalidate_range_start(&range);
	xfile_zap_hugetlb(tlb, vma, start, end, ptep);
	mmu_notifier_invalidate_range_end(&range);
}

void xfile_narrow_zap(struct mmu_gather *tlb, struct vm_area_struct *vma,
		      unsigned long start, unsigned long end, pte_t *ptep)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, vma->vm_mm,
				start, end);
	mmu_notifier_invalidate_range_start(&range);
	xfile_zap_hugetlb(tlb, vma, start, end, ptep);
	mmu_notifier_invalidate_range_end(&range);
}
