// SPDX-License-Identifier: GPL-2.0-only
/*
 * mergecocci - every rule's semantic patch as one, so that spatch parses
 * each file once for all of them.
 *
 *	mergecocci cocci/mmu001_unbracketed.cocci ... > cocci/mmucheck.cocci
 *
 * spatch spends about half of a rule's time parsing C; run one rule at a
 * time and a file with the tokens of five rules is parsed five times.
 * The merged patch holds each input's rules unchanged but for names:
 *
 *  - SmPL rule names get the input's prefix (tokens -> mmu001_tokens),
 *    in rule headers, dependencies and inherited metavariables (r.x);
 *    the virtual rules (report, patch, ...) are shared.
 *  - Each input's Python runs in a namespace of its own (a dict that the
 *    input's @initialize block fills), so that two inputs may define the
 *    same global or helper: a script rule's body becomes a call that
 *    binds its metavariables in that namespace and runs the body's code,
 *    compiled once at start; a script:python constraint likewise.
 *  - A script rule named decided_here is the input's output gate: it
 *    calls cocci.include_match(False) when the file has no finding to
 *    print, which drops every later rule of the file, the other inputs'
 *    too.  So every input's rules before its gate come first, then one
 *    gate that drops the file only when every input's gate would, then
 *    the inputs' rules after their gates (they print, they decide
 *    nothing).
 *  - A script rule named prefilter is the input's own gate: its rules
 *    run in a file that has its tokens, or (-D prefiltered) in any file
 *    the driver chose by the rule's token query.  A merged run's files
 *    are the union of every rule's: the driver names the rules of each
 *    file in the file $MMUCHECK_LISTED ("FILE<TAB>MMU001 MMU003"), and
 *    the gate's "prefiltered" becomes a rule that holds when the file is
 *    listed for the input.  It tests the file's first function, found
 *    once for all inputs, so that it costs no match of its own.
 *  - An SmPL piece that several inputs include (tools/gencocci marks
 *    where each starts and ends) and that says "mmucheck-merge: shared"
 *    is matched once: its rules depend on the disjunction of what each
 *    input's copy depended on, and the Python state its code reaches
 *    (found at start from the code itself) is one object in every
 *    namespace that includes it.  The inputs' rules before the piece
 *    (their gates) come before it, their rules after it after it.
 *
 * The inputs must agree on their "// Options:" line.  Anything this
 * does not know how to keep equivalent is an error, never skipped.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Spelt so that checkpatch does not take it for this file's own tag. */
#define SPDX_TAG	"SPDX-License-Identifier"
#define SPDX_LINE	"// " SPDX_TAG ": GPL-2.0-only\n"

#define GATE_RULE	"decided_here"
#define MERGED_GATE	"mmucheck_decided"
#define PREFILTER_RULE	"prefilter"
#define PREFILTERED	"prefiltered"
#define LISTED_RULE	"listed"
#define FILE_RULE	"mmucheck_file"

enum kind { SMPL, SCRIPT, INITIALIZE, FINALIZE };

struct rule {
	enum kind kind;
	char *name;		/* NULL when anonymous */
	char *header;		/* "@...@" */
	char **decls;		/* lines between the header and "@@" */
	size_t ndecls;
	char **body;		/* lines after "@@" up to the next header */
	size_t nbody;
};

struct input {
	const char *path;
	char prefix[16];	/* "mmu001_" */
	char *options;		/* its "// Options:" line */
	struct rule *rules;
	size_t nrules;
	size_t gate;		/* index of its decided_here rule, or nrules */
	size_t ncode;		/* Python code blocks numbered so far */
	size_t gate_code;	/* its decided_here rule's code block */
	/* A piece marked "mmucheck-merge: shared": its rules, or gate, gate. */
	char *piece;
	size_t piece_from, piece_to;
	struct input *owner;	/* the first input that holds the piece */
	size_t code_from, code_to;	/* owner: the piece's Python code */
	char *open_piece;	/* while reading: the piece we are in */
	int open_shared;
	size_t open_from;
};

static struct input *inputs;
static size_t ninputs;
static const struct input *emitting_piece;	/* whose piece is being put */

static char **virtuals;
static size_t nvirtuals;

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		perror("mergecocci");
		exit(1);
	}
	return p;
}

#define PUSH(arr, n, v) do {					\
	(arr) = xrealloc((arr), ((n) + 1) * sizeof(*(arr)));	\
	(arr)[(n)++] = (v);					\
} while (0)

