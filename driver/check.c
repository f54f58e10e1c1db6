// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmucheck check: the checker slot of kbuild (make C=1 CHECK=...), the
 * plugin and the semantic patches over one file as it is compiled.
 */
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "findings.h"
#include "plugin.h"
#include "report.h"
#include "rules.h"
#include "run.h"
#include "scan.h"
#include "util.h"

/*
 * The "make C=1 CHECK=mmucheck check" slot: kbuild passes the checker's
 * flags, the compiler's flags and the source file last.  Findings are
 * notes on stderr; the build goes on (exit 0) unless a tool fails.
 */
int cmd_check(int argc, char **argv)
{
	struct findings fs = { 0 };
	struct rule_info *rules;
	const char *file;
	size_t nrules, i, n;
	struct job *js;
	int trouble = 0;

	argc--;		/* argv[0] is the command's name */
	argv++;
	file = argc ? argv[argc - 1] : NULL;
	if (!file || !strstr(file, ".c"))
		die("check: no C file given (use as make C=1 CHECK=\"mmucheck check\")");
	if (!getenv("MMUCHECK_NO_PLUGIN"))
		trouble = check_with_plugin(argc, argv, file);
	if (getenv("MMUCHECK_SPARSE")) {
		char **sp = argv_new("sparse", NULL);

		for (i = 0; i < (size_t)argc; i++)
			argv_push(&sp, argv[i]);
		if (run_capture(sp, NULL, NULL))
			trouble = EXIT_TROUBLE;
		argv_free(sp);
	}
	require_spatch();
	rules = load_rules(getenv("MMUCHECK_RULES"), &nrules);
	js = xcalloc(nrules + 1, sizeof(*js));
	for (i = 0, n = 0; i < nrules; i++) {
		if (!rules[i].path)	/* the plugin above checked it */
			continue;
		js[n].argv = rule_argv(&rules[i], "report");
		argv_push(&js[n].argv, file);
		js[n++].label = rules[i].id;
	}
	run_jobs(js, n, 1, 0);
	if (collect(js, n, &fs))
		trouble = EXIT_TROUBLE;
	free(js);
	findings_finish_file(&fs, file);
	report_text(stderr, &fs);
	findings_free(&fs);
	return trouble;
}
