// SPDX-License-Identifier: GPL-2.0-only
/*
 * engine.c - what every check needs: API classification, range objects
 * and the bracket state on every path.
 */
#include "mmucheck.h"

/*
 * A row whose role mmu_roles.def lacks names no MMU_ROLE_: a build error.
 * The flags of single APIs (MMU_API_FLAG) are the semantic patches'.
 */
#define KV(major, minor) ((major) * 100 + (minor))
#define MMU_API_FLAG(name, flag)
#define MMU_API(name, role, since, until) \
	{ #name, MMU_ROLE_##role, since, until },
static const struct mmu_api api_table[] = {
#include "../api/mmu_api.def"
};
#undef MMU_API
#undef MMU_API_FLAG

struct mc_sizes mc_size = { 4096, 2UL << 20, 1UL << 30 };

const struct mmu_api *mc_api_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(api_table); i++)
		if (!strcmp(api_table[i].name, name))
			return &api_table[i];
	return NULL;
}

/*
 * What a call is to the rules (api/mmu_roles.def): its role, and the
 * role's kind, level and flags.  NULL, not an API call, has none.
 */
int mc_role_is(const struct mmu_api *api, enum mmu_role role)
{
	return api && api->role == role;
}

enum mmu_kind mc_kind(const struct mmu_api *api)
{
	return api ? mmu_role_table[api->role].kind : MMU_KIND_NONE;
}

enum mmu_level mc_level(const struct mmu_api *api)
{
	return api ? mmu_role_table[api->role].level : MMU_LEVEL_NONE;
}

/* Does the call's role have every one of these MMU_FLAG_ bits? */
int mc_has_flags(const struct mmu_api *api, unsigned int flags)
{
	return api && (mmu_role_table[api->role].flags & flags) == flags;
}

/* The unit's kernel as major * 100 + minor; 0 until known. */
static int kernel_version;

/* "6.12", "6.12.57-rc1", "3.6": major * 100 + minor, 0 if none. */
int mc_parse_kernel_version(const char *v)
{
	int major, minor;

	if (!v || sscanf(v, "%d.%d", &major, &minor) != 2 || major < 1 ||
	    minor < 0 || minor > 99)
		return 0;
	return KV(major, minor);
}

/* kernel=X.Y of the plugin's arguments: wins over the environment. */
void mc_set_kernel_version(int kv)
{
	kernel_version = kv;
}

/*
 * The kernel the unit is of: kernel=, else MMUCHECK_KERNEL_VERSION (set
 * by mmucheck scan and mmucheck-scan), else KERNELVERSION, which the
 * kernel's Makefile exports to every compile it runs; 0 when none says.
 */
int mc_kernel_version(void)
{
	if (!kernel_version)
		kernel_version = mc_parse_kernel_version(getenv("MMUCHECK_KERNEL_VERSION"));
	if (!kernel_version)
		kernel_version = mc_parse_kernel_version(getenv("KERNELVERSION"));
	return kernel_version;
}

/*
 * Does the unit's kernel have an API of this role: some row of it whose
 * since/until (api/mmu_api.def) span the version?  An unknown version
 * has every generation, as the semantic patches' api_in_tree() says.
 */
int mc_kernel_has_role(enum mmu_role role)
{
	int kv = mc_kernel_version();
	size_t i;

	for (i = 0; i < ARRAY_SIZE(api_table); i++)
		if (api_table[i].role == role &&
		    (!kv || (api_table[i].since <= kv && kv <= api_table[i].until)))
			return 1;
	return 0;
}

/* Clearing, protecting or unsharing updates (setters are not checked). */
int mc_is_update(const struct mmu_api *api)
{
	return mc_kind(api) == MMU_KIND_UPDATE;
}

/* How many bytes one update of this kind changes; 0 when not constant. */
unsigned HOST_WIDE_INT mc_update_size(const struct mmu_api *api)
{
	if (!mc_is_update(api))
		return 0;
	switch (mc_level(api)) {
	case MMU_LEVEL_PTE:
		return mc_size.page;
	case MMU_LEVEL_PMD:
		return mc_size.pmd;
	case MMU_LEVEL_PUD:
		return mc_size.pud;
	default:
		return 0;	/* hugetlb: huge_page_size(h) is not a constant */
	}
}

const char *mc_call_name(const struct mc_call *c)
{
	tree fn = is_gimple_call(c->stmt) ? gimple_call_fndecl(c->stmt) : NULL;

	return fn ? decl_name(fn) : "";
}

