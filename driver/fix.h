/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef MMUCHECK_FIX_H
#define MMUCHECK_FIX_H

#include "scan.h"

int cmd_fix(const struct scan_options *opt, const char *outdir);

#endif
