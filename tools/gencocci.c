// SPDX-License-Identifier: GPL-2.0-only
/*
 * gencocci - generate a semantic patch from its template.
 *
 *	gencocci SRCDIR cocci/src/mmuNNN_slug.cocci.in > cocci/mmuNNN_slug.cocci
 *
 * writes the rule's coccicheck header from api/mmu_rules.def (a template
 * whose rule the registry lacks is an error), then the template with
 * every {{ROLE[|ROLE...]}} replaced by the names api/mmu_api.def lists
 * for those roles, joined by '|' so that a rule can write
 *	identifier prim =~ "^({{PRIM_PMD|PRIM_PUD}})$";
 * An alternative F(FLAG) stands for the APIs with that flag of
 * api/mmu_roles.def, their role's or their own (MMU_API_FLAG).
 * {{MSG(key)}} is the rule's message key (MMU_MSG of the registry) as a
 * Python string literal.
 * This keeps the API knowledge in one table instead of in each rule.
 * A line holding only {{@FILE}} is replaced by FILE from SRCDIR (the
 * shared SmPL pieces); when FILE is Python (*.py), a library, only the
 * top-level definitions the rule's own text refers to are copied, with
 * what they refer to in turn, so a rule carries no helper it never calls.
 * With no template, stdin is expanded without a header (for tests).
 * gencocci --list prints the table with the kernel versions of each API;
 * gencocci --helpers SRCDIR TEMPLATE... the library definitions each rule
 * gets, and those no rule gets.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

#include "../common/mmu_roles.h"
#include "../common/mmu_rules.h"

struct mmu_api {
	const char *name;
	const char *role;
	int since, until;	/* major * 100 + minor */
	int line;		/* its row in api/mmu_api.def */
};

