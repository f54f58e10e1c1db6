// SPDX-License-Identifier: GPL-2.0-only
/*
 * gencocci - expand API placeholders in a semantic-patch template.
 *
 * Reads a template on stdin and writes it to stdout with every
 * {{ROLE[|ROLE...]}} replaced by the names api/mmu_api.def lists for
 * those roles, joined by '|' so that a rule can write
 *	identifier prim =~ "^({{PRIM_PMD|PRIM_PUD}})$";
 * This keeps the API knowledge in one table instead of in each rule.
 * A line holding only {{@FILE}} is replaced by FILE from the directory
 * given as the first argument: the Python helpers every rule shares.
 * gencocci --list prints the table with the kernel versions of each API.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/mmu_roles.h"

struct mmu_api {
	const char *name;
	const char *role;
	int since, until;	/* major * 100 + minor */
	int line;		/* its row in api/mmu_api.def */
};

#define KV(major, minor) ((major) * 100 + (minor))
#define MMU_API(name, role, since, until) \
	{ #name, #role, since, until, __LINE__ },
static const struct mmu_api api_table[] = {
#include "../api/mmu_api.def"
};
#undef MMU_API

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define API_COUNT ARRAY_SIZE(api_table)
#define STILL_PRESENT KV(99, 0)

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
	int i;

	for (i = 0; i < MMU_ROLE_COUNT; i++)
		if (strlen(mmu_role_table[i].name) == len &&
		    !strncmp(mmu_role_table[i].name, role, len))
			return i;
	return -1;
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
	return bad;
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

	if (smpl) {
		role++;
		end--;
		fputs("\\(", stdout);
	}

	while (role < end) {
		const char *bar = memchr(role, '|', end - role);
		size_t rlen = (bar ? bar : end) - role;
		int id = role_id(role, rlen), names = 0;
		size_t i;

		if (id < 0) {
			fprintf(stderr, "gencocci: line %d: unknown role '%.*s' (not in api/mmu_roles.def)\n",
				lineno, (int)rlen, role);
			return -1;
		}
		for (i = 0; i < API_COUNT; i++) {
			if (strcmp(api_table[i].role, mmu_role_table[id].name))
				continue;
			printf("%s%s", first ? "" : sep, api_table[i].name);
			first = 0;
			names++;
		}
		if (!names) {
			fprintf(stderr, "gencocci: line %d: no API in api/mmu_api.def has role '%.*s'\n",
				lineno, (int)rlen, role);
			return -1;
		}
		role = bar ? bar + 1 : end;
	}
	if (smpl)
		fputs("\\)", stdout);
	return 0;
}

static int process(FILE *in, const char *srcdir);

/* Expand srcdir/name, the body of a {{@name}} line, to stdout. */
static int include_file(const char *srcdir, const char *name, size_t len)
{
	char path[4096];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "%s/%.*s", srcdir, (int)len, name);
	f = fopen(path, "r");
	if (!f) {
		perror(path);
		return -1;
	}
	ret = process(f, srcdir);
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

int main(int argc, char **argv)
{
	if (check_roles())
		return 1;
	if (argc > 1 && !strcmp(argv[1], "--list")) {
		list_table();
		return 0;
	}
	if (process(stdin, argc > 1 ? argv[1] : "."))
		return 1;
	return ferror(stdout) ? 1 : 0;
}
