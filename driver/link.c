// SPDX-License-Identifier: GPL-2.0-only
/*
 * link.c - join the GCC plugin's facts of a whole build.
 *
 * Each translation unit built with -fplugin-arg-mmucheck-facts left its
 * facts in its object's .discard.mmucheck section (objfacts.c), and with
 * facts=DIR also in DIR/<unit>.json: its unbracketed updates, its call sites with the
 * bracket state at each, the functions it stores into struct fields and
 * the calls it makes through them, and its own findings.  Joined, they
 * say which functions some caller chain reaches inside a bracket; an
 * update in a function none reaches is MMU001.  They also say which
 * calls run inside a range not widened to the PUD region, and which
 * functions unshare PMDs outside a bracket of their own: MMU003.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/callgraph.h"
#include "builtin.h"
#include "link.h"
#include "objfacts.h"
#include "report.h"
#include "run.h"
#include "util.h"

struct facts {
	json_t **unit;
	size_t n;
	char **path;
	time_t *mtime;
	json_t *index;		/* unit name -> position in unit[] */
	int bad;		/* as load_facts() returns */
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

/*
 * What each entry of a facts file holds (gcc-plugin/facts.c writes
 * them): key=type, s a string, b a boolean, l a line (1..INT_MAX), c a
 * column (0..INT_MAX); ? marks an optional key.
 */
static const struct {
	const char *array, *keys;
} facts_schema[] = {
	{ "updates", "function=s name=s callee=s file=s line=l column=c" },
	{ "sites", "caller=s callee=s open=b pointer=b? narrow=b?" },
	{ "fields", "field=s function=s open=b pointer=b? narrow=b?" },
	{ "indirect", "caller=s field=s open=b pointer=b? narrow=b?" },
	{ "findings", "rule=s function=s message=s file=s line=l column=c" },
};

static const char *str(json_t *o, const char *key);

/* MMU and three digits, as every rule id is. */
static int is_rule_id(const char *s)
{
	return strlen(s) == 6 && !strncmp(s, "MMU", 3) &&
	       strspn(s + 3, "0123456789") == 3;
}

static int value_fits(json_t *v, char type)
{
	json_int_t n = json_integer_value(v);

	switch (type) {
	case 's':
		return json_is_string(v);
	case 'b':
		return json_is_boolean(v);
	case 'l':
		return json_is_integer(v) && n >= 1 && n <= INT_MAX;
	default:
		return json_is_integer(v) && n >= 0 && n <= INT_MAX;
	}
}

/* The first key of keys that e lacks or holds with a wrong type, or NULL. */
static const char *bad_typed_key(json_t *e, const char *keys)
{
	static char key[32];
	const char *k = keys;

	while (*k) {
		size_t n = strcspn(k, "=");
		char type = k[n + 1];
		int optional = k[n + 2] == '?';
		json_t *v;

		snprintf(key, sizeof(key), "%.*s", (int)n, k);
		v = json_object_get(e, key);
		if (v ? !value_fits(v, type) : !optional)
			return key;
		k += n + 2 + optional;
		k += *k == ' ';
	}
	return NULL;
}

static const char *bad_key(json_t *e, const char *keys)
{
	const char *key = bad_typed_key(e, keys);

	/* A narrow site is reported where it is: it needs its location. */
	if (!key && json_is_true(json_object_get(e, "narrow")))
		key = bad_typed_key(e, "file=s line=l column=c");
	if (!key && json_object_get(e, "rule") && !is_rule_id(str(e, "rule")))
		key = "rule";
	return key;
}

/*
 * Drop the entries of unit u (from path) that do not fit the schema,
 * each named: a foreign or corrupt entry must not become a finding at
 * line -1 or an empty one.  Returns how many were dropped.
 */