#define KV(major, minor) ((major) * 100 + (minor))
#define MMU_API_FLAG(name, flag)
#define MMU_API(name, role, since, until) \
	{ #name, #role, since, until, __LINE__ },
static const struct mmu_api api_table[] = {
#include "../api/mmu_api.def"
};
#undef MMU_API
#undef MMU_API_FLAG

/* The table's MMU_API_FLAG lines: a flag of one API, not of its role. */
static const struct mmu_api_flag {
	const char *name;
	unsigned int flag;	/* enum mmu_flag */
	int line;
} api_flag_table[] = {
#define MMU_API(name, role, since, until)
#define MMU_API_FLAG(name, flag) { #name, MMU_FLAG_##flag, __LINE__ },
#include "../api/mmu_api.def"
#undef MMU_API_FLAG
#undef MMU_API
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define API_COUNT ARRAY_SIZE(api_table)
#define STILL_PRESENT KV(99, 0)

/* The MMU_FLAG bits of API i: its role's and its own. */
static unsigned int api_flags(size_t i)
{
	unsigned int flags = 0;
	size_t j;
	int r;

	for (r = 0; r < MMU_ROLE_COUNT; r++)
		if (!strcmp(mmu_role_table[r].name, api_table[i].role))
			flags = mmu_role_table[r].flags;
	for (j = 0; j < ARRAY_SIZE(api_flag_table); j++)
		if (!strcmp(api_flag_table[j].name, api_table[i].name))
			flags |= api_flag_table[j].flag;
	return flags;
}

/* --list: the table as text, one API per line, for people and tests. */
static void list_table(void)
{
	size_t i;

	for (i = 0; i < API_COUNT; i++) {
		const struct mmu_api *a = &api_table[i];

		printf("%-44s %-18s v%d.%d-", a->name, a->role,
		       a->since / 100, a->since % 100);
		if (a->until != STILL_PRESENT)
			printf("v%d.%d", a->until / 100, a->until % 100);
		putchar('\n');
	}
}

/* The role a placeholder names, by api/mmu_roles.def; -1 if none. */
static int role_id(const char *role, size_t len)
{
	return mmu_find_name(mmu_role_table, MMU_ROLE_COUNT,
			     sizeof(mmu_role_table[0]), role, len);
}

/* Every MMU_API_FLAG line must name an API of the table. */
static int check_api_flags(void)
{
	size_t i, j;
	int bad = 0;

	for (j = 0; j < ARRAY_SIZE(api_flag_table); j++) {
		for (i = 0; i < API_COUNT; i++)
			if (!strcmp(api_flag_table[j].name, api_table[i].name))
				break;
		if (i < API_COUNT)
			continue;
		fprintf(stderr, "api/mmu_api.def:%d: MMU_API_FLAG of '%s', which no MMU_API row names\n",
			api_flag_table[j].line, api_flag_table[j].name);
		bad = 1;
	}
	return bad;
}

/* Every row's role must be one api/mmu_roles.def defines. */
static int check_roles(void)
{
	size_t i;
	int bad = 0;

	for (i = 0; i < API_COUNT; i++) {
		const char *role = api_table[i].role;

		if (role_id(role, strlen(role)) >= 0)
			continue;
		fprintf(stderr, "api/mmu_api.def:%d: unknown role '%s' (not in api/mmu_roles.def)\n",
			api_table[i].line, role);
		bad = 1;
	}
	return bad | check_api_flags();
}

/*
 * {{=VERSIONS}}: the table's kernel versions as a Python dict literal,
 * name -> (since, until) as major * 100 + minor, for version gates.
 */
static void print_versions(void)
{
	size_t i;

	putchar('{');
	for (i = 0; i < API_COUNT; i++)
		printf("%s\"%s\": (%d, %d)", i ? ", " : "", api_table[i].name,
		       api_table[i].since, api_table[i].until);
	putchar('}');
}

/* api/mmu_roles.def's flags by name, for {{F(flag)}}. */
static const struct {
	const char *name;
	unsigned int flag;
} flag_table[] = {
#define MMU_LEVEL(level)
#define MMU_KIND(kind)
#define MMU_ROLE(role, level, kind, flags)
#define MMU_FLAG(flag) { #flag, MMU_FLAG_##flag },
#include "../api/mmu_roles.def"
#undef MMU_FLAG
#undef MMU_ROLE
#undef MMU_KIND
#undef MMU_LEVEL
};

/* The flag "F(NAME)" names, by api/mmu_roles.def; 0 if none. */
static unsigned int flag_of(const char *f, size_t len)
{
	int i;

	if (len < 4 || strncmp(f, "F(", 2) || f[len - 1] != ')')
		return 0;
	i = mmu_find_name(flag_table, ARRAY_SIZE(flag_table),
			  sizeof(flag_table[0]), f + 2, len - 3);
	return i < 0 ? 0 : flag_table[i].flag;
}

/* Does API i belong to the alternative ROLE or F(FLAG) of a placeholder? */
static int api_in(size_t i, int role, unsigned int flag)
{
	if (flag)
		return (api_flags(i) & flag) != 0;
	return !strcmp(api_table[i].role, mmu_role_table[role].name);
}

/* The rule whose template is being generated; NULL for stdin. */
static const struct mmu_rule_def *current_rule;

/*
 * {{MSG(key)}}: the current rule's message key (api/mmu_rules.def's
 * MMU_MSG) as a Python string literal, for the template's decide(), its
 * C %d as %s: a message both backends print takes a line number that
 * is an int in the plugin and a string in the semantic patches.
 */
static int print_message(const char *key, size_t len, int lineno)
{
	const char *p;
	size_t i;

	for (i = 0; current_rule && i < ARRAY_SIZE(mmu_msg_table); i++) {
		const struct mmu_msg_def *m = &mmu_msg_table[i];

		if (strcmp(m->id, current_rule->id) || !mmu_name_is(m->key, key, len))
			continue;
		putchar('"');
		for (p = m->text; *p; p++) {
			if (p[0] == '%' && p[1] == 'd') {
				fputs("%s", stdout);	/* Python's %s takes any value */
				p++;
				continue;
			}
			printf("%s%c", *p == '"' || *p == '\\' ? "\\" : "", *p);
		}
		putchar('"');
		return 0;
	}
	fprintf(stderr, "gencocci: line %d: no MMU_MSG(%s, %.*s) in api/mmu_rules.def\n",
		lineno, current_rule ? current_rule->id + 3 : "?", (int)len, key);
	return -1;
}

/*
 * Print the names of every role in the '|'-separated list roles, as a
 * regex alternation, or as an SmPL disjunction \\(a\\|b\\) when the list
 * is parenthesised: spatch skips files lacking the tokens of a
 * disjunction, which is the token prefilter every rule depends on.
 */
static int expand(const char *roles, size_t len, int lineno)
{
	const char *role = roles, *end = roles + len;
	int smpl = len > 2 && roles[0] == '(' && roles[len - 1] == ')';
	const char *sep = smpl ? "\\|" : "|";
	int first = 1;

	if (len == 9 && !strncmp(roles, "=VERSIONS", 9)) {
		print_versions();
		return 0;
	}
	if (len > 5 && !strncmp(roles, "MSG(", 4) && roles[len - 1] == ')')
		return print_message(roles + 4, len - 5, lineno);

	if (smpl) {
		role++;
		end--;
		fputs("\\(", stdout);
	}

	while (role < end) {
		const char *bar = memchr(role, '|', end - role);
		size_t rlen = (bar ? bar : end) - role;
		unsigned int flag = flag_of(role, rlen);
		int id = flag ? 0 : role_id(role, rlen), names = 0;
		size_t i;

		if (id < 0) {
			fprintf(stderr, "gencocci: line %d: unknown role '%.*s' (not in api/mmu_roles.def)\n",
				lineno, (int)rlen, role);
			return -1;
		}
		for (i = 0; i < API_COUNT; i++) {
			if (!api_in(i, id, flag))
				continue;
			printf("%s%s", first ? "" : sep, api_table[i].name);
			first = 0;
			names++;
		}
		if (!names) {
			fprintf(stderr, "gencocci: line %d: no API in api/mmu_api.def has %s '%.*s'\n",
				lineno, flag ? "flag" : "role", (int)rlen, role);
			return -1;
		}
		role = bar ? bar + 1 : end;
	}
	if (smpl)
		fputs("\\)", stdout);
	return 0;
}

/* --- the rule registry: each generated file's header ------------------- */

/* The registry entry of template path (.../mmuNNN_slug.cocci.in). */
static const struct mmu_rule_def *rule_of(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t i;

	for (i = 0; i < MMU_RULE_COUNT; i++) {
		const struct mmu_rule_def *r = &mmu_rule_table[i];
		char name[256];

		snprintf(name, sizeof(name), "mmu%s_%s.cocci.in", r->id + 3,
			 r->slug);
		if (!strcmp(base, name))
			return r;
	}
	return NULL;
}

/*
 * The description as /// lines.  Its first word is capitalised when it
 * is a plain word ("an", "flushes"), never when it is an identifier
 * such as huge_pmd_unshare().
 */
static void print_description(const char *d)
{
	size_t n = strspn(d, "abcdefghijklmnopqrstuvwxyz");

	fputs("/// ", stdout);
	if (n && d[n] == ' ') {
		putchar(toupper((unsigned char)*d));
		d++;
	}
	for (; *d; d++) {
		putchar(*d);
		if (*d == '\n')
			fputs(d[1] == '\n' ? "///" : d[1] ? "/// " : "", stdout);
	}
}

/* Spelt so that checkpatch does not take it for this file's own tag. */
#define SPDX_TAG "SPDX-License-Identifier"
#define SPDX_LINE "// " SPDX_TAG ": GPL-2.0-only\n"

/* The header scripts/coccinelle's rules carry, as coccicheck reads it. */
static void print_header(const struct mmu_rule_def *r, const char *path)
{
	fputs(SPDX_LINE, stdout);
	printf("/// %s: %s\n///\n", r->id, r->title);
	print_description(r->description);
	puts("///");
	printf("// Confidence: %s\n", r->confidence);
	puts("// Copyright: (C) 2026 the mmucheck authors");
	puts("// URL: https://coccinelle.gitlabpages.inria.fr/website");
	puts("// Comments: rule ids and messages are described in the mmucheck README.");
	puts("// Options: --no-includes --include-headers");
	printf("// Keywords: mmu_notifier, %s, %s\n", r->id, r->slug);
	printf("// Generated from %s by tools/gencocci; do not edit.\n\n", path);
}

/* --- Python libraries: only the definitions a rule uses ---------------- */

/* One top-level statement of a library, with the comment above it. */
struct py_block {
	char *text;
	char name[64];		/* what it defines: def NAME, NAME = ..., import NAME */
	int used;
};

static struct {
	char file[256];		/* the library's name in SRCDIR, "" until loaded */
	struct py_block *blocks;
	size_t n;
} lib;

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t len = 0;
	FILE *mem;
	int c;

	if (!f) {
		perror(path);
		return NULL;
	}
	mem = open_memstream(&text, &len);
	while ((c = getc(f)) != EOF)
		putc(c, mem);
	fclose(f);
	fclose(mem);
	return text;
}

static int is_ident(int c)
{
	return isalnum(c) || c == '_';
}

/*
 * A copy of text with what names nothing blanked out: SmPL comment lines
 * (//) and Python comments (# outside a string literal).
 */
static char *code_only(const char *text)
{
	char *code = strdup(text), *line;

	for (line = code; *line; ) {
		char *end = strchrnul(line, '\n'), *p;
		char quote = 0;

		p = line + strspn(line, " \t");
		if (!strncmp(p, "//", 2))
			memset(line, ' ', end - line);
		for (p = line; p < end; p++) {
			if (quote && *p == '\\' && p + 1 < end)
				p++;
			else if (quote && *p == quote)
				quote = 0;
			else if (!quote && (*p == '"' || *p == '\''))
				quote = *p;
			else if (!quote && *p == '#')
				memset(p, ' ', end - p);
		}
		line = *end ? end + 1 : end;
	}
	return code;
}

/* Whether code refers to name as a whole identifier. */
static int refers_to(const char *code, const char *name)
{
	size_t len = strlen(name);
	const char *p;

	for (p = code; (p = strstr(p, name)); p += len)
		if ((p == code || !is_ident(p[-1])) && !is_ident(p[len]))
			return 1;
	return 0;
}

/* The name a top-level statement defines, or -1 when it defines none. */
static int block_name(const char *line, char *name, size_t size)
{
	const char *p = line;
	size_t n;

	if (!strncmp(p, "def ", 4))
		p += 4;
	else if (!strncmp(p, "import ", 7))
		p += 7;
	for (n = 0; is_ident(p[n]); n++)
		;
	if (!n || n >= size)
		return -1;
	if (p == line && p[n + strspn(p + n, " \t")] != '=')
		return -1;
	memcpy(name, p, n);
	name[n] = '\0';
	return 0;
}

static int top_level(const char *line)
{
	return *line && !strchr(" \t\n#", *line);
}

/*
 * Split a library into blocks: each top-level statement with the lines
 * indented under it and the comment lines directly above it.  What comes
 * before the first block (the file's own comment) is not copied.
 */
static int load_library(const char *srcdir, const char *file)
{
	char path[4096], *text, *line, *start = NULL;
	size_t cap = 0;

	snprintf(path, sizeof(path), "%s/%s", srcdir, file);
	text = read_all(path);
	if (!text)
		return -1;
	for (line = text; *line; line = strchrnul(line, '\n') + !!*strchrnul(line, '\n')) {
		struct py_block *b;
		char *first = line;

		if (!top_level(line))
			continue;
		/* The comment directly above belongs to this block. */
		while (first > text) {
			char *prev = first - 1;

			while (prev > text && prev[-1] != '\n')
				prev--;
			if (*prev != '#')
				break;
			first = prev;
		}
		if (start)
			lib.blocks[lib.n - 1].text = strndup(start, first - start);
		if (lib.n == cap) {
			cap = cap ? 2 * cap : 64;
			lib.blocks = realloc(lib.blocks, cap * sizeof(*lib.blocks));
		}
		b = &lib.blocks[lib.n++];
		memset(b, 0, sizeof(*b));
		if (block_name(line, b->name, sizeof(b->name))) {
			fprintf(stderr, "gencocci: %s: a top-level statement that defines no name: %.*s\n",
				path, (int)strcspn(line, "\n"), line);
			return -1;
		}
		start = first;
	}
	if (start)
		lib.blocks[lib.n - 1].text = strdup(start);
	snprintf(lib.file, sizeof(lib.file), "%s", file);
	free(text);
	return 0;
}

static int is_library(const char *name, size_t len)
{
	return len > 3 && !strncmp(name + len - 3, ".py", 3);
}

/*
 * The template's own text, and that of the SmPL pieces it includes, as
 * code: what its rules refer to.  Loads the library it includes.
 */
static int rule_code(const char *srcdir, const char *text, FILE *code)
{
	const char *line;
	char *c = code_only(text);

	fputs(c, code);
	free(c);
	for (line = text; *line; line = strchrnul(line, '\n') + !!*strchrnul(line, '\n')) {
		size_t len = strcspn(line, "\n");
		char name[256], path[4096], *inc;
		int ret;

		if (len <= 5 || strncmp(line, "{{@", 3) || strncmp(line + len - 2, "}}", 2))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)len - 5, line + 3);
		if (is_library(name, strlen(name))) {
			if (*lib.file && strcmp(lib.file, name)) {
				fprintf(stderr, "gencocci: one library per rule: %s and %s\n",
					lib.file, name);
				return -1;
			}
			if (!*lib.file && load_library(srcdir, name))
				return -1;
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", srcdir, name);
		inc = read_all(path);
		if (!inc)
			return -1;
		ret = rule_code(srcdir, inc, code);
		free(inc);
		if (ret)
			return ret;
	}
	return 0;
}