static int fail(const struct input *in, const char *what, const char *line)
{
	fprintf(stderr, "mergecocci: %s: %s: %s\n", in->path, what, line);
	return -1;
}

static int is_ident(int c)
{
	return isalnum(c) || c == '_';
}

/* A rule header: "@...@" alone on its line, not the "@@" that ends decls. */
static int is_header(const char *line)
{
	size_t n = strlen(line);

	return n > 2 && line[0] == '@' && strchr(line + 1, '@') == line + n - 1;
}

/* The rule's kind and name from its header. */
static int parse_header(struct input *in, struct rule *r)
{
	const char *p = r->header + 1;
	size_t n;

	if (!strncmp(p, "initialize:python@", 18)) {
		r->kind = INITIALIZE;
		return 0;
	}
	if (!strncmp(p, "finalize:python@", 16)) {
		r->kind = FINALIZE;
		return 0;
	}
	r->kind = SMPL;
	if (!strncmp(p, "script:python", 13)) {
		r->kind = SCRIPT;
		p += 13;
		if (*p != ' ' && *p != '@')
			return fail(in, "unsupported script rule", r->header);
		p += strspn(p, " ");
	}
	n = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789_");
	if (n && !(n == 7 && !strncmp(p, "depends", 7)) &&
	    !(n == 6 && !strncmp(p, "exists", 6)) &&
	    !(n == 6 && !strncmp(p, "forall", 6)))
		r->name = strndup(p, n);
	return 0;
}

static char *chomp(char *line)
{
	line[strcspn(line, "\n")] = '\0';
	return line;
}

/*
 * The piece markers of tools/gencocci around an included SmPL piece,
 * and the piece's own "mmucheck-merge: shared": remember where the
 * shared one starts and ends (the index of the next rule).
 */
static int piece_marker(struct input *in, const char *line)
{
	if (!strncmp(line, "// mmucheck-piece: ", 19)) {
		if (in->open_piece)
			return fail(in, "a piece inside a piece", line);
		in->open_piece = strdup(line + 19);
		in->open_shared = 0;
		in->open_from = in->nrules;
	} else if (!strcmp(line, "// mmucheck-merge: shared")) {
		in->open_shared = 1;
	} else if (!strncmp(line, "// mmucheck-piece-end: ", 23)) {
		if (!in->open_piece || strcmp(in->open_piece, line + 23))
			return fail(in, "a piece end with no start", line);
		if (in->open_shared && in->piece)
			return fail(in, "a second shared piece", line);
		if (in->open_shared) {
			in->piece = in->open_piece;
			in->piece_from = in->open_from;
			in->piece_to = in->nrules;
		} else {
			free(in->open_piece);
		}
		in->open_piece = NULL;
	}
	return 0;
}

static int is_virtual(const char *name, size_t n)
{
	for (size_t i = 0; i < nvirtuals; i++)
		if (strlen(virtuals[i]) == n && !strncmp(virtuals[i], name, n))
			return 1;
	return 0;
}

static int read_input(struct input *in)
{
	FILE *f = fopen(in->path, "r");
	const char *base = strrchr(in->path, '/');
	struct rule *r = NULL;
	char *line = NULL;
	size_t cap = 0;
	int in_decls = 0;

	if (!f) {
		perror(in->path);
		return -1;
	}
	base = base ? base + 1 : in->path;
	snprintf(in->prefix, sizeof(in->prefix), "%.*s_",
		 (int)strcspn(base, "_."), base);
	while (getline(&line, &cap, f) > 0) {
		char *l = strdup(chomp(line));

		if (piece_marker(in, l))
			return -1;
		if (is_header(l)) {
			PUSH(in->rules, in->nrules, ((struct rule){ .header = l }));
			r = &in->rules[in->nrules - 1];
			if (parse_header(in, r))
				return -1;
			in_decls = 1;
		} else if (!r) {	/* the preamble */
			if (!strncmp(l, "virtual ", 8) &&
			    !is_virtual(l + 8, strlen(l + 8)))
				PUSH(virtuals, nvirtuals, strdup(l + 8));
			else if (!strncmp(l, "// Options:", 11))
				in->options = strdup(l);
			free(l);
		} else if (in_decls && !strcmp(l, "@@")) {
			in_decls = 0;
			free(l);
		} else if (in_decls) {
			PUSH(r->decls, r->ndecls, l);
		} else {
			PUSH(r->body, r->nbody, l);
		}
	}
	free(line);
	fclose(f);
	in->gate = in->nrules;
	for (size_t i = 0; i < in->nrules; i++)
		if (in->rules[i].kind == SCRIPT && in->rules[i].name &&
		    !strcmp(in->rules[i].name, GATE_RULE))
			in->gate = i;
	if (!in->options)
		return fail(in, "no // Options: line", "");
	if (in->open_piece)
		return fail(in, "a piece with no end", in->open_piece);
	if (!in->piece)
		in->piece_from = in->piece_to = in->gate;
	else if (in->piece_to > in->gate)
		return fail(in, "a shared piece after the output gate", in->piece);
	return 0;
}

