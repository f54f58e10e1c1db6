// SPDX-License-Identifier: GPL-2.0-only
/*
 * link.c - join the GCC plugin's facts of a whole build.
 *
 * Each translation unit built with -fplugin-arg-mmucheck-facts=DIR left
 * DIR/<unit>.json: its unbracketed updates, its call sites with the
 * bracket state at each, the functions it stores into struct fields and
 * the calls it makes through them, and its own findings.  Joined, they
 * say which functions some caller chain reaches inside a bracket; an
 * update in a function none reaches is MMU001.  They also say which
 * calls run inside a range not widened to the PUD region, and which
 * functions unshare PMDs outside a bracket of their own: MMU003.
 */
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/callgraph.h"
#include "link.h"
#include "report.h"
#include "run.h"
#include "util.h"

struct facts {
	json_t **unit;
	size_t n;
	char **path;
};

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_facts_name(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && !strcmp(d->d_name + n - 5, ".json");
}

/* Load every facts file; any bad one stops the link, named. */
static int load_facts(const char *dir, struct facts *fa)
{
	struct dirent **names;
	int i, n = scandir(dir, &names, is_facts_name, by_name), bad = 0;

	if (n < 0) {
		warn("cannot read facts directory %s: %m", dir);
		return -1;
	}
	fa->unit = xcalloc(n + 1, sizeof(*fa->unit));
	fa->path = xcalloc(n + 1, sizeof(*fa->path));
	for (i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]->d_name);
		json_error_t err;
		json_t *u = json_load_file(path, 0, &err);

		free(names[i]);
		if (!u) {
			warn("%s: not a complete facts file (line %d: %s); rebuild that object with the plugin",
			     path, err.line, err.text);
			bad = 1;
		} else if (json_integer_value(json_object_get(u,
					"mmucheck-facts")) != 1 ||
			   !json_is_array(json_object_get(u, "updates")) ||
			   !json_is_array(json_object_get(u, "sites"))) {
			warn("%s: not an mmucheck facts file (version 1)",
			     path);
			json_decref(u);
			u = NULL;
			bad = 1;
		}
		if (u) {
			fa->unit[fa->n] = u;
			fa->path[fa->n++] = path;
		} else {
			free(path);
		}
	}
	free(names);
	return bad ? -1 : 0;
}

static void facts_free(struct facts *fa)
{
	size_t i;

	for (i = 0; i < fa->n; i++) {
		json_decref(fa->unit[i]);
		free(fa->path[i]);
	}
	free(fa->unit);
	free(fa->path);
}

static const char *string_of(json_t *v)
{
	const char *s = json_string_value(v);

	return s ? s : "";
}

static const char *str(json_t *o, const char *key)
{
	return string_of(json_object_get(o, key));
}

static int num(json_t *o, const char *key)
{
	return (int)json_integer_value(json_object_get(o, key));
}

/*
 * Paths as the compiler saw them (O= builds: absolute, and virt/kvm
 * through arch/x86/kvm/../../../), made relative to the tree.
 */
static char *tree_relative(const char *file, const char *kdir)
{
	char *real = file[0] == '/' ? realpath(file, NULL) : NULL;
	const char *p = real ? real : file;
	size_t n = kdir ? strlen(kdir) : 0;
	char *rel;

	if (n && !strncmp(p, kdir, n) && p[n] == '/')
		p += n + 1;
	rel = xstrdup(p);
	free(real);
	return rel;
}

static void add_finding(struct findings *fs, json_t *f, const char *rule,
			const char *function, const char *message,
			const char *kdir)
{
	char *file = tree_relative(str(f, "file"), kdir);

	findings_add(fs, rule, file, num(f, "line"), num(f, "column") - 1,
		     function, message);
	free(file);
}

/*
 * Indirect calls through a field reach every function stored in one,
 * except functions handed over at known sites (&ops passed to a walk):
 * those sites say precisely under which bracket they run.
 */
static void add_field_calls(struct callgraph *g, const struct facts *fa,
			    const char *handed_over)
{
	size_t i, j, k, l;
	json_t *v, *w;

	for (i = 0; i < fa->n; i++)
		json_array_foreach(json_object_get(fa->unit[i], "indirect"), j, v)
			for (k = 0; k < fa->n; k++)
				json_array_foreach(json_object_get(fa->unit[k],
							"fields"), l, w) {
					size_t callee;

					if (strcmp(str(v, "field"), str(w, "field")))
						continue;
					callee = cg_node_id(g, str(w, "function"));
					if (handed_over[callee])
						continue;
					cg_add_site(g, cg_node_id(g, str(v, "caller")),
						    callee,
						    json_is_true(json_object_get(v, "open")));
				}
}

static void build_graph(struct callgraph *g, const struct facts *fa,
			struct link_stats *st)
{
	size_t i, j, n;
	char *handed_over;
	json_t *v;

