/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Running external tools by argument vector, never through a shell, so
 * that file names with spaces or shell characters reach them intact.
 */
#ifndef MMUCHECK_RUN_H
#define MMUCHECK_RUN_H

#include <sys/types.h>
#include <time.h>

/* A file spatch started on (its "HANDLING: FILE" line), and when. */
struct file_mark {
	char *file;
	double start;		/* seconds, monotonic clock */
};

struct job {
	char **argv;		/* NULL-terminated, owned by the job */
	const char *cwd;	/* directory to run in, or NULL */
	char *out_path;		/* stdout goes here (a temporary file) */
	char *err_path;		/* stderr goes here (a temporary file) */
	const char *label;	/* what progress and errors call it */
	const char *scope;	/* the one file it reads, or NULL: many */
	pid_t pid;
	int status;		/* wait status once finished */
	time_t started;
	int timed_out;		/* killed after --timeout seconds */
	int watch;		/* stamp the files spatch names on stderr */
	off_t err_seen;		/* how much of err_path was read for marks */
	struct file_mark *marks;
	size_t nmarks;
	double ended;		/* when it was reaped (watched jobs) */
	double cpu;		/* user + system seconds, once reaped */
};

char **argv_new(const char *first, ...);
void argv_push(char ***argv, const char *arg);
void argv_free(char **argv);

int job_start(struct job *job);
int run_jobs(struct job *jobs, int n, int parallel, int progress);
int job_failed(const struct job *job);
void job_cleanup(struct job *job);
int run_capture(char **argv, const char *cwd, char **out);
int on_path(const char *tool);
char *temp_path(void);
char *temp_path_suffix(const char *suffix);
char *temp_dir(const char *what);
void temp_remove(const char *path);
void run_set_timeout(int seconds);
double job_file_seconds(const struct job *job, size_t mark);

#endif
