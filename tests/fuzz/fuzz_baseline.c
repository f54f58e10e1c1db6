// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the baseline reader, and the merge of an update on
 * what it read (make fuzz).  report.c is included for its static reader.
 */
#include <stdint.h>
#include "../../driver/report.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *path;
	struct rule_info rule = { .id = "MMU004" };
	json_t *root, *list;
	char *why;
	FILE *f;

	if (!path) {
		path = xasprintf("%s/mmucheck-fuzz-baseline.%d.json",
				 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
				 (int)getpid());
	}
	f = fopen(path, "w");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f))
		die("cannot write %s", path);
	root = baseline_load(path, &why);
	if (!root) {
		free(why);
		return 0;
	}
	json_decref(root);
	list = json_array();
	keep_unscanned(path, list, &rule, 1, NULL);
	json_decref(list);
	return 0;
}
