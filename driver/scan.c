// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmucheck scan: the semantic patches in report mode over a tree, or
 * over what a branch changed, in parallel; findings gated by a baseline.
 */
#include <ctype.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "builtin.h"
#include "coverage.h"
#include "git.h"
#include "gitbase.h"
#include "run.h"
#include "scan.h"
#include "link.h"
#include "rules.h"
#include "util.h"

/*
 * Tell the semantic patches the tree's kernel version (VERSION and
 * PATCHLEVEL of its Makefile): rules whose API changed between
 * generations read MMUCHECK_KERNEL_VERSION.  A value the user set wins.
 */
static void export_kernel_version(const char *abs)
{
	char *path = xasprintf("%s/Makefile", abs), line[256], ver[64];
	int major = -1, minor = -1;
	FILE *f = fopen(path, "r");

	free(path);
	if (!f)
		return;
	while ((major < 0 || minor < 0) && fgets(line, sizeof(line), f))
		if (sscanf(line, "VERSION = %d", &major) != 1)
			sscanf(line, "PATCHLEVEL = %d", &minor);
	fclose(f);
	if (major < 0 || minor < 0)
		return;
	snprintf(ver, sizeof(ver), "%d.%d", major, minor);
	setenv("MMUCHECK_KERNEL_VERSION", ver, 0);
}

/* An absolute path to the kernel tree KDIR (default: here), or die. */
char *kernel_tree(const char *kdir)
{
	char path[PATH_MAX], *abs, *mm_dir, *mm_h;
	struct stat st;
	int ok;

	if (!realpath(kdir ? kdir : ".", path))
		die("%s: no such directory", kdir ? kdir : ".");
	abs = xstrdup(path);
	mm_dir = xasprintf("%s/mm", abs);
	mm_h = xasprintf("%s/include/linux/mm.h", abs);
	ok = !stat(mm_dir, &st) && S_ISDIR(st.st_mode) && !access(mm_h, R_OK);
	free(mm_dir);
	free(mm_h);
	if (!ok)
		die("%s is not a kernel source tree (no mm/ or include/linux/mm.h)%s",
		    abs, kdir ? "" : "; give KDIR, or run make scan to fetch Debian's linux-source-6.12");
	export_kernel_version(abs);
	return abs;
}

/*
 * Names a report line can carry intact: printable, valid UTF-8, no
 * white space at either end (spatch's file lists trim it) and none of
 * the report's own separators.  Other files are scanned through a safe
 * alias, a symlink in a temporary directory, and their findings mapped back.
 */
struct alias {
	char *alias;
	char *real;
};

static struct alias *aliases;
static size_t naliases;

/*
 * Kernel file names are plain: letters, digits and "_.,+-/".  Anything
 * else (white space, a newline, ": WARNING: [", bytes that are not
 * ASCII) is scanned through an alias, since spatch prints names in free
 * text and its coccigrep filter hands them to a shell.
 */
static int name_is_safe(const char *s)
{
	return *s && s[strspn(s, "abcdefghijklmnopqrstuvwxyz"
			      "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.,+-/")] == '\0';
}

/* The aliases live in one temporary directory, removed on any exit. */
static char *alias_dir;

const char *safe_name(const char *kdir, const char *file)
{
	const char *dot = strrchr(file, '.');
	char *path, *target;
	size_t i;

	if (name_is_safe(file))
		return file;
	for (i = 0; i < naliases; i++)
		if (!strcmp(aliases[i].real, file))
			return aliases[i].alias;
	if (!alias_dir)
		alias_dir = temp_dir("alias");
	path = xasprintf("%s/%zu%s", alias_dir, naliases,
			 dot && !strcmp(dot, ".h") ? ".h" : ".c");
	target = xasprintf("%s/%s", kdir, file);
	if (symlink(target, path))
		die("cannot make an alias %s for %s", path, target);
	free(target);
	aliases = xrealloc(aliases, (naliases + 1) * sizeof(*aliases));
	aliases[naliases].alias = path;
	aliases[naliases++].real = xstrdup(file);
	return path;
}

static const char *real_name(const char *name)
{
	size_t i;

	for (i = 0; i < naliases; i++)
		if (!strcmp(aliases[i].alias, name))
			return aliases[i].real;
	return name;
}

static void aliases_free(void)
{
	size_t i;

	for (i = 0; i < naliases; i++) {
		free(aliases[i].alias);
		free(aliases[i].real);
	}
	free(aliases);
	aliases = NULL;
	naliases = 0;
	if (alias_dir)
		temp_remove(alias_dir);
	free(alias_dir);
	alias_dir = NULL;
}

/*
 * spatch --file-groups: the files, one group each (as --dir would), so
 * spatch reads exactly the files the summary counts.
 */
