/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef MMUCHECK_VERSION
#define MMUCHECK_VERSION "0.2"
#endif
