// SPDX-License-Identifier: GPL-2.0-only
/*
 * Plugin fixtures, v6.3+ API: mmu_notifier_range_init(&r, ev, fl, mm, s, e).
 * "plugin: MMU00N" marks a line the plugin must report; every other
 * line must stay quiet (ok_* functions are the negatives).
 */
#include "../stubs/mmu_stubs.h"

/* The size reaches the range through macros the semantic patches do not
 * expand (here one header deep; in the kernel, three). */
#define THP_SPAN	PAGE_SIZE
#define RANGE_OF(a)	(a), (a) + THP_SPAN

struct mm_walk_ops {
	int (*pte_entry)(pte_t *pte, unsigned long addr, void *walk);
};
int walk_page_range(struct mm_struct *mm, unsigned long s, unsigned long e,
		    const struct mm_walk_ops *ops, void *priv);

/* MMU001: no bracket anywhere in the chain. */
static void clear_one(struct mm_struct *mm, unsigned long addr, pte_t *pte)
{
	ptep_get_and_clear(mm, addr, pte);	/* plugin: MMU001 */
}

void bad_unbracketed_caller(struct mm_struct *mm, unsigned long a, pte_t *p)
{
	clear_one(mm, a, p);
}

static void zap_one(struct vm_area_struct *vma, unsigned long a, pte_t *p)
{
	ptep_clear_flush(vma, a, p);
}

void ok_bracketed_caller(struct vm_area_struct *vma, unsigned long a, pte_t *p)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, vma->vm_mm, a,
				a + PAGE_SIZE);
	mmu_notifier_invalidate_range_start(&range);
	zap_one(vma, a, p);
	mmu_notifier_invalidate_range_end(&range);
}

static int ok_walk_entry(pte_t *pte, unsigned long addr, void *walk)
{
	pte_clear(((struct vm_area_struct *)walk)->vm_mm, addr, pte);
	return 0;
}

static const struct mm_walk_ops ok_ops = { .pte_entry = ok_walk_entry };

void ok_bracketed_walk(struct mm_struct *mm, unsigned long s, unsigned long e)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, mm, s, e);
	mmu_notifier_invalidate_range_start(&range);
	walk_page_range(mm, s, e, &ok_ops, 0);
	mmu_notifier_invalidate_range_end(&range);
}

void bad_after_end(struct vm_area_struct *vma, unsigned long a, pte_t *p)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, vma->vm_mm, a,
				a + PAGE_SIZE);
	mmu_notifier_invalidate_range_start(&range);
	mmu_notifier_invalidate_range_end(&range);
	ptep_clear_flush(vma, a, p);		/* plugin: MMU001 */
}

void ok_kernel_mapping(unsigned long addr, pte_t *pte)
{
	pte_clear(&init_mm, addr, pte);
}

/* MMU002: a PAGE_SIZE range around a PMD update, through a macro. */
void bad_thp_macro_size(struct vm_area_struct *vma, unsigned long haddr,
			pmd_t *pmd)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, /* plugin: MMU002 */
				vma->vm_mm, RANGE_OF(haddr));
	mmu_notifier_invalidate_range_start(&range);
	pmdp_huge_clear_flush(vma, haddr, pmd);
	mmu_notifier_invalidate_range_end(&range);
}

void ok_thp_size(struct vm_area_struct *vma, unsigned long addr, pmd_t *pmd)
{
	struct mmu_notifier_range range;
	unsigned long haddr = addr & HPAGE_PMD_MASK;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, vma->vm_mm,
				haddr, haddr + HPAGE_PMD_SIZE);
	mmu_notifier_invalidate_range_start(&range);
	pmdp_huge_clear_flush(vma, haddr, pmd);
	mmu_notifier_invalidate_range_end(&range);
}

/* MMU002: the aligned address is computed, the raw one is used. */
void bad_thp_misaligned(struct vm_area_struct *vma, unsigned long addr,
			pmd_t *pmd)
{
	struct mmu_notifier_range range;
	unsigned long haddr = addr & HPAGE_PMD_MASK;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, /* plugin: MMU002 */
				vma->vm_mm, addr, addr + HPAGE_PMD_SIZE);
	mmu_notifier_invalidate_range_start(&range);
	pmdp_huge_clear_flush(vma, haddr, pmd);
	mmu_notifier_invalidate_range_end(&range);
}

/* MMU002: the loop advanced addr; the flush uses it as its base. */
void bad_loop_advanced(struct vm_area_struct *vma, unsigned long addr,
		       unsigned long end, pte_t *pte)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, vma->vm_mm,
				addr, end);
	mmu_notifier_invalidate_range_start(&range);
	for (; addr < end; addr += PAGE_SIZE)
		ptep_get_and_clear(vma->vm_mm, addr, pte++);
	flush_tlb_range(vma, addr, end);	/* plugin: MMU002 */
	mmu_notifier_invalidate_range_end(&range);
}