int mc_line(gimple *stmt)
{
	return expand_location(expansion_point(gimple_location(stmt))).line;
}

/* Look through copies and conversions to the value's origin. */
tree mc_strip(tree t)
{
	while (t && TREE_CODE(t) == SSA_NAME && !SSA_NAME_IS_DEFAULT_DEF(t)) {
		gimple *def = SSA_NAME_DEF_STMT(t);

		if (!is_gimple_assign(def) ||
		    (gimple_assign_rhs_code(def) != SSA_NAME &&
		     !CONVERT_EXPR_CODE_P(gimple_assign_rhs_code(def))))
			break;
		t = gimple_assign_rhs1(def);
	}
	return t;
}

/* The object a range argument names: &range, range param, &x->range. */
static tree object_key(tree arg)
{
	arg = mc_strip(arg);
	if (TREE_CODE(arg) == ADDR_EXPR)
		return TREE_OPERAND(arg, 0);
	if (TREE_CODE(arg) == SSA_NAME && SSA_NAME_IS_DEFAULT_DEF(arg) &&
	    SSA_NAME_VAR(arg))
		return SSA_NAME_VAR(arg);
	return arg;
}

static int object_index(struct mc_fn *f, tree key, int add)
{
	unsigned int i;

	for (i = 0; i < f->n_object; i++)
		if (mc_same_value(f->object[i].key, key, 0))
			return i;
	if (!add || f->n_object == MC_MAX_OBJECTS)
		return -1;
	memset(&f->object[i], 0, sizeof(f->object[i]));
	f->object[i].key = key;
	f->n_object++;
	return i;
}

/* _start() and _start_nonblock(): open a range. */
int mc_opens(const struct mmu_api *api)
{
	return mc_has_flags(api, MMU_FLAG_OPENS);
}

/* _end() and _only_end(): close it. */
int mc_closes(const struct mmu_api *api)
{
	return mc_has_flags(api, MMU_FLAG_CLOSES);
}

/*
 * The calls that open or close a range.  Their first argument names the
 * range object: &range since v5.0, the mm before (start/end(mm, s, e)).
 */
static int is_bracket(const struct mmu_api *api)
{
	return mc_opens(api) || mc_closes(api);
}

static void note_range_values(struct mc_fn *f, gimple *stmt,
			      const struct mmu_api *api, int obj)
{
	unsigned int n = gimple_call_num_args(stmt);
	unsigned int last = n - (mc_role_is(api, MMU_ROLE_RANGE_INIT_OWNER) ? 2 : 1);

	if (obj < 0 || n < 3 || f->object[obj].init)
		return;
	f->object[obj].init = stmt;
	f->object[obj].start = gimple_call_arg(stmt, last - 1);
	f->object[obj].end = gimple_call_arg(stmt, last);
}

/* The variable an address argument (&range.start, &start) points into. */
static tree address_base(tree arg)
{
	arg = mc_strip(arg);
	if (TREE_CODE(arg) != ADDR_EXPR)
		return NULL_TREE;
	return get_base_address(TREE_OPERAND(arg, 0));
}

/*
 * A range is widened when its start, or the variable it was loaded
 * from, went through adjust_range_if_pmd_sharing_possible().
 */
static void note_widening(struct mc_fn *f, tree base)
{
	unsigned int i;

	for (i = 0; i < f->n_object; i++) {
		struct mc_object *o = &f->object[i];
		tree start = o->start ? mc_strip(o->start) : NULL_TREE;
		gimple *def = start && TREE_CODE(start) == SSA_NAME ?
			      SSA_NAME_DEF_STMT(start) : NULL;

		if (get_base_address(o->key) == base ||
		    (def && gimple_assign_single_p(def) &&
		     get_base_address(gimple_assign_rhs1(def)) == base))
			o->widened = 1;
	}
}

static void add_event(struct mc_fn *f, gimple *stmt, basic_block bb,
		      const struct mmu_api *api, int object)
{
	struct mc_call *c;

	if (f->n_call == f->cap_call) {
		f->cap_call = f->cap_call ? 2 * f->cap_call : 64;
		f->call = XRESIZEVEC(struct mc_call, f->call, f->cap_call);
	}
	c = &f->call[f->n_call++];
	c->stmt = stmt;
	c->bb = bb;
	c->api = api;
	c->object = object;
	c->may = c->must = 0;
}

