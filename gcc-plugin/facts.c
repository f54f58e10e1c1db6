// SPDX-License-Identifier: GPL-2.0-only
/*
 * facts.c - what one translation unit knows about MMU001 and MMU003, for
 * the link step (mmucheck link) to join across a whole build:
 *   updates   unbracketed invalidating updates, by function
 *   unshares  functions that huge_pmd_unshare() outside a bracket
 *   sites     calls with the bracket state at each (open: on some path;
 *             narrow: inside a range not widened to the PUD region)
 *   fields    functions stored into struct fields (rmap_one, pmd_entry)
 *   indirect  calls through such a field
 *   findings  what the other checks reported here
 * Passing &ops (an object holding function pointers) to a call counts
 * as calling each function it holds, with that call's bracket state
 * (a "pointer" site); a function handed over so is judged by those
 * sites alone, others stored in a field by every call through it.
 * The facts go into the object's .discard.mmucheck section, and with
 * facts=DIR also into a file there.  Without facts, the same graph
 * decides MMU001 for static functions in this unit alone.
 */
#include "mmucheck.h"
#include "../common/callgraph.h"
#include "output.h"	/* asm_out_file */

struct update {
	char *function;		/* graph key */
	char *name;
	location_t loc;
	char *callee;
};

struct site {
	char *caller, *callee;	/* graph keys; callee may be a field */
	int open;
	int pointer;		/* handed over as a pointer, not called */
	int narrow;		/* open range not widened to the PUD region */
	int inert;		/* the callee reaches nothing the link follows */
	location_t loc;		/* of a narrow site */
};

/* A function pointer stored into var.field (global or local). */
struct holder {
	tree var;
	char *field, *function;
};

struct finding {
	char *rule, *function, *message;
	location_t loc;
};

static struct update *updates;
static unsigned int n_updates;
static char **unshares;		/* functions that unshare outside a bracket */
static unsigned int n_unshares;
static struct site *sites, *fields, *indirects;
static unsigned int n_sites, n_fields, n_indirects;
static struct holder *holders;
static unsigned int n_holders;
static struct finding *findings;
static unsigned int n_findings;

/*
 * A call of a function of this unit made with no bracket open, in a
 * function that opens or closes one later (on bracket_line): MMU001 at
 * the call when the callee updates with no bracket of its own.
 */
struct helper_call {
	char *caller, *callee;	/* caller's name, callee's graph key */
	char *callee_name;
	location_t loc;
	int bracket_line;
};

static struct helper_call *helper_calls;
static unsigned int n_helper_calls;
static char **bracketed;	/* functions that open a bracket */
static unsigned int n_bracketed;

static const char *unit_name(void)
{
	const char *u = main_input_filename;

	return !strncmp(u, "./", 2) ? u + 2 : u;
}

/*
 * A function's key in the facts: its name, or "::name" when it is static
 * (the link reads that as "unit::name", the unit written once).
 */
static char *fn_key(tree decl)
{
	if (TREE_PUBLIC(decl))
		return xstrdup(decl_name(decl));
	return concat("::", decl_name(decl), NULL);
}

static void add_field(const char *field, tree fn)
{
	struct site *s = VEC_PUSH(fields, n_fields);

	s->caller = xstrdup(field);
	s->callee = fn_key(fn);
}

static void add_holder(tree var, tree field, tree fn)
{
	struct holder *h = VEC_PUSH(holders, n_holders);

	h->var = var;
	h->field = xstrdup(decl_name(field));
	h->function = fn_key(fn);
	add_field(decl_name(field), fn);
}

static tree function_address(tree value)
{
	STRIP_NOPS(value);
	if (TREE_CODE(value) == ADDR_EXPR &&
	    TREE_CODE(TREE_OPERAND(value, 0)) == FUNCTION_DECL)
		return TREE_OPERAND(value, 0);
	return NULL_TREE;
}