/* MMU003: unshares inside a range never widened to the PUD region. */
void bad_hugetlb_protect(struct mmu_gather *tlb, struct vm_area_struct *vma,
			 unsigned long start, unsigned long end, pte_t *ptep,
			 struct address_space *mapping)
{
	struct mmu_notifier_range range;
	unsigned long a;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, /* plugin: MMU003 */
				vma->vm_mm, start, end);
	flush_cache_range(vma, range.start, range.end);
	mmu_notifier_invalidate_range_start(&range);
	for (a = start; a < end; a += HPAGE_PMD_SIZE)
		huge_pmd_unshare(tlb, vma, a, ptep);
	flush_tlb_range(vma, range.start, range.end);
	i_mmap_unlock_write(mapping);
	mmu_notifier_invalidate_range_end(&range);
}

void ok_hugetlb_widened(struct mmu_gather *tlb, struct vm_area_struct *vma,
			unsigned long start, unsigned long end, pte_t *ptep,
			struct address_space *mapping)
{
	struct mmu_notifier_range range;
	unsigned long a;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, vma->vm_mm,
				start, end);
	adjust_range_if_pmd_sharing_possible(vma, &range.start, &range.end);
	flush_cache_range(vma, range.start, range.end);
	mmu_notifier_invalidate_range_start(&range);
	for (a = start; a < end; a += HPAGE_PMD_SIZE)
		huge_pmd_unshare(tlb, vma, a, ptep);
	huge_pmd_unshare_flush(tlb, vma);
	i_mmap_unlock_write(mapping);
	mmu_notifier_invalidate_range_end(&range);
}

/* MMU003: the unshared region is flushed after i_mmap is unlocked. */
void bad_flush_after_unlock(struct mmu_gather *tlb,
			    struct vm_area_struct *vma, unsigned long start,
			    unsigned long end, pte_t *ptep,
			    struct address_space *mapping)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, vma->vm_mm,
				start & PUD_MASK, (start & PUD_MASK) + PUD_SIZE);
	flush_cache_range(vma, range.start, range.end);
	mmu_notifier_invalidate_range_start(&range);
	huge_pmd_unshare(tlb, vma, start, ptep);	/* plugin: MMU003 */
	i_mmap_unlock_write(mapping);
	huge_pmd_unshare_flush(tlb, vma);
	mmu_notifier_invalidate_range_end(&range);
}

/* MMU004: an early return skips the end. */
int bad_early_return(struct vm_area_struct *vma, unsigned long a, pte_t *p,
		     int busy)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, vma->vm_mm, a,
				a + PAGE_SIZE);
	mmu_notifier_invalidate_range_start(&range);	/* plugin: MMU004 */
	if (busy)
		return -16;
	ptep_clear_flush(vma, a, p);
	mmu_notifier_invalidate_range_end(&range);
	return 0;
}

/* Not a bug: the conditional bracket idiom. */
void ok_conditional(struct vm_area_struct *vma, unsigned long a, pte_t *p,
		    int notify)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, vma->vm_mm, a,
				a + PAGE_SIZE);
	if (notify)
		mmu_notifier_invalidate_range_start(&range);
	ptep_clear_flush(vma, a, p);
	if (notify)
		mmu_notifier_invalidate_range_end(&range);
}

/* MMU004: the range is edited while open. */
void bad_edited(struct vm_area_struct *vma, unsigned long a, pte_t *p)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, vma->vm_mm, a,
				a + PAGE_SIZE);
	mmu_notifier_invalidate_range_start(&range);
	range.end = a;					/* plugin: MMU004 */
	ptep_clear_flush(vma, a, p);
	mmu_notifier_invalidate_range_end(&range);
}

/* MMU004: ends a range object it never started. */
void bad_other_object(struct vm_area_struct *vma, unsigned long a, pte_t *p)
{
	struct mmu_notifier_range range, other;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, vma->vm_mm, a,
				a + PAGE_SIZE);
	mmu_notifier_range_init(&other, MMU_NOTIFY_CLEAR, 0, vma->vm_mm, a,
				a + PAGE_SIZE);
	mmu_notifier_invalidate_range_start(&range);	/* plugin: MMU004 */
	ptep_clear_flush(vma, a, p);
	mmu_notifier_invalidate_range_end(&other);	/* plugin: MMU004 */
}

/* MMU005 (v6.6+: only the cache part): one page of cache for a THP. */
void bad_cache_page(struct vm_area_struct *vma, unsigned long haddr,
		    pmd_t *pmd)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, vma->vm_mm,
				haddr, haddr + HPAGE_PMD_SIZE);
	mmu_notifier_invalidate_range_start(&range);
	flush_cache_page(vma, haddr, 0);		/* plugin: MMU005 */
	pmdp_huge_clear_flush(vma, haddr, pmd);
	mmu_notifier_invalidate_range_end(&range);
}

void ok_cache_range(struct vm_area_struct *vma, unsigned long haddr,
		    pmd_t *pmd)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, vma->vm_mm,
				haddr, haddr + HPAGE_PMD_SIZE);
	mmu_notifier_invalidate_range_start(&range);
	flush_cache_range(vma, haddr, haddr + HPAGE_PMD_SIZE);
	pmdp_huge_clear_flush(vma, haddr, pmd);
	mmu_notifier_invalidate_range_end(&range);
}
