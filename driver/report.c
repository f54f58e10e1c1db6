// SPDX-License-Identifier: GPL-2.0-only
/*
 * Output formats (gcc-style text, JSON, SARIF 2.1.0) and baselines,
 * all JSON through jansson.
 */
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"
#include "util.h"
#include "version.h"

void report_text(FILE *out, const struct findings *fs)
{
	size_t i;

	for (i = 0; i < fs->n; i++) {
		const struct finding *f = &fs->v[i];

		fprintf(out, "%s:%d:%d: warning: [%s] %s [%s]\n", f->file,
			f->line, f->column + 1, f->rule, f->message,
			f->function);
	}
}

static json_t *finding_json(const struct finding *f)
{
	return json_pack("{s:s, s:s, s:i, s:i, s:i, s:s, s:s, s:s, s:s, s:b}",
			 "rule", f->rule, "file", f->file, "line", f->line,
			 "column", f->column + 1, "end_column", f->end_column + 1,
			 "function", f->function, "message", f->message,
			 "statement", f->statement,
			 "fingerprint", f->fingerprint, "new", f->is_new);
}

static json_t *count_by_rule(const struct findings *fs)
{
	json_t *by_rule = json_object();
	size_t i;

	for (i = 0; i < fs->n; i++) {
		json_t *c = json_object_get(by_rule, fs->v[i].rule);

		json_object_set_new(by_rule, fs->v[i].rule,
				    json_integer(c ? json_integer_value(c) + 1 : 1));
	}
	return by_rule;
}

static void dump(FILE *out, json_t *root)
{
	if (json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0)
		die("cannot write the report");
	fputc('\n', out);
	json_decref(root);
}

void report_json(FILE *out, const struct findings *fs,
		 const struct scan_summary *sum)
{
	json_t *list = json_array();
	size_t i, new = 0;

	for (i = 0; i < fs->n; i++) {
		json_array_append_new(list, finding_json(&fs->v[i]));
		new += fs->v[i].is_new;
	}
	dump(out, json_pack("{s:s, s:s, s:{s:I, s:I, s:I, s:I, s:o}, s:o}",
			    "mmucheck", MMUCHECK_VERSION, "tree", sum->kdir,
			    "summary", "files_scanned", (json_int_t)sum->files_scanned,
			    "functions_skipped", (json_int_t)sum->functions_skipped,
			    "findings", (json_int_t)fs->n, "new", (json_int_t)new,
			    "by_rule", count_by_rule(fs), "findings", list));
}

static json_t *sarif_rules(const struct scan_summary *sum)
{
	json_t *rules = json_array();
	size_t i;

	for (i = 0; i < sum->nrules; i++) {
		const char *full = sum->rules[i].description;
		const char *stop = strstr(full, ". ");
		char *first = strndup(full, stop ? (size_t)(stop - full + 1) : strlen(full));

		json_array_append_new(rules, json_pack(
			"{s:s, s:{s:s}, s:{s:s}, s:{s:s}}", "id", sum->rules[i].id,
			"shortDescription", "text", first,
			"fullDescription", "text", full,
			"defaultConfiguration", "level", "warning"));
		free(first);
	}
	return rules;
}

static json_t *sarif_result(const struct finding *f)
{
	return json_pack("{s:s, s:s, s:{s:s}, s:[{s:{s:{s:s, s:s}, s:{s:i, s:i, s:i}}, s:[{s:s, s:s}]}], s:{s:s}, s:s}",
		"ruleId", f->rule, "level", "warning",
		"message", "text", f->message,
		"locations", "physicalLocation",
		"artifactLocation", "uri", f->file, "uriBaseId", "SRCROOT",
		"region", "startLine", f->line, "startColumn", f->column + 1,
		"endColumn", f->end_column + 1,
		"logicalLocations", "name", f->function, "kind", "function",
		"partialFingerprints", "mmucheck/v1", f->fingerprint,
		"baselineState", f->is_new ? "new" : "unchanged");
}

void report_sarif(FILE *out, const struct findings *fs,
		  const struct scan_summary *sum)
{
	json_t *results = json_array();
	char root[PATH_MAX + 16];
	size_t i;

	for (i = 0; i < fs->n; i++)
		json_array_append_new(results, sarif_result(&fs->v[i]));
	snprintf(root, sizeof(root), "file://%s/", sum->kdir);
	dump(out, json_pack("{s:s, s:s, s:[{s:{s:{s:s, s:s, s:s, s:o}}, s:{s:{s:s}}, s:o}]}",
		"$schema", "https://json.schemastore.org/sarif-2.1.0.json",
		"version", "2.1.0", "runs", "tool", "driver",
		"name", "mmucheck", "version", MMUCHECK_VERSION,
		"informationUri", "https://www.kernel.org/doc/html/latest/mm/mmu_notifier.html",
		"rules", sarif_rules(sum),
		"originalUriBaseIds", "SRCROOT", "uri", root,
		"results", results));
}

/* A baseline: {"mmucheck_baseline": 1, "findings": [{fingerprint...}]} */
void baseline_read(const char *path, struct baseline *bl)
{
	json_error_t err;
	json_t *root = json_load_file(path, 0, &err), *list, *item;
	size_t i;

	if (!root)
		die("%s: not a baseline: %s (line %d)", path, err.text, err.line);
	list = json_object_get(root, "findings");
	if (json_integer_value(json_object_get(root, "mmucheck_baseline")) != 1 ||
	    !json_is_array(list))
		die("%s: not a mmucheck baseline (no \"mmucheck_baseline\": 1 with a findings list)",
		    path);
	bl->fingerprints = xcalloc(json_array_size(list) + 1, sizeof(char *));
	json_array_foreach(list, i, item) {
		const char *fp = json_string_value(json_object_get(item, "fingerprint"));

		if (!fp)
			die("%s: finding %zu has no fingerprint", path, i);
		bl->fingerprints[bl->n++] = xstrdup(fp);
	}
	json_decref(root);
}

/* Findings whose fingerprint the baseline holds are not new. */
void baseline_mark(const struct baseline *bl, struct findings *fs)
{
	size_t i, j;

	for (i = 0; i < fs->n; i++)
		for (j = 0; j < bl->n; j++)
			if (!strcmp(fs->v[i].fingerprint, bl->fingerprints[j]))
				fs->v[i].is_new = 0;
}

void baseline_check_writable(const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');

	if (slash)
		*slash = '\0';
	if (access(slash ? (*dir ? dir : "/") : ".", W_OK))
		die("cannot write baseline %s: %s", path, strerror(errno));
	free(dir);
}

void baseline_free(struct baseline *bl)
{
	size_t i;

	for (i = 0; i < bl->n; i++)
		free(bl->fingerprints[i]);
	free(bl->fingerprints);
}

int baseline_save(const char *path, const struct findings *fs)
{
	json_t *list = json_array(), *root;
	size_t i;
	int ret;

	for (i = 0; i < fs->n; i++) {
		const struct finding *f = &fs->v[i];

		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s}",
			"fingerprint", f->fingerprint, "rule", f->rule,
			"file", f->file, "function", f->function,
			"statement", f->statement));
	}
	root = json_pack("{s:i, s:o}", "mmucheck_baseline", 1, "findings", list);
	ret = json_dump_file(root, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (ret)
		die("cannot write baseline %s: %s", path, strerror(errno));
	return 0;
}
