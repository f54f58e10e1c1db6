// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a branch changed: the files and lines from git, the functions
 * around them from spatch's own parser, and for MMU001 their callers and
 * callees in the same files (a bracket may be opened one call up).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "git.h"
#include "gitbase.h"
#include "run.h"
#include "scan.h"
#include "util.h"

/* Prints "name first last" for every function definition. */
static const char functions_cocci[] =
	"@fn@\nidentifier f;\nposition p;\n@@\nf@p(...) { ... }\n\n"
	"@script:python@\nf << fn.f;\np << fn.p;\n@@\n"
	"print(\"%s %s %s\" % (f, p[0].current_element_line,"
	" p[0].current_element_line_end))\n";

static void check_revision(const char *kdir, const char *rev)
{
	char *spec = xasprintf("%s^{commit}", rev), *out, *err;

	if (git_run(kdir, argv_new("rev-parse", "--verify", spec, NULL),
		    &out, &err))
		die("--base %s: not a known revision of the git repository %s (git: %s)",
		    rev, kdir, err);
	free(out);
	free(err);
	free(spec);
}

/* Collect the new-side line ranges of "@@ -a,b +c,d @@" hunk headers. */
static void parse_hunks(struct changed_file *cf, const char *diff)
{
	const char *p;

	for (p = strstr(diff, "\n@@ -"); p; p = strstr(p + 1, "\n@@ -")) {
		int start, count = 1;
		const char *plus = strstr(p, " +");

		if (!plus || sscanf(plus + 2, "%d,%d", &start, &count) < 1)
			continue;
		cf->lines = xrealloc(cf->lines, (cf->nlines + 2) * sizeof(int));
		cf->lines[cf->nlines++] = start;
		/* A pure deletion changes the function around its place. */
		cf->lines[cf->nlines++] = start + (count ? count - 1 : 0);
	}
}

/*
 * "git diff REV" refreshes the index and writes it back even with
 * --no-optional-locks (git 2.39): let it refresh a copy instead, so the
 * user's .git/index is never written.  Returns the copy, or NULL.
 */
static char *private_index(const char *kdir)
{
	char *out = git_out(kdir, argv_new("rev-parse", "--path-format=absolute",
					   "--git-path", "index", NULL), "rev-parse");
	char *copy, *text;
	size_t len;
	FILE *f;

	out[strcspn(out, "\n")] = '\0';
	text = read_file(out, &len);
	free(out);
	if (!text)
		return NULL;	/* no index yet: nothing to protect */
	copy = temp_path();
	f = fopen(copy, "wb");
	if (!f || fwrite(text, 1, len, f) != len || fclose(f))
		die("cannot copy the git index to %s", copy);
	free(text);
	setenv("GIT_INDEX_FILE", copy, 1);
	return copy;
}

void change_set_load(struct change_set *cs, const char *kdir, const char *rev)
{
	char *names, *p, *index;

	check_revision(kdir, rev);
	index = private_index(kdir);
	names = git_out(kdir, argv_new("diff", "--merge-base", rev,
				       "--name-only", "-z", "--diff-filter=ACMR",
				       "--", "*.c", "*.h", NULL), "diff");
	for (p = names; *p; p += strlen(p) + 1) {
		struct changed_file *cf;

		cs->files = xrealloc(cs->files, (cs->n + 1) * sizeof(*cs->files));
		cf = &cs->files[cs->n++];
		memset(cf, 0, sizeof(*cf));
		cf->path = xstrdup(p);
		{
			char *diff = git_out(kdir, argv_new("diff", "--merge-base",
					     rev, "-U0", "--", p, NULL), "diff");

			parse_hunks(cf, diff);
			free(diff);
		}
	}
	free(names);
	if (index) {
		unsetenv("GIT_INDEX_FILE");
		temp_remove(index);
		free(index);
	}
}

static int calls(const char *body, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = strstr(body, name); p; p = strstr(p + 1, name)) {
		const char *q = p + n;

		if (p > body && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
			continue;
		while (*q == ' ')
			q++;
		if (*q == '(')
			return 1;
	}
	return 0;
}

