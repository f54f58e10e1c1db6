// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmucheck scan: the semantic patches in report mode over a tree, or
 * over what a branch changed, in parallel; findings gated by a baseline.
 */
#include <ctype.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "coverage.h"
#include "gitbase.h"
#include "run.h"
#include "scan.h"
#include "link.h"
#include "plugin.h"
#include "util.h"

/* Where the semantic patches are: beside the binary, or installed. */
const char *data_dir(void)
{
	static const char *const tries[] = { "../cocci", "../share/mmucheck/cocci" };
	static char *found;

	if (getenv("MMUCHECK_COCCI_DIR"))
		return getenv("MMUCHECK_COCCI_DIR");
	if (!found)
		found = beside_exe(tries, ARRAY_SIZE(tries));
	if (!found)
		die("no semantic patches beside the mmucheck command: run make, or set MMUCHECK_COCCI_DIR");
	return found;
}

#define RULE_LIST_SEP ", \t"

static int rule_selected(const char *only, const char *id, const char *stem)
{
	char *list, *tok, *save;
	int hit = 0;

	if (!only)
		return 1;
	list = xstrdup(only);
	for (tok = strtok_r(list, RULE_LIST_SEP, &save); tok && !hit;
	     tok = strtok_r(NULL, RULE_LIST_SEP, &save))
		hit = !strcasecmp(tok, id) || !strcasecmp(tok, stem);
	free(list);
	return hit;
}

/* A rule file's id ("MMU003") and stem ("mmu003_pmd_sharing"). */
static void rule_names(const char *path, char **id, char **stem)
{
	const char *base = strrchr(path, '/') + 1;
	char *c;

	*id = strndup(base, strcspn(base, "_"));
	for (c = *id; *c; c++)
		*c = toupper((unsigned char)*c);
	*stem = strndup(base, strlen(base) - strlen(".cocci"));
}

/* Every name in --rules must be a rule: a typo must not shrink the scan. */
static void check_rule_names(const char *only, char **paths, size_t npaths)
{
	char *list = xstrdup(only), *tok, *save, *id, *stem;
	size_t i;
	int hit;

	for (tok = strtok_r(list, RULE_LIST_SEP, &save); tok;
	     tok = strtok_r(NULL, RULE_LIST_SEP, &save)) {
		for (i = 0, hit = 0; i < npaths && !hit; i++) {
			rule_names(paths[i], &id, &stem);
			hit = rule_selected(tok, id, stem);
			free(id);
			free(stem);
		}
		if (!hit)
			die("unknown rule '%s' in --rules %s", tok, only);
	}
	free(list);
}

/*
 * The first paragraph of the rule's /// description, on one line and
 * without its "MMU00N: " tag: what the bug is, for SARIF and fix mails.
 */
static char *rule_description(const char *path)
{
	char *text = read_file(path, NULL), *p, *out = xstrdup(""), *d;

	if (!text)
		die("cannot read %s", path);
	for (p = text; (p = strstr(p, "\n///")); p++) {
		const char *line = p[4] == ' ' ? p + 5 : p + 4;
		size_t n = strcspn(line, "\n");
		char *next;

		if (!n && *out)
			break;
		next = xasprintf("%s%s%.*s", out, *out ? " " : "", (int)n, line);
		free(out);
		out = next;
	}
	free(text);
	d = strchr(out, ':');
	if (!strncmp(out, "MMU", 3) && d && d[1] == ' ')
		memmove(out, d + 2, strlen(d + 2) + 1);
	return out;
}

struct rule_info *load_rules(const char *only, size_t *n)
{
	char *pattern = xasprintf("%s/mmu*.cocci", data_dir());
	struct rule_info *rules;
	glob_t g;
	size_t i;

