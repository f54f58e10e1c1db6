/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * callgraph.h - who calls whom, and whether a bracket is open at the
 * call.  The GCC plugin uses it for one translation unit, the link step
 * (mmucheck link) for a whole build: one algorithm for both.
 * The code is valid C and C++ (the plugin is built by g++).
 */
#ifndef MMUCHECK_CALLGRAPH_H
#define MMUCHECK_CALLGRAPH_H

#include <stddef.h>

struct cg_node {
	char *key;		/* "name" (extern) or "unit::name" (static) */
	int covered;		/* some caller chain opens a bracket */
	int entry;		/* assume covered: callers outside the graph */
	size_t first_out;	/* index into the sorted site array */
	size_t n_out;
};

struct cg_site {
	size_t caller, callee;
	int open;		/* a bracket is (or may be) open at the call */
};

struct callgraph {
	struct cg_node *node;
	size_t n_node, cap_node;
	struct cg_site *site;
	size_t n_site, cap_site;
	size_t *hash;		/* open addressing: node index + 1, 0 = free */
	size_t n_hash;
};

void cg_init(struct callgraph *g);
size_t cg_node_id(struct callgraph *g, const char *key);
void cg_add_site(struct callgraph *g, size_t caller, size_t callee, int open);
void cg_set_entry(struct callgraph *g, const char *key, int entry);
int cg_covered(struct callgraph *g, const char *key);
void cg_solve(struct callgraph *g);
void cg_free(struct callgraph *g);

#endif