static void walk_constructor(tree var, tree ctor)
{
	unsigned HOST_WIDE_INT i;
	tree field, value, fn;

	FOR_EACH_CONSTRUCTOR_ELT(CONSTRUCTOR_ELTS(ctor), i, field, value) {
		if (TREE_CODE(value) == CONSTRUCTOR) {
			walk_constructor(var, value);
			continue;
		}
		fn = function_address(value);
		if (fn && field && TREE_CODE(field) == FIELD_DECL)
			add_holder(var, field, fn);
	}
}

/* static const struct mm_walk_ops ops = { .pmd_entry = f }; */
void facts_static_initializer(tree var)
{
	if (TREE_CODE(var) == VAR_DECL && DECL_INITIAL(var) &&
	    TREE_CODE(DECL_INITIAL(var)) == CONSTRUCTOR)
		walk_constructor(var, DECL_INITIAL(var));
}

static void add_site(const char *caller, char *callee, int open, int pointer)
{
	struct site *s = VEC_PUSH(sites, n_sites);

	s->caller = xstrdup(caller);
	s->callee = callee;
	s->open = open;
	s->pointer = pointer;
}

/* rwc.rmap_one = some_callback; inside a function body. */
static void note_field_stores(function *fun)
{
	basic_block bb;

	FOR_EACH_BB_FN(bb, fun) {
		gimple_stmt_iterator gsi;

		for (gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi)) {
			gimple *g = gsi_stmt(gsi);
			tree lhs, fn;

			if (!gimple_assign_single_p(g))
				continue;
			lhs = gimple_assign_lhs(g);
			fn = function_address(gimple_assign_rhs1(g));
			if (fn && TREE_CODE(lhs) == COMPONENT_REF)
				add_holder(get_base_address(lhs),
					   TREE_OPERAND(lhs, 1), fn);
		}
	}
}

/* Functions an argument hands over: f itself, or &ops holding some. */
static void note_arguments(const char *caller, gimple *call, int open)
{
	unsigned int i, h;

	for (i = 0; i < gimple_call_num_args(call); i++) {
		tree arg = mc_strip(gimple_call_arg(call, i));
		tree fn = function_address(arg), base;

		if (fn) {
			add_site(caller, fn_key(fn), open, 1);
			continue;
		}
		if (TREE_CODE(arg) != ADDR_EXPR)
			continue;
		base = get_base_address(TREE_OPERAND(arg, 0));
		for (h = 0; h < n_holders; h++)
			if (holders[h].var == base)
				add_site(caller, xstrdup(holders[h].function),
					 open, 1);
	}
}

/* ops->pmd_entry(...): the field an indirect call loads its target from. */
static const char *called_field(gimple *call)
{
	tree fn = gimple_call_fn(call);
	gimple *def;

	if (!fn || TREE_CODE(fn) != SSA_NAME || SSA_NAME_IS_DEFAULT_DEF(fn))
		return NULL;
	def = SSA_NAME_DEF_STMT(fn);
	if (!gimple_assign_single_p(def) ||
	    TREE_CODE(gimple_assign_rhs1(def)) != COMPONENT_REF)
		return NULL;
	return decl_name(TREE_OPERAND(gimple_assign_rhs1(def), 1));
}

/* A call that tests the dirty bit, or cleans or write-protects an entry. */
static int touches_dirt(const struct mmu_api *api)
{
	return mc_role_is(api, MMU_ROLE_DIRTY_TEST) ||
	       mc_role_is(api, MMU_ROLE_DIRTY_CLEAN) ||
	       mc_role_is(api, MMU_ROLE_PERM_DOWNGRADE);
}

/*
 * Ageing: c runs on a branch taken for a young entry that clears the
 * young bit and sets the same page back.  A branch that also tests the
 * dirty bit or cleans the entry (MADV_FREE) is not ageing: a secondary
 * MMU may still write through the entry it cleans, and that write is lost.
 */