/* Is the n bytes at s the name of one of the input's rules from..to-1? */
static int names_rule(const struct input *in, size_t from, size_t to,
		      const char *s, size_t n)
{
	for (size_t i = from; i < to; i++)
		if (in->rules[i].name && strlen(in->rules[i].name) == n &&
		    !strncmp(in->rules[i].name, s, n))
			return 1;
	return 0;
}

static int is_rule_name(const struct input *in, const char *s, size_t n)
{
	return names_rule(in, 0, in->nrules, s, n) && !is_virtual(s, n);
}

/* Is it the name of a rule of the input's shared piece? */
static int in_piece(const struct input *in, const char *s, size_t n)
{
	return names_rule(in, in->piece_from, in->piece_to, s, n);
}

/* A rule name as the merged patch spells it: the piece's, its owner's. */
static void put_rule_name(const struct input *in, const char *s, size_t n,
			  FILE *out)
{
	if (n == strlen(GATE_RULE) && !strncmp(s, GATE_RULE, n))
		fputs(MERGED_GATE, out);
	else if (in->owner && in_piece(in, s, n))
		fprintf(out, "%s%.*s", in->owner->prefix, (int)n, s);
	else
		fprintf(out, "%s%.*s", in->prefix, (int)n, s);
}

/*
 * In a shared piece's rule header, a rule outside the piece (the gate
 * prefilter) stands for the same rule of every input holding the piece.
 */
static void put_any_sharer(const char *s, size_t n, FILE *out)
{
	const char *sep = "(";

	for (size_t i = 0; i < ninputs; i++) {
		if (inputs[i].owner != emitting_piece)
			continue;
		fputs(sep, out);
		put_rule_name(&inputs[i], s, n, out);
		sep = " || ";
	}
	putc(')', out);
}

/*
 * Copy text with the input's rule names renamed: every identifier that
 * names one (headers, dependencies) or, with dotted_only, only one
 * followed by '.' (r.x in declarations).  String literals are copied.
 */
static void put_renamed(const struct input *in, const char *s, size_t len,
			int dotted_only, FILE *out)
{
	const char *end = s + len;

	while (s < end) {
		size_t n;

		if (*s == '"') {
			const char *q = s + 1;

			while (q < end && *q != '"')
				q += *q == '\\' ? 2 : 1;
			q = q < end ? q + 1 : end;
			fwrite(s, 1, q - s, out);
			s = q;
			continue;
		}
		if (!is_ident((unsigned char)*s)) {
			putc(*s++, out);
			continue;
		}
		for (n = 0; s + n < end && is_ident((unsigned char)s[n]); n++)
			;
		if (is_rule_name(in, s, n) && !dotted_only &&
		    emitting_piece == in && !in_piece(in, s, n))
			put_any_sharer(s, n, out);
		else if (is_rule_name(in, s, n) &&
			 (!dotted_only || (s + n < end && s[n] == '.')))
			put_rule_name(in, s, n, out);
		else
			fwrite(s, 1, n, out);
		s += n;
	}
}

/* A Python string literal of the lines, one literal per line. */
static void put_py_lines(char **lines, size_t n, FILE *out)
{
	for (size_t i = 0; i < n; i++) {
		putc('"', out);
		for (const char *p = lines[i]; *p; p++) {
			if (*p == '\t')
				fputs("\\t", out);
			else if (*p == '"' || *p == '\\')
				fprintf(out, "\\%c", *p);
			else
				putc(*p, out);
		}
		fputs("\\n\"\n", out);
	}
	if (!n)
		fputs("\"\"\n", out);
}

/* The Python code of a body: its trailing SmPL comments and blanks are not. */
static size_t code_lines(const struct rule *r)
{
	size_t n = r->nbody;

	while (n && (!*r->body[n - 1] || !strncmp(r->body[n - 1], "//", 2)))
		n--;
	return n;
}

