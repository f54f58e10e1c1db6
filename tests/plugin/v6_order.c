// SPDX-License-Identifier: GPL-2.0-only
/*
 * Plugin fixtures, MMU007 (flush order), v6 API.  "plugin: MMU00N"
 * marks a line the plugin must report; ok_* functions stay quiet.
 */
#include "../stubs/mmu_stubs.h"

#define unlikely(x)	__builtin_expect(!!(x), 0)

typedef struct { int locked; } spinlock_t;
struct page;
struct mmu_gather { struct mm_struct *mm; };
struct vm_fault { struct vm_area_struct *vma; unsigned long address; };
struct walk_state { spinlock_t *ptl; spinlock_t *stats_lock; };

void spin_unlock(spinlock_t *l);
void pte_unmap(pte_t *p);
/* As in the kernel, a macro: the compiler sees spin_unlock(ptl). */
#define pte_unmap_unlock(pte, ptl)	do { spin_unlock(ptl); pte_unmap(pte); } while (0)
pte_t *pte_offset_map_lock(struct mm_struct *mm, pmd_t *pmd,
			   unsigned long a, spinlock_t **ptl);
pmd_t pmdp_huge_get_and_clear(struct mm_struct *mm, unsigned long a,
			      pmd_t *p);
int pte_present(pte_t pte);
int pte_none(pte_t pte);
unsigned long pte_pfn(pte_t pte);
void arch_enter_lazy_mmu_mode(void);
void arch_leave_lazy_mmu_mode(void);
void tlb_flush_pmd_range(struct mmu_gather *tlb, unsigned long a,
			 unsigned long size);
void copy_highpage(struct page *to, struct page *from);
void tlb_gather_mmu(struct mmu_gather *tlb, struct mm_struct *mm);
void tlb_finish_mmu(struct mmu_gather *tlb);
void flush_tlb_mm(struct mm_struct *mm);
void ptep_set_wrprotect(struct mm_struct *mm, unsigned long a, pte_t *p);
void protect_all(struct mm_struct *mm);
void protect_with(struct mmu_gather *tlb);

/* MMU007: the cleared PTEs are flushed after the PTL is dropped. */
void bad_flush_after_unlock(struct vm_area_struct *vma, pmd_t *pmd,
			    unsigned long start, unsigned long end)
{
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(vma->vm_mm, pmd, start, &ptl);
	unsigned long a;

	for (a = start; a < end; a += PAGE_SIZE, pte++)
		ptep_get_and_clear(vma->vm_mm, a, pte);
	pte_unmap_unlock(pte - 1, ptl);
	flush_tlb_range(vma, start, end);	/* plugin: MMU007 */
}

/* MMU007: the lock is a field (vmf->ptl style), the entry a PMD. */
void bad_flush_after_field_unlock(struct walk_state *w,
				  struct vm_area_struct *vma,
				  unsigned long addr, pmd_t *pmd)
{
	pmdp_huge_get_and_clear(vma->vm_mm, addr, pmd);
	spin_unlock(w->ptl);
	flush_tlb_range(vma, addr, addr + HPAGE_PMD_SIZE);	/* plugin: MMU007 */
}

void ok_flush_under_lock(struct vm_area_struct *vma, pmd_t *pmd,
			 unsigned long start, unsigned long end)
{
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(vma->vm_mm, pmd, start, &ptl);
	unsigned long a;

	for (a = start; a < end; a += PAGE_SIZE, pte++)
		ptep_get_and_clear(vma->vm_mm, a, pte);
	flush_tlb_range(vma, start, end);
	pte_unmap_unlock(pte - 1, ptl);
}

/* The lock dropped before the flush is not a page-table lock. */
void ok_stats_lock_first(struct walk_state *w, struct vm_area_struct *vma,
			 unsigned long addr, pmd_t *pmd)
{
	pmdp_huge_get_and_clear(vma->vm_mm, addr, pmd);
	spin_unlock(w->stats_lock);
	flush_tlb_range(vma, addr, addr + HPAGE_PMD_SIZE);
	spin_unlock(w->ptl);
}

