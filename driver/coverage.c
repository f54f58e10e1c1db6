// SPDX-License-Identifier: GPL-2.0-only
/*
 * Coverage: which files pass the rules' token queries (spatch's own
 * prefilter, read from --parse-cocci), and which definitions in them spatch
 * cannot parse.  spatch skips those silently; the summary makes it visible.
 */
#include <ctype.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "coverage.h"
#include "query.h"
#include "run.h"
#include "util.h"

void coverage_add(struct coverage *cov, const char *file)
{
	cov->files = xrealloc(cov->files, (cov->nfiles + 1) * sizeof(char *));
	cov->files[cov->nfiles++] = xstrdup(strncmp(file, "./", 2) ? file : file + 2);
}

/* Keep the files keep() accepts, in order. */
void coverage_keep(struct coverage *cov,
		   int (*keep)(const void *ctx, const char *file),
		   const void *ctx)
{
	size_t i, out = 0;

	for (i = 0; i < cov->nfiles; i++) {
		if (keep(ctx, cov->files[i]))
			cov->files[out++] = cov->files[i];
		else
			free(cov->files[i]);
	}
	cov->nfiles = out;
}

/*
 * Each rule's token query, asked of spatch once for the candidates and
 * the pieces; the rules of a scan are asked all at once, in parallel.
 */
static struct known_query {
	char *path, *query;
} *known;
static size_t nknown;

static struct known_query *known_query(const char *rule_path)
{
	size_t i;

	for (i = 0; i < nknown; i++)
		if (!strcmp(known[i].path, rule_path))
			return &known[i];
	return NULL;
}

static void ask_queries(const struct rule_info *rules, size_t nrules, int jobs)
{
	struct job *js = xcalloc(nrules + 1, sizeof(*js));
	size_t i, n = 0;

	for (i = 0; i < nrules; i++) {
		if (!rules[i].path || known_query(rules[i].path))
			continue;
		js[n].argv = query_argv(rules[i].path);
		js[n++].label = rules[i].path;
	}
	run_jobs(js, n, jobs, 0);
	known = xrealloc(known, (nknown + n + 1) * sizeof(*known));
	for (i = 0; i < n; i++) {
		char *out = read_file(js[i].out_path, NULL);

		if (job_failed(&js[i]) || !out)
			die("spatch cannot parse %s", js[i].label);
		known[nknown].path = xstrdup(js[i].label);
		known[nknown++].query = query_from_output(out);
		free(out);
		job_cleanup(&js[i]);
	}
	free(js);
}

static const char *rule_query(const char *rule_path)
{
	struct rule_info one = { .path = (char *)rule_path };

	if (!known_query(rule_path))
		ask_queries(&one, 1, 1);
	return known_query(rule_path)->query;
}

/* Add the words of the rule's query to REGEX: the candidates hold one. */
static void append_grep_query(char **regex, const char *rule_path)
{
	const char *query = rule_query(rule_path);
	char *q, *r;

	if (!query)
		return;
	q = query_regex(query);
	r = xasprintf("%s%s%s", *regex ? *regex : "", *regex ? "|" : "", q);
	free(*regex);
	free(q);
	*regex = r;
}

/* The index of FILE among the candidates, or -1. */
long coverage_index(const struct coverage *cov, const char *file)
{
	size_t i;

	if (!strncmp(file, "./", 2))
		file += 2;
	for (i = 0; i < cov->nfiles; i++)
		if (!strcmp(cov->files[i], file))
			return i;
	return -1;
}

/*
 * Which candidates pass the token query of the rule at RULE_PATH, as
 * spatch's own filter would: a mask over cov->files.  The scan splits
 * each rule's files into jobs by size, so both CPUs stay busy to the end.
 * A file that cannot be read is kept: spatch names it.
 */
char *coverage_rule_files(const struct coverage *cov, const char *kdir,
			  const char *rule_path)
{
	const char *query = rule_query(rule_path);
	char *mask = xcalloc(cov->nfiles + 1, 1);
	size_t i, len;

	for (i = 0; i < cov->nfiles; i++) {
		char *path = xasprintf("%s/%s", kdir, cov->files[i]);
		char *text = query ? read_file(path, &len) : NULL;

		mask[i] = !text || query_matches(query, text, len);
		free(text);
		free(path);
	}
	return mask;
}

