// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmucheck fix: the semantic patches in patch mode, one mail per rule
 * and file, each checked before it is written: it applies, the tree's
 * checkpatch.pl passes it, and the rule is quiet on the patched file.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "builtin.h"
#include "git.h"
#include "run.h"
#include "rules.h"
#include "scan.h"
#include "util.h"
#include "version.h"

struct fix {
	const struct rule_info *rule;
	const struct finding *first;	/* the first finding it fixes */
	char *diff;
	char *mail;
};

/* "mm/gup" for mm/gup.c, "proc/base" for fs/proc/base.c */
static char *subsystem(const char *file)
{
	const char *stem = strrchr(file, '/'), *dir;
	size_t n;

	if (!stem)
		return strndup(file, strcspn(file, "."));
	for (dir = stem - 1; dir > file && dir[-1] != '/'; dir--)
		;
	n = strcspn(stem + 1, ".");
	return xasprintf("%.*s/%.*s", (int)(stem - dir), dir, (int)n, stem + 1);
}

/* The message without "line N" references, which rot. */
static char *without_lines(const char *msg)
{
	char *out = xcalloc(1, strlen(msg) + 1), *o = out;
	const char *p = msg;

	while (*p) {
		const char *q = p;

		if (!strncmp(q, " on line ", 9))
			q += 8;
		else if (!strncmp(q, " line ", 6))
			q += 5;
		if (q != p && q[1] >= '0' && q[1] <= '9') {
			for (q++; *q >= '0' && *q <= '9'; q++)
				;
			p = q;
			continue;
		}
		*o++ = *p++;
	}
	*o = '\0';
	return out;
}

/*
 * The commit that introduced the bug.  On a branch: the last commit of
 * the branch that touched the function, else the file (the bracket may
 * have gone from a caller).  Otherwise: the commit that added the
 * flagged statement.
 */
static char *fixes_tag(const char *kdir, const char *base, const struct finding *f)
{
	char *range = base ? xasprintf("%s..HEAD", base) : NULL;
	char *fn = xasprintf(":%s:%s", f->function, f->file);
	char *line = NULL;

	if (base) {
		line = git_line(kdir, argv_new("log", "-1", "-s",
					       "--format=%h (\"%s\")", "--abbrev=12",
					       "-L", fn, range, NULL));
		if (!line)
			line = git_line(kdir, argv_new("log", "-1",
						       "--format=%h (\"%s\")",
						       "--abbrev=12", range, "--",
						       f->file, NULL));
	}
	if (!line)
		line = git_line(kdir, argv_new("log", "--reverse",
					       "--format=%h (\"%s\")", "--abbrev=12",
					       "-S", f->statement, "--", f->file,
					       NULL));
	free(range);
	free(fn);
	return line;
}

static char *identity(const char *kdir)
{
	char *name = git_line(kdir, argv_new("config", "user.name", NULL));
	char *mail = git_line(kdir, argv_new("config", "user.email", NULL));
	char *id = xasprintf("%s <%s>", name ? name : "mmucheck",
			     mail ? mail : "mmucheck@localhost");

	free(name);
	free(mail);
	return id;
}

/*
 * Text rewrapped to 72 columns, as a commit message wants it; blank
 * lines separate paragraphs.
 */
static char *wrap(const char *text)
{
	char *out = xcalloc(1, 2 * strlen(text) + 2), *o = out;
	const char *p = text;
	int col = 0;

	while (*p) {
		size_t n;

		if (*p == '\n' && p[1] == '\n') {
			o += sprintf(o, "\n\n");
			col = 0;
			p += 2;
			continue;
		}
		if (*p == ' ' || *p == '\n') {
			p++;
			continue;
		}
		n = strcspn(p, " \n");
		if (col && col + 1 + (int)n > 72) {
			*o++ = '\n';
			col = 0;
		} else if (col) {
			*o++ = ' ';
			col++;
		}
		memcpy(o, p, n);
		o += n;
		col += n;
		p += n;
	}
	*o++ = '\n';
	*o = '\0';
	return out;
}

/* The tree's kernel version as major * 100 + minor, 0 when unknown. */
static int tree_version(void)
{
	const char *v = getenv("MMUCHECK_KERNEL_VERSION");
	int major, minor;

	return v && sscanf(v, "%d.%d", &major, &minor) == 2 ? major * 100 + minor : 0;
}