static char *groups_file(const struct coverage *cov, const char *kdir,
			 const size_t *at, size_t n)
{
	char *path = temp_path();
	FILE *f = fopen(path, "w");
	size_t i;

	for (i = 0; f && i < n; i++)
		fprintf(f, "%s\n\n", safe_name(kdir, cov->files[at[i]]));
	if (!f || ferror(f) | fclose(f))
		die("cannot write %s", path);
	return path;
}

/*
 * A whole-tree job: one rule over some of its files.  Each rule's files
 * are cut into pieces of about equal size and the pieces run largest
 * first, so both CPUs stay busy to the end (one rule over its largest
 * file alone is the critical path).
 */
struct chunk {
	size_t rule;		/* in run->rules */
	size_t *files;		/* in run->cov.files */
	size_t n;
	off_t bytes;		/* merged: weighted by the rules listed */
	char *groups;		/* its --file-groups file */
};

static off_t *file_sizes(const struct coverage *cov, const char *kdir)
{
	off_t *size = xcalloc(cov->nfiles + 1, sizeof(*size));
	size_t i;

	for (i = 0; i < cov->nfiles; i++) {
		char *path = xasprintf("%s/%s", kdir, cov->files[i]);
		struct stat st;

		size[i] = stat(path, &st) ? 0 : st.st_size;
		free(path);
	}
	return size;
}

static const off_t *sort_sizes;

static int larger_file(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	if (sort_sizes[x] != sort_sizes[y])
		return sort_sizes[x] < sort_sizes[y] ? 1 : -1;
	return x < y ? -1 : x > y;
}

static int larger_chunk(const void *a, const void *b)
{
	const struct chunk *x = a, *y = b;

	if (x->bytes != y->bytes)
		return x->bytes < y->bytes ? 1 : -1;
	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	return x->files[0] < y->files[0] ? -1 : x->files[0] > y->files[0];
}

/*
 * Pieces per CPU: enough to even out the end, few enough to start fast
 * (a spatch start costs about 0.3 s of CPU for a rule, 2 s for the
 * merged patch, most of it parsing the patch); small trees stay whole.
 */
#define CHUNKS_PER_JOB		4
#define MERGED_CHUNKS_PER_JOB	2
#define MIN_CHUNK_BYTES		(256 * 1024)

static void add_chunk(struct chunk **cs, size_t *n, size_t rule,
		      const size_t *files, size_t nfiles, const off_t *size)
{
	struct chunk *c;
	size_t i;

	*cs = xrealloc(*cs, (*n + 1) * sizeof(**cs));
	c = &(*cs)[(*n)++];
	*c = (struct chunk){ .rule = rule, .n = nfiles,
			     .files = xcalloc(nfiles, sizeof(size_t)) };
	for (i = 0; i < nfiles; i++) {
		c->files[i] = files[i];
		c->bytes += size[files[i]];
	}
}

/*
 * The merged patch's list of the rules each file is for (its
 * $MMUCHECK_LISTED: "FILE<TAB>MMU001 MMU003"), named as spatch is given
 * them; rules not listed for a file do not run in it (-D prefiltered).
 */
static void write_listed(const struct scan_run *run, char **masks)
{
	char *path = temp_path();
	FILE *f = fopen(path, "w");
	size_t i, j;

	for (j = 0; f && j < run->cov.nfiles; j++) {
		if (!masks[run->nrules][j])
			continue;
		fprintf(f, "%s\t", safe_name(run->kdir, run->cov.files[j]));
		for (i = 0; i < run->nrules; i++)
			if (masks[i] && masks[i][j])
				fprintf(f, " %s", run->rules[i].id);
		fputc('\n', f);
	}
	if (!f || ferror(f) | fclose(f))
		die("cannot write %s", path);
	/* spatch inherits it; path stays listed for removal at exit */
	setenv("MMUCHECK_LISTED", path, 1);
}

/*
 * Which candidates each rule runs over (those with its tokens), by
 * index in run->rules.  A merged run has one piece list, index nrules:
 * the files any rule runs over, each parsed once, with the list of the
 * rules each one is for.
 */
static char **rule_masks(const struct scan_run *run, off_t *size)
{
	char **masks = xcalloc(run->nrules + 2, sizeof(*masks));
	size_t i, j;

	for (i = 0; i < run->nrules; i++)
		if (run->rules[i].path)	/* else the plugin's rule alone */
			masks[i] = coverage_rule_files(&run->cov, run->kdir,
						       run->rules[i].path);
	if (!run->merged)
		return masks;
	masks[run->nrules] = xcalloc(run->cov.nfiles + 1, 1);
	for (j = 0; j < run->cov.nfiles; j++) {
		off_t bytes = size[j];

		/* Its cost: one parse, and a match by each rule listed. */
		for (i = 0; i < run->nrules; i++) {
			if (!masks[i] || !masks[i][j])
				continue;
			masks[run->nrules][j] = 1;
			size[j] += bytes;
		}
	}
	write_listed(run, masks);
	for (i = 0; i < run->nrules; i++) {
		free(masks[i]);
		masks[i] = NULL;
	}
	return masks;
}

