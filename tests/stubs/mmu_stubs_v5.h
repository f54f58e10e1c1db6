/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * v5.2-v6.2 API generation for the plugin fixtures (huge_pmd_unshare() as
 * in v5.11-v5.19): range objects set by
 * mmu_notifier_range_init(&r, event, flags, vma, mm, start, end), and
 * invalidate_range_only_end() for brackets whose updates all notify.
 */
#ifndef MMU_STUBS_V5_H
#define MMU_STUBS_V5_H

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PMD_SHIFT	21
#define HPAGE_PMD_SHIFT	PMD_SHIFT
#define HPAGE_PMD_SIZE	((1UL) << HPAGE_PMD_SHIFT)
#define HPAGE_PMD_MASK	(~(HPAGE_PMD_SIZE - 1))
#define PUD_SIZE	(1UL << 30)

typedef struct { unsigned long pte; } pte_t;
typedef struct { unsigned long pmd; } pmd_t;
struct mm_struct;
struct address_space;
struct vm_area_struct {
	struct mm_struct *vm_mm;
	unsigned long vm_start, vm_end, vm_flags;
};
struct mmu_notifier_range {
	struct mm_struct *mm;
	unsigned long start, end;
};
enum mmu_notifier_event { MMU_NOTIFY_CLEAR };

void mmu_notifier_range_init(struct mmu_notifier_range *r,
			     enum mmu_notifier_event ev, unsigned int flags,
			     struct vm_area_struct *vma, struct mm_struct *mm,
			     unsigned long start, unsigned long end);
void mmu_notifier_invalidate_range_start(struct mmu_notifier_range *r);
void mmu_notifier_invalidate_range_end(struct mmu_notifier_range *r);
void mmu_notifier_invalidate_range_only_end(struct mmu_notifier_range *r);
void mmu_notifier_invalidate_range(struct mm_struct *mm, unsigned long s,
				   unsigned long e);
pte_t ptep_clear_flush(struct vm_area_struct *v, unsigned long a, pte_t *p);
pte_t ptep_clear_flush_notify(struct vm_area_struct *v, unsigned long a,
			      pte_t *p);
pmd_t pmdp_huge_clear_flush(struct vm_area_struct *v, unsigned long a,
			    pmd_t *p);
pmd_t pmdp_huge_clear_flush_notify(struct vm_area_struct *v,
				   unsigned long a, pmd_t *p);
pte_t ptep_get_and_clear(struct mm_struct *mm, unsigned long a, pte_t *p);
int huge_pmd_unshare(struct mm_struct *mm, struct vm_area_struct *v,
		     unsigned long *addr, pte_t *p);
void adjust_range_if_pmd_sharing_possible(struct vm_area_struct *v,
					  unsigned long *s, unsigned long *e);
void flush_hugetlb_tlb_range(struct vm_area_struct *v, unsigned long s,
			     unsigned long e);
void i_mmap_unlock_write(struct address_space *m);

#endif