/*
 * Whether a sentence of a rule description applies to kernel kv: one
 * that names a version span ("v3.19-v6.5", "v6.6+", "<= v4.12") the
 * tree is not on talks about another API generation.
 */
static int sentence_applies(const char *s, size_t len, int kv)
{
	const char *v = s;
	int a, b, c, d, used;

	while (kv && (v = memchr(v, 'v', s + len - v)) && v < s + len) {
		if (sscanf(v, "v%d.%d%n", &a, &b, &used) != 2) {
			v++;
			continue;
		}
		if (sscanf(v + used, "-v%d.%d", &c, &d) == 2 ||
		    sscanf(v + used, "\xe2\x80\x93v%d.%d", &c, &d) == 2)
			return a * 100 + b <= kv && kv <= c * 100 + d;
		if (v[used] == '+')
			return kv >= a * 100 + b;
		if (v > s + 2 && (!strncmp(v - 3, "<= ", 3) || !strncmp(v - 4, "\xe2\x89\xa4 ", 4)))
			return kv <= a * 100 + b;
		v += used;
	}
	return 1;
}

/* The rule's description without sentences about other generations. */
static char *description_for_tree(const char *desc)
{
	char *out = xcalloc(1, strlen(desc) + 1);
	const char *p = desc;
	int kv = tree_version();

	while (*p) {
		const char *end = strstr(p, ". ");
		size_t len = end ? (size_t)(end - p) + 2 : strlen(p);

		if (sentence_applies(p, len, kv))
			strncat(out, p, len);
		p += len;
	}
	return out;
}

/*
 * The subject names what this site does wrong: a message that ends in
 * "; use X" (or another imperative after "; ") gives "use X in fn()";
 * otherwise the rule's own subject.
 */
static char *fix_subject(const struct rule_info *r, const struct finding *f,
			 const char *msg)
{
	const char *hint = strrchr(msg, ';');

	if (hint && strlen(hint + 2) + strlen(f->function) < 60)
		return xasprintf("%s in %s()", hint + 2, f->function);
	if (r->subject && strstr(r->subject, "%s"))
		return xasprintf(r->subject, f->function);
	return xasprintf("fix %s in %s()", f->rule, f->function);
}

static char *compose(const struct fix *fx, const char *kdir, const char *base,
		     int n, int total)
{
	char *sub = subsystem(fx->first->file), *msg = without_lines(fx->first->message);
	char *who = identity(kdir), *desc = description_for_tree(fx->rule->summary);
	char *text = xasprintf("%s() in %s: %s.\n\n%s\n\nFound by mmucheck (%s).",
			       fx->first->function, fx->first->file, msg, desc,
			       fx->rule->id);
	char *body = wrap(text);
	char *fixes = fixes_tag(kdir, base, fx->first), *mail;
	char *subject = fix_subject(fx->rule, fx->first, msg);
	char date[64];
	time_t now = time(NULL);

	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S %z", localtime(&now));
	mail = xasprintf("From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n"
			 "From: %s\nDate: %s\nSubject: [PATCH %d/%d] %s: %s\n\n"
			 "%s\n%s%s%s"
			 "Signed-off-by: %s\n---\n%s-- \nmmucheck %s\n\n",
			 who, date, n, total, sub, subject, body,
			 fixes ? "Fixes: " : "", fixes ? fixes : "", fixes ? "\n" : "",
			 who, fx->diff, MMUCHECK_VERSION);
	free(sub);
	free(msg);
	free(text);
	free(desc);
	free(body);
	free(who);
	free(fixes);
	free(subject);
	return mail;
}

static char *write_temp(const char *text)
{
	char *path = temp_path();

	write_text(path, text);
	return path;
}

static char *patch_for(const struct rule_info *r, const char *kdir,
		       const char *file)
{
	char **argv;
	char *out = NULL;

	if (!r->path)		/* the plugin's rule alone: no patch mode */
		return NULL;
	argv = rule_argv(r, "patch");
	argv_push(&argv, "--patch");
	argv_push(&argv, ".");
	argv_push(&argv, file);
	if (run_capture(argv, kdir, &out)) {
		free(out);
		out = NULL;
	}
	argv_free(argv);
	return out;
}