static size_t drop_bad_entries(json_t *u, const char *path)
{
	size_t i, j, dropped = 0;
	const char *key;
	json_t *v;

	for (i = 0; i < ARRAY_SIZE(facts_schema); i++) {
		json_t *list = json_object_get(u, facts_schema[i].array);

		for (j = 0; j < json_array_size(list);) {
			v = json_array_get(list, j);
			key = json_is_object(v) ? bad_key(v, facts_schema[i].keys) : "(not an object)";
			if (!key) {
				j++;
				continue;
			}
			warn("%s: %s entry %zu skipped: \"%s\" missing or of the wrong type",
			     path, facts_schema[i].array, j + dropped, key);
			json_array_remove(list, j);
			dropped++;
		}
	}
	v = json_object_get(u, "unshares");
	for (j = 0; j < json_array_size(v);) {
		if (json_is_string(json_array_get(v, j))) {
			j++;
			continue;
		}
		warn("%s: unshares entry %zu skipped: not a function name", path,
		     j + dropped);
		json_array_remove(v, j);
		dropped++;
	}
	return dropped;
}

/* The file's top level: version 1, and every list a list. */
static int is_facts_file(json_t *u)
{
	static const char *const lists[] = {
		"updates", "sites", "unshares", "fields", "indirect", "findings"
	};
	size_t i;

	if (json_integer_value(json_object_get(u, "mmucheck-facts")) != 1 ||
	    !json_is_array(json_object_get(u, "updates")) ||
	    !json_is_array(json_object_get(u, "sites")))
		return 0;
	for (i = 0; i < ARRAY_SIZE(lists); i++)
		if (json_object_get(u, lists[i]) &&
		    !json_is_array(json_object_get(u, lists[i])))
			return 0;
	return 1;
}

/* A parsed document that is not facts of version 1 is named and dropped. */
static json_t *checked_unit(json_t *u, const json_error_t *err,
			    const char *label)
{
	if (!u) {
		warn("%s: not a complete facts file (line %d: %s); rebuild that object with the plugin",
		     label, err->line, err->text);
	} else if (!is_facts_file(u)) {
		warn("%s: not an mmucheck facts file (version 1)", label);
		json_decref(u);
		u = NULL;
	}
	return u;
}

/*
 * One facts file, opened only when it is a regular file: a FIFO or a
 * device named *.json would block the read or never end.
 */
static json_t *load_unit(const char *path, time_t *mtime)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	json_error_t err;
	struct stat st;
	json_t *u;
	FILE *f;

	if (fd < 0 || fstat(fd, &st)) {
		warn("%s: cannot read: %m", path);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		warn("%s: not a regular file, not read", path);
		close(fd);
		return NULL;
	}
	*mtime = st.st_mtime;
	f = fdopen(fd, "r");	/* buffered: json_loadfd reads byte by byte */
	if (!f)
		die("out of memory");
	u = json_loadf(f, 0, &err);
	fclose(f);
	return checked_unit(u, &err, path);
}

/*
 * Keep unit u (read from label) unless a newer copy of the same unit is
 * kept already: a unit's facts may sit in a facts file, in its object
 * and in partial links (ld -r) of it; the newest is the last compiled.
 */
static void add_unit(struct facts *fa, json_t *u, char *label, time_t mtime)
{
	const char *name = json_string_value(json_object_get(u, "unit"));
	json_t *at = json_object_get(fa->index, name ? name : label);
	size_t i;

	if (drop_bad_entries(u, label) && !fa->bad)
		fa->bad = 1;
	if (at) {
		i = json_integer_value(at);
		if (mtime <= fa->mtime[i]) {
			json_decref(u);
			free(label);
			return;
		}
		json_decref(fa->unit[i]);
		free(fa->path[i]);
	} else {
		i = fa->n++;
		fa->unit = xrealloc(fa->unit, fa->n * sizeof(*fa->unit));
		fa->path = xrealloc(fa->path, fa->n * sizeof(*fa->path));
		fa->mtime = xrealloc(fa->mtime, fa->n * sizeof(*fa->mtime));
		json_object_set_new(fa->index, name ? name : label,
				    json_integer(i));
	}
	fa->unit[i] = u;
	fa->path[i] = label;
	fa->mtime[i] = mtime;
}

