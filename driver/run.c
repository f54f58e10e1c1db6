// SPDX-License-Identifier: GPL-2.0-only
/*
 * Running external tools: fork and exec of an argument vector, output
 * into temporary files, a small pool for parallel jobs with a timeout.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run.h"
#include "util.h"

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

/*
 * Temporary files and running children, so that every exit path (die(),
 * SIGTERM, SIGINT, SIGHUP) removes the files and stops the children.
 * The lists change with the fatal signals blocked: the handler reads them.
 */
static char **temps;
static size_t ntemps;
static pid_t *children;
static size_t nchildren;
static sigset_t fatal_signals;
static const int fatal[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE };

static void block_fatal(sigset_t *old)
{
	sigprocmask(SIG_BLOCK, &fatal_signals, old);
}

static void unblock(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}

/* Async-signal-safe: kill, unlink, then die of the same signal. */
static void clean_up(void)
{
	size_t i;

	for (i = 0; i < nchildren; i++)
		if (children[i] > 0)
			kill(children[i], SIGKILL);
	for (i = 0; i < ntemps; i++)
		if (temps[i])
			unlink(temps[i]);
}

static void on_fatal_signal(int sig)
{
	clean_up();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void clean_up_at_exit(void)
{
	clean_up();
}

/* Once, before the first child or temporary file. */
static void install_cleanup(void)
{
	static int done;
	struct sigaction sa = { .sa_handler = on_fatal_signal };
	size_t i;

	if (done)
		return;
	done = 1;
	sigemptyset(&fatal_signals);
	for (i = 0; i < ARRAY_SIZE(fatal); i++)
		sigaddset(&fatal_signals, fatal[i]);
	sa.sa_mask = fatal_signals;
	for (i = 0; i < ARRAY_SIZE(fatal); i++)
		if (fatal[i] != SIGPIPE)
			sigaction(fatal[i], &sa, NULL);
	atexit(clean_up_at_exit);
}

static void remember_temp(char *path)
{
	sigset_t old;

	install_cleanup();
	block_fatal(&old);
	temps = xrealloc(temps, (ntemps + 1) * sizeof(*temps));
	temps[ntemps++] = path;
	unblock(&old);
}

/* Unlink a path temp_path() gave and forget it (the caller frees it). */
void temp_remove(const char *path)
{
	sigset_t old;
	size_t i;

	block_fatal(&old);
	for (i = 0; i < ntemps; i++)
		if (temps[i] == path)
			temps[i] = NULL;
	unblock(&old);
	unlink(path);
}

/* A new empty file "$TMPDIR/mmucheck.XXXXXX<suffix>", removed on exit. */
char *temp_path_suffix(const char *suffix)
{
	const char *dir = getenv("TMPDIR");
	char *path = xasprintf("%s/mmucheck.XXXXXX%s", dir ? dir : "/tmp",
			       suffix);
	int fd;

	install_cleanup();
	fd = mkstemps(path, strlen(suffix));
	if (fd < 0)
		die("cannot create a temporary file in %s: %s",
		    dir ? dir : "/tmp", strerror(errno));
	close(fd);
	remember_temp(path);
	return path;
}

char *temp_path(void)
{
	return temp_path_suffix("");
}

static void set_child(pid_t pid, pid_t to)
{
	sigset_t old;
	size_t i;

	block_fatal(&old);
	for (i = 0; i < nchildren && children[i] != pid; i++)
		;
	if (i == nchildren) {
		children = xrealloc(children, (nchildren + 1) * sizeof(*children));
		nchildren++;
	}
	children[i] = to;
	unblock(&old);
}

/* In the child: file descriptors, directory, and death with the parent. */
static void child_exec(const struct job *job, pid_t parent)
{
	int in = open("/dev/null", O_RDONLY);
	int out = open(job->out_path, O_WRONLY | O_TRUNC);
	int err = open(job->err_path, O_WRONLY | O_TRUNC);
	sigset_t none;

	/* A SIGKILLed driver must not leave spatch running for minutes. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 ||
	    dup2(out, 1) < 0 || dup2(err, 2) < 0)
		_exit(127);
	if (job->cwd && chdir(job->cwd))
		_exit(127);
	execvp(job->argv[0], job->argv);
	_exit(127);
}

int job_start(struct job *job)
{
	pid_t parent = getpid(), pid;
	sigset_t old;

	if (!job->out_path)
		job->out_path = temp_path();
	if (!job->err_path)
		job->err_path = temp_path();
	fflush(NULL);
	block_fatal(&old);	/* a signal now must see the child listed */
	pid = fork();
	if (!pid)
		child_exec(job, parent);
	if (pid > 0)
		set_child(pid, pid);
	unblock(&old);
	if (pid < 0) {
		job->pid = 0;
		job->status = 127 << 8;
		return -errno;
	}
	job->pid = pid;
	job->started = time(NULL);
	return 0;
}

int job_failed(const struct job *job)
{
	return job->timed_out || !WIFEXITED(job->status) ||
	       WEXITSTATUS(job->status) != 0;
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

static int timeout_seconds;

/* --timeout: a job running longer is killed and reported (0: never). */
void run_set_timeout(int seconds)
{
	timeout_seconds = seconds;
}

/* Kill the jobs past their time; how long until the next one is due. */
static int kill_overdue(struct job *jobs, int n)
{
	time_t now = time(NULL);
	int i, wait_for = 60;

	if (!timeout_seconds)
		return wait_for;
	for (i = 0; i < n; i++) {
		long left;

		if (!jobs[i].pid || jobs[i].timed_out)
			continue;
		left = jobs[i].started + timeout_seconds - now;
		if (left <= 0) {
			jobs[i].timed_out = 1;
			kill(jobs[i].pid, SIGKILL);
		} else if (left < wait_for) {
			wait_for = left;
		}
	}
	return wait_for;
}

/* Reap one finished job, waiting for SIGCHLD at most SECONDS. */
static int reap(struct job *jobs, int n, int seconds)
{
	struct timespec ts = { .tv_sec = seconds };
	sigset_t chld;
	int status, i;
	pid_t pid;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	for (;;) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid < 0)
			die("wait: %s", strerror(errno));
		if (pid)
			break;
		if (sigtimedwait(&chld, NULL, &ts) < 0 && errno == EAGAIN)
			return -1;
	}
	set_child(pid, 0);
	i = find_job(jobs, n, pid);
	if (i < 0)
		return -1;
	jobs[i].status = status;
	jobs[i].pid = 0;
	return i;
}

/*
 * Run n jobs, at most parallel at a time.  Returns how many failed to
 * start, exited with non-zero status or a signal, or timed out.
 * SIGCHLD stays blocked while jobs run, so sigtimedwait() sees it.
 */
int run_jobs(struct job *jobs, int n, int parallel, int progress)
{
	int next = 0, running = 0, done = 0, failed = 0, i;
	sigset_t chld, old;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);
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
		i = reap(jobs, n, kill_overdue(jobs, n));
		if (i < 0)
			continue;
		running--;
		done++;
		if (job_failed(&jobs[i]))
			failed++;
		if (progress)
			show_progress(done, n, jobs[i].label);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
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
		temp_remove(job->out_path);
	if (job->err_path)
		temp_remove(job->err_path);
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
