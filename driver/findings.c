// SPDX-License-Identifier: GPL-2.0-only
/*
 * Findings: parsed from the semantic patches' report lines, then
 * de-duplicated, sorted, and given a fingerprint that survives line
 * shifts (rule, file, function and the normalised statement).
 */
#include <limits.h>
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
	/* "[MMUnnn] " must close before the function part. */
	msg = strchr(tag, ']');
	if (!end || !msg || msg + 2 > fn)
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

/* A finding read back from a report (merge): every field set, owned. */
void findings_append(struct findings *fs, const struct finding *f)
{
	push(fs, f);
}

/* No findings leave v NULL, and qsort(NULL, 0, ...) is undefined. */
static void sort_findings(struct findings *fs)
{
	if (fs->n)
		qsort(fs->v, fs->n, sizeof(*fs->v), compare);
}

/* Sorted, the same rule at the same place once: as finish() leaves them. */
void findings_sort_unique(struct findings *fs)
{
	size_t i, out = 0;

	sort_findings(fs);
	for (i = 0; i < fs->n; i++) {
		if (out && same_place(&fs->v[out - 1], &fs->v[i]))
			finding_free(&fs->v[i]);
		else
			fs->v[out++] = fs->v[i];
	}
	fs->n = out;
}

/*
 * The length of the valid UTF-8 sequence at p (at most left bytes), or 0:
 * no overlong forms, surrogates or code points past U+10FFFF.
 */
static size_t utf8_seq(const unsigned char *p, size_t left)
{
	size_t n, i;
	unsigned int c;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, c = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, c = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, c = p[0] & 0x07;
	else
		return 0;
	if (n > left)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (n == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	return n;
}

int utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s), n;

	for (; left; p += n, left -= n) {
		n = utf8_seq(p, left);
		if (!n)
			return 0;
	}
	return 1;
}

#define REPLACEMENT "\xef\xbf\xbd"	/* U+FFFD */

/*
 * N bytes of S as valid UTF-8 (JSON must be), white space runs (CR, tab,
 * form feed included) made one space and trimmed; a NUL or an invalid
 * byte becomes U+FFFD.  So a CRLF copy fingerprints as the LF one.
 */
static char *clean_text(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	char *out = xcalloc(1, 3 * n + 1), *o = out;
	size_t k;

	while (p < end) {
		k = *p ? utf8_seq(p, end - p) : 0;
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\v' ||
		    *p == '\f') {
			if (o > out && o[-1] != ' ')
				*o++ = ' ';
			p++;
		} else if (k) {
			memcpy(o, p, k);
			o += k;
			p += k;
		} else {
			memcpy(o, REPLACEMENT, 3);
			o += 3;
			p++;
		}
	}
	while (o > out && o[-1] == ' ')
		o--;
	*o = '\0';
	return out;
}

char *utf8_clean(const char *s)
{
	return clean_text(s, strlen(s));
}

/* Line LINE of TEXT (LEN bytes, NULs included) as clean_text() makes it. */
static char *statement_at(const char *text, size_t len, int line)
{
	const char *p = text, *end = text + len, *nl;
	int l = 1;

	if (!text)
		return xstrdup("");
	while (l < line && (nl = memchr(p, '\n', end - p))) {
		p = nl + 1;
		l++;
	}
	if (l < line)
		return xstrdup("");
	nl = memchr(p, '\n', end - p);
	return clean_text(p, (nl ? nl : end) - p);
}

/*
 * Whether FILE (as spatch or a facts file named it) is a file of the tree
 * at KDIR: relative, no "..", and not a symlink out of the tree.  A file
 * that does not exist is harmless: nothing is read.
 */
static int inside_tree(const char *kdir, const char *file)
{
	char real_tree[PATH_MAX], real[PATH_MAX], *path;
	const char *p;
	size_t n;
	int ok = 1;

	if (file[0] == '/' || !*file)
		return 0;
	for (p = file; p; p = strchr(p, '/') ? strchr(p, '/') + 1 : NULL)
		if (!strncmp(p, "..", 2) && (p[2] == '/' || !p[2]))
			return 0;
	if (!realpath(kdir, real_tree))
		return 0;
	path = xasprintf("%s/%s", kdir, file);
	if (realpath(path, real)) {
		n = strlen(real_tree);
		ok = !strncmp(real, real_tree, n) && real[n] == '/';
	}
	free(path);
	return ok;
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
static void finish(struct findings *fs, const char *kdir, const char *only)
{
	size_t i, j, out = 0, len = 0;
	char *text = NULL;	/* the file of the previous finding */

	sort_findings(fs);
	for (i = 0; i < fs->n; i++) {
		struct finding *f = &fs->v[i];

		if (out && same_place(&fs->v[out - 1], f)) {
			finding_free(f);
			continue;
		}
		/* Never read (or report) a file outside what was scanned. */
		if (only ? strcmp(f->file, only) : !inside_tree(kdir, f->file)) {
			warn("%s: not a file of %s, %s finding dropped", f->file,
			     only ? only : kdir, f->rule);
			finding_free(f);
			continue;
		}
		fs->v[out++] = *f;
	}
	fs->n = out;
	for (i = 0; i < fs->n; i++) {
		struct finding *f = &fs->v[i];
		uint64_t h = 0xcbf29ce484222325ULL;
		char nth[16];
		int k = 0;

		if (!i || strcmp(fs->v[i - 1].file, f->file)) {
			char *path = only ? xstrdup(only) :
				     xasprintf("%s/%s", kdir, f->file);

			free(text);	/* sorted by file: each is read once */
			text = read_file(path, &len);
			free(path);
		}
		f->statement = statement_at(text, len, f->line);
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

/* Spatch's text may hold any byte; JSON needs UTF-8. */
static void clean_finding(struct finding *f)
{
	char *m = utf8_clean(f->message), *fn = utf8_clean(f->function);

	free(f->message);
	free(f->function);
	f->message = m;
	f->function = fn;
}

void findings_finish(struct findings *fs, const char *kdir)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		clean_finding(&fs->v[i]);
	finish(fs, kdir, NULL);
}

/* The check slot: findings of FILE alone, whatever directory it is in. */
void findings_finish_file(struct findings *fs, const char *file)
{
	size_t i;

	if (!strncmp(file, "./", 2))
		file += 2;
	for (i = 0; i < fs->n; i++)
		clean_finding(&fs->v[i]);
	finish(fs, NULL, file);
}

/*
 * File names as JSON can carry them (U+FFFD for bytes that are not
 * UTF-8), once nothing needs to open them any more.
 */
void findings_clean_names(struct findings *fs)
{
	size_t i;

	for (i = 0; i < fs->n; i++) {
		char *c = utf8_valid(fs->v[i].file) ? NULL :
			  utf8_clean(fs->v[i].file);

		if (c) {
			free(fs->v[i].file);
			fs->v[i].file = c;
		}
	}
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
