// SPDX-License-Identifier: GPL-2.0-only
/*
 * Output formats (gcc-style text, JSON, SARIF 2.1.0) and baselines,
 * all JSON through jansson.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gitbase.h"
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

/*
 * Files the scan did not fully analyse (helper B, issue 11): counted in
 * the summary and listed, so "0 findings" never hides a file not looked at.
 */
static json_t *json_not_analysed(const struct scan_summary *sum, json_t *root)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; i < sum->npartial; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s}",
			"file", sum->partial[i].file, "rule", sum->partial[i].rule,
			"reason", sum->partial[i].reason));
	json_object_set_new(json_object_get(root, "summary"), "files_not_analysed",
			    json_integer(sum->files_not_analysed));
	json_object_set_new(root, "not_analysed", list);
	return root;
}

/* The ids of the rules that ran: merge refuses reports of other sets. */
static json_t *rule_ids_json(const struct scan_summary *sum)
{
	json_t *ids = json_array();
	size_t i;

	for (i = 0; i < sum->nrules; i++)
		json_array_append_new(ids, json_string(sum->rules[i].id));
	return ids;
}

/* What tells one scan from another: tree, kernel, revision, shard. */
static json_t *json_scan_identity(const struct scan_summary *sum, json_t *root)
{
	if (sum->kernel)
		json_object_set_new(root, "kernel", json_string(sum->kernel));
	if (sum->revision)
		json_object_set_new(root, "revision", json_string(sum->revision));
	if (sum->shard)
		json_object_set_new(root, "shard", json_string(sum->shard));
	return root;
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
	dump(out, json_not_analysed(sum, json_pack("{s:s, s:s, s:o, s:o, s:{s:I, s:I, s:I, s:I, s:o}, s:o}",
			    "mmucheck", MMUCHECK_VERSION, "tree", sum->kdir,
			    "rules", rule_ids_json(sum),
			    "scan", json_scan_identity(sum, json_object()),
			    "summary", "files_scanned", (json_int_t)sum->files_scanned,
			    "functions_skipped", (json_int_t)sum->functions_skipped,
			    "findings", (json_int_t)fs->n, "new", (json_int_t)new,
			    "by_rule", count_by_rule(fs), "findings", list)));
}

/* GitHub code scanning's precision, from the rule's confidence. */
static const char *precision(const char *confidence)
{
	if (!strcmp(confidence, "High"))
		return "high";
	return strcmp(confidence, "Low") ? "medium" : "low";
}

/* The backends the registry says implement a rule, by name. */
static json_t *rule_backends(const struct rule_info *r)
{
	json_t *names = json_array();

	if (r->backends & MMU_BACKEND_COCCI)
		json_array_append_new(names, json_string("cocci"));
	if (r->backends & MMU_BACKEND_PLUGIN)
		json_array_append_new(names, json_string("plugin"));
	return names;
}

/* The rules' metadata from the registry (api/mmu_rules.def). */
static json_t *sarif_rules(const struct scan_summary *sum)
{
	json_t *rules = json_array();
	size_t i;

	for (i = 0; i < sum->nrules; i++) {
		const struct rule_info *r = &sum->rules[i];

		json_array_append_new(rules, json_pack(
			"{s:s, s:s, s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s, s:o}}",
			"id", r->id, "name", r->slug,
			"shortDescription", "text", r->title,
			"fullDescription", "text", r->description,
			"help", "text", r->description,
			"defaultConfiguration", "level", "warning",
			"properties", "precision", precision(r->confidence),
			"backends", rule_backends(r)));
	}
	return rules;
}

/*
 * A path as a URI reference (RFC 3986): every byte but the unreserved
 * ones and '/' percent-encoded, so a space, '#', '%' or a non-ASCII
 * byte in a name stays part of the path.
 */
static char *uri_path(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = xcalloc(3, strlen(path) + 1), *o = out;
	const unsigned char *p;

	for (p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p)) {
			*o++ = *p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	return out;
}

