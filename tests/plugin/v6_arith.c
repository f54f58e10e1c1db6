// SPDX-License-Identifier: GPL-2.0-only
/*
 * Plugin fixtures, MMU008 (address arithmetic).  "plugin: MMU00N" marks
 * a line the plugin must report; ok_* functions stay quiet.
 */
#include "../stubs/mmu_stubs.h"

#define PMD_SHIFT	21
#define PMD_SIZE	(1UL << PMD_SHIFT)
#define PMD_MASK	(~(PMD_SIZE - 1))
#define ALIGN(x, a)	(((x) + (a) - 1) & ~((a) - 1))
#define ALIGN_DOWN(x, a)	ALIGN((x) - ((a) - 1), (a))
#define IS_ALIGNED(x, a)	(((x) & ((a) - 1)) == 0)
/* A step the semantic patches cannot tell is a level size. */
#define TABLE_STEP	PMD_SIZE

unsigned long huge_page_size(struct hstate *h);
unsigned long hugetlb_last_mask(struct hstate *h);
void visit(struct vm_area_struct *vma, unsigned long addr);
int table_absent(struct vm_area_struct *vma, unsigned long addr);
void move_one(struct vm_area_struct *vma, unsigned long from,
	      unsigned long to);
void kernel_visit(unsigned long addr);

/* MMU008: PMD steps from a vma start that need not be PMD-aligned. */
void bad_pmd_walk(struct vm_area_struct *vma, unsigned long end)
{
	unsigned long addr;

	for (addr = vma->vm_start; addr < end; addr += PMD_SIZE)	/* plugin: MMU008 */
		visit(vma, addr);
}

/* MMU008: PUD steps from the caller's unaligned start. */
void bad_pud_walk(struct vm_area_struct *vma, unsigned long *start,
		  unsigned long end)
{
	unsigned long a;

	for (a = *start; a < end; a += PUD_SIZE)	/* plugin: MMU008 */
		visit(vma, a);
}

/* MMU008: a non-static function steps from its parameter as it comes. */
void bad_walk_from(struct vm_area_struct *vma, unsigned long addr,
		   unsigned long end)
{
	while (addr < end) {	/* plugin: MMU008 */
		visit(vma, addr);
		addr += PMD_SIZE;
	}
}

/* MMU008: the step comes through a macro; the compiler sees 2 MiB. */
void bad_macro_step(struct vm_area_struct *vma, unsigned long start,
		    unsigned long end)
{
	unsigned long a;

	for (a = start + PAGE_SIZE; a < end; a += TABLE_STEP)	/* plugin: MMU008 */
		visit(vma, a);
}

void ok_rounded_start(struct vm_area_struct *vma, unsigned long start,
		      unsigned long end)
{
	unsigned long a;

	for (a = ALIGN_DOWN(start, PMD_SIZE); a < end; a += PMD_SIZE)
		visit(vma, a);
}

void ok_masked_start(struct vm_area_struct *vma, unsigned long start,
		     unsigned long end)
{
	unsigned long a;

	for (a = start & PUD_MASK; a < end; a += PUD_SIZE)
		visit(vma, a);
}

void ok_tested_start(struct vm_area_struct *vma, unsigned long addr,
		     unsigned long end)
{
	if (!IS_ALIGNED(addr, PMD_SIZE))
		return;
	for (; addr < end; addr += PMD_SIZE)
		visit(vma, addr);
}

/* Its callers, all in this file, pass aligned starts. */
static void ok_walk_regions(struct vm_area_struct *vma, unsigned long start,
			    unsigned long end)
{
	unsigned long a;

	for (a = start; a < end; a += PUD_SIZE)
		visit(vma, a);
}

void ok_walk_all(struct vm_area_struct *vma)
{
	ok_walk_regions(vma, ALIGN(vma->vm_start, PUD_SIZE),
			vma->vm_end & PUD_MASK);
}

/* Kernel mappings: no user vma, no secondary MMU. */
void ok_kernel_walk(unsigned long start, unsigned long end)
{
	unsigned long a;

	for (a = start; a < end; a += PMD_SIZE)
		kernel_visit(a);
}

/* A hugetlb vma's addresses are aligned to its (PMD or larger) page. */
void ok_hugetlb_pmd_steps(struct vm_area_struct *vma, pte_t *pte)
{
	unsigned long a;

	for (a = vma->vm_start; a < vma->vm_end; a += PMD_SIZE, pte++)
		huge_ptep_clear_flush(vma, a, pte);
}

/* MMU008: an aligned address gives the region before's last step. */
void bad_last_step(struct vm_area_struct *vma, unsigned long *addr,
		   struct hstate *h)
{
	if (table_absent(vma, *addr))
		*addr = ALIGN(*addr, PUD_SIZE) - huge_page_size(h);	/* plugin: MMU008 */
}

/* MMU008: the same with a constant step. */
unsigned long bad_last_pmd(struct vm_area_struct *vma, unsigned long addr)
{
	visit(vma, addr);
	return ALIGN(addr, PUD_SIZE) - PMD_SIZE;	/* plugin: MMU008 */
}

unsigned long ok_last_step(struct vm_area_struct *vma, unsigned long addr,
			   struct hstate *h)
{
	visit(vma, addr);
	return ALIGN(addr + 1, PUD_SIZE) - huge_page_size(h);
}

/* MMU008: source and destination masked apart lose their distance. */
void bad_pair_masked(struct vm_area_struct *vma, struct hstate *h,
		     unsigned long old_addr, unsigned long new_addr,
		     unsigned long old_end)
{
	unsigned long sz = huge_page_size(h);

	for (; old_addr < old_end; old_addr += sz, new_addr += sz) {
		if (table_absent(vma, old_addr)) {
			old_addr |= hugetlb_last_mask(h);
			new_addr |= hugetlb_last_mask(h);	/* plugin: MMU008 */
			continue;
		}
		move_one(vma, old_addr, new_addr);
	}
}

/* MMU008: the same, rounded up to the PUD. */
void bad_pair_aligned(struct vm_area_struct *vma, struct hstate *h,
		      unsigned long old_addr, unsigned long new_addr,
		      unsigned long old_end)
{
	unsigned long sz = huge_page_size(h);

	for (; old_addr < old_end; old_addr += sz, new_addr += sz) {
		if (table_absent(vma, old_addr)) {
			old_addr = ALIGN(old_addr, PUD_SIZE);
			new_addr = ALIGN(new_addr, PUD_SIZE);	/* plugin: MMU008 */
			continue;
		}
		move_one(vma, old_addr, new_addr);
	}
}

/* One offset moves both. */
void ok_pair_offset(struct vm_area_struct *vma, struct hstate *h,
		    unsigned long old_addr, unsigned long new_addr,
		    unsigned long old_end)
{
	unsigned long sz = huge_page_size(h);

	for (; old_addr < old_end; old_addr += sz, new_addr += sz) {
		if (table_absent(vma, old_addr)) {
			unsigned long skip = (old_addr | hugetlb_last_mask(h)) -
					     old_addr;

			old_addr += skip;
			new_addr += skip;
			continue;
		}
		move_one(vma, old_addr, new_addr);
	}
}

/* A range's two ends are rounded apart: they do not move together. */
void ok_round_bounds(struct vm_area_struct *vma, unsigned long start,
		     unsigned long end)
{
	start = ALIGN_DOWN(start, PUD_SIZE);
	end = ALIGN(end, PUD_SIZE);
	flush_tlb_range(vma, start, end);
}