static int only_ages(const struct mc_fn *f, const struct mc_call *c)
{
	basic_block branch = mc_test_branch(c->bb, MMU_ROLE_AGING_TEST);
	unsigned int i;

	if (!branch)
		return 0;
	for (i = 0; i < f->n_call; i++)
		if (touches_dirt(f->call[i].api) &&
		    dominated_by_p(CDI_DOMINATORS, f->call[i].bb, branch))
			return 0;
	return 1;
}

/*
 * Up to v4.12 an update followed by mmu_notifier_invalidate_page() in
 * its function is notified (MMU006 judges huge pages).
 */
static int legacy_notified(const struct mc_fn *f, const struct mc_call *c)
{
	unsigned int i;

	for (i = 0; i < f->n_call; i++)
		if (mc_role_is(f->call[i].api, MMU_ROLE_LEGACY_PAGE) &&
		    mc_line(f->call[i].stmt) > mc_line(c->stmt))
			return 1;
	return 0;
}

/*
 * An update with no range open on any path, of a user mm, not on the
 * branch where the entry is known non-present or only aged, nor
 * notified page by page.
 */
static int is_unbracketed_update(const struct mc_fn *f,
				 const struct mc_call *c)
{
	return mc_is_update(c->api) && !c->may && !mc_kernel_mm(c) &&
	       !mc_under_test(c->bb, MMU_ROLE_NONPRESENT_TEST,
			      MMU_ROLE_NONPRESENT_TEST) &&
	       !only_ages(f, c) && !legacy_notified(f, c);
}

/* The line of the function's own _start(), or 0 when it opens none. */
static int own_bracket_line(const struct mc_fn *f)
{
	unsigned int i;

	for (i = 0; i < f->n_call; i++)
		if (mc_opens(f->call[i].api))
			return mc_line(f->call[i].stmt);
	return 0;
}

/*
 * MMU001 at once: an unbracketed update in a function that opens a
 * bracket of its own is outside that bracket (before it or after it
 * closed).  Those of other functions wait for the callers' view: they
 * are facts (facts_function()), judged at the unit's end or by the link.
 */
void check_unbracketed(struct mc_fn *f)
{
	int bracket_line = own_bracket_line(f);
	unsigned int i;

	for (i = 0; bracket_line && i < f->n_call; i++) {
		const struct mc_call *c = &f->call[i];

		if (is_gimple_call(c->stmt) && is_unbracketed_update(f, c))
			mc_report(f, c->stmt, MC_RULE_unbracketed,
				  mmu_msg_001_outside_own_bracket,
				  mc_call_name(c), bracket_line);
	}
}

static void note_update(struct mc_fn *f, const struct mc_call *c,
			const char *key)
{
	struct update *u;

	u = VEC_PUSH(updates, n_updates);
	u->function = xstrdup(key);
	u->name = xstrdup(f->name);
	u->loc = expansion_point(gimple_location(c->stmt));
	u->callee = xstrdup(mc_call_name(c));
}

/*
 * Is a call made inside a range that is open on every path and not
 * widened to the PUD region?  If the callee can huge_pmd_unshare(), the
 * link step reports MMU003 here (a narrow range around a hugetlb unmapper).
 */
static int narrow_bracket(const struct mc_fn *f, const struct mc_call *c)
{
	unsigned int o;
	int narrow = 0;

	for (o = 0; o < f->n_object; o++) {
		if (!(c->must & (1u << o)) || !f->object[o].init)
			continue;
		if (mc_covers_pud(&f->object[o]))
			return 0;
		narrow = 1;
	}
	return narrow;
}

/* The first line after line where this function opens or closes a range. */
static int later_bracket_line(const struct mc_fn *f, int line)
{
	unsigned int i;
	int best = 0, l;

	for (i = 0; i < f->n_call; i++) {
		if (!mc_opens(f->call[i].api) && !mc_closes(f->call[i].api))
			continue;
		l = mc_line(f->call[i].stmt);
		if (l > line && (!best || l < best))
			best = l;
	}
	return best;
}

/*
 * A direct call made outside this function's bracket, before it opens
 * or after it closed: if the callee updates with no bracket (judged at
 * the unit's end), the update runs outside the bracket that is here.
 */