static json_t *sarif_result(const struct finding *f)
{
	char *uri = uri_path(f->file);
	json_t *r = json_pack("{s:s, s:s, s:{s:s}, s:[{s:{s:{s:s, s:s}, s:{s:i, s:i, s:i}}, s:[{s:s, s:s}]}], s:{s:s}, s:s}",
		"ruleId", f->rule, "level", "warning",
		"message", "text", f->message,
		"locations", "physicalLocation",
		"artifactLocation", "uri", uri, "uriBaseId", "SRCROOT",
		"region", "startLine", f->line, "startColumn", f->column + 1,
		"endColumn", f->end_column + 1,
		"logicalLocations", "name", f->function, "kind", "function",
		"partialFingerprints", "mmucheck/v1", f->fingerprint,
		"baselineState", f->is_new ? "new" : "unchanged");

	free(uri);
	return r;
}

/*
 * runs[0].invocations: a file not fully analysed is an error-level tool
 * execution notification at that file (helper B, issue 11).
 */
static json_t *sarif_not_analysed(const struct scan_summary *sum, json_t *root)
{
	json_t *notes = json_array();
	size_t i;

	for (i = 0; i < sum->npartial; i++) {
		const struct not_analysed *na = &sum->partial[i];
		char *uri = uri_path(na->file);
		char *text = xasprintf("%s: not analysed%s%s: %s", na->file,
				       *na->rule ? " by " : "", na->rule, na->reason);

		json_array_append_new(notes, json_pack(
			"{s:s, s:{s:s}, s:[{s:{s:{s:s, s:s}}}]}", "level", "error",
			"message", "text", text, "locations", "physicalLocation",
			"artifactLocation", "uri", uri, "uriBaseId", "SRCROOT"));
		free(uri);
		free(text);
	}
	json_object_set_new(json_array_get(json_object_get(root, "runs"), 0),
			    "invocations", json_pack("[{s:b, s:o}]",
			    "executionSuccessful", !sum->npartial,
			    "toolExecutionNotifications", notes));
	return root;
}

void report_sarif(FILE *out, const struct findings *fs,
		  const struct scan_summary *sum)
{
	json_t *results = json_array();
	char *path = uri_path(sum->kdir), *root = xasprintf("file://%s/", path);
	size_t i;

	for (i = 0; i < fs->n; i++)
		json_array_append_new(results, sarif_result(&fs->v[i]));
	dump(out, sarif_not_analysed(sum,
		json_pack("{s:s, s:s, s:[{s:{s:{s:s, s:s, s:s, s:o}}, s:{s:{s:s}}, s:o}]}",
		"$schema", "https://json.schemastore.org/sarif-2.1.0.json",
		"version", "2.1.0", "runs", "tool", "driver",
		"name", "mmucheck", "version", MMUCHECK_VERSION,
		"informationUri", "https://www.kernel.org/doc/html/latest/mm/mmu_notifier.html",
		"rules", sarif_rules(sum),
		"originalUriBaseIds", "SRCROOT", "uri", root,
		"results", results)));
	free(path);
	free(root);
}

void report_check_format(const char *format)
{
	if (strcmp(format, "text") && strcmp(format, "json") &&
	    strcmp(format, "sarif"))
		die("unknown --format %s (text, json or sarif)", format);
}

void report_write(FILE *out, const char *format, const struct findings *fs,
		  const struct scan_summary *sum)
{
	if (!strcmp(format, "json"))
		report_json(out, fs, sum);
	else if (!strcmp(format, "sarif"))
		report_sarif(out, fs, sum);
	else
		report_text(out, fs);
}

/* Files named as not analysed, each once whatever the rules. */
size_t count_partial_files(const struct scan_summary *sum)
{
	size_t i, j, n = 0;

	for (i = 0; i < sum->npartial; i++) {
		for (j = 0; j < i; j++)
			if (!strcmp(sum->partial[i].file, sum->partial[j].file))
				break;
		n += j == i;
	}
	return n;
}