/* Only non-present entries are cleared: no TLB holds them. */
void ok_clear_not_present(struct vm_area_struct *vma, pmd_t *pmd,
			  unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);

	if (unlikely(!pte_present(*pte)))
		pte_clear(vma->vm_mm, addr, pte);
	pte_unmap_unlock(pte, ptl);
	flush_tlb_range(vma, addr, addr + PAGE_SIZE);
}

/* The mmu_gather records the range and flushes before freeing. */
void ok_gather_records(struct mmu_gather *tlb, struct vm_area_struct *vma,
		       unsigned long addr, pmd_t *pmd, spinlock_t *ptl)
{
	pmdp_huge_get_and_clear(vma->vm_mm, addr, pmd);
	spin_unlock(ptl);
	tlb_flush_pmd_range(tlb, addr, HPAGE_PMD_SIZE);
}

/* MMU007: flushed in lazy MMU mode, before the clears take effect. */
void bad_flush_in_lazy_mode(struct vm_area_struct *vma, pte_t *pte,
			    unsigned long start, unsigned long end)
{
	unsigned long a;

	arch_enter_lazy_mmu_mode();
	for (a = start; a < end; a += PAGE_SIZE, pte++)
		ptep_get_and_clear(vma->vm_mm, a, pte);
	flush_tlb_range(vma, start, end);	/* plugin: MMU007 */
	arch_leave_lazy_mmu_mode();
}

void ok_flush_after_lazy_mode(struct vm_area_struct *vma, pte_t *pte,
			      unsigned long start, unsigned long end)
{
	unsigned long a;

	arch_enter_lazy_mmu_mode();
	for (a = start; a < end; a += PAGE_SIZE, pte++)
		ptep_get_and_clear(vma->vm_mm, a, pte);
	arch_leave_lazy_mmu_mode();
	flush_tlb_range(vma, start, end);
}

/* MMU007: the cache is flushed after the PMD table is unshared. */
void bad_cache_after_unshare(struct mmu_gather *tlb, struct vm_area_struct *vma,
			     unsigned long start, unsigned long end, pte_t *pte)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, vma->vm_mm, start,
				end);
	adjust_range_if_pmd_sharing_possible(vma, &range.start, &range.end);
	mmu_notifier_invalidate_range_start(&range);
	if (huge_pmd_unshare(tlb, vma, start, pte)) {	/* plugin: MMU007 */
		flush_cache_range(vma, range.start, range.end);	/* plugin: MMU007 */
		flush_tlb_range(vma, range.start, range.end);
	}
	mmu_notifier_invalidate_range_end(&range);
}

void ok_cache_before_unshare(struct mmu_gather *tlb, struct vm_area_struct *vma,
			     unsigned long start, unsigned long end, pte_t *pte)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, vma->vm_mm, start,
				end);
	adjust_range_if_pmd_sharing_possible(vma, &range.start, &range.end);
	flush_cache_range(vma, range.start, range.end);
	mmu_notifier_invalidate_range_start(&range);
	if (huge_pmd_unshare(tlb, vma, start, pte))
		flush_tlb_range(vma, range.start, range.end);
	mmu_notifier_invalidate_range_end(&range);
}

/* MMU007: the cache is flushed after the entry it is for is cleared. */
void bad_cache_after_clear(struct vm_area_struct *vma, unsigned long addr,
			   pte_t *pte)
{
	pte_t old = ptep_clear_flush(vma, addr, pte);

	flush_cache_page(vma, addr, pte_pfn(old));	/* plugin: MMU007 */
}

/* Cache flush, then clear, entry after entry (the next one's flush is not late). */
void ok_cache_then_clear_loop(struct vm_area_struct *vma, unsigned long start,
			      unsigned long end, pte_t *pte)
{
	unsigned long a;

	for (a = start; a < end; a += PAGE_SIZE, pte++) {
		flush_cache_page(vma, a, pte_pfn(*pte));
		ptep_clear_flush(vma, a, pte);
	}
}

