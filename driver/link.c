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

/*
 * The facts are kept as small records, not as JSON trees (a whole-tree
 * build's facts run to a hundred MB of JSON): each unit's document is
 * read, turned into the records below and freed at once.  Every name,
 * file and message is a number into one table of names, each text
 * stored once (names_id()).
 */
struct loc {
	unsigned int file;
	int line, column;
};

struct update {		/* an unbracketed update */
	unsigned int function, name, callee;
	struct loc at;
};

struct site {		/* a call, or a call through a field ("->f") */
	unsigned int caller, callee;
	unsigned char open, pointer, narrow;
	struct loc at;
};

struct store {		/* function stored into field ("->f") */
	unsigned int field, function;
};

struct unit_finding {
	unsigned int rule, function, message;
	struct loc at;
};

struct unit {
	struct update *update;
	struct site *site, *indirect;
	struct store *store;
	struct unit_finding *finding;
	unsigned int *unshare;
	size_t n_update, n_site, n_indirect, n_store, n_finding, n_unshare;
};

struct name {
	const char *text;
	size_t hash;		/* text_hash(text): most misses skip strcmp() */
	size_t unit;		/* a unit's name: its position + 1, else 0 */
	size_t node;		/* its call graph node + 1, else 0 */
};

struct names {
	struct name *v;
	size_t n, cap;
	unsigned int *hash;	/* open addressing: index + 1, 0 = free */
	size_t n_hash;
	char *chunk;		/* the texts, in chunks chained by their head */
	char *next;		/* free space in the newest chunk */
	size_t left;
};

struct facts {
	struct unit *unit;
	size_t n;
	char **path;
	time_t *mtime;
	struct names names;
	int bad;		/* as load_facts() returns */
};

/* FNV-1a, then mixed: names differ in their last bytes, not their first. */
static size_t text_hash(const char *s)
{
	unsigned long long h = 14695981039346656037ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return (size_t)(h ^ (h >> 29));
}

static void names_rehash(struct names *t)
{
	size_t i, h;

	t->n_hash = t->n_hash ? 2 * t->n_hash : 4096;
	free(t->hash);
	t->hash = xcalloc(t->n_hash, sizeof(*t->hash));
	for (i = 0; i < t->n; i++) {
		h = t->v[i].hash & (t->n_hash - 1);
		while (t->hash[h])
			h = (h + 1) & (t->n_hash - 1);
		t->hash[h] = i + 1;
	}
}

/* A copy of s in the chunks: one allocation per 64 KB, not per name. */
static const char *names_store(struct names *t, const char *s)
{
	size_t len = strlen(s) + 1, size = len > 65536 ? len : 65536;
	char *p;

	if (len > t->left) {
		p = xcalloc(sizeof(char *) + size, 1);
		*(char **)p = t->chunk;
		t->chunk = p;
		t->next = p + sizeof(char *);
		t->left = size;
	}
	p = t->next;
	memcpy(p, s, len);
	t->next += len;
	t->left -= len;
	return p;
}

/* The number of the text s, the same for every copy of it. */
static unsigned int names_id(struct names *t, const char *s)
{
	size_t hash = text_hash(s), h;
	struct name *n;

	if (2 * (t->n + 1) > t->n_hash)
		names_rehash(t);
	for (h = hash & (t->n_hash - 1); t->hash[h]; h = (h + 1) & (t->n_hash - 1)) {
		n = &t->v[t->hash[h] - 1];
		if (n->hash == hash && !strcmp(n->text, s))
			return t->hash[h] - 1;
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 4096;
		t->v = xrealloc(t->v, t->cap * sizeof(*t->v));
	}
	t->v[t->n].text = names_store(t, s);
	t->v[t->n].hash = hash;
	t->v[t->n].unit = 0;
	t->v[t->n].node = 0;
	t->hash[h] = ++t->n;
	return t->n - 1;
}