static const struct rule_info *chunk_rule(const struct scan_run *run,
					  const struct chunk *c)
{
	return c->rule < run->nrules ? &run->rules[c->rule] : run->merged;
}

/*
 * Each rule's files (those with its tokens), or the merged patch's (the
 * files of any rule), cut into pieces by size.
 */
static struct chunk *rule_chunks(const struct scan_run *run, int jobs,
				 size_t *nchunks)
{
	off_t *size = file_sizes(&run->cov, run->kdir), total = 0, target, sum;
	size_t nf = run->cov.nfiles, *files = xcalloc(nf + 1, sizeof(size_t));
	char **masks = rule_masks(run, size);
	struct chunk *cs = NULL;
	size_t i, j, n, from;

	for (i = 0; i <= run->nrules; i++)
		for (j = 0; masks[i] && j < nf; j++)
			total += masks[i][j] ? size[j] : 0;
	target = total / ((off_t)jobs * (run->merged ? MERGED_CHUNKS_PER_JOB
							: CHUNKS_PER_JOB)) + 1;
	if (target < MIN_CHUNK_BYTES)
		target = MIN_CHUNK_BYTES;
	*nchunks = 0;
	sort_sizes = size;
	for (i = 0; i <= run->nrules; i++) {
		for (j = n = 0; masks[i] && j < nf; j++)
			if (masks[i][j])
				files[n++] = j;
		qsort(files, n, sizeof(*files), larger_file);
		for (from = j = 0, sum = 0; j < n; j++) {
			if (j > from && sum + size[files[j]] > target) {
				add_chunk(&cs, nchunks, i, files + from, j - from, size);
				from = j;
				sum = 0;
			}
			sum += size[files[j]];
		}
		if (n > from)
			add_chunk(&cs, nchunks, i, files + from, n - from, size);
		free(masks[i]);
	}
	if (*nchunks)
		qsort(cs, *nchunks, sizeof(*cs), larger_chunk);
	free(masks);
	free(files);
	free(size);
	return cs;
}

static void chunks_free(struct chunk *cs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (cs[i].groups)
			temp_remove(cs[i].groups);
		free(cs[i].groups);
		free(cs[i].files);
	}
	free(cs);
}

/*
 * The jobs of a whole-tree scan, one per piece.  --quiet --verbose-parsing
 * makes spatch name each file it starts ("HANDLING: FILE", timed for -v)
 * and print its parse errors, so the unparsable definitions are counted
 * from this run instead of parsing every file once more.
 */
static struct job *chunk_jobs(const struct scan_run *run, struct chunk *cs,
			      size_t n, int file_timeout)
{
	struct job *js = xcalloc(n + 1, sizeof(*js));
	char secs[32];
	size_t i;

	snprintf(secs, sizeof(secs), "%d", file_timeout);
	for (i = 0; i < n; i++) {
		struct job *job = &js[i];

		cs[i].groups = groups_file(&run->cov, run->kdir, cs[i].files,
					   cs[i].n);
		job->argv = rule_argv(chunk_rule(run, &cs[i]), "report");
		/*
		 * The piece holds only files that pass the rule's token
		 * query (coverage_rule_files), or the merged patch has them
		 * listed per rule: no rule need match its tokens again.
		 */
		argv_push(&job->argv, "-D");
		argv_push(&job->argv, "prefiltered");
		argv_push(&job->argv, "--quiet");
		argv_push(&job->argv, "--verbose-parsing");
		argv_push(&job->argv, "--timeout");
		argv_push(&job->argv, secs);
		/*
		 * spatch's own token filter per file: in a git tree it
		 * would otherwise run git grep over the whole tree once
		 * per group.
		 */
		argv_push(&job->argv, "--use-coccigrep");
		argv_push(&job->argv, "--file-groups");
		argv_push(&job->argv, cs[i].groups);
		job->cwd = run->kdir;
		job->label = chunk_rule(run, &cs[i])->id;
		job->watch = 1;
	}
	return js;
}

/* One rule, or the merged patch, over one changed file. */
static void add_file_job(struct job *job, const struct scan_run *run,
			 const struct rule_info *r, const char *path)
{
	job->argv = rule_argv(r, "report");
	argv_push(&job->argv, safe_name(run->kdir, path));
	job->scope = path;
	job->cwd = run->kdir;
	job->label = r->id;
}

/* A --base scan: each rule, or the merged patch, over each changed file. */
static struct job *rule_jobs(const struct scan_run *run, size_t *n)
{
	const struct change_set *cs = &run->cs;
	size_t i, j;
	struct job *js = xcalloc(run->nrules * cs->n + 1, sizeof(*js));