	if (glob(pattern, 0, NULL, &g))
		die("no semantic patches match %s: run make first", pattern);
	if (only)
		check_rule_names(only, g.gl_pathv, g.gl_pathc);
	rules = xcalloc(g.gl_pathc + 1, sizeof(*rules));
	*n = 0;
	for (i = 0; i < g.gl_pathc; i++) {
		char *id, *stem;

		rule_names(g.gl_pathv[i], &id, &stem);
		if (rule_selected(only, id, stem)) {
			rules[*n].id = id;
			rules[*n].path = xstrdup(g.gl_pathv[i]);
			rules[*n].description = rule_description(g.gl_pathv[i]);
			(*n)++;
		} else {
			free(id);
		}
		free(stem);
	}
	globfree(&g);
	free(pattern);
	if (!*n)
		die("no rule matches --rules %s", only);
	return rules;
}

static void require_spatch(void)
{
	if (!on_path("spatch"))
		die("spatch not found: install Coccinelle (apt-get install coccinelle, or make deps)");
}

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

/* spatch -D MODE with the rule's own "// Options:" line. */
char **rule_argv(const struct rule_info *r, const char *mode)
{
	char **argv = argv_new("spatch", "-D", mode, "--very-quiet", NULL);
	char *text = read_file(r->path, NULL), *opt, *tok, *save;

	opt = strstr(text, "\n// Options:");
	if (opt) {
		opt = strndup(opt + 12, strcspn(opt + 12, "\n"));
		for (tok = strtok_r(opt, " \t", &save); tok;
		     tok = strtok_r(NULL, " \t", &save))
			argv_push(&argv, tok);
		free(opt);
	}
	free(text);
	argv_push(&argv, "--cocci-file");
	argv_push(&argv, r->path);
	return argv;
}

/* The jobs: each rule over the tree, or over each changed file. */
static struct job *rule_jobs(const struct rule_info *rules, size_t nrules,
			     const struct change_set *cs, const char *kdir,
			     size_t *n)
{
	size_t per = cs ? cs->n : 1, i, j;
	struct job *js = xcalloc(nrules * per + 1, sizeof(*js));

	*n = 0;
	for (i = 0; i < nrules; i++) {
		for (j = 0; j < per; j++) {
			struct job *job = &js[(*n)++];

			job->argv = rule_argv(&rules[i], "report");
			if (cs) {
				argv_push(&job->argv, cs->files[j].path);
			} else {
				argv_push(&job->argv, "--dir");
				argv_push(&job->argv, ".");
			}
			job->cwd = kdir;
			job->label = rules[i].id;
		}
	}
	return js;
}

/* How the job ended, for an error message. */
static char *job_status(const struct job *job)
{
	if (WIFSIGNALED(job->status))
		return xasprintf("killed by signal %d", WTERMSIG(job->status));
	if (WIFEXITED(job->status) && WEXITSTATUS(job->status) == 127)
		return xstrdup("could not be started (is spatch installed?)");
	return xasprintf("exit status %d", WEXITSTATUS(job->status));
}

/* Read findings; a failed job or a Python failure makes the run fail. */
int collect(struct job *js, size_t n, struct findings *fs)
{
	int trouble = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		char *out = read_file(js[i].out_path, NULL);
		char *err = read_file(js[i].err_path, NULL);

		if (job_failed(&js[i]) || (err && strstr(err, "Python failure"))) {
			char *why = job_status(&js[i]);

			warn("%s: spatch failed (%s)%s%.400s", js[i].label, why,
			     err && *err ? ":\n" : "", err ? err : "");
			free(why);
			trouble = 1;
		}
		if (out)
			findings_parse_text(fs, out);
		free(out);
		free(err);
		job_cleanup(&js[i]);
	}
	return trouble;
}

