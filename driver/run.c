// SPDX-License-Identifier: GPL-2.0-only
/*
 * Running external tools: posix_spawn with an argument vector, output
 * into temporary files, a small pool for parallel jobs.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"
#include "util.h"

extern char **environ;

char **argv_new(const char *first, ...)
{
	char **argv = xcalloc(1, sizeof(*argv));
	const char *arg;
	va_list ap;

	va_start(ap, first);
	for (arg = first; arg; arg = va_arg(ap, const char *))
		argv_push(&argv, arg);
	va_end(ap);
	return argv;
}

void argv_push(char ***argv, const char *arg)
{
	size_t n = 0;

	while ((*argv)[n])
		n++;
	*argv = xrealloc(*argv, (n + 2) * sizeof(**argv));
	(*argv)[n] = xstrdup(arg);
	(*argv)[n + 1] = NULL;
}

void argv_free(char **argv)
{
	size_t i;

	if (!argv)
		return;
	for (i = 0; argv[i]; i++)
		free(argv[i]);
	free(argv);
}

char *temp_path(void)
{
	const char *dir = getenv("TMPDIR");
	char *path = xasprintf("%s/mmucheck.XXXXXX", dir ? dir : "/tmp");
	int fd = mkstemp(path);

	if (fd < 0)
		die("cannot create a temporary file in %s: %s",
		    dir ? dir : "/tmp", strerror(errno));
	close(fd);
	return path;
}

int job_start(struct job *job)
{
	posix_spawn_file_actions_t fa;
	int err;

	if (!job->out_path)
		job->out_path = temp_path();
	if (!job->err_path)
		job->err_path = temp_path();
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, job->out_path,
					 O_WRONLY | O_TRUNC, 0);
	posix_spawn_file_actions_addopen(&fa, 2, job->err_path,
					 O_WRONLY | O_TRUNC, 0);
	if (job->cwd)
		posix_spawn_file_actions_addchdir_np(&fa, job->cwd);
	err = posix_spawnp(&job->pid, job->argv[0], &fa, NULL, job->argv,
			   environ);
	posix_spawn_file_actions_destroy(&fa);
	if (err) {
		job->pid = 0;
		job->status = 127 << 8;
		return -err;
	}
	return 0;
}

int job_failed(const struct job *job)
{
	return !WIFEXITED(job->status) || WEXITSTATUS(job->status) != 0;
}

static int find_job(struct job *jobs, int n, pid_t pid)
{
	int i;

	for (i = 0; i < n; i++)
		if (jobs[i].pid == pid)
			return i;
	return -1;
}

/* One line per job on a log; one line redrawn on a terminal. */
static void show_progress(int done, int n, const char *label)
{
	if (isatty(2))
		fprintf(stderr, "\rmmucheck: [%d/%d] %s done   %s", done, n,
			label, done == n ? "\n" : "");
	else
		fprintf(stderr, "mmucheck: [%d/%d] %s done\n", done, n, label);
}

/*
 * Run n jobs, at most parallel at a time.  Returns how many failed to
 * start or exited with non-zero status or a signal.
 */
int run_jobs(struct job *jobs, int n, int parallel, int progress)
{
	int next = 0, running = 0, done = 0, failed = 0;

	while (done < n) {
		while (running < parallel && next < n) {
			/* A job that cannot start ends with status 127. */
			if (job_start(&jobs[next]) < 0) {
				failed++;
				done++;
			} else {
				running++;
			}
			next++;
		}
		if (!running)
			continue;
		{
			int status, i;
			pid_t pid = wait(&status);

			if (pid < 0)
				die("wait: %s", strerror(errno));
			i = find_job(jobs, n, pid);
			if (i < 0)
				continue;
			jobs[i].status = status;
			jobs[i].pid = 0;
			running--;
			done++;
			if (job_failed(&jobs[i]))
				failed++;
			if (progress)
				show_progress(done, n, jobs[i].label);
		}
	}
	return failed;
}

/* Whether an executable named tool is on $PATH. */
int on_path(const char *tool)
{
	char *path = xstrdup(getenv("PATH") ? getenv("PATH") : ""), *dir, *save;
	int found = 0;

	for (dir = strtok_r(path, ":", &save); dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		char *exe = xasprintf("%s/%s", dir, tool);

		found = !access(exe, X_OK);
		free(exe);
	}
	free(path);
	return found;
}

char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, used = 0, got;

	if (!f)
		return NULL;
	do {
		if (cap - used < 4096) {
			cap = cap ? 2 * cap : 65536;
			buf = xrealloc(buf, cap + 1);
		}
		got = fread(buf + used, 1, cap - used, f);
		used += got;
	} while (got);
	fclose(f);
	buf[used] = '\0';
	if (len)
		*len = used;
	return buf;
}

/* Run argv to completion; its stdout in *out (malloc'd).  0 on success. */
int run_capture(char **argv, const char *cwd, char **out)
{
	struct job job = { .argv = argv, .cwd = cwd, .label = argv[0] };
	int ret;

	ret = run_jobs(&job, 1, 1, 0) ? -1 : 0;
	if (out)
		*out = read_file(job.out_path, NULL);
	job.argv = NULL;	/* the caller's */
	job_cleanup(&job);
	return ret;
}

/* Remove a finished job's output files and free what it owns. */
void job_cleanup(struct job *job)
{
	if (job->out_path)
		unlink(job->out_path);
	if (job->err_path)
		unlink(job->err_path);
	free(job->out_path);
	free(job->err_path);
	argv_free(job->argv);
	job->out_path = job->err_path = NULL;
	job->argv = NULL;
}

/* FILE of the tree at KDIR, or NULL when it cannot be read. */
char *read_tree_file(const char *kdir, const char *file)
{
	char *path = xasprintf("%s/%s", kdir, file);
	char *text = read_file(path, NULL);

	free(path);
	return text;
}