/*
 * follow_pte_pmd(mm, a, &start, &end, ...) (v4.13-v4.20: the range is
 * the mm's) and follow_pte_pmd()/follow_pte()/follow_invalidate_pte(mm,
 * a, &range, ...) (v5.0-v5.18) open a bracket their caller closes,
 * unless the range asked for is NULL.  Elsewhere the same names take
 * four arguments and open nothing.  The object opened, or -1.
 */
static int helper_opened(struct mc_fn *f, gimple *stmt,
			 const struct mmu_api *api)
{
	int kv = mc_kernel_version();
	tree a2;

	if (gimple_call_num_args(stmt) < 6 ||
	    (kv && (kv < api->since || kv > api->until)))
		return -1;
	a2 = mc_strip(gimple_call_arg(stmt, 2));
	if (integer_zerop(a2))
		return -1;
	if (POINTER_TYPE_P(TREE_TYPE(a2)) &&
	    TREE_CODE(TREE_TYPE(TREE_TYPE(a2))) == RECORD_TYPE)
		return object_index(f, object_key(a2), 1);
	return object_index(f, object_key(gimple_call_arg(stmt, 0)), 1);
}

static void classify_call(struct mc_fn *f, gimple *stmt, basic_block bb)
{
	tree fn = gimple_call_fndecl(stmt);
	const struct mmu_api *api = fn ? mc_api_by_name(decl_name(fn)) : NULL;
	int obj = -1;

	if (api && gimple_call_num_args(stmt) > 0) {
		tree a0 = gimple_call_arg(stmt, 0);

		if (is_bracket(api) || mc_kind(api) == MMU_KIND_RANGE_INIT)
			obj = object_index(f, object_key(a0), 1);
		if (mc_kind(api) == MMU_KIND_RANGE_INIT)
			note_range_values(f, stmt, api, obj);
		else if (mc_role_is(api, MMU_ROLE_START) &&
			 gimple_call_num_args(stmt) == 3)
			note_range_values(f, stmt, api, obj);
		else if (mc_role_is(api, MMU_ROLE_OPENS_FOR_CALLER))
			obj = helper_opened(f, stmt, api);
	}
	add_event(f, stmt, bb, api, obj);
}

/* range.start = ...: a store into a range object's fields. */
static void classify_store(struct mc_fn *f, gimple *stmt, basic_block bb)
{
	tree lhs = gimple_assign_lhs(stmt);
	int obj;

	if (TREE_CODE(lhs) != COMPONENT_REF)
		return;
	obj = object_index(f, TREE_OPERAND(lhs, 0), 0);
	if (obj >= 0)
		add_event(f, stmt, bb, NULL, obj);
}

static void collect(struct mc_fn *f)
{
	basic_block bb;
	unsigned int i;

	FOR_EACH_BB_FN(bb, f->fun) {
		gimple_stmt_iterator gsi;

		for (gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi)) {
			gimple *stmt = gsi_stmt(gsi);

			if (is_gimple_call(stmt))
				classify_call(f, stmt, bb);
		}
	}
	/* Stores are found once every object is known. */
	FOR_EACH_BB_FN(bb, f->fun) {
		gimple_stmt_iterator gsi;

		for (gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi))
			if (gimple_store_p(gsi_stmt(gsi)) &&
			    is_gimple_assign(gsi_stmt(gsi)))
				classify_store(f, gsi_stmt(gsi), bb);
	}
	for (i = 0; i < f->n_call; i++)
		if (mc_kind(f->call[i].api) == MMU_KIND_WIDEN &&
		    gimple_call_num_args(f->call[i].stmt) >= 2)
			note_widening(f, address_base(
				gimple_call_arg(f->call[i].stmt, 1)));
}

static void transfer(const struct mc_call *c, unsigned int *may,
		     unsigned int *must)
{
	unsigned int bit;

	if (c->object < 0 || !c->api)
		return;
	bit = 1u << c->object;
	if (mc_opens(c->api) ||
	    mc_role_is(c->api, MMU_ROLE_OPENS_FOR_CALLER)) {
		*may |= bit;
		*must |= bit;
	} else if (mc_closes(c->api)) {
		*may &= ~bit;
		*must &= ~bit;
	}
}

/* Statement order inside a block, for events found in two sweeps. */
static int stmt_order(gimple *stmt)
{
	return gimple_uid(stmt);
}

static int by_block_then_order(const void *a, const void *b)
{
	const struct mc_call *x = (const struct mc_call *)a;
	const struct mc_call *y = (const struct mc_call *)b;

	if (x->bb->index != y->bb->index)
		return x->bb->index - y->bb->index;
	return stmt_order(x->stmt) - stmt_order(y->stmt);
}