/* The two summary lines of a scan (or of the merge of its shards). */
void report_summary(FILE *out, const struct findings *fs,
		    const struct scan_summary *sum)
{
	size_t i, j, new = 0;

	for (i = 0; i < fs->n; i++)
		new += fs->v[i].is_new;
	fprintf(out, "mmucheck: %zu files scanned, %zu definitions skipped as unparsable%s",
		sum->files_scanned, sum->functions_skipped,
		sum->functions_skipped ? " (-v names them)" : "");
	if (sum->npartial)
		fprintf(out, ", %zu files NOT ANALYSED (named above)",
			sum->files_not_analysed);
	fputc('\n', out);
	fprintf(out, "mmucheck: %zu finding%s (%zu new)", fs->n,
		fs->n == 1 ? "" : "s", new);
	for (i = 0; i < sum->nrules; i++) {
		size_t c = 0;

		for (j = 0; j < fs->n; j++)
			c += !strcmp(fs->v[j].rule, sum->rules[i].id);
		if (c)
			fprintf(out, ", %s: %zu", sum->rules[i].id, c);
	}
	fputc('\n', out);
}

/*
 * A baseline: {"mmucheck_baseline": 1, "findings": [{fingerprint...}]}.
 * NULL when the file does not parse as one, with the reason in *why.
 */
static json_t *baseline_load(const char *path, char **why)
{
	json_error_t err;
	json_t *root = json_load_file(path, 0, &err), *list, *item;
	size_t i;

	*why = NULL;
	if (!root) {
		*why = xasprintf("not a baseline: %s (line %d)", err.text, err.line);
		return NULL;
	}
	list = json_object_get(root, "findings");
	if (json_integer_value(json_object_get(root, "mmucheck_baseline")) != 1 ||
	    !json_is_array(list))
		*why = xstrdup("not a mmucheck baseline (no \"mmucheck_baseline\": 1 with a findings list)");
	else
		json_array_foreach(list, i, item)
			if (!*why && !json_is_string(json_object_get(item, "fingerprint")))
				*why = xasprintf("finding %zu has no fingerprint", i);
	if (*why) {
		json_decref(root);
		return NULL;
	}
	return root;
}

void baseline_read(const char *path, struct baseline *bl)
{
	char *why;
	json_t *root = baseline_load(path, &why), *list, *item;
	size_t i;

	if (!root)
		die("%s: %s", path, why);
	list = json_object_get(root, "findings");
	bl->fingerprints = xcalloc(json_array_size(list) + 1, sizeof(char *));
	json_array_foreach(list, i, item)
		bl->fingerprints[bl->n++] =
			xstrdup(json_string_value(json_object_get(item, "fingerprint")));
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

/* The directory a path is in: "." for a bare name, "/" for "/x". */
static char *dir_of(const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');

	if (!slash) {
		free(dir);
		return xstrdup(".");
	}
	slash[slash == dir] = '\0';
	return dir;
}

/*
 * Called before the scan, so a bad path costs no minutes of scanning.
 * The baseline is replaced by a rename, so only a regular file (or a
 * new name) will do: renaming over /dev/full or a source file the user
 * named by mistake would destroy it.
 */
void baseline_check_writable(const char *path)
{
	char *real = realpath(path, NULL), *why;
	char *dir = dir_of(real ? real : path);	/* a symlink's target's */
	struct stat st;
	json_t *old;

	errno = 0;
	if (!stat(path, &st)) {
		if (!S_ISREG(st.st_mode))
			die("cannot write baseline %s: not a regular file", path);
		/* Read-only even for root: the user said not to change it. */
		if (access(path, W_OK) || !(st.st_mode & 0222))
			die("cannot write baseline %s: %s", path,
			    errno ? strerror(errno) : "the file is read-only");
		old = st.st_size ? baseline_load(path, &why) : NULL;
		if (st.st_size && !old)
			die("%s: %s; it is not replaced (remove it to start a new baseline)",
			    path, why);
		json_decref(old);
	} else if (errno != ENOENT) {
		die("cannot write baseline %s: %s", path, strerror(errno));
	}
	errno = 0;
	if (stat(dir, &st) || !S_ISDIR(st.st_mode) || access(dir, W_OK | X_OK))
		die("cannot write baseline %s: directory %s: %s", path, dir,
		    errno ? strerror(errno) : "not a directory");
	free(dir);
	free(real);
}

void baseline_free(struct baseline *bl)
{
	size_t i;

	for (i = 0; i < bl->n; i++)
		free(bl->fingerprints[i]);
	free(bl->fingerprints);
}

static json_t *entry_json(const struct finding *f)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s}",
			 "fingerprint", f->fingerprint, "rule", f->rule,
			 "file", f->file, "function", f->function,
			 "statement", f->statement);
}

