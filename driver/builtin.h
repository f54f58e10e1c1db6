/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The commands of mmucheck, one file each (as git's builtin/ directory):
 * mmucheck.c's commands[] table maps a name to its cmd_*() function,
 * which gets the arguments after the command name.
 */
#ifndef MMUCHECK_BUILTIN_H
#define MMUCHECK_BUILTIN_H

int cmd_scan(int argc, char **argv);
int cmd_fix(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_link(int argc, char **argv);
int cmd_unparsed(int argc, char **argv);
int cmd_merge(int argc, char **argv);

void usage(void) __attribute__((noreturn));
void check_operands(int argc, char **argv, int min, int max);

#endif