/* Mark the library blocks code refers to, and what those refer to. */
static void mark_used(const char *code)
{
	int changed = 1;
	size_t i, j;

	for (i = 0; i < lib.n; i++)
		lib.blocks[i].used = refers_to(code, lib.blocks[i].name);
	while (changed) {
		changed = 0;
		for (i = 0; i < lib.n; i++) {
			char *c;

			if (!lib.blocks[i].used)
				continue;
			c = code_only(lib.blocks[i].text);
			for (j = 0; j < lib.n; j++)
				if (!lib.blocks[j].used && refers_to(c, lib.blocks[j].name))
					lib.blocks[j].used = changed = 1;
			free(c);
		}
	}
}

/* --- expansion ---------------------------------------------------------- */

static int process(FILE *in, const char *srcdir);

static int process_text(const char *text, const char *srcdir)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	if (!f)
		return -1;
	ret = process(f, srcdir);
	fclose(f);
	return ret;
}

/* The library's blocks the rule uses, in the library's order. */
static int include_library(const char *srcdir)
{
	const char *last = "\n\n";
	size_t i;

	printf("# From cocci/src/%s, what this rule uses (tools/gencocci).\n", lib.file);
	for (i = 0; i < lib.n; i++) {
		if (!lib.blocks[i].used)
			continue;
		if (process_text(lib.blocks[i].text, srcdir))
			return -1;
		last = lib.blocks[i].text;
	}
	/* A blank line before the rule's own definitions. */
	if (strlen(last) < 2 || strcmp(last + strlen(last) - 2, "\n\n"))
		putchar('\n');
	return 0;
}