static void names_free(struct names *t)
{
	while (t->chunk) {
		char *next = *(char **)t->chunk;

		free(t->chunk);
		t->chunk = next;
	}
	free(t->v);
	free(t->hash);
}

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
static const char *string_of(json_t *v);
static int num(json_t *o, const char *key);

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

		memcpy(key, k, n);	/* every schema key is short */
		key[n] = '\0';
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
	size_t len;
	json_t *u;
	char *text;
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
	f = fdopen(fd, "rb");
	if (!f) {
		warn("%s: cannot read: %m", path);
		close(fd);
		return NULL;
	}
	*mtime = st.st_mtime;
	text = read_stream(f, &len);
	fclose(f);
	u = json_loadb(text, len, 0, &err);
	free(text);
	return checked_unit(u, &err, path);
}

static struct loc loc_of(struct names *t, json_t *e)
{
	struct loc at = {
		names_id(t, str(e, "file")), num(e, "line"), num(e, "column")
	};

	return at;
}

/* "->field": the node between calls through a field and its stores. */
static unsigned int field_of(struct names *t, json_t *e)
{
	char *key = xasprintf("->%s", str(e, "field"));
	unsigned int id = names_id(t, key);

	free(key);
	return id;
}

/* Room for the entries of u's list array, counted in *n. */
static void *records(json_t *u, const char *array, size_t size, size_t *n)
{
	*n = json_array_size(json_object_get(u, array));
	return xcalloc(*n + 1, size);
}

static int flag(json_t *e, const char *key)
{
	return json_is_true(json_object_get(e, key));
}

/*
 * The name of a function key: a static function is "::name" in its
 * unit's facts (the unit's path, which every key of it would repeat, is
 * written once, as "unit") and "unit::name" across units.  Facts of
 * older plugins spell "unit::name" out.
 */
static unsigned int fn_id(struct names *t, const char *unit, const char *key)
{
	static char *buf;
	static size_t cap;
	size_t n, k;

	if (strncmp(key, "::", 2))
		return names_id(t, key);
	n = strlen(unit);
	k = strlen(key) + 1;
	if (n + k > cap) {
		cap = 2 * (n + k);
		buf = xrealloc(buf, cap);
	}
	memcpy(buf, unit, n);
	memcpy(buf + n, key, k);
	return names_id(t, buf);
}

static void compact_sites(struct names *t, struct unit *cu, json_t *u,
			  const char *unit)
{
	struct site *r;
	size_t j;
	json_t *v;

	cu->site = records(u, "sites", sizeof(*r), &cu->n_site);
	json_array_foreach(json_object_get(u, "sites"), j, v) {
		r = &cu->site[j];
		r->caller = fn_id(t, unit, str(v, "caller"));
		r->callee = fn_id(t, unit, str(v, "callee"));
		r->open = flag(v, "open");
		r->pointer = flag(v, "pointer");
		r->narrow = flag(v, "narrow");
		if (r->narrow)	/* only narrow sites are reported */
			r->at = loc_of(t, v);
	}
	cu->indirect = records(u, "indirect", sizeof(*r), &cu->n_indirect);
	json_array_foreach(json_object_get(u, "indirect"), j, v) {
		r = &cu->indirect[j];
		r->caller = fn_id(t, unit, str(v, "caller"));
		r->callee = field_of(t, v);
		r->open = flag(v, "open");
	}
}

/* What link uses of the checked document u, as records of cu. */
static void compact_unit(struct names *t, struct unit *cu, json_t *u,
			 const char *unit)
{
	size_t j;
	json_t *v;

	compact_sites(t, cu, u, unit);
	cu->update = records(u, "updates", sizeof(*cu->update), &cu->n_update);
	json_array_foreach(json_object_get(u, "updates"), j, v) {
		cu->update[j].function = fn_id(t, unit, str(v, "function"));
		cu->update[j].name = names_id(t, str(v, "name"));
		cu->update[j].callee = names_id(t, str(v, "callee"));
		cu->update[j].at = loc_of(t, v);
	}
	cu->store = records(u, "fields", sizeof(*cu->store), &cu->n_store);
	json_array_foreach(json_object_get(u, "fields"), j, v) {
		cu->store[j].field = field_of(t, v);
		cu->store[j].function = fn_id(t, unit, str(v, "function"));
	}
	cu->finding = records(u, "findings", sizeof(*cu->finding),
			      &cu->n_finding);
	json_array_foreach(json_object_get(u, "findings"), j, v) {
		cu->finding[j].rule = names_id(t, str(v, "rule"));
		cu->finding[j].function = names_id(t, str(v, "function"));
		cu->finding[j].message = names_id(t, str(v, "message"));
		cu->finding[j].at = loc_of(t, v);
	}
	cu->unshare = records(u, "unshares", sizeof(*cu->unshare),
			      &cu->n_unshare);
	json_array_foreach(json_object_get(u, "unshares"), j, v)
		cu->unshare[j] = fn_id(t, unit, string_of(v));
}