static void note_helper_call(const struct mc_fn *f, const struct mc_call *c,
			     tree callee)
{
	struct helper_call *h;
	int line, later;

	if (c->may || callee == f->fun->decl)
		return;
	line = mc_line(c->stmt);
	later = later_bracket_line(f, line);
	if (!later)
		return;
	h = VEC_PUSH(helper_calls, n_helper_calls);
	h->caller = xstrdup(f->name);
	h->callee = fn_key(callee);
	h->callee_name = xstrdup(decl_name(callee));
	h->loc = expansion_point(gimple_location(c->stmt));
	h->bracket_line = later;
}

/* A function that unshares with no bracket of its own: callers decide. */
static void note_unshare(const struct mc_call *c, const char *key)
{
	if (!mc_role_is(c->api, MMU_ROLE_UNSHARE) || c->may ||
	    (n_unshares && !strcmp(unshares[n_unshares - 1], key)))
		return;
	*VEC_PUSH(unshares, n_unshares) = xstrdup(key);
}

/* A direct call, or a call through a struct field (ops->pmd_entry()). */
static void note_call(const struct mc_fn *f, const struct mc_call *c,
		      const char *key)
{
	tree callee = gimple_call_fndecl(c->stmt);
	const char *field;
	struct site *s;

	if (callee) {
		if (fndecl_built_in_p(callee))
			return;
		note_helper_call(f, c, callee);
		add_site(key, fn_key(callee), c->may != 0, 0);
		sites[n_sites - 1].narrow = narrow_bracket(f, c);
		sites[n_sites - 1].loc =
			expansion_point(gimple_location(c->stmt));
		return;
	}
	field = called_field(c->stmt);
	if (!field)
		return;
	s = VEC_PUSH(indirects, n_indirects);
	s->caller = xstrdup(key);
	s->callee = xstrdup(field);
	s->open = c->may != 0;
}

/*
 * A function's facts for the MMU001 and MMU003 of the callers' view:
 * its updates outside any bracket when it opens none, its unshares, its
 * calls with the bracket state at each.
 */
void facts_function(struct mc_fn *f)
{
	char *key;
	int bracket_line = own_bracket_line(f);
	unsigned int i;

	if (!f->n_call)		/* no update, no call: nothing to link */
		return;
	key = fn_key(f->fun->decl);
	if (bracket_line)
		*VEC_PUSH(bracketed, n_bracketed) = xstrdup(key);
	note_field_stores(f->fun);
	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *c = &f->call[i];

		if (!is_gimple_call(c->stmt))
			continue;
		if (!bracket_line && is_unbracketed_update(f, c))
			note_update(f, c, key);
		note_unshare(c, key);
		if (c->api)
			continue;
		note_call(f, c, key);
		note_arguments(key, c->stmt, c->may != 0);
	}
	/* Holders of local objects die with the function. */
	for (i = 0; i < n_holders; i++)
		if (holders[i].var && DECL_P(holders[i].var) &&
		    DECL_CONTEXT(holders[i].var) == f->fun->decl)
			holders[i].var = NULL_TREE;
	free(key);
}

void facts_finding(const char *rule, location_t loc, const char *function,
		   const char *message)
{
	struct finding *fd = VEC_PUSH(findings, n_findings);

	fd->rule = xstrdup(rule);
	fd->loc = loc;
	fd->function = xstrdup(function);
	fd->message = xstrdup(message);
}

/* --- writing ------------------------------------------------------- */

static void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(out, "\\u%04x", *s);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

/* "key": "value", -- every object ends with its location. */
static void json_member(FILE *out, const char *key, const char *value)
{
	fprintf(out, "\"%s\": ", key);
	json_string(out, value);
	fputs(", ", out);
}

static void json_location(FILE *out, location_t loc)
{
	expanded_location x = expand_location(loc);

	fputs("\"file\": ", out);
	json_string(out, x.file ? x.file : unit_name());
	fprintf(out, ", \"line\": %d, \"column\": %d", x.line, x.column);
}