/* Would this scan have reported the entry's finding, had it been there? */
static int entry_scanned(json_t *e, const struct rule_info *rules,
			 size_t nrules, const struct change_set *cs)
{
	struct finding f = {
		.rule = (char *)json_string_value(json_object_get(e, "rule")),
		.file = (char *)json_string_value(json_object_get(e, "file")),
		.function = (char *)json_string_value(json_object_get(e, "function")),
	};
	size_t i;
	int rule_ran = 0;

	if (!f.rule || !f.file || !f.function)
		return 1;	/* an entry of unknown scope cannot be judged */
	if (!rules)
		rule_ran = 1;	/* every rule ran, retired ones included */
	for (i = 0; rules && i < nrules; i++)
		rule_ran |= !strcmp(rules[i].id, f.rule);
	return rule_ran && (!cs || change_set_keeps(cs, &f));
}

/*
 * The old entries a partial scan (--rules, --base) did not look at: a
 * scan of one rule or one branch must not forget the rest.
 */
static void keep_unscanned(const char *path, json_t *list,
			   const struct rule_info *rules, size_t nrules,
			   const struct change_set *cs)
{
	struct stat st;
	json_t *old, *e;
	char *why;
	size_t i;

	if (stat(path, &st) || !st.st_size)
		return;		/* a new baseline */
	old = baseline_load(path, &why);
	if (!old)
		die("%s: %s; not updated", path, why);
	json_array_foreach(json_object_get(old, "findings"), i, e)
		if (!entry_scanned(e, rules, nrules, cs))
			json_array_append(list, e);
	json_decref(old);
}

/* Mode of the old file, or what a new file would get under the umask. */
static mode_t new_mode(const char *path)
{
	struct stat st;
	mode_t mask;

	if (!stat(path, &st))
		return st.st_mode & 07777;
	mask = umask(0);
	umask(mask);
	return 0666 & ~mask;
}

/*
 * Write root to a temporary file beside path, flush it to the disk and
 * rename it over path: a reader sees the old or the new file, never a
 * part, and a full disk leaves the old one whole.
 */
static void replace_file(const char *path, json_t *root)
{
	char *dir = dir_of(path), *tmp = xasprintf("%s.XXXXXX", path);
	int fd = mkstemp(tmp), dfd;

	if (fd < 0)
		die("cannot write baseline %s: %s", path, strerror(errno));
	if (fchmod(fd, new_mode(path)) ||
	    json_dumpfd(root, fd, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ||
	    write(fd, "\n", 1) != 1 || fsync(fd) || close(fd) ||
	    rename(tmp, path)) {
		int e = errno;

		unlink(tmp);
		die("cannot write baseline %s: %s", path, strerror(e));
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {		/* the rename itself reaches the disk */
		fsync(dfd);
		close(dfd);
	}
	free(tmp);
	free(dir);
}

/*
 * Record the scan's findings in the baseline.  rules (NULL: all) and cs
 * (NULL: the whole tree) say what the scan looked at; old entries outside
 * that stay, so --rules or --base updates merge into the baseline.
 * Concurrent updates take turns on a lock of the baseline's directory
 * (the file itself is replaced, so it cannot hold the lock).
 */
void baseline_update(const char *name, const struct findings *fs,
		     const struct rule_info *rules, size_t nrules,
		     const struct change_set *cs)
{
	char *real = realpath(name, NULL);	/* a symlink stays one */
	const char *path = real ? real : name;
	char *dir = dir_of(path);
	int lock = open(dir, O_RDONLY | O_DIRECTORY);
	json_t *list = json_array(), *root;
	size_t i;

	if (lock < 0 || flock(lock, LOCK_EX))
		die("cannot lock directory %s for baseline %s: %s", dir, path,
		    strerror(errno));
	keep_unscanned(path, list, rules, nrules, cs);
	for (i = 0; i < fs->n; i++)
		json_array_append_new(list, entry_json(&fs->v[i]));
	root = json_pack("{s:i, s:o}", "mmucheck_baseline", 1, "findings", list);
	replace_file(path, root);
	json_decref(root);
	close(lock);	/* releases the lock */
	free(dir);
	free(real);
}