	*n = 0;
	for (j = 0; run->merged && j < cs->n; j++)
		add_file_job(&js[(*n)++], run, run->merged, cs->files[j].path);
	for (i = 0; !run->merged && i < run->nrules; i++) {
		if (!run->rules[i].path)	/* the plugin's rule alone */
			continue;
		for (j = 0; j < cs->n; j++)
			add_file_job(&js[(*n)++], run, &run->rules[i],
				     cs->files[j].path);
	}
	return js;
}

/* How the job ended, for an error message. */
static char *job_status(const struct job *job)
{
	if (job->timed_out)
		return xstrdup("timed out (--timeout)");
	if (WIFSIGNALED(job->status))
		return xasprintf("killed by signal %d", WTERMSIG(job->status));
	if (WIFEXITED(job->status) && WEXITSTATUS(job->status) == 127)
		return xstrdup("could not be started (is spatch installed?)");
	return xasprintf("exit status %d", WEXITSTATUS(job->status));
}

/* Report lines to findings; the first line that is not one, or NULL. */
static char *parse_output(struct findings *fs, const char *out)
{
	const char *p, *nl;
	char *bad = NULL;
	size_t from = fs->n, i;

	for (p = out; p && *p; p = nl ? nl + 1 : NULL) {
		char *line;

		nl = strchr(p, '\n');
		line = strndup(p, nl ? (size_t)(nl - p) : strlen(p));
		if (*line && !findings_parse_line(fs, line) && !bad)
			bad = xstrdup(line);
		free(line);
	}
	for (i = from; i < fs->n; i++) {
		const char *real = real_name(fs->v[i].file);

		if (real != fs->v[i].file) {
			free(fs->v[i].file);
			fs->v[i].file = xstrdup(real);
		}
	}
	return bad;
}

/* spatch messages that mean a file, or the whole job, was not analysed. */
static const char *const job_errors[] = {
	"Python failure", "Error in Python", "Traceback", "UnicodeDecodeError",
	"Fatal error", "EXN", "exception", "Exception",
};

/*
 * What --quiet --verbose-parsing adds: progress and the parser's
 * messages, which quote the C source ("bad:", "  whole content =") and
 * so may hold any word.  None of them is a job error.
 */
static const char *const chatter[] = {
	"HANDLING: ", "bad:", "BAD:", " ", "\t", "parse error", "badcount:",
	"ERROR-RECOV:", "parsing pass", "Warning: PARSING", "WEIRD:",
	"TYPEDEF CONFLICT", "init_defs_builtins:", "Note: processing",
	"passed:", "transforming s", "stmt_elems_of", "LEXER:", "MultiFound",
	"CPP-", "PB:", "unterminated", "skipping",
};

static int is_chatter(const char *line)
{
	size_t i, n = strlen(line);

	if (n > 12 && !strcmp(line + n - 12, " files match"))
		return 1;
	for (i = 0; i < ARRAY_SIZE(chatter); i++)
		if (!strncmp(line, chatter[i], strlen(chatter[i])))
			return 1;
	return 0;
}

/* The state of one job's stderr, read line by line. */
struct err_reader {
	const struct job *job;
	struct coverage *cov;
	int file_timeout;
	size_t timed_out;	/* files over the per-file timeout */
	char *job_error;	/* the first message that loses the job */
};

/*
 * "EXN: Coccinelle_modules.Common.Timeout in FILE": spatch's per-file
 * timeout ran out and it went on with the next file.  Named as skipped.
 */
static int file_timeout_line(const char *line)
{
	return !strncmp(line, "EXN: ", 5) && strstr(line, "Timeout in ");
}

static void err_line(struct err_reader *r, char *line)
{
	char *in = strstr(line, " in "), *why;
	size_t i;

	while (in && strstr(in + 1, " in "))
		in = strstr(in + 1, " in ");
	if (r->cov && file_timeout_line(line) && in) {
		why = xasprintf("skipped: spatch's per-file timeout (--file-timeout %d s) ran out",
				r->file_timeout);
		coverage_partial(r->cov, real_name(in + 4), r->job->label, why);
		free(why);
		r->timed_out++;
	} else if (r->cov && !strncmp(line, "EXN: ", 5) && in) {
		*in = '\0';
		coverage_partial(r->cov, real_name(in + 4), r->job->label,
				 line + 5);
	} else if (r->cov && !strncmp(line, "Skipping unreadable file: ", 26)) {
		coverage_partial(r->cov, real_name(line + 26), r->job->label,
				 "unreadable");
	} else if (!is_chatter(line)) {
		for (i = 0; i < ARRAY_SIZE(job_errors) && !r->job_error; i++)
			if (strstr(line, job_errors[i]))
				r->job_error = xstrdup(line);
	}
}

