// SPDX-License-Identifier: GPL-2.0-only
/*
 * Findings: parsed from the semantic patches' report lines, then
 * de-duplicated, sorted, and given a fingerprint that survives line
 * shifts (rule, file, function and the normalised statement).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "findings.h"
#include "run.h"
#include "util.h"

static char *dup_range(const char *s, size_t n)
{
	char *d = xcalloc(1, n + 1);

	memcpy(d, s, n);
	return d;
}

static void push(struct findings *fs, const struct finding *f)
{
	if (fs->n == fs->cap) {
		fs->cap = fs->cap ? 2 * fs->cap : 16;
		fs->v = xrealloc(fs->v, fs->cap * sizeof(*fs->v));
	}
	fs->v[fs->n++] = *f;
}

/* A finding from another backend (the GCC plugin's facts). */
void findings_add(struct findings *fs, const char *rule, const char *file,
		  int line, int column, const char *function,
		  const char *message)
{
	struct finding f = { 0 };

	f.rule = xstrdup(rule);
	f.file = xstrdup(strncmp(file, "./", 2) ? file : file + 2);
	f.line = line;
	f.column = f.end_column = column;
	f.function = xstrdup(function);
	f.message = xstrdup(message);
	push(fs, &f);
}

/*
 * FILE:LINE:COL-END: WARNING: [MMU00N] MESSAGE (function FN)
 * Returns 1 when the line is a finding.
 */
int findings_parse_line(struct findings *fs, const char *line)
{
	const char *tag = strstr(line, ": WARNING: [MMU");
	const char *msg, *fn, *end;
	struct finding f = { 0 };
	char *loc;
	int n;

	if (!tag)
		return 0;
	fn = strstr(tag, " (function ");
	end = fn ? strchr(fn, ')') : NULL;
	if (!end)
		return 0;
	loc = dup_range(line, tag - line);
	/* The file name may hold ':'; the numbers are the last fields. */
	{
		char *c3 = strrchr(loc, ':'), *c2;

		if (!c3)
			goto bad;
		*c3 = '\0';
		c2 = strrchr(loc, ':');
		if (!c2)
			goto bad;
		*c2 = '\0';
		n = sscanf(c2 + 1, "%d", &f.line) + sscanf(c3 + 1, "%d-%d",
			   &f.column, &f.end_column);
		if (n < 2)
			goto bad;
	}
	f.file = xstrdup(strncmp(loc, "./", 2) ? loc : loc + 2);
	free(loc);
	tag += strlen(": WARNING: [");
	msg = strchr(tag, ']');
	f.rule = dup_range(tag, msg - tag);
	msg += 2;
	f.message = dup_range(msg, fn - msg);
	fn += strlen(" (function ");
	f.function = dup_range(fn, end - fn);
	push(fs, &f);
	return 1;
bad:
	free(loc);
	return 0;
}

void findings_parse_text(struct findings *fs, const char *text)
{
	const char *p = text;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		char *line = dup_range(p, nl ? (size_t)(nl - p) : strlen(p));

		findings_parse_line(fs, line);
		free(line);
		p = nl ? nl + 1 : NULL;
	}
}

static int compare(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;
	int c = strcmp(x->file, y->file);

	if (c)
		return c;
	if (x->line != y->line)
		return x->line - y->line;
	c = strcmp(x->rule, y->rule);
	return c ? c : x->column - y->column;
}

/*
 * The same rule on the same line: one finding, whichever backend (or
 * rule pattern) saw it, at whichever column it pointed to.
 */
static int same_place(const struct finding *x, const struct finding *y)
{
	return !strcmp(x->file, y->file) && x->line == y->line &&
	       !strcmp(x->rule, y->rule);
}

static void finding_free(struct finding *f)
{
	free(f->rule);
	free(f->file);
	free(f->function);
	free(f->message);
	free(f->statement);
}

/* Line LINE of TEXT with runs of white space made one space. */
static char *statement_at(const char *text, int line)
{
	const char *p;
	char *out, *o;
	int l = 1;

	if (!text)
		return xstrdup("");
	for (p = text; *p && l < line; p++)
		if (*p == '\n')
			l++;
	out = o = xcalloc(1, strcspn(p, "\n") + 1);
	for (; *p && *p != '\n'; p++) {
		if (*p == ' ' || *p == '\t') {
			if (o > out && o[-1] != ' ')
				*o++ = ' ';
		} else {
			*o++ = *p;
		}
	}
	while (o > out && o[-1] == ' ')
		o--;
	*o = '\0';
	return out;
}

static uint64_t fnv1a(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (h ^ 0xff) * 0x100000001b3ULL;	/* field separator */
}

/*
 * Sort, drop duplicates (the same rule at the same place), and compute
 * fingerprints.  Equal statements in one function are told apart by
 * their order, which line shifts do not change.
 */
void findings_finish(struct findings *fs, const char *kdir)
{
	size_t i, j, out = 0;
	char *text = NULL;	/* the file of the previous finding */

	qsort(fs->v, fs->n, sizeof(*fs->v), compare);
	for (i = 0; i < fs->n; i++) {
		if (out && same_place(&fs->v[out - 1], &fs->v[i])) {
			finding_free(&fs->v[i]);
			continue;
		}
		fs->v[out++] = fs->v[i];
	}
	fs->n = out;
	for (i = 0; i < fs->n; i++) {
		struct finding *f = &fs->v[i];
		uint64_t h = 0xcbf29ce484222325ULL;
		char nth[16];
		int k = 0;

		if (!i || strcmp(fs->v[i - 1].file, f->file)) {
			free(text);	/* sorted by file: each is read once */
			text = read_tree_file(kdir, f->file);
		}
		f->statement = statement_at(text, f->line);
		h = fnv1a(fnv1a(fnv1a(fnv1a(h, f->rule), f->file),
				f->function), f->statement);
		for (j = 0; j < i; j++)
			k += !strcmp(fs->v[j].rule, f->rule) &&
			     !strcmp(fs->v[j].file, f->file) &&
			     !strcmp(fs->v[j].function, f->function) &&
			     !strcmp(fs->v[j].statement, f->statement);
		snprintf(nth, sizeof(nth), "%d", k);
		h = fnv1a(h, nth);
		snprintf(f->fingerprint, sizeof(f->fingerprint), "%016llx",
			 (unsigned long long)h);
		f->is_new = 1;
	}
	free(text);
}

/* Keep the findings keep() accepts, in order. */
void findings_keep(struct findings *fs,
		   int (*keep)(const void *ctx, const struct finding *f),
		   const void *ctx)
{
	size_t i, out = 0;

	for (i = 0; i < fs->n; i++) {
		if (keep(ctx, &fs->v[i]))
			fs->v[out++] = fs->v[i];
		else
			finding_free(&fs->v[i]);
	}
	fs->n = out;
}

void findings_free(struct findings *fs)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		finding_free(&fs->v[i]);
	free(fs->v);
	fs->v = NULL;
	fs->n = fs->cap = 0;
}
