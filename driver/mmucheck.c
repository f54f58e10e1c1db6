// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmucheck - find missing or undersized mmu_notifier brackets in Linux.
 *
 * "mmucheck COMMAND ARGS...": the commands[] table below names each
 * command's function (one file each, see builtin.h) and its usage line.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtin.h"
#include "run.h"
#include "util.h"
#include "version.h"

/*
 * The commands: name, function, synopsis (options after the name) and
 * one line of help.  usage() is made from this table.
 */
static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *synopsis;
	const char *help;
} commands[] = {
	{ "scan", cmd_scan,
	  "[KDIR] [--base REV] [--build DIR]\n"
	  "\t[--format text|json|sarif] [--baseline FILE] [--update-baseline]\n"
	  "\t[-j N] [--rules LIST] [-v] [--timeout SECONDS] [--file-timeout SECONDS]\n"
	  "\t[--allow-partial] [--shard I/N]",
	  "report the rules' findings in a tree, or in a branch's changes" },
	{ "merge", cmd_merge,
	  "[--format text|json|sarif] [--baseline FILE] [--update-baseline]\n"
	  "\t[--allow-partial] REPORT.json...",
	  "one report of the JSON reports of scan --shard 1/N ... N/N" },
	{ "fix", cmd_fix,
	  "[KDIR] [--base REV] [--baseline FILE] [--rules LIST]\n"
	  "\t[-j N] [--force] -o DIR",
	  "write checked patch mails for the new findings" },
	{ "check", cmd_check, "[FLAGS...] FILE.c",
	  "kbuild's checker slot: make C=1 CHECK=\"mmucheck check\"" },
	{ "link", cmd_link, "DIR [KDIR]",
	  "join the GCC plugin's facts of a build (objects, facts files)" },
	{ "unparsed", cmd_unparsed, "KDIR [DIR]",
	  "name the definitions spatch cannot parse" },
};

/*
 * A command that takes MIN to MAX operands after its name (argv[0]):
 * any other count is an error that gives the command's usage line.
 */
void check_operands(int argc, char **argv, int min, int max)
{
	size_t i;

	if (argc - 1 >= min && argc - 1 <= max)
		return;
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, argv[0]))
			die("usage: mmucheck %s %s", argv[0], commands[i].synopsis);
	usage();
}

void usage(void)
{
	size_t i;

	fputs("usage: mmucheck COMMAND [ARGS]\n", stderr);
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		const char *p;

		fprintf(stderr, "\n  mmucheck %s ", commands[i].name);
		for (p = commands[i].synopsis; *p; p++)
			if (*p == '\t')
				fprintf(stderr, "%*s", (int)strlen(commands[i].name) + 12, "");
			else
				fputc(*p, stderr);
		fprintf(stderr, "\n      %s\n", commands[i].help);
	}
	fputs("\n  mmucheck --version\n"
	      "Exit: 0 no new findings, 1 new findings, 2 usage or tool error.\n",
	      stderr);
	exit(EXIT_TROUBLE);
}

/* The first line a tool prints about its version, or "not found". */
static char *tool_version(const char *tool, const char *flag)
{
	char **argv = argv_new(tool, flag, NULL);
	char *out = NULL;

	if (run_capture(argv, NULL, &out) || !out || !*out) {
		free(out);
		out = xstrdup("not found");
	}
	out[strcspn(out, "\n")] = '\0';
	argv_free(argv);
	return out;
}

static int print_version(void)
{
	char *sp = tool_version("spatch", "--version");
	char *cc = tool_version("gcc", "--version");

	printf("mmucheck %s\nspatch: %s\ngcc: %s\n", MMUCHECK_VERSION, sp, cc);
	free(sp);
	free(cc);
	return 0;
}

/*
 * A report that did not reach stdout (a full disk, /dev/full, a closed
 * pipe) is a failure, not a clean run: exit 2 and say so.
 */
static void check_stdout(void)
{
	int bad = fflush(stdout) || ferror(stdout);

	if (fclose(stdout) || bad) {
		warn("cannot write the output: %m");
		_exit(EXIT_TROUBLE);
	}
}

/* A closed stdout would let the first file opened take its place. */
static void require_stdout(void)
{
	if (fcntl(STDOUT_FILENO, F_GETFD) < 0)
		die("stdout is closed: nowhere to write the report");
}

int main(int argc, char **argv)
{
	size_t i;

	require_stdout();
	atexit(check_stdout);
	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "--version"))
		return print_version();
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	usage();
}
