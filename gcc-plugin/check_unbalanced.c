// SPDX-License-Identifier: GPL-2.0-only
/*
 * MMU004: every _start() meets its _end() on every path, on the same
 * range object with the same values, and the range is not edited while
 * it is open.
 */
#include "mmucheck.h"
#include "cfgloop.h"

static int is_end_of(const struct mc_call *c, const void *ctx)
{
	const struct mc_call *start = (const struct mc_call *)ctx;

	return c->object == start->object && mc_closes(c->api);
}

/*
 * Conditional brackets (if (x) start; ... if (x) end;) are not bugs:
 * only a start that dominates every end of its range is checked.
 * Returns how many ends there are, or -1 when one is not dominated.
 */
static int dominated_ends(struct mc_fn *f, const struct mc_call *s)
{
	unsigned int i;
	int ends = 0;

	for (i = 0; i < f->n_call; i++) {
		if (!is_end_of(&f->call[i], s))
			continue;
		ends++;
		if (!dominated_by_p(CDI_DOMINATORS, f->call[i].bb, s->bb))
			return -1;
	}
	return ends;
}

/* bb holds an end of s's range, or the test that only end is under. */
static int closes_or_tests(struct mc_fn *f, const struct mc_call *s,
			   basic_block bb)
{
	unsigned int i;

	for (i = 0; i < f->n_call; i++)
		if (is_end_of(&f->call[i], s) &&
		    (f->call[i].bb == bb ||
		     (single_pred_p(f->call[i].bb) &&
		      single_pred(f->call[i].bb) == bb)))
			return 1;
	return 0;
}

/*
 * e goes back to the header of a loop that holds bb: the next iteration
 * runs bb again.  A loop after the start (a bracket around a loop) has
 * no such edge.
 */
static int loop_back_over(edge e, basic_block bb)
{
	return dominated_by_p(CDI_DOMINATORS, e->src, e->dest) &&
	       dominated_by_p(CDI_DOMINATORS, bb, e->dest) &&
	       e->dest->loop_father &&
	       flow_bb_inside_loop_p(e->dest->loop_father, bb);
}

/*
 * A start opened on demand inside a loop (if (!range.start) start) and
 * closed after it under a test (if (range.start) end): a path that goes
 * round the loop (a back edge: its destination dominates its source)
 * and leaves the function without reaching the end or its test returns
 * from a later iteration with the range open, whatever the test says.
 * States are (block, back edge taken yet).
 */
static int returns_round_loop(struct mc_fn *f, const struct mc_call *s)
{
	int nb = last_basic_block_for_fn(f->fun), top = 0, found = 0;
	char *seen = XCNEWVEC(char, 2 * nb);
	int *stack = XNEWVEC(int, 2 * nb + 1);
	edge e;
	edge_iterator ei;

	stack[top++] = s->bb->index * 2;
	while (top && !found) {
		int st = stack[--top], round;
		basic_block bb = BASIC_BLOCK_FOR_FN(f->fun, st / 2);

		FOR_EACH_EDGE(e, ei, bb->succs) {
			round = (st & 1) || loop_back_over(e, s->bb);
			if (e->dest == EXIT_BLOCK_PTR_FOR_FN(f->fun)) {
				found |= round;
				continue;
			}
			if (seen[e->dest->index * 2 + round] ||
			    closes_or_tests(f, s, e->dest))
				continue;
			seen[e->dest->index * 2 + round] = 1;
			stack[top++] = e->dest->index * 2 + round;
		}
	}
	free(seen);
	free(stack);
	return found;
}

static void check_start(struct mc_fn *f, const struct mc_call *s)
{
	int ends = dominated_ends(f, s);

	if (ends < 0 && returns_round_loop(f, s)) {
		mc_report(f, s->stmt, MC_RULE_unbalanced,
			  mmu_msg_004_opened_in_loop,
			  mc_call_name(s));
		return;
	}

	if (!ends)
		mc_report(f, s->stmt, MC_RULE_unbalanced,
			  mmu_msg_004_never_ended,
			  mc_call_name(s));
	else if (ends > 0 &&
		 mc_path_avoiding(s->bb, s->stmt, is_end_of, NULL, s, f))
		mc_report(f, s->stmt, MC_RULE_unbalanced,
			  mmu_msg_004_path_unended,
			  mc_call_name(s));
}

static int started_anywhere(struct mc_fn *f, int object)
{
	unsigned int i;

	for (i = 0; i < f->n_call; i++)
		if (f->call[i].object == object && mc_opens(f->call[i].api))
			return 1;
	return 0;
}

static void check_end(struct mc_fn *f, const struct mc_call *e)
{
	tree key = f->object[e->object].key;

	/* A range passed in may have been started by the caller. */
	if (e->may & (1u << e->object) || TREE_CODE(key) != VAR_DECL)
		return;
	mc_report(f, e->stmt, MC_RULE_unbalanced, "%s() %s",
		  mc_call_name(e),
		  started_anywhere(f, e->object) ?
		  mmu_msg_004_end_before_start :
		  mmu_msg_004_end_never_started);
}

static void check_edit(struct mc_fn *f, const struct mc_call *w)
{
	tree field = TREE_OPERAND(gimple_assign_lhs(w->stmt), 1);

	if (w->may & (1u << w->object))
		mc_report(f, w->stmt, MC_RULE_unbalanced,
			  mmu_msg_004_field_written_open,
			  decl_name(field));
}

/* Old API: start(mm, s, e) and end(mm, s, e) must agree on s and e. */
static void check_values(struct mc_fn *f, const struct mc_call *e)
{
	struct mc_object *o = &f->object[e->object];

	if (gimple_call_num_args(e->stmt) != 3 || !o->init ||
	    gimple_call_num_args(o->init) != 3)
		return;
	if (!mc_same_value(gimple_call_arg(e->stmt, 1), o->start, 0) ||
	    !mc_same_value(gimple_call_arg(e->stmt, 2), o->end, 0))
		mc_report(f, e->stmt, MC_RULE_unbalanced,
			  mmu_msg_004_ends_different_range,
			  mc_call_name(e), mc_line(o->init));
}

void check_unbalanced(struct mc_fn *f)
{
	unsigned int i;

	for (i = 0; i < f->n_call; i++) {
		const struct mc_call *c = &f->call[i];

		if (c->object < 0)
			continue;
		if (!c->api)
			check_edit(f, c);
		else if (mc_role_is(c->api, MMU_ROLE_START))
			check_start(f, c);
		else if (mc_closes(c->api)) {
			check_end(f, c);
			check_values(f, c);
		}
	}
}