/*
 * grep's complaints ("grep: ./mm/x.c: Permission denied"): every file or
 * directory it could not read is named; any other failure stops the scan.
 */
static void grep_errors(struct coverage *cov, const char *err)
{
	const char *p;

	for (p = err; p && *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] != 0)) {
		size_t n = strcspn(p, "\n");
		char *line = strndup(p, n), *colon = strrchr(line, ':');

		if (strncmp(line, "grep: ", 6) || !colon || colon == line + 5)
			die("grep failed over the tree: %s", line);
		*colon = '\0';
		coverage_partial(cov, line + 6, "", colon + 2);
		free(line);
	}
}

/*
 * The tree's .c and .h files (what grep -r --include would read: regular
 * files, links not followed), in pieces of about equal size, so that
 * several greps share the 1.3 GB of a whole tree.  A directory that
 * cannot be read is named, as grep would.
 */
#define GREP_PIECE_FILES	4096	/* keeps each argv far below ARG_MAX */

struct tree_walk {
	struct coverage *cov;
	size_t root_len;
	char **file;
	off_t *size;
	size_t n;
	off_t bytes;
};

static struct tree_walk *walking;

static int walk_one(const char *path, const struct stat *st, int type,
		    struct FTW *ftw)
{
	struct tree_walk *w = walking;
	const char *rel = path + w->root_len + 1, *dot = strrchr(path, '.');

	(void)ftw;
	if (type == FTW_DNR) {
		coverage_partial(w->cov, rel, "", strerror(EACCES));
		return 0;
	}
	if (type != FTW_F || !S_ISREG(st->st_mode) || !dot ||
	    (strcmp(dot, ".c") && strcmp(dot, ".h")))
		return 0;
	w->file = xrealloc(w->file, (w->n + 1) * sizeof(*w->file));
	w->size = xrealloc(w->size, (w->n + 1) * sizeof(*w->size));
	w->file[w->n] = xstrdup(rel);
	w->size[w->n++] = st->st_size;
	w->bytes += st->st_size;
	return 0;
}

static struct job *grep_jobs(struct coverage *cov, const char *kdir,
			     const char *regex, int jobs, size_t *njobs)
{
	struct tree_walk w = { .cov = cov, .root_len = strlen(kdir) };
	struct job *js = NULL;
	off_t piece, sum = 0;
	size_t i, from = 0;

	walking = &w;
	if (nftw(kdir, walk_one, 64, FTW_PHYS))
		die("cannot walk %s: %s", kdir, strerror(errno));
	piece = w.bytes / (jobs > 0 ? jobs : 1) + 1;
	*njobs = 0;
	for (i = 0; i <= w.n; i++) {
		if (i < w.n && sum < piece && i - from < GREP_PIECE_FILES) {
			sum += w.size[i];
			continue;
		}
		if (i > from) {
			struct job *job;
			size_t f;

			js = xrealloc(js, (*njobs + 1) * sizeof(*js));
			job = &js[(*njobs)++];
			*job = (struct job){ .cwd = kdir, .label = "grep" };
			/*
			 * A rule without a token query opens every file.
			 * The C locale: identifiers are ASCII, and grep -w
			 * reads bytes about 1.7 times faster than UTF-8
			 * (a non-ASCII byte beside a token only adds a file).
			 */
			job->argv = argv_new("env", "LC_ALL=C", "grep", "-lZwE",
					     "-e", regex ? regex : "", "--", NULL);
			for (f = from; f < i; f++)
				argv_push(&job->argv, w.file[f]);
		}
		from = i;
		sum = i < w.n ? w.size[i] : 0;
	}
	for (i = 0; i < w.n; i++)
		free(w.file[i]);
	free(w.file);
	free(w.size);
	return js;
}