static void number_statements(function *fun)
{
	basic_block bb;
	unsigned int uid = 0;

	FOR_EACH_BB_FN(bb, fun) {
		gimple_stmt_iterator gsi;

		for (gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi))
			gimple_set_uid(gsi_stmt(gsi), uid++);
	}
}

/* Forward may/must dataflow over the CFG, then the state at each call. */
static void solve(struct mc_fn *f)
{
	int nb = last_basic_block_for_fn(f->fun);
	unsigned int *may_out = XCNEWVEC(unsigned int, nb);
	unsigned int *must_out = XNEWVEC(unsigned int, nb);
	unsigned int *first = XCNEWVEC(unsigned int, nb + 1);
	basic_block bb;
	unsigned int i;
	int changed = 1;

	for (i = 0; i < (unsigned int)nb; i++)
		must_out[i] = ~0u;
	for (i = f->n_call; i-- > 0;)
		first[f->call[i].bb->index] = i + 1;
	while (changed) {
		changed = 0;
		FOR_EACH_BB_FN(bb, f->fun) {
			unsigned int may = 0, must = ~0u;
			edge e;
			edge_iterator ei;

			FOR_EACH_EDGE(e, ei, bb->preds) {
				int p = e->src->index;
				bool entry = e->src ==
					ENTRY_BLOCK_PTR_FOR_FN(f->fun);

				may |= entry ? 0 : may_out[p];
				must &= entry ? 0 : must_out[p];
			}
			if (EDGE_COUNT(bb->preds) == 0)	/* unreachable */
				must = 0;
			for (i = first[bb->index]; i && i <= f->n_call &&
			     f->call[i - 1].bb == bb; i++) {
				f->call[i - 1].may = may;
				f->call[i - 1].must = must;
				transfer(&f->call[i - 1], &may, &must);
			}
			if (may != may_out[bb->index] ||
			    must != must_out[bb->index]) {
				may_out[bb->index] = may;
				must_out[bb->index] = must;
				changed = 1;
			}
		}
	}
	free(may_out);
	free(must_out);
	free(first);
}

void mc_build(struct mc_fn *f, function *fun)
{
	memset(f, 0, sizeof(*f));
	f->fun = fun;
	f->name = decl_name(fun->decl);
	number_statements(fun);
	collect(f);
	if (f->n_call)
		qsort(f->call, f->n_call, sizeof(*f->call),
		      by_block_then_order);
	calculate_dominance_info(CDI_DOMINATORS);
	solve(f);
}

void mc_free(struct mc_fn *f)
{
	free(f->call);
	f->call = NULL;
}

/* start & PUD_MASK (or ALIGN(x, PUD_SIZE)): PUD-aligned by construction. */
static int pud_aligned(tree start)
{
	gimple *def;

	start = mc_strip(start);
	if (!start || TREE_CODE(start) != SSA_NAME ||
	    SSA_NAME_IS_DEFAULT_DEF(start))
		return 0;
	def = SSA_NAME_DEF_STMT(start);
	return is_gimple_assign(def) &&
	       gimple_assign_rhs_code(def) == BIT_AND_EXPR &&
	       TREE_CODE(gimple_assign_rhs2(def)) == INTEGER_CST &&
	       (TREE_INT_CST_LOW(gimple_assign_rhs2(def)) &
		(mc_size.pud - 1)) == 0;
}

/* Does the range reach the PUD region a huge_pmd_unshare() can unmap? */
int mc_covers_pud(const struct mc_object *o)
{
	return o->widened || pud_aligned(o->start);
}

/* Is t a pointer to a struct whose tag has this role (struct vm_fault *)? */
int mc_type_role(tree t, enum mmu_role role)
{
	tree name;

	if (!t || !POINTER_TYPE_P(t) ||
	    TREE_CODE(TREE_TYPE(t)) != RECORD_TYPE)
		return 0;
	name = TYPE_NAME(TYPE_MAIN_VARIANT(TREE_TYPE(t)));
	if (name && TREE_CODE(name) == TYPE_DECL)
		name = DECL_NAME(name);
	return name && TREE_CODE(name) == IDENTIFIER_NODE &&
	       mc_role_is(mc_api_by_name(IDENTIFIER_POINTER(name)), role);
}

