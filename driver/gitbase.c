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

#include "gitbase.h"
#include "run.h"
#include "util.h"

/* Prints "name first last" for every function definition. */
static const char functions_cocci[] =
	"@fn@\nidentifier f;\nposition p;\n@@\nf@p(...) { ... }\n\n"
	"@script:python@\nf << fn.f;\np << fn.p;\n@@\n"
	"print(\"%s %s %s\" % (f, p[0].current_element_line,"
	" p[0].current_element_line_end))\n";

static char *git_out(const char *kdir, char **argv, const char *what)
{
	char *out = NULL;
	char **full = argv_new("git", "-C", kdir, NULL);
	size_t i;

	for (i = 0; argv[i]; i++)
		argv_push(&full, argv[i]);
	if (run_capture(full, NULL, &out))
		die("git %s failed in %s", what, kdir);
	argv_free(full);
	argv_free(argv);
	return out;
}

static void check_revision(const char *kdir, const char *rev)
{
	char *spec = xasprintf("%s^{commit}", rev);
	char **argv = argv_new("git", "-C", kdir, "rev-parse", "--verify",
			       "--quiet", spec, NULL);

	if (access(kdir, F_OK) || run_capture(argv, NULL, NULL))
		die("--base %s: not a known revision of the git repository %s",
		    rev, kdir);
	argv_free(argv);
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

void change_set_load(struct change_set *cs, const char *kdir, const char *rev)
{
	char *names, *p;

	check_revision(kdir, rev);
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
				      "--cocci-file", cocci, cs->files[i].path,
				      NULL);
		js[i].cwd = kdir;
		js[i].label = cs->files[i].path;
	}
	if (run_jobs(js, cs->n, jobs, 0))
		die("spatch could not list the functions of the changed files");
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
	unlink(cocci);
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
