// SPDX-License-Identifier: GPL-2.0-only
/*
 * Plugin fixtures, v4.13-v4.20 API: start/end(mm, start, end) and
 * huge_pmd_unshare(mm, &addr, ptep).
 */
#include "../stubs/mmu_stubs_v4.h"

/* MMU004: the error path skips the end. */
int bad_change_one(struct vm_area_struct *vma, unsigned long start,
		   unsigned long end, pte_t *pte, int busy)
{
	struct mm_struct *mm = vma->vm_mm;

	mmu_notifier_invalidate_range_start(mm, start, end);	/* plugin: MMU004 */
	if (busy)
		return -16;
	ptep_clear_flush(vma, start, pte);
	mmu_notifier_invalidate_range_end(mm, start, end);
	return 0;
}

/* MMU004: start and end disagree on the range. */
void bad_values(struct vm_area_struct *vma, unsigned long start,
		unsigned long end, pte_t *pte)
{
	struct mm_struct *mm = vma->vm_mm;

	mmu_notifier_invalidate_range_start(mm, start, end);
	ptep_clear_flush(vma, start, pte);
	mmu_notifier_invalidate_range_end(mm, start, start + PAGE_SIZE);	/* plugin: MMU004 */
}

/* MMU002: PAGE_SIZE around a hugetlb entry. */
void bad_hugetlb_small(struct vm_area_struct *vma, unsigned long addr,
		       pte_t *pte)
{
	mmu_notifier_invalidate_range_start(vma->vm_mm, addr, addr + PAGE_SIZE);	/* plugin: MMU002 */
	huge_ptep_get_and_clear(vma->vm_mm, addr, pte);
	mmu_notifier_invalidate_range_end(vma->vm_mm, addr, addr + PAGE_SIZE);
}

/* MMU003: unshares inside a range not widened to the PUD. */
void bad_unmap_hugepage_range(struct vm_area_struct *vma, unsigned long start,
			      unsigned long end, pte_t *ptep)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long address = start;

	mmu_notifier_invalidate_range_start(mm, start, end);	/* plugin: MMU003 */
	for (; address < end; address += HPAGE_PMD_SIZE)
		if (huge_pmd_unshare(mm, &address, ptep))
			continue;
	flush_tlb_range(vma, start, end);
	mmu_notifier_invalidate_range_end(mm, start, end);
}

/* OK: widened first (v4.19 helper). */
void ok_unmap_hugepage_range(struct vm_area_struct *vma, unsigned long start,
			     unsigned long end, pte_t *ptep)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long address = start;

	adjust_range_if_pmd_sharing_possible(vma, &start, &end);
	mmu_notifier_invalidate_range_start(mm, start, end);
	for (; address < end; address += HPAGE_PMD_SIZE)
		if (huge_pmd_unshare(mm, &address, ptep))
			continue;
	flush_tlb_range(vma, start, end);
	mmu_notifier_invalidate_range_end(mm, start, end);
}

/* MMU001: a bracketed caller in the same file, an unbracketed one too. */
static void clear_pte(struct mm_struct *mm, unsigned long a, pte_t *p)
{
	ptep_get_and_clear(mm, a, p);
}

void ok_bracketed(struct mm_struct *mm, unsigned long a, pte_t *p)
{
	mmu_notifier_invalidate_range_start(mm, a, a + PAGE_SIZE);
	clear_pte(mm, a, p);
	mmu_notifier_invalidate_range_end(mm, a, a + PAGE_SIZE);
}

/* MMU001: the only caller in this file does not bracket. */
static void clear_pte_unbracketed(struct mm_struct *mm, unsigned long a,
				  pte_t *p)
{
	ptep_get_and_clear(mm, a, p);	/* plugin: MMU001 */
}

void bad_unbracketed(struct mm_struct *mm, unsigned long a, pte_t *p)
{
	clear_pte_unbracketed(mm, a, p);
}

/* OK (MMU002): a hugetlb entry in a huge-page-sized, aligned range. */
void ok_hugetlb_size(struct vm_area_struct *vma, unsigned long addr,
		     pte_t *pte)
{
	unsigned long haddr = addr & HPAGE_PMD_MASK;

	mmu_notifier_invalidate_range_start(vma->vm_mm, haddr,
					    haddr + HPAGE_PMD_SIZE);
	huge_ptep_get_and_clear(vma->vm_mm, haddr, pte);
	mmu_notifier_invalidate_range_end(vma->vm_mm, haddr,
					  haddr + HPAGE_PMD_SIZE);
}

/* MMU005 (v4.15+): only_end() after a clear that is not notified. */
void bad_only_end(struct vm_area_struct *vma, unsigned long a, pte_t *p)
{
	mmu_notifier_invalidate_range_start(vma->vm_mm, a, a + PAGE_SIZE);
	ptep_clear_flush(vma, a, p);
	mmu_notifier_invalidate_range_only_end(vma->vm_mm, a, a + PAGE_SIZE);	/* plugin: MMU005 */
}

/* OK: the clear is followed by the secondary-TLB invalidation (what
 * ptep_clear_flush_notify() expanded to). */
void ok_only_end(struct vm_area_struct *vma, unsigned long a, pte_t *p)
{
	mmu_notifier_invalidate_range_start(vma->vm_mm, a, a + PAGE_SIZE);
	ptep_clear_flush(vma, a, p);
	mmu_notifier_invalidate_range(vma->vm_mm, a, a + PAGE_SIZE);
	mmu_notifier_invalidate_range_only_end(vma->vm_mm, a, a + PAGE_SIZE);
}