/* &init_mm, NULL and friends: page tables no secondary MMU mirrors. */
int mc_kernel_mm(const struct mc_call *c)
{
	tree a0, base;

	if (!gimple_call_num_args(c->stmt))
		return 0;
	a0 = mc_strip(gimple_call_arg(c->stmt, 0));
	if (integer_zerop(a0))
		return 1;
	base = address_base(a0);
	return base && DECL_P(base) &&
	       mc_role_is(mc_api_by_name(decl_name(base)), MMU_ROLE_KERNEL_MM);
}

/*
 * Does a value come from a call with one of the given roles, and with
 * which sense: 1 when the value is true exactly when the test is, -1
 * when negated (!pte_none()), 0 when it does not come from such a test.
 */
static int test_sense(tree t, enum mmu_role role1, enum mmu_role role2, int depth)
{
	gimple *def;
	enum tree_code code;

	t = mc_strip(t);
	if (!t || TREE_CODE(t) != SSA_NAME || SSA_NAME_IS_DEFAULT_DEF(t) ||
	    depth > 4)
		return 0;
	def = SSA_NAME_DEF_STMT(t);
	/* unlikely(!pte_present(pte)): __builtin_expect(x, 0) is x. */
	if (gimple_call_builtin_p(def, BUILT_IN_EXPECT) &&
	    gimple_call_num_args(def) >= 1)
		return test_sense(gimple_call_arg(def, 0), role1, role2,
				  depth + 1);
	if (is_gimple_call(def)) {
		const struct mmu_api *api = gimple_call_fndecl(def) ?
			mc_api_by_name(decl_name(gimple_call_fndecl(def))) :
			NULL;

		return mc_role_is(api, role1) || mc_role_is(api, role2);
	}
	if (!is_gimple_assign(def))
		return 0;
	code = gimple_assign_rhs_code(def);
	if (code == TRUTH_NOT_EXPR ||
	    (code == BIT_XOR_EXPR && integer_onep(gimple_assign_rhs2(def))))
		return -test_sense(gimple_assign_rhs1(def), role1, role2,
				   depth + 1);
	if (code == EQ_EXPR && integer_zerop(gimple_assign_rhs2(def)))
		return -test_sense(gimple_assign_rhs1(def), role1, role2,
				   depth + 1);
	if (code == NE_EXPR && integer_zerop(gimple_assign_rhs2(def)))
		return test_sense(gimple_assign_rhs1(def), role1, role2,
				  depth + 1);
	return 0;
}

/*
 * The sense in which a condition block's test holds on the way to bb:
 * 1 the test is true there, -1 false, 0 unknown.
 */
static int sense_towards(basic_block d, gimple *cond, basic_block bb,
			 enum mmu_role role1, enum mmu_role role2)
{
	int sense = test_sense(gimple_cond_lhs(cond), role1, role2, 0);
	edge e;
	edge_iterator ei;

	if (!sense || !integer_zerop(gimple_cond_rhs(cond)))
		return 0;
	if (gimple_cond_code(cond) == EQ_EXPR)
		sense = -sense;
	else if (gimple_cond_code(cond) != NE_EXPR)
		return 0;
	FOR_EACH_EDGE(e, ei, d->succs)
		if (single_pred_p(e->dest) &&
		    dominated_by_p(CDI_DOMINATORS, bb, e->dest))
			return e->flags & EDGE_TRUE_VALUE ? sense : -sense;
	return 0;
}

/*
 * Is bb reached only when one of these tests (pte_none(), is_swap_pte(),
 * pte_young()...) holds?  Updates of entries known not to be present,
 * or only aged, are not invalidations.
 */
static int under_test(basic_block bb, enum mmu_role role1, enum mmu_role role2,
		      int want)
{
	basic_block d;

	for (d = get_immediate_dominator(CDI_DOMINATORS, bb); d;
	     d = get_immediate_dominator(CDI_DOMINATORS, d)) {
		gimple *last = block_last_stmt(d);

		if (last && gimple_code(last) == GIMPLE_COND &&
		    sense_towards(d, last, bb, role1, role2) == want)
			return 1;
	}
	return 0;
}

/* Does a condition test a call of this role (either sense)? */
int mc_cond_tests(gimple *cond, enum mmu_role role)
{
	return gimple_code(cond) == GIMPLE_COND &&
	       (test_sense(gimple_cond_lhs(cond), role, role, 0) ||
		test_sense(gimple_cond_rhs(cond), role, role, 0));
}

int mc_under_test(basic_block bb, enum mmu_role role1, enum mmu_role role2)
{
	return under_test(bb, role1, role2, 1);
}