/* The facts files (*.json) of dir; -1 when it cannot be read. */
static int load_facts_files(const char *dir, struct facts *fa)
{
	struct dirent **names;
	int i, n = scandir(dir, &names, is_facts_name, by_name);
	time_t mtime;

	for (i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]->d_name);
		json_t *u = load_unit(path, &mtime);

		free(names[i]);
		if (u) {
			add_unit(fa, u, path, mtime);
		} else {
			free(path);
			fa->bad = -1;
		}
	}
	if (n >= 0)
		free(names);
	return n;
}

/* objfacts_walk(): one document of an object's facts section. */
static int add_document(void *ctx, const char *path, time_t mtime,
			const char *text, size_t len)
{
	struct facts *fa = ctx;
	char *label = xasprintf("%s(%s)", path, OBJFACTS_SECTION);
	json_error_t err;
	json_t *u = checked_unit(json_loadb(text, len, 0, &err), &err, label);

	if (u) {
		add_unit(fa, u, label, mtime);
	} else {
		free(label);
		fa->bad = -1;
	}
	return 0;
}

/*
 * Load the facts of dir: its facts files, those of dir/mmucheck-facts,
 * and the facts sections of the objects under it.  -1: a file or a
 * section is bad (named) or there are no facts, so there is nothing to
 * link; 1: entries were skipped (named); 0: all good.
 */
static int load_facts(const char *dir, struct facts *fa)
{
	char *sub = xasprintf("%s/mmucheck-facts", dir);
	struct stat st;

	fa->index = json_object();
	if (load_facts_files(dir, fa) < 0) {
		warn("cannot read facts directory %s: %m", dir);
		free(sub);
		return -1;
	}
	if (!stat(sub, &st) && S_ISDIR(st.st_mode))
		load_facts_files(sub, fa);
	free(sub);
	if (objfacts_walk(dir, add_document, fa) < 0)
		warn("%s: cannot walk for objects: %m", dir);
	if (!fa->n && !fa->bad) {
		warn("%s: no facts files (*.json) and no object with a %s section: build with -fplugin-arg-mmucheck-facts",
		     dir, OBJFACTS_SECTION);
		return -1;
	}
	return fa->bad;
}

static int stop_at_first(void *ctx, const char *path, time_t mtime,
			 const char *text, size_t len)
{
	(void)ctx, (void)path, (void)mtime, (void)text, (void)len;
	return 1;
}

static int count_facts_files(const char *dir)
{
	struct dirent **names;
	int i, n = scandir(dir, &names, is_facts_name, by_name);

	for (i = 0; i < n; i++)
		free(names[i]);
	if (n >= 0)
		free(names);
	return n;
}

