/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef MMUCHECK_DRIVER_PLUGIN_H
#define MMUCHECK_DRIVER_PLUGIN_H

const char *plugin_path(void);
int check_with_plugin(int argc, char **argv, const char *file);

#endif
