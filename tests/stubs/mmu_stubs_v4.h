/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * v4.13-v4.20 API generation for the plugin fixtures: brackets take
 * (mm, start, end), huge_pmd_unshare() updates *addr, and secondary TLBs
 * are invalidated by mmu_notifier_invalidate_range().
 */
#ifndef MMU_STUBS_V4_H
#define MMU_STUBS_V4_H

#define PAGE_SIZE	4096UL
#define HPAGE_PMD_SIZE	(2UL << 20)
#define HPAGE_PMD_MASK	(~(HPAGE_PMD_SIZE - 1))
#define PUD_SIZE	(1UL << 30)
#define PUD_MASK	(~(PUD_SIZE - 1))

typedef struct { unsigned long pte; } pte_t;
struct mm_struct;
struct address_space;
struct vm_area_struct {
	struct mm_struct *vm_mm;
	unsigned long vm_start, vm_end, vm_flags;
};

void mmu_notifier_invalidate_range_start(struct mm_struct *mm,
					 unsigned long s, unsigned long e);
void mmu_notifier_invalidate_range_end(struct mm_struct *mm,
				       unsigned long s, unsigned long e);
void mmu_notifier_invalidate_range_only_end(struct mm_struct *mm,
					    unsigned long s, unsigned long e);
void mmu_notifier_invalidate_range(struct mm_struct *mm, unsigned long s,
				   unsigned long e);
pte_t ptep_clear_flush(struct vm_area_struct *v, unsigned long a, pte_t *p);
pte_t ptep_get_and_clear(struct mm_struct *mm, unsigned long a, pte_t *p);
pte_t huge_ptep_get_and_clear(struct mm_struct *mm, unsigned long a,
			      pte_t *p);
int huge_pmd_unshare(struct mm_struct *mm, unsigned long *addr, pte_t *p);
void adjust_range_if_pmd_sharing_possible(struct vm_area_struct *v,
					  unsigned long *s, unsigned long *e);
void flush_tlb_range(struct vm_area_struct *v, unsigned long s,
		     unsigned long e);
void i_mmap_unlock_write(struct address_space *m);

#endif
