/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef MMUCHECK_VERSION_H
#define MMUCHECK_VERSION_H

/* One version for the driver and the plugin: the Makefile's VERSION. */
#ifndef MMUCHECK_VERSION
#error "MMUCHECK_VERSION comes from the Makefile: build with make"
#endif

#endif