	for (i = 0; i < fa->n; i++)
		json_array_foreach(json_object_get(fa->unit[i], "sites"), j, v) {
			cg_add_site(g, cg_node_id(g, str(v, "caller")),
				    cg_node_id(g, str(v, "callee")),
				    json_is_true(json_object_get(v, "open")));
			st->sites++;
		}
	/* Every field function gets a node before the marks are sized. */
	for (i = 0; i < fa->n; i++)
		json_array_foreach(json_object_get(fa->unit[i], "fields"), j, v)
			cg_node_id(g, str(v, "function"));
	n = g->n_node;
	handed_over = xcalloc(n + 1, 1);
	for (i = 0; i < fa->n; i++)
		json_array_foreach(json_object_get(fa->unit[i], "sites"), j, v)
			if (json_is_true(json_object_get(v, "pointer")))
				handed_over[cg_node_id(g, str(v, "callee"))] = 1;
	add_field_calls(g, fa, handed_over);
	free(handed_over);
}

/* "unit::name" or "name": the function's own name. */
static const char *function_name(const char *key)
{
	const char *sep = strstr(key, "::");

	return sep ? sep + 2 : key;
}

/*
 * MMU003 across calls: a function that unshares with no bracket of its
 * own relies on its callers' ranges.  A call made inside a range not
 * widened to the PUD region (a "narrow" site) to a function that reaches
 * huge_pmd_unshare() through calls outside any bracket is reported at
 * that call: the unmap_hugepage_range() -> __unmap_hugepage_range() shape.
 */
static void add_narrow_unshares(struct callgraph *g, const struct facts *fa,
				struct findings *fs, const char *kdir)
{
	size_t i, j, n;
	char *reaches;
	int changed = 1;
	json_t *v;

	for (i = 0; i < fa->n; i++)
		json_array_foreach(json_object_get(fa->unit[i], "unshares"), j, v)
			cg_node_id(g, string_of(v));
	n = g->n_node;
	reaches = xcalloc(n + 1, 1);
	for (i = 0; i < fa->n; i++)
		json_array_foreach(json_object_get(fa->unit[i], "unshares"), j, v)
			reaches[cg_node_id(g, string_of(v))] = 1;
	while (changed) {
		changed = 0;
		for (i = 0; i < g->n_site; i++) {
			const struct cg_site *s = &g->site[i];

			if (!s->open && reaches[s->callee] && !reaches[s->caller]) {
				reaches[s->caller] = 1;
				changed = 1;
			}
		}
	}
	for (i = 0; i < fa->n; i++)
		json_array_foreach(json_object_get(fa->unit[i], "sites"), j, v) {
			char *msg;

			if (!json_is_true(json_object_get(v, "narrow")) ||
			    !reaches[cg_node_id(g, str(v, "callee"))])
				continue;
			msg = xasprintf("%s() can reach huge_pmd_unshare(), which unmaps the whole PUD region, but the open range is not widened to it (adjust_range_if_pmd_sharing_possible())",
					function_name(str(v, "callee")));
			add_finding(fs, v, "MMU003", function_name(str(v, "caller")),
				    msg, kdir);
			free(msg);
		}
	free(reaches);
}

int link_facts(const char *dir, const char *kdir, struct findings *fs,
	       struct link_stats *st)
{
	struct facts fa = { 0 };
	struct callgraph g;
	size_t i, j;
	json_t *v;

	memset(st, 0, sizeof(*st));
	if (load_facts(dir, &fa)) {
		facts_free(&fa);
		return -1;
	}
	st->units = fa.n;
	cg_init(&g);
	build_graph(&g, &fa, st);
	for (i = 0; i < fa.n; i++)
		json_array_foreach(json_object_get(fa.unit[i], "updates"), j, v)
			cg_node_id(&g, str(v, "function"));
	cg_solve(&g);
	for (i = 0; i < fa.n; i++) {
		json_array_foreach(json_object_get(fa.unit[i], "updates"), j, v) {
			char *msg;

			st->updates++;
			if (g.node[cg_node_id(&g, str(v, "function"))].covered)
				continue;
			msg = xasprintf("%s() changes a user page table and no caller chain in this build opens mmu_notifier_invalidate_range_start()",
					str(v, "callee"));
			add_finding(fs, v, "MMU001", str(v, "name"), msg, kdir);
			free(msg);
		}
		json_array_foreach(json_object_get(fa.unit[i], "findings"), j, v)
			add_finding(fs, v, str(v, "rule"), str(v, "function"),
				    str(v, "message"), kdir);
	}
	add_narrow_unshares(&g, &fa, fs, kdir);
	cg_free(&g);
	facts_free(&fa);
	return 0;
}

/* mmucheck link FACTSDIR [KDIR]: the plugin's findings of one build. */
int cmd_link(int argc, char **argv)
{
	struct findings fs = { 0 };
	struct link_stats st;
	char *kdir;
	size_t n;

	if (argc < 1 || argc > 2)
		die("usage: mmucheck link FACTSDIR [KDIR]");
	kdir = realpath(argc > 1 ? argv[1] : ".", NULL);
	if (!kdir)
		die("%s: %m", argc > 1 ? argv[1] : ".");
	if (link_facts(argv[0], kdir, &fs, &st)) {
		free(kdir);
		return EXIT_TROUBLE;
	}
	findings_finish(&fs, kdir);
	report_text(stdout, &fs);
	fprintf(stderr, "mmucheck: linked %zu units: %zu unbracketed updates, %zu call sites, %zu findings\n",
		st.units, st.updates, st.sites, fs.n);
	n = fs.n;
	findings_free(&fs);
	free(kdir);
	return n ? EXIT_NEW_FINDINGS : 0;
}
