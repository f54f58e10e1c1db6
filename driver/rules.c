// SPDX-License-Identifier: GPL-2.0-only
/*
 * The rules: the registry api/mmu_rules.def (ids, titles, descriptions,
 * fix subjects), which of them a run uses (--rules), where their
 * semantic patches are and how spatch runs them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "rules.h"
#include "run.h"
#include "util.h"

/* Where the semantic patches are: beside the binary, or installed. */
const char *data_dir(void)
{
	static const char *const tries[] = { "../cocci", "../share/mmucheck/cocci" };
	static char *found;
	const char *dir = installed_path("MMUCHECK_COCCI_DIR", tries,
					 ARRAY_SIZE(tries), &found);

	if (!dir)
		die("no semantic patches beside the mmucheck command: run make, or set MMUCHECK_COCCI_DIR");
	return dir;
}

#define RULE_LIST_SEP ", \t"

/* "mmu003_pmd_sharing": the name of the rule's files. */
static char *rule_stem(const struct mmu_rule_def *d)
{
	return xasprintf("mmu%s_%s", d->id + 3, d->slug);
}

/* Does NAME (an id or a stem, any case) name the rule? */
static int names_rule(const char *name, const struct mmu_rule_def *d)
{
	char *stem = rule_stem(d);
	int hit = !strcasecmp(name, d->id) || !strcasecmp(name, stem);

	free(stem);
	return hit;
}

static int rule_selected(const char *only, const struct mmu_rule_def *d)
{
	char *list, *tok, *save;
	int hit = 0;

	if (!only)
		return 1;
	list = xstrdup(only);
	for (tok = strtok_r(list, RULE_LIST_SEP, &save); tok && !hit;
	     tok = strtok_r(NULL, RULE_LIST_SEP, &save))
		hit = names_rule(tok, d);
	free(list);
	return hit;
}

/* "MMU001 MMU002 ...": the registry's ids, for error messages. */
char *rule_ids(void)
{
	char *out = xstrdup(""), *next;
	size_t i;

	for (i = 0; i < MMU_RULE_COUNT; i++) {
		next = xasprintf("%s%s%s", out, i ? " " : "", mmu_rule_table[i].id);
		free(out);
		out = next;
	}
	return out;
}

/* Every name in --rules must be a rule: a typo must not shrink the scan. */
static void check_rule_names(const char *only)
{
	char *list = xstrdup(only), *tok, *save;
	size_t i;
	int hit;

	for (tok = strtok_r(list, RULE_LIST_SEP, &save); tok;
	     tok = strtok_r(NULL, RULE_LIST_SEP, &save)) {
		for (i = 0, hit = 0; i < MMU_RULE_COUNT && !hit; i++)
			hit = names_rule(tok, &mmu_rule_table[i]);
		if (!hit)
			die("unknown rule '%s' in --rules %s (known: %s)", tok,
			    only, rule_ids());
	}
	free(list);
}

/*
 * The description's text reflowed: the lines of a paragraph joined by
 * spaces, paragraphs separated by one blank line.  With first_only, the
 * first paragraph alone: what the bug is, for fix mails.
 */
static char *reflow(const char *desc, int first_only)
{
	char *out = xcalloc(1, strlen(desc) + 1), *o = out;
	const char *p;

	for (p = desc; *p; p++) {
		if (*p != '\n') {
			*o++ = *p;
		} else if (p[1] == '\n') {
			if (first_only)
				break;
			o += sprintf(o, "\n\n");
			p++;
		} else if (p[1]) {
			*o++ = ' ';
		}
	}
	*o = '\0';
	return out;
}

static void rule_from_registry(struct rule_info *r, const struct mmu_rule_def *d,
			       int find_patch)
{
	char *stem = rule_stem(d);

	r->id = xstrdup(d->id);
	r->slug = d->slug;
	r->title = d->title;
	r->confidence = d->confidence;
	r->subject = d->subject;
	r->description = reflow(d->description, 0);
	r->summary = reflow(d->description, 1);
	r->backends = d->backends;
	/* A rule the registry gives no semantic patch is the plugin's alone. */
	find_patch = find_patch && (d->backends & MMU_BACKEND_COCCI);
	r->path = find_patch ? xasprintf("%s/%s.cocci", data_dir(), stem) : NULL;
	if (r->path && access(r->path, R_OK)) {	/* not built or installed */
		free(r->path);
		r->path = NULL;
	}
	free(stem);
}

