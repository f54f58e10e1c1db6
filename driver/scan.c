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
 * spatch --file-groups: the candidate files, one group each (as --dir
 * would), so spatch reads exactly the files the summary counts.
 */
static char *groups_file(const struct coverage *cov, const char *kdir)
{
	char *path = temp_path();
	FILE *f = fopen(path, "w");
	size_t i;

	for (i = 0; f && i < cov->nfiles; i++)
		fprintf(f, "%s\n\n", safe_name(kdir, cov->files[i]));
	if (!f || ferror(f) | fclose(f))
		die("cannot write %s", path);
	return path;
}

/* The jobs: each rule over the candidates, or over each changed file. */
static struct job *rule_jobs(const struct scan_run *run, const char *groups,
			     size_t *n)
{
	const struct change_set *cs = groups ? NULL : &run->cs;
	size_t per = cs ? cs->n : 1, i, j;
	struct job *js = xcalloc(run->nrules * per + 1, sizeof(*js));

	*n = 0;
	for (i = 0; i < run->nrules && (cs || run->cov.nfiles); i++) {
		if (!run->rules[i].path)	/* the plugin's rule alone */
			continue;
		for (j = 0; j < per; j++) {
			struct job *job = &js[(*n)++];

			job->argv = rule_argv(&run->rules[i], "report");
			if (cs) {
				argv_push(&job->argv,
					  safe_name(run->kdir, cs->files[j].path));
				job->scope = cs->files[j].path;
			} else {
				/*
				 * spatch's own token filter per file: in a
				 * git tree it would otherwise run git grep
				 * over the whole tree once per group.
				 */
				argv_push(&job->argv, "--use-coccigrep");
				argv_push(&job->argv, "--file-groups");
				argv_push(&job->argv, groups);
			}
			job->cwd = run->kdir;
			job->label = run->rules[i].id;
		}
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
 * Read spatch's stderr: a message naming a file ("EXN: Stack overflow
 * in FILE", "Skipping unreadable file: FILE") marks that file; any other
 * error message marks the whole job.  Returns the first of those.
 */
static char *stderr_problems(const struct job *job, const char *err,
			     struct coverage *cov)
{
	const char *p, *nl;
	char *job_error = NULL;
	size_t i;

	for (p = err; p && *p; p = nl ? nl + 1 : NULL) {
		char *line, *in;

		nl = strchr(p, '\n');
		line = strndup(p, nl ? (size_t)(nl - p) : strlen(p));
		in = strstr(line, " in ");
		while (in && strstr(in + 1, " in "))
			in = strstr(in + 1, " in ");
		if (cov && !strncmp(line, "EXN: ", 5) && in) {
			*in = '\0';
			coverage_partial(cov, real_name(in + 4), job->label,
					 line + 5);
		} else if (cov && !strncmp(line, "Skipping unreadable file: ", 26)) {
			coverage_partial(cov, real_name(line + 26), job->label,
					 "unreadable");
		} else {
			for (i = 0; i < ARRAY_SIZE(job_errors) && !job_error; i++)
				if (strstr(line, job_errors[i]))
					job_error = xstrdup(line);
		}
		free(line);
	}
	return job_error;
}

/* Every file of a failed job is named as not analysed. */
static void job_lost(const struct job *job, struct coverage *cov,
		     const char *why)
{
	size_t i;

	if (job->scope) {
		coverage_partial(cov, job->scope, job->label, why);
		return;
	}
	for (i = 0; i < cov->nfiles; i++)
		coverage_partial(cov, cov->files[i], job->label, why);
}

/*
 * Read a job's findings and what it could not analyse: a failed job, an
 * error on stderr, or output that is not report lines.  With cov, the
 * files are recorded there.  Returns 1 when anything went wrong.
 */
static int collect_job(struct job *job, struct findings *fs,
		       struct coverage *cov)
{
	char *out = read_file(job->out_path, NULL);
	char *err = read_file(job->err_path, NULL);
	size_t before = cov ? cov->npartial : 0;
	char *bad = parse_output(fs, out);
	char *job_error = stderr_problems(job, err, cov);
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
			job_lost(job, cov, why);
	}
	free(why);
	free(bad);
	free(job_error);
	free(out);
	free(err);
	job_cleanup(job);
	return why || (cov && cov->npartial > before);
}

/* Read findings; 1 when some job failed or missed files. */
static int collect_into(struct job *js, size_t n, struct findings *fs,
			struct coverage *cov)
{
	int trouble = 0;
	size_t i;

	for (i = 0; i < n; i++)
		trouble |= collect_job(&js[i], fs, cov);
	return trouble;
}

int collect(struct job *js, size_t n, struct findings *fs)
{
	return collect_into(js, n, fs, NULL);
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

/*
 * Run the rules over the tree, or over what the branch changed, and keep
 * the findings a --base scan judges.  Shared by scan and fix.
 */
void scan_tree(const struct scan_options *opt, struct scan_run *run)
{
	struct job *js;
	char *groups;
	size_t i, njobs, nrun;

	require_spatch();
	run_set_timeout(opt->timeout);
	/* Nothing git runs for us (diff, log, apply) may write the repository. */
	setenv("GIT_OPTIONAL_LOCKS", "0", 1);
	run->kdir = kernel_tree(opt->kdir);
	run->rules = load_rules(opt->rules, &run->nrules);
	nrun = rules_with_patches(run, opt->rules, opt->build != NULL);
	if (opt->base) {
		change_set_load(&run->cs, run->kdir, opt->base);
		change_set_functions(&run->cs, run->kdir, opt->jobs);
		for (i = 0; i < run->cs.n; i++)
			coverage_add(&run->cov, run->cs.files[i].path);
	} else {
		coverage_candidates(&run->cov, run->kdir, run->rules, run->nrules);
		if (opt->shard_count)
			coverage_shard(&run->cov, run->kdir, opt->shard_index,
				       opt->shard_count);
	}
	groups = opt->base ? NULL : groups_file(&run->cov, run->kdir);
	js = rule_jobs(run, groups, &njobs);
	fprintf(stderr, "mmucheck: %zu rule%s over %s%s%s\n", nrun,
		nrun == 1 ? "" : "s", opt->base ? "the changes in " : "",
		run->kdir, opt->base ? "" : " (whole tree)");
	/* Whole-tree rule runs take minutes: show them end. */
	run_jobs(js, njobs, opt->jobs, !opt->base);
	collect_into(js, njobs, &run->fs, &run->cov);
	free(js);
	if (groups)
		temp_remove(groups);
	free(groups);
	aliases_free();
	coverage_count_unparsed(&run->cov, run->kdir, opt->jobs, opt->verbose);
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
	findings_free(&run->fs);
	change_set_free(&run->cs);
	coverage_free(&run->cov);
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
