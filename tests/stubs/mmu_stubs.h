/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Minimal stand-ins for the kernel's mm types and APIs, written for the
 * mmucheck fixtures.  Only what the fixtures call is declared.
 */
#ifndef MMU_STUBS_H
#define MMU_STUBS_H

#define PAGE_SIZE	4096UL
#define HPAGE_PMD_SIZE	(2UL << 20)
#define HPAGE_PMD_MASK	(~(HPAGE_PMD_SIZE - 1))
#define HPAGE_PUD_SIZE	(1UL << 30)
#define PUD_SIZE	(1UL << 30)
#define PUD_MASK	(~(PUD_SIZE - 1))

typedef struct { unsigned long pte; } pte_t;
typedef struct { unsigned long pmd; } pmd_t;
struct mm_struct;
struct hstate;
struct mmu_gather;
struct address_space;
struct vm_area_struct {
	struct mm_struct *vm_mm;
	unsigned long vm_start, vm_end, vm_flags;
};
struct mmu_notifier_range {
	struct mm_struct *mm;
	unsigned long start, end;
};
enum mmu_notifier_event { MMU_NOTIFY_CLEAR, MMU_NOTIFY_PROTECTION_VMA };

extern struct mm_struct init_mm;

void mmu_notifier_range_init(struct mmu_notifier_range *r,
			     enum mmu_notifier_event ev, unsigned int flags,
			     struct mm_struct *mm, unsigned long start,
			     unsigned long end);
void mmu_notifier_invalidate_range_start(struct mmu_notifier_range *r);
void mmu_notifier_invalidate_range_end(struct mmu_notifier_range *r);
void mmu_notifier_invalidate_range_only_end(struct mmu_notifier_range *r);
void mmu_notifier_invalidate_page(struct mm_struct *mm, unsigned long addr);
void mmu_notifier_invalidate_range(struct mm_struct *mm, unsigned long s,
				   unsigned long e);

pte_t ptep_get_and_clear(struct mm_struct *mm, unsigned long a, pte_t *p);
pte_t ptep_clear_flush(struct vm_area_struct *v, unsigned long a, pte_t *p);
void pte_clear(struct mm_struct *mm, unsigned long a, pte_t *p);
pmd_t pmdp_huge_clear_flush(struct vm_area_struct *v, unsigned long a,
			    pmd_t *p);
pmd_t pmdp_invalidate(struct vm_area_struct *v, unsigned long a, pmd_t *p);
void set_pmd_at(struct mm_struct *mm, unsigned long a, pmd_t *p, pmd_t v);
pte_t huge_ptep_clear_flush(struct vm_area_struct *v, unsigned long a,
			    pte_t *p);
int huge_pmd_unshare(struct mmu_gather *tlb, struct vm_area_struct *v,
		     unsigned long a, pte_t *p);
void huge_pmd_unshare_flush(struct mmu_gather *tlb, struct vm_area_struct *v);
void adjust_range_if_pmd_sharing_possible(struct vm_area_struct *v,
					  unsigned long *s, unsigned long *e);
void i_mmap_unlock_write(struct address_space *m);
void flush_tlb_range(struct vm_area_struct *v, unsigned long s,
		     unsigned long e);
void flush_cache_page(struct vm_area_struct *v, unsigned long a,
		      unsigned long pfn);
void flush_cache_range(struct vm_area_struct *v, unsigned long s,
		       unsigned long e);
int PageTransHuge(void *page);

#endif