/* "_mmu_ns_mmu001": an input's Python namespace. */
static void put_ns(const struct input *in, FILE *out)
{
	fprintf(out, "_mmu_ns_%.*s", (int)strlen(in->prefix) - 1, in->prefix);
}

static void put_code_name(const struct input *in, size_t i, FILE *out)
{
	fprintf(out, "_mmu_code_%s%zu", in->prefix, i);
}

/*
 * A declaration with its script:python(ARGS) { EXPR } constraint, if
 * any, split: the text before "script:python(", the arguments, the
 * expression, the text after the closing brace.  0 when it has none.
 */
struct constraint {
	const char *before_end;	/* end of the text before */
	const char *args, *args_end;
	const char *expr, *expr_end;
	const char *after;
};

static int find_constraint(const char *decl, struct constraint *c)
{
	const char *p = strstr(decl, "script:python");
	int depth = 0;

	if (!p)
		return 0;
	c->before_end = p;
	p += 13;
	p += strspn(p, " ");
	if (*p != '(')
		return -1;
	c->args = p + 1;
	c->args_end = strchr(c->args, ')');
	if (!c->args_end)
		return -1;
	p = c->args_end + 1 + strspn(c->args_end + 1, " ");
	if (*p != '{')
		return -1;
	c->expr = p + 1;
	for (p = c->expr; *p; p++) {
		if (*p == '{')
			depth++;
		else if (*p == '}' && !depth--)
			break;
	}
	if (!*p)
		return -1;
	c->expr_end = p;
	c->after = p + 1;
	return 1;
}

/* The name a Python name binds for "r.x" or "x": x. */
static void put_binding(const char *s, size_t n, FILE *out)
{
	const char *dot = memrchr(s, '.', n);

	if (dot) {
		n -= dot + 1 - s;
		s = dot + 1;
	}
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (n)
		fprintf(out, ", %.*s=%.*s", (int)n, s, (int)n, s);
}

/*
 * The metavariable a "TYPE [r.]x : script:python(...)" constraint tests
 * is bound in the expression too; "= script:python" makes a fresh one.
 */
static void put_constrained(const char *decl, const struct constraint *c,
			    FILE *out)
{
	const char *p = c->before_end;
	const char *end;

	while (p > decl && isspace((unsigned char)p[-1]))
		p--;
	if (p == decl || p[-1] != ':')
		return;
	p--;
	while (p > decl && isspace((unsigned char)p[-1]))
		p--;
	end = p;
	while (p > decl && (is_ident((unsigned char)p[-1]) || p[-1] == '.'))
		p--;
	put_binding(p, end - p, out);
}

/* Each constraint's expression compiled at start: the list to compile. */
struct pending {
	const struct input *in;
	size_t code;
	char *text;
	const char *mode;
};

static struct pending *pending;
static size_t npending;

static void add_pending(struct input *in, char **lines, size_t n,
			const char *mode)
{
	struct pending p = { .in = in, .code = in->ncode++, .mode = mode };
	size_t len = 0;
	FILE *m = open_memstream(&p.text, &len);

	put_py_lines(lines, n, m);
	fclose(m);
	PUSH(pending, npending, p);
}

static int put_decl(struct input *in, const char *decl, FILE *out)
{
	struct constraint c;
	int has = find_constraint(decl, &c);
	char *expr;

	if (has < 0)
		return fail(in, "unreadable script constraint", decl);
	if (!has) {
		put_renamed(in, decl, strlen(decl), 1, out);
		putc('\n', out);
		return 0;
	}
	put_renamed(in, decl, c.before_end - decl, 1, out);
	fprintf(out, "script:python(%.*s) { _mmu_eval(",
		(int)(c.args_end - c.args), c.args);
	put_ns(in, out);
	fputs(", ", out);
	put_code_name(in, in->ncode, out);
	put_constrained(decl, &c, out);
	for (const char *a = c.args; a < c.args_end; ) {
		const char *comma = memchr(a, ',', c.args_end - a);
		const char *e = comma ? comma : c.args_end;

		put_binding(a, e - a, out);
		a = e + 1;
	}
	fputs(") }", out);
	put_renamed(in, c.after, strlen(c.after), 1, out);
	putc('\n', out);
	while (isspace((unsigned char)*c.expr))
		c.expr++;
	while (c.expr_end > c.expr && isspace((unsigned char)c.expr_end[-1]))
		c.expr_end--;
	expr = strndup(c.expr, c.expr_end - c.expr);
	add_pending(in, &expr, 1, "eval");
	free(expr);
	return 0;
}

