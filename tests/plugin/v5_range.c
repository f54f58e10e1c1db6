// SPDX-License-Identifier: GPL-2.0-only
/*
 * Plugin fixtures, v5.2-v6.2 API: mmu_notifier_range_init(&r, ev, fl,
 * vma, mm, s, e), and only_end() for brackets of _notify updates.
 */
#include "../stubs/mmu_stubs_v5.h"

/* MMU002: PAGE_SIZE around a PMD update, sizes through shift macros. */
void bad_collapse(struct vm_area_struct *vma, unsigned long address,
		  pmd_t *pmd)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, /* plugin: MMU002 */
				vma, vma->vm_mm, address, address + PAGE_SIZE);
	mmu_notifier_invalidate_range_start(&range);
	pmdp_huge_clear_flush(vma, address, pmd);
	mmu_notifier_invalidate_range_end(&range);
}

void ok_collapse(struct vm_area_struct *vma, unsigned long address,
		 pmd_t *pmd)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, vma, vma->vm_mm,
				address, address + HPAGE_PMD_SIZE);
	mmu_notifier_invalidate_range_start(&range);
	pmdp_huge_clear_flush(vma, address, pmd);
	mmu_notifier_invalidate_range_end(&range);
}

/* MMU005: only_end() after a clear that does not notify. */
void bad_wp_copy(struct vm_area_struct *vma, unsigned long a, pte_t *p)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, vma, vma->vm_mm,
				a, a + PAGE_SIZE);
	mmu_notifier_invalidate_range_start(&range);
	ptep_clear_flush(vma, a, p);
	mmu_notifier_invalidate_range_only_end(&range);	/* plugin: MMU005 */
}

void ok_wp_copy(struct vm_area_struct *vma, unsigned long a, pte_t *p)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, vma, vma->vm_mm,
				a, a + PAGE_SIZE);
	mmu_notifier_invalidate_range_start(&range);
	ptep_clear_flush_notify(vma, a, p);
	mmu_notifier_invalidate_range_only_end(&range);
}