/* Expand srcdir/name, the body of a {{@name}} line, to stdout. */
static int include_file(const char *srcdir, const char *name, size_t len)
{
	char path[4096];
	FILE *f;
	int ret;

	if (is_library(name, len)) {
		if (!*lib.file) {
			fprintf(stderr, "gencocci: %.*s: a library needs a template\n",
				(int)len, name);
			return -1;
		}
		return include_library(srcdir);
	}
	snprintf(path, sizeof(path), "%s/%.*s", srcdir, (int)len, name);
	f = fopen(path, "r");
	if (!f) {
		perror(path);
		return -1;
	}
	/* Where the piece starts and ends, for tools/mergecocci. */
	printf("// mmucheck-piece: %.*s\n", (int)len, name);
	ret = process(f, srcdir);
	printf("// mmucheck-piece-end: %.*s\n", (int)len, name);
	fclose(f);
	return ret;
}

static int process(FILE *in, const char *srcdir)
{
	char line[4096];
	int lineno = 0;

	while (fgets(line, sizeof(line), in)) {
		char *p = line, *open, *close;
		size_t len = strcspn(line, "\n");

		lineno++;
		if (len > 5 && !strncmp(line, "{{@", 3) &&
		    !strncmp(line + len - 2, "}}", 2)) {
			if (include_file(srcdir, line + 3, len - 5))
				return -1;
			continue;
		}
		while ((open = strstr(p, "{{")) && (close = strstr(open, "}}"))) {
			fwrite(p, 1, open - p, stdout);
			if (expand(open + 2, close - open - 2, lineno))
				return -1;
			p = close + 2;
		}
		fputs(p, stdout);
	}
	return 0;
}

