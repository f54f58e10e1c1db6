// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmucheck merge: the JSON reports of the shards of one scan (scan
 * --shard I/N on a CI matrix) as one report, the baseline applied once
 * and the exit status of the whole scan.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "findings.h"
#include "report.h"
#include "rules.h"
#include "util.h"
#include "version.h"

/* One shard's report, as read. */
struct part {
	const char *path;
	json_t *root;
	int index, count;	/* shard I/N; 1/1 for an unsharded report */
};

static const char *str(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* A field of the report's "scan" object (kernel, revision, shard). */
static const char *scan_str(const struct part *p, const char *key)
{
	return str(json_object_get(p->root, "scan"), key);
}

/* "I/N" of a report, or 1/1 when it names none. */
static void read_shard(struct part *p)
{
	const char *s = scan_str(p, "shard");
	char tail;

	p->index = p->count = 1;
	if (s && (sscanf(s, "%d/%d%c", &p->index, &p->count, &tail) != 2 ||
		  p->index < 1 || p->index > p->count))
		die("%s: bad shard '%s'", p->path, s);
}

static void load_part(struct part *p, const char *path)
{
	json_error_t err;

	p->path = path;
	p->root = json_load_file(path, 0, &err);
	if (!p->root)
		die("%s: not JSON: %s (line %d)", path, err.text, err.line);
	if (!str(p->root, "mmucheck") || !str(p->root, "tree") ||
	    !json_is_array(json_object_get(p->root, "rules")) ||
	    !json_is_array(json_object_get(p->root, "findings")) ||
	    !json_is_object(json_object_get(p->root, "summary")) ||
	    !json_is_object(json_object_get(p->root, "scan")))
		die("%s: not a JSON report of mmucheck scan (--format json) of this version",
		    path);
	read_shard(p);
}

/* A key both reports must agree on: at the top, or in "scan". */
static void same(const struct part *a, const struct part *b, const char *key,
		 const char *what)
{
	json_t *x = json_object_get(a->root, key), *y = json_object_get(b->root, key);

	if (!x && !y) {
		x = json_object_get(json_object_get(a->root, "scan"), key);
		y = json_object_get(json_object_get(b->root, "scan"), key);
	}

	if (!json_equal(x ? x : json_null(), y ? y : json_null()))
		die("%s and %s are not shards of one scan: different %s", a->path,
		    b->path, what);
}

/*
 * The reports must be the shards of one scan: one mmucheck version, one
 * tree (the same revision, or the same path when there is none), one
 * rule set, and each of the shards 1..N once.
 */
static void check_parts(struct part *v, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		same(&v[0], &v[i], "mmucheck", "mmucheck versions");
		same(&v[0], &v[i], "rules", "rule sets");
		same(&v[0], &v[i], "kernel", "kernel versions");
		same(&v[0], &v[i], "revision", "tree revisions");
		if (!scan_str(&v[0], "revision") || !scan_str(&v[i], "revision"))
			same(&v[0], &v[i], "tree", "trees");
		if (v[i].count != v[0].count)
			die("%s and %s are not shards of one scan: %d and %d shards",
			    v[0].path, v[i].path, v[0].count, v[i].count);
	}
	if (strcmp(str(v[0].root, "mmucheck"), MMUCHECK_VERSION))
		die("%s: a report of mmucheck %s, not %s", v[0].path,
		    str(v[0].root, "mmucheck"), MMUCHECK_VERSION);
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (v[i].index == v[j].index)
				die("%s and %s are both shard %d/%d", v[j].path,
				    v[i].path, v[i].index, v[i].count);
	if ((int)n != v[0].count)
		die("%zu reports for %d shards: give every shard's report once",
		    n, v[0].count);
}

