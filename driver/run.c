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
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
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
 * Temporary files and directories and running children, so that every
 * exit path (die(), SIGTERM, SIGINT, SIGHUP) removes the temporaries and
 * stops the children.  The lists change with the fatal signals blocked:
 * the handler reads them.
 */
struct temp {
	char *path;		/* NULL once removed */
	int dir;		/* a directory: removed with what it holds */
};

static struct temp *temps;
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

/* The getdents64 record; glibc's readdir() may allocate, this cannot. */
struct dirent64_raw {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/*
 * Remove NAME under the directory DIRFD and all it holds, with system
 * calls only (async-signal-safe: the signal handler uses it).  Symlinks
 * are removed, never followed.  A pass that removes entries is repeated,
 * as removing while reading may skip some.
 */
static void remove_tree_at(int dirfd, const char *name, int depth)
{
	char buf[2048];
	int fd, removed;
	long n, off;

	if (!unlinkat(dirfd, name, 0) || errno == ENOENT || depth > 64)
		return;
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	if (fd < 0)
		return;
	do {
		removed = 0;
		lseek(fd, 0, SEEK_SET);
		while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
			for (off = 0; off < n; ) {
				struct dirent64_raw *d = (void *)(buf + off);

				off += d->d_reclen;
				if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
					continue;
				remove_tree_at(fd, d->d_name, depth + 1);
				removed = 1;
			}
		}
	} while (removed && unlinkat(dirfd, name, AT_REMOVEDIR));
	close(fd);
	unlinkat(dirfd, name, AT_REMOVEDIR);
}

static void remove_temp(const struct temp *t)
{
	if (t->dir)
		remove_tree_at(AT_FDCWD, t->path, 0);
	else
		unlink(t->path);
}

/* Async-signal-safe: kill, remove, then die of the same signal. */
static void clean_up(void)
{
	int saved = errno;
	size_t i;

	for (i = 0; i < nchildren; i++)
		if (children[i] > 0)
			kill(children[i], SIGKILL);
	for (i = 0; i < ntemps; i++)
		if (temps[i].path)
			remove_temp(&temps[i]);
	errno = saved;
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

static void remember_temp(char *path, int dir)
{
	sigset_t old;

	install_cleanup();
	block_fatal(&old);
	temps = xrealloc(temps, (ntemps + 1) * sizeof(*temps));
	temps[ntemps++] = (struct temp){ .path = path, .dir = dir };
	unblock(&old);
}

/*
 * Remove a path temp_path() or temp_dir() gave (a directory with what it
 * holds) and forget it; the caller frees it.
 */
void temp_remove(const char *path)
{
	struct temp t = { .path = (char *)path };
	sigset_t old;
	size_t i;

	block_fatal(&old);
	for (i = 0; i < ntemps; i++) {
		if (temps[i].path == path) {
			t.dir = temps[i].dir;
			temps[i].path = NULL;
		}
	}
	unblock(&old);
	remove_temp(&t);
}

static const char *temp_root(void)
{
	const char *dir = getenv("TMPDIR");

	return dir && *dir ? dir : "/tmp";
}

/* A new empty file "$TMPDIR/mmucheck.XXXXXX<suffix>", removed on exit. */
char *temp_path_suffix(const char *suffix)
{
	char *path = xasprintf("%s/mmucheck.XXXXXX%s", temp_root(), suffix);
	int fd;

	install_cleanup();
	fd = mkstemps(path, strlen(suffix));
	if (fd < 0)
		die("cannot create a temporary file in %s: %s", temp_root(),
		    strerror(errno));
	close(fd);
	remember_temp(path, 0);
	return path;
}

char *temp_path(void)
{
	return temp_path_suffix("");
}

/*
 * A new empty directory "$TMPDIR/mmucheck-WHAT.XXXXXX", removed with
 * everything in it on exit or a fatal signal.
 */
char *temp_dir(const char *what)
{
	char *path = xasprintf("%s/mmucheck-%s.XXXXXX", temp_root(), what);
	sigset_t old;

	install_cleanup();
	block_fatal(&old);	/* created and listed as one step */
	if (!mkdtemp(path)) {
		unblock(&old);
		die("cannot create a temporary directory in %s: %s",
		    temp_root(), strerror(errno));
	}
	remember_temp(path, 1);
	unblock(&old);
	return path;
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
	job->err_seen = 0;
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

/* Reap one finished job, waiting for SIGCHLD at most MS milliseconds. */
static int reap(struct job *jobs, int n, long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = ms % 1000 * 1000000 };
	sigset_t chld;
	int status, i;
	pid_t pid;

	struct rusage ru;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	for (;;) {
		pid = wait4(-1, &status, WNOHANG, &ru);
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
	jobs[i].cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
		      ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	return i;
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A "HANDLING: FILE" line of spatch's stderr: FILE starts now. */
static void add_mark(struct job *job, const char *line, size_t len,
		     double now)
{
	static const char tag[] = "HANDLING: ";

	if (len < sizeof(tag) || strncmp(line, tag, sizeof(tag) - 1))
		return;
	job->marks = xrealloc(job->marks, (job->nmarks + 1) * sizeof(*job->marks));
	job->marks[job->nmarks].file = strndup(line + sizeof(tag) - 1,
					       len - (sizeof(tag) - 1));
	job->marks[job->nmarks++].start = now;
}

/*
 * Read what a watched job wrote to stderr since the last look, whole
 * lines only, and stamp the files it started: the time between two
 * marks is what spatch spent on a file (-v names the slowest).
 */
static void watch_job(struct job *job, double now)
{
	char buf[65536];
	ssize_t got;
	int fd;

	if (!job->watch || !job->err_path)
		return;
	fd = open(job->err_path, O_RDONLY);
	if (fd < 0)
		return;
	while ((got = pread(fd, buf, sizeof(buf), job->err_seen)) > 0) {
		char *p = buf, *nl;

		while ((nl = memchr(p, '\n', buf + got - p))) {
			add_mark(job, p, nl - p, now);
			p = nl + 1;
		}
		if (p == buf) {		/* a line longer than buf: skip it */
			job->err_seen += got;
			continue;
		}
		job->err_seen += p - buf;
		if (got < (ssize_t)sizeof(buf))
			break;
	}
	close(fd);
}

static void watch_jobs(struct job *jobs, int n, double now)
{
	int i;

	for (i = 0; i < n; i++)
		if (jobs[i].pid)
			watch_job(&jobs[i], now);
}

static int watching(const struct job *jobs, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (jobs[i].pid && jobs[i].watch)
			return 1;
	return 0;
}

/* Seconds spatch spent on a watched job's file number MARK. */
double job_file_seconds(const struct job *job, size_t mark)
{
	double end = mark + 1 < job->nmarks ? job->marks[mark + 1].start
					     : job->ended;

	return end > job->marks[mark].start ? end - job->marks[mark].start : 0;
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
	long wait_ms;
	double now;

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
		/* Watched jobs are looked at ten times a second. */
		wait_ms = kill_overdue(jobs, n) * 1000L;
		if (watching(jobs, n) && wait_ms > 100)
			wait_ms = 100;
		i = reap(jobs, n, wait_ms);
		now = now_seconds();
		watch_jobs(jobs, n, now);
		if (i < 0)
			continue;
		watch_job(&jobs[i], now);	/* its last lines */
		jobs[i].ended = now;
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
	while (job->nmarks)
		free(job->marks[--job->nmarks].file);
	free(job->marks);
	job->marks = NULL;
	job->out_path = job->err_path = NULL;
	job->argv = NULL;
}
