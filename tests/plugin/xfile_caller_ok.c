// SPDX-License-Identifier: GPL-2.0-only
/* Cross-file MMU001: this caller brackets xfile_clear(). */
#include "../stubs/mmu_stubs.h"

void xfile_clear(struct mm_struct *mm, unsigned long addr, pte_t *pte);

void xfile_bracketed(struct mm_struct *mm, unsigned long addr, pte_t *pte)
{
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_CLEAR, 0, mm, addr,
				addr + PAGE_SIZE);
	mmu_notifier_invalidate_range_start(&range);
	xfile_clear(mm, addr, pte);
	mmu_notifier_invalidate_range_end(&range);
}
