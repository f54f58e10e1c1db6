// SPDX-License-Identifier: GPL-2.0-only
/*
 * The one way the driver runs git: "git --no-optional-locks -C DIR ...",
 * by argument vector, its stdout and the line of stderr that says why.
 */
#include <stdlib.h>
#include <string.h>

#include "git.h"
#include "run.h"
#include "util.h"

/* The last "fatal: " line ("detected dubious ownership"), or all of stderr. */
static char *complaint(char *e)
{
	char *last = e;
	size_t n = e ? strlen(e) : 0;

	while (n && e[n - 1] == '\n')
		e[--n] = '\0';
	while (e && strstr(last, "\nfatal: "))
		last = strstr(last, "\nfatal: ") + 1;
	return xstrdup(e && *e ? last : "no message");
}

/*
 * Run git in DIR; 0 on success, its stdout in *out and its complaint in
 * *err (each may be NULL: not wanted).  GIT_OPTIONAL_LOCKS=0 and
 * --no-optional-locks stop diff and status from refreshing .git/index.
 */
int git_run(const char *dir, char **args, char **out, char **err)
{
	struct job job = { .label = "git" };
	size_t i;
	int ret;

	setenv("GIT_OPTIONAL_LOCKS", "0", 1);
	job.argv = argv_new("git", "--no-optional-locks", "-C", dir, NULL);
	for (i = 0; args[i]; i++)
		argv_push(&job.argv, args[i]);
	argv_free(args);
	ret = run_jobs(&job, 1, 1, 0) ? -1 : 0;
	if (out)
		*out = read_file(job.out_path, NULL);
	if (err) {
		char *e = read_file(job.err_path, NULL);

		*err = complaint(e);
		free(e);
	}
	job_cleanup(&job);
	return ret;
}

/* The first line git prints, or NULL when it fails or prints nothing. */
char *git_line(const char *dir, char **args)
{
	char *out = NULL;

	if (git_run(dir, args, &out, NULL) || !out || !*out) {
		free(out);
		return NULL;
	}
	out[strcspn(out, "\n")] = '\0';
	return out;
}

/* What git prints, or die naming WHAT failed and why. */
char *git_out(const char *dir, char **args, const char *what)
{
	char *out, *err;

	if (git_run(dir, args, &out, &err))
		die("git %s failed in %s: %s", what, dir, err);
	free(err);
	return out ? out : xstrdup("");
}