static char *lines_of(const char *text, int first, int last)
{
	const char *s = text, *e;
	int l = 1;

	while (*s && l < first)
		if (*s++ == '\n')
			l++;
	for (e = s; *e && l <= last; e++)
		if (*e == '\n')
			l++;
	{
		char *out = xcalloc(1, e - s + 1);

		memcpy(out, s, e - s);
		return out;
	}
}

static void mark_functions(struct changed_file *cf, const char *text)
{
	char **body = xcalloc(cf->nfns + 1, sizeof(*body));
	size_t i, j, k;

	for (i = 0; i < cf->nfns; i++) {
		struct function_span *fn = &cf->fns[i];

		body[i] = lines_of(text, fn->first, fn->last);
		for (k = 0; k < cf->nlines; k += 2)
			if (cf->lines[k] <= fn->last && cf->lines[k + 1] >= fn->first)
				fn->changed = 1;
	}
	for (i = 0; i < cf->nfns; i++) {
		if (!cf->fns[i].changed)
			continue;
		for (j = 0; j < cf->nfns; j++)
			if (calls(body[i], cf->fns[j].name) ||
			    calls(body[j], cf->fns[i].name))
				cf->fns[j].related = 1;
	}
	for (i = 0; i < cf->nfns; i++)
		free(body[i]);
	free(body);
}

static void parse_functions(struct changed_file *cf, const char *out)
{
	const char *p = out;
	char name[256];
	int first, last, used;

	while (p && sscanf(p, "%255s %d %d%n", name, &first, &last, &used) == 3) {
		cf->fns = xrealloc(cf->fns, (cf->nfns + 1) * sizeof(*cf->fns));
		cf->fns[cf->nfns++] = (struct function_span){
			.name = xstrdup(name), .first = first, .last = last };
		p += used;
	}
}

/* Find the functions of every changed file, one spatch per file. */
void change_set_functions(struct change_set *cs, const char *kdir, int jobs)
{
	struct job *js = xcalloc(cs->n + 1, sizeof(*js));
	char *cocci = temp_path();
	FILE *f = fopen(cocci, "w");
	size_t i;

	if (!f || fputs(functions_cocci, f) < 0 || fclose(f))
		die("cannot write %s", cocci);
	for (i = 0; i < cs->n; i++) {
		js[i].argv = argv_new("spatch", "--very-quiet", "--no-includes",
				      "--cocci-file", cocci,
				      safe_name(kdir, cs->files[i].path), NULL);
		js[i].cwd = kdir;
		js[i].label = cs->files[i].path;
	}
	if (run_jobs(js, cs->n, jobs, 0))
		for (i = 0; i < cs->n; i++)
			if (job_failed(&js[i]))
				die("spatch could not list the functions of %s",
				    cs->files[i].path);
	for (i = 0; i < cs->n; i++) {
		char *out = read_file(js[i].out_path, NULL);
		char *text = read_tree_file(kdir, cs->files[i].path);

		parse_functions(&cs->files[i], out);
		if (text)
			mark_functions(&cs->files[i], text);
		free(out);
		free(text);
		job_cleanup(&js[i]);
	}
	temp_remove(cocci);
	free(cocci);
	free(js);
}

int change_set_keeps(const struct change_set *cs, const struct finding *f)
{
	size_t i, j;

	for (i = 0; i < cs->n; i++) {
		const struct changed_file *cf = &cs->files[i];

		if (strcmp(cf->path, f->file))
			continue;
		for (j = 0; j < cf->nfns; j++)
			if (!strcmp(cf->fns[j].name, f->function) &&
			    (cf->fns[j].changed ||
			     (cf->fns[j].related && !strcmp(f->rule, "MMU001"))))
				return 1;
	}
	return 0;
}

void change_set_free(struct change_set *cs)
{
	size_t i, j;

	for (i = 0; i < cs->n; i++) {
		for (j = 0; j < cs->files[i].nfns; j++)
			free(cs->files[i].fns[j].name);
		free(cs->files[i].fns);
		free(cs->files[i].lines);
		free(cs->files[i].path);
	}
	free(cs->files);
	cs->files = NULL;
	cs->n = 0;
}