static void unit_free(struct unit *cu)
{
	free(cu->update);
	free(cu->site);
	free(cu->indirect);
	free(cu->store);
	free(cu->finding);
	free(cu->unshare);
}

/*
 * Keep unit u (read from label) unless a newer copy of the same unit is
 * kept already: a unit's facts may sit in a facts file, in its object
 * and in partial links (ld -r) of it; the newest is the last compiled.
 * Only its records are kept: u is freed.
 */
static void add_unit(struct facts *fa, json_t *u, char *label, time_t mtime)
{
	const char *name = json_string_value(json_object_get(u, "unit"));
	unsigned int id;
	size_t i;

	if (drop_bad_entries(u, label) && !fa->bad)
		fa->bad = 1;
	id = names_id(&fa->names, name ? name : label);
	if (fa->names.v[id].unit) {
		i = fa->names.v[id].unit - 1;
		if (mtime <= fa->mtime[i]) {
			json_decref(u);
			free(label);
			return;
		}
		unit_free(&fa->unit[i]);
		free(fa->path[i]);
	} else {
		i = fa->n++;
		fa->unit = xrealloc(fa->unit, fa->n * sizeof(*fa->unit));
		fa->path = xrealloc(fa->path, fa->n * sizeof(*fa->path));
		fa->mtime = xrealloc(fa->mtime, fa->n * sizeof(*fa->mtime));
		fa->names.v[id].unit = i + 1;
	}
	compact_unit(&fa->names, &fa->unit[i], u, fa->names.v[id].text);
	json_decref(u);
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
		unit_free(&fa->unit[i]);
		free(fa->path[i]);
	}
	free(fa->unit);
	free(fa->path);
	free(fa->mtime);
	names_free(&fa->names);
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

static void add_finding(struct findings *fs, const struct names *t,
			const struct loc *at, const char *rule,
			const char *function, const char *message,
			const char *kdir)
{
	char *file = tree_relative(t->v[at->file].text, kdir);

	findings_add(fs, rule, file, at->line, at->column - 1, function,
		     message);
	free(file);
}

static const char *text(const struct facts *fa, unsigned int id)
{
	return fa->names.v[id].text;
}

/* The call graph's node of name id, made at its first use. */
static size_t node(struct callgraph *g, struct facts *fa, unsigned int id)
{
	struct name *n = &fa->names.v[id];

	if (!n->node)
		n->node = cg_node_id(g, n->text) + 1;
	return n->node - 1;
}

/* The call sites v[0..n) of a unit, direct or through a field. */
static void add_sites(struct callgraph *g, struct facts *fa,
		      const struct site *v, size_t n)
{
	size_t j;

	for (j = 0; j < n; j++)
		cg_add_site(g, node(g, fa, v[j].caller),
			    node(g, fa, v[j].callee), v[j].open);
}

/*
 * Indirect calls through a field reach every function stored in one,
 * except functions handed over at known sites (&ops passed to a walk):
 * those sites say precisely under which bracket they run.  One node per
 * field ("->name", never a function's key) stands between the calls and
 * the stores, so n calls and m stores make n + m sites, not n * m.
 */