/* git apply PATCH in DIR (a tree, or a copy of some of its files). */
static int applies(const char *dir, const char *patch, int check)
{
	char **args = argv_new("apply", NULL);

	if (check)
		argv_push(&args, "--check");
	argv_push(&args, patch);
	return !git_run(dir, args, NULL, NULL);
}

/* Apply the diff to a copy of the file: does the rule still fire there? */
static int quiet_after(const struct fix *fx, const char *kdir)
{
	char *dir = temp_dir("fix");
	char *patch = write_temp(fx->diff);
	struct findings fs = { 0 };
	struct job job = { 0 };
	size_t i;
	int quiet = 0;

	if (copy_into(kdir, fx->first->file, dir) && applies(dir, patch, 0)) {
		job.argv = rule_argv(fx->rule, "report");
		argv_push(&job.argv, fx->first->file);
		job.cwd = dir;
		job.label = fx->rule->id;
		run_jobs(&job, 1, 1, 0);
		if (!collect(&job, 1, &fs)) {
			quiet = 1;
			for (i = 0; i < fs.n; i++)
				if (!strcmp(fs.v[i].function, fx->first->function))
					quiet = 0;
		}
	}
	temp_remove(dir);
	temp_remove(patch);
	findings_free(&fs);
	free(patch);
	free(dir);
	return quiet;
}

/* Both backends' fixes must pass the tree's own checkpatch.pl. */
static int checkpatch_clean(const char *kdir, const char *mail, char **why)
{
	char *path = write_temp(mail), *out = NULL;
	char **argv = argv_new("perl", "scripts/checkpatch.pl", "--quiet",
			       "--no-summary", path, NULL);
	int ok = !run_capture(argv, kdir, &out);

	*why = out;
	argv_free(argv);
	temp_remove(path);
	free(path);
	return ok;
}

static char *mail_name(const char *outdir, int n, const char *mail)
{
	const char *s = strstr(mail, "\nSubject: [PATCH ");
	char slug[53], *o = slug;

	s = strchr(s, ']') + 2;
	for (; *s && *s != '\n' && o < slug + sizeof(slug) - 1; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    (*s >= 'A' && *s <= 'Z'))
			*o++ = *s | 0x20;
		else if (o > slug && o[-1] != '-')
			*o++ = '-';
	}
	while (o > slug && o[-1] == '-')
		o--;
	*o = '\0';
	return xasprintf("%s/%04d-%s.patch", outdir, n, slug);
}

static int is_patch_name(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 6 && !strcmp(d->d_name + n - 6, ".patch");
}

static int is_entry(const struct dirent *d)
{
	return strcmp(d->d_name, ".") && strcmp(d->d_name, "..");
}

/* Remove the old *.patch series of outdir: --force. */
static void remove_old_series(const char *outdir)
{
	struct dirent **names;
	int i, n = scandir(outdir, &names, is_patch_name, alphasort);

	if (n < 0)
		die("cannot read %s: %s", outdir, strerror(errno));
	for (i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", outdir, names[i]->d_name);

		if (unlink(path))
			die("cannot remove %s: %s", path, strerror(errno));
		free(path);
		free(names[i]);
	}
	free(names);
}

/*
 * Before the scan: -o must be a writable directory, and an empty one,
 * so that git am of its *.patch files never picks up a stale mail
 * beside the new series; --force removes the old series (only that).
 */
static void prepare_outdir(const char *outdir, int force)
{
	struct dirent **names;
	struct stat st;
	int i, n;

	if (mkdir(outdir, 0777) && errno != EEXIST)
		die("cannot create %s: %s", outdir, strerror(errno));
	if (stat(outdir, &st) || !S_ISDIR(st.st_mode))
		die("-o %s: not a directory", outdir);
	if (access(outdir, W_OK | X_OK))
		die("cannot write to %s: %s", outdir, strerror(errno));
	if (force)
		remove_old_series(outdir);
	n = scandir(outdir, &names, is_entry, alphasort);
	if (n < 0)
		die("cannot read %s: %s", outdir, strerror(errno));
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (n && !force)
		die("-o %s is not empty: give an empty directory, or --force to replace its *.patch series",
		    outdir);
}

