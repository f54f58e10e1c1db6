// SPDX-License-Identifier: GPL-2.0-only
/*
 * Plugin fixtures, v4.12 and older: mmu_notifier_invalidate_page() and
 * the v3.6 change dispatch (MMU006).  "plugin: MMU00N" marks a line the
 * plugin must report; ok_* functions stay quiet.
 */
#define PAGE_SIZE	4096UL

typedef struct { unsigned long pte; } pte_t;
typedef struct { unsigned long pmd; } pmd_t;
struct mm_struct;
struct page;
struct vm_area_struct {
	struct mm_struct *vm_mm;
	unsigned long vm_start, vm_end, vm_flags;
};
struct mmu_notifier;
struct mmu_notifier_ops {
	void (*change_pte)(struct mmu_notifier *mn, struct mm_struct *mm,
			   unsigned long address, pte_t pte);
	void (*invalidate_page)(struct mmu_notifier *mn, struct mm_struct *mm,
				unsigned long address);
};
struct mmu_notifier {
	const struct mmu_notifier_ops *ops;
	struct mmu_notifier *next;
};

void mmu_notifier_invalidate_page(struct mm_struct *mm, unsigned long addr);
pte_t ptep_clear_flush(struct vm_area_struct *v, unsigned long a, pte_t *p);
pmd_t pmdp_clear_flush(struct vm_area_struct *v, unsigned long a, pmd_t *p);
int PageTransHuge(struct page *page);
void split_page_tables(struct vm_area_struct *vma, unsigned long addr);

/* MMU006: the page may be a THP, but one page is invalidated. */
int bad_unmap_one(struct vm_area_struct *vma, struct page *page,
		  unsigned long addr, pte_t *pte)
{
	int huge = PageTransHuge(page);

	ptep_clear_flush(vma, addr, pte);
	mmu_notifier_invalidate_page(vma->vm_mm, addr);	/* plugin: MMU006 */
	return huge;
}

/* MMU006: a PMD is cleared, one page invalidated. */
void bad_clear_pmd(struct vm_area_struct *vma, unsigned long addr, pmd_t *pmd)
{
	pmdp_clear_flush(vma, addr, pmd);
	mmu_notifier_invalidate_page(vma->vm_mm, addr);	/* plugin: MMU006 */
}

void ok_clear_pte(struct vm_area_struct *vma, unsigned long addr, pte_t *pte)
{
	ptep_clear_flush(vma, addr, pte);
	mmu_notifier_invalidate_page(vma->vm_mm, addr);
}

/* MMU006: listeners without change_pte get a late per-page invalidate. */
void bad_change_dispatch(struct mmu_notifier *list, struct mm_struct *mm,
			 unsigned long address, pte_t pte)
{
	struct mmu_notifier *mn;

	for (mn = list; mn; mn = mn->next) {
		if (mn->ops->change_pte)
			mn->ops->change_pte(mn, mm, address, pte);
		else
			mn->ops->invalidate_page(mn, mm, address);	/* plugin: MMU006 */
	}
}

/* Each callback only where the listener has it. */
void ok_dispatch_each(struct mmu_notifier *list, struct mm_struct *mm,
		      unsigned long address, pte_t pte)
{
	struct mmu_notifier *mn;

	for (mn = list; mn; mn = mn->next) {
		if (mn->ops->change_pte)
			mn->ops->change_pte(mn, mm, address, pte);
		if (mn->ops->invalidate_page)
			mn->ops->invalidate_page(mn, mm, address);
	}
}