static void print_summary(const struct findings *fs,
			  const struct scan_summary *sum)
{
	size_t i, j, new = 0;

	for (i = 0; i < fs->n; i++)
		new += fs->v[i].is_new;
	fprintf(stderr, "mmucheck: %zu files scanned, %zu definitions skipped as unparsable%s\n",
		sum->files_scanned, sum->functions_skipped,
		sum->functions_skipped ? " (-v names them)" : "");
	fprintf(stderr, "mmucheck: %zu finding%s (%zu new)", fs->n,
		fs->n == 1 ? "" : "s", new);
	for (i = 0; i < sum->nrules; i++) {
		size_t c = 0;

		for (j = 0; j < fs->n; j++)
			c += !strcmp(fs->v[j].rule, sum->rules[i].id);
		if (c)
			fprintf(stderr, ", %s: %zu", sum->rules[i].id, c);
	}
	fputc('\n', stderr);
}

static int in_change_set(const void *cs, const struct finding *f)
{
	return change_set_keeps(cs, f);
}

static void write_report(const struct scan_options *opt,
			 const struct findings *fs,
			 const struct scan_summary *sum)
{
	if (!strcmp(opt->format, "json"))
		report_json(stdout, fs, sum);
	else if (!strcmp(opt->format, "sarif"))
		report_sarif(stdout, fs, sum);
	else
		report_text(stdout, fs);
}

/*
 * --build DIR: the facts the plugin wrote during a build of this tree
 * (DIR/mmucheck-facts, or DIR itself), joined by the link step.
 */
static int add_plugin_findings(const char *build, struct scan_run *run)
{
	char *dir = xasprintf("%s/mmucheck-facts", build);
	struct link_stats st;
	int bad;

	if (access(dir, R_OK)) {
		free(dir);
		dir = xstrdup(build);
	}
	bad = link_facts(dir, run->kdir, &run->fs, &st);
	if (!bad)
		fprintf(stderr, "mmucheck: linked the plugin's facts of %zu units in %s\n",
			st.units, dir);
	free(dir);
	return bad ? 1 : 0;
}

/*
 * Run the rules over the tree, or over what the branch changed, and keep
 * the findings a --base scan judges.  Shared by scan and fix.
 */
void scan_tree(const struct scan_options *opt, struct scan_run *run)
{
	struct job *js;
	size_t i, njobs;

	require_spatch();
	run->kdir = kernel_tree(opt->kdir);
	run->rules = load_rules(opt->rules, &run->nrules);
	if (opt->base) {
		change_set_load(&run->cs, run->kdir, opt->base);
		change_set_functions(&run->cs, run->kdir, opt->jobs);
		for (i = 0; i < run->cs.n; i++)
			coverage_add(&run->cov, run->cs.files[i].path);
	} else {
		coverage_candidates(&run->cov, run->kdir, run->rules, run->nrules);
	}
	js = rule_jobs(run->rules, run->nrules, opt->base ? &run->cs : NULL,
		       run->kdir, &njobs);
	fprintf(stderr, "mmucheck: %zu rule%s over %s%s%s\n", run->nrules,
		run->nrules == 1 ? "" : "s", opt->base ? "the changes in " : "",
		run->kdir, opt->base ? "" : " (whole tree)");
	/* Whole-tree rule runs take minutes: show them end. */
	run_jobs(js, njobs, opt->jobs, !opt->base);
	run->trouble = collect(js, njobs, &run->fs);
	free(js);
	coverage_count_unparsed(&run->cov, run->kdir, opt->jobs, opt->verbose);
	if (opt->build)
		run->trouble |= add_plugin_findings(opt->build, run);
	findings_finish(&run->fs, run->kdir);
	if (opt->base)
		findings_keep(&run->fs, in_change_set, &run->cs);
}

void scan_run_free(struct scan_run *run)
{
	findings_free(&run->fs);
	change_set_free(&run->cs);
	coverage_free(&run->cov);
	free(run->kdir);
}