static void write_sites(FILE *out, const char *name, const struct site *v,
			unsigned int n, const char *from, const char *to)
{
	unsigned int i;
	int first;

	fprintf(out, ",\n  \"%s\": [", name);
	for (i = 0, first = 1; i < n; i++) {
		if (v[i].inert)
			continue;
		fputs(first ? "\n    {" : ",\n    {", out);
		first = 0;
		json_member(out, from, v[i].caller);
		json_member(out, to, v[i].callee);
		if (v[i].pointer)
			fputs("\"pointer\": true, ", out);
		if (v[i].narrow) {
			fputs("\"narrow\": true, ", out);
			json_location(out, v[i].loc);
			fputs(", ", out);
		}
		fprintf(out, "\"open\": %s}", v[i].open ? "true" : "false");
	}
	fputs("]", out);
}

/*
 * The i-th record of an updates or findings array: three strings under
 * their keys, then where it is.
 */
static const char *const update_keys[] = { "function", "name", "callee" };
static const char *const finding_keys[] = { "rule", "function", "message" };

static void write_located(FILE *out, unsigned int i, const char *const key[3],
			  const char *a, const char *b, const char *c,
			  location_t loc)
{
	fputs(i ? ",\n    {" : "\n    {", out);
	json_member(out, key[0], a);
	json_member(out, key[1], b);
	json_member(out, key[2], c);
	json_location(out, loc);
	fputc('}', out);
}

static void write_facts(FILE *out)
{
	unsigned int i;

	fprintf(out, "{\n  \"mmucheck-facts\": 1,\n  \"gcc\": \"%s\",\n  \"unit\": ",
		version_string);
	json_string(out, unit_name());
	fputs(",\n  \"updates\": [", out);
	for (i = 0; i < n_updates; i++)
		write_located(out, i, update_keys, updates[i].function,
			      updates[i].name, updates[i].callee, updates[i].loc);
	fputs("],\n  \"unshares\": [", out);
	for (i = 0; i < n_unshares; i++) {
		fputs(i ? ", " : "", out);
		json_string(out, unshares[i]);
	}
	fputs("]", out);
	write_sites(out, "sites", sites, n_sites, "caller", "callee");
	write_sites(out, "fields", fields, n_fields, "field", "function");
	write_sites(out, "indirect", indirects, n_indirects, "caller",
		    "field");
	fputs(",\n  \"findings\": [", out);
	for (i = 0; i < n_findings; i++)
		write_located(out, i, finding_keys, findings[i].rule,
			      findings[i].function, findings[i].message,
			      findings[i].loc);
	fputs("]\n}\n", out);
}

/* mm/gup.c -> DIR/mm%gup.c.json, written whole or not at all. */
static void write_facts_file(const char *dir)
{
	char *name = xstrdup(unit_name()), *p, *path, *tmp;
	FILE *out;

	for (p = name; *p; p++)
		if (*p == '/')
			*p = '%';
	path = concat(dir, "/", name, ".json", NULL);
	tmp = concat(path, ".tmp", NULL);
	out = fopen(tmp, "w");
	if (!out) {
		error("mmucheck: cannot write facts file %qs: %m", tmp);
	} else {
		write_facts(out);
		if (fclose(out) || rename(tmp, path))
			error("mmucheck: cannot write facts file %qs: %m",
			      path);
	}
	free(name);
	free(path);
	free(tmp);
}

/*
 * The facts as data of a non-allocated section of this unit's object:
 * they travel with it through ccache and distcc, and the kernel's linker
 * scripts discard .discard.* from vmlinux and modules.  Each unit adds
 * one NUL-terminated document, so a partial link (ld -r) that joins
 * several objects keeps them all.  No section type is given: gas makes
 * it PROGBITS, and "@" would be a comment on some targets.
 */
