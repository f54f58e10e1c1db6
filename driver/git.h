/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef MMUCHECK_GIT_H
#define MMUCHECK_GIT_H

/*
 * git in a directory, never through a shell; args (without "git") are
 * owned and freed.  No call writes the repository's optional state.
 */
int git_run(const char *dir, char **args, char **out, char **err);
char *git_line(const char *dir, char **args);
char *git_out(const char *dir, char **args, const char *what);

#endif