/* MMU007: the page is copied before the bracket takes its mapping away. */
void bad_copy_before_bracket(struct vm_area_struct *vma,
			     struct mmu_notifier_range *r, struct page *from,
			     struct page *to, unsigned long addr, pte_t *pte)
{
	copy_highpage(to, from);	/* plugin: MMU007 */
	mmu_notifier_invalidate_range_start(r);
	ptep_clear_flush(vma, addr, pte);
	mmu_notifier_invalidate_range_end(r);
}

void ok_copy_in_bracket(struct vm_area_struct *vma,
			struct mmu_notifier_range *r, struct page *from,
			struct page *to, unsigned long addr, pte_t *pte)
{
	mmu_notifier_invalidate_range_start(r);
	ptep_clear_flush(vma, addr, pte);
	copy_highpage(to, from);
	mmu_notifier_invalidate_range_end(r);
}

/* A write fault copies a page no one can write (copy on write). */
void ok_copy_on_write(struct vm_fault *vmf, struct mmu_notifier_range *r,
		      struct page *from, struct page *to, pte_t *pte)
{
	copy_highpage(to, from);
	mmu_notifier_invalidate_range_start(r);
	ptep_clear_flush(vmf->vma, vmf->address, pte);
	mmu_notifier_invalidate_range_end(r);
}

/* MMU007: one branch clears with no cache flush, its sibling flushes. */
void bad_branch_without_cache_flush(struct vm_area_struct *vma,
				    unsigned long addr, pte_t *pte, int exclusive)
{
	if (exclusive) {
		flush_cache_page(vma, addr, pte_pfn(*pte));
		ptep_clear_flush(vma, addr, pte);
	} else {
		ptep_get_and_clear(vma->vm_mm, addr, pte);	/* plugin: MMU007 */
	}
}

/* MMU007: the same, after a test that the entry is not empty. */
void bad_branch_after_none_test(struct vm_area_struct *vma,
				unsigned long addr, pte_t *pte, int exclusive)
{
	if (pte_none(*pte))
		return;
	if (exclusive) {
		flush_cache_page(vma, addr, pte_pfn(*pte));
		ptep_clear_flush(vma, addr, pte);
	} else {
		ptep_get_and_clear(vma->vm_mm, addr, pte);	/* plugin: MMU007 */
	}
}

/* The branch without a cache flush handles a non-present entry. */
void ok_branch_not_present(struct vm_area_struct *vma, unsigned long addr,
			   pte_t *pte)
{
	if (pte_present(*pte)) {
		flush_cache_page(vma, addr, pte_pfn(*pte));
		ptep_clear_flush(vma, addr, pte);
	} else {
		pte_clear(vma->vm_mm, addr, pte);
	}
}

/* What the walks below do to each entry: a permission downgrade. */
void protect_entry(struct mm_struct *mm, unsigned long addr, pte_t *pte)
{
	ptep_set_wrprotect(mm, addr, pte);
}

/* MMU007: the mmu_gather records nothing, so no CPU TLB is flushed. */
void bad_gather_records_nothing(struct mm_struct *mm,
				struct mmu_notifier_range *r)
{
	struct mmu_gather tlb;

	tlb_gather_mmu(&tlb, mm);
	mmu_notifier_invalidate_range_start(r);
	protect_all(mm);
	mmu_notifier_invalidate_range_end(r);
	tlb_finish_mmu(&tlb);	/* plugin: MMU007 */
}

void ok_gather_and_flush_mm(struct mm_struct *mm,
			    struct mmu_notifier_range *r)
{
	struct mmu_gather tlb;

	tlb_gather_mmu(&tlb, mm);
	mmu_notifier_invalidate_range_start(r);
	protect_all(mm);
	mmu_notifier_invalidate_range_end(r);
	flush_tlb_mm(mm);
	tlb_finish_mmu(&tlb);
}

/* The walk gets the mmu_gather and records what it changes. */
void ok_gather_handed_on(struct mm_struct *mm, struct mmu_notifier_range *r)
{
	struct mmu_gather tlb;

	tlb_gather_mmu(&tlb, mm);
	mmu_notifier_invalidate_range_start(r);
	protect_with(&tlb);
	mmu_notifier_invalidate_range_end(r);
	tlb_finish_mmu(&tlb);
}
