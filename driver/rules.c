// SPDX-License-Identifier: GPL-2.0-only
/*
 * The rules: where their semantic patches are, which of them a run
 * uses (--rules), what they are called and how spatch runs them.
 */
#include <ctype.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "run.h"
#include "util.h"

/* Where the semantic patches are: beside the binary, or installed. */
const char *data_dir(void)
{
	static const char *const tries[] = { "../cocci", "../share/mmucheck/cocci" };
	static char *found;

	if (getenv("MMUCHECK_COCCI_DIR"))
		return getenv("MMUCHECK_COCCI_DIR");
	if (!found)
		found = beside_exe(tries, ARRAY_SIZE(tries));
	if (!found)
		die("no semantic patches beside the mmucheck command: run make, or set MMUCHECK_COCCI_DIR");
	return found;
}

#define RULE_LIST_SEP ", \t"

static int rule_selected(const char *only, const char *id, const char *stem)
{
	char *list, *tok, *save;
	int hit = 0;

	if (!only)
		return 1;
	list = xstrdup(only);
	for (tok = strtok_r(list, RULE_LIST_SEP, &save); tok && !hit;
	     tok = strtok_r(NULL, RULE_LIST_SEP, &save))
		hit = !strcasecmp(tok, id) || !strcasecmp(tok, stem);
	free(list);
	return hit;
}

/* A rule file's id ("MMU003") and stem ("mmu003_pmd_sharing"). */
static void rule_names(const char *path, char **id, char **stem)
{
	const char *base = strrchr(path, '/') + 1;
	char *c;

	*id = strndup(base, strcspn(base, "_"));
	for (c = *id; *c; c++)
		*c = toupper((unsigned char)*c);
	*stem = strndup(base, strlen(base) - strlen(".cocci"));
}

/* Every name in --rules must be a rule: a typo must not shrink the scan. */
static void check_rule_names(const char *only, char **paths, size_t npaths)
{
	char *list = xstrdup(only), *tok, *save, *id, *stem;
	size_t i;
	int hit;

	for (tok = strtok_r(list, RULE_LIST_SEP, &save); tok;
	     tok = strtok_r(NULL, RULE_LIST_SEP, &save)) {
		for (i = 0, hit = 0; i < npaths && !hit; i++) {
			rule_names(paths[i], &id, &stem);
			hit = rule_selected(tok, id, stem);
			free(id);
			free(stem);
		}
		if (!hit)
			die("unknown rule '%s' in --rules %s", tok, only);
	}
	free(list);
}

/*
 * The first paragraph of the rule's /// description, on one line and
 * without its "MMU00N: " tag: what the bug is, for SARIF and fix mails.
 */
static char *rule_description(const char *path)
{
	char *text = read_file(path, NULL), *p, *out = xstrdup(""), *d;

	if (!text)
		die("cannot read %s", path);
	for (p = text; (p = strstr(p, "\n///")); p++) {
		const char *line = p[4] == ' ' ? p + 5 : p + 4;
		size_t n = strcspn(line, "\n");
		char *next;

		if (!n && *out)
			break;
		next = xasprintf("%s%s%.*s", out, *out ? " " : "", (int)n, line);
		free(out);
		out = next;
	}
	free(text);
	d = strchr(out, ':');
	if (!strncmp(out, "MMU", 3) && d && d[1] == ' ')
		memmove(out, d + 2, strlen(d + 2) + 1);
	return out;
}

struct rule_info *load_rules(const char *only, size_t *n)
{
	char *pattern = xasprintf("%s/mmu*.cocci", data_dir());
	struct rule_info *rules;
	glob_t g;
	size_t i;

	if (glob(pattern, 0, NULL, &g))
		die("no semantic patches match %s: run make first", pattern);
	if (only)
		check_rule_names(only, g.gl_pathv, g.gl_pathc);
	rules = xcalloc(g.gl_pathc + 1, sizeof(*rules));
	*n = 0;
	for (i = 0; i < g.gl_pathc; i++) {
		char *id, *stem;

		rule_names(g.gl_pathv[i], &id, &stem);
		if (rule_selected(only, id, stem)) {
			rules[*n].id = id;
			rules[*n].path = xstrdup(g.gl_pathv[i]);
			rules[*n].description = rule_description(g.gl_pathv[i]);
			(*n)++;
		} else {
			free(id);
		}
		free(stem);
	}
	globfree(&g);
	free(pattern);
	if (!*n)
		die("no rule matches --rules %s", only);
	return rules;
}

void require_spatch(void)
{
	if (!on_path("spatch"))
		die("spatch not found: install Coccinelle (apt-get install coccinelle, or make deps)");
}

/* spatch -D MODE with the rule's own "// Options:" line. */
char **rule_argv(const struct rule_info *r, const char *mode)
{
	char **argv = argv_new("spatch", "-D", mode, "--very-quiet", NULL);
	char *text = read_file(r->path, NULL), *opt, *tok, *save;

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