void coverage_candidates(struct coverage *cov, const char *kdir,
			 const struct rule_info *rules, size_t nrules, int jobs)
{
	char *regex = NULL, *out, *err, *p;
	struct job *js;
	size_t i, j, len, n;

	ask_queries(rules, nrules, jobs);
	for (i = 0; i < nrules; i++)
		if (rules[i].path)	/* a plugin-only rule reads no file */
			append_grep_query(&regex, rules[i].path);
	if (!regex) {
		for (i = 0; i < nrules && !rules[i].path; i++)
			;
		if (i == nrules)
			return;		/* no semantic patch: no candidates */
	}
	js = grep_jobs(cov, kdir, regex, jobs, &n);
	run_jobs(js, n, jobs, 0);
	for (j = 0; j < n; j++) {
		struct job *job = &js[j];

		out = read_file(job->out_path, &len);
		err = read_file(job->err_path, NULL);
		/* Exit 1: no file matches; 2: some could not be read, or worse. */
		if (job->timed_out || !WIFEXITED(job->status) ||
		    WEXITSTATUS(job->status) > 2 ||
		    (WEXITSTATUS(job->status) == 2 && !(err && *err)))
			die("grep failed over the tree %s", kdir);
		grep_errors(cov, err);
		/* -Z: names end with NUL, so a newline in a name is kept. */
		for (p = out; p && p < out + len; p += strlen(p) + 1)
			coverage_add(cov, p);
		job_cleanup(job);
		free(out);
		free(err);
	}
	free(js);
	free(regex);
}

struct sized_file {
	size_t index;		/* in the candidate list */
	off_t size;
	const char *name;
};

/* Largest first; equal sizes by name, so every machine splits alike. */
static int larger_first(const void *a, const void *b)
{
	const struct sized_file *x = a, *y = b;

	if (x->size != y->size)
		return x->size < y->size ? 1 : -1;
	return strcmp(x->name, y->name);
}

/*
 * scan --shard I/N: keep the candidates of shard I of N.  The split is
 * by file and balanced by size: largest first, each file into the shard
 * with the fewest bytes so far (the lowest on a tie).  It depends only
 * on the names and sizes, so the N machines of a CI matrix agree.
 */
void coverage_shard(struct coverage *cov, const char *kdir, int index,
		    int count)
{
	struct sized_file *v = xcalloc(cov->nfiles + 1, sizeof(*v));
	off_t *load = xcalloc(count, sizeof(*load));
	char *mine = xcalloc(cov->nfiles + 1, 1);
	size_t i, out = 0;
	int b, best;

	for (i = 0; i < cov->nfiles; i++) {
		char *path = xasprintf("%s/%s", kdir, cov->files[i]);
		struct stat st;

		v[i] = (struct sized_file){ i, stat(path, &st) ? 0 : st.st_size,
					    cov->files[i] };
		free(path);
	}
	qsort(v, cov->nfiles, sizeof(*v), larger_first);
	for (i = 0; i < cov->nfiles; i++) {
		for (b = 1, best = 0; b < count; b++)
			if (load[b] < load[best])
				best = b;
		load[best] += v[i].size;
		mine[v[i].index] = best == index - 1;
	}
	for (i = 0; i < cov->nfiles; i++) {
		if (mine[i])
			cov->files[out++] = cov->files[i];
		else
			free(cov->files[i]);
	}
	cov->nfiles = out;
	free(mine);
	free(load);
	free(v);
}

/*
 * The name of the definition around LINE: the last line before it that
 * starts in column 0 with an identifier, up to its '(' (kernel style).
 */