/*
 * A script rule: "v << r.x;" declarations bind v; the body runs in the
 * input's namespace.  A script rule that makes metavariables is not
 * supported (none does).
 */
static int put_script(struct input *in, const struct rule *r, FILE *out)
{
	size_t i, n = code_lines(r);

	put_renamed(in, r->header, strlen(r->header), 0, out);
	putc('\n', out);
	for (i = 0; i < r->ndecls; i++) {
		if (!strstr(r->decls[i], "<<"))
			return fail(in, "unsupported script declaration", r->decls[i]);
		put_renamed(in, r->decls[i], strlen(r->decls[i]), 1, out);
		putc('\n', out);
	}
	fputs("@@\n_mmu_run(", out);
	put_ns(in, out);
	fputs(", ", out);
	put_code_name(in, in->ncode, out);
	for (i = 0; i < r->ndecls; i++)
		put_binding(r->decls[i], strcspn(r->decls[i], "<"), out);
	fputs(")\n", out);
	add_pending(in, r->body, n, "exec");
	for (i = n; i < r->nbody; i++)
		fprintf(out, "%s\n", r->body[i]);
	return 0;
}

/* A copy of text with each whole word WORD in it replaced by BY. */
static char *replace_word(const char *text, const char *word, const char *by)
{
	size_t n = strlen(word), len = 0;
	char *res = NULL;
	FILE *m = open_memstream(&res, &len);
	const char *p;

	for (p = text; *p; ) {
		if (!strncmp(p, word, n) && !is_ident((unsigned char)p[n]) &&
		    (p == text || !is_ident((unsigned char)p[-1]))) {
			fputs(by, m);
			p += n;
		} else {
			putc(*p++, m);
		}
	}
	fclose(m);
	return res;
}

/*
 * Before the input's prefilter gate: the rule that holds when the
 * driver listed the file for this input, and the gate's header with it
 * in place of the virtual rule prefiltered.
 */
static char *put_listed(const struct input *in, const struct rule *gate,
			FILE *out)
{
	char *listed = NULL, *header;
	size_t len = 0;
	FILE *m = open_memstream(&listed, &len);

	put_rule_name(in, LISTED_RULE, strlen(LISTED_RULE), m);
	fclose(m);
	fprintf(out, "// The driver listed this file for %.*s (-D prefiltered).\n",
		(int)strlen(in->prefix) - 1, in->prefix);
	fprintf(out, "@%s depends on %s@\nidentifier %s.fn;\n", listed,
		PREFILTERED, FILE_RULE);
	fprintf(out, "position %s.p : script:python() { _mmu_listed(\"%.*s\", p) };\n@@\nfn@p(...) { ... }\n\n",
		FILE_RULE, (int)strlen(in->prefix) - 1, in->prefix);
	header = replace_word(gate->header, PREFILTERED, listed);
	free(listed);
	return header;
}

static int put_prefilter(struct input *in, const struct rule *r, FILE *out)
{
	struct rule gate = *r;
	int ret;

	gate.header = put_listed(in, r, out);
	ret = put_script(in, &gate, out);
	free(gate.header);
	return ret;
}

static int put_rule(struct input *in, const struct rule *r, FILE *out)
{
	size_t i;

	switch (r->kind) {
	case SCRIPT:
		if (r->name && !strcmp(r->name, PREFILTER_RULE))
			return put_prefilter(in, r, out);
		return put_script(in, r, out);
	case SMPL:
		put_renamed(in, r->header, strlen(r->header), 0, out);
		putc('\n', out);
		for (i = 0; i < r->ndecls; i++)
			if (put_decl(in, r->decls[i], out))
				return -1;
		fputs("@@\n", out);
		for (i = 0; i < r->nbody; i++)
			fprintf(out, "%s\n", r->body[i]);
		return 0;
	case INITIALIZE:
		return 0;	/* all of them in the merged @initialize */
	default:
		return fail(in, "unsupported rule", r->header);
	}
}

static int put_rules(struct input *in, size_t from, size_t to, FILE *out)
{
	for (size_t i = from; i < to; i++)
		if (i != in->gate && put_rule(in, &in->rules[i], out))
			return -1;
	return 0;
}

/* A piece's rule's body ends at the piece's end marker. */
static size_t piece_body(const struct rule *r)
{
	size_t n;

	for (n = 0; n < r->nbody; n++)
		if (!strncmp(r->body[n], "// mmucheck-piece-end: ", 23))
			break;
	return n;
}