/* One candidate fix per rule and file, in the order of the findings. */
static size_t candidate_fixes(const struct scan_run *run, struct fix *fixes)
{
	size_t i, j, k, n = 0;

	for (i = 0; i < run->fs.n; i++) {
		const struct finding *f = &run->fs.v[i];
		int seen = 0;

		for (k = 0; k < n; k++)
			seen |= !strcmp(fixes[k].first->rule, f->rule) &&
				!strcmp(fixes[k].first->file, f->file);
		if (seen)
			continue;
		for (j = 0; j < run->nrules; j++)
			if (!strcmp(run->rules[j].id, f->rule))
				fixes[n].rule = &run->rules[j];
		if (fixes[n].rule)	/* a rule not run has no fix to run */
			fixes[n++].first = f;
	}
	return n;
}

static int is_new(const void *ctx, const struct finding *f)
{
	(void)ctx;
	return f->is_new;
}

/* mmucheck fix: the scan, then a checked patch mail per rule and file. */
int cmd_fix(int argc, char **argv)
{
	struct scan_options o, *opt = &o;
	const char *outdir;
	struct scan_run run = { 0 };
	struct baseline bl = { 0 };
	struct fix *fixes;
	size_t i, n, good = 0;
	int unfixed = 0, written = 0;

	scan_options_parse(argc, argv, opt, &outdir);
	if (!outdir)
		die("fix needs -o DIR for the patch series");
	prepare_outdir(outdir, opt->force);
	if (opt->baseline)	/* a bad baseline fails before the scan */
		baseline_read(opt->baseline, &bl);
	scan_tree(opt, &run);
	if (run.trouble)
		return EXIT_TROUBLE;
	/* Known findings (triaged false positives, too) get no mail. */
	baseline_mark(&bl, &run.fs);
	findings_keep(&run.fs, is_new, NULL);
	baseline_free(&bl);
	fixes = xcalloc(run.fs.n + 1, sizeof(*fixes));
	n = candidate_fixes(&run, fixes);
	for (i = 0; i < n; i++) {
		struct fix *fx = &fixes[i];
		char *patch, *why = NULL;
		const char *fail = NULL;

		fx->diff = patch_for(fx->rule, run.kdir, fx->first->file);
		if (!fx->diff || !*fx->diff) {
			fail = "no automatic fix";
		} else {
			patch = write_temp(fx->diff);
			if (!applies(run.kdir, patch, 1))
				fail = "the fix does not apply";
			else if (!quiet_after(fx, run.kdir))
				fail = "the rule still fires after the fix";
			temp_remove(patch);
			free(patch);
		}
		if (!fail) {
			fx->mail = compose(fx, run.kdir, opt->base, 1, 1);
			if (!checkpatch_clean(run.kdir, fx->mail, &why))
				fail = "checkpatch.pl rejects the fix";
		}
		if (fail) {
			warn("%s: [%s] %s(): %s, not written%s%s", fx->first->file,
			     fx->rule->id, fx->first->function, fail,
			     why && *why ? ":\n" : "", why ? why : "");
			unfixed = 1;
			free(fx->mail);
			fx->mail = NULL;
		} else {
			good++;
		}
		free(why);
	}
	for (i = 0; i < n; i++) {
		char *mail, *name;
		FILE *f;

		if (!fixes[i].mail)
			continue;
		mail = compose(&fixes[i], run.kdir, opt->base, ++written, good);
		name = mail_name(outdir, written, mail);
		f = fopen(name, "w");
		if (!f || fputs(mail, f) < 0 || fclose(f))
			die("cannot write %s: %s", name, strerror(errno));
		printf("%s\n", name);
		free(name);
		free(mail);
	}
	fprintf(stderr, "mmucheck: %zu finding%s, %zu fix%s written to %s\n",
		run.fs.n, run.fs.n == 1 ? "" : "s", good, good == 1 ? "" : "es",
		outdir);
	for (i = 0; i < n; i++) {
		free(fixes[i].diff);
		free(fixes[i].mail);
	}
	free(fixes);
	scan_run_free(&run);
	return unfixed ? EXIT_NEW_FINDINGS : 0;
}
