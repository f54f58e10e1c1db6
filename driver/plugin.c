// SPDX-License-Identifier: GPL-2.0-only
/*
 * plugin.c - finding the GCC plugin, and running it from the
 * "make C=1 CHECK=mmucheck check" slot.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plugin.h"
#include "run.h"
#include "util.h"

/* Next to the command in the build tree, or under PREFIX/lib. */
const char *plugin_path(void)
{
	static const char *const tries[] = {
		"gcc-plugin/mmucheck.so", "../lib/mmucheck/mmucheck.so"
	};
	static char *found;
	const char *path = installed_path("MMUCHECK_PLUGIN", tries,
					  ARRAY_SIZE(tries), &found);

	if (!path)
		die("the GCC plugin (mmucheck.so) is not built: run make");
	return path;
}

/* An option that takes the next argument as its value. */
static int takes_value(const char *a)
{
	return !strcmp(a, "-include") || !strcmp(a, "-isystem") ||
	       !strcmp(a, "-iquote") || !strcmp(a, "-imacros");
}

/* sparse's own options with a separate value (man sparse): both go. */
static int sparse_takes_value(const char *a)
{
	return !strcmp(a, "-gcc-base-dir") || !strcmp(a, "-multiarch-dir");
}

/*
 * sparse's own -f and -m options (man sparse; CF= passes them), which
 * gcc rejects or which only make it print.  gcc's -fmax-errors= and
 * -ftabstop= are gcc's too and stay.
 */
static int sparse_only(const char *a)
{
	static const char *const own[] = {
		"-fdiagnostic-prefix", "-fmax-warnings=", "-fmemcpy-max-count=",
		"-fmem-report", "-fdump-ir", "-fdump-linearize", "-msize-long",
		"-msize-llp64", "-mlittle-endian", "-mbig-endian", "-D__STDC__"
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(own); i++)
		if (!strncmp(a, own[i], strlen(own[i])))
			return 1;
	return 0;
}

/*
 * Kbuild hands the checker sparse's flags (CHECKFLAGS: --arch=, -Wbitwise,
 * -mlittle-endian...) before gcc's.  gcc needs only what decides the
 * code: defines, include paths, code generation and language options.
 */
static int compiler_flag(const char *a)
{
	static const char *const keep[] = {
		"-D", "-U", "-I", "-f", "-m", "-O", "-std=", "-nostdinc",
		"--param"
	};
	size_t i;

	/*
	 * Warnings (-W, sparse's -Wsparse-all, -Wbitwise...) do not change
	 * the code and are not kept; sparse's own defines would redefine
	 * gcc's built-in __STDC__.
	 */
	if (sparse_only(a))
		return 0;
	for (i = 0; i < ARRAY_SIZE(keep); i++)
		if (!strncmp(a, keep[i], strlen(keep[i])))
			return 1;
	return 0;
}

/*
 * Compile FILE once more with the plugin (its notes go to stderr), with
 * facts when MMUCHECK_FACTS names a directory.  Findings do not fail the
 * build; a compiler that cannot load the plugin does.
 */
int check_with_plugin(int argc, char **argv, const char *file)
{
	char **cc = argv_new(getenv("MMUCHECK_CC") ? getenv("MMUCHECK_CC") :
			     "gcc", NULL);
	char *arg = xasprintf("-fplugin=%s", plugin_path());
	const char *facts = getenv("MMUCHECK_FACTS");
	struct job job = { .label = "gcc with the mmucheck plugin" };
	char *err;
	int i, failed;

	for (i = 0; i < argc - 1; i++) {
		if (sparse_takes_value(argv[i])) {
			i++;
		} else if (takes_value(argv[i]) && i + 1 < argc - 1) {
			argv_push(&cc, argv[i]);
			argv_push(&cc, argv[++i]);
		} else if (compiler_flag(argv[i])) {
			argv_push(&cc, argv[i]);
		}
	}
	argv_push(&cc, arg);
	free(arg);
	if (facts && *facts) {
		arg = xasprintf("-fplugin-arg-mmucheck-facts=%s", facts);
		argv_push(&cc, arg);
		free(arg);
	}
	argv_push(&cc, "-S");
	argv_push(&cc, "-o");
	argv_push(&cc, "/dev/null");
	argv_push(&cc, file);
	job.argv = cc;
	failed = run_jobs(&job, 1, 1, 0);
	err = read_file(job.err_path, NULL);
	if (err)
		fputs(err, stderr);	/* the plugin's notes, or gcc's errors */
	if (failed && WIFEXITED(job.status) && WEXITSTATUS(job.status) == 127 &&
	    !(err && *err))
		warn("%s: cannot run the compiler %s%s: not checked by the plugin",
		     file, cc[0], getenv("MMUCHECK_CC") ? " (MMUCHECK_CC)" : "");
	else if (failed)
		warn("%s: gcc with the plugin failed (see above): not checked by the plugin",
		     file);
	free(err);
	job_cleanup(&job);
	return failed ? EXIT_TROUBLE : 0;
}