/*
 * A rule: its header from the registry, then the template (whose own
 * SPDX line the header repeats) with the library helpers it uses.
 */
static int generate(const char *srcdir, const char *path)
{
	const struct mmu_rule_def *r = rule_of(path);
	char *text, *code = NULL, *body;
	size_t len = 0;
	FILE *f;
	int ret;

	if (!r) {
		fprintf(stderr, "gencocci: %s: no such rule in api/mmu_rules.def\n", path);
		return -1;
	}
	if (!(r->backends & MMU_BACKEND_COCCI)) {
		fprintf(stderr, "gencocci: %s: api/mmu_rules.def does not list B(COCCI) for %s\n",
			path, r->id);
		return -1;
	}
	text = read_all(path);
	if (!text)
		return -1;
	current_rule = r;
	f = open_memstream(&code, &len);
	ret = rule_code(srcdir, text, f);
	fclose(f);
	if (!ret) {
		mark_used(code);
		print_header(r, path);
		body = text;
		if (!strncmp(body, SPDX_LINE, strlen(SPDX_LINE)))
			body += strlen(SPDX_LINE);
		ret = process_text(body, srcdir);
	}
	free(code);
	free(text);
	return ret;
}

/*
 * --helpers SRCDIR TEMPLATE...: the library definitions each rule gets,
 * one line per template, then "unused:" and those no rule gets (dead
 * code, which the tests refuse).
 */