/* Is bb reached only when a test of this role fails (!pte_present())? */
int mc_under_failed_test(basic_block bb, enum mmu_role role)
{
	return under_test(bb, role, role, -1);
}

/*
 * Do two values compute the same thing?  Before any CSE, a + PAGE_SIZE
 * written twice is two SSA names; so is a variable loaded twice.
 */
int mc_same_value(tree a, tree b, int depth)
{
	gimple *da, *db;
	unsigned int i;

	a = mc_strip(a);
	b = mc_strip(b);
	if (a == b || operand_equal_p(a, b, 0))
		return 1;
	if (depth > 4 || TREE_CODE(a) != SSA_NAME || TREE_CODE(b) != SSA_NAME ||
	    SSA_NAME_IS_DEFAULT_DEF(a) || SSA_NAME_IS_DEFAULT_DEF(b))
		return 0;
	da = SSA_NAME_DEF_STMT(a);
	db = SSA_NAME_DEF_STMT(b);
	if (!is_gimple_assign(da) || !is_gimple_assign(db) ||
	    gimple_assign_rhs_code(da) != gimple_assign_rhs_code(db) ||
	    gimple_num_ops(da) != gimple_num_ops(db))
		return 0;
	for (i = 1; i < gimple_num_ops(da); i++)
		if (!mc_same_value(gimple_op(da, i), gimple_op(db, i),
				   depth + 1))
			return 0;
	return 1;
}

/*
 * The first x & MASK of fun, MASK a constant, that match() accepts: how a
 * function rounds an address to a level or tests that it is aligned.
 */
gimple *mc_find_const_mask(function *fun, mc_mask_match match,
			   const void *data)
{
	basic_block bb;

	FOR_EACH_BB_FN(bb, fun) {
		gimple_stmt_iterator gsi;

		for (gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi)) {
			gimple *g = gsi_stmt(gsi);
			tree mask;

			if (!is_gimple_assign(g) ||
			    gimple_assign_rhs_code(g) != BIT_AND_EXPR)
				continue;
			mask = gimple_assign_rhs2(g);
			if (TREE_CODE(mask) == INTEGER_CST &&
			    match(gimple_assign_rhs1(g),
				  TREE_INT_CST_LOW(mask), data))
				return g;
		}
	}
	return NULL;
}

/* end - start when the compiler folded it: x, x + C or two constants. */
int mc_const_size(tree start, tree end, unsigned HOST_WIDE_INT *size)
{
	gimple *def;

	start = mc_strip(start);
	end = mc_strip(end);
	if (TREE_CODE(start) == INTEGER_CST && TREE_CODE(end) == INTEGER_CST) {
		*size = TREE_INT_CST_LOW(end) - TREE_INT_CST_LOW(start);
		return 1;
	}
	if (TREE_CODE(end) != SSA_NAME || SSA_NAME_IS_DEFAULT_DEF(end))
		return 0;
	def = SSA_NAME_DEF_STMT(end);
	if (!is_gimple_assign(def) ||
	    (gimple_assign_rhs_code(def) != PLUS_EXPR &&
	     gimple_assign_rhs_code(def) != POINTER_PLUS_EXPR) ||
	    TREE_CODE(gimple_assign_rhs2(def)) != INTEGER_CST ||
	    !mc_same_value(gimple_assign_rhs1(def), start, 0))
		return 0;
	*size = TREE_INT_CST_LOW(gimple_assign_rhs2(def));
	return 1;
}

/* Scan one block's events: 0 go on, 1 a stop event, 2 a target event. */
static int scan_block(struct mc_fn *f, basic_block bb, gimple *after,
		      int (*stop)(const struct mc_call *c, const void *ctx),
		      int (*target)(const struct mc_call *c, const void *ctx),
		      const void *ctx)
{
	unsigned int i;

	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *c = &f->call[i];

		if (c->bb != bb ||
		    (after && stmt_order(c->stmt) <= stmt_order(after)))
			continue;
		if (target && target(c, ctx))
			return 2;
		if (stop(c, ctx))
			return 1;
	}
	return 0;
}

/*
 * Is there a path from just after event `after` (in block `from`) that
 * reaches a target event (or the function's exit when target is NULL)
 * without passing a stop event?  Depth first over blocks.
 */