static int same_rule(const struct rule *x, const struct rule *y)
{
	size_t i, n = piece_body(x);

	if (strcmp(x->header, y->header) || x->ndecls != y->ndecls ||
	    n != piece_body(y))
		return 0;
	for (i = 0; i < x->ndecls; i++)
		if (strcmp(x->decls[i], y->decls[i]))
			return 0;
	for (i = 0; i < n; i++)
		if (strcmp(x->body[i], y->body[i]))
			return 0;
	return 1;
}

/* A declaration of the piece inherits from a rule outside it (r.x). */
static int inherits_outside(const struct input *in, const char *decl)
{
	const char *p;

	for (p = decl; *p; p++) {
		size_t n = 0;

		if (p > decl && is_ident((unsigned char)p[-1]))
			continue;
		while (is_ident((unsigned char)p[n]))
			n++;
		if (n && p[n] == '.' && is_rule_name(in, p, n) &&
		    !in_piece(in, p, n))
			return 1;
	}
	return 0;
}

/*
 * Each input's shared piece is emitted by the first input holding a
 * piece of that name; every copy must be the same text, and inherit
 * nothing from outside it (a disjunction of dependencies is all the
 * merged piece can stand for).
 */
static int assign_owners(void)
{
	for (size_t i = 0; i < ninputs; i++) {
		struct input *in = &inputs[i];
		size_t j, k;

		if (!in->piece)
			continue;
		for (j = 0; strcmp(inputs[j].piece ? inputs[j].piece : "", in->piece); j++)
			;
		in->owner = &inputs[j];
		if (in->piece_to - in->piece_from !=
		    in->owner->piece_to - in->owner->piece_from)
			return fail(in, "its copy of a shared piece differs", in->piece);
		for (k = in->piece_from; k < in->piece_to; k++) {
			const struct rule *r = &in->rules[k];

			if (!same_rule(r, &in->owner->rules[in->owner->piece_from + k - in->piece_from]))
				return fail(in, "its copy of a shared piece differs", r->header);
			for (size_t d = 0; d < r->ndecls; d++)
				if (inherits_outside(in, r->decls[d]))
					return fail(in, "a shared piece inherits from outside it", r->decls[d]);
		}
	}
	return 0;
}

/* The owner's piece, once; its rules depend on any sharer's gate. */
static int put_piece(struct input *owner, FILE *out)
{
	int ret;

	emitting_piece = owner;
	owner->code_from = owner->ncode;
	ret = put_rules(owner, owner->piece_from, owner->piece_to, out);
	owner->code_to = owner->ncode;
	emitting_piece = NULL;
	return ret;
}

/* The Python state the piece's code reaches is one in every sharer. */
static void put_sharing(const struct input *owner, FILE *out)
{
	size_t i;

	fputs("_mmu_share(", out);
	put_ns(owner, out);
	fputs(", [", out);
	for (i = 0; i < ninputs; i++) {
		if (inputs[i].owner != owner || &inputs[i] == owner)
			continue;
		put_ns(&inputs[i], out);
		fputs(", ", out);
	}
	fputs("], [", out);
	for (i = owner->code_from; i < owner->code_to; i++) {
		put_code_name(owner, i, out);
		fputs(", ", out);
	}
	fputs("])\n", out);
}