static int list_helpers(const char *srcdir, char **templates, int n)
{
	char *ever = NULL;	/* ever[i]: some rule used block i */
	size_t i;
	int t;

	for (t = 0; t < n; t++) {
		char *text = read_all(templates[t]), *code = NULL;
		size_t len = 0;
		FILE *f;

		if (!text)
			return -1;
		f = open_memstream(&code, &len);
		if (rule_code(srcdir, text, f))
			return -1;
		fclose(f);
		mark_used(code);
		if (!ever)
			ever = calloc(lib.n + 1, 1);
		printf("%s:", templates[t]);
		for (i = 0; i < lib.n; i++)
			if (lib.blocks[i].used) {
				printf(" %s", lib.blocks[i].name);
				ever[i] = 1;
			}
		putchar('\n');
		free(code);
		free(text);
	}
	fputs("unused:", stdout);
	for (i = 0; i < lib.n; i++)
		if (!ever[i])
			printf(" %s", lib.blocks[i].name);
	putchar('\n');
	free(ever);
	return 0;
}

int main(int argc, char **argv)
{
	const char *srcdir = argc > 1 ? argv[1] : ".";

	if (check_roles())
		return 1;
	if (argc > 1 && !strcmp(argv[1], "--list")) {
		list_table();
		return 0;
	}
	if (argc > 3 && !strcmp(argv[1], "--helpers"))
		return list_helpers(argv[2], argv + 3, argc - 3) ? 1 : 0;
	if (argc > 2 ? generate(srcdir, argv[2]) : process(stdin, srcdir))
		return 1;
	return ferror(stdout) ? 1 : 0;
}