static void add_field_calls(struct callgraph *g, struct facts *fa,
			    const char *handed_over)
{
	size_t i, j, callee;
	struct unit *u;

	for (i = 0; i < fa->n; i++) {
		u = &fa->unit[i];
		add_sites(g, fa, u->indirect, u->n_indirect);
		for (j = 0; j < u->n_store; j++) {
			callee = node(g, fa, u->store[j].function);
			if (handed_over[callee])
				continue;
			cg_add_site(g, node(g, fa, u->store[j].field), callee, 0);
		}
	}
}

static void build_graph(struct callgraph *g, struct facts *fa,
			struct link_stats *st)
{
	size_t i, j, n;
	char *handed_over;
	struct unit *u;

	for (i = 0; i < fa->n; i++) {
		u = &fa->unit[i];
		add_sites(g, fa, u->site, u->n_site);
		st->sites += u->n_site;
	}
	/* Every field function gets a node before the marks are sized. */
	for (i = 0; i < fa->n; i++)
		for (j = 0; j < fa->unit[i].n_store; j++)
			node(g, fa, fa->unit[i].store[j].function);
	n = g->n_node;
	handed_over = xcalloc(n + 1, 1);
	for (i = 0; i < fa->n; i++) {
		u = &fa->unit[i];
		for (j = 0; j < u->n_site; j++)
			if (u->site[j].pointer)
				handed_over[node(g, fa, u->site[j].callee)] = 1;
	}
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
static void add_narrow_unshares(struct callgraph *g, struct facts *fa,
				struct findings *fs, const char *kdir)
{
	size_t i, j, n;
	char *reaches, *msg;
	struct unit *u;
	struct site *s;

	for (i = 0; i < fa->n; i++)
		for (j = 0; j < fa->unit[i].n_unshare; j++)
			node(g, fa, fa->unit[i].unshare[j]);
	n = g->n_node;
	reaches = xcalloc(n + 1, 1);
	for (i = 0; i < fa->n; i++)
		for (j = 0; j < fa->unit[i].n_unshare; j++)
			reaches[node(g, fa, fa->unit[i].unshare[j])] = 1;
	reach_callers(g, reaches);
	for (i = 0; i < fa->n; i++) {
		u = &fa->unit[i];
		for (j = 0; j < u->n_site; j++) {
			s = &u->site[j];
			if (!s->narrow || !reaches[node(g, fa, s->callee)])
				continue;
			msg = xasprintf(mmu_msg_003_reaches_unshare,
					function_name(text(fa, s->callee)));
			add_finding(fs, &fa->names, &s->at, "MMU003",
				    function_name(text(fa, s->caller)), msg, kdir);
			free(msg);
		}
	}
	free(reaches);
}

/*
 * Unit i's findings: MMU001 for its updates in functions that no caller
 * chain reaches inside a bracket (g solved), then the plugin's own.
 */
static void add_unit_findings(struct callgraph *g, struct facts *fa, size_t i,
			      struct findings *fs, const char *kdir)
{
	struct unit *u = &fa->unit[i];
	struct unit_finding *f;
	char *msg;
	size_t j;

	for (j = 0; j < u->n_update; j++) {
		if (g->node[node(g, fa, u->update[j].function)].covered)
			continue;
		msg = xasprintf(mmu_msg_001_build_uncovered,
				text(fa, u->update[j].callee));
		add_finding(fs, &fa->names, &u->update[j].at, "MMU001",
			    text(fa, u->update[j].name), msg, kdir);
		free(msg);
	}
	for (j = 0; j < u->n_finding; j++) {
		f = &u->finding[j];
		add_finding(fs, &fa->names, &f->at, text(fa, f->rule),
			    text(fa, f->function), text(fa, f->message), kdir);
	}
}

int link_facts(const char *dir, const char *kdir, struct findings *fs,
	       struct link_stats *st)
{
	struct facts fa = { 0 };
	struct callgraph g;
	size_t i, j;
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
		for (j = 0; j < fa.unit[i].n_update; j++)
			node(&g, &fa, fa.unit[i].update[j].function);
	cg_solve(&g);
	for (i = 0; i < fa.n; i++) {
		st->updates += fa.unit[i].n_update;
		add_unit_findings(&g, &fa, i, fs, kdir);
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