/*
 * The rules ONLY names (NULL: all), in the registry's order.  A rule
 * without a semantic patch has path NULL: the plugin reports it.
 * Without find_patches no rule has one: merge reads reports only.
 */
static struct rule_info *select_rules(const char *only, size_t *n,
				      int find_patches)
{
	struct rule_info *rules = xcalloc(MMU_RULE_COUNT + 1,
					  sizeof(*rules));
	size_t i, with_patch = 0;

	if (only)
		check_rule_names(only);
	*n = 0;
	for (i = 0; i < MMU_RULE_COUNT; i++) {
		if (!rule_selected(only, &mmu_rule_table[i]))
			continue;
		rule_from_registry(&rules[*n], &mmu_rule_table[i], find_patches);
		with_patch += rules[(*n)++].path != NULL;
	}
	if (!*n)
		die("no rule matches --rules %s", only);
	if (find_patches && !with_patch && !only)
		die("no semantic patch in %s: run make first", data_dir());
	return rules;
}

struct rule_info *load_rules(const char *only, size_t *n)
{
	return select_rules(only, n, 1);
}

/*
 * Every rule's semantic patch merged into one (tools/mergecocci), so
 * that spatch parses each file once for all of them; NULL when it is
 * not built or installed.  Its findings name their own rules.
 */
struct rule_info *merged_rule(void)
{
	char *path = xasprintf("%s/%s", data_dir(), MERGED_COCCI);
	struct rule_info *r;

	if (access(path, R_OK)) {
		free(path);
		return NULL;
	}
	r = xcalloc(1, sizeof(*r));
	r->id = xstrdup("every rule");
	r->path = path;
	return r;
}

/* The registry's rules alone, with no semantic patch looked for. */
struct rule_info *registry_rules(const char *only, size_t *n)
{
	return select_rules(only, n, 0);
}

const struct rule_info *rule_find(const struct rule_info *rules, size_t n,
				  const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(rules[i].id, id))
			return &rules[i];
	return NULL;
}

void rules_free(struct rule_info *rules, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(rules[i].id);
		free(rules[i].path);
		free(rules[i].description);
		free(rules[i].summary);
	}
	free(rules);
}

void require_spatch(void)
{
	if (!on_path("spatch"))
		die("spatch not found: install Coccinelle (apt-get install coccinelle, or make deps)");
}

/* spatch -D MODE with the rule's own "// Options:" line. */
/*
 * At every start spatch looks for libpython by running python3 (and
 * python3-config, ldd and ldconfig -p).  Behind a version manager's shim
 * (pyenv) that is some 80 processes and 0.6 s of CPU per start; Debian's
 * coccinelle is built for the system interpreter, so name it when present.
 */
#define SYSTEM_PYTHON "/usr/bin/python3"

char **rule_argv(const struct rule_info *r, const char *mode)
{
	char **argv = argv_new("spatch", "-D", mode, "--very-quiet", NULL);
	char *text = read_file(r->path, NULL), *opt, *tok, *save;

	if (!access(SYSTEM_PYTHON, X_OK)) {
		argv_push(&argv, "--python");
		argv_push(&argv, SYSTEM_PYTHON);
	}
	if (!text)
		die("cannot read %s", r->path);
	opt = strstr(text, "\n// Options:");
	if (opt) {
		opt = strndup(opt + 12, strcspn(opt + 12, "\n"));
		for (tok = strtok_r(opt, " \t", &save); tok;
		     tok = strtok_r(NULL, " \t", &save))
			argv_push(&argv, tok);
		free(opt);
	}
	free(text);
	argv_push(&argv, "--cocci-file");
	argv_push(&argv, r->path);
	return argv;
}