static void emit_ascii(FILE *asm_out, const char *s, size_t n)
{
	size_t i;

	fputs("\t.ascii \"", asm_out);
	for (i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\')
			fprintf(asm_out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(asm_out, "\\%03o", c);
		else
			fputc(c, asm_out);
	}
	fputs("\"\n", asm_out);
}

static void write_facts_section(void)
{
	char *text = NULL;
	size_t len = 0, at;
	FILE *out = open_memstream(&text, &len);

	if (!out || !asm_out_file) {	/* -fsyntax-only: no object */
		if (out)
			fclose(out);
		free(text);
		return;
	}
	write_facts(out);
	fclose(out);
	fputs("\t.pushsection .discard.mmucheck,\"\"\n", asm_out_file);
	for (at = 0; at < len; at += 64)
		emit_ascii(asm_out_file, text + at, MIN(len - at, (size_t)64));
	fputs("\t.byte 0\n\t.popsection\n", asm_out_file);
	free(text);
}

static int is_extern_key(const char *key)
{
	return !strstr(key, "::");
}

/*
 * Without facts: the call graph of this unit alone.  Extern functions
 * with updates of their own, and callbacks stored in fields, may have
 * callers elsewhere: assume they are covered (the link step knows), as
 * the semantic patches do.
 */
static void build_unit_graph(struct callgraph *g)
{
	unsigned int i;

	cg_init(g);
	for (i = 0; i < n_sites; i++) {
		cg_add_site(g, cg_node_id(g, sites[i].caller),
			    cg_node_id(g, sites[i].callee), sites[i].open);
	}
	for (i = 0; i < n_fields; i++)
		cg_set_entry(g, fields[i].callee, 1);
	/* ... unless this unit hands them over itself: that is precise. */
	for (i = 0; i < n_sites; i++)
		if (sites[i].pointer)
			cg_set_entry(g, sites[i].callee, 0);
	for (i = 0; i < n_updates; i++)
		if (is_extern_key(updates[i].function))
			cg_set_entry(g, updates[i].function, 1);
	cg_solve(g);
}

/* MMU001 for updates in functions no call in this unit reaches open. */
static void report_uncovered(struct callgraph *g)
{
	unsigned int i;

	for (i = 0; i < n_updates; i++)
		if (!cg_covered(g, updates[i].function))
			mc_report_at(updates[i].loc, updates[i].name,
				     MC_RULE_unbracketed,
				     mmu_msg_001_unit_uncovered,
				     updates[i].callee);
}

static int key_in(char **v, unsigned int n, const char *key)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i], key))
			return 1;
	return 0;
}

/*
 * The functions that update with no bracket on some path of this unit:
 * those with an uncovered update, and their callers that call them
 * outside a bracket and open none of their own.  upd_line[i] is the
 * line of the update the i-th of them reaches.
 */
static unsigned int unit_updaters(struct callgraph *g, char ***upd,
				  int **upd_line)
{
	unsigned int i, n = 0;
	int changed = 1;

	*upd = XNEWVEC(char *, n_updates + n_sites + 1);
	*upd_line = XNEWVEC(int, n_updates + n_sites + 1);
	for (i = 0; i < n_updates; i++) {
		if (cg_covered(g, updates[i].function) ||
		    key_in(*upd, n, updates[i].function))
			continue;
		(*upd_line)[n] = expand_location(updates[i].loc).line;
		(*upd)[n++] = updates[i].function;
	}
	while (changed) {
		changed = 0;
		for (i = 0; i < n_sites; i++) {
			const struct site *s = &sites[i];
			unsigned int j;

			if (s->open || s->pointer || key_in(*upd, n, s->caller) ||
			    key_in(bracketed, n_bracketed, s->caller))
				continue;
			for (j = 0; j < n && strcmp((*upd)[j], s->callee); j++)
				;
			if (j == n)
				continue;
			(*upd_line)[n] = (*upd_line)[j];
			(*upd)[n++] = s->caller;
			changed = 1;
		}
	}
	return n;
}

/*
 * MMU001 at a call of such an updater made outside the caller's own
 * bracket (before it opens, after it closed): the helper's update runs
 * where the caller shows it knows a bracket is needed.
 */