int mc_path_avoiding(basic_block from, gimple *after,
		     int (*stop)(const struct mc_call *c, const void *ctx),
		     int (*target)(const struct mc_call *c, const void *ctx),
		     const void *ctx, struct mc_fn *f)
{
	int nb = last_basic_block_for_fn(f->fun);
	char *seen = XCNEWVEC(char, nb);
	basic_block *stack = XNEWVEC(basic_block, nb + 1);
	int top = 0, found = 0, r;

	r = scan_block(f, from, after, stop, target, ctx);
	if (r == 0)
		stack[top++] = from;
	found = r == 2;
	while (top && !found) {
		basic_block bb = stack[--top];
		edge e;
		edge_iterator ei;

		FOR_EACH_EDGE(e, ei, bb->succs) {
			if (e->dest == EXIT_BLOCK_PTR_FOR_FN(f->fun)) {
				found |= !target;
				continue;
			}
			if (seen[e->dest->index])
				continue;
			seen[e->dest->index] = 1;
			r = scan_block(f, e->dest, NULL, stop, target, ctx);
			found |= r == 2;
			if (r == 0)
				stack[top++] = e->dest;
		}
	}
	free(seen);
	free(stack);
	return found;
}

/*
 * The first block of the innermost branch that bb is reached on only
 * when a test of this role holds (if (pte_young(x)) { ... }), or NULL.
 * A check can then ask what else that branch does.
 */
basic_block mc_test_branch(basic_block bb, enum mmu_role role)
{
	basic_block d;
	edge e;
	edge_iterator ei;

	for (d = get_immediate_dominator(CDI_DOMINATORS, bb); d;
	     d = get_immediate_dominator(CDI_DOMINATORS, d)) {
		gimple *last = block_last_stmt(d);
		int sense;

		if (!last || gimple_code(last) != GIMPLE_COND)
			continue;
		sense = sense_towards(d, last, bb, role, role);
		if (sense != 1)
			continue;
		FOR_EACH_EDGE(e, ei, d->succs)
			if (single_pred_p(e->dest) &&
			    dominated_by_p(CDI_DOMINATORS, bb, e->dest))
				return e->dest;
	}
	return NULL;
}

/* The first API of a role in api/mmu_api.def, to name it in a message. */
const char *mc_role_api(enum mmu_role role)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(api_table); i++)
		if (api_table[i].role == role)
			return api_table[i].name;
	return "";
}

/*
 * What a function of this unit can do, for its callers in the unit
 * (MC_UNIT_*).  The pass runs on a unit's functions callees first (the
 * order early inlining needs), so a caller finds its callees marked.
 */
struct unit_mark {
	tree decl;
	unsigned int bits;
	const struct mc_note *note;	/* of the first bit that has one */
};

static struct unit_mark *unit_marks;
static unsigned int n_unit_marks, cap_unit_marks;

static struct unit_mark *unit_mark_of(tree decl, int add)
{
	unsigned int i;

	for (i = 0; i < n_unit_marks; i++)
		if (unit_marks[i].decl == decl)
			return &unit_marks[i];
	if (!add)
		return NULL;
	if (n_unit_marks == cap_unit_marks) {
		cap_unit_marks = cap_unit_marks ? 2 * cap_unit_marks : 32;
		unit_marks = XRESIZEVEC(struct unit_mark, unit_marks,
					cap_unit_marks);
	}
	unit_marks[n_unit_marks].decl = decl;
	unit_marks[n_unit_marks].bits = 0;
	unit_marks[n_unit_marks].note = NULL;
	return &unit_marks[n_unit_marks++];
}

/* The function an event calls (stores into a range are events too). */
tree mc_callee(const struct mc_call *c)
{
	return is_gimple_call(c->stmt) ? gimple_call_fndecl(c->stmt) : NULL_TREE;
}

void mc_unit_mark(struct mc_fn *f, unsigned int bits)
{
	unit_mark_of(f->fun->decl, 1)->bits |= bits;
}

/* A mark with the call that earned it, for the caller's report. */
void mc_unit_note(struct mc_fn *f, unsigned int bits, const struct mc_call *why)
{
	struct unit_mark *m = unit_mark_of(f->fun->decl, 1);
	struct mc_note *n;

	m->bits |= bits;
	if (m->note)
		return;
	n = XNEW(struct mc_note);
	n->name = xstrdup(mc_call_name(why));
	n->line = mc_line(why->stmt);
	m->note = n;
}

/* The note of a marked callee, or NULL. */
const struct mc_note *mc_unit_note_of(const struct mc_call *c,
				      unsigned int bits)
{
	tree fn = mc_callee(c);
	struct unit_mark *m = fn ? unit_mark_of(fn, 0) : NULL;

	return m && (m->bits & bits) ? m->note : NULL;
}