/*
 * Read spatch's stderr: a message naming a file ("EXN: Stack overflow
 * in FILE", "Skipping unreadable file: FILE") marks that file; any other
 * error message marks the whole job.  Returns the first of those.
 */
static char *stderr_problems(const struct job *job, const char *err,
			     struct coverage *cov, int file_timeout,
			     size_t *timed_out)
{
	struct err_reader r = { .job = job, .cov = cov,
				.file_timeout = file_timeout };
	const char *p, *nl;

	for (p = err; p && *p; p = nl ? nl + 1 : NULL) {
		char *line;

		nl = strchr(p, '\n');
		line = strndup(p, nl ? (size_t)(nl - p) : strlen(p));
		err_line(&r, line);
		free(line);
	}
	if (timed_out)
		*timed_out += r.timed_out;
	return r.job_error;
}

/*
 * The parse messages of each file a job handled, from its "HANDLING:
 * FILE" line to the next: the unparsable definitions of that file,
 * counted once (the first rule to parse it).  A file spatch gave up on
 * (an EXN inside its part) is left to the --parse-c pass, and a file no
 * part names was passed over by every rule's token filter.
 */
static void count_from_job(const char *err, struct coverage *cov,
			   const char *kdir, int verbose)
{
	const char *p = err ? strstr(err, "HANDLING: ") : NULL, *next, *nl;

	for (; p; p = next) {
		char *name, *part;
		long at;

		next = strstr(p + 1, "\nHANDLING: ");
		next = next ? next + 1 : NULL;
		nl = strchr(p, '\n');
		if (!nl)
			break;
		name = strndup(p + 10, nl - p - 10);
		part = strndup(nl, next ? (size_t)(next - nl) : strlen(nl));
		at = coverage_index(cov, real_name(name));
		if (at >= 0)
			coverage_opened(cov, at);
		if (at >= 0 && !strstr(part, "\nEXN: "))
			coverage_count_text(cov, kdir, at, part, verbose);
		free(part);
		free(name);
	}
}

/* Every file of a failed job is named as not analysed. */
static void job_lost(const struct job *job, const struct chunk *c,
		     struct coverage *cov, const char *why)
{
	size_t i;

	if (job->scope) {
		coverage_partial(cov, job->scope, job->label, why);
		return;
	}
	for (i = 0; c && i < c->n; i++)
		coverage_partial(cov, cov->files[c->files[i]], job->label, why);
	for (i = 0; !c && i < cov->nfiles; i++)
		coverage_partial(cov, cov->files[i], job->label, why);
}

/* Add the seconds spatch spent on each file a job handled. */
static void add_seconds(const struct job *job, struct scan_run *run)
{
	size_t m;

	if (!run->seconds)
		run->seconds = xcalloc(run->cov.nfiles + 1, sizeof(double));
	if (!run->rule_cpu)
		run->rule_cpu = xcalloc(run->nrules + 1, sizeof(double));
	for (m = 0; m < run->nrules; m++)
		if (!strcmp(run->rules[m].id, job->label))
			run->rule_cpu[m] += job->cpu;
	if (run->merged && !strcmp(run->merged->id, job->label))
		run->rule_cpu[run->nrules] += job->cpu;
	for (m = 0; m < job->nmarks; m++) {
		long at = coverage_index(&run->cov, real_name(job->marks[m].file));

		if (at >= 0)
			run->seconds[at] += job_file_seconds(job, m);
	}
}

/* How a scan collects its jobs: into run, with or without coverage. */
struct collect_ctx {
	struct findings *fs;
	struct scan_run *run;		/* NULL: findings only */
	const struct chunk *chunks;	/* per job, or NULL */
	int file_timeout;
	int verbose;
};

/*
 * Read a job's findings and what it could not analyse: a failed job, an
 * error on stderr, or output that is not report lines.  With a run, the
 * files are recorded in its coverage.  Returns 1 when anything went wrong.
 */
static int collect_job(struct job *job, const struct chunk *c,
		       const struct collect_ctx *ctx)
{
	struct coverage *cov = ctx->run ? &ctx->run->cov : NULL;
	char *out = read_file(job->out_path, NULL);
	char *err = read_file(job->err_path, NULL);
	size_t before = cov ? cov->npartial : 0;
	char *bad = parse_output(ctx->fs, out);
	char *job_error = stderr_problems(job, err, cov, ctx->file_timeout,
					  cov ? &ctx->run->files_timed_out : NULL);
	char *why = NULL;

	if (job_failed(job))
		why = job_status(job);
	else if (job_error)
		why = xstrdup(job_error);
	else if (bad)
		why = xasprintf("spatch printed what is not a report line: %.80s",
				bad);
	if (why) {
		warn("%s: spatch failed (%s)%s%.400s", job->label, why,
		     err && *err ? ":\n" : "", err ? err : "");
		if (cov)
			job_lost(job, c, cov, why);
	} else if (cov && c) {
		count_from_job(err, cov, ctx->run->kdir, ctx->verbose);
	}
	if (ctx->run && job->watch)
		add_seconds(job, ctx->run);
	free(why);
	free(bad);
	free(job_error);
	free(out);
	free(err);
	job_cleanup(job);
	return why || (cov && cov->npartial > before);
}