static char *enclosing_definition(const char *kdir, const char *file, int line)
{
	char *text = read_tree_file(kdir, file), *p, *head = NULL, *name;
	int l = 1;
	size_t n;

	for (p = text; p && *p && l <= line; p += strcspn(p, "\n") + 1, l++) {
		if (isalpha((unsigned char)*p) || *p == '_')
			head = p;
		if (!p[strcspn(p, "\n")])
			break;
	}
	if (!head) {
		free(text);
		return xstrdup("?");
	}
	n = strcspn(head, "(\n=;");
	while (n && !(isalnum((unsigned char)head[n - 1]) || head[n - 1] == '_'))
		n--;
	p = head + n;
	while (p > head && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
		p--;
	name = strndup(p, head + n - p);
	free(text);
	return name;
}

/* Count the " = File "F", line N," lines of spatch --parse-c, per file. */
static size_t count_bad(const char *out, const char *kdir, const char *file,
			int verbose)
{
	const char *p;
	int line, last = -1;
	size_t n = 0;

	for (p = strstr(out, " = File \""); p; p = strstr(p + 1, " = File \"")) {
		const char *l = strstr(p, "\", line ");

		if (!l || sscanf(l + 8, "%d", &line) != 1 || line == last)
			continue;
		last = line;
		n++;
		if (verbose) {
			char *def = enclosing_definition(kdir, file, line);

			fprintf(stderr, "mmucheck: %s:%d: not parsed by spatch, skipped: %s\n",
				file, line, def);
			free(def);
		}
	}
	return n;
}

/*
 * Count the unparsable definitions of candidate AT from spatch's own
 * parse messages (--parse-c, or a rule run's --verbose-parsing: the
 * same parser, the same lines), once per file.
 */
void coverage_count_text(struct coverage *cov, const char *kdir, size_t at,
			 const char *text, int verbose)
{
	if (!cov->counted)
		cov->counted = xcalloc(cov->nfiles + 1, 1);
	if (cov->counted[at])
		return;
	cov->counted[at] = 1;
	cov->nskipped += count_bad(text, kdir, cov->files[at], verbose);
}

/* Candidate AT passed a rule's own token filter: spatch parsed it. */
void coverage_opened(struct coverage *cov, size_t at)
{
	if (!cov->opened)
		cov->opened = xcalloc(cov->nfiles + 1, 1);
	cov->opened[at] = 1;
}

/*
 * The files no rule run counted: spatch --parse-c for each.  With
 * OPENED_ONLY, only those a rule parsed but gave up on: a file every
 * rule's token filter passed over holds nothing the rules could match,
 * so what spatch cannot parse in it hides no finding.
 */
void coverage_count_unparsed(struct coverage *cov, const char *kdir,
			     int jobs, int verbose, int opened_only)
{
	struct job *js = xcalloc(cov->nfiles + 1, sizeof(*js));
	size_t *at = xcalloc(cov->nfiles + 1, sizeof(*at));
	size_t i, n = 0;

	for (i = 0; i < cov->nfiles; i++) {
		if (cov->counted && cov->counted[i])
			continue;
		if (opened_only && !(cov->opened && cov->opened[i]))
			continue;
		js[n].argv = argv_new("spatch", "--parse-c", "--no-includes",
				      cov->files[i], NULL);
		js[n].cwd = kdir;
		js[n].label = cov->files[i];
		at[n++] = i;
	}
	run_jobs(js, n, jobs, 0);
	for (i = 0; i < n; i++) {
		char *out = read_file(js[i].out_path, NULL);
		char *err = read_file(js[i].err_path, NULL);
		char *both = xasprintf("%s%s", out ? out : "", err ? err : "");

		coverage_count_text(cov, kdir, at[i], both, verbose);
		free(both);
		free(out);
		free(err);
		job_cleanup(&js[i]);
	}
	free(at);
	free(js);
}

/* Record (once per file and rule) and name a file not fully analysed. */
void coverage_partial(struct coverage *cov, const char *file,
		      const char *rule, const char *reason)
{
	struct not_analysed *na;
	size_t i;

	char *name;

	if (!strncmp(file, "./", 2))
		file += 2;
	/* Only named here and in the report: JSON needs UTF-8. */
	name = utf8_valid(file) ? xstrdup(file) : utf8_clean(file);
	for (i = 0; i < cov->npartial; i++)
		if (!strcmp(cov->partial[i].file, file) &&
		    !strcmp(cov->partial[i].rule, rule)) {
			free(name);
			return;
		}
	warn("%s: not analysed%s%s: %s", name, *rule ? " by " : "", rule,
	     reason);
	cov->partial = xrealloc(cov->partial,
				(cov->npartial + 1) * sizeof(*cov->partial));
	na = &cov->partial[cov->npartial++];
	na->file = name;
	na->rule = xstrdup(rule);
	na->reason = xstrdup(reason);
}

void coverage_free(struct coverage *cov)
{
	size_t i;

	for (i = 0; i < cov->nfiles; i++)
		free(cov->files[i]);
	for (i = 0; i < cov->npartial; i++) {
		free(cov->partial[i].file);
		free(cov->partial[i].rule);
		free(cov->partial[i].reason);
	}
	free(cov->partial);
	free(cov->files);
	free(cov->counted);
	cov->counted = NULL;
	free(cov->opened);
	cov->opened = NULL;
	cov->files = NULL;
	cov->partial = NULL;
	cov->nfiles = cov->nskipped = cov->npartial = 0;
}