/* --build DIR must hold facts: checked before minutes of scanning. */
void link_check_build(const char *build)
{
	char *sub = xasprintf("%s/mmucheck-facts", build);
	struct stat st;
	int n;

	if (stat(build, &st))
		die("--build %s: %s", build, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		die("--build %s: not a directory", build);
	n = count_facts_files(build);
	if (n < 0)
		die("--build %s: cannot read it: %m", build);
	if (!n && count_facts_files(sub) <= 0 &&
	    objfacts_walk(build, stop_at_first, NULL) <= 0)
		die("--build %s: no facts files (*.json) and no object with a %s section: build with -fplugin-arg-mmucheck-facts",
		    build, OBJFACTS_SECTION);
	free(sub);
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
	free(fa->mtime);
	json_decref(fa->index);
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
 * those sites say precisely under which bracket they run.  One node per
 * field ("->name", never a function's key) stands between the calls and
 * the stores, so n calls and m stores make n + m sites, not n * m.
 */
static void add_field_calls(struct callgraph *g, const struct facts *fa,
			    const char *handed_over)
{
	size_t i, j, callee;
	json_t *v;
	char *key;

	for (i = 0; i < fa->n; i++) {
		json_array_foreach(json_object_get(fa->unit[i], "indirect"), j, v) {
			key = xasprintf("->%s", str(v, "field"));
			cg_add_site(g, cg_node_id(g, str(v, "caller")),
				    cg_node_id(g, key),
				    json_is_true(json_object_get(v, "open")));
			free(key);
		}
		json_array_foreach(json_object_get(fa->unit[i], "fields"), j, v) {
			callee = cg_node_id(g, str(v, "function"));
			if (handed_over[callee])
				continue;
			key = xasprintf("->%s", str(v, "field"));
			cg_add_site(g, cg_node_id(g, key), callee, 0);
			free(key);
		}
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
 * Mark the callers of marked functions through calls made outside any
 * bracket, transitively: a worklist over the sites by callee, so a long
 * chain costs its length, not its length times the sites.
 */
static void reach_callers(const struct callgraph *g, char *reaches)
{
	size_t n = g->n_node, i, top = 0, k;
	size_t *first = xcalloc(n + 1, sizeof(size_t));
	size_t *by_callee = xcalloc(g->n_site + 1, sizeof(size_t));
	size_t *stack = xcalloc(n + 1, sizeof(size_t));

	for (i = 0; i < g->n_site; i++)
		first[g->site[i].callee + 1]++;
	for (i = 0; i < n; i++)
		first[i + 1] += first[i];
	for (i = 0; i < g->n_site; i++)		/* counting sort by callee */
		by_callee[first[g->site[i].callee]++] = i;
	for (i = n; i > 0; i--)
		first[i] = first[i - 1];
	first[0] = 0;
	for (i = 0; i < n; i++)
		if (reaches[i])
			stack[top++] = i;
	while (top) {
		size_t callee = stack[--top];

		for (k = first[callee]; k < first[callee + 1]; k++) {
			const struct cg_site *s = &g->site[by_callee[k]];

			if (!s->open && !reaches[s->caller]) {
				reaches[s->caller] = 1;
				stack[top++] = s->caller;
			}
		}
	}
	free(first);
	free(by_callee);
	free(stack);
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
	json_t *v;

	for (i = 0; i < fa->n; i++)
		json_array_foreach(json_object_get(fa->unit[i], "unshares"), j, v)
			cg_node_id(g, string_of(v));
	n = g->n_node;
	reaches = xcalloc(n + 1, 1);
	for (i = 0; i < fa->n; i++)
		json_array_foreach(json_object_get(fa->unit[i], "unshares"), j, v)
			reaches[cg_node_id(g, string_of(v))] = 1;
	reach_callers(g, reaches);
	for (i = 0; i < fa->n; i++)
		json_array_foreach(json_object_get(fa->unit[i], "sites"), j, v) {
			char *msg;

			if (!json_is_true(json_object_get(v, "narrow")) ||
			    !reaches[cg_node_id(g, str(v, "callee"))])
				continue;
			msg = xasprintf(mmu_msg_003_reaches_unshare,
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
	int skipped;

	memset(st, 0, sizeof(*st));
	skipped = load_facts(dir, &fa);
	if (skipped < 0) {
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
	return skipped;
}

struct rule_set {
	const struct rule_info *v;
	size_t n;
};

static int rule_ran(const void *ctx, const struct finding *f)
{
	const struct rule_set *rs = ctx;
	size_t i;

	for (i = 0; i < rs->n; i++)
		if (!strcmp(rs->v[i].id, f->rule))
			return 1;
	return 0;
}

/* Only the findings of the rules that ran: the facts hold every rule's. */
void link_keep_rules(struct findings *fs, const struct rule_info *rules,
		     size_t nrules)
{
	struct rule_set rs = { rules, nrules };

	findings_keep(fs, rule_ran, &rs);
}

/*
 * mmucheck link DIR [KDIR]: the plugin's findings of one build, from the
 * facts files and the objects under DIR.
 */
int cmd_link(int argc, char **argv)
{
	struct findings fs = { 0 };
	struct link_stats st;
	char *kdir;
	size_t n;
	int bad;

	check_operands(argc, argv, 1, 2);
	argc--;		/* argv[0] is the command's name */
	argv++;
	kdir = realpath(argc > 1 ? argv[1] : ".", NULL);
	if (!kdir)
		die("%s: %m", argc > 1 ? argv[1] : ".");
	bad = link_facts(argv[0], kdir, &fs, &st);
	if (bad < 0) {
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
	if (bad)	/* entries were skipped: the link is incomplete */
		return EXIT_TROUBLE;
	return n ? EXIT_NEW_FINDINGS : 0;
}