/*
 * Read findings; 1 when some job failed or missed files.  Pieces are
 * read in the registry's rule order, so a file's unparsable definitions
 * come from the first rule that parsed it, whatever -j cut.
 */
static int collect_into(struct job *js, size_t n,
			const struct collect_ctx *ctx)
{
	size_t i, r, nrules = ctx->run ? ctx->run->nrules : 1;
	int trouble = 0;

	if (!ctx->chunks) {
		for (i = 0; i < n; i++)
			trouble |= collect_job(&js[i], NULL, ctx);
		return trouble;
	}
	for (r = 0; r <= nrules; r++)	/* nrules: the merged patch */
		for (i = 0; i < n; i++)
			if (ctx->chunks[i].rule == r)
				trouble |= collect_job(&js[i], &ctx->chunks[i], ctx);
	return trouble;
}

int collect(struct job *js, size_t n, struct findings *fs)
{
	struct collect_ctx ctx = { .fs = fs };

	return collect_into(js, n, &ctx);
}

static int in_change_set(const void *cs, const struct finding *f)
{
	return change_set_keeps(cs, f);
}

/*
 * --build DIR: the facts the plugin left during a build of this tree (in
 * the objects under DIR, in DIR/mmucheck-facts or DIR), joined by the
 * link step.
 */
static int add_plugin_findings(const char *build, struct scan_run *run)
{
	struct link_stats st;
	int bad;

	bad = link_facts(build, run->kdir, &run->fs, &st);
	link_keep_rules(&run->fs, run->rules, run->nrules);	/* --rules */
	if (!bad)
		fprintf(stderr, "mmucheck: linked the plugin's facts of %zu units in %s\n",
			st.units, build);
	return bad ? 1 : 0;
}

/*
 * How many of the selected rules have a semantic patch to run.  A rule
 * of the registry without one is the GCC plugin's alone: its findings
 * come from --build, so without it the scan says the rule is not run.
 */
static size_t rules_with_patches(const struct scan_run *run, const char *only,
				 int build)
{
	size_t i, n = 0;

	for (i = 0; i < run->nrules; i++) {
		n += run->rules[i].path != NULL;
		if (!run->rules[i].path && !build)
			warn("%s: no semantic patch in %s; the GCC plugin reports it (scan --build DIR)",
			     run->rules[i].id, data_dir());
	}
	if (!n && !build)
		die("no rule of --rules %s has a semantic patch: give --build DIR for the plugin's findings",
		    only ? only : "");
	return n;
}

