// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmucheck - find missing or undersized mmu_notifier brackets in Linux.
 *
 *   mmucheck scan [KDIR] [--base REV] [--build DIR] [--format text|json|sarif]
 *                 [--baseline FILE] [--update-baseline] [-j N] [--rules LIST]
 *                 [--timeout SECONDS] [--allow-partial]
 *   mmucheck link FACTSDIR [KDIR]        (the GCC plugin's facts of a build)
 *   mmucheck unparsed KDIR [DIR]         (definitions spatch cannot parse)
 *   mmucheck fix [KDIR] [--base REV] [--baseline FILE] [--rules LIST] [-j N]
 *                [--force] -o DIR
 *   mmucheck check [FLAGS...] FILE.c     (make C=1 CHECK="mmucheck check")
 *   mmucheck --version
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fix.h"
#include "link.h"
#include "run.h"
#include "scan.h"
#include "util.h"
#include "version.h"

static void usage(void)
{
	fputs("usage: mmucheck scan [KDIR] [--base REV] [--build DIR]\n"
	      "                     [--format text|json|sarif] [--baseline FILE]\n"
	      "                     [--update-baseline] [-j N] [--rules LIST] [-v]\n"
	      "                     [--timeout SECONDS] [--allow-partial]\n"
	      "       mmucheck link FACTSDIR [KDIR]\n"
	      "       mmucheck unparsed KDIR [DIR]\n"
	      "       mmucheck fix [KDIR] [--base REV] [--baseline FILE] [--rules LIST]\n"
	      "                    [-j N] [--force] -o DIR\n"
	      "       mmucheck check [FLAGS...] FILE.c   (make C=1 CHECK=\"mmucheck check\")\n"
	      "       mmucheck --version\n"
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

/* A whole number of at least MIN, or die: "5abc", "" and overflow too. */
static int number_arg(const char *opt, const char *arg, long min)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < min || v > INT_MAX)
		die("%s needs a whole number of at least %ld, not '%s'", opt,
		    min, arg);
	return v;
}

/* More spatch processes than 4 per CPU only thrash (and may OOM). */
static int cap_jobs(int jobs, long cpus)
{
	long most = 4 * cpus;

	if (jobs <= most)
		return jobs;
	warn("-j %d capped at %ld (4 per CPU)", jobs, most);
	return most;
}

/* Options of scan and fix; fix alone takes -o DIR. */
static int scan_or_fix_main(int argc, char **argv, int fix)
{
	static const struct option longopts[] = {
		{ "base", required_argument, NULL, 'b' },
		{ "build", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "baseline", required_argument, NULL, 'B' },
		{ "update-baseline", no_argument, NULL, 'u' },
		{ "rules", required_argument, NULL, 'r' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'F' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "allow-partial", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct scan_options opt = { .format = "text",
				    .timeout = DEFAULT_TIMEOUT };
	const char *outdir = NULL;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int c;

	opt.jobs = cpus > 0 ? cpus : 1;
	while ((c = getopt_long(argc, argv, "j:o:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			opt.base = optarg;
			break;
		case 'd':
			opt.build = optarg;
			break;
		case 'f':
			opt.format = optarg;
			break;
		case 'B':
			opt.baseline = optarg;
			break;
		case 'u':
			opt.update_baseline = 1;
			break;
		case 'r':
			opt.rules = optarg;
			break;
		case 'v':
			opt.verbose = 1;
			break;
		case 'o':
			outdir = optarg;
			break;
		case 'F':
			opt.force = 1;
			break;
		case 'j':
			opt.jobs = number_arg("-j", optarg, 1);
			break;
		case 'T':
			opt.timeout = number_arg("--timeout", optarg, 0);
			break;
		case 'P':
			opt.allow_partial = 1;
			break;
		default:
			usage();
		}
	}
	if (argc - optind > 1)
		usage();
	opt.kdir = optind < argc ? argv[optind] : NULL;
	opt.jobs = cap_jobs(opt.jobs, cpus > 0 ? cpus : 1);
	if (opt.build)		/* before the scan, not after it */
		link_check_build(opt.build);
	if (!fix) {
		if (outdir || opt.force)
			usage();
		return cmd_scan(&opt);
	}
	if (!outdir)
		die("fix needs -o DIR for the patch series");
	return cmd_fix(&opt, outdir);
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
	require_stdout();
	atexit(check_stdout);
	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "--version"))
		return print_version();
	if (!strcmp(argv[1], "scan"))
		return scan_or_fix_main(argc - 1, argv + 1, 0);
	if (!strcmp(argv[1], "fix"))
		return scan_or_fix_main(argc - 1, argv + 1, 1);
	if (!strcmp(argv[1], "unparsed"))
		return cmd_unparsed(argc - 2, argv + 2);
	if (!strcmp(argv[1], "link"))
		return cmd_link(argc - 2, argv + 2);
	if (!strcmp(argv[1], "check"))
		return cmd_check(argc - 2, argv + 2);
	usage();
}
