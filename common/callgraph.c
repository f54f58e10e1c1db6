// SPDX-License-Identifier: GPL-2.0-only
/*
 * callgraph.c - coverage of functions by mmu_notifier brackets.
 *
 * A function is covered when some call site of it has a bracket open,
 * or sits in a covered function.  Unbracketed updates in an uncovered
 * function are MMU001 findings: no caller chain opens a bracket.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "callgraph.h"

static void *cg_alloc(void *p, size_t n, size_t size)
{
	p = realloc(p, n * size);
	if (!p && n) {
		fprintf(stderr, "mmucheck: out of memory\n");
		exit(2);
	}
	return p;
}

void cg_init(struct callgraph *g)
{
	memset(g, 0, sizeof(*g));
}

static size_t key_hash(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static void rehash(struct callgraph *g)
{
	size_t i;

	g->n_hash = g->n_hash ? g->n_hash * 2 : 256;
	free(g->hash);
	g->hash = (size_t *)cg_alloc(NULL, g->n_hash, sizeof(size_t));
	memset(g->hash, 0, g->n_hash * sizeof(size_t));
	for (i = 0; i < g->n_node; i++) {
		size_t h = key_hash(g->node[i].key) & (g->n_hash - 1);

		while (g->hash[h])
			h = (h + 1) & (g->n_hash - 1);
		g->hash[h] = i + 1;
	}
}

size_t cg_node_id(struct callgraph *g, const char *key)
{
	size_t h;
	struct cg_node *n;

	if (2 * (g->n_node + 1) > g->n_hash)
		rehash(g);
	for (h = key_hash(key) & (g->n_hash - 1); g->hash[h];
	     h = (h + 1) & (g->n_hash - 1))
		if (!strcmp(g->node[g->hash[h] - 1].key, key))
			return g->hash[h] - 1;
	if (g->n_node == g->cap_node) {
		g->cap_node = g->cap_node ? 2 * g->cap_node : 64;
		g->node = (struct cg_node *)cg_alloc(g->node, g->cap_node,
						     sizeof(*g->node));
	}
	n = &g->node[g->n_node];
	memset(n, 0, sizeof(*n));
	n->key = (char *)cg_alloc(NULL, strlen(key) + 1, 1);
	memcpy(n->key, key, strlen(key) + 1);
	g->hash[h] = ++g->n_node;
	return g->n_node - 1;
}

void cg_add_site(struct callgraph *g, size_t caller, size_t callee, int open)
{
	if (g->n_site == g->cap_site) {
		g->cap_site = g->cap_site ? 2 * g->cap_site : 256;
		g->site = (struct cg_site *)cg_alloc(g->site, g->cap_site,
						     sizeof(*g->site));
	}
	g->site[g->n_site].caller = caller;
	g->site[g->n_site].callee = callee;
	g->site[g->n_site].open = open;
	g->n_site++;
}

/*
 * The node is looked up (maybe added, moving the node array) before it
 * is written: g->node[cg_node_id(g, key)] may write to the old array.
 */
void cg_set_entry(struct callgraph *g, const char *key, int entry)
{
	size_t id = cg_node_id(g, key);

	g->node[id].entry = entry;
}

/* After cg_solve(). */
int cg_covered(struct callgraph *g, const char *key)
{
	size_t id = cg_node_id(g, key);

	return g->node[id].covered;
}

static int by_caller(const void *a, const void *b)
{
	const struct cg_site *x = (const struct cg_site *)a;
	const struct cg_site *y = (const struct cg_site *)b;

	if (x->caller != y->caller)
		return x->caller < y->caller ? -1 : 1;
	return x->callee < y->callee ? -1 : x->callee > y->callee;
}

/* Mark n covered and everything it calls, depth first, without recursion. */
static void cover_from(struct callgraph *g, size_t n, size_t *stack)
{
	size_t top = 0, i;

	if (g->node[n].covered)
		return;
	g->node[n].covered = 1;
	stack[top++] = n;
	while (top) {
		struct cg_node *c = &g->node[stack[--top]];

		for (i = c->first_out; i < c->first_out + c->n_out; i++) {
			size_t callee = g->site[i].callee;

			if (!g->node[callee].covered) {
				g->node[callee].covered = 1;
				stack[top++] = callee;
			}
		}
	}
}

void cg_solve(struct callgraph *g)
{
	size_t i, *stack;

	if (g->n_site)	/* qsort(NULL, 0, ...) is undefined */
		qsort(g->site, g->n_site, sizeof(*g->site), by_caller);
	for (i = 0; i < g->n_node; i++) {
		g->node[i].covered = 0;
		g->node[i].n_out = 0;
	}
	for (i = g->n_site; i-- > 0;) {
		g->node[g->site[i].caller].first_out = i;
		g->node[g->site[i].caller].n_out++;
	}
	stack = (size_t *)cg_alloc(NULL, g->n_node + 1, sizeof(size_t));
	for (i = 0; i < g->n_node; i++)
		if (g->node[i].entry)
			cover_from(g, i, stack);
	for (i = 0; i < g->n_site; i++)
		if (g->site[i].open)
			cover_from(g, g->site[i].callee, stack);
	free(stack);
}

void cg_free(struct callgraph *g)
{
	size_t i;

	for (i = 0; i < g->n_node; i++)
		free(g->node[i].key);
	free(g->node);
	free(g->site);
	free(g->hash);
	cg_init(g);
}