/* Is c a call of a function of this unit marked with one of these bits? */
int mc_unit_marked(const struct mc_call *c, unsigned int bits)
{
	tree fn = mc_callee(c);
	struct unit_mark *m = fn ? unit_mark_of(fn, 0) : NULL;

	return m && (m->bits & bits);
}

/* Can c reach huge_pmd_unshare(): the API itself, or a marked caller of it. */
int mc_reaches_unshare(const struct mc_call *c)
{
	return mc_role_is(c->api, MMU_ROLE_UNSHARE) ||
	       mc_unit_marked(c, MC_UNIT_UNSHARES);
}

/* Was the memory a value is loaded from handed to a widening call? */
static int loaded_from_widened(struct mc_fn *f, tree v)
{
	gimple *def = SSA_NAME_DEF_STMT(v);
	tree base;
	unsigned int i, a;

	if (!gimple_assign_single_p(def))
		return 0;
	base = get_base_address(gimple_assign_rhs1(def));
	/* range.start of a range set PUD-aligned (before a check marks it) */
	for (i = 0; base && i < f->n_object; i++)
		if (get_base_address(f->object[i].key) == base &&
		    mc_covers_pud(&f->object[i]))
			return 1;
	for (i = 0; base && i < f->n_call; i++) {
		gimple *w = f->call[i].stmt;

		if (mc_kind(f->call[i].api) != MMU_KIND_WIDEN)
			continue;
		for (a = 1; a < gimple_call_num_args(w) && a < 3; a++)
			if (address_base(gimple_call_arg(w, a)) == base)
				return 1;
	}
	return 0;
}

/* (addr & PUD_MASK) + PUD_SIZE: a sum or difference of wide values. */
static int wide_sum(struct mc_fn *f, gimple *def)
{
	enum tree_code code;

	if (!is_gimple_assign(def))
		return 0;
	code = gimple_assign_rhs_code(def);
	return (code == PLUS_EXPR || code == MINUS_EXPR ||
		code == POINTER_PLUS_EXPR) &&
	       mc_wide_value(f, gimple_assign_rhs1(def)) &&
	       mc_wide_value(f, gimple_assign_rhs2(def));
}

/*
 * Does an address (or size) given to a range reach the PUD region an
 * unshare unmaps: PUD-aligned by construction, a multiple of PUD_SIZE,
 * loaded from what was widened, or a parameter of a static function
 * (its callers in this unit are the ones that widen it).
 */
int mc_wide_value(struct mc_fn *f, tree v)
{
	v = mc_strip(v);
	if (!v)
		return 0;
	if (TREE_CODE(v) == INTEGER_CST)
		return TREE_INT_CST_LOW(v) % mc_size.pud == 0;
	if (TREE_CODE(v) != SSA_NAME)
		return 0;
	if (SSA_NAME_IS_DEFAULT_DEF(v))
		return SSA_NAME_VAR(v) &&
		       TREE_CODE(SSA_NAME_VAR(v)) == PARM_DECL &&
		       !TREE_PUBLIC(f->fun->decl);
	return pud_aligned(v) || loaded_from_widened(f, v) ||
	       wide_sum(f, SSA_NAME_DEF_STMT(v));
}

/* Can control go from block `from` to block `to` (from itself excluded)? */
int mc_block_reaches(function *fun, basic_block from, basic_block to)
{
	int nb = last_basic_block_for_fn(fun);
	char *seen = XCNEWVEC(char, nb);
	basic_block *stack = XNEWVEC(basic_block, nb + 1);
	int top = 0, found = 0;

	stack[top++] = from;
	while (top && !found) {
		basic_block bb = stack[--top];
		edge e;
		edge_iterator ei;

		FOR_EACH_EDGE(e, ei, bb->succs) {
			if (e->dest == to)
				found = 1;
			if (e->dest->index >= nb || seen[e->dest->index])
				continue;
			seen[e->dest->index] = 1;
			stack[top++] = e->dest;
		}
	}
	free(seen);
	free(stack);
	return found;
}

/* Does a call come after another on some path (a loop: both ways)? */
int mc_call_reaches(struct mc_fn *f, const struct mc_call *a,
		    const struct mc_call *b)
{
	if (a->bb == b->bb && stmt_order(a->stmt) < stmt_order(b->stmt))
		return 1;
	return mc_block_reaches(f->fun, a->bb, b->bb);
}
