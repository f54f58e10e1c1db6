// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmucheck unparsed: the definitions spatch cannot parse in the files
 * the rules look at.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtin.h"
#include "coverage.h"
#include "rules.h"
#include "scan.h"
#include "util.h"

/*
 * DIR of "unparsed KDIR DIR": a directory of the tree, relative to its
 * root ("mm", "./fs/proc/"), or die; a typo must not report 0 files.
 */
static char *tree_subdir(const char *kdir, const char *dir)
{
	char *path = xasprintf("%s/%s", kdir, dir), real[PATH_MAX], *rel;
	size_t n = strlen(kdir);
	struct stat st;

	if (dir[0] == '/' || !realpath(path, real) || stat(real, &st) ||
	    !S_ISDIR(st.st_mode) || strncmp(real, kdir, n) ||
	    (real[n] && real[n] != '/'))
		die("unparsed: %s is not a directory of the tree %s (give it relative to the tree)",
		    dir, kdir);
	free(path);
	rel = xstrdup(real[n] ? real + n + 1 : "");
	return rel;
}

/* Is FILE under the directory ctx names (both relative to the tree)? */
static int under_dir(const void *ctx, const char *file)
{
	const char *dir = ctx;
	size_t n = strlen(dir);

	return !n || (!strncmp(file, dir, n) && file[n] == '/');
}

/*
 * mmucheck unparsed KDIR [DIR]: name the definitions spatch cannot parse
 * in the files the rules look at (those with a rule's token), as the
 * coccicheck path's summary (scripts/mmucheck-scan) reports them.
 */
int cmd_unparsed(int argc, char **argv)
{
	struct coverage cov = { 0 };
	struct rule_info *rules;
	char *kdir, *dir;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nrules;
	int ret;

	check_operands(argc, argv, 1, 2);
	argc--;		/* argv[0] is the command's name */
	argv++;
	kdir = kernel_tree(argv[0]);
	dir = argc == 2 ? tree_subdir(kdir, argv[1]) : NULL;
	rules = load_rules(NULL, &nrules);
	coverage_candidates(&cov, kdir, rules, nrules, cpus > 0 ? cpus : 1);
	if (dir)
		coverage_keep(&cov, under_dir, dir);
	/* One spatch --parse-c per file, on every CPU. */
	coverage_count_unparsed(&cov, kdir, cpus > 0 ? cpus : 1, 1, 0);
	printf("mmucheck:   %zu files with mm API tokens, %zu definitions skipped as unparsable\n",
	       cov.nfiles, cov.nskipped);
	ret = cov.npartial ? EXIT_TROUBLE : 0;
	coverage_free(&cov);
	free(dir);
	free(kdir);
	return ret;
}