/* -v: the ten files spatch spent longest on, all rules together. */
static void print_slowest(const struct scan_run *run)
{
	size_t *order, i, j, n = run->cov.nfiles;

	if (!run->seconds || !n)
		return;
	if (run->merged) {
		fprintf(stderr, "mmucheck: CPU seconds of spatch, all rules in one pass: %.1f\n",
			run->rule_cpu[run->nrules]);
	} else {
		fprintf(stderr, "mmucheck: CPU seconds per rule:");
		for (i = 0; i < run->nrules; i++)
			if (run->rules[i].path)
				fprintf(stderr, " %s %.1f", run->rules[i].id,
					run->rule_cpu[i]);
		fprintf(stderr, "\n");
	}
	order = xcalloc(n, sizeof(*order));
	for (i = 0; i < n; i++) {	/* insertion sort: a few hundred files */
		for (j = i; j > 0 && run->seconds[order[j - 1]] < run->seconds[i]; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	fprintf(stderr, "mmucheck: the slowest files (seconds of spatch, all rules):\n");
	for (i = 0; i < n && i < 10; i++)
		fprintf(stderr, "mmucheck: %8.2f s %s\n", run->seconds[order[i]],
			run->cov.files[order[i]]);
	free(order);
}

/*
 * Run the rules over the tree, or over what the branch changed, and keep
 * the findings a --base scan judges.  Shared by scan and fix.
 */
void scan_tree(const struct scan_options *opt, struct scan_run *run)
{
	struct collect_ctx ctx = { .fs = &run->fs, .run = run,
				   .file_timeout = opt->file_timeout,
				   .verbose = opt->verbose };
	struct chunk *chunks = NULL;
	struct job *js;
	size_t i, njobs = 0, nrun;

	require_spatch();
	run_set_timeout(opt->timeout);
	/* Nothing git runs for us (diff, log, apply) may write the repository. */
	setenv("GIT_OPTIONAL_LOCKS", "0", 1);
	run->kdir = kernel_tree(opt->kdir);
	run->rules = load_rules(opt->rules, &run->nrules);
	nrun = rules_with_patches(run, opt->rules, opt->build != NULL);
	/* All rules: the merged patch, unless --rules picks some. */
	if (!opt->rules && nrun > 1)
		run->merged = merged_rule();
	if (opt->base) {
		change_set_load(&run->cs, run->kdir, opt->base);
		change_set_functions(&run->cs, run->kdir, opt->jobs);
		for (i = 0; i < run->cs.n; i++)
			coverage_add(&run->cov, run->cs.files[i].path);
		js = rule_jobs(run, &njobs);
	} else {
		coverage_candidates(&run->cov, run->kdir, run->rules, run->nrules,
				    opt->jobs);
		if (opt->shard_count)
			coverage_shard(&run->cov, run->kdir, opt->shard_index,
				       opt->shard_count);
		chunks = rule_chunks(run, opt->jobs, &njobs);
		js = chunk_jobs(run, chunks, njobs, opt->file_timeout);
		ctx.chunks = chunks;
	}
	fprintf(stderr, "mmucheck: %zu rule%s over %s%s%s\n", nrun,
		nrun == 1 ? "" : "s", opt->base ? "the changes in " : "",
		run->kdir, opt->base ? "" : " (whole tree)");
	/* Whole-tree rule runs take minutes: show them end. */
	run_jobs(js, njobs, opt->jobs, !opt->base);
	collect_into(js, njobs, &ctx);
	free(js);
	chunks_free(chunks, chunks ? njobs : 0);
	aliases_free();
	/*
	 * Files no rule run parsed whole: spatch --parse-c counts them (in a
	 * whole-tree scan, those a run gave up on; --base runs do not name
	 * the files they parse).
	 */
	coverage_count_unparsed(&run->cov, run->kdir, opt->jobs, opt->verbose,
				!opt->base);
	if (opt->verbose)
		print_slowest(run);
	if (opt->build)
		run->trouble |= add_plugin_findings(opt->build, run);
	findings_finish(&run->fs, run->kdir);
	if (opt->base)
		findings_keep(&run->fs, in_change_set, &run->cs);
	findings_clean_names(&run->fs);
	/* A scan that did not look at every file is no clean result. */
	if (run->cov.npartial && !opt->allow_partial)
		run->trouble = 1;
}

void scan_run_free(struct scan_run *run)
{
	rules_free(run->rules, run->nrules);
	if (run->merged)
		rules_free(run->merged, 1);
	findings_free(&run->fs);
	change_set_free(&run->cs);
	coverage_free(&run->cov);
	free(run->seconds);
	free(run->rule_cpu);
	free(run->kdir);
}

/* More spatch processes than 4 per CPU only thrash (and may OOM). */
static int cap_jobs(int jobs, long cpus)
{
	long most = 4 * cpus;

	if (jobs <= most)
		return jobs;
	warn("-j %d capped at %ld (4 per CPU)", jobs, most);
	return most;
}

/* A whole number of one to six digits, or -1. */
static int small_number(const char *s, size_t n)
{
	if (!n || n > 6 || strspn(s, "0123456789") < n)
		return -1;
	return atoi(s);
}

/* --shard I/N: shard I of N, 1 <= I <= N, or a usage error. */
static void parse_shard(struct scan_options *opt, const char *arg)
{
	const char *slash = strchr(arg, '/');

	opt->shard_index = slash ? small_number(arg, slash - arg) : -1;
	opt->shard_count = slash ? small_number(slash + 1, strlen(slash + 1)) : -1;
	if (opt->shard_index < 1 || opt->shard_count < 1 ||
	    opt->shard_index > opt->shard_count) {
		warn("--shard needs I/N, shard I of N with 1 <= I <= N, not '%s'", arg);
		usage();
	}
	snprintf(opt->shard, sizeof(opt->shard), "%d/%d", opt->shard_index,
		 opt->shard_count);
}

/*
 * The options of scan and fix (argv[0] is the command's name); fix alone
 * takes -o DIR (outdir NULL: not allowed).
 */
void scan_options_parse(int argc, char **argv, struct scan_options *opt,
			const char **outdir)
{
	static const struct option longopts[] = {
		{ "base", required_argument, NULL, 'b' },
		{ "build", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "baseline", required_argument, NULL, 'B' },
		{ "update-baseline", no_argument, NULL, 'u' },
		{ "rules", required_argument, NULL, 'r' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'F' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "file-timeout", required_argument, NULL, 't' },
		{ "allow-partial", no_argument, NULL, 'P' },
		{ "shard", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	const char *out = NULL;
	int c;

	*opt = (struct scan_options){ .format = "text",
				      .timeout = DEFAULT_TIMEOUT,
				      .file_timeout = DEFAULT_FILE_TIMEOUT,
				      .jobs = cpus > 0 ? cpus : 1 };
	while ((c = getopt_long(argc, argv, "j:o:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			opt->base = optarg;
			break;
		case 'd':
			opt->build = optarg;
			break;
		case 'f':
			opt->format = optarg;
			break;
		case 'B':
			opt->baseline = optarg;
			break;
		case 'u':
			opt->update_baseline = 1;
			break;
		case 'r':
			opt->rules = optarg;
			break;
		case 'v':
			opt->verbose = 1;
			break;
		case 'o':
			out = optarg;
			break;
		case 'F':
			opt->force = 1;
			break;
		case 'j':
			opt->jobs = number_arg("-j", optarg, 1);
			break;
		case 'T':
			opt->timeout = number_arg("--timeout", optarg, 0);
			break;
		case 't':
			opt->file_timeout = number_arg("--file-timeout", optarg, 1);
			break;
		case 'P':
			opt->allow_partial = 1;
			break;
		case 'S':
			parse_shard(opt, optarg);
			break;
		default:
			usage();
		}
	}
	if (argc - optind > 1 || (!outdir && (out || opt->force)) ||
	    (outdir && opt->shard_count))
		usage();
	if (opt->shard_count && opt->base)
		die("--shard splits a whole-tree scan; it does not take --base");
	if (opt->shard_count && opt->update_baseline)
		die("--shard does not take --update-baseline: a shard sees part of the tree (merge --update-baseline)");
	if (outdir)
		*outdir = out;
	opt->kdir = optind < argc ? argv[optind] : NULL;
	opt->jobs = cap_jobs(opt->jobs, cpus > 0 ? cpus : 1);
	if (opt->build)		/* before the scan, not after it */
		link_check_build(opt->build);
}

/* The commit of a git tree at KDIR (its own .git), or NULL. */
static char *tree_revision(const char *kdir)
{
	char *dotgit = xasprintf("%s/.git", kdir), *rev = NULL;

	if (!access(dotgit, F_OK))
		rev = git_line(kdir, argv_new("rev-parse", "--verify", "-q",
					      "HEAD", NULL));
	free(dotgit);
	return rev;
}

/* mmucheck scan: the report of a whole tree or of a branch's changes. */
int cmd_scan(int argc, char **argv)
{
	struct scan_options o, *opt = &o;
	struct scan_run run = { 0 };
	struct scan_summary sum;
	struct baseline bl = { 0 };
	char *revision = NULL;
	size_t i, new = 0;

	scan_options_parse(argc, argv, opt, NULL);
	report_check_format(opt->format);
	if (opt->update_baseline && !opt->baseline)
		die("--update-baseline needs --baseline FILE");
	/* Bad baselines fail before minutes of scanning, not after. */
	if (opt->update_baseline)
		baseline_check_writable(opt->baseline);
	else if (opt->baseline)
		baseline_read(opt->baseline, &bl);
	scan_tree(opt, &run);
	if (!strcmp(opt->format, "json"))	/* merge compares the trees */
		revision = tree_revision(run.kdir);
	baseline_mark(&bl, &run.fs);
	sum = (struct scan_summary){ .kdir = run.kdir, .rules = run.rules,
		.kernel = getenv("MMUCHECK_KERNEL_VERSION"),
		.revision = revision, .shard = opt->shard_count ? opt->shard : NULL,
		.nrules = run.nrules, .files_scanned = run.cov.nfiles,
		.functions_skipped = run.cov.nskipped,
		.partial = run.cov.partial, .npartial = run.cov.npartial };
	sum.files_not_analysed = count_partial_files(&sum);
	report_write(stdout, opt->format, &run.fs, &sum);
	fflush(stdout);		/* findings before the summary on one terminal */
	report_summary(stderr, &run.fs, &sum);
	if (run.files_timed_out)
		fprintf(stderr, "mmucheck: %zu file%s skipped: spatch's per-file timeout (--file-timeout %d s) ran out (named above)\n",
			run.files_timed_out, run.files_timed_out == 1 ? "" : "s",
			opt->file_timeout);
	if (opt->update_baseline && run.cov.npartial)
		warn("baseline %s not updated: the scan missed files", opt->baseline);
	else if (opt->update_baseline && !run.trouble)
		baseline_update(opt->baseline, &run.fs,
				opt->rules ? run.rules : NULL, run.nrules,
				opt->base ? &run.cs : NULL);
	for (i = 0; i < run.fs.n; i++)
		new += run.fs.v[i].is_new;
	baseline_free(&bl);
	scan_run_free(&run);
	free(revision);
	if (run.trouble)
		return EXIT_TROUBLE;
	return new && !opt->update_baseline ? EXIT_NEW_FINDINGS : 0;
}