static const char runtime[] =
"# Each rule's Python has a namespace of its own: what spatch defines\n"
"# (cocci, coccilib, ...) and what the rule's @initialize defines.\n"
"def _mmu_namespace():\n"
"\treturn dict((k, v) for k, v in globals().items() if not k.startswith(\"_mmu\"))\n"
"\n"
"def _mmu_run(ns, code, **bound):\n"
"\tns.update(bound)\n"
"\tns[\"cocci\"] = cocci\n"
"\texec(code, ns)\n"
"\n"
"def _mmu_eval(ns, code, **bound):\n"
"\tns.update(bound)\n"
"\treturn eval(code, ns)\n"
"\n"
"class _MmuGate:\n"
"\t\"\"\"What a rule's own gate asked of cocci.include_match().\"\"\"\n"
"\tdef __init__(self):\n"
"\t\tself.included = True\n"
"\tdef include_match(self, included):\n"
"\t\tself.included = included\n"
"\n"
"def _mmu_gate(gates):\n"
"\t\"\"\"Every rule's gate runs (each forgets its file's findings); the\n"
"\tfile goes on to the printing rules when one of them would.\"\"\"\n"
"\tkeep = False\n"
"\tfor ns, code in gates:\n"
"\t\tgate = _MmuGate()\n"
"\t\tns[\"cocci\"] = gate\n"
"\t\texec(code, ns)\n"
"\t\tkeep = keep or gate.included\n"
"\treturn keep\n"
"\n"
"# The rules of each file of a prefiltered run, as the driver chose them.\n"
"_MMU_LISTED = {}\n"
"if os.environ.get(\"MMUCHECK_LISTED\"):\n"
"\tfor _line in open(os.environ[\"MMUCHECK_LISTED\"]):\n"
"\t\t_file, _, _rules = _line.rstrip(\"\\n\").partition(\"\\t\")\n"
"\t\t_MMU_LISTED[_file] = set(_rules.lower().split())\n"
"\n"
"_MMU_FIRST = {}\n"
"\n"
"def _mmu_first(p):\n"
"\t\"\"\"Whether p is the first function definition spatch saw in its file.\"\"\"\n"
"\tat = (p[0].line, p[0].column)\n"
"\treturn _MMU_FIRST.setdefault(p[0].file, at) == at\n"
"\n"
"def _mmu_listed(rule, p):\n"
"\treturn rule in _MMU_LISTED.get(p[0].file, ())\n"
"\n"
"def _mmu_state(ns, codes):\n"
"\t\"\"\"The globals of ns that the code reaches, directly or through the\n"
"\tfunctions it calls: the state it reads and fills.\"\"\"\n"
"\tseen, state, todo = set(), set(), list(codes)\n"
"\twhile todo:\n"
"\t\tcode = todo.pop()\n"
"\t\ttodo += [c for c in code.co_consts if isinstance(c, types.CodeType)]\n"
"\t\tfor name in code.co_names:\n"
"\t\t\tif name in seen or name not in ns:\n"
"\t\t\t\tcontinue\n"
"\t\t\tseen.add(name)\n"
"\t\t\tvalue = ns[name]\n"
"\t\t\tif isinstance(value, types.FunctionType):\n"
"\t\t\t\ttodo.append(value.__code__)\n"
"\t\t\telif not isinstance(value, (types.ModuleType, type, types.BuiltinFunctionType)):\n"
"\t\t\t\tstate.add(name)\n"
"\treturn state\n"
"\n"
"def _mmu_share(owner, others, codes):\n"
"\t\"\"\"A shared piece runs in owner's namespace: the others see its state.\"\"\"\n"
"\tfor name in _mmu_state(owner, codes):\n"
"\t\tfor ns in others:\n"
"\t\t\tns[name] = owner[name]\n";

static void put_initialize(struct input *ins, size_t n, FILE *out)
{
	size_t i, j;

	fputs("@initialize:python@\n@@\nimport os\nimport types\n\n", out);
	fputs(runtime, out);
	for (i = 0; i < n; i++) {
		fputc('\n', out);
		put_ns(&ins[i], out);
		fputs(" = _mmu_namespace()\nexec(compile(\n", out);
		for (j = 0; j < ins[i].nrules; j++)
			if (ins[i].rules[j].kind == INITIALIZE)
				put_py_lines(ins[i].rules[j].body,
					     code_lines(&ins[i].rules[j]), out);
		fprintf(out, ", \"%s\", \"exec\"), ", ins[i].path);
		put_ns(&ins[i], out);
		fputs(")\n", out);
	}
	for (i = 0; i < npending; i++) {
		put_code_name(pending[i].in, pending[i].code, out);
		fprintf(out, " = compile(\n%s, \"%s\", \"%s\")\n",
			pending[i].text, pending[i].in->path, pending[i].mode);
	}
	for (i = 0; i < n; i++)
		if (ins[i].owner == &ins[i])
			put_sharing(&ins[i], out);
	fputs("_mmu_gates = [", out);
	for (i = 0; i < n; i++) {
		if (ins[i].gate == ins[i].nrules)
			continue;
		fputs("(", out);
		put_ns(&ins[i], out);
		fputs(", ", out);
		put_code_name(&ins[i], ins[i].gate_code, out);
		fputs("), ", out);
	}
	fputs("]\n", out);
	fputc('\n', out);
}

