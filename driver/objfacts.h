/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef MMUCHECK_OBJFACTS_H
#define MMUCHECK_OBJFACTS_H

#include <stddef.h>
#include <time.h>

/* The section the GCC plugin puts each unit's facts into. */
#define OBJFACTS_SECTION ".discard.mmucheck"

/*
 * One facts document of an object: its text (not NUL-terminated), the
 * object's path and modification time.  Nonzero stops the walk.
 */
typedef int objfacts_fn(void *ctx, const char *path, time_t mtime,
			const char *text, size_t len);

/*
 * Every *.o under dir (symbolic links not followed), each document of
 * its facts section in order.  Returns the documents seen, or -1 when
 * dir cannot be walked.
 */
long objfacts_walk(const char *dir, objfacts_fn *fn, void *ctx);

#endif