static int int_of(json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

static void add_findings(struct findings *fs, const struct part *p)
{
	json_t *e;
	size_t i;

	json_array_foreach(json_object_get(p->root, "findings"), i, e) {
		struct finding f = { 0 };
		const char *fp = str(e, "fingerprint");

		if (!str(e, "rule") || !str(e, "file") || !str(e, "function") ||
		    !str(e, "message") || !str(e, "statement") || !fp ||
		    strlen(fp) != 16 || !json_is_integer(json_object_get(e, "line")))
			die("%s: finding %zu is not a mmucheck finding", p->path, i);
		f.rule = xstrdup(str(e, "rule"));
		f.file = xstrdup(str(e, "file"));
		f.function = xstrdup(str(e, "function"));
		f.message = xstrdup(str(e, "message"));
		f.statement = xstrdup(str(e, "statement"));
		f.line = int_of(e, "line");
		f.column = int_of(e, "column") - 1;
		f.end_column = int_of(e, "end_column") - 1;
		memcpy(f.fingerprint, fp, sizeof(f.fingerprint));
		f.is_new = 1;		/* until the merge's own baseline says */
		findings_append(fs, &f);
	}
}

/* Files not analysed: each (file, rule, reason) once over the shards. */
static void add_partial(struct not_analysed **v, size_t *n, const struct part *p)
{
	json_t *e;
	size_t i, j;

	json_array_foreach(json_object_get(p->root, "not_analysed"), i, e) {
		struct not_analysed na = {
			.file = (char *)str(e, "file"), .rule = (char *)str(e, "rule"),
			.reason = (char *)str(e, "reason") };

		if (!na.file || !na.rule || !na.reason)
			die("%s: not_analysed entry %zu is incomplete", p->path, i);
		for (j = 0; j < *n; j++)
			if (!strcmp((*v)[j].file, na.file) &&
			    !strcmp((*v)[j].rule, na.rule) &&
			    !strcmp((*v)[j].reason, na.reason))
				break;
		if (j < *n)
			continue;
		*v = xrealloc(*v, (*n + 1) * sizeof(**v));
		(*v)[(*n)++] = (struct not_analysed){ xstrdup(na.file),
			xstrdup(na.rule), xstrdup(na.reason) };
	}
}

/* The rules the reports ran, as a --rules list. */
static char *rule_list(const struct part *p)
{
	char *out = xstrdup(""), *next;
	json_t *e;
	size_t i;

	json_array_foreach(json_object_get(p->root, "rules"), i, e) {
		if (!json_is_string(e))
			die("%s: rule %zu is not a rule id", p->path, i);
		next = xasprintf("%s%s%s", out, i ? "," : "", json_string_value(e));
		free(out);
		out = next;
	}
	return out;
}

/* Did the reports run every rule of the registry? */
static int all_rules(size_t n)
{
	size_t all;
	struct rule_info *every = registry_rules(NULL, &all);

	rules_free(every, all);
	return n == all;
}

struct merge_options {
	const char *format;
	const char *baseline;
	int update_baseline;
	int allow_partial;
};

static void parse_merge_options(int argc, char **argv, struct merge_options *o)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "baseline", required_argument, NULL, 'B' },
		{ "update-baseline", no_argument, NULL, 'u' },
		{ "allow-partial", no_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	*o = (struct merge_options){ .format = "text" };
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			o->format = optarg;
			break;
		case 'B':
			o->baseline = optarg;
			break;
		case 'u':
			o->update_baseline = 1;
			break;
		case 'P':
			o->allow_partial = 1;
			break;
		default:
			usage();
		}
	}
	if (optind >= argc)
		usage();
	report_check_format(o->format);
	if (o->update_baseline && !o->baseline)
		die("--update-baseline needs --baseline FILE");
}

/* The shards' findings, counts and files not analysed, as one scan's. */
static void merge_parts(const struct part *parts, size_t n,
			struct findings *fs, struct scan_summary *sum)
{
	struct not_analysed *partial = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		json_t *s = json_object_get(parts[i].root, "summary");

		add_findings(fs, &parts[i]);
		add_partial(&partial, &sum->npartial, &parts[i]);
		sum->files_scanned += int_of(s, "files_scanned");
		sum->functions_skipped += int_of(s, "functions_skipped");
	}
	findings_sort_unique(fs);
	sum->kdir = str(parts[0].root, "tree");
	sum->kernel = scan_str(&parts[0], "kernel");
	sum->revision = scan_str(&parts[0], "revision");
	sum->partial = partial;
	sum->files_not_analysed = count_partial_files(sum);
}

static void free_partial(const struct scan_summary *sum)
{
	size_t i;

	for (i = 0; i < sum->npartial; i++) {
		free(sum->partial[i].file);
		free(sum->partial[i].rule);
		free(sum->partial[i].reason);
	}
	free((void *)sum->partial);
}

int cmd_merge(int argc, char **argv)
{
	struct merge_options o;
	struct findings fs = { 0 };
	struct baseline bl = { 0 };
	struct scan_summary sum = { 0 };
	struct part *parts;
	size_t i, n, new = 0;
	char *only;
	int ret;

	parse_merge_options(argc, argv, &o);
	if (o.update_baseline)
		baseline_check_writable(o.baseline);
	else if (o.baseline)
		baseline_read(o.baseline, &bl);
	n = argc - optind;
	parts = xcalloc(n, sizeof(*parts));
	for (i = 0; i < n; i++)
		load_part(&parts[i], argv[optind + i]);
	check_parts(parts, n);
	only = rule_list(&parts[0]);
	sum.rules = registry_rules(*only ? only : NULL, &sum.nrules);
	merge_parts(parts, n, &fs, &sum);
	baseline_mark(&bl, &fs);
	report_write(stdout, o.format, &fs, &sum);
	fflush(stdout);		/* the report before the summary on a terminal */
	report_summary(stderr, &fs, &sum);
	if (o.update_baseline && sum.npartial)
		warn("baseline %s not updated: the scan missed files", o.baseline);
	else if (o.update_baseline)
		baseline_update(o.baseline, &fs,
				all_rules(sum.nrules) ? NULL : sum.rules,
				sum.nrules, NULL);
	for (i = 0; i < fs.n; i++)
		new += fs.v[i].is_new;
	ret = new && !o.update_baseline ? EXIT_NEW_FINDINGS : 0;
	if (sum.npartial && !o.allow_partial)
		ret = EXIT_TROUBLE;
	findings_free(&fs);
	baseline_free(&bl);
	free_partial(&sum);
	rules_free((struct rule_info *)sum.rules, sum.nrules);
	for (i = 0; i < n; i++)
		json_decref(parts[i].root);
	free(parts);
	free(only);
	return ret;
}