static void put_preamble(struct input *ins, size_t n, FILE *out)
{
	size_t i;

	fputs(SPDX_LINE, out);
	fputs("/// mmucheck: every rule in one pass over each file\n///\n", out);
	fputs("/// The semantic patches of", out);
	for (i = 0; i < n; i++)
		fprintf(out, " %s", ins[i].path);
	fputs(",\n/// merged so that spatch parses each file once for all of them.\n", out);
	fputs("/// Each rule's findings and messages are those of its own patch.\n///\n", out);
	fputs("// Confidence: Moderate\n", out);
	fputs("// Copyright: (C) 2026 the mmucheck authors\n", out);
	fputs("// URL: https://coccinelle.gitlabpages.inria.fr/website\n", out);
	fprintf(out, "%s\n", ins[0].options);
	fputs("// Generated by tools/mergecocci; do not edit.\n\n", out);
	for (i = 0; i < nvirtuals; i++)
		fprintf(out, "virtual %s\n", virtuals[i]);
	fputc('\n', out);
}

/*
 * The gate of every input: it runs where one of the inputs' gates would
 * (the disjunction of their dependencies, which also keeps the tokens
 * spatch's file filter needs), and drops the file when none keeps it.
 */
static void put_merged_gate(struct input *ins, size_t n, FILE *out)
{
	const char *sep = " depends on ";
	size_t i;

	fputs("// --- every rule's output gate -----------------------------------------\n\n", out);
	fprintf(out, "@script:python %s", MERGED_GATE);
	for (i = 0; i < n; i++)		/* one that runs in every file: so does this */
		if (ins[i].gate < ins[i].nrules &&
		    !strstr(ins[i].rules[ins[i].gate].header, " depends on "))
			sep = NULL;
	for (i = 0; sep && i < n; i++) {
		const char *dep;

		if (ins[i].gate == ins[i].nrules)
			continue;
		dep = strstr(ins[i].rules[ins[i].gate].header, " depends on ") +
		      strlen(" depends on ");
		fprintf(out, "%s(", sep);
		put_renamed(&ins[i], dep, strlen(dep) - 1, 0, out);
		putc(')', out);
		sep = " || ";
	}
	fputs("@\n@@\nif not _mmu_gate(_mmu_gates):\n\tcocci.include_match(False)\n\n", out);
}

int main(int argc, char **argv)
{
	size_t n = argc - 1, i;
	struct input *ins = calloc(n + 1, sizeof(*ins));
	char *text = NULL;
	size_t len = 0;
	FILE *body;

	if (argc < 2) {
		fprintf(stderr, "usage: mergecocci RULE.cocci... > MERGED.cocci\n");
		return 2;
	}
	inputs = ins;
	ninputs = n;
	for (i = 0; i < n; i++) {
		ins[i].path = argv[i + 1];
		if (read_input(&ins[i]))
			return 1;
		if (strcmp(ins[i].options, ins[0].options))
			return fail(&ins[i], "options differ from the first input's",
				    ins[i].options) ? 1 : 0;
	}
	if (assign_owners())
		return 1;
	/* The rules first: they number the code blocks @initialize compiles. */
	body = open_memstream(&text, &len);
	fprintf(body, "// Each file's first function: where the prefiltered gates look.\n"
		"@%s depends on %s@\nidentifier fn;\n"
		"position p : script:python() { _mmu_first(p) };\n@@\nfn@p(...) { ... }\n\n",
		FILE_RULE, PREFILTERED);
	for (i = 0; i < n; i++)	/* up to the shared piece: the gates */
		if (put_rules(&ins[i], 0, ins[i].piece_from, body))
			return 1;
	for (i = 0; i < n; i++)
		if (ins[i].owner == &ins[i] && put_piece(&ins[i], body))
			return 1;
	for (i = 0; i < n; i++)
		if (put_rules(&ins[i], ins[i].piece_to, ins[i].gate, body))
			return 1;
	put_merged_gate(ins, n, body);
	for (i = 0; i < n; i++) {	/* each gate's code, for _mmu_gate() */
		const struct rule *g;

		if (ins[i].gate == ins[i].nrules)
			continue;
		g = &ins[i].rules[ins[i].gate];
		ins[i].gate_code = ins[i].ncode;
		add_pending(&ins[i], g->body, code_lines(g), "exec");
	}
	for (i = 0; i < n; i++)
		if (put_rules(&ins[i], ins[i].gate, ins[i].nrules, body))
			return 1;
	fclose(body);
	put_preamble(ins, n, stdout);
	put_initialize(ins, n, stdout);
	fputs(text, stdout);
	free(text);
	return ferror(stdout) ? 1 : 0;
}