int cmd_scan(struct scan_options *opt)
{
	struct scan_run run = { 0 };
	struct scan_summary sum;
	struct baseline bl = { 0 };
	size_t i, new = 0;

	if (strcmp(opt->format, "text") && strcmp(opt->format, "json") &&
	    strcmp(opt->format, "sarif"))
		die("unknown --format %s (text, json or sarif)", opt->format);
	if (opt->update_baseline && !opt->baseline)
		die("--update-baseline needs --baseline FILE");
	/* Bad baselines fail before minutes of scanning, not after. */
	if (opt->update_baseline)
		baseline_check_writable(opt->baseline);
	else if (opt->baseline)
		baseline_read(opt->baseline, &bl);
	scan_tree(opt, &run);
	baseline_mark(&bl, &run.fs);
	sum = (struct scan_summary){ .kdir = run.kdir, .rules = run.rules,
		.nrules = run.nrules, .files_scanned = run.cov.nfiles,
		.functions_skipped = run.cov.nskipped };
	write_report(opt, &run.fs, &sum);
	fflush(stdout);		/* findings before the summary on one terminal */
	print_summary(&run.fs, &sum);
	if (opt->update_baseline && !run.trouble)
		baseline_save(opt->baseline, &run.fs);
	for (i = 0; i < run.fs.n; i++)
		new += run.fs.v[i].is_new;
	baseline_free(&bl);
	scan_run_free(&run);
	if (run.trouble)
		return EXIT_TROUBLE;
	return new && !opt->update_baseline ? EXIT_NEW_FINDINGS : 0;
}

/*
 * The "make C=1 CHECK=mmucheck check" slot: kbuild passes the checker's
 * flags, the compiler's flags and the source file last.  Findings are
 * notes on stderr; the build goes on (exit 0) unless a tool fails.
 */
int cmd_check(int argc, char **argv)
{
	struct findings fs = { 0 };
	struct rule_info *rules;
	const char *file = argc ? argv[argc - 1] : NULL;
	size_t nrules, i;
	struct job *js;
	int trouble = 0;

	if (!file || !strstr(file, ".c"))
		die("check: no C file given (use as make C=1 CHECK=\"mmucheck check\")");
	if (!getenv("MMUCHECK_NO_PLUGIN"))
		trouble = check_with_plugin(argc, argv, file);
	if (getenv("MMUCHECK_SPARSE")) {
		char **sp = argv_new("sparse", NULL);

		for (i = 0; i < (size_t)argc; i++)
			argv_push(&sp, argv[i]);
		if (run_capture(sp, NULL, NULL))
			trouble = EXIT_TROUBLE;
		argv_free(sp);
	}
	require_spatch();
	rules = load_rules(getenv("MMUCHECK_RULES"), &nrules);
	js = xcalloc(nrules + 1, sizeof(*js));
	for (i = 0; i < nrules; i++) {
		js[i].argv = rule_argv(&rules[i], "report");
		argv_push(&js[i].argv, file);
		js[i].label = rules[i].id;
	}
	run_jobs(js, nrules, 1, 0);
	if (collect(js, nrules, &fs))
		trouble = EXIT_TROUBLE;
	free(js);
	findings_finish(&fs, ".");
	report_text(stderr, &fs);
	findings_free(&fs);
	return trouble;
}

/* Is FILE under the directory ctx names (both relative to the tree)? */
static int under_dir(const void *ctx, const char *file)
{
	const char *dir = ctx;
	size_t n = strlen(dir);

	return !strncmp(file, dir, n) && file[n] == '/';
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
	char *kdir;
	size_t nrules;

	if (argc < 1 || argc > 2)
		die("usage: mmucheck unparsed KDIR [DIR]");
	kdir = kernel_tree(argv[0]);
	rules = load_rules(NULL, &nrules);
	coverage_candidates(&cov, kdir, rules, nrules);
	if (argc == 2)
		coverage_keep(&cov, under_dir, argv[1]);
	coverage_count_unparsed(&cov, kdir, 1, 1);
	printf("mmucheck:   %zu files with mm API tokens, %zu definitions skipped as unparsable\n",
	       cov.nfiles, cov.nskipped);
	coverage_free(&cov);
	free(kdir);
	return 0;
}