static void report_helper_calls(struct callgraph *g)
{
	char **upd;
	int *upd_line;
	unsigned int n = unit_updaters(g, &upd, &upd_line), i, j;

	for (i = 0; i < n_helper_calls; i++) {
		const struct helper_call *h = &helper_calls[i];

		for (j = 0; j < n && strcmp(upd[j], h->callee); j++)
			;
		if (j < n)
			mc_report_at(h->loc, h->caller, MC_RULE_unbracketed,
				     mmu_msg_001_helper_outside,
				     h->callee_name, upd_line[j],
				     h->bracket_line);
	}
	free(upd);
	free(upd_line);
}

/* The unit's graph while report_unit() runs. */
static struct callgraph *unit_graph;

/* Is a function (by graph key) reached with a bracket open in this unit? */
int facts_unit_covered(const char *key)
{
	return unit_graph && cg_covered(unit_graph, key);
}

/* Is a function stored in a field or handed over as a pointer here? */
int facts_unit_callback(const char *key)
{
	unsigned int i;

	for (i = 0; i < n_fields; i++)
		if (!strcmp(fields[i].callee, key))
			return 1;
	for (i = 0; i < n_sites; i++)
		if (sites[i].pointer && !strcmp(sites[i].callee, key))
			return 1;
	return 0;
}

/* A function's graph key, for checks that decide at the unit's end. */
char *facts_key(tree decl)
{
	return fn_key(decl);
}

/*
 * Without facts, the decisions that need every caller in this unit:
 * MMU001's, and MMU005's (v3.19-v6.5) flushes outside any bracket.
 */
static void report_unit(void)
{
	struct callgraph g;

	build_unit_graph(&g);
	if (mc_rule_enabled(MC_RULE_unbracketed)) {
		report_uncovered(&g);
		report_helper_calls(&g);
	}
	unit_graph = &g;
	if (mc_rule_enabled(MC_RULE_flush))
		check_flush_unit();
	unit_graph = NULL;
	cg_free(&g);
}

/*
 * A call of a static function that reaches nothing the link step follows
 * (an update, an unshare, a call through a field or of an extern
 * function, its own or through its static callees) changes no coverage
 * in any unit, so it is left out of the facts.  That is about half of a
 * unit's calls (inline helpers of headers), and reading the facts is most
 * of the link's time.  Seen backwards, from those functions to their
 * callers, the functions worth a call are those the graph covers.
 */
static void mark_inert_sites(void)
{
	struct callgraph g;
	unsigned int i;

	cg_init(&g);
	for (i = 0; i < n_sites; i++)
		cg_add_site(&g, cg_node_id(&g, sites[i].callee),
			    cg_node_id(&g, sites[i].caller), 0);
	for (i = 0; i < n_sites; i++)
		if (is_extern_key(sites[i].callee))
			cg_set_entry(&g, sites[i].callee, 1);
	for (i = 0; i < n_updates; i++)
		cg_set_entry(&g, updates[i].function, 1);
	for (i = 0; i < n_unshares; i++)
		cg_set_entry(&g, unshares[i], 1);
	for (i = 0; i < n_indirects; i++)
		cg_set_entry(&g, indirects[i].caller, 1);
	cg_solve(&g);
	for (i = 0; i < n_sites; i++)
		sites[i].inert = !cg_covered(&g, sites[i].callee);
	cg_free(&g);
}

/*
 * With facts (in_object), the unit's facts go into its object, and with
 * a directory also into DIR/<unit>.json; the link step joins them.
 * Without, MMU001 is decided for this unit alone.
 */
void facts_finish_unit(const char *dir, int in_object)
{
	if (mc_rule_enabled(MC_RULE_flush))
		check_flush_finish();
	if (in_object || dir)
		mark_inert_sites();
	if (in_object)
		write_facts_section();
	if (dir)
		write_facts_file(dir);
	if (!in_object && !dir)
		report_unit();
}
