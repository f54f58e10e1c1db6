// SPDX-License-Identifier: GPL-2.0-only
/*
 * A rule's token query: the formula over identifiers that spatch derives
 * from a semantic patch ("((a|b)&c)|d", the form --use-idutils prints)
 * and tests against each file's words before it parses the file.  The
 * driver evaluates the same formula itself, so it hands spatch exactly
 * the files spatch would open, and the rules can skip their own token
 * match (-D prefiltered).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "run.h"
#include "util.h"

static int is_word_char(int c)
{
	return isalnum(c) || c == '_';
}

/* spatch --parse-cocci --use-idutils prints the rule's token query... */
char **query_argv(const char *rule_path)
{
	return argv_new("spatch", "--parse-cocci", rule_path, "--use-idutils",
			NULL);
}

/* ...on the line after "Idutils query" (none: "No idutils query"). */
char *query_from_output(const char *out)
{
	const char *q = out ? strstr(out, "Idutils query\n") : NULL;

	if (!q)
		return NULL;
	q += strlen("Idutils query\n");
	return strndup(q, strcspn(q, "\n"));
}

/*
 * Words a file must hold one of to pass the query, as an extended regex
 * "a|b|c" for grep -w: every word of a disjunction, and of a conjunction
 * only its first operand's (the other may be as common as "long").
 */
static void regex_or(const char **p, char **o, int keep);

static void regex_atom(const char **p, char **o, int keep)
{
	if (**p == '(') {
		(*p)++;
		regex_or(p, o, keep);
		if (**p == ')')
			(*p)++;
		return;
	}
	for (; is_word_char((unsigned char)**p); (*p)++)
		if (keep)
			*(*o)++ = **p;
	if (keep)
		*(*o)++ = '|';
}

static void regex_and(const char **p, char **o, int keep)
{
	regex_atom(p, o, keep);
	while (**p == '&') {
		(*p)++;
		regex_atom(p, o, 0);
	}
}

static void regex_or(const char **p, char **o, int keep)
{
	regex_and(p, o, keep);
	while (**p == '|') {
		(*p)++;
		regex_and(p, o, keep);
	}
}

char *query_regex(const char *query)
{
	char *regex = xcalloc(strlen(query) + 2, 1), *o = regex;

	regex_or(&query, &o, 1);
	if (o > regex)
		o[-1] = '\0';
	return regex;
}

/* A query's distinct words, sorted, for bsearch. */
struct query_words {
	char **word;
	size_t n;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void words_of(const char *query, struct query_words *qw)
{
	const char *p = query;
	size_t i, out = 0;

	qw->word = NULL;
	qw->n = 0;
	while (*p) {
		size_t n = 0;

		while (is_word_char((unsigned char)p[n]))
			n++;
		if (n) {
			qw->word = xrealloc(qw->word, (qw->n + 1) * sizeof(char *));
			qw->word[qw->n++] = strndup(p, n);
		}
		p += n ? n : 1;
	}
	if (qw->n)
		qsort(qw->word, qw->n, sizeof(char *), by_name);
	for (i = 0; i < qw->n; i++) {
		if (out && !strcmp(qw->word[out - 1], qw->word[i]))
			free(qw->word[i]);
		else
			qw->word[out++] = qw->word[i];
	}
	qw->n = out;
}

static long word_index(const struct query_words *qw, const char *w, size_t n)
{
	size_t lo = 0, hi = qw->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strncmp(qw->word[mid], w, n);

		if (!c && qw->word[mid][n])
			c = 1;
		if (!c)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/*
 * The formula over the query words a file holds.  Words are found as
 * spatch's coccigrep finds them: whole words anywhere, comments included.
 */
struct eval {
	const char *p;		/* in the query */
	const struct query_words *qw;
	const unsigned char *held;	/* per word of qw */
};

static int eval_or(struct eval *e);

static int eval_atom(struct eval *e)
{
	const char *w = e->p;
	long at;
	int v;

	if (*e->p == '(') {
		e->p++;
		v = eval_or(e);
		if (*e->p == ')')
			e->p++;
		return v;
	}
	while (is_word_char((unsigned char)*e->p))
		e->p++;
	at = word_index(e->qw, w, e->p - w);
	return at >= 0 && e->held[at];
}

static int eval_and(struct eval *e)
{
	int v = eval_atom(e);

	while (*e->p == '&') {
		e->p++;
		v &= eval_atom(e);
	}
	return v;
}

static int eval_or(struct eval *e)
{
	int v = eval_and(e);

	while (*e->p == '|') {
		e->p++;
		v |= eval_and(e);
	}
	return v;
}

int query_matches(const char *query, const char *text, size_t len)
{
	struct query_words qw;
	struct eval e = { .p = query, .qw = &qw };
	unsigned char *held;
	size_t i = 0, n;
	int v;

	words_of(query, &qw);
	held = xcalloc(qw.n + 1, 1);
	while (i < len) {
		for (n = 0; i + n < len && is_word_char((unsigned char)text[i + n]); n++)
			;
		if (n) {
			long at = word_index(&qw, text + i, n);

			if (at >= 0)
				held[at] = 1;
		}
		i += n ? n : 1;
	}
	e.held = held;
	v = eval_or(&e);
	for (i = 0; i < qw.n; i++)
		free(qw.word[i]);
	free(qw.word);
	free(held);
	return v;
}
