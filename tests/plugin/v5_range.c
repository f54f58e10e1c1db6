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

/* MMU001: cleared with no bracket, the only caller does not open one. */
static void clear_pte(struct mm_struct *mm, unsigned long a, pte_t *p)
{
	ptep_get_and_clear(mm, a, p);	/* plugin: MMU001 */
}

void bad_caller(struct mm_struct *mm, unsigned long a, pte_t *p)
{
	clear_pte(mm, a, p);
}

static void ok_clear_pte(struct mm_struct *mm, unsigned long a, pte_t *p)
{
	ptep_get_and_clear(mm, a, p);
}

void ok_caller(struct vm_area_struct *vma, unsigned long a, pte_t *p)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, vma, vma->vm_mm,
				a, a + PAGE_SIZE);
	mmu_notifier_invalidate_range_start(&range);
	ok_clear_pte(vma->vm_mm, a, p);
	mmu_notifier_invalidate_range_end(&range);
}

/* MMU003: unshares in a range not widened to the PUD region. */
void bad_protect(struct vm_area_struct *vma, unsigned long start,
		 unsigned long end, pte_t *ptep, struct address_space *mapping)
{
	struct mmu_notifier_range range;
	unsigned long a;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, /* plugin: MMU003 */
				vma, vma->vm_mm, start, end);
	mmu_notifier_invalidate_range_start(&range);
	for (a = start; a < end; a += HPAGE_PMD_SIZE)
		huge_pmd_unshare(vma->vm_mm, vma, &a, ptep);
	flush_hugetlb_tlb_range(vma, range.start, range.end);
	i_mmap_unlock_write(mapping);
	mmu_notifier_invalidate_range_end(&range);
}

void ok_protect(struct vm_area_struct *vma, unsigned long start,
		unsigned long end, pte_t *ptep, struct address_space *mapping)
{
	struct mmu_notifier_range range;
	unsigned long a;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, vma, vma->vm_mm,
				start, end);
	adjust_range_if_pmd_sharing_possible(vma, &range.start, &range.end);
	mmu_notifier_invalidate_range_start(&range);
	for (a = start; a < end; a += HPAGE_PMD_SIZE)
		huge_pmd_unshare(vma->vm_mm, vma, &a, ptep);
	flush_hugetlb_tlb_range(vma, range.start, range.end);
	i_mmap_unlock_write(mapping);
	mmu_notifier_invalidate_range_end(&range);
}

/* MMU004: a goto skips the end. */
int bad_goto(struct vm_area_struct *vma, unsigned long a, pte_t *p, int busy)
{
	struct mmu_notifier_range range;
	int ret = 0;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, vma, vma->vm_mm,
				a, a + PAGE_SIZE);
	mmu_notifier_invalidate_range_start(&range);	/* plugin: MMU004 */
	if (busy) {
		ret = -16;
		goto out;
	}
	ptep_clear_flush(vma, a, p);
	mmu_notifier_invalidate_range_end(&range);
out:
	return ret;
}

int ok_goto(struct vm_area_struct *vma, unsigned long a, pte_t *p, int busy)
{
	struct mmu_notifier_range range;
	int ret = 0;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, vma, vma->vm_mm,
				a, a + PAGE_SIZE);
	mmu_notifier_invalidate_range_start(&range);
	if (busy) {
		ret = -16;
		goto out;
	}
	ptep_clear_flush(vma, a, p);
out:
	mmu_notifier_invalidate_range_end(&range);
	return ret;
}
